/* check_buf.c — the growable buffer: appends keep a NUL after the
 * bytes, the limit refuses an append whole, take and clear reset it. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check_main.h"

START_TEST(appends_and_terminates)
{
	struct buf b = { 0 };
	char big[5000];

	ck_assert_int_eq(buf_put(&b, "", 0), 0);	/* an empty append makes p */
	ck_assert_ptr_nonnull(b.p);
	ck_assert_str_eq(b.p, "");
	ck_assert_int_eq(buf_puts(&b, "abc"), 0);
	ck_assert_int_eq(buf_put(&b, "d\0e", 3), 0);	/* bytes, NULs included */
	ck_assert_uint_eq(b.len, 6);
	ck_assert_int_eq(memcmp(b.p, "abcd\0e", 7), 0);	/* and one NUL after */
	memset(big, 'x', sizeof big);
	ck_assert_int_eq(buf_put(&b, big, sizeof big), 0);
	ck_assert_uint_eq(b.len, 5006);
	ck_assert(b.cap > b.len);
	ck_assert_int_eq(b.p[b.len], '\0');
	buf_clear(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.p, "");
	ck_assert_int_eq(buf_puts(&b, NULL), 0);
	buf_free(&b);
	ck_assert_ptr_null(b.p);
}
END_TEST

START_TEST(limit_refuses_whole)
{
	struct buf b = { .max = 8 };

	ck_assert_int_eq(buf_puts(&b, "12345"), 0);
	ck_assert_int_eq(buf_puts(&b, "6789"), -1);	/* would be 9 */
	ck_assert_uint_eq(b.len, 5);
	ck_assert_str_eq(b.p, "12345");
	ck_assert_int_eq(buf_puts(&b, "678"), 0);	/* exactly 8 */
	ck_assert_str_eq(b.p, "12345678");
	ck_assert_int_eq(buf_put(&b, "9", 1), -1);
	ck_assert_int_eq(buf_reserve(&b, (size_t)-1), -1);	/* no overflow */
	buf_free(&b);
	struct buf u = { 0 };
	ck_assert_int_eq(buf_reserve(&u, (size_t)-1 - 2), -1);
	buf_free(&u);
}
END_TEST

START_TEST(take_resets)
{
	struct buf b = { .max = 100 };
	char *s;

	s = buf_take(&b);
	ck_assert_str_eq(s, "");
	free(s);
	ck_assert_int_eq(buf_puts(&b, "hello"), 0);
	s = buf_take(&b);
	ck_assert_str_eq(s, "hello");
	free(s);
	ck_assert_ptr_null(b.p);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.max, 100);
	buf_free(&b);
}
END_TEST

CHECK_MAIN("buf", appends_and_terminates, limit_refuses_whole, take_resets)
