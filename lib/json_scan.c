/* json_scan.c — forward-only JSON scanning (see json_scan.h).
 *
 * Most of a killmail is the victim's items and the attacker list; the
 * rules need a dozen numbers.  So the cursor code below reads the few
 * members asked for byte by byte, and everything else is skipped with
 * skip_blocks(): per 64-byte block it builds bit masks of quotes,
 * backslashes, brackets and control bytes, finds the bytes inside strings
 * with a prefix XOR over the unescaped quotes, and only walks bracket
 * bits one by one when the nesting could end or exceed the limit inside
 * the block.  That keeps skipping at several bytes per cycle. */
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "json_scan.h"
#include "numconv.h"

struct masks {
	uint64_t quote, bslash, open, close, ctl;
};

static inline void
masks_portable(const unsigned char *b, struct masks *m)
{
	memset(m, 0, sizeof *m);
	for (int i = 0; i < 64; i++) {
		uint64_t bit = (uint64_t)1 << i;
		unsigned char c = b[i], lc = c | 0x20;

		if (c == '"')
			m->quote |= bit;
		else if (c == '\\')
			m->bslash |= bit;
		else if (lc == '{')	/* '{' or '[' */
			m->open |= bit;
		else if (lc == '}')	/* '}' or ']' */
			m->close |= bit;
		else if (c < 0x20)
			m->ctl |= bit;
	}
}

#ifdef __SSE2__
static inline void
masks_sse2(const unsigned char *b, struct masks *m)
{
	const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
	const __m128i op = _mm_set1_epi8('{'), cl = _mm_set1_epi8('}');
	const __m128i lower = _mm_set1_epi8(0x20), c1f = _mm_set1_epi8(0x1f);

	memset(m, 0, sizeof *m);
	for (int k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(b + 16 * k));
		__m128i lx = _mm_or_si128(x, lower);
		int sh = 16 * k;
#define MASK(v) ((uint64_t)(unsigned)_mm_movemask_epi8(v) << sh)
		m->quote |= MASK(_mm_cmpeq_epi8(x, q));
		m->bslash |= MASK(_mm_cmpeq_epi8(x, bs));
		m->open |= MASK(_mm_cmpeq_epi8(lx, op));
		m->close |= MASK(_mm_cmpeq_epi8(lx, cl));
		/* unsigned x <= 0x1f */
		m->ctl |= MASK(_mm_cmpeq_epi8(_mm_min_epu8(x, c1f), x));
#undef MASK
	}
}
#endif

/* Without -mpopcnt the builtin is a libgcc call; this stays inline. */
static int
popcount64(uint64_t x)
{
	x -= (x >> 1) & 0x5555555555555555ULL;
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (int)((x * 0x0101010101010101ULL) >> 56);
}

static uint64_t
prefix_xor(uint64_t x)
{
	x ^= x << 1;
	x ^= x << 2;
	x ^= x << 4;
	x ^= x << 8;
	x ^= x << 16;
	x ^= x << 32;
	return x;
}

/* Bits of the bytes escaped by a backslash; *carry: the first byte of
 * this block is escaped / the first of the next one is. */
static uint64_t
escaped_bits(uint64_t bs, int *carry)
{
	uint64_t esc = 0;

	if (*carry) {
		esc = 1;
		bs &= ~(uint64_t)1;
	}
	*carry = 0;
	while (bs) {
		int i = __builtin_ctzll(bs);
		if (i == 63) {
			*carry = 1;
			break;
		}
		esc |= (uint64_t)2 << i;
		bs &= ~((uint64_t)3 << i);
	}
	return esc;
}

