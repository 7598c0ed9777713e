/* enrich_notable.c — dropped items named (ESI, through the window's one
 * /universe/names request) and priced (cache, then one Janice appraisal
 * per window), the notable ones attached to their records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache.h"
#include "enrich_notable.h"
#include "esi.h"
#include "idset.h"
#include "janice.h"
#include "json.h"
#include "log.h"
#include "enrich_items.h"

#define KILLMAIL_TTL (30L * 86400)   /* a killmail never changes */

struct pending {
	cJSON *rec;
	struct enrich_items_entry *items;
	size_t n;
	int unnamed;                     /* a name ESI did not give in time */
};

struct enrich_notable {
	struct enrich_notable_config cfg;
	struct esi *esi;
	struct cache *cache;
	struct janice *janice;
	struct enrich_notable_counters n;
	struct pending *p;
	size_t np, cap, held;            /* held: items over all of p */
	struct enrich_items_entry scratch[ENRICH_ITEMS_MAX];
	struct idset topr;               /* type ids to ask Janice about */
};

struct enrich_notable *
enrich_notable_new(const struct enrich_notable_config *cfg, struct esi *esi,
                   struct cache *cache, struct janice *janice)
{
	struct enrich_notable *nb = calloc(1, sizeof *nb);

	if (!nb)
		return NULL;
	nb->cfg = *cfg;
	nb->esi = esi;
	nb->cache = cache;
	nb->janice = janice;
	idset_init(&nb->topr);
	return nb;
}

static void
clear(struct enrich_notable *nb)
{
	for (size_t i = 0; i < nb->np; i++)
		free(nb->p[i].items);
	nb->np = nb->held = 0;
	idset_clear(&nb->topr);
}

void
enrich_notable_free(struct enrich_notable *nb)
{
	if (!nb)
		return;
	clear(nb);
	free(nb->p);
	idset_free(&nb->topr);
	free(nb);
}

const struct enrich_notable_counters *
enrich_notable_counters(const struct enrich_notable *nb)
{
	return &nb->n;
}

/* --- the cache: names (written by esi_names) and prices --- */

static void
price_key(char *buf, size_t size, int64_t type_id)
{
	snprintf(buf, size, "price:%lld", (long long)type_id);
}

/* The cached unit price, fresh only or stale too; -1 when none. */
static double
cached_price(struct enrich_notable *nb, int64_t type_id, int fresh_only)
{
	struct cache_hit h;
	char key[48], *end;
	enum cache_state cs;
	double v;

	price_key(key, sizeof key, type_id);
	cs = cache_get(nb->cache, key, time(NULL), &h);
	if (cs == CACHE_MISS || (fresh_only && cs == CACHE_STALE))
		return -1;
	v = strtod(h.value, &end);
	return end == h.value || *end || v < 0 ? -1 : v;
}

static void
put_price(struct enrich_notable *nb, int64_t type_id, double price)
{
	char key[48], val[40];
	int len;

	price_key(key, sizeof key, type_id);
	len = snprintf(val, sizeof val, "%.15g", price);
	cache_put(nb->cache, key, val, (size_t)len, NULL, time(NULL) + NOTABLE_PRICE_TTL);
}

/* --- gather --- */

static int
hold(struct enrich_notable *nb, cJSON *rec, size_t n)
{
	struct pending *p;

	if (nb->np == nb->cap) {
		size_t cap = nb->cap ? nb->cap * 2 : 64;
		if (!(p = realloc(nb->p, cap * sizeof *p)))
			return -1;
		nb->p = p;
		nb->cap = cap;
	}
	p = &nb->p[nb->np];
	if (!(p->items = malloc(n * sizeof *p->items)))
		return -1;
	memcpy(p->items, nb->scratch, n * sizeof *p->items);
	p->rec = rec;
	p->n = n;
	p->unnamed = 0;
	nb->np++;
	nb->held += n;
	return 0;
}

/* The dropped items into scratch: from the record, else from its ESI
 * killmail.  -1 when the killmail could not be had. */
static long
dropped(struct enrich_notable *nb, const cJSON *rec, double deadline)
{
	char hash[41], key[128], path[128];
	int64_t id;
	cJSON *body = NULL;
	size_t n;

	if (!enrich_items_body_ref(rec, &id, hash))
		return (long)enrich_items_dropped(rec, nb->scratch, ENRICH_ITEMS_MAX);
	/* the key enrich.c uses for the same body: one cache entry */
	snprintf(key, sizeof key, "killmail:%lld:%s", (long long)id, hash);
	snprintf(path, sizeof path, "/killmails/%lld/%s", (long long)id, hash);
	esi_fetch(nb->esi, nb->cache, key, path, KILLMAIL_TTL, nb->cfg.ttl_gone, deadline, &body);
	if (!cJSON_IsObject(body)) {
		cJSON_Delete(body);
		log_info("killmail %lld: no ESI body in time for its items; no notable items",
		         (long long)id);
		return -1;
	}
	nb->n.bodies++;
	n = enrich_items_dropped(body, nb->scratch, ENRICH_ITEMS_MAX);
	cJSON_Delete(body);
	return (long)n;
}

