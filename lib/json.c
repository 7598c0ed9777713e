/* json.c — cJSON helpers: bounded parsing and id-tolerant getters. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "json.h"
#include "numconv.h"
#include "utf8.h"

/* What cJSON lets through but JSON (RFC 8259) and the fast scanner do
 * not: nesting deeper than JSON_MAX_DEPTH (cJSON's own limit is 1000, far
 * more than any record needs and enough to make deep input expensive)
 * raw control characters inside strings, numbers outside the JSON
 * grammar (leading zeros, "1.", "-.5"), and numbers longer than 63 bytes
 * or beyond a double (1e999, which cJSON reads as inf and prints as
 * null).  Beyond RFC 8259, \u0000 too: cJSON's strings are C strings, so
 * the NUL would cut the text short.  Refusing them here keeps json_parse
 * and jsonscan agreeing on which lines are JSON. */
/* One JSON number at s[*i] (RFC 8259 grammar); *i left on its last byte.
 * cJSON hands the text to strtod and so takes 012, 1. and -.5 as well. */
static int
number_ok(const char *s, size_t len, size_t *i)
{
	size_t p = *i;
#define DIGIT(k) ((k) < len && s[k] >= '0' && s[k] <= '9')

	if (p < len && s[p] == '-')
		p++;
	if (!DIGIT(p))
		return 0;
	if (s[p] == '0')
		p++;
	else
		while (DIGIT(p))
			p++;
	if (p < len && s[p] == '.') {
		if (!DIGIT(p + 1))
			return 0;
		for (p++; DIGIT(p); p++)
			;
	}
	if (p < len && (s[p] == 'e' || s[p] == 'E')) {
		p++;
		if (p < len && (s[p] == '+' || s[p] == '-'))
			p++;
		if (!DIGIT(p))
			return 0;
		while (DIGIT(p))
			p++;
	}
	if (p < len && strchr("0123456789.eE+-", s[p]) && s[p])
		return 0;
#undef DIGIT
	if (!num_json_ok(s + *i, p - *i))
		return 0;                      /* too long, or beyond a double */
	*i = p - 1;
	return 1;
}

static const char *
not_strict(const char *s, size_t len, size_t *at)
{
	int depth = 0, in_str = 0;

	for (size_t i = 0; i < len; i++) {
		*at = i;
		unsigned char c = (unsigned char)s[i];
		if (in_str) {
			if (c == '\\') {
				/* cJSON reads a bad \u escape as \u0000 */
				if (i + 1 >= len || !strchr("\"\\/bfnrtu", s[i + 1]) || !s[i + 1])
					return "bad escape in a string";
				if (s[i + 1] == 'u') {
					for (size_t k = i + 2; k < i + 6; k++)
						if (k >= len || !isxdigit((unsigned char)s[k]))
							return "bad \\u escape in a string";
					/* a NUL ends cJSON's C string: "Nul\u0000Name"
					 * would read as "Nul" here and whole in the
					 * scanner, so neither takes it (as a raw NUL) */
					if (!memcmp(s + i + 2, "0000", 4))
						return "NUL (\\u0000) in a string";
					i += 4;
				}
				i++;
			} else if (c == '"')
				in_str = 0;
			else if (c < 0x20)
				return "control character in a string";
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > JSON_MAX_DEPTH)
				return "nesting too deep";
		} else if (c == '}' || c == ']') {
			depth--;
		} else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			return "control character";      /* cJSON skips them as blanks */
		} else if ((c == '-' || (c >= '0' && c <= '9')) && !number_ok(s, len, &i)) {
			return "bad number";
		}
	}
	return NULL;
}

/* --- duplicate keys: the first occurrence wins --- */

struct keyref { const char *k; size_t i; cJSON *it; };

