/* status_view.h — reading every tool's status file (written by status.c
 * as state_dir()/status/<tool>.json) and showing them: a table for a
 * person, NDJSON, and a Prometheus textfile for node_exporter. */
#ifndef WN_STATUS_VIEW_H
#define WN_STATUS_VIEW_H

#include <stdio.h>
#include <time.h>
#include <cjson/cJSON.h>

#define STATUS_VIEW_MAX_TOOLS 64            /* status files read; the rest are counted */
#define STATUS_VIEW_MAX_FILE  (64 * 1024)   /* a status file is ~1 KiB; bound anyway */

struct status_view_tool {
	char name[64];      /* "tool", else the file name without .json */
	long pid;           /* 0 when absent */
	int running;        /* set by status_view_check_running */
	time_t updated;     /* 0 when absent or unreadable */
	time_t started;
	cJSON *doc;         /* the whole object, owned */
};

struct status_view_list {
	struct status_view_tool tool[STATUS_VIEW_MAX_TOOLS];
	int n;
	int skipped;        /* unreadable, malformed or beyond STATUS_VIEW_MAX_TOOLS */
};

/* status_view.c */
/* One status file's text into t (name falls back to `fallback`).
 * Returns 0, or -1 with a reason in err. */
int status_view_parse(const char *buf, size_t len, const char *fallback,
    struct status_view_tool *t, char *err, size_t errlen);
/* Every *.json in dir, sorted by tool name; bad files warned and counted.
 * A missing dir is an empty list; -1 (errno set) if it cannot be read. */
int status_view_load_dir(const char *dir, struct status_view_list *l);
void status_view_free(struct status_view_list *l);
/* running = the pid exists, is not a zombie, and is that tool (/proc). */
void status_view_check_running(struct status_view_list *l);
int status_view_pid_is(long pid, const char *tool);
/* The pid of another running TOOL whose status file in state_dir() this
 * is, else 0: a second copy beside it (a dry run) leaves the file alone. */
long status_view_live_owner(const char *tool);
/* "YYYY-MM-DDTHH:MM:SS[.fff]Z" → unix time; -1 if not that shape. */
time_t status_view_parse_time(const char *s);
/* 42s, 3m05s, 2h07m, 4d03h */
void status_view_format_age(char *buf, size_t size, long long secs);
/* the same, or only the largest unit when coarse: 42s, 3m, 2h, 4d */
void status_view_format_age_in(char *buf, size_t size, long long secs, int coarse);
void status_view_render_text(FILE *f, const struct status_view_list *l, time_t now);
void status_view_render_json(FILE *f, const struct status_view_list *l, time_t now);

/* status_prom.c */
/* Prometheus text exposition (version 0.0.4) of the whole list, one
 * HELP/TYPE per family; malloc'd, NUL-terminated, length in *len. */
char *status_view_render_prometheus(const struct status_view_list *l, time_t now, size_t *len);
/* Status files do not say counter or gauge: judged by the key's name. */
int status_view_key_is_gauge(const char *key);
/* Metric-name-safe copy of key ([a-zA-Z0-9_], not starting with a digit). */
void status_view_metric_name(char *buf, size_t size, const char *key);

#endif
