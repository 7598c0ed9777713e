/* check_idset.c — the set algebra the tools use: union (tracked = map ∪
 * flags), minus (--remove-priority), copy and equality (did the map's
 * lists change?). */
#include <check.h>
#include <string.h>

#include "idset.h"
#include "check_main.h"

static void
set(struct idset *s, const char *csv)
{
	idset_init(s);
	ck_assert_int_eq(idset_parse(s, csv), 0);
}

static const char *
text(const struct idset *s)
{
	static char buf[256];

	ck_assert_int_ge(idset_format(s, buf, sizeof buf), 0);
	return buf;
}

START_TEST(union_minus_copy)
{
	struct idset a, b, d;

	set(&a, "5,1,3");
	set(&b, "3,4,9");
	idset_init(&d);
	ck_assert_int_eq(idset_union(&d, &a, &b), 0);
	ck_assert_str_eq(text(&d), "1,3,4,5,9");
	ck_assert(idset_has(&d, 9));
	ck_assert_int_eq(idset_union(&d, NULL, &b), 0);   /* NULL is empty */
	ck_assert_str_eq(text(&d), "3,4,9");
	ck_assert_int_eq(idset_minus(&d, &a, &b), 0);
	ck_assert_str_eq(text(&d), "1,5");
	ck_assert_int_eq(idset_minus(&d, &a, NULL), 0);
	ck_assert_str_eq(text(&d), "1,3,5");
	ck_assert_int_eq(idset_copy(&d, &b), 0);
	ck_assert_str_eq(text(&d), "3,4,9");
	ck_assert_int_eq(idset_union(&d, NULL, NULL), 0);
	ck_assert_uint_eq(d.n, 0);
	idset_free(&a);
	idset_free(&b);
	idset_free(&d);
}
END_TEST

START_TEST(equality)
{
	struct idset a, b, e1, e2;

	set(&a, "1,2,3");
	set(&b, "3,2,1,1");
	idset_init(&e1);
	idset_init(&e2);
	ck_assert(idset_equal(&a, &b));
	ck_assert(idset_equal(&e1, &e2));
	ck_assert(!idset_equal(&a, &e1));
	ck_assert_int_eq(idset_add(&b, 4), 0);
	idset_finish(&b);
	ck_assert(!idset_equal(&a, &b));
	ck_assert_int_eq(idset_minus(&e1, &b, &a), 0);
	ck_assert_str_eq(text(&e1), "4");
	ck_assert(!idset_equal(&e1, &e2));
	idset_free(&a);
	idset_free(&b);
	idset_free(&e1);
	idset_free(&e2);
}
END_TEST

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

CHECK_MAIN("idset", union_minus_copy, equality, idset_parse_sort_dedupe, idset_rejects_garbage,
           idset_large)
