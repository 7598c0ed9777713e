/* fmt_text.c — small text helpers for the formatter: a capped string
 * builder, tolerant field getters, name re-casing, ISO time parsing. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt_parts.h"
#include "json.h"
#include "utf8.h"
#include "wntime.h"

/* Room for n more bytes (plus NUL) under SB_MAX: 1, else 0. */
static int
sb_room(struct buf *b, size_t n)
{
	return b->len + n + 1 <= SB_MAX && buf_reserve(b, n) == 0;
}

void
sb_add(struct buf *b, const char *s)
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

/* Discord reads these as markdown anywhere in a line (links, emphasis,
 * spoilers, code, quotes, headings); a backslash before each makes it
 * plain text. */
static const char md_chars[] = "\\*_~`|>#[]()";
/* List markers ("- x", "+ x", "-# x" subtext) work only at the start of
 * a line; inside "1DQ1-A" or "High-sec" they are plain, so they are
 * escaped only before the name's first non-blank character. */
static const char md_lead[] = "-+";

void
sb_add_md(struct buf *b, const char *s)
{
	struct buf t = {0};
	size_t n = s ? strlen(s) : 0, i = 0;
	int lead = 1;

	/* at most twice the size, and never past SB_MAX */
	if (buf_reserve(&t, (n < SB_MAX ? n : SB_MAX) * 2 + 1) < 0)
		return;
	for (; i < n && t.len + 2 < SB_MAX; i++) {
		char c = s[i];
		if (c == '\r' || c == '\n')
			c = ' ';        /* a name is one line: no headings, quotes */
		if (strchr(md_chars, c) || (lead && strchr(md_lead, c)))
			t.p[t.len++] = '\\';
		lead = lead && (c == ' ' || c == '\t');
		t.p[t.len++] = c;
	}
	t.p[t.len] = '\0';
	sb_add(b, t.p);
	buf_free(&t);
}

char *
fmt_md(const char *s)
{
	struct buf b = {0};

	if (!s)
		return NULL;
	sb_add_md(&b, s);
	return buf_take(&b);
}

void
sb_addf(struct buf *b, const char *fmt, ...)
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
sb_capitalized(struct buf *b, const char *s)
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
	sb_add_md(b, t);
	free(t);
}

void
sb_underscored(struct buf *b, const char *s)
{
	static const char keep[] = "-._~'";

	/* percent-encoded past the few characters EVE names use, so a name
	 * with ")" or "[" cannot end our link and start one of its own */
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == ' ')
			sb_add(b, "_");
		else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		         (*p >= '0' && *p <= '9') || strchr(keep, *p))
			sb_addf(b, "%c", *p);
		else
			sb_addf(b, "%%%02X", *p);
	}
}

int
fmt_iso_unix(const char *iso, int64_t *out)
{
	return wntime_iso_parse_str(iso, 0, out);
}

char *
fmt_defuse(const char *s)
{
	struct buf b = {0};

	for (const char *at; s && (at = strchr(s, '@')); s = at + 1) {
		char *part = strndup(s, (size_t)(at - s));
		sb_add(&b, part);
		free(part);
		sb_add(&b, "@\xE2\x80\x8B");	/* U+200B ZERO WIDTH SPACE */
	}
	sb_add(&b, s);
	return buf_take(&b);
}