void
enrich_notable_gather(struct enrich_notable *nb, cJSON *rec, struct idset *need,
                      double deadline)
{
	long n = dropped(nb, rec, deadline);
	char name[ENRICH_ITEMS_NAME_MAX];

	if (n < 0) {
		nb->n.failed++;
		return;
	}
	if (n == 0) {
		enrich_items_attach(rec, NULL, 0);   /* nothing dropped: nothing notable */
		return;
	}
	if (nb->held + (size_t)n > NOTABLE_WINDOW_ITEMS || hold(nb, rec, (size_t)n) < 0) {
		nb->n.failed++;
		log_warn("killmail %lld: too many dropped items in this window; no notable items",
		         (long long)json_id(rec, "killmail_id"));
		return;
	}
	for (long i = 0; i < n; i++)
		if (esi_cached_name(nb->cache, nb->scratch[i].type_id, 1, name, sizeof name) < 0)
			idset_add(need, nb->scratch[i].type_id);
}

/* --- finish --- */

/* Names (stale ones too) and fresh prices on every held item; the types
 * without a fresh price go into topr.  An item whose id ESI does not
 * know stays unnamed (never shown); one ESI did not name in time makes
 * the record's list unknowable. */
static void
name_and_price(struct enrich_notable *nb)
{
	for (size_t i = 0; i < nb->np; i++) {
		for (size_t k = 0; k < nb->p[i].n; k++) {
			struct enrich_items_entry *it = &nb->p[i].items[k];
			int r = esi_cached_name(nb->cache, it->type_id, 0, it->name, sizeof it->name);
			if (r < 0)
				nb->p[i].unnamed = 1;
			if (r <= 0)
				continue;
			if ((it->unit_price = cached_price(nb, it->type_id, 1)) < 0)
				idset_add(&nb->topr, it->type_id);
		}
	}
	idset_finish(&nb->topr);
}

static int
by_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Each line's quantity: what the window's kills dropped of that type. */
static void
quantities(struct enrich_notable *nb, struct janice_line *lines)
{
	for (size_t i = 0; i < nb->np; i++) {
		for (size_t k = 0; k < nb->p[i].n; k++) {
			const struct enrich_items_entry *it = &nb->p[i].items[k];
			const int64_t *at = bsearch(&it->type_id, nb->topr.v, nb->topr.n,
			                            sizeof *nb->topr.v, by_id);
			if (at && it->unit_price < 0 && lines[at - nb->topr.v].quantity < (1LL << 53))
				lines[at - nb->topr.v].quantity += it->quantity;   /* each <= 2^53 */
		}
	}
}

/* One appraisal for every type in topr; prices go into the cache (a type
 * Janice does not know is worth 0 to us, until the entry expires). */
static int
ask_janice(struct enrich_notable *nb, double deadline, char *err, size_t errlen)
{
	size_t n = nb->topr.n, i;
	struct janice_line *lines = calloc(n, sizeof *lines);
	char (*names)[ENRICH_ITEMS_NAME_MAX] = calloc(n, sizeof *names);
	int rc = -1;

	if (!lines || !names) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		lines[i].type_id = nb->topr.v[i];
		lines[i].name = names[i];
		esi_cached_name(nb->cache, lines[i].type_id, 0, names[i], sizeof names[i]);
	}
	quantities(nb, lines);
	if (janice_appraise(nb->janice, lines, n, deadline, err, errlen) < 0)
		goto out;
	for (i = 0; i < n; i++)
		put_price(nb, lines[i].type_id, lines[i].unit_price < 0 ? 0 : lines[i].unit_price);
	rc = 0;
out:
	free(lines);
	free(names);
	return rc;
}

/* Every named item priced (from the cache, stale ones too now)? */
static int
priced(struct enrich_notable *nb, struct pending *p)
{
	for (size_t k = 0; k < p->n; k++) {
		struct enrich_items_entry *it = &p->items[k];
		if (it->name[0] && it->unit_price < 0 &&
		    (it->unit_price = cached_price(nb, it->type_id, 0)) < 0)
			return 0;
	}
	return 1;
}

void
enrich_notable_finish(struct enrich_notable *nb, double deadline)
{
	char err[256] = "";
	long long unpriced = 0;

	name_and_price(nb);
	if (nb->topr.n && ask_janice(nb, deadline, err, sizeof err) == 0)
		err[0] = '\0';
	for (size_t i = 0; i < nb->np; i++) {
		struct pending *p = &nb->p[i];
		size_t shown;

		if (p->unnamed || !priced(nb, p)) {
			nb->n.failed++;
			unpriced += !p->unnamed;
			continue;
		}
		shown = enrich_items_select(p->items, p->n, nb->cfg.threshold, nb->cfg.limit);
		enrich_items_attach(p->rec, p->items, shown);
		if (shown)
			nb->n.attached++;
	}
	if (err[0] && unpriced)
		log_warn("janice: %s; %lld killmail%s without notable items", err, unpriced,
		         unpriced == 1 ? " goes on" : "s go on");
	clear(nb);
}
