/* status_api.c — the JSON of /health, /ready and /api/status. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "log.h"
#include "recent.h"
#include "status_api.h"

/* wn-discord's dead letters on disk (<state>/discord/dead/N.json, beside
 * <state>/status): they outlive the process, unlike its "dead" counter.
 * -1 when there is no such directory. */
static long
count_dead(const char *status_dir)
{
	char path[PATH_MAX];
	const char *slash = strrchr(status_dir, '/');
	struct dirent *e;
	long n = 0;
	DIR *d;

	if (!slash || snprintf(path, sizeof path, "%.*s/discord/dead", (int)(slash - status_dir),
	    status_dir) >= (int)sizeof path || !(d = opendir(path)))
		return -1;
	while ((e = readdir(d)) && n < 1000000) {
		size_t l = strlen(e->d_name);
		n += l > 5 && e->d_name[0] != '.' && !strcmp(e->d_name + l - 5, ".json");
	}
	closedir(d);
	return n;
}

int
status_api_load(struct status_api_view *v, const char *dir, char **names, int n, long max_age, int flags)
{
	v->now = time(NULL);
	v->kills = v->posted = NULL;
	v->dead_letters = -1;
	if (status_view_load_dir(dir, &v->list) < 0)
		return -1;
	status_view_check_running(&v->list);
	health_judge(&v->list, names, n, v->now, max_age, flags & STATUS_API_READY, &v->health);
	if (flags & STATUS_API_DETAILS) {	/* not for the probes, asked often */
		v->kills = recent_read(dir, "kills", STATUS_API_CHART_KILLS);
		v->posted = recent_read(dir, "posted", STATUS_API_RECENT);
		v->dead_letters = count_dead(dir);
	}
	return 0;
}

void
status_api_free(struct status_api_view *v)
{
	status_view_free(&v->list);
	cJSON_Delete(v->kills);
	cJSON_Delete(v->posted);
	v->kills = v->posted = NULL;
}

void
status_api_iso(time_t t, char *buf, size_t size)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *
status_api_safe(const char *s, char *buf, size_t size)
{
	snprintf(buf, size, "%s", s ? s : "");
	log_redact(buf, size);
	return buf;
}

static const struct status_view_tool *
tool_of(const struct status_api_view *v, const char *name)
{
	for (int i = 0; i < v->list.n; i++)
		if (!strcmp(v->list.tool[i].name, name))
			return &v->list.tool[i];
	return NULL;
}

int
status_api_num(const struct status_api_view *v, const char *tool, const char *key, double *out)
{
	const struct status_view_tool *t = tool_of(v, tool);
	const cJSON *it = t ? cJSON_GetObjectItemCaseSensitive(t->doc, key) : NULL;

	if (!cJSON_IsNumber(it))
		return 0;
	*out = it->valuedouble;
	return 1;
}

const char *
status_api_str(const struct status_api_view *v, const char *tool, const char *key)
{
	const struct status_view_tool *t = tool_of(v, tool);
	return t ? json_str(t->doc, key) : NULL;
}

/* "42s ago" ... "3d ago", as the notifier writes them. */
static void
ago(char *buf, size_t size, long long s)
{
	char age[24];   /* any day count and its unit; with " ago" it fits 32 */

	status_view_format_age_in(age, sizeof age, s, 1);
	snprintf(buf, size, "%s ago", age);
}

static void
add_num(const struct status_api_view *v, cJSON *o, const char *as, const char *tool, const char *key)
{
	double d;
	if (status_api_num(v, tool, key, &d))
		cJSON_AddNumberToObject(o, as, d);
}

/* A time key of a tool as KEY_at and KEY_ago; nothing when never set. */
static void
add_time(const struct status_api_view *v, cJSON *o, const char *as, const char *tool, const char *key)
{
	const char *s = status_api_str(v, tool, key);
	time_t t = status_view_parse_time(s);
	char name[64], buf[32];

	if (t < 0)
		return;
	snprintf(name, sizeof name, "%s_at", as);
	status_api_iso(t, buf, sizeof buf);
	cJSON_AddStringToObject(o, name, buf);
	snprintf(name, sizeof name, "%s_ago", as);
	ago(buf, sizeof buf, (long long)(v->now - t));
	cJSON_AddStringToObject(o, name, buf);
}

static void
add_state(const struct status_api_view *v, cJSON *o, const char *tool)
{
	const struct status_view_tool *t = tool_of(v, tool);
	char buf[128];

	cJSON_AddBoolToObject(o, "client_alive", t && t->running);
	if (t && json_str(t->doc, "state"))
		cJSON_AddStringToObject(o, "connection_status",
		    status_api_safe(json_str(t->doc, "state"), buf, sizeof buf));
	if (t && t->running && t->started) {
		cJSON_AddNumberToObject(o, "process_uptime_seconds", (double)(v->now - t->started));
	}
}

