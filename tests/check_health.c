/* check_health.c — the health rule, the HTTP listen address and bearer
 * check, the recent-event lists, and what /api/status leaves out. */
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "health.h"
#include "httpd.h"
#include "json.h"
#include "recent.h"
#include "status_api.h"
#include "check_main.h"

#define NOW 1800000000
#define NOW_ISO "2027-01-15T08:00:00Z"

/* A tool in the list; running as given (status_view_check_running is not asked). */
static void
add(struct status_view_list *l, const char *json, int running)
{
	char err[128];
	ck_assert_int_eq(status_view_parse(json, strlen(json), "x", &l->tool[l->n], err, sizeof err), 0);
	l->tool[l->n++].running = running;
}

static struct status_view_list *
healthy_flow(void)
{
	struct status_view_list *l = calloc(1, sizeof *l);

	ck_assert_ptr_nonnull(l);
	add(l, "{\"tool\":\"wn-mapsse\",\"updated\":\"" NOW_ISO "\",\"state\":\"streaming\"}", 1);
	add(l, "{\"tool\":\"wn-kills\",\"updated\":\"" NOW_ISO "\",\"state\":\"joined\"}", 1);
	/* the other stages may be quiet for hours: age is no concern */
	add(l, "{\"tool\":\"wn-enrich\",\"updated\":\"2020-01-01T00:00:00Z\",\"state\":\"running\"}", 1);
	add(l, "{\"tool\":\"wn-filter\",\"state\":\"running\"}", 1);
	add(l, "{\"tool\":\"wn-discord\",\"state\":\"delivering\"}", 1);
	return l;
}

static void
set_state(struct status_view_list *l, const char *tool, const char *state)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->tool[i].name, tool))
			json_set_str(l->tool[i].doc, "state", state);
}

static struct status_view_tool *
tool(struct status_view_list *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->tool[i].name, name))
			return &l->tool[i];
	ck_abort_msg("no %s", name);
	return NULL;
}

START_TEST(healthy_when_all_run_and_feeds_connected)
{
	struct status_view_list *l = healthy_flow();
	struct health h;
	char why[256];

	ck_assert_int_eq(health_judge(l, NULL, 0, NOW, 60, 0, &h), 1);
	ck_assert_int_eq(h.n, 5);
	ck_assert_str_eq(h.stage[0].name, "wn-mapsse");
	health_summary(&h, why, sizeof why);
	ck_assert_str_eq(why, "");
	status_view_free(l);
	free(l);
}
END_TEST

START_TEST(each_failure_named)
{
	struct status_view_list *l = healthy_flow();
	struct health h;
	char why[512];

	tool(l, "wn-filter")->running = 0;
	set_state(l, "wn-kills", "connecting");
	set_state(l, "wn-discord", "stopped");
	ck_assert_int_eq(health_judge(l, NULL, 0, NOW, 60, 0, &h), 0);
	health_summary(&h, why, sizeof why);
	ck_assert_str_eq(why, "wn-kills (not connected (state connecting)), "
	    "wn-filter (not running), wn-discord (state stopped)");
	status_view_free(l);
	free(l);
}
END_TEST

START_TEST(feed_status_must_be_fresh)
{
	struct status_view_list *l = healthy_flow();
	struct health h;

	tool(l, "wn-mapsse")->updated = NOW - 61;
	ck_assert_int_eq(health_judge(l, NULL, 0, NOW, 60, 0, &h), 0);
	ck_assert_str_eq(h.stage[0].why, "status not updated for 61s");
	tool(l, "wn-mapsse")->updated = NOW - 60;
	ck_assert_int_eq(health_judge(l, NULL, 0, NOW, 60, 0, &h), 1);
	/* R2Z2 polling and SSE-less polling count as connected */
	set_state(l, "wn-kills", "following");
	set_state(l, "wn-mapsse", "polling");
	ck_assert_int_eq(health_judge(l, NULL, 0, NOW, 60, 0, &h), 1);
	status_view_free(l);
	free(l);
}
END_TEST

