/* enrich.c — names beside ids for a window of killmail records, with as
 * few ESI requests as the cache and ESI's batch route allow.  Order of
 * work per window: bodies (GET /killmails), normalisation, tickers (GET
 * /corporations, /alliances: their names come along), regions (optional),
 * then every id still unnamed in one set → POST /universe/names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache.h"
#include "enrich.h"
#include "enrich_notable.h"
#include "enrich_recent.h"
#include "esi.h"
#include "idset.h"
#include "json.h"
#include "killid.h"
#include "killmail.h"
#include "log.h"

#define KILLMAIL_TTL (30L * 86400)   /* a killmail never changes */

struct enrich {
	struct enrich_config cfg;
	struct esi *esi;
	struct cache *cache;
	struct enrich_counters n;
	struct enrich_notable *notable;   /* NULL: step off */
	struct enrich_recent *recent;     /* NULL: step off */
	struct idset need;
	double deadline;
	int missing;        /* names the current record still lacks */
	/* names set by the first pass in the current record, undone when a
	 * later one is missing: the last pass sets them all in one order */
	struct { cJSON *obj, *item; } *set;
	size_t nset, capset;
	int pass1_missed;
};

struct enrich *
enrich_new(const struct enrich_config *cfg, struct esi *esi, struct cache *cache)
{
	struct enrich *en = calloc(1, sizeof *en);

	if (!en)
		return NULL;
	en->cfg = *cfg;
	en->esi = esi;
	en->cache = cache;
	idset_init(&en->need);
	return en;
}

void
enrich_free(struct enrich *en)
{
	if (!en)
		return;
	idset_free(&en->need);
	free(en->set);
	free(en);
}

const struct enrich_counters *
enrich_counters(const struct enrich *en)
{
	return &en->n;
}

void
enrich_set_notable(struct enrich *en, struct enrich_notable *nb)
{
	en->notable = nb;
}

void
enrich_set_recent(struct enrich *en, struct enrich_recent *er)
{
	en->recent = er;
}

/* --- bodies --- */

int
enrich_needs_body(const cJSON *rec, int64_t *id, char *hash, size_t hsize)
{
	const cJSON *env = rec, *pkg = json_get(rec, "package");
	const char *h;

	if (cJSON_IsObject(pkg))
		env = pkg;
	if (!cJSON_IsObject(env) || json_get(env, "victim") || cJSON_IsObject(json_get(env, "esi")) ||
	    cJSON_IsObject(json_get(env, "killmail")))
		return 0;
	if (!json_int64(json_get(env, "killmail_id"), id) && !json_int64(json_get(env, "killID"), id))
		return 0;
	if (!(h = json_str(env, "killmail_hash")) && !(h = json_str(env, "hash")))
		h = json_str(json_get(env, "zkb"), "hash");
	if (*id <= 0 || !h || !killid_hash_ok(h) || hsize < 41)
		return 0;
	memcpy(hash, h, 41);
	return 1;
}

void
enrich_add_body(cJSON *rec, cJSON *body)
{
	cJSON *pkg = json_get(rec, "package"), *it;

	if (cJSON_IsObject(pkg)) {
		cJSON_DeleteItemFromObjectCaseSensitive(pkg, "killmail");
		cJSON_AddItemToObject(pkg, "killmail", body);
		return;
	}
	while ((it = body->child) != NULL) {
		cJSON_DetachItemViaPointer(body, it);
		if (json_get(rec, it->string) || !cJSON_AddItemToObject(rec, it->string, it))
			cJSON_Delete(it);
	}
	cJSON_Delete(body);
}

/* 0: the record has its body (or now has it); -1: pass it on as it came. */
static int
fetch_body(struct enrich *en, struct enrich_item *it)
{
	char hash[64], key[128], path[128];
	int64_t id;
	cJSON *body;
	enum esi_status st;

	if (!enrich_needs_body(it->rec, &id, hash, sizeof hash))
		return 0;
	snprintf(key, sizeof key, "killmail:%lld:%s", (long long)id, hash);
	snprintf(path, sizeof path, "/killmails/%lld/%s", (long long)id, hash);
	st = esi_fetch(en->esi, en->cache, key, path, KILLMAIL_TTL, en->cfg.ttl_gone,
	               en->deadline, &body);
	if (body && cJSON_IsObject(body)) {
		enrich_add_body(it->rec, body);
		en->n.bodies_fetched++;
		return 0;
	}
	cJSON_Delete(body);
	if (st == ESI_GONE) {
		en->n.bodies_invalid++;
		log_warn("killmail %lld: ESI does not know this id and hash; passed on as it came",
		         (long long)id);
	} else {
		en->n.bodies_missing++;
		log_info("killmail %lld: no body from ESI in time; passed on as it came",
		         (long long)id);
	}
	return -1;
}

