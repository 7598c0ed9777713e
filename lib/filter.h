/* filter.h — Wanderer Notifier's decisions: does a record become a
 * notification, and of which kind.  Pure: the caller supplies the tracked
 * sets, the clock ("now" for the age limit, "uptime" for the startup
 * window) and the record's facts; nothing here does I/O except the two
 * priority-file helpers at the end. */
#ifndef WN_FILTER_H
#define WN_FILTER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "idset.h"
#include "kind.h"
#include "killmail_facts.h"
#include "seen.h"

#define FILTER_MAX_TRACKED 32     /* tracked_characters listed per record */
#define FILTER_MAX_STRS 32        /* labels in an include/exclude list */

/* Wormhole space, as Wanderer Notifier draws it. */
#define IS_WORMHOLE(id) ((id) >= 31000000 && (id) <= 31999999)

struct strlist {
	char *v[FILTER_MAX_STRS];
	size_t n;
};

struct filter_config {
	int notifications, kills, systems, characters, rally;   /* feature flags */
	int track_kspace, wormhole_only, priority_only, notify_removed;
	int exclude_npc;
	double min_value;          /* ISK, 0 = off */
	long long max_age;         /* seconds, 0 = off */
	long long suppress;        /* startup window in seconds, 0 = off */
	struct idset corp_focus, char_exclude, system_exclude;
	struct idset incl_corps, excl_corps, incl_alliances, excl_alliances;
	struct strlist incl_labels, excl_labels;
	char rally_mention[512];   /* "<@&1> <@&2>" or "" */
};

struct filter {
	struct filter_config c;
	const struct idset *systems, *characters;   /* tracked (caller owns) */
	struct idset priority;                       /* priority systems */
	struct seen seen;
};

enum notify_role { ROLE_NONE, ROLE_LOSS, ROLE_KILL };

/* Why a record was not passed: the status counters use the names. */
enum drop {
	DROP_NONE = 0, DROP_DUPLICATE, DROP_DISABLED, DROP_UNTRACKED,
	DROP_WORMHOLE_ONLY, DROP_SUPPRESSED, DROP_AGE, DROP_NPC, DROP_VALUE,
	DROP_LABEL, DROP_CORPORATION, DROP_ALLIANCE, DROP_EXCLUDED,
	DROP_PRIORITY_ONLY, DROP_ACTION, DROP_INVALID, DROP_COUNT
};

struct notify {
	enum notify_kind kind;
	enum notify_role role;
	int priority;
	const char *mention;       /* NULL, "@here" or the rally roles */
	char reason[192];
	char system_name[256];     /* the map's own name for the kill's system, or "" */
	int64_t tracked[FILTER_MAX_TRACKED];
	size_t n_tracked;
};

/* filter.c */
void filter_init(struct filter *f);
void filter_free(struct filter *f);
/* Defaults, then the environment (Wanderer Notifier names plus WN_*).
 * -1 with a reason in err on a bad list. */
int filter_config_env(struct filter_config *c, char *err, size_t errlen);
/* Parse "a,b,c" into a string list (replacing it); -1 if too many. */
int strlist_parse(struct strlist *l, const char *csv);
/* Do the rules look at attackers / zkb labels at all?  When not, the
 * scanner skips them unread. */
int filter_wants_attackers(const struct filter *f);
int filter_wants_labels(const struct filter *f);
/* Kill: DROP_NONE and *out filled, or why not.  now: wall clock used for
 * the age limit; uptime: seconds since start (startup window). */
enum drop filter_kill(struct filter *f, const struct killmail_facts *k, time_t now,
                      double uptime, struct notify *out);
/* Map events.  id: solar_system_id / character_id; sid: rally_point_id
 * (any string); action "added", "removed", "updated". */
enum drop filter_system(struct filter *f, const char *action, int64_t id,
                        double uptime, struct notify *out);
enum drop filter_character(struct filter *f, const char *action, int64_t id,
                           double uptime, struct notify *out);
enum drop filter_rally(struct filter *f, const char *action, const char *sid,
                       const char *system_name, double uptime, struct notify *out);
const char *filter_drop_name(enum drop d);
const char *notify_kind_name(enum notify_kind k);
/* The notify object as compact JSON.  Length, or -1 if size is short. */
int notify_json(const struct notify *n, char *buf, size_t size);


/* Priority systems file: one id per line, '#' comments.  load: 0 ok
 * (a missing file is an empty set), -1 unreadable or bad line;
 * save: atomically. */
int priority_load(struct idset *s, const char *path, char *err, size_t errlen);
int priority_save(const struct idset *s, const char *path);

#endif
