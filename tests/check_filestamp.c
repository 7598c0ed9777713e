/* check_filestamp.c — a replaced, rewritten, vanished or reappearing file
 * is noticed once; an untouched one is not. */
#include <check.h>
#include <stdio.h>
#include <unistd.h>

#include "filestamp.h"
#include "state.h"
#include "check_main.h"

START_TEST(changes_are_seen_once)
{
	struct filestamp f = { 0 };
	char dir[256], path[512];

	check_tmpdir(dir, sizeof dir, "check_filestamp");
	snprintf(path, sizeof path, "%s/prio", dir);
	ck_assert_int_eq(filestamp_changed(&f, path), 0);     /* never there */
	ck_assert_int_eq(state_atomic_write(path, "1\n", 2), 0);
	ck_assert_int_eq(filestamp_changed(&f, path), 1);     /* appeared */
	ck_assert_int_eq(filestamp_changed(&f, path), 0);
	ck_assert_int_eq(state_atomic_write(path, "2\n", 2), 0);    /* same size, new inode */
	ck_assert_int_eq(filestamp_changed(&f, path), 1);
	ck_assert_int_eq(filestamp_changed(&f, path), 0);
	filestamp_invalidate(&f);
	ck_assert_int_eq(filestamp_changed(&f, path), 1);     /* SIGHUP */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(filestamp_changed(&f, path), 1);     /* vanished: once */
	ck_assert_int_eq(filestamp_changed(&f, path), 0);
	check_rmdir(dir);
}
END_TEST

CHECK_MAIN("filestamp", changes_are_seen_once)