static cJSON *
stages_json(const struct status_api_view *v)
{
	cJSON *a = cJSON_CreateArray();
	char buf[128];

	for (int i = 0; a && i < v->health.n; i++) {
		const struct health_stage *s = &v->health.stage[i];
		cJSON *o = cJSON_CreateObject();
		const char *st = s->tool ? json_str(s->tool->doc, "state") : NULL;

		cJSON_AddStringToObject(o, "name", s->name);
		cJSON_AddBoolToObject(o, "ok", s->ok);
		cJSON_AddBoolToObject(o, "running", s->tool && s->tool->running);
		if (st)
			cJSON_AddStringToObject(o, "state", status_api_safe(st, buf, sizeof buf));
		if (s->tool && s->tool->updated)
			cJSON_AddNumberToObject(o, "age_seconds", (double)(v->now - s->tool->updated));
		if (!s->ok)
			cJSON_AddStringToObject(o, "reason", s->why);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

cJSON *
status_api_health_json(const struct status_api_view *v)
{
	cJSON *o = cJSON_CreateObject(), *failing = cJSON_CreateArray();
	char ts[32];

	status_api_iso(v->now, ts, sizeof ts);
	cJSON_AddStringToObject(o, "status", v->health.ok ? "ok" : "unhealthy");
	cJSON_AddStringToObject(o, "timestamp", ts);
	for (int i = 0; i < v->health.n; i++)
		if (!v->health.stage[i].ok) {
			char line[192];
			snprintf(line, sizeof line, "%s: %s", v->health.stage[i].name,
			    v->health.stage[i].why);
			cJSON_AddItemToArray(failing, cJSON_CreateString(line));
		}
	cJSON_AddItemToObject(o, "failing", failing);
	cJSON_AddItemToObject(o, "stages", stages_json(v));
	return o;
}

/* When the flow started: the pipeline's start, else the oldest stage's. */
static time_t
flow_started(const struct status_api_view *v)
{
	const struct status_view_tool *p = tool_of(v, "wn-pipeline");
	time_t t = 0;

	if (p && p->running && p->started)
		return p->started;
	for (int i = 0; i < v->health.n; i++) {
		const struct status_view_tool *s = v->health.stage[i].tool;
		if (s && s->running && s->started && (!t || s->started < t))
			t = s->started;
	}
	return t;
}

static cJSON *
recent_copy(const cJSON *list, int max)
{
	cJSON *a = cJSON_CreateArray();
	int n = 0;

	for (const cJSON *it = list ? list->child : NULL; it && n < max; it = it->next, n++) {
		cJSON *o = cJSON_CreateObject();
		for (const cJSON *f = it->child; f; f = f->next) {
			char buf[256];
			if (cJSON_IsNumber(f))
				cJSON_AddNumberToObject(o, f->string, f->valuedouble);
			else if (cJSON_IsString(f))
				cJSON_AddStringToObject(o, f->string,
				    status_api_safe(f->valuestring, buf, sizeof buf));
		}
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static cJSON *
activity_json(const struct status_api_view *v)
{
	cJSON *o = cJSON_CreateObject();
	const cJSON *k = v->kills ? v->kills->child : NULL;
	double id;

	add_num(v, o, "received_count", "wn-kills", "kills");
	add_time(v, o, "last_received", "wn-kills", "last_kill");
	add_num(v, o, "notified_count", "wn-discord", "delivered");
	add_time(v, o, "last_notified", "wn-discord", "last_delivered");
	if (k && (id = json_num(k, "killmail_id", 0)) > 0)
		cJSON_AddNumberToObject(o, "last_notified_kill_id", id);
	return o;
}

static cJSON *
discord_json(const struct status_api_view *v)
{
	cJSON *o = cJSON_CreateObject();
	const struct status_view_tool *t = tool_of(v, "wn-discord");

	for (int i = 0; i < v->health.n; i++)	/* the health rule's verdict */
		if (!strcmp(v->health.stage[i].name, "wn-discord"))
			cJSON_AddBoolToObject(o, "healthy", v->health.stage[i].ok);
	if (t)
		cJSON_AddBoolToObject(o, "running", t->running);
	add_num(v, o, "total_successes", "wn-discord", "delivered");
	add_num(v, o, "total_failures", "wn-discord", "dead");
	add_num(v, o, "rate_limited", "wn-discord", "rate_limited");
	add_num(v, o, "queued", "wn-discord", "queued");
	if (v->dead_letters >= 0)
		cJSON_AddNumberToObject(o, "dead_letters", (double)v->dead_letters);
	add_time(v, o, "last_success", "wn-discord", "last_delivered");
	return o;
}

/* What wn does not know is left out, never sent as a zero or {}. */
static void
drop_empty(cJSON *o)
{
	cJSON *it = o->child, *next;

	for (; it; it = next) {
		next = it->next;
		if (cJSON_IsObject(it) && !it->child)
			cJSON_Delete(cJSON_DetachItemViaPointer(o, it));
	}
}

cJSON *
status_api_status_json(const struct status_api_view *v)
{
	cJSON *o = cJSON_CreateObject(), *x;
	time_t started = flow_started(v);
	char ts[32], buf[128];

	status_api_iso(v->now, ts, sizeof ts);
	cJSON_AddStringToObject(o, "status", v->health.ok ? "OK" : "DEGRADED");
	cJSON_AddStringToObject(o, "timestamp", ts);
	cJSON_AddStringToObject(o, "version", WN_VERSION);
	cJSON_AddStringToObject(o, "server_version", WN_VERSION);
	if (started) {
		x = cJSON_AddObjectToObject(o, "uptime");
		cJSON_AddNumberToObject(x, "seconds", (double)(v->now - started));
		status_api_iso(started, ts, sizeof ts);
		cJSON_AddStringToObject(x, "started_at", ts);
	}
	cJSON_AddItemToObject(o, "health", status_api_health_json(v));
	x = cJSON_AddObjectToObject(o, "tracking");
	if (tool_of(v, "wn-filter")) {
		add_num(v, x, "systems_count", "wn-filter", "tracked_systems");
		add_num(v, x, "characters_count", "wn-filter", "tracked_characters");
	} else {
		add_num(v, x, "systems_count", "wn-mapsse", "systems");
		add_num(v, x, "characters_count", "wn-mapsse", "characters");
	}
	add_num(v, x, "killmails_received", "wn-kills", "kills");
	cJSON_AddItemToObject(o, "killmail_activity", activity_json(v));
	if (tool_of(v, "wn-kills")) {
		x = cJSON_AddObjectToObject(o, "websocket");
		add_state(v, x, "wn-kills");
		add_num(v, x, "reconnects", "wn-kills", "reconnects");
		add_num(v, x, "queued", "wn-kills", "queued");
	}
	if (tool_of(v, "wn-mapsse")) {
		x = cJSON_AddObjectToObject(o, "sse");
		cJSON_AddStringToObject(x, "mode", "env_var");
		add_state(v, x, "wn-mapsse");
		if (v->map_name && *v->map_name)
			cJSON_AddStringToObject(x, "map_name", status_api_safe(v->map_name, buf, sizeof buf));
		add_num(v, x, "events", "wn-mapsse", "events");
		add_num(v, x, "reconnects", "wn-mapsse", "reconnects");
		add_time(v, x, "last_event", "wn-mapsse", "last_event");
	}
	if (tool_of(v, "wn-discord"))
		cJSON_AddItemToObject(o, "discord_health", discord_json(v));
	if (tool_of(v, "wn-enrich")) {
		const char *esi = status_api_str(v, "wn-enrich", "esi");
		x = cJSON_AddObjectToObject(o, "cache_stats");
		add_num(v, x, "size", "wn-enrich", "cache_entries");
		add_num(v, x, "file_bytes", "wn-enrich", "cache_file_bytes");
		if (esi)
			cJSON_AddBoolToObject(cJSON_AddObjectToObject(o, "esi"), "healthy",
			    !strcmp(esi, "up"));
	}
	cJSON_AddItemToObject(o, "recent_kills", recent_copy(v->kills, STATUS_API_RECENT));
	cJSON_AddItemToObject(o, "recent_messages", recent_copy(v->posted, STATUS_API_RECENT));
	drop_empty(o);
	return o;
}

void
status_api_kills_per_hour(const struct status_api_view *v, int out[STATUS_API_CHART_HOURS])
{
	memset(out, 0, STATUS_API_CHART_HOURS * sizeof *out);
	for (const cJSON *it = v->kills ? v->kills->child : NULL; it; it = it->next) {
		time_t t = status_view_parse_time(json_str(it, "seen"));
		long long h;
		if (t < 0 || t > v->now)
			continue;
		h = (long long)(v->now - t) / 3600;
		if (h < STATUS_API_CHART_HOURS)
			out[STATUS_API_CHART_HOURS - 1 - h]++;
	}
}
