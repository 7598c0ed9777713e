/* check_seen.c — the bounded seen-set: what it remembers, what it drops,
 * at the default size (wn-filter) and at a small one (wn-kills). */
#include <check.h>
#include <stdint.h>

#include "seen.h"
#include "check_main.h"

START_TEST(seen_is_bounded)
{
	struct seen s = { 0 };
	uint64_t total = SEEN_SLOTS + 10;

	for (uint64_t k = 1; k <= total; k++)
		ck_assert_int_eq(seen_check_set(&s, k * 7919), 0);
	/* two generation turns: the first keys are gone, the last kept */
	ck_assert_int_eq(seen_check_set(&s, 1 * 7919), 0);
	ck_assert_int_eq(seen_check_set(&s, total * 7919), 1);
	ck_assert_int_eq(seen_check_set(&s, (total - SEEN_SLOTS / 4) * 7919), 1);
	seen_forget(&s, total * 7919);
	ck_assert_int_eq(seen_check_set(&s, total * 7919), 0);
	ck_assert_int_eq(seen_check_set(&s, 0), 0);   /* reserved values work */
	ck_assert_int_eq(seen_check_set(&s, 0), 1);
	ck_assert_int_eq(seen_check_set(&s, 1), 0);
	ck_assert_int_eq(seen_check_set(&s, 1), 1);
	seen_free(&s);
}
END_TEST

/* wn-kills' size: the latest slots/2 ids are always remembered, ids far
 * back are forgotten, and forget/free leave the size in place. */
START_TEST(small_set_keeps_the_latest_half)
{
	struct seen s = { .slots = 64 };

	for (uint64_t id = 1000; id < 1100; id++)
		ck_assert_int_eq(seen_check_set(&s, seen_mix(id)), 0);
	for (uint64_t id = 1100 - 32; id < 1100; id++)
		ck_assert_int_eq(seen_check_set(&s, seen_mix(id)), 1);
	ck_assert_int_eq(seen_check_set(&s, seen_mix(1000)), 0);   /* long gone */
	seen_free(&s);
	ck_assert_uint_eq(s.slots, 64);
	ck_assert_int_eq(seen_check_set(&s, seen_mix(1099)), 0);   /* fresh after free */
	seen_free(&s);
}
END_TEST

START_TEST(mix_spreads_neighbours)
{
	/* sequential killmail ids must not land in one probe run */
	ck_assert_uint_ne(seen_mix(1) & 63, seen_mix(2) & 63);
	ck_assert_uint_ne(seen_mix(7), 7);
	ck_assert_uint_eq(seen_mix(42), seen_mix(42));
}
END_TEST

CHECK_MAIN("seen", seen_is_bounded, small_set_keeps_the_latest_half, mix_spreads_neighbours)
