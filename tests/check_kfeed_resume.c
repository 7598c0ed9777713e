/* check_kfeed_resume.c — the preload a restarted wn-kills asks for, and
 * the newest kill time kept for it across restarts. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kfeed.h"
#include "state.h"
#include "check_main.h"

START_TEST(hours_cover_the_gap_plus_one)
{
	long long now = 1773775000;

	ck_assert_int_eq(kfeed_resume_hours(0, now), 1);            /* nothing yet */
	ck_assert_int_eq(kfeed_resume_hours(now, now), 1);
	ck_assert_int_eq(kfeed_resume_hours(now + 60, now), 1);     /* clock skew */
	ck_assert_int_eq(kfeed_resume_hours(now - 1, now), 2);
	ck_assert_int_eq(kfeed_resume_hours(now - 3600, now), 2);
	ck_assert_int_eq(kfeed_resume_hours(now - 3601, now), 3);
	ck_assert_int_eq(kfeed_resume_hours(now - 23 * 3600, now), 24);
	ck_assert_int_eq(kfeed_resume_hours(now - 30 * 86400, now), 24);   /* at most a day */
}
END_TEST

START_TEST(newest_survives_a_restart)
{
	char dir[256], path[512], *text;
	size_t len;
	FILE *f;

	check_tmpdir(dir, sizeof dir, "check_kfeed_resume");
	setenv("WN_STATE_DIR", dir, 1);
	ck_assert_int_eq(kfeed_resume_load(), 0);                   /* no file */
	ck_assert_int_eq(kfeed_resume_save(1773775200), 0);
	snprintf(path, sizeof path, "%s/kills.newest", dir);
	ck_assert_ptr_nonnull(text = state_read_file(path, 64, &len));
	ck_assert_str_eq(text, "2026-03-17T19:20:00Z\n");
	free(text);
	ck_assert_int_eq(kfeed_resume_load(), 1773775200);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("yesterday\n", f);
	fclose(f);
	ck_assert_int_eq(kfeed_resume_load(), 0);                   /* not a time: ignored */
	check_rmdir(dir);
}
END_TEST

CHECK_MAIN("kfeed_resume", hours_cover_the_gap_plus_one, newest_survives_a_restart)
