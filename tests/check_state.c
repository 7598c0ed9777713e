/* check_state.c — the state directory: atomic writes and bounded reads. */
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state.h"
#include "check_main.h"

static char dir[64];

static void fresh_state_dir(void) { check_state_dir(dir, sizeof dir, "wn-check-state"); }

START_TEST(state_atomic_write_and_read)
{
	char path[PATH_MAX];
	size_t len;
	char *buf;

	fresh_state_dir();
	ck_assert_int_eq(state_path(path, sizeof path, "sub/dir/file.json"), 0);
	ck_assert_int_eq(state_atomic_write(path, "hello", 5), 0);
	ck_assert_int_eq(state_atomic_write(path, "world!", 6), 0);
	buf = state_read_file(path, 100, &len);
	ck_assert_str_eq(buf, "world!");
	ck_assert_uint_eq(len, 6);
	free(buf);
	ck_assert_ptr_null(state_read_file(path, 3, &len));
	ck_assert_ptr_null(state_read_file("/nonexistent", 3, &len));
}
END_TEST

CHECK_MAIN("state", state_atomic_write_and_read)
