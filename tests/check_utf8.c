/* check_utf8.c — UTF-8 validation, and cutting text at a character
 * boundary. */
#include <check.h>
#include <string.h>

#include "utf8.h"
#include "check_main.h"

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

CHECK_MAIN("utf8", utf8_validation, utf8_cutting)
