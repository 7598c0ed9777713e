/* statusapi.h — what the HTTP surface of `wn-status --serve` says, built
 * from the status files (statusview.h), the health rule (health.h) and
 * the recent-event lists (recent.h): pure functions, no sockets.
 *
 * Every string taken from a file goes through the log redactor first, so
 * a secret that found its way into a status file is still not served. */
#ifndef WN_STATUSAPI_H
#define WN_STATUSAPI_H

#include <time.h>
#include <cjson/cJSON.h>

#include "health.h"
#include "statusview.h"

#define SA_RECENT 10      /* kills and messages listed */
#define SA_CHART_HOURS 24
#define SA_CHART_KILLS 500  /* kills read for the chart; more in a day are not drawn */

/* Everything one request looks at, loaded once. */
struct sa_view {
	struct sv_list list;
	struct health health;
	cJSON *kills;         /* recent notified kills, newest first */
	cJSON *posted;        /* recent messages posted, newest first */
	long dead_letters;    /* files in <state>/discord/dead; -1: no such dir */
	time_t now;
	const char *map_name; /* MAP_NAME, or NULL */
};

/* statusapi.c */
/* Load status dir `dir` and judge the stages (names/n as health_judge);
 * SA_READY: by the readiness rule; SA_DETAILS: the recent lists and dead
 * letters too. */
enum { SA_READY = 1, SA_DETAILS = 2 };
int sa_load(struct sa_view *v, const char *dir, char **names, int n, long max_age,
    int flags);
void sa_free(struct sa_view *v);
/* {"status":"ok"|"unhealthy","stages":{...},"failing":[...],"timestamp":..} */
cJSON *sa_health_json(const struct sa_view *v);
/* The notifier's /api/status keys where wn has the figure (wn-status(1)). */
cJSON *sa_status_json(const struct sa_view *v);
/* Number/string of one key of one tool's status file. */
int sa_num(const struct sa_view *v, const char *tool, const char *key, double *out);
const char *sa_str(const struct sa_view *v, const char *tool, const char *key);
/* A redacted copy of s into buf. */
const char *sa_safe(const char *s, char *buf, size_t size);
/* Kills per hour over the last SA_CHART_HOURS hours, oldest first, from
 * the recent kill list (its "seen" times). */
void sa_kills_per_hour(const struct sa_view *v, int out[SA_CHART_HOURS]);
/* ISO 8601 of t into buf. */
void sa_iso(time_t t, char *buf, size_t size);

/* dashboard.c */
/* The HTML page (malloc'd, NUL-terminated). */
char *dashboard_html(const struct sa_view *v, size_t *len);

#endif
