/* gwstatus.h — the texts wn-gateway posts: the /notifier status reply
 * (Wanderer Notifier's layout with wn's real figures, read from the
 * tools' status files), the hourly status report and the startup line. */
#ifndef WN_GWSTATUS_H
#define WN_GWSTATUS_H

#include <stddef.h>
#include <time.h>

struct status_view_list;

struct gws_flags {
	int priority_only, systems, characters, kills;
	size_t priority;          /* priority systems in the file */
};

/* gwstatus.c */
char *gwstatus_reply(const struct status_view_list *l, const struct gws_flags *f, time_t now);
/* Earliest start among the running tools (status_view_check_running done), else
 * fallback. */
time_t gwstatus_started(const struct status_view_list *l, time_t fallback);
char *gwstatus_report(const struct status_view_list *l, time_t started, time_t now);
char *gwstatus_startup(time_t now);
/* "0d 1h 0m 3s" */
void gwstatus_uptime(char *buf, size_t size, long long secs);

#endif
