/* jsonutil.c — cJSON helpers: bounded parsing and id-tolerant getters. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"
#include "utf8.h"

/* Nesting depth outside strings; cJSON's own limit is 1000, far more than
 * any record needs and enough to make deep input expensive. */
static int
too_deep(const char *s, size_t len)
{
	int depth = 0, in_str = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > JSON_MAX_DEPTH)
				return 1;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return 0;
}

cJSON *
json_parse(const char *buf, size_t len, char *err, size_t errlen)
{
	const char *end = NULL;
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
	if (too_deep(buf, len)) {
		snprintf(err, errlen, "nesting deeper than %d", JSON_MAX_DEPTH);
		return NULL;
	}
	j = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (!j) {
		size_t at = end && end >= buf ? (size_t)(end - buf) : 0;
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
	return j;
}

int
json_int64(const cJSON *item, int64_t *out)
{
	if (cJSON_IsNumber(item)) {
		double d = item->valuedouble;
		if (!isfinite(d) || d != floor(d) || fabs(d) > 9007199254740992.0)
			return 0;
		*out = (int64_t)d;
		return 1;
	}
	if (cJSON_IsString(item) && item->valuestring[0]) {
		char *end;
		errno = 0;
		long long v = strtoll(item->valuestring, &end, 10);
		if (*end || errno)
			return 0;
		*out = v;
		return 1;
	}
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
	return cJSON_PrintUnformatted(item);
}
