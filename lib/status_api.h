/* status_api.h — what the HTTP surface of `wn-status --serve` says, built
 * from the status files (status_view.h), the health rule (health.h) and
 * the recent-event lists (recent.h): pure functions, no sockets.
 *
 * Every string taken from a file goes through the log redactor first, so
 * a secret that found its way into a status file is still not served. */
#ifndef WN_STATUS_API_H
#define WN_STATUS_API_H

#include <time.h>
#include <cjson/cJSON.h>

#include "health.h"
#include "status_view.h"

#define STATUS_API_RECENT 10      /* kills and messages listed */
#define STATUS_API_CHART_HOURS 24
#define STATUS_API_CHART_KILLS 500  /* kills read for the chart; more in a day are not drawn */

/* Everything one request looks at, loaded once. */
struct status_api_view {
	struct status_view_list list;
	struct health health;
	cJSON *kills;         /* recent notified kills, newest first */
	cJSON *posted;        /* recent messages posted, newest first */
	long dead_letters;    /* files in <state>/discord/dead; -1: no such dir */
	time_t now;
	const char *map_name; /* MAP_NAME, or NULL */
};

/* status_api.c */
/* Load status dir `dir` and judge the stages (names/n as health_judge);
 * STATUS_API_READY: by the readiness rule; STATUS_API_DETAILS: the recent lists and dead
 * letters too. */
enum { STATUS_API_READY = 1, STATUS_API_DETAILS = 2 };
int status_api_load(struct status_api_view *v, const char *dir, char **names, int n, long max_age,
    int flags);
void status_api_free(struct status_api_view *v);
/* {"status":"ok"|"unhealthy","stages":{...},"failing":[...],"timestamp":..} */
cJSON *status_api_health_json(const struct status_api_view *v);
/* The notifier's /api/status keys where wn has the figure (wn-status(1)). */
cJSON *status_api_status_json(const struct status_api_view *v);
/* Number/string of one key of one tool's status file. */
int status_api_num(const struct status_api_view *v, const char *tool, const char *key, double *out);
const char *status_api_str(const struct status_api_view *v, const char *tool, const char *key);
/* A redacted copy of s into buf. */
const char *status_api_safe(const char *s, char *buf, size_t size);
/* Kills per hour over the last STATUS_API_CHART_HOURS hours, oldest first, from
 * the recent kill list (its "seen" times). */
void status_api_kills_per_hour(const struct status_api_view *v, int out[STATUS_API_CHART_HOURS]);
/* ISO 8601 of t into buf. */
void status_api_iso(time_t t, char *buf, size_t size);

/* dashboard.c */
/* The HTML page (malloc'd, NUL-terminated). */
char *dashboard_html(const struct status_api_view *v, size_t *len);

#endif
