/* check_fnv.c — FNV-1a against the published test vectors (the Discord
 * nonce is derived from it and must not change between versions). */
#include <check.h>
#include <string.h>

#include "fnv.h"
#include "check_main.h"

START_TEST(vectors64)
{
	ck_assert_uint_eq(fnv_hash64(""), 0xcbf29ce484222325ull);
	ck_assert_uint_eq(fnv_hash64("a"), 0xaf63dc4c8601ec8cull);
	ck_assert_uint_eq(fnv_hash64("foobar"), 0x85944171f73967e8ull);
	ck_assert_uint_eq(fnv_hash64_mem("foobar", 6), 0x85944171f73967e8ull);
	ck_assert_uint_eq(fnv_hash64_mem("a\0b", 3), fnv_hash64_mem("a\0b", 3));
	ck_assert_uint_ne(fnv_hash64_mem("a\0b", 3), fnv_hash64("a"));
}
END_TEST

START_TEST(vectors32)
{
	ck_assert_uint_eq(fnv_hash32(""), 0x811c9dc5u);
	ck_assert_uint_eq(fnv_hash32("a"), 0xe40c292cu);
	ck_assert_uint_eq(fnv_hash32("foobar"), 0xbf9cf968u);
}
END_TEST

START_TEST(mix_spreads_low_bits)
{
	/* murmur3's finaliser: a bit set high up reaches the low bits */
	ck_assert_uint_eq(fnv_mix(1), 0xff51afd792fd5b26ull);
	ck_assert_uint_eq(fnv_mix(1ull << 40), 0xfe64b8f6d5f43afbull);
	ck_assert_uint_ne(fnv_mix(1ull << 40) & 1023, 0);
	ck_assert_uint_eq(fnv_mix(0), 0);
}
END_TEST

CHECK_MAIN("fnv", vectors64, vectors32, mix_spreads_low_bits)