static int
by_key_then_index(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	int c = strcmp(x->k, y->k);

	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* Drop the later members of obj that repeat an earlier key.  Small
 * objects are compared pair by pair; large ones sorted, so a hostile
 * object of many keys costs n log n, not n^2.  -1 out of memory. */
static int
dedup_object(cJSON *obj)
{
	size_t n = 0, i = 0;
	cJSON *it, *next;

	for (it = obj->child; it; it = it->next)
		n++;
	if (n < 2)
		return 0;
	if (n <= 16) {
		for (it = obj->child; it; it = next) {
			next = it->next;
			for (cJSON *e = obj->child; e != it; e = e->next)
				if (e->string && it->string && strcmp(e->string, it->string) == 0) {
					cJSON_Delete(cJSON_DetachItemViaPointer(obj, it));
					break;
				}
		}
		return 0;
	}
	struct keyref *r = malloc(n * sizeof *r);
	if (!r)
		return -1;
	for (it = obj->child; it; it = it->next, i++)
		r[i] = (struct keyref){ it->string ? it->string : "", i, it };
	qsort(r, n, sizeof *r, by_key_then_index);
	/* equal keys sit together, the first in input order leading (and
	 * kept, so its key stays valid to compare the repeats with) */
	for (size_t lead = 0, j = 1; j < n; j++)
		if (strcmp(r[j].k, r[lead].k) == 0)
			cJSON_Delete(cJSON_DetachItemViaPointer(obj, r[j].it));
		else
			lead = j;
	free(r);
	return 0;
}

int
json_drop_duplicates(cJSON *item)
{
	/* recursion depth is bounded: json_parse refuses deep input */
	if (cJSON_IsObject(item) && dedup_object(item) < 0)
		return -1;
	for (cJSON *c = item ? item->child : NULL; c; c = c->next)
		if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && json_drop_duplicates(c) < 0)
			return -1;
	return 0;
}

cJSON *
json_parse(const char *buf, size_t len, char *err, size_t errlen)
{
	const char *end = NULL, *why;
	size_t at = 0;
	cJSON *j;

	const char *nul = memchr(buf, '\0', len);

	/* a raw NUL is never valid JSON, and cJSON would cut the string there
	 * ("Nul\0Name" read as "Nul"): refused, as wn-filter's scanner does */
	if (nul) {
		snprintf(err, errlen, "NUL byte at byte %zu", (size_t)(nul - buf));
		return NULL;
	}
	if (!utf8_valid(buf, len)) {
		snprintf(err, errlen, "invalid UTF-8");
		return NULL;
	}
	if ((why = not_strict(buf, len, &at)) != NULL) {
		if (strcmp(why, "nesting too deep") == 0)
			snprintf(err, errlen, "nesting deeper than %d", JSON_MAX_DEPTH);
		else
			snprintf(err, errlen, "malformed JSON at byte %zu: %s", at, why);
		return NULL;
	}
	j = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (!j) {
		at = end && end >= buf ? (size_t)(end - buf) : 0;
		snprintf(err, errlen, "malformed JSON at byte %zu", at);
		return NULL;
	}
	/* trailing garbage after the value (whitespace is fine) */
	while (end < buf + len && strchr(" \t\r\n", *end))
		end++;
	if (end != buf + len) {
		snprintf(err, errlen, "trailing data after JSON value at byte %zu",
		         (size_t)(end - buf));
		cJSON_Delete(j);
		return NULL;
	}
	if (json_drop_duplicates(j) < 0) {
		snprintf(err, errlen, "out of memory");
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

int
json_int64(const cJSON *item, int64_t *out)
{
	if (cJSON_IsNumber(item))
		return num_i64_of_double(item->valuedouble, out);
	if (cJSON_IsString(item))
		return num_i64_of_text(item->valuestring, strlen(item->valuestring), out);
	return 0;
}

int64_t
json_id(const cJSON *obj, const char *key)
{
	int64_t v;
	return json_int64(cJSON_GetObjectItemCaseSensitive(obj, key), &v) ? v : 0;
}

const char *
json_str(const cJSON *obj, const char *key)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(s) ? s->valuestring : NULL;
}

double
json_num(const cJSON *obj, const char *key, double def)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (cJSON_IsNumber(n))
		return n->valuedouble;
	if (cJSON_IsString(n) && n->valuestring[0]) {
		char *end;
		double d = strtod(n->valuestring, &end);
		if (!*end)
			return d;
	}
	return def;
}

int
json_bool(const cJSON *obj, const char *key, int def)
{
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsBool(b) ? cJSON_IsTrue(b) : def;
}

static cJSON *
json_replace(cJSON *obj, const char *key, cJSON *v)
{
	if (!v)
		return NULL;
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, v);
	else
		cJSON_AddItemToObject(obj, key, v);
	return v;
}

cJSON *
json_set_id(cJSON *obj, const char *key, int64_t v)
{
	return json_replace(obj, key, cJSON_CreateNumber((double)v));
}

cJSON *
json_set_str(cJSON *obj, const char *key, const char *v)
{
	return json_replace(obj, key, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

char *
json_print(const cJSON *item)
{
	struct buf b = { 0 };

	if (json_out(item, &b) < 0) {
		buf_free(&b);
		return NULL;
	}
	return b.p;
}

cJSON *
json_get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}
