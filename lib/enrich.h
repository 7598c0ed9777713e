/* enrich.h — what wn-enrich does to a window of records: fetch the
 * killmail body when only id and hash are known, normalise
 * (killmail.h), and put names beside ids: solar_system_name (and
 * region_name on request), and on the victim and each attacker
 * character_name, corporation_name, corporation_ticker, alliance_name,
 * alliance_ticker, ship_type_name, weapon_type_name.
 *
 * Ids missing from the cache are gathered over the whole window and
 * resolved with as few requests as ESI allows (POST /universe/names, 1000
 * at a time); tickers come from /corporations/{id} and /alliances/{id},
 * for the victim and the final blow unless all_tickers.  A record whose
 * names ESI could not give in time still goes out, without them. */
#ifndef WN_ENRICH_H
#define WN_ENRICH_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

struct cache;
struct enrich_notable;
struct enrich_recent;
struct esi;

struct enrich_config {
	int all_tickers;        /* tickers for every attacker, not only the final blow */
	int region;             /* region_name: two cached lookups per new system */
	long ttl_static;        /* type/system/region names, seconds */
	long ttl_other;         /* character/corporation/alliance names */
	long ttl_gone;          /* ids and killmails ESI says do not exist */
};

struct enrich_counters {
	long long records, enriched, partial, bodies_fetched, bodies_missing,
	    bodies_invalid, names_missing, passed_raw,
	    name_hits, name_misses;   /* distinct lookups, first pass only */
};

enum enrich_out {
	EN_RECORD = 0,  /* write rec */
	EN_RAW,         /* write the input line as it came (not a killmail, or no body) */
	EN_BAD,         /* skip; err says why */
};

struct enrich_item {
	const char *line;       /* input bytes, kept by the caller until written */
	size_t len;
	cJSON *rec;             /* in: the parsed line; out: the record (EN_RECORD) */
	enum enrich_out out;
	int named;              /* private: every name came from the cache */
	char err[200];
};

struct enrich;

/* enrich.c */
struct enrich *enrich_new(const struct enrich_config *cfg, struct esi *esi,
                          struct cache *cache);
void enrich_free(struct enrich *en);
/* Works on items[0..n) in place; never waits for ESI past deadline
 * (monotonic seconds). */
void enrich_window(struct enrich *en, struct enrich_item *items, size_t n, double deadline);
const struct enrich_counters *enrich_counters(const struct enrich *en);
/* Notable items on each killmail of a window (lib/enrich_notable.h);
 * NULL (the default) turns the step off.  The caller keeps nb. */
void enrich_set_notable(struct enrich *en, struct enrich_notable *nb);
/* Recent kills on each system added record of a window, after the
 * killmails (lib/enrich_recent.h); NULL (the default) turns it off. */
void enrich_set_recent(struct enrich *en, struct enrich_recent *er);

/* A killmail that carries only its id and hash (zKillboard API rows,
 * RedisQ packages since 2025-12, R2Z2 without "esi"): 1 with id and the
 * hash (40 hex digits, checked: it goes into a URL), else 0. */
int enrich_needs_body(const cJSON *rec, int64_t *id, char *hash, size_t hsize);
/* Puts an ESI killmail body into such a record (consumes body). */
void enrich_add_body(cJSON *rec, cJSON *body);

#endif
