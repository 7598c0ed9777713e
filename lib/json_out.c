/* json_out.c — compact JSON out of a cJSON tree, byte for byte what
 * cJSON 1.7 prints: whole numbers as integers, others with 15
 * significant digits when that reads back the same, else 17; strings
 * with only '"', '\\' and control characters escaped. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"

static int
put(struct buf *b, const char *s, size_t n)
{
	return buf_put(b, s, n);
}

static int
number(struct buf *b, double d)
{
	char buf[32], *e = buf + sizeof buf;
	int n;

	if (isnan(d) || isinf(d))
		return put(b, "null", 4);
	if (d == floor(d) && fabs(d) < 1e15 && !(d == 0 && signbit(d))) {
		/* %1.15g would print it whole too */
		uint64_t u = (uint64_t)fabs(d);
		do
			*--e = (char)('0' + u % 10);
		while ((u /= 10) > 0);
		if (d < 0)
			*--e = '-';
		return put(b, e, (size_t)(buf + sizeof buf - e));
	}
	n = snprintf(buf, sizeof buf, "%1.15g", d);
	/* cJSON's test for "reads back the same": within an epsilon */
	double t = strtod(buf, NULL), m = fabs(t) > fabs(d) ? fabs(t) : fabs(d);
	if (!(fabs(t - d) <= m * DBL_EPSILON))
		n = snprintf(buf, sizeof buf, "%1.17g", d);
	return put(b, buf, (size_t)n);
}

static int
string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	if (put(b, "\"", 1) < 0)
		return -1;
	for (;;) {
		const unsigned char *q = p;
		while (*q >= 32 && *q != '"' && *q != '\\')
			q++;
		if (put(b, (const char *)p, (size_t)(q - p)) < 0)
			return -1;
		if (!*q)
			break;
		char esc[6] = { '\\', 0 };
		size_t n = 2;
		switch (*q) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[*q >> 4];
			esc[5] = hex[*q & 15];
			n = 6;
		}
		if (put(b, esc, n) < 0)
			return -1;
		p = q + 1;
	}
	return put(b, "\"", 1);
}

static int
value(const cJSON *it, struct buf *b)
{
	const cJSON *c;
	int obj;

	switch (it->type & 0xff) {
	case cJSON_NULL: return put(b, "null", 4);
	case cJSON_False: return put(b, "false", 5);
	case cJSON_True: return put(b, "true", 4);
	case cJSON_Number: return number(b, it->valuedouble);
	case cJSON_String: return string(b, it->valuestring);
	case cJSON_Raw: return it->valuestring ? put(b, it->valuestring, strlen(it->valuestring)) : -1;
	case cJSON_Array: case cJSON_Object: break;
	default: return -1;
	}
	obj = (it->type & 0xff) == cJSON_Object;
	if (put(b, obj ? "{" : "[", 1) < 0)
		return -1;
	for (c = it->child; c; c = c->next) {
		if (c != it->child && put(b, ",", 1) < 0)
			return -1;
		if (obj && (string(b, c->string) < 0 || put(b, ":", 1) < 0))
			return -1;
		if (value(c, b) < 0)
			return -1;
	}
	return put(b, obj ? "}" : "]", 1);
}

int
json_out(const cJSON *item, struct buf *b)
{
	buf_clear(b);
	if (!item || value(item, b) < 0 || buf_reserve(b, 0) < 0)
		return -1;
	b->p[b->len] = '\0';
	return 0;
}
