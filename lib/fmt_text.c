/* fmt_text.c — small text helpers for the formatter: a capped string
 * builder, tolerant field getters, name re-casing, ISO time parsing. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt_parts.h"
#include "jsonutil.h"
#include "utf8.h"

/* Make room for n more bytes (plus NUL); 0 when the cap is reached. */
static int
sb_room(struct sbuf *b, size_t n)
{
	size_t want = b->len + n + 1, cap = b->cap ? b->cap : 256;
	char *p;

	if (want > SB_MAX)
		return 0;
	if (want <= b->cap)
		return 1;
	while (cap < want)
		cap *= 2;
	if (!(p = realloc(b->p, cap)))
		return 0;
	b->p = p;
	b->cap = cap;
	return 1;
}

void
sb_add(struct sbuf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!sb_room(b, n)) {
		/* over the cap: keep what fits, whole characters only */
		size_t left = SB_MAX - 1 - b->len;
		if (!sb_room(b, left))
			return;
		n = utf8_prefix(s, left, left);
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
sb_addf(struct sbuf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		sb_add(b, small);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big)
		return;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb_add(b, big);
	free(big);
}

char *
sb_take(struct sbuf *b)
{
	char *p = b->p ? b->p : strdup("");

	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void
sb_free(struct sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

const char *
fx_str(const cJSON *obj, const char *key, const char *alt)
{
	const char *s = json_str(obj, key);

	if ((!s || !*s) && alt)
		s = json_str(obj, alt);
	return s && *s ? s : NULL;
}

int64_t
fx_id(const cJSON *obj, const char *key, const char *alt)
{
	int64_t v = json_id(obj, key);

	if (!v && alt)
		v = json_id(obj, alt);
	return v > 0 ? v : 0;
}

void
sb_capitalized(struct sbuf *b, const char *s)
{
	char *t = strdup(s ? s : "");
	int start = 1;

	if (!t)
		return;
	for (char *p = t; *p; p++) {
		if (*p >= 'a' && *p <= 'z' && start)
			*p = (char)(*p - 'a' + 'A');
		else if (*p >= 'A' && *p <= 'Z' && !start)
			*p = (char)(*p - 'A' + 'a');
		start = *p == ' ';
	}
	sb_add(b, t);
	free(t);
}

void
sb_underscored(struct sbuf *b, const char *s)
{
	char *t = strdup(s ? s : "");

	if (!t)
		return;
	for (char *p = t; *p; p++)
		if (*p == ' ')
			*p = '_';
	sb_add(b, t);
	free(t);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Offset in seconds of "Z", "+hh:mm", "-hhmm" or "" (UTC); -1 bad. */
static int
zone_offset(const char *z, int64_t *off)
{
	int hh, mm, n = 0;

	*off = 0;
	if (!*z || ((*z == 'Z' || *z == 'z') && !z[1]))
		return 0;
	if (*z != '+' && *z != '-')
		return -1;
	if (sscanf(z + 1, "%2d:%2d%n", &hh, &mm, &n) != 2 &&
	    sscanf(z + 1, "%2d%2d%n", &hh, &mm, &n) != 2)
		return -1;
	if (z[1 + n] || hh > 23 || mm > 59)
		return -1;
	*off = (hh * 3600 + mm * 60) * (*z == '-' ? -1 : 1);
	return 0;
}

int
fmt_iso_unix(const char *iso, int64_t *out)
{
	int y, mo, d, h, mi, s, n = 0;
	int64_t off;

	if (!iso || sscanf(iso, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n",
	                   &y, &mo, &d, &h, &mi, &s, &n) != 6 || n != 19)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return -1;
	iso += n;
	if (*iso == '.')
		for (iso++; *iso >= '0' && *iso <= '9'; iso++)
			;
	if (zone_offset(iso, &off) < 0)
		return -1;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - off;
	return 0;
}

char *
fmt_defuse(const char *s)
{
	struct sbuf b = {0};

	for (const char *at; s && (at = strchr(s, '@')); s = at + 1) {
		char *part = strndup(s, (size_t)(at - s));
		sb_add(&b, part);
		free(part);
		sb_add(&b, "@\xE2\x80\x8B");	/* U+200B ZERO WIDTH SPACE */
	}
	sb_add(&b, s);
	return sb_take(&b);
}
