/* wntime.h — the one place wn turns times into text and back: ISO 8601
 * (killmail times, status files, --now, Discord embed timestamps) and
 * HTTP dates (ESI's Expires and Date).  POSIX has no timegm(), and
 * strftime/gmtime_r go through the C library's locale and TZ machinery,
 * so the calendar arithmetic is done here once (Howard Hinnant's
 * days_from_civil and civil_from_days, proleptic Gregorian). */
#ifndef WN_WNTIME_H
#define WN_WNTIME_H

#include <stddef.h>
#include <stdint.h>

#define WNTIME_ISO_LEN  20   /* "YYYY-MM-DDTHH:MM:SSZ" */
#define WNTIME_HTTP_LEN 29   /* "Sun, 06 Nov 1994 08:49:37 GMT" */

/* wntime_iso_parse flags */
#define WNTIME_NEED_ZONE 1u  /* "Z" or an offset required (else "" is UTC) */

/* wntime.c */
/* Days since 1970-01-01 of year y, month m (1-12), day d; and back. */
int64_t wntime_days_from_civil(int64_t y, int m, int d);
void wntime_civil_from_days(int64_t days, int64_t *y, int *m, int *d);
/* Days in month m (1-12) of year y. */
int wntime_month_days(int64_t y, int m);
/* ISO 8601 / RFC 3339 date-time in s[0..len) into Unix seconds *t:
 *   YYYY-MM-DD(T|t| )hh:mm:ss[(.|,)digits][Z|z|(+|-)hh[:]mm]
 * nothing else before or after; the day must exist in its month; a leap
 * second (:60) counts as the next second; the fraction is dropped.  No
 * zone means UTC unless flags has WNTIME_NEED_ZONE.  0, or -1 (*t left). */
int wntime_iso_parse(const char *s, size_t len, unsigned flags, int64_t *t);
/* The same for a NUL-terminated string (NULL is -1). */
int wntime_iso_parse_str(const char *s, unsigned flags, int64_t *t);
/* t as "YYYY-MM-DDTHH:MM:SSZ" (UTC) in out; -1 (out "") outside the
 * years 0001-9999. */
int wntime_iso_format(int64_t t, char out[WNTIME_ISO_LEN + 1]);
/* An HTTP date (RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT")
 * into Unix seconds; -1 for NULL, another form, or a year before 1970. */
int64_t wntime_http_parse(const char *s);
/* t as an IMF-fixdate in out; -1 (out "") outside the years 1970-9999. */
int wntime_http_format(int64_t t, char out[WNTIME_HTTP_LEN + 1]);

#endif