static void
prepare(struct enrich *en, struct enrich_item *it)
{
	const cJSON *type;

	it->out = EN_RECORD;
	it->named = 0;
	it->err[0] = '\0';
	if (!cJSON_IsObject(it->rec)) {
		snprintf(it->err, sizeof it->err, "not a JSON object");
		it->out = EN_BAD;
		return;
	}
	type = json_get(it->rec, "type");
	if (type && !(cJSON_IsString(type) && strcmp(type->valuestring, "killmail") == 0)) {
		it->out = EN_RAW;   /* another stage's record: not ours to touch */
		return;
	}
	en->n.records++;
	if (fetch_body(en, it) < 0) {
		it->out = EN_RAW;
		en->n.passed_raw++;
		return;
	}
	if (!(it->rec = killmail_normalize(it->rec, it->err, sizeof it->err)))
		it->out = EN_BAD;
}

/* --- names from the cache --- */

static int
has_text(const cJSON *obj, const char *key)
{
	const char *s = json_str(obj, key);
	return s && *s;
}

static void
remember_set(struct enrich *en, cJSON *obj, cJSON *item)
{
	if (en->nset == en->capset) {
		size_t cap = en->capset ? en->capset * 2 : 64;
		void *p = realloc(en->set, cap * sizeof *en->set);
		if (!p) {
			en->pass1_missed = 1;   /* no memory to undo: be safe */
			return;
		}
		en->set = p;
		en->capset = cap;
	}
	en->set[en->nset].obj = obj;
	en->set[en->nset++].item = item;
}

/* need != NULL: first pass (fresh names set, the other ids gathered);
 * need == NULL: last pass (set names, stale ones too; count the missing). */
static void
name_field(struct enrich *en, cJSON *obj, const char *idkey, const char *namekey,
           struct idset *need)
{
	char name[512];
	int64_t id = json_id(obj, idkey);
	int r;

	if (id <= 0 || has_text(obj, namekey))
		return;
	r = esi_cached_name(en->cache, id, need != NULL, name, sizeof name);
	if (need) {
		*(r < 0 ? &en->n.name_misses : &en->n.name_hits) += 1;
		if (r < 0) {
			idset_add(need, id);
			en->pass1_missed = 1;
		} else if (r > 0 && !en->pass1_missed) {
			remember_set(en, obj, json_set_str(obj, namekey, name));
		}
	} else if (r > 0) {
		json_set_str(obj, namekey, name);
	} else if (r < 0) {
		en->missing++;
	}
}

static void
name_party(struct enrich *en, cJSON *p, int attacker, struct idset *need)
{
	if (!cJSON_IsObject(p))
		return;
	name_field(en, p, "character_id", "character_name", need);
	name_field(en, p, "corporation_id", "corporation_name", need);
	name_field(en, p, "alliance_id", "alliance_name", need);
	name_field(en, p, "ship_type_id", "ship_type_name", need);
	if (attacker)
		name_field(en, p, "weapon_type_id", "weapon_type_name", need);
}

static void
name_record(struct enrich *en, cJSON *rec, struct idset *need)
{
	cJSON *a;

	name_field(en, rec, "solar_system_id", "solar_system_name", need);
	if (en->cfg.region)
		name_field(en, rec, "region_id", "region_name", need);
	name_party(en, json_get(rec, "victim"), 0, need);
	cJSON_ArrayForEach(a, json_get(rec, "attackers"))
		name_party(en, a, 1, need);
}

/* --- tickers and regions: one cached GET each --- */

