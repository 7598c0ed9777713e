/* check_status_view.c — status files read back (as status.c writes them),
 * liveness, the table, NDJSON and the Prometheus textfile. */
#include <check.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "state.h"
#include "status.h"
#include "status_view.h"
#include "check_main.h"

static char *
capture(void (*render)(FILE *, const struct status_view_list *, time_t), const struct status_view_list *l,
    time_t now)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	render(f, l, now);
	fclose(f);
	return buf;
}

static void
add(struct status_view_list *l, const char *json)
{
	char err[128];
	ck_assert_int_eq(status_view_parse(json, strlen(json), "fallback", &l->tool[l->n], err,
	                     sizeof err), 0);
	l->n++;
}

START_TEST(times_parse)
{
	ck_assert_int_eq(status_view_parse_time("1970-01-01T00:00:00Z"), 0);
	ck_assert_int_eq(status_view_parse_time("2026-03-17T19:24:51Z"), 1773775491);
	ck_assert_int_eq(status_view_parse_time("2026-03-17T19:24:51.640733Z"), 1773775491);
	ck_assert_int_eq(status_view_parse_time("2000-02-29T12:00:00Z"), 951825600);
	ck_assert_int_eq(status_view_parse_time("2026-03-17T19:24:51"), -1);	/* no zone */
	ck_assert_int_eq(status_view_parse_time("2026-13-17T19:24:51Z"), -1);
	ck_assert_int_eq(status_view_parse_time("connected"), -1);
	ck_assert_int_eq(status_view_parse_time(""), -1);
	ck_assert_int_eq(status_view_parse_time(NULL), -1);
}
END_TEST

START_TEST(ages_format)
{
	char b[32];
	status_view_format_age(b, sizeof b, 7);
	ck_assert_str_eq(b, "7s");
	status_view_format_age(b, sizeof b, 185);
	ck_assert_str_eq(b, "3m05s");
	status_view_format_age(b, sizeof b, 2 * 3600 + 7 * 60 + 9);
	ck_assert_str_eq(b, "2h07m");
	status_view_format_age(b, sizeof b, 4 * 86400 + 3 * 3600);
	ck_assert_str_eq(b, "4d03h");
	status_view_format_age(b, sizeof b, -5);	/* clock skew: never negative */
	ck_assert_str_eq(b, "0s");
}
END_TEST

START_TEST(parse_good_and_bad)
{
	struct status_view_tool t;
	char err[128];
	const char *good = "{\"tool\":\"wn-kills\",\"pid\":42,\"updated\":\"2026-03-17T19:24:51Z\","
	                   "\"started\":\"2026-03-17T19:00:00Z\",\"kills\":3}";

	ck_assert_int_eq(status_view_parse(good, strlen(good), "x", &t, err, sizeof err), 0);
	ck_assert_str_eq(t.name, "wn-kills");
	ck_assert_int_eq(t.pid, 42);
	ck_assert_int_eq(t.updated, 1773775491);
	ck_assert_int_eq(t.started, 1773774000);
	cJSON_Delete(t.doc);

	ck_assert_int_eq(status_view_parse("{\"pid\":\"-3\"}", 12, "wn-x", &t, err, sizeof err), 0);
	ck_assert_str_eq(t.name, "wn-x");	/* no "tool": the file name */
	ck_assert_int_eq(t.pid, 0);
	ck_assert_int_eq(t.updated, 0);
	cJSON_Delete(t.doc);

	ck_assert_int_eq(status_view_parse("[1,2]", 5, "x", &t, err, sizeof err), -1);
	ck_assert_int_eq(status_view_parse("{\"tool\":", 8, "x", &t, err, sizeof err), -1);
	ck_assert_int_eq(status_view_parse("{\"a\":\"\xff\"}", 9, "x", &t, err, sizeof err), -1);
}
END_TEST

