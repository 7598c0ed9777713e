/* enrich_items.h — "Notable Items" of a killmail (notifier-detail.md 5.5),
 * the pure part: which items the victim dropped, which of them are worth
 * a line in the kill message, and the "notable_items" member that says
 * so.  Names and prices come from elsewhere (lib/enrich_notable.c). */
#ifndef WN_ENRICH_ITEMS_H
#define WN_ENRICH_ITEMS_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#define ENRICH_ITEMS_NAME_MAX 128     /* longer type names are not shown */
#define ENRICH_ITEMS_MAX 256    /* distinct dropped types looked at per kill */
#define ENRICH_ITEMS_THRESHOLD_DEFAULT 50000000.0
#define ENRICH_ITEMS_LIMIT_DEFAULT 5

struct enrich_items_entry {
	int64_t type_id;
	long long quantity;           /* dropped */
	char name[ENRICH_ITEMS_NAME_MAX];  /* "" until named */
	double unit_price;            /* < 0: not priced */
	double total;                 /* unit_price * quantity, set by enrich_items_select */
};

/* enrich_items.c */
/* The victim's dropped items: top-level victim.items[] with
 * quantity_dropped > 0 (what sat in a container is ignored, as Wanderer
 * Notifier does), one entry per type id (quantities of the same type in
 * several slots added up), in first-seen order, at most max.  Returns
 * the count. */
size_t enrich_items_dropped(const cJSON *rec, struct enrich_items_entry *out, size_t max);
/* 1 when the record has no victim.items to look at but has killmail_id
 * and a 40-hex-digit hash (killmail_hash or zkb.hash) to fetch them by. */
int enrich_items_body_ref(const cJSON *rec, int64_t *id, char hash[41]);
/* "abyssal" anywhere in the name, any case. */
int enrich_items_is_abyssal(const char *name);
/* Keeps, in place and in order of total value (highest first, then type
 * id), the items to show: notable (abyssal, or total >= threshold), then
 * shown (total > threshold: a cheap abyssal item goes here), at most
 * limit.  Unnamed or unpriced items never qualify.  Returns the count. */
size_t enrich_items_select(struct enrich_items_entry *it, size_t n, double threshold, size_t limit);
/* Sets rec.notable_items = [{type_id,name,quantity,unit_price,
 * total_value},...]; n == 0 removes the member. */
void enrich_items_attach(cJSON *rec, const struct enrich_items_entry *it, size_t n);

#endif
