/* check_delivered.c — the delivered log: remembered across restarts,
 * expired, bounded, compacted. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "delivered.h"
#include "state.h"
#include "check_main.h"

static char dir[256];

static void fresh_dir(void) { check_tmpdir(dir, sizeof dir, "check_delivered"); }
static void cleanup(void) { check_rmdir(dir); }


START_TEST(dlog_remembers_across_reopen_until_expiry)
{
	char p[300];
	struct dlog *d;

	fresh_dir();
	snprintf(p, sizeof p, "%s/delivered.log", dir);
	ck_assert_ptr_nonnull(d = dlog_open(p, 100, 1000, 1000));
	ck_assert(!dlog_has(d, "killmail:1 webhook:main", 1000));
	ck_assert_int_eq(dlog_add(d, "killmail:1 webhook:main", 1000), 0);
	ck_assert_int_eq(dlog_add(d, "killmail:2 channel:5", 1050), 0);
	ck_assert(dlog_has(d, "killmail:1 webhook:main", 1001));
	ck_assert(!dlog_has(d, "killmail:1 webhook:other", 1001));
	dlog_close(d);
	/* a torn last line (crash mid-append) is ignored, not fatal */
	FILE *f = fopen(p, "a");
	fputs("12345 00ff", f);
	fclose(f);
	ck_assert_ptr_nonnull(d = dlog_open(p, 100, 1000, 1010));
	ck_assert(dlog_has(d, "killmail:1 webhook:main", 1010));
	ck_assert(dlog_has(d, "killmail:2 channel:5", 1010));
	ck_assert_uint_eq(dlog_count(d), 2);
	ck_assert(!dlog_has(d, "killmail:1 webhook:main", 1100));   /* expired */
	ck_assert(dlog_has(d, "killmail:2 channel:5", 1100));
	dlog_close(d);
	ck_assert_ptr_nonnull(d = dlog_open(p, 100, 1000, 1120));
	ck_assert_uint_eq(dlog_count(d), 1);
	dlog_close(d);
	cleanup();
}
END_TEST

START_TEST(dlog_bounded_and_compacted)
{
	char p[300], key[64];
	struct dlog *d;
	size_t len;

	fresh_dir();
	snprintf(p, sizeof p, "%s/delivered.log", dir);
	ck_assert_ptr_nonnull(d = dlog_open(p, 1000000, 100, 1));
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "killmail:%d webhook:main", i);
		ck_assert_int_eq(dlog_add(d, key, 1 + i), 0);
		ck_assert_uint_le(dlog_count(d), 100);
	}
	/* the newest are remembered, the oldest were let go */
	ck_assert(dlog_has(d, "killmail:4999 webhook:main", 5000));
	ck_assert(dlog_has(d, "killmail:4950 webhook:main", 5000));
	ck_assert(!dlog_has(d, "killmail:0 webhook:main", 5000));
	dlog_close(d);
	/* the file was compacted as it grew: far fewer than 5000 lines */
	char *all = read_file(p, 1 << 20, &len);
	ck_assert_ptr_nonnull(all);
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += all[i] == '\n';
	free(all);
	ck_assert_uint_lt(lines, 2 * 100 + 1024 + 1);
	ck_assert_ptr_nonnull(d = dlog_open(p, 1000000, 100, 5001));
	ck_assert(dlog_has(d, "killmail:4999 webhook:main", 5001));
	dlog_close(d);
	cleanup();
}
END_TEST

START_TEST(dlog_rejects_newline_keys)
{
	char p[300];
	struct dlog *d;

	fresh_dir();
	snprintf(p, sizeof p, "%s/delivered.log", dir);
	ck_assert_ptr_nonnull(d = dlog_open(p, 10, 10, 1));
	ck_assert_int_eq(dlog_add(d, "a\nb", 1), -1);
	dlog_close(d);
	cleanup();
}
END_TEST

CHECK_MAIN("delivered", dlog_remembers_across_reopen_until_expiry, dlog_bounded_and_compacted,
           dlog_rejects_newline_keys)
