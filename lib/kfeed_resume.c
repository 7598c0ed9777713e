/* kfeed_resume.c — where a WandererKills session resumes: the newest kill
 * time written, kept in state_dir()/kills.newest across restarts, and the
 * hours of preload a join asks for to cover the time since. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <limits.h>

#include "kfeed.h"
#include "killmail_facts.h"
#include "log.h"
#include "state.h"
#include "wntime.h"

#define NEWEST_FILE "kills.newest"

long long
kfeed_resume_load(void)
{
	char path[PATH_MAX], *buf;
	long long newest = 0;
	size_t len;
	time_t t;

	if (state_path(path, sizeof path, NEWEST_FILE) < 0 || !(buf = state_read_file(path, 64, &len)))
		return 0;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = 0;
	if (killmail_facts_parse_time(buf, len, &t) == 0)
		newest = (long long)t;
	else
		log_warn("%s: not a time, ignored", path);
	free(buf);
	return newest;
}

int
kfeed_resume_save(long long newest)
{
	static int failing;
	char path[PATH_MAX], buf[WNTIME_ISO_LEN + 2];

	if (state_path(path, sizeof path, NEWEST_FILE) < 0 ||
	    wntime_iso_format((int64_t)newest, buf) < 0)
		return -1;
	buf[WNTIME_ISO_LEN] = '\n';
	if (state_atomic_write(path, buf, WNTIME_ISO_LEN + 1) == 0) {
		if (failing)
			log_info("%s saved again", path);
		failing = 0;
		return 0;
	}
	if (!failing++)   /* warn once per run of failures, not every second */
		log_warn("cannot save %s: %s (a restart would ask for too much or too little preload)",
		         path, strerror(errno));
	return -1;
}

/* Live kills can arrive up to an hour late: one hour more than the gap. */
int
kfeed_resume_hours(long long newest, long long now)
{
	long long gap;

	if (!newest)
		return 1;
	gap = now - newest;
	gap = gap > 0 ? (gap + 3599) / 3600 + 1 : 1;
	return gap > 24 ? 24 : (int)gap;
}
