/* json_scan.h — a forward-only JSON scanner over one buffer, for reading
 * a few keys out of large records without building a tree.
 *
 * The caller walks the objects it cares about member by member and skips
 * every other value.  Skipping a container is done a 64-byte block at a
 * time (SSE2 where the compiler has it, the same bit logic in plain C
 * otherwise): it still checks what makes a line a JSON value — strings
 * closed, no control bytes in them, no backslash outside them, brackets
 * balanced, nesting at most JSON_SCAN_MAX_DEPTH — but not number syntax
 * or bracket kinds inside skipped containers.  Values that are read
 * (ids, numbers, strings, booleans) are checked fully.  Strings are
 * returned raw (escapes not decoded): keys worth reading have none. */
#ifndef WN_JSON_SCAN_H
#define WN_JSON_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define JSON_SCAN_MAX_DEPTH 64   /* same limit as json_parse() */

struct json_scan {
	const char *p, *start, *end;
	const char *err;     /* static reason once something failed */
	size_t errpos;       /* byte offset of the failure */
	int depth;           /* containers open at the cursor */
	char key[64];        /* the last key, when it had escapes */
};

/* json_scan.c */
void json_scan_init(struct json_scan *s, const char *buf, size_t len);
/* Next significant byte (whitespace skipped), or -1 at the end. */
int json_scan_peek(struct json_scan *s);
/* Enter an object: 1 entered, 0 the value is something else (nothing
 * consumed), -1 error (nesting too deep). */
int json_scan_object(struct json_scan *s);
/* Next member of the current object.  *n counts members seen (start at
 * 0).  1: key and klen set, cursor on the value; 0: '}' consumed;
 * -1 error.  A key with escapes comes decoded as cJSON decodes it (into
 * s->key, valid until the next call) when it is short ASCII. */
int json_scan_member(struct json_scan *s, int *n, const char **key, size_t *klen);
int json_scan_array(struct json_scan *s);            /* like json_scan_object */
/* Next element: 1 cursor on it; 0 ']' consumed; -1 error. */
int json_scan_element(struct json_scan *s, int *n);
/* Skip any one value.  0 or -1. */
int json_scan_skip(struct json_scan *s);
/* Readers: 1 value read; 0 the value had another type (skipped);
 * -1 malformed.  json_scan_int takes integers and decimal-digit strings
 * ("31001503"), as ids come both ways; json_scan_num any number or
 * numeric string; json_scan_str gives the raw bytes between the quotes. */
int json_scan_int(struct json_scan *s, int64_t *v);
int json_scan_num(struct json_scan *s, double *v);
int json_scan_bool(struct json_scan *s, int *v);
int json_scan_str(struct json_scan *s, const char **v, size_t *len);
/* 0 when only whitespace is left, else -1 ("trailing garbage"). */
int json_scan_end(struct json_scan *s);
/* Does key[0..klen) equal the NUL-terminated lit?  Inline so that
 * strlen of a literal folds away. */
static inline int
json_scan_key_is(const char *key, size_t klen, const char *lit)
{
	return strlen(lit) == klen && memcmp(key, lit, klen) == 0;
}

/* The container skipper itself: p at '{' or '['; returns the byte after
 * the matching bracket, or NULL with *why set.  The _portable variant
 * is the plain-C block logic, exported so tests can compare the two. */
const char *json_scan_skip_container(const char *p, const char *end, int maxdepth,
                                 const char **why);
const char *json_scan_skip_container_portable(const char *p, const char *end,
                                          int maxdepth, const char **why);

#endif