/* What status.c writes, wn-status reads: the round trip through files. */
START_TEST(reads_what_status_writes)
{
	char dir[64] = "/tmp/wn-check-sv.XXXXXX", sdir[128], path[256];
	struct status_view_list *l = calloc(1, sizeof *l);
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("WN_STATE_DIR", dir, 1);
	status_init("check_status_view");
	status_add("kills", 5);
	status_set("queue_depth", 2);
	status_set_str("state", "connected");
	status_set_time("last_kill", 1773775491);
	status_flush(1);
	snprintf(sdir, sizeof sdir, "%s/status", dir);
	/* a broken file and a temp file beside it are not fatal */
	snprintf(path, sizeof path, "%s/broken.json", sdir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("{\"tool\":", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/.x.json.tmp", sdir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fclose(f);

	ck_assert_int_eq(status_view_load_dir(sdir, l), 0);
	ck_assert_int_eq(l->n, 1);
	ck_assert_int_eq(l->skipped, 1);
	ck_assert_str_eq(l->tool[0].name, "check_status_view");
	ck_assert_int_eq(l->tool[0].pid, getpid());
	status_view_check_running(l);
	ck_assert_int_eq(l->tool[0].running, 1);	/* our own comm, cut to 15 */

	char *text = capture(status_view_render_text, l, l->tool[0].started + 65);
	ck_assert_ptr_nonnull(strstr(text, "check_status_view yes"));
	ck_assert_ptr_nonnull(strstr(text, "connected"));
	ck_assert_ptr_nonnull(strstr(text, "1m05s"));	/* uptime */
	ck_assert_ptr_nonnull(strstr(text, "kills 5, queue_depth 2, last_kill"));
	free(text);
	status_view_free(l);

	ck_assert_int_eq(status_view_load_dir("/nonexistent/wn/status", l), 0);	/* empty */
	ck_assert_int_eq(l->n, 0);
	free(l);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(path), 0);
}
END_TEST

START_TEST(liveness)
{
	pid_t child;
	int st;

	ck_assert_int_eq(status_view_pid_is(getpid(), "check_status_view"), 1);
	ck_assert_int_eq(status_view_pid_is(getpid(), "wn-kills"), 0);	/* pid reused */
	ck_assert_int_eq(status_view_pid_is(0, "x"), 0);
	ck_assert_int_eq(status_view_pid_is(-1, "x"), 0);
	/* a zombie is not running */
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0)
		_exit(0);
	for (int i = 0; i < 200 && status_view_pid_is(child, "check_status_view"); i++)
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	ck_assert_int_eq(status_view_pid_is(child, "check_status_view"), 0);
	ck_assert_int_eq(kill(child, 0), 0);	/* still there, as a zombie */
	waitpid(child, &st, 0);
	ck_assert_int_eq(status_view_pid_is(child, "check_status_view"), 0);
}
END_TEST

START_TEST(json_lines)
{
	struct status_view_list *l = calloc(1, sizeof *l);
	add(l, "{\"tool\":\"wn-a\",\"pid\":1,\"updated\":\"1970-01-01T00:01:40Z\",\"running\":\"lie\"}");
	add(l, "{\"tool\":\"wn-b\"}");
	l->tool[0].running = 1;
	char *out = capture(status_view_render_json, l, 130);
	ck_assert_str_eq(out,
	    "{\"tool\":\"wn-a\",\"pid\":1,\"updated\":\"1970-01-01T00:01:40Z\",\"running\":true,"
	    "\"age_seconds\":30}\n"
	    "{\"tool\":\"wn-b\",\"running\":false}\n");
	free(out);
	status_view_free(l);
	free(l);
}
END_TEST

START_TEST(gauge_or_counter)
{
	char b[32];
	ck_assert_int_eq(status_view_key_is_gauge("queue_depth"), 1);
	ck_assert_int_eq(status_view_key_is_gauge("spooled"), 1);
	ck_assert_int_eq(status_view_key_is_gauge("tracked_systems"), 1);
	ck_assert_int_eq(status_view_key_is_gauge("stages"), 1);	/* wn-pipeline's */
	ck_assert_int_eq(status_view_key_is_gauge("kills"), 0);
	ck_assert_int_eq(status_view_key_is_gauge("reconnects"), 0);
	ck_assert_int_eq(status_view_key_is_gauge("errors_esi"), 0);
	ck_assert_int_eq(status_view_key_is_gauge("lastly"), 0);	/* whole words only */
	status_view_metric_name(b, sizeof b, "a-b.c");
	ck_assert_str_eq(b, "a_b_c");
	status_view_metric_name(b, sizeof b, "5xx");
	ck_assert_str_eq(b, "_5xx");
	status_view_metric_name(b, 4, "abcdef");
	ck_assert_str_eq(b, "abc");
}
END_TEST

