/* check_json.c — json_parse's errors, and ids read from numbers and
 * strings alike. */
#include <check.h>
#include <string.h>

#include "json.h"
#include "check_main.h"

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

CHECK_MAIN("json", json_parse_errors, json_ids_from_numbers_and_strings)
