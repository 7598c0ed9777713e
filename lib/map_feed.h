/* map_feed.h — follows one Wanderer map, the map side's counterpart of
 * kfeed.c: REST bootstrap, then the SSE event stream from the saved
 * cursor, a resync over REST after every reconnect (only differences are
 * written), REST polling while SSE is disabled, and the reconnect policy
 * of map_policy.c.  Records go to stdout (and the replay journal);
 * state_dir()/map.json and the cursor follow them. */
#ifndef WN_MAP_FEED_H
#define WN_MAP_FEED_H

#include <signal.h>
#include <stddef.h>

struct map_feed_config {
	const char *url, *map, *key, *events;   /* map: slug or UUID; events: "*" all */
	double poll, stall, sse_retry, backoff_min, backoff_max, steady;   /* seconds */
	long timeout_ms, connect_ms;
	size_t max_event;
	int once;                               /* load, write the state, return */
	volatile sig_atomic_t *stop;            /* set: return soon */
};

struct map_feed;

/* map_feed.c */
/* base: scheme://host[:port].  Exits 111 when out of memory. */
struct map_feed *map_feed_new(const struct map_feed_config *cfg, const char *base);
/* Until *cfg->stop (or after the first load with once).  A refused key or
 * an unknown map exits 100; state that cannot be kept exits 111. */
void map_feed_run(struct map_feed *f);
void map_feed_free(struct map_feed *f);

#endif
