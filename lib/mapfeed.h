/* mapfeed.h — follows one Wanderer map, the map side's counterpart of
 * kfeed.c: REST bootstrap, then the SSE event stream from the saved
 * cursor, a resync over REST after every reconnect (only differences are
 * written), REST polling while SSE is disabled, and the reconnect policy
 * of mappolicy.c.  Records go to stdout (and the replay journal);
 * state_dir()/map.json and the cursor follow them. */
#ifndef WN_MAPFEED_H
#define WN_MAPFEED_H

#include <signal.h>
#include <stddef.h>

struct mapfeed_config {
	const char *url, *map, *key, *events;   /* map: slug or UUID; events: "*" all */
	double poll, stall, sse_retry, backoff_min, backoff_max, steady;   /* seconds */
	long timeout_ms, connect_ms;
	size_t max_event;
	int once;                               /* load, write the state, return */
	volatile sig_atomic_t *stop;            /* set: return soon */
};

struct mapfeed;

/* mapfeed.c */
/* base: scheme://host[:port].  Exits 111 when out of memory. */
struct mapfeed *mapfeed_new(const struct mapfeed_config *cfg, const char *base);
/* Until *cfg->stop (or after the first load with once).  A refused key or
 * an unknown map exits 100; state that cannot be kept exits 111. */
void mapfeed_run(struct mapfeed *f);
void mapfeed_free(struct mapfeed *f);

#endif