START_TEST(named_stages_and_missing_files)
{
	struct status_view_list *l = healthy_flow();
	char *names[] = { "wn-filter", "wn-janice" };
	struct health h;

	ck_assert_int_eq(health_judge(l, names, 2, NOW, 60, 0, &h), 0);
	ck_assert_int_eq(h.n, 2);
	ck_assert_int_eq(h.stage[0].ok, 1);
	ck_assert_str_eq(h.stage[1].why, "no status file");
	ck_assert_ptr_null(h.stage[1].tool);
	ck_assert_int_eq(health_judge(l, names, 1, NOW, 60, 0, &h), 1);
	status_view_free(l);
	free(l);
}
END_TEST

START_TEST(ready_waits_for_the_pipeline)
{
	struct status_view_list *l = healthy_flow();
	struct health h;

	ck_assert_int_eq(health_judge(l, NULL, 0, NOW, 60, 1, &h), 1);	/* no pipeline */
	add(l, "{\"tool\":\"wn-pipeline\",\"state\":\"starting\"}", 1);
	ck_assert_int_eq(health_judge(l, NULL, 0, NOW, 60, 1, &h), 0);
	ck_assert_str_eq(h.stage[5].why, "state starting");
	ck_assert_int_eq(health_judge(l, NULL, 0, NOW, 60, 0, &h), 1);	/* health: no */
	set_state(l, "wn-pipeline", "running");
	ck_assert_int_eq(health_judge(l, NULL, 0, NOW, 60, 1, &h), 1);
	status_view_free(l);
	free(l);
}
END_TEST

START_TEST(listen_addresses)
{
	struct httpd_config c;
	char err[160];

	ck_assert_int_eq(httpd_parse_listen("8080", 4000, &c, err, sizeof err), 0);
	ck_assert_str_eq(c.addr, "127.0.0.1");
	ck_assert_int_eq(c.port, 8080);
	ck_assert_int_eq(httpd_parse_listen("0.0.0.0", 4000, &c, err, sizeof err), 0);
	ck_assert_str_eq(c.addr, "0.0.0.0");
	ck_assert_int_eq(c.port, 4000);
	ck_assert_int_eq(httpd_parse_listen("[::1]:9", 4000, &c, err, sizeof err), 0);
	ck_assert_str_eq(c.addr, "::1");
	ck_assert_int_eq(c.port, 9);
	ck_assert_int_eq(httpd_parse_listen("127.0.0.1:0", 4000, &c, err, sizeof err), 0);
	ck_assert_int_eq(c.port, 0);
	ck_assert_int_eq(httpd_parse_listen("127.0.0.1:65536", 4000, &c, err, sizeof err), -1);
	ck_assert_int_eq(httpd_parse_listen("127.0.0.1:", 4000, &c, err, sizeof err), -1);
	ck_assert_int_eq(httpd_parse_listen("127.0.0.1:8x", 4000, &c, err, sizeof err), -1);
	ck_assert_int_eq(httpd_parse_listen("localhost:80", 4000, &c, err, sizeof err), -1);
	ck_assert_int_eq(httpd_parse_listen("[::1", 4000, &c, err, sizeof err), -1);
	ck_assert_int_eq(httpd_parse_listen("", 4000, &c, err, sizeof err), -1);
}
END_TEST

