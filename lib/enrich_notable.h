/* enrich_notable.h — the "Notable Items" step of wn-enrich, over a
 * window of killmail records (lib/enrich.c calls it):
 *   gather  per record: the dropped items (from victim.items, or from the
 *           ESI killmail fetched by id and hash when the record has none);
 *           their type ids join the window's POST /universe/names.
 *   finish  per window: names from the cache, prices from the cache
 *           ("price:<type id>", 6 h) and, for the rest, one Janice
 *           appraisal for the whole window; then the selection
 *           (lib/enrich_items.h) and "notable_items" on each record.
 * When a price or the body cannot be had before the deadline, the record
 * goes on without notable_items (counted; one warning per failed
 * appraisal), never held back. */
#ifndef WN_ENRICH_NOTABLE_H
#define WN_ENRICH_NOTABLE_H

#include <stddef.h>
#include <cjson/cJSON.h>

struct cache;
struct esi;
struct idset;
struct janice;

#define NOTABLE_PRICE_TTL (6L * 3600)
#define NOTABLE_WINDOW_ITEMS (64u << 10)   /* dropped types held per window */

struct enrich_notable_config {
	double threshold;     /* NOTABLE_ITEMS_THRESHOLD_ISK */
	size_t limit;         /* NOTABLE_ITEMS_LIMIT */
	long ttl_gone;        /* a killmail ESI says does not exist */
};

struct enrich_notable_counters {
	long long attached;   /* records given notable_items */
	long long failed;     /* went on without: no body, name or price in time */
	long long bodies;     /* ESI killmails fetched for their items */
};

struct enrich_notable;

/* enrich_notable.c */
struct enrich_notable *enrich_notable_new(const struct enrich_notable_config *cfg,
                                          struct esi *esi, struct cache *cache,
                                          struct janice *janice);
void enrich_notable_free(struct enrich_notable *nb);
const struct enrich_notable_counters *enrich_notable_counters(const struct enrich_notable *nb);
/* rec must stay valid (same object) until enrich_notable_finish. */
void enrich_notable_gather(struct enrich_notable *nb, cJSON *rec, struct idset *need,
                           double deadline);
void enrich_notable_finish(struct enrich_notable *nb, double deadline);

#endif
