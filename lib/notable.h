/* notable.h — "Notable Items" of a killmail (notifier-detail.md 5.5),
 * the pure part: which items the victim dropped, which of them are worth
 * a line in the kill message, and the "notable_items" member that says
 * so.  Names and prices come from elsewhere (lib/enrich_notable.c). */
#ifndef WN_NOTABLE_H
#define WN_NOTABLE_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#define NOTABLE_NAME_MAX 128     /* longer type names are not shown */
#define NOTABLE_ITEMS_MAX 256    /* distinct dropped types looked at per kill */
#define NOTABLE_THRESHOLD_DEFAULT 50000000.0
#define NOTABLE_LIMIT_DEFAULT 5

struct notable_item {
	int64_t type_id;
	long long quantity;           /* dropped */
	char name[NOTABLE_NAME_MAX];  /* "" until named */
	double unit_price;            /* < 0: not priced */
	double total;                 /* unit_price * quantity, set by notable_select */
};

/* notable.c */
/* The victim's dropped items: top-level victim.items[] with
 * quantity_dropped > 0 (what sat in a container is ignored, as Wanderer
 * Notifier does), one entry per type id (quantities of the same type in
 * several slots added up), in first-seen order, at most max.  Returns
 * the count. */
size_t notable_dropped(const cJSON *rec, struct notable_item *out, size_t max);
/* 1 when the record has no victim.items to look at but has killmail_id
 * and a 40-hex-digit hash (killmail_hash or zkb.hash) to fetch them by. */
int notable_body_ref(const cJSON *rec, int64_t *id, char hash[41]);
/* "abyssal" anywhere in the name, any case. */
int notable_is_abyssal(const char *name);
/* Keeps, in place and in order of total value (highest first, then type
 * id), the items to show: notable (abyssal, or total >= threshold), then
 * shown (total > threshold: a cheap abyssal item goes here), at most
 * limit.  Unnamed or unpriced items never qualify.  Returns the count. */
size_t notable_select(struct notable_item *it, size_t n, double threshold, size_t limit);
/* Sets rec.notable_items = [{type_id,name,quantity,unit_price,
 * total_value},...]; n == 0 removes the member. */
void notable_attach(cJSON *rec, const struct notable_item *it, size_t n);

#endif
