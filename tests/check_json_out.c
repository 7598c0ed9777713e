/* check_json_out.c — json_out writes exactly what cJSON_PrintUnformatted
 * writes: on every killmail fixture, on awkward numbers and strings. */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "state.h"
#include "check_main.h"

static void
same_as_cjson(const cJSON *item)
{
	struct buf b = { 0 };
	char *want = cJSON_PrintUnformatted(item);

	ck_assert_int_eq(json_out(item, &b), 0);
	ck_assert_str_eq(b.p, want);
	ck_assert_uint_eq(b.len, strlen(want));
	free(want);
	buf_free(&b);
}

START_TEST(fixtures_print_the_same)
{
	const char *dir = getenv("WN_FIXTURES");
	char path[4096];
	struct dirent *e;
	DIR *d;
	int n = 0;

	ck_assert_ptr_nonnull(dir);
	snprintf(path, sizeof path, "%s/kills", dir);
	ck_assert_ptr_nonnull(d = opendir(path));
	while ((e = readdir(d))) {
		size_t len;
		char *text;
		cJSON *j;
		if (!strstr(e->d_name, ".json"))
			continue;
		snprintf(path, sizeof path, "%s/kills/%s", dir, e->d_name);
		ck_assert_ptr_nonnull(text = state_read_file(path, 1 << 24, &len));
		if ((j = cJSON_Parse(text))) {
			same_as_cjson(j);
			n++;
		}
		cJSON_Delete(j);
		free(text);
	}
	closedir(d);
	ck_assert_int_ge(n, 5);
}
END_TEST

START_TEST(numbers_print_the_same)
{
	static const double v[] = {
		0, -0.0, 1, -1, 0.1, -0.3, 1e15, 1e15 - 1, -1e15 + 1, 1e16, 123456789012345678.0,
		2147483647, 2147483648.0, -2147483649.0, 2129999999, 31001503, 1e300, -1e-300,
		760861375346.2693, -36178706928.24252, 0.8462923765182495, 3.14159, 1.0 / 3,
		4.9, 1e-7, 5e-324, 9007199254740993.0, NAN, INFINITY, -INFINITY,
	};
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber(v[i]));
	srand(7);
	for (int i = 0; i < 2000; i++) {
		double r = (rand() - RAND_MAX / 2.0) * pow(10, rand() % 30 - 15);
		cJSON_AddItemToArray(a, cJSON_CreateNumber(i % 2 ? r : floor(r)));
	}
	same_as_cjson(a);
	cJSON_Delete(a);
}
END_TEST

START_TEST(strings_and_shapes_print_the_same)
{
	cJSON *o = cJSON_Parse("{\"a\":\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u0001\\u001f é ☃ \\ud83d\\ude00\","
	    "\"\\u0000k\":[],\"e\":{},\"t\":true,\"f\":false,\"n\":null,"
	    "\"nest\":[[1,[2,{\"x\":[]}]],\"\"]}");
	struct buf b = { 0 };

	ck_assert_ptr_nonnull(o);
	same_as_cjson(o);
	cJSON_AddItemToObject(o, "raw", cJSON_CreateRaw("{\"r\":1}"));
	same_as_cjson(o);
	/* the buffer is reused, not appended to */
	ck_assert_int_eq(json_out(o, &b), 0);
	size_t first = b.len;
	ck_assert_int_eq(json_out(o, &b), 0);
	ck_assert_uint_eq(b.len, first);
	ck_assert_int_eq(json_out(NULL, &b), -1);
	buf_free(&b);
	cJSON_Delete(o);
}
END_TEST

CHECK_MAIN("json_out", fixtures_print_the_same, numbers_print_the_same,
           strings_and_shapes_print_the_same)
