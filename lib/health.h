/* health.h — one rule for "is the flow working?", shared by
 * `wn-status --check` (an exit status) and GET /health and /ready.
 *
 * A stage is fine when its status file exists, its process is running
 * (status_view_check_running), its state is not a stopped or failed one, and —
 * for the two feeds — it is connected (wn-kills "joined" or "following",
 * wn-mapsse "streaming" or "polling") and its status file was rewritten
 * within max_age seconds (status.c rewrites it every STATUS_HEARTBEAT_SECS
 * while the feed's loop turns, so an old file means a stuck process).
 * The other stages wait on their input and write only when something
 * happens: for them a live process is the proof of life. */
#ifndef WN_HEALTH_H
#define WN_HEALTH_H

#include <time.h>

#include "status_view.h"

#define HEALTH_MAX_STAGES 16
#define HEALTH_MAX_AGE_DEFAULT 60   /* seconds; WN_HEALTH_MAX_AGE */

struct health_stage {
	char name[64];
	int ok;
	char why[96];       /* "" when ok; else "not running", "state stopped", ... */
	const struct status_view_tool *tool;   /* into the list, NULL when absent */
};

struct health {
	int ok;             /* every stage ok (and, for ready, the flow started) */
	int n;
	struct health_stage stage[HEALTH_MAX_STAGES];
};

/* health.c */
/* The stages of the live flow, in pipeline order. */
extern const char *const health_default_stages[];
/* Judge `names` (n of them; n == 0: the default five) against l.  With
 * ready, a wn-pipeline status file that exists must also say "running"
 * (every stage reported in).  Returns h->ok. */
int health_judge(const struct status_view_list *l, char **names, int n, time_t now,
    long max_age, int ready, struct health *h);
/* "wn-kills (not running), wn-mapsse (state backoff)"; "" when ok. */
void health_summary(const struct health *h, char *buf, size_t size);

/* wn-status --check: judge the files in dir, say what fails on stderr
 * (and the health JSON on stdout with json); an exit status: 0 healthy,
 * HEALTH_EXIT_UNHEALTHY (1, what Docker's HEALTHCHECK means by
 * unhealthy), 111 when the files cannot be read. */
#define HEALTH_EXIT_UNHEALTHY 1
int health_check(const char *dir, char **names, int n, int json);

#endif
