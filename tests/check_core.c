/* check_core.c — idset, utf8 and jsonutil: the small pure helpers. */
#include <check.h>
#include <string.h>

#include "idset.h"
#include "jsonutil.h"
#include "utf8.h"
#include "check_main.h"

START_TEST(idset_parse_sort_dedupe)
{
	struct idset s;
	char buf[64];

	idset_init(&s);
	ck_assert_int_eq(idset_parse(&s, "31002229, 31001503,31002229"), 0);
	ck_assert_uint_eq(s.n, 2);
	ck_assert(idset_has(&s, 31001503));
	ck_assert(idset_has(&s, 31002229));
	ck_assert(!idset_has(&s, 30000142));
	ck_assert_int_eq(idset_format(&s, buf, sizeof buf), 17);
	ck_assert_str_eq(buf, "31001503,31002229");
	ck_assert_int_eq(idset_format(&s, buf, 5), -1);
	idset_free(&s);
}
END_TEST

START_TEST(idset_rejects_garbage)
{
	struct idset s;

	idset_init(&s);
	ck_assert_int_eq(idset_parse(&s, "1,abc"), -1);
	ck_assert_int_eq(idset_parse(&s, "12x"), -1);
	ck_assert_int_eq(idset_parse(&s, "-5"), -1);
	idset_free(&s);
}
END_TEST

START_TEST(idset_large)
{
	struct idset s;

	idset_init(&s);
	for (int64_t i = 5000; i > 0; i--)
		ck_assert_int_eq(idset_add(&s, i * 3), 0);
	idset_finish(&s);
	ck_assert_uint_eq(s.n, 5000);
	for (int64_t i = 1; i <= 15000; i++)
		ck_assert_int_eq(idset_has(&s, i), i % 3 == 0);
	idset_free(&s);
}
END_TEST

START_TEST(utf8_validation)
{
	ck_assert(utf8_valid("plain", 5));
	ck_assert(utf8_valid("J\xc3\xa9r\xc3\xb4me \xe2\x9a\x94\xef\xb8\x8f \xf0\x9f\x9a\x80", 20));
	ck_assert(!utf8_valid("\xc3", 1));             /* truncated */
	ck_assert(!utf8_valid("\xc0\xaf", 2));         /* overlong */
	ck_assert(!utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	ck_assert(!utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	ck_assert(!utf8_valid("\xff", 1));
}
END_TEST

START_TEST(utf8_cutting)
{
	const char *s = "a\xc3\xa9\xe2\x9a\x94z";   /* a é ⚔ z */
	size_t len = strlen(s);

	ck_assert_uint_eq(utf8_chars(s, len), 4);
	ck_assert_uint_eq(utf8_prefix(s, len, 0), 0);
	ck_assert_uint_eq(utf8_prefix(s, len, 1), 1);
	ck_assert_uint_eq(utf8_prefix(s, len, 2), 3);
	ck_assert_uint_eq(utf8_prefix(s, len, 3), 6);
	ck_assert_uint_eq(utf8_prefix(s, len, 4), 7);
	ck_assert_uint_eq(utf8_prefix(s, len, 99), 7);
}
END_TEST

START_TEST(json_parse_errors)
{
	char err[128], deep[300];
	cJSON *j;

	ck_assert_ptr_null(json_parse("{\"a\":", 5, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "malformed JSON"));
	ck_assert_ptr_null(json_parse("{} x", 4, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "trailing"));
	ck_assert_ptr_null(json_parse("{\"a\":\"\xff\"}", 9, err, sizeof err));
	ck_assert_str_eq(err, "invalid UTF-8");
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	ck_assert_ptr_null(json_parse(deep, 200, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "nesting"));
	/* brackets inside strings do not count as nesting */
	memset(deep, '[', 100);
	char str[210] = "\"";
	memcpy(str + 1, deep, 100);
	strcpy(str + 101, "\"");
	j = json_parse(str, strlen(str), err, sizeof err);
	ck_assert_ptr_nonnull(j);
	cJSON_Delete(j);
}
END_TEST

START_TEST(json_ids_from_numbers_and_strings)
{
	char err[64];
	const char *in = "{\"a\":31001503,\"b\":\"2123456789\",\"c\":\"x1\",\"d\":1.5,\"e\":null}";
	cJSON *j = json_parse(in, strlen(in), err, sizeof err);
	int64_t v;

	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(json_id(j, "a"), 31001503);
	ck_assert_int_eq(json_id(j, "b"), 2123456789);
	ck_assert_int_eq(json_id(j, "c"), 0);
	ck_assert_int_eq(json_int64(cJSON_GetObjectItem(j, "d"), &v), 0);
	ck_assert_int_eq(json_id(j, "e"), 0);
	ck_assert_int_eq(json_id(j, "missing"), 0);
	json_set_id(j, "a", 42);
	json_set_str(j, "s", "x");
	char *out = json_print(j);
	ck_assert_str_eq(out, "{\"a\":42,\"b\":\"2123456789\",\"c\":\"x1\",\"d\":1.5,\"e\":null,\"s\":\"x\"}");
	cJSON_free(out);
	cJSON_Delete(j);
}
END_TEST

CHECK_MAIN("core", idset_parse_sort_dedupe, idset_rejects_garbage, idset_large,
           utf8_validation, utf8_cutting, json_parse_errors,
           json_ids_from_numbers_and_strings)
