/* check_enrich_batch.c — wn-enrich's window holds what it takes, in
 * order, with where each line came from, and is full by count or bytes. */
#include <check.h>
#include <string.h>

#include "enrich_batch.h"
#include "check_main.h"

START_TEST(takes_in_order_and_knows_when_full)
{
	struct enrich_batch b = { 0 };
	static char big[1 << 20];

	for (int i = 0; i < 100; i++) {
		char line[32];
		int n = snprintf(line, sizeof line, "{\"n\":%d}", i);
		ck_assert_int_eq(enrich_batch_add(&b, cJSON_Parse(line), line, (size_t)n, "in",
		                                  (unsigned long)i + 1), 0);
		ck_assert_int_eq(enrich_batch_full(&b, 100), i == 99);
	}
	ck_assert_uint_eq(b.n, 100);
	ck_assert_str_eq(b.items[42].line, "{\"n\":42}");
	ck_assert_int_eq(cJSON_GetObjectItem(b.items[42].rec, "n")->valueint, 42);
	ck_assert_str_eq(b.names[42], "in");
	ck_assert_uint_eq(b.linenos[42], 43);
	enrich_batch_free(&b);
	ck_assert_uint_eq(b.n, 0);
	/* bytes: 16 MiB of input fills it whatever the count */
	memset(big, ' ', sizeof big);
	for (int i = 0; i < 16; i++) {
		ck_assert_int_eq(enrich_batch_full(&b, 1000), 0);
		ck_assert_int_eq(enrich_batch_add(&b, NULL, big, sizeof big, "-", 1), 0);
	}
	ck_assert_int_eq(enrich_batch_full(&b, 1000), 1);
	enrich_batch_free(&b);
}
END_TEST

CHECK_MAIN("enrich_batch", takes_in_order_and_knows_when_full)
