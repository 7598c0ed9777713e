/* status_view.c — the status files of every tool, read back and shown to a
 * person (a table) or a program (NDJSON).  Reading never trusts the files:
 * sizes are bounded, bad files are skipped with a warning. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "log.h"
#include "state.h"
#include "status_view.h"
#include "wntime.h"

/* Keys every status file has; the rest are the tool's own. */
static int
is_header_key(const char *k)
{
	return !strcmp(k, "tool") || !strcmp(k, "pid") || !strcmp(k, "updated") ||
	    !strcmp(k, "started") || !strcmp(k, "state");
}

time_t
status_view_parse_time(const char *s)
{
	int64_t t;

	return wntime_iso_parse_str(s, WNTIME_NEED_ZONE, &t) < 0 ? -1 : (time_t)t;
}

static const struct { long long secs; char unit; } age_units[] = {
	{ 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' },
};

void
status_view_format_age_in(char *buf, size_t size, long long s, int coarse)
{
	size_t i = 0;

	if (s < 0)
		s = 0;
	while (age_units[i].secs > s && age_units[i].secs > 1)
		i++;
	if (coarse || age_units[i].secs == 1)
		snprintf(buf, size, "%lld%c", s / age_units[i].secs, age_units[i].unit);
	else
		snprintf(buf, size, "%lld%c%02lld%c", s / age_units[i].secs, age_units[i].unit,
		         s % age_units[i].secs / age_units[i + 1].secs, age_units[i + 1].unit);
}

void
status_view_format_age(char *buf, size_t size, long long s)
{
	status_view_format_age_in(buf, size, s, 0);
}

int
status_view_parse(const char *buf, size_t len, const char *fallback, struct status_view_tool *t,
    char *err, size_t errlen)
{
	cJSON *doc = json_parse(buf, len, err, errlen);
	const char *name;
	int64_t pid;

	if (!doc)
		return -1;
	if (!cJSON_IsObject(doc)) {
		snprintf(err, errlen, "not a JSON object");
		cJSON_Delete(doc);
		return -1;
	}
	memset(t, 0, sizeof *t);
	name = json_str(doc, "tool");
	snprintf(t->name, sizeof t->name, "%s", name && *name ? name : fallback);
	if (json_int64(cJSON_GetObjectItemCaseSensitive(doc, "pid"), &pid) && pid > 0 &&
	    pid <= INT_MAX)
		t->pid = (long)pid;
	t->updated = status_view_parse_time(json_str(doc, "updated"));
	t->started = status_view_parse_time(json_str(doc, "started"));
	if (t->updated < 0)
		t->updated = 0;
	if (t->started < 0)
		t->started = 0;
	t->doc = doc;
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct status_view_tool *)a)->name, ((const struct status_view_tool *)b)->name);
}

static int
wanted_file(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

static void
load_one(const char *dir, const char *file, struct status_view_list *l)
{
	char path[PATH_MAX], fallback[64], err[256];
	size_t len;
	char *buf;

	if (l->n == STATUS_VIEW_MAX_TOOLS) {
		log_warn("%s/%s: more than %d status files; not shown", dir, file, STATUS_VIEW_MAX_TOOLS);
		l->skipped++;
		return;
	}
	snprintf(path, sizeof path, "%s/%s", dir, file);
	snprintf(fallback, sizeof fallback, "%.*s", (int)(strlen(file) - 5), file);
	if (!(buf = state_read_file(path, STATUS_VIEW_MAX_FILE, &len))) {
		if (errno != ENOENT)	/* a tool may rename over it right now */
			log_warn("unable to read %s: %s", path, strerror(errno)), l->skipped++;
		return;
	}
	if (status_view_parse(buf, len, fallback, &l->tool[l->n], err, sizeof err) < 0) {
		log_warn("%s: %s", path, err);
		l->skipped++;
	} else {
		l->n++;
	}
	free(buf);
}

int
status_view_load_dir(const char *dir, struct status_view_list *l)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	l->n = l->skipped = 0;
	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d)))
		if (wanted_file(e->d_name))
			load_one(dir, e->d_name, l);
	closedir(d);
	qsort(l->tool, (size_t)l->n, sizeof l->tool[0], by_name);
	return 0;
}

void
status_view_free(struct status_view_list *l)
{
	for (int i = 0; i < l->n; i++)
		cJSON_Delete(l->tool[i].doc);
	l->n = 0;
}

/* The process name in /proc/PID/stat (between the first '(' and the last
 * ')') and its state letter; -1 without /proc. */
static int
proc_stat(long pid, char *comm, size_t size, char *state)
{
	char path[64], buf[512], *open, *close;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if (!(f = fopen(path, "r")))
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	open = strchr(buf, '(');
	close = strrchr(buf, ')');
	if (!open || !close || close < open || close[1] != ' ')
		return -1;
	snprintf(comm, size, "%.*s", (int)(close - open - 1), open + 1);
	*state = close[2];
	return 0;
}

