/* enrich_recent.h — the "Recent Kills" step of wn-enrich: a system
 * record with "action":"added" gets "recent_kills", the newest kills
 * WandererKills knows in that system (enrich_kills.h has the entry):
 *   GET {url}/api/v1/kills/system/{id}?limit=3&since_hours=48
 *   GET {url}/api/v1/killmail/{id} for each kill the list gives bare
 *       (cached for good: a killmail never changes; a 404 for ttl_gone)
 * then the victim's missing character and ship names and corporation
 * ticker through ESI (esi.h, its cache shared with the killmail names).
 *
 * Bounded: a request gets timeout_ms and never runs past the window's
 * deadline; requests to the host are paced to per_second; after the
 * service failed to answer, it is left alone for cooldown seconds.  On
 * failure the record goes on as it came (one warning, counted); a kill
 * whose details did not come keeps its id and zkb. */
#ifndef WN_ENRICH_RECENT_H
#define WN_ENRICH_RECENT_H

#include <signal.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "enrich.h"

struct cache;
struct esi;

struct enrich_recent_config {
	const char *base_url;          /* WANDERER_KILLS_URL, http(s) */
	const char *user_agent;
	long timeout_ms;               /* one request (5000) */
	double per_second;             /* requests to the host (20) */
	double cooldown;               /* seconds without asking after a failure */
	long ttl_static, ttl_other;    /* ESI names, as for killmails */
	long ttl_gone;                 /* a killmail the service does not know */
	volatile sig_atomic_t *stop;   /* set by a signal: no new request */
};

struct enrich_recent_counters {
	long long systems;     /* system added records seen */
	long long added;       /* given recent_kills */
	long long none;        /* no kills in the window */
	long long failed;      /* went on without: the list did not come */
	long long skipped;     /* not asked: the service failed a moment ago */
	long long details_missing;  /* kills left with id and zkb only */
	long long details_cached;   /* kill details answered by the cache */
	long long requests;    /* HTTP requests to WandererKills */
};

struct enrich_recent;

/* enrich_recent.c */
/* NULL with a reason in err (bad URL, out of memory). */
struct enrich_recent *enrich_recent_new(const struct enrich_recent_config *cfg,
                                        struct esi *esi, struct cache *cache,
                                        char *err, size_t errlen);
void enrich_recent_free(struct enrich_recent *er);
const struct enrich_recent_counters *enrich_recent_counters(const struct enrich_recent *er);
/* Every EN_RAW system added record of items[0..n) without recent_kills
 * gets them (and becomes EN_RECORD); nothing waits past deadline
 * (monotonic seconds). */
/* The reply handling, apart from the requests.  One answer to the list
 * request: the kills (an empty array for a 404, as Wanderer Notifier),
 * or NULL with the reason in why. */
cJSON *enrich_recent_list_reply(long status, const char *body, size_t len,
                                char *why, size_t size);
/* One answer to GET /api/v1/killmail/{id}: 1 with the details in *out,
 * 0 the service does not know the kill (404), -1 with the reason. */
int enrich_recent_detail_reply(long status, const char *body, size_t len, cJSON **out,
                               char *why, size_t size);
void enrich_recent_window(struct enrich_recent *er, struct enrich_item *items, size_t n,
                          double deadline);

#endif
