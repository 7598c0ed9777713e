/* fmt_text.c — small text helpers for the formatter: a capped string
 * builder, tolerant field getters, name re-casing, ISO time parsing. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt_parts.h"
#include "jsonutil.h"
#include "utf8.h"
#include "wntime.h"

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

int
fmt_iso_unix(const char *iso, int64_t *out)
{
	return wntime_iso_parse_str(iso, 0, out);
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