START_TEST(bearer_tokens)
{
	ck_assert_int_eq(httpd_bearer_ok(NULL, NULL), 1);	/* no token: open */
	ck_assert_int_eq(httpd_bearer_ok(NULL, ""), 1);
	ck_assert_int_eq(httpd_bearer_ok(NULL, "s3cret-token"), 0);
	ck_assert_int_eq(httpd_bearer_ok("Bearer s3cret-token", "s3cret-token"), 1);
	ck_assert_int_eq(httpd_bearer_ok("bearer s3cret-token", "s3cret-token"), 1);
	ck_assert_int_eq(httpd_bearer_ok("Bearer s3cret-toke", "s3cret-token"), 0);
	ck_assert_int_eq(httpd_bearer_ok("Bearer s3cret-tokenX", "s3cret-token"), 0);
	ck_assert_int_eq(httpd_bearer_ok("Bearer ", "s3cret-token"), 0);
	ck_assert_int_eq(httpd_bearer_ok("Basic s3cret-token", "s3cret-token"), 0);
	ck_assert_int_eq(httpd_bearer_ok("s3cret-token", "s3cret-token"), 0);
}
END_TEST

START_TEST(recent_newest_first_and_bounded)
{
	char dir[256], path[300];
	struct stat st;
	cJSON *a;

	check_tmpdir(dir, sizeof dir, "check_health");
	for (int i = 1; i <= 3000; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "i", i);
		cJSON_AddStringToObject(o, "pad", "0123456789012345678901234567890123456789"
		    "0123456789012345678901234567890123456789");
		ck_assert_int_eq(recent_add(dir, "kills", o), 0);
		cJSON_Delete(o);
	}
	snprintf(path, sizeof path, "%s/kills.recent", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_le(st.st_size, RECENT_MAX_BYTES);
	a = recent_read(dir, "kills", 5);
	ck_assert_int_eq(cJSON_GetArraySize(a), 5);
	ck_assert_int_eq((int)json_num(cJSON_GetArrayItem(a, 0), "i", 0), 3000);
	ck_assert_int_eq((int)json_num(cJSON_GetArrayItem(a, 4), "i", 0), 2996);
	cJSON_Delete(a);
	/* a torn last line (a writer mid-append) and a bad line are skipped */
	{
		int fd = open(path, O_WRONLY | O_APPEND);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, "not json\n{\"i\":", 15), 15);
		close(fd);
	}
	a = recent_read(dir, "kills", 2);
	ck_assert_int_eq(cJSON_GetArraySize(a), 1);	/* the bad line took a slot */
	ck_assert_int_eq((int)json_num(cJSON_GetArrayItem(a, 0), "i", 0), 3000);
	cJSON_Delete(a);
	a = recent_read(dir, "absent", 5);
	ck_assert_int_eq(cJSON_GetArraySize(a), 0);
	cJSON_Delete(a);
	check_rmdir(dir);
}
END_TEST

START_TEST(api_status_leaves_out_the_unknown)
{
	struct status_api_view *v = calloc(1, sizeof *v);
	cJSON *o;

	ck_assert_ptr_nonnull(v);
	v->now = NOW;
	v->dead_letters = -1;
	add(&v->list, "{\"tool\":\"wn-kills\",\"updated\":\"" NOW_ISO "\",\"state\":\"joined\","
	    "\"kills\":7,\"last_kill\":\"2027-01-15T07:58:00Z\"}", 1);
	health_judge(&v->list, NULL, 0, NOW, 60, 0, &v->health);
	o = status_api_status_json(v);
	ck_assert_int_eq((int)json_num(cJSON_GetObjectItem(o, "tracking"), "killmails_received", 0), 7);
	ck_assert_str_eq(json_str(cJSON_GetObjectItem(o, "killmail_activity"), "last_received_ago"),
	    "2m ago");
	ck_assert_str_eq(json_str(o, "status"), "DEGRADED");	/* four stages missing */
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "sse"));
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "discord_health"));
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "cache_stats"));
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "uptime"));	/* no start time known */
	cJSON_Delete(o);
	status_view_free(&v->list);
	free(v);
}
END_TEST

CHECK_MAIN("health", healthy_when_all_run_and_feeds_connected, each_failure_named,
    feed_status_must_be_fresh, named_stages_and_missing_files, ready_waits_for_the_pipeline,
    listen_addresses, bearer_tokens, recent_newest_first_and_bounded,
    api_status_leaves_out_the_unknown)
