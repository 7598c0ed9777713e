/* numconv.h — the one place where a number from outside (JSON, headers,
 * state files) becomes an integer.  A double is range-checked before the
 * cast, text is parsed strictly, and the values that drive waiting
 * (Retry-After, max-age) are clamped to a sane range instead of wrapping. */
#ifndef WN_NUMCONV_H
#define WN_NUMCONV_H

#include <stddef.h>
#include <stdint.h>

/* The largest integer a double (and so cJSON) holds exactly: ids beyond
 * from 2^53 on would not survive a round trip through cJSON, so neither
 * reader takes them. */
#define NUM_EXACT_MAX 9007199254740992.0   /* 2^53 */

/* The sane ranges for waits a peer asks for: a Retry-After beyond a day
 * or a max-age beyond 30 days is a broken or hostile peer, and the clamp
 * keeps every later "* 1000" and "now +" far from overflow. */
#define NUM_RETRY_AFTER_MAX 86400
#define NUM_MAX_AGE_MAX (30 * 86400)

/* The longest JSON number text taken.  cJSON and the fast scanner read a
 * number through a bounded copy; anything longer is no record's number. */
#define NUM_JSON_TEXT_MAX 63

/* numconv.c */
/* A JSON number's text p[0..len), already in the JSON grammar: 1 if it
 * is at most NUM_JSON_TEXT_MAX bytes and its value a finite double (1e999
 * is grammatical but no double), else 0.  The one rule json_parse and
 * the scanner share, so that they agree on which lines are JSON. */
int num_json_ok(const char *p, size_t len);
/* 1 and *out set if d is finite, integral and |d| < 2^53; else 0. */
int num_i64_of_double(double d, int64_t *out);
/* d truncated toward zero and clamped into [lo, hi]; NaN gives lo. */
int64_t num_clamp_double(double d, int64_t lo, int64_t hi);
/* Decimal text p[0..len): an optional '-' and 1–19 digits, nothing else,
 * within int64.  1 and *out set, else 0. */
int num_i64_of_text(const char *p, size_t len, int64_t *out);
/* A header value such as Retry-After or max-age: blanks, then digits,
 * then anything.  The digits saturate and are clamped into [lo, hi]; no
 * digits (a date, a minus sign, nothing) gives dflt. */
int64_t num_clamp_text(const char *s, int64_t lo, int64_t hi, int64_t dflt);

#endif