/* inline: each caller gets its own copy with masks() inlined */
static inline __attribute__((always_inline)) const char *
skip_blocks(const char *p, const char *end, int maxdepth, const char **why,
            void (*masks)(const unsigned char *, struct masks *))
{
	size_t len = (size_t)(end - p), off = 0;
	uint64_t in_str = 0;
	unsigned char tail[64];
	int depth = 0, carry = 0;

	while (off < len) {
		const unsigned char *b = (const unsigned char *)p + off;
		struct masks m;

		if (len - off < 64) {	/* pad the last block with blanks */
			memset(tail, ' ', sizeof tail);
			memcpy(tail, b, len - off);
			b = tail;
		}
		masks(b, &m);
		uint64_t esc = m.bslash || carry ? escaped_bits(m.bslash, &carry) : 0;
		uint64_t ins = prefix_xor(m.quote & ~esc) ^ in_str;
		in_str = (uint64_t)0 - (ins >> 63);
		if (m.bslash & ~ins)
			return *why = "backslash outside a string", NULL;
		if (m.ctl & ins)
			return *why = "control character in a string", NULL;
		uint64_t o = m.open & ~ins, c = m.close & ~ins;
		int no = o ? popcount64(o) : 0, nc = c ? popcount64(c) : 0;
		if (depth + no <= maxdepth && depth - nc > 0) {
			depth += no - nc;
			off += 64;
			continue;
		}
		for (uint64_t s = o | c; s; s &= s - 1) {
			int i = __builtin_ctzll(s);
			if (o & ((uint64_t)1 << i)) {
				if (++depth > maxdepth)
					return *why = "nesting too deep", NULL;
			} else if (--depth == 0) {
				return p + off + (size_t)i + 1;
			}
		}
		off += 64;
	}
	return *why = "unterminated value", NULL;
}

const char *
json_scan_skip_container_portable(const char *p, const char *end, int maxdepth,
                              const char **why)
{
	return skip_blocks(p, end, maxdepth, why, masks_portable);
}

const char *
json_scan_skip_container(const char *p, const char *end, int maxdepth, const char **why)
{
#ifdef __SSE2__
	return skip_blocks(p, end, maxdepth, why, masks_sse2);
#else
	return skip_blocks(p, end, maxdepth, why, masks_portable);
#endif
}

/* --- the cursor --- */

static int
fail(struct json_scan *s, const char *why, const char *at)
{
	if (!s->err) {
		s->err = why;
		s->errpos = (size_t)(at - s->start);
	}
	s->p = s->end;
	return -1;
}

void
json_scan_init(struct json_scan *s, const char *buf, size_t len)
{
	s->p = s->start = buf;
	s->end = buf + len;
	s->err = NULL;
	s->errpos = 0;
	s->depth = 0;
}