static void
org(struct enrich *en, cJSON *p, const char *what, const char *route)
{
	char idkey[32], namekey[32], tickey[32], key[64], path[64];
	cJSON *j;
	int64_t id;

	snprintf(idkey, sizeof idkey, "%s_id", what);
	snprintf(namekey, sizeof namekey, "%s_name", what);
	snprintf(tickey, sizeof tickey, "%s_ticker", what);
	if ((id = json_id(p, idkey)) <= 0 || (has_text(p, tickey) && has_text(p, namekey)))
		return;
	snprintf(key, sizeof key, "%s:%lld", what, (long long)id);
	snprintf(path, sizeof path, "/%s/%lld", route, (long long)id);
	esi_fetch(en->esi, en->cache, key, path, 0, en->cfg.ttl_gone, en->deadline, &j);
	if (!j)
		return;   /* the name may still come from /universe/names */
	if (!has_text(p, namekey) && json_str(j, "name"))
		json_set_str(p, namekey, json_str(j, "name"));
	if (!has_text(p, tickey) && json_str(j, "ticker"))
		json_set_str(p, tickey, json_str(j, "ticker"));
	cJSON_Delete(j);
}

static void
org_party(struct enrich *en, cJSON *p)
{
	if (!cJSON_IsObject(p))
		return;
	org(en, p, "corporation", "corporations");
	org(en, p, "alliance", "alliances");
}

static void
tickers(struct enrich *en, cJSON *rec)
{
	cJSON *a;

	org_party(en, json_get(rec, "victim"));
	cJSON_ArrayForEach(a, json_get(rec, "attackers"))
		if (en->cfg.all_tickers || json_bool(a, "final_blow", 0))
			org_party(en, a);
}

static int64_t
lookup_id(struct enrich *en, const char *what, const char *route, int64_t id,
          const char *field)
{
	char key[64], path[64];
	cJSON *j;
	int64_t out;

	snprintf(key, sizeof key, "%s:%lld", what, (long long)id);
	snprintf(path, sizeof path, "/universe/%s/%lld", route, (long long)id);
	esi_fetch(en->esi, en->cache, key, path, en->cfg.ttl_static, en->cfg.ttl_gone,
	          en->deadline, &j);
	out = j ? json_id(j, field) : 0;
	cJSON_Delete(j);
	return out;
}

/* ESI gives the region only through the constellation. */
static void
region(struct enrich *en, cJSON *rec)
{
	int64_t sys = json_id(rec, "solar_system_id"), con, reg;

	if (sys <= 0 || json_id(rec, "region_id") > 0 || has_text(rec, "region_name"))
		return;
	if ((con = lookup_id(en, "system", "systems", sys, "constellation_id")) > 0 &&
	    (reg = lookup_id(en, "constellation", "constellations", con, "region_id")) > 0)
		json_set_id(rec, "region_id", reg);
}

/* --- the window --- */

/* Names from the cache; when one is missing, the names this pass set are
 * taken out again so that the fields come out in the same order
 * whatever the cache held. */
static void
first_pass(struct enrich *en, cJSON *rec)
{
	en->nset = 0;
	en->pass1_missed = 0;
	name_record(en, rec, &en->need);
	if (!en->pass1_missed)
		return;
	for (size_t k = 0; k < en->nset; k++)
		if (en->set[k].item)
			cJSON_Delete(cJSON_DetachItemViaPointer(en->set[k].obj, en->set[k].item));
}

void
enrich_window(struct enrich *en, struct enrich_item *items, size_t n, double deadline)
{
	en->deadline = deadline;
	idset_clear(&en->need);
	for (size_t i = 0; i < n; i++)
		prepare(en, &items[i]);
	for (size_t i = 0; i < n; i++) {
		if (items[i].out != EN_RECORD)
			continue;
		tickers(en, items[i].rec);
		if (en->cfg.region)
			region(en, items[i].rec);
		if (en->notable)   /* item type ids join the names request */
			enrich_notable_gather(en->notable, items[i].rec, &en->need, deadline);
		first_pass(en, items[i].rec);
		if (!en->pass1_missed)
			items[i].named = 1;   /* all there already */
	}
	idset_finish(&en->need);
	if (en->need.n)
		esi_names(en->esi, en->cache, en->need.v, en->need.n, en->cfg.ttl_static,
		          en->cfg.ttl_other, deadline);
	for (size_t i = 0; i < n; i++) {
		if (items[i].out != EN_RECORD)
			continue;
		if (items[i].named) {
			en->n.enriched++;
			continue;
		}
		en->missing = 0;
		name_record(en, items[i].rec, NULL);
		en->n.names_missing += en->missing;
		if (en->missing)
			en->n.partial++;
		else
			en->n.enriched++;
	}
	if (en->notable)
		enrich_notable_finish(en->notable, deadline);
	if (en->recent)   /* system added records: their recent kills */
		enrich_recent_window(en->recent, items, n, deadline);
}