/* A script's comm is its file name or its interpreter's: look at argv too. */
static int
cmdline_names(long pid, const char *tool)
{
	char path[64], buf[1024];
	FILE *f;
	size_t n, off = 0;
	int found = 0;

	snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
	if (!(f = fopen(path, "r")))
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (int arg = 0; arg < 2 && off < n; arg++) {
		const char *a = buf + off, *base = strrchr(a, '/');
		base = base ? base + 1 : a;
		if (!strcmp(base, tool) ||
		    (!strcmp(tool, "wn-pipeline") && !strcmp(base, "pipeline.sh")))
			found = 1;
		off += strlen(a) + 1;
	}
	return found;
}

int
status_view_pid_is(long pid, const char *tool)
{
	char comm[64], state;

	if (pid <= 0 || (kill((pid_t)pid, 0) < 0 && errno != EPERM))
		return 0;
	if (proc_stat(pid, comm, sizeof comm, &state) < 0)
		return 1;	/* no /proc: the pid exists, that is all we know */
	if (state == 'Z' || state == 'X')
		return 0;
	/* comm is the name cut to 15 bytes */
	return strncmp(comm, tool, 15) == 0 || cmdline_names(pid, tool);
}

long
status_view_live_owner(const char *tool)
{
	char path[PATH_MAX], err[128], *buf;
	struct status_view_tool t;
	size_t len;
	long pid = 0;

	if (snprintf(path, sizeof path, "%s/status/%s.json", state_dir(), tool) >= (int)sizeof path ||
	    !(buf = state_read_file(path, STATUS_VIEW_MAX_FILE, &len)))
		return 0;
	if (status_view_parse(buf, len, tool, &t, err, sizeof err) == 0) {
		if (t.pid != (long)getpid() && status_view_pid_is(t.pid, tool))
			pid = t.pid;
		cJSON_Delete(t.doc);
	}
	free(buf);
	return pid;
}

void
status_view_check_running(struct status_view_list *l)
{
	for (int i = 0; i < l->n; i++)
		l->tool[i].running = status_view_pid_is(l->tool[i].pid, l->tool[i].name);
}

/* One value for the details column: numbers, ages, strings. */
static void
put_detail(FILE *f, const cJSON *it, time_t now, int first)
{
	char age[32];
	time_t t;

	fprintf(f, "%s%s ", first ? "" : ", ", it->string);
	if (cJSON_IsNumber(it)) {
		fprintf(f, "%.15g", it->valuedouble);
	} else if (cJSON_IsBool(it)) {
		fputs(cJSON_IsTrue(it) ? "yes" : "no", f);
	} else if (cJSON_IsString(it) && !*it->valuestring) {
		fputs("never", f);
	} else if (cJSON_IsString(it) && (t = status_view_parse_time(it->valuestring)) >= 0) {
		status_view_format_age(age, sizeof age, (long long)(now - t));
		fprintf(f, "%s ago", age);
	} else if (cJSON_IsString(it)) {
		fputs(it->valuestring, f);
	} else {
		fputs("...", f);
	}
}

void
status_view_render_text(FILE *f, const struct status_view_list *l, time_t now)
{
	char pid[24], upd[32], up[32];
	int w = 4;

	for (int i = 0; i < l->n; i++)
		if ((int)strlen(l->tool[i].name) > w)
			w = (int)strlen(l->tool[i].name);
	fprintf(f, "%-*s %-7s %7s  %-14s %8s %8s  %s\n", w, "TOOL", "RUNNING", "PID",
	    "STATE", "UPDATED", "UPTIME", "DETAILS");
	for (int i = 0; i < l->n; i++) {
		const struct status_view_tool *t = &l->tool[i];
		const char *state = json_str(t->doc, "state");
		int first = 1;

		snprintf(pid, sizeof pid, "%ld", t->pid);
		strcpy(upd, "-");
		strcpy(up, "-");
		if (t->updated)
			status_view_format_age(upd, sizeof upd, (long long)(now - t->updated));
		if (t->running && t->started)
			status_view_format_age(up, sizeof up, (long long)(now - t->started));
		fprintf(f, "%-*s %-7s %7s  %-14s %8s %8s  ", w, t->name,
		    t->running ? "yes" : "NO", t->pid ? pid : "-",
		    state && *state ? state : "-", upd, up);
		for (const cJSON *it = t->doc->child; it; it = it->next) {
			if (!it->string || is_header_key(it->string))
				continue;
			put_detail(f, it, now, first);
			first = 0;
		}
		fputc('\n', f);
	}
}

void
status_view_render_json(FILE *f, const struct status_view_list *l, time_t now)
{
	for (int i = 0; i < l->n; i++) {
		const struct status_view_tool *t = &l->tool[i];
		cJSON *o = cJSON_Duplicate(t->doc, 1);
		char *s;

		if (!o)
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(o, "running");
		cJSON_DeleteItemFromObjectCaseSensitive(o, "age_seconds");
		cJSON_AddBoolToObject(o, "running", t->running);
		if (t->updated)
			cJSON_AddNumberToObject(o, "age_seconds", (double)(now - t->updated));
		if ((s = json_print(o)))
			fprintf(f, "%s\n", s);
		free(s);
		cJSON_Delete(o);
	}
}
