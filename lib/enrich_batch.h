/* enrich_batch.h — wn-enrich's window: records taken in input order and
 * held, with where each came from, until the window is sent through
 * enrich_window (so the ids of many kills go to ESI together) and written
 * out in the same order.  Bounded by the caller: enrich_batch_full. */
#ifndef WN_ENRICH_BATCH_H
#define WN_ENRICH_BATCH_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "enrich.h"

#define ENRICH_BATCH_MAX_BYTES (16u << 20)   /* input bytes held at most */

struct enrich_batch {
	struct enrich_item *items;
	char **names;                 /* input name, for messages */
	unsigned long *linenos;
	size_t n, cap, bytes;
};

/* One item, in order: name, line number, and the item (its rec and err). */
typedef void (*enrich_batch_out)(void *ud, const struct enrich_item *it, const char *name,
                                 unsigned long lineno);

/* enrich_batch.c */
/* Takes rec (the parsed line) and a copy of line; -1 when out of memory
 * (rec is then still the caller's). */
int enrich_batch_add(struct enrich_batch *b, cJSON *rec, const char *line, size_t len,
                     const char *name, unsigned long lineno);
/* max_records taken, or ENRICH_BATCH_MAX_BYTES of input. */
int enrich_batch_full(const struct enrich_batch *b, size_t max_records);
/* The window through en (nothing waits past deadline, monotonic
 * seconds), then out() for each item in input order; empties b. */
void enrich_batch_run(struct enrich_batch *b, struct enrich *en, double deadline,
                      enrich_batch_out out, void *ud);
void enrich_batch_free(struct enrich_batch *b);

#endif
