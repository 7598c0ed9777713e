/* check_kind.c — the kind and channel-class table: names both ways,
 * each kind's class, and agreement with filter, format and route. */
#include <check.h>
#include <string.h>

#include "filter.h"
#include "format.h"
#include "kind.h"
#include "route.h"
#include "check_main.h"

START_TEST(kinds_both_ways)
{
	static const char *const names[N_KIND_COUNT] = {
		"system_kill", "character_kill", "system", "character", "rally_point" };

	for (int k = 0; k < N_KIND_COUNT; k++) {
		ck_assert_str_eq(kind_name((enum notify_kind)k), names[k]);
		ck_assert_int_eq(kind_from_name(names[k]), k);
		ck_assert_str_eq(notify_kind_name((enum notify_kind)k), names[k]);
	}
	ck_assert_int_eq(kind_from_name("rally"), -1);	/* a class, not a kind */
	ck_assert_int_eq(kind_from_name(""), -1);
	ck_assert_int_eq(kind_from_name(NULL), -1);
	ck_assert_str_eq(kind_name(N_KIND_COUNT), "?");
}
END_TEST

START_TEST(classes)
{
	ck_assert_int_eq(kind_route(N_SYSTEM_KILL), ROUTE_SYSTEM_KILL);
	ck_assert_int_eq(kind_route(N_CHARACTER_KILL), ROUTE_CHARACTER_KILL);
	ck_assert_int_eq(kind_route(N_SYSTEM), ROUTE_SYSTEM);
	ck_assert_int_eq(kind_route(N_CHARACTER), ROUTE_CHARACTER);
	ck_assert_int_eq(kind_route(N_RALLY), ROUTE_RALLY);
	for (int r = 0; r < ROUTE_COUNT; r++) {
		ck_assert_int_eq(kind_route_from_name(kind_route_name(r)), r);
		/* format.c and route.c read the same names */
		ck_assert_str_eq(fmt_route_name((enum fmt_route)r), kind_route_name(r));
		ck_assert_str_eq(route_class_name(r), kind_route_name(r));
		ck_assert_int_eq(route_class_from_name(kind_route_name(r)), r);
		ck_assert_ptr_nonnull(kind_route_infix(r));
	}
	ck_assert_str_eq(kind_route_name(ROUTE_RALLY), "rally");
	ck_assert_str_eq(kind_route_infix(ROUTE_MAIN), "");
	ck_assert_str_eq(kind_route_infix(ROUTE_CHARACTER_KILL), "CHARACTER_KILL_");
	ck_assert_str_eq(kind_route_name(ROUTE_COUNT), "unknown");
	ck_assert_str_eq(kind_route_name(-1), "unknown");
	ck_assert_ptr_null(kind_route_infix(ROUTE_COUNT));
	ck_assert_int_eq(kind_route_from_name("rally_point"), -1);
}
END_TEST

CHECK_MAIN("kind", kinds_both_ways, classes)
