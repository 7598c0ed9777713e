/* enrich_status.h — wn-enrich's counters in its status file: those of
 * the tool, of enrichment, ESI, the cache, recent kills, notable items
 * and Janice, each added as the growth since the last push. */
#ifndef WN_ENRICH_STATUS_H
#define WN_ENRICH_STATUS_H

struct cache;
struct enrich;
struct enrich_notable;
struct enrich_recent;
struct esi;
struct janice;

struct enrich_status {
	struct enrich *en;
	struct esi *esi;
	struct cache *cache;
	struct enrich_recent *recent;     /* NULL when off */
	struct enrich_notable *notable;   /* NULL when off */
	struct janice *janice;            /* NULL when off */
	long long received, written;      /* the tool's own counts */
	long long pushed[64];             /* what status already has */
};

/* enrich_status.c */
/* Adds what grew to the status counters, sets the gauges, and writes the
 * status file (at most once a second unless force). */
void enrich_status_push(struct enrich_status *c, int force);

#endif
