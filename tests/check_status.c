/* check_status.c — the status file a tool keeps: counters, gauges,
 * strings and times. */
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state.h"
#include "status.h"
#include "check_main.h"

static char dir[64];

static void fresh_state_dir(void) { check_state_dir(dir, sizeof dir, "wn-check-state"); }

START_TEST(status_file)
{
	char path[PATH_MAX];
	char *buf;

	fresh_state_dir();
	status_init("wn-check");
	status_add("kills", 2);
	status_add("kills", 3);
	status_set("queue", 7);
	status_set_str("state", "connected");
	status_set_time("last_kill", 1773775491);
	status_flush(1);
	snprintf(path, sizeof path, "%s/status/wn-check.json", dir);
	buf = state_read_file(path, 4096, NULL);
	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(strstr(buf, "\"tool\":\"wn-check\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"kills\":5"));
	ck_assert_ptr_nonnull(strstr(buf, "\"queue\":7"));
	ck_assert_ptr_nonnull(strstr(buf, "\"state\":\"connected\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"last_kill\":\"2026-03-17T19:24:51Z\""));
	ck_assert_int_eq(status_get("kills"), 5);
	free(buf);
}
END_TEST

CHECK_MAIN("status", status_file)