/* Compact JSON has no blanks: answer at once when the byte is not one. */
static inline int
peek(struct json_scan *s)
{
	const char *p = s->p;

	if (p < s->end && (unsigned char)*p > ' ')
		return (unsigned char)*p;
	while (p < s->end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	s->p = p;
	return p < s->end ? (unsigned char)*p : -1;
}

int
json_scan_peek(struct json_scan *s)
{
	return peek(s);
}

static int
hex4(const char *p)
{
	for (int i = 0; i < 4; i++) {
		unsigned char c = (unsigned char)p[i];
		if (!((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')))
			return 0;
	}
	return 1;
}

/* Bytes that end the plain run of a string: '"', '\\' and controls. */
static inline int
str_special(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

/* p just after the opening quote; returns the byte after the closing one. */
static const char *
string_end(const char *p, const char *end, const char **why)
{
	while (p < end) {
		while (end - p >= 4 && !str_special((unsigned char)p[0]) &&
		       !str_special((unsigned char)p[1]) && !str_special((unsigned char)p[2]) &&
		       !str_special((unsigned char)p[3]))
			p += 4;
		while (p < end && !str_special((unsigned char)*p))
			p++;
		if (p == end)
			break;
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c == '\\') {
			if (end - p < 2 || !strchr("\"\\/bfnrtu", p[1]) || !p[1])
				return *why = "bad escape in a string", NULL;
			if (p[1] == 'u' && (end - p < 6 || !hex4(p + 2)))
				return *why = "bad \\u escape in a string", NULL;
			if (p[1] == 'u' && !memcmp(p + 2, "0000", 4))
				return *why = "NUL (\\u0000) in a string", NULL;   /* as json_parse */
			p += p[1] == 'u' ? 6 : 2;
			continue;
		}
		if (c < 0x20)
			return *why = "control character in a string", NULL;
		p++;
	}
	return *why = "unterminated string", NULL;
}

static const char *
digits(const char *p, const char *end)
{
	const char *q = p;
	while (q < end && *q >= '0' && *q <= '9')
		q++;
	return q;
}

/* JSON number grammar, and num_json_ok's bounds as json_parse has them;
 * *integral says no fraction and no exponent. */
static const char *
number_end(const char *p, const char *end, int *integral)
{
	const char *q, *start = p;

	*integral = 1;
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if ((q = digits(p, end)) > p)
		p = q;
	else
		return NULL;
	if (p < end && *p == '.') {
		*integral = 0;
		if ((q = digits(p + 1, end)) == p + 1)
			return NULL;
		p = q;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		*integral = 0;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if ((q = digits(p, end)) == p)
			return NULL;
		p = q;
	}
	return num_json_ok(start, (size_t)(p - start)) ? p : NULL;
}

static const char *
literal_end(const char *p, const char *end)
{
	static const char *const lit[] = { "true", "false", "null" };

	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(lit[i]);
		if ((size_t)(end - p) >= n && memcmp(p, lit[i], n) == 0)
			return p + n;
	}
	return NULL;
}

int
json_scan_skip(struct json_scan *s)
{
	const char *why = NULL, *e;
	int c = peek(s), integral;

	if (c == '"')
		e = string_end(s->p + 1, s->end, &why);
	else if (c == '{' || c == '[')
		e = json_scan_skip_container(s->p, s->end, JSON_SCAN_MAX_DEPTH - s->depth, &why);
	else if (c == '-' || (c >= '0' && c <= '9'))
		e = number_end(s->p, s->end, &integral), why = "bad number";
	else if (c == 't' || c == 'f' || c == 'n')
		e = literal_end(s->p, s->end), why = "bad literal";
	else
		e = NULL, why = c < 0 ? "value missing" : "unexpected character";
	if (!e)
		return fail(s, why, s->p);
	s->p = e;
	return 0;
}

static int
enter(struct json_scan *s, int open)
{
	if (peek(s) != open)
		return 0;
	if (s->depth >= JSON_SCAN_MAX_DEPTH)
		return fail(s, "nesting too deep", s->p);
	s->p++;
	s->depth++;
	return 1;
}

int json_scan_object(struct json_scan *s) { return enter(s, '{'); }
int json_scan_array(struct json_scan *s) { return enter(s, '['); }

/* Before the next member/element: 1 go on, 0 closed, -1 error. */
static int
next_item(struct json_scan *s, int *n, int close)
{
	int c = peek(s);

	if (c == close) {
		s->p++;
		s->depth--;
		return 0;
	}
	if (*n > 0) {
		if (c != ',')
			return fail(s, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'", s->p);
		s->p++;
		c = peek(s);
	}
	if (c < 0)
		return fail(s, "unterminated value", s->p);
	(*n)++;
	return 1;
}

/* A key with escapes, decoded the way cJSON decodes it (so that
 * "killmail\u005fid" is killmail_id to both readers; string_end has
 * refused \u0000, which would end cJSON's C string).  Only ASCII matters: every key
 * wn reads is ASCII, so a key with any other escaped character, or too
 * long for the buffer, is left raw and matches nothing. */
static void
decode_key(struct json_scan *s, const char **key, size_t *klen)
{
	const char *k = *key, *end = k + *klen;
	size_t o = 0;

	while (k < end && o + 1 < sizeof s->key) {
		char c = *k++;
		if (c == '\\') {
			c = *k++;
			if (c == 'u') {
				unsigned v = (unsigned)strtoul((char[5]){ k[0], k[1], k[2], k[3], 0 }, NULL, 16);
				k += 4;
				if (v == 0)
					break;
				if (v >= 0x80)
					return;
				c = (char)v;
			} else {
				c = c == 'b' ? '\b' : c == 'f' ? '\f' : c == 'n' ? '\n' :
				    c == 'r' ? '\r' : c == 't' ? '\t' : c;
			}
		}
		s->key[o++] = c;
	}
	if (k < end && o + 1 >= sizeof s->key)
		return;
	*key = s->key;
	*klen = o;
}

int
json_scan_member(struct json_scan *s, int *n, const char **key, size_t *klen)
{
	const char *why = NULL, *e;
	int r = next_item(s, n, '}');

	if (r <= 0)
		return r;
	if (*s->p != '"')
		return fail(s, "expected a key", s->p);
	if (!(e = string_end(s->p + 1, s->end, &why)))
		return fail(s, why, s->p);
	*key = s->p + 1;
	*klen = (size_t)(e - s->p - 2);
	if (memchr(*key, '\\', *klen))
		decode_key(s, key, klen);
	s->p = e;
	if (peek(s) != ':')
		return fail(s, "expected ':'", s->p);
	s->p++;
	peek(s);
	return 1;
}

int
json_scan_element(struct json_scan *s, int *n)
{
	return next_item(s, n, ']');
}

/* Bounded copy + strtod; 0 unless the whole text is a number. */
static int
parse_double(const char *p, size_t len, double *v)
{
	char buf[64], *e;

	if (len == 0 || len >= sizeof buf)
		return 0;
	memcpy(buf, p, len);
	buf[len] = '\0';
	*v = strtod(buf, &e);
	return *e == '\0' && buf[0] != ' ';
}

int
json_scan_str(struct json_scan *s, const char **v, size_t *len)
{
	const char *why = NULL, *e;

	if (peek(s) != '"')
		return json_scan_skip(s) < 0 ? -1 : 0;
	if (!(e = string_end(s->p + 1, s->end, &why)))
		return fail(s, why, s->p);
	*v = s->p + 1;
	*len = (size_t)(e - s->p - 2);
	s->p = e;
	return 1;
}

int
json_scan_int(struct json_scan *s, int64_t *v)
{
	int c = peek(s), integral;
	const char *b = s->p, *e;
	double d;

	if (c == '"') {
		size_t len;
		if (json_scan_str(s, &b, &len) < 0)
			return -1;
		return num_i64_of_text(b, len, v);
	}
	if (c != '-' && !(c >= '0' && c <= '9'))
		return json_scan_skip(s) < 0 ? -1 : 0;
	if (!(e = number_end(b, s->end, &integral)))
		return fail(s, "bad number", b);
	s->p = e;
	/* The same rule as json_int64() over cJSON: an integer a double holds
	 * exactly (3.1e7 is one), so both readers agree on every record. */
	(void)integral;
	return parse_double(b, (size_t)(e - b), &d) && num_i64_of_double(d, v);
}

int
json_scan_num(struct json_scan *s, double *v)
{
	int c = peek(s), integral;
	const char *b = s->p, *e;
	size_t len;

	if (c == '"') {
		if (json_scan_str(s, &b, &len) < 0)
			return -1;
		return parse_double(b, len, v);
	}
	if (c != '-' && !(c >= '0' && c <= '9'))
		return json_scan_skip(s) < 0 ? -1 : 0;
	if (!(e = number_end(b, s->end, &integral)))
		return fail(s, "bad number", b);
	s->p = e;
	return parse_double(b, (size_t)(e - b), v);
}

int
json_scan_bool(struct json_scan *s, int *v)
{
	int c = peek(s);

	if (c == 't' || c == 'f') {
		const char *e = literal_end(s->p, s->end);
		if (!e || *s->p == 'n')
			return fail(s, "bad literal", s->p);
		*v = c == 't';
		s->p = e;
		return 1;
	}
	return json_scan_skip(s) < 0 ? -1 : 0;
}

int
json_scan_end(struct json_scan *s)
{
	if (s->err)
		return -1;
	return peek(s) < 0 ? 0 : fail(s, "trailing garbage", s->p);
}