/* Every family once, HELP and TYPE first, its samples together. */
static void
assert_well_formed(const char *text)
{
	char *copy = strdup(text), *save = NULL, fam[128] = "", seen[4096] = " ";

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[128], probe[132];
		if (strncmp(line, "# HELP ", 7) == 0) {
			sscanf(line + 7, "%127s", fam);
			snprintf(probe, sizeof probe, " %s ", fam);
			ck_assert_msg(!strstr(seen, probe), "family %s twice", fam);
			strcat(seen, fam);
			strcat(seen, " ");
			continue;
		}
		if (strncmp(line, "# TYPE ", 7) == 0) {
			ck_assert_int_eq(strncmp(line + 7, fam, strlen(fam)), 0);
			continue;
		}
		sscanf(line, "%127[^{ ]", name);
		ck_assert_msg(strcmp(name, fam) == 0, "sample %s outside its family %s", name, fam);
	}
	free(copy);
}

START_TEST(prometheus_text)
{
	struct status_view_list *l = calloc(1, sizeof *l);
	size_t len;
	char *p;

	add(l, "{\"tool\":\"wn-discord\",\"pid\":7,\"updated\":\"1970-01-01T00:01:40Z\","
	       "\"started\":\"1970-01-01T00:00:10Z\",\"state\":\"rate \\\"limited\\\"\\\\\","
	       "\"posted\":12,\"spooled\":3,\"last_post\":\"1970-01-01T00:01:30Z\","
	       "\"never\":\"\",\"ok\":true}");
	add(l, "{\"tool\":\"wn-kills\",\"pid\":8,\"kills\":4,\"posted\":1,\"errors_total\":2}");
	l->tool[0].running = 1;
	p = status_view_render_prometheus(l, 200, &len);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(strlen(p), len);
	assert_well_formed(p);
	ck_assert_ptr_nonnull(strstr(p, "# TYPE wn_up gauge\nwn_up{tool=\"wn-discord\"} 1\n"
	                                "wn_up{tool=\"wn-kills\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(p, "# TYPE wn_posted_total counter\n"
	                                "wn_posted_total{tool=\"wn-discord\"} 12\n"
	                                "wn_posted_total{tool=\"wn-kills\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(p, "# TYPE wn_spooled gauge\nwn_spooled{tool=\"wn-discord\"} 3\n"));
	ck_assert_ptr_nonnull(strstr(p, "wn_errors_total{tool=\"wn-kills\"} 2\n"));
	ck_assert_ptr_null(strstr(p, "errors_total_total"));
	ck_assert_ptr_nonnull(strstr(p, "wn_last_post_timestamp_seconds{tool=\"wn-discord\"} 90\n"));
	ck_assert_ptr_nonnull(strstr(p, "wn_start_time_seconds{tool=\"wn-discord\"} 10\n"));
	ck_assert_ptr_nonnull(strstr(p, "wn_status_updated_timestamp_seconds{tool=\"wn-discord\"} 100\n"));
	ck_assert_ptr_nonnull(strstr(p, "wn_info{tool=\"wn-discord\",state=\"rate \\\"limited\\\"\\\\\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(p, "wn_info{tool=\"wn-kills\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(p, "wn_ok{tool=\"wn-discord\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(p, "wn_status_scrape_timestamp_seconds 200\n"));
	ck_assert_ptr_null(strstr(p, "wn_pid"));
	ck_assert_ptr_null(strstr(p, "never"));
	free(p);
	status_view_free(l);
	free(l);
}
END_TEST

CHECK_MAIN("status_view", times_parse, ages_format, parse_good_and_bad,
    reads_what_status_writes, liveness, json_lines, gauge_or_counter, prometheus_text)
