/* enrich_recent.c — recent kills on system added records (see
 * enrich_recent.h): WandererKills over HTTP, kill details through the
 * cache, victim names and tickers through ESI. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache.h"
#include "enrich_recent.h"
#include "esi.h"
#include "http.h"
#include "json.h"
#include "log.h"
#include "enrich_kills.h"
#include "wn.h"

#define MAX_BODY (4u << 20)
#define DETAIL_TTL (30L * 86400)   /* a killmail never changes */
#define MIN_LEFT 0.1               /* seconds: less is not worth a request */

struct enrich_recent {
	struct enrich_recent_config cfg;
	char base[1024], ua[512];
	struct esi *esi;
	struct cache *cache;
	struct http_client *http;
	struct enrich_recent_counters n;
	double deadline, last_start, down_until;
	char why[256];       /* the first failure of the current record */
	int missing;         /* kills of the current record without details */
};

struct enrich_recent *
enrich_recent_new(const struct enrich_recent_config *cfg, struct esi *esi,
                  struct cache *cache, char *err, size_t errlen)
{
	struct enrich_recent *er;
	size_t len;

	if (!cfg->base_url || (strncmp(cfg->base_url, "http://", 7) != 0 &&
	                       strncmp(cfg->base_url, "https://", 8) != 0)) {
		snprintf(err, errlen, "WandererKills URL must start with http:// or https://");
		return NULL;
	}
	if (strlen(cfg->base_url) >= sizeof er->base || !(er = calloc(1, sizeof *er))) {
		snprintf(err, errlen, "WandererKills URL too long, or out of memory");
		return NULL;
	}
	er->cfg = *cfg;
	snprintf(er->base, sizeof er->base, "%s", cfg->base_url);
	while ((len = strlen(er->base)) > 0 && er->base[len - 1] == '/')
		er->base[len - 1] = '\0';
	snprintf(er->ua, sizeof er->ua, "%s", cfg->user_agent);
	er->cfg.base_url = er->base;
	er->cfg.user_agent = er->ua;
	if (er->cfg.per_second <= 0)
		er->cfg.per_second = 20;
	er->esi = esi;
	er->cache = cache;
	er->last_start = -1e9;
	if (!(er->http = http_client_new(er->ua, cfg->timeout_ms, MAX_BODY))) {
		snprintf(err, errlen, "cannot set up an HTTP client");
		free(er);
		return NULL;
	}
	return er;
}

void
enrich_recent_free(struct enrich_recent *er)
{
	if (!er)
		return;
	http_client_free(er->http);
	free(er);
}

const struct enrich_recent_counters *
enrich_recent_counters(const struct enrich_recent *er)
{
	return &er->n;
}

/* --- HTTP --- */

static void
fail(struct enrich_recent *er, const char *fmt, const char *what)
{
	if (!er->why[0])
		snprintf(er->why, sizeof er->why, fmt, what);
}

static int
stopping(const struct enrich_recent *er)
{
	return er->cfg.stop && *er->cfg.stop;
}

/* Time for one more request: paced, within the deadline.  The client's
 * timeout is fixed, so a request with less time left than that gets a
 * client of its own (rare: only near the deadline). */
static struct http_client *
ready(struct enrich_recent *er, struct http_client **tmp)
{
	double gap = 1.0 / er->cfg.per_second, now = wn_mono(), left;

	*tmp = NULL;
	if (now < er->down_until) {
		fail(er, "%s", "the service failed a moment ago");
		return NULL;
	}
	if (er->last_start + gap > now) {
		wn_sleep_until(er->last_start + gap, er->cfg.stop);
		now = wn_mono();
	}
	left = er->deadline - now;
	if (stopping(er) || left < MIN_LEFT) {
		fail(er, "%s", stopping(er) ? "stopping" : "no time left (--max-wait)");
		return NULL;
	}
	er->last_start = now;
	if (left * 1000 >= (double)er->cfg.timeout_ms)
		return er->http;
	if (!(*tmp = http_client_new(er->ua, (long)(left * 1000), MAX_BODY)))
		fail(er, "%s", "out of memory");
	return *tmp;
}

/* GET base+path: 0 with an answer (any status) in r, or -1. */
static int
wk_get(struct enrich_recent *er, const char *path, struct http_response *r)
{
	static const char *const hdrs[] = { "Accept: application/json", NULL };
	char url[1400], err[256];
	struct http_client *tmp, *h = ready(er, &tmp);
	int rc;

	if (!h)
		return -1;
	snprintf(url, sizeof url, "%s%s", er->base, path);
	er->n.requests++;
	rc = http_request(h, "GET", url, hdrs, NULL, 0, r, err, sizeof err);
	http_client_free(tmp);
	if (rc < 0) {
		er->down_until = wn_mono() + er->cfg.cooldown;
		fail(er, "%s", err);
		return -1;
	}
	if (r->status == 429 || r->status >= 500)   /* overloaded: leave it be */
		er->down_until = wn_mono() + er->cfg.cooldown;
	return 0;
}

/* "HTTP 500 FETCH_ERROR: Failed to fetch system kills (timeout)" */
/* "HTTP 500 message" of a failed answer. */
static void
status_text(long status, const char *body, size_t len, char *why, size_t size)
{
	char text[200];

	enrich_kills_error_text(body, len, text, sizeof text);
	snprintf(why, size, "HTTP %ld%s%s", status, text[0] ? " " : "", text);
}

cJSON *
enrich_recent_list_reply(long status, const char *body, size_t len, char *why, size_t size)
{
	char err[160];
	cJSON *list;

	if (status == 404)   /* as Wanderer Notifier: no kills */
		return cJSON_CreateArray();
	if (status != 200) {
		status_text(status, body, len, why, size);
		return NULL;
	}
	if (!(list = enrich_kills_parse_list(body, len, ENRICH_KILLS_MAX, err, sizeof err)))
		snprintf(why, size, "bad answer: %s", err);
	return list;
}

int
enrich_recent_detail_reply(long status, const char *body, size_t len, cJSON **out,
                           char *why, size_t size)
{
	char err[160];

	*out = NULL;
	if (status == 404)   /* not a failure: remembered a while */
		return 0;
	if (status != 200) {
		status_text(status, body, len, why, size);
		return -1;
	}
	if (!(*out = enrich_kills_parse_detail(body, len, err, sizeof err))) {
		snprintf(why, size, "bad killmail answer: %s", err);
		return -1;
	}
	return 1;
}

/* --- the list and the details --- */

/* The kills (maybe none), or NULL when the service did not give them. */
static cJSON *
fetch_list(struct enrich_recent *er, int64_t sys)
{
	struct http_response r;
	char path[128], why[240];
	cJSON *list;

	snprintf(path, sizeof path, "/api/v1/kills/system/%lld?limit=%d&since_hours=48",
	         (long long)sys, ENRICH_KILLS_MAX);
	if (wk_get(er, path, &r) < 0)
		return NULL;
	why[0] = '\0';
	if (!(list = enrich_recent_list_reply(r.status, r.body, r.body_len, why, sizeof why)))
		fail(er, "%s", why);
	http_response_free(&r);
	return list;
}

/* 1: the cache has the details in *out; 0: known gone; -1: ask (an
 * expired copy may still be in *out, for when asking fails). */
static int
cached_detail(struct enrich_recent *er, const char *key, cJSON **out)
{
	struct cache_hit h;
	enum cache_state cs = cache_get(er->cache, key, time(NULL), &h);
	char err[64];

	*out = NULL;
	if (cs == CACHE_MISS)
		return -1;
	if (h.len == 4 && !memcmp(h.value, "null", 4))
		return cs == CACHE_FRESH ? 0 : -1;
	if (!(*out = json_parse(h.value, h.len, err, sizeof err)) || !enrich_kills_has_detail(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		return -1;   /* damaged: ask again */
	}
	return cs == CACHE_FRESH ? 1 : -1;
}

static void
remember(struct enrich_recent *er, const char *key, const cJSON *d, long ttl)
{
	char *s = d ? json_print(d) : NULL;

	cache_put(er->cache, key, s ? s : "null", s ? strlen(s) : 4, NULL, time(NULL) + ttl);
	free(s);
}

/* The details of one kill: from the cache, else from the service. */
static cJSON *
detail(struct enrich_recent *er, int64_t id)
{
	struct http_response r;
	char key[64], path[64], why[240];
	cJSON *d = NULL, *old;
	int c;

	snprintf(key, sizeof key, "wk:killmail:%lld", (long long)id);
	if ((c = cached_detail(er, key, &old)) >= 0) {
		er->n.details_cached += c;
		return old;
	}
	snprintf(path, sizeof path, "/api/v1/killmail/%lld", (long long)id);
	if (wk_get(er, path, &r) == 0) {
		why[0] = '\0';
		c = enrich_recent_detail_reply(r.status, r.body, r.body_len, &d, why, sizeof why);
		if (c == 0)
			remember(er, key, NULL, er->cfg.ttl_gone);
		else if (c < 0)
			fail(er, "%s", why);
		http_response_free(&r);
	}
	if (d) {
		remember(er, key, d, DETAIL_TTL);
		cJSON_Delete(old);
		return d;
	}
	return old;   /* an old copy beats none */
}

static void
details(struct enrich_recent *er, cJSON *list)
{
	cJSON *e = list->child;

	for (; e; e = e->next) {
		cJSON *d, *m;
		if (enrich_kills_has_detail(e))
			continue;
		if (!(d = detail(er, json_id(e, "killmail_id")))) {
			er->missing++;
			continue;
		}
		if ((m = enrich_kills_merge(e, d)) && cJSON_ReplaceItemViaPointer(list, e, m))
			e = m;
		else
			cJSON_Delete(m);
		cJSON_Delete(d);
	}
}

/* --- names and tickers from ESI --- */

static int
lacks(const cJSON *v, const char *idkey, const char *namekey)
{
	const char *s = json_str(v, namekey);
	return json_id(v, idkey) > 0 && !(s && *s);
}

static void
want(struct enrich_recent *er, int64_t *ids, size_t *n, int64_t id)
{
	char name[512];

	for (size_t k = 0; k < *n; k++)
		if (ids[k] == id)
			return;
	if (esi_cached_name(er->cache, id, 1, name, sizeof name) < 0)
		ids[(*n)++] = id;
}

static void
ticker(struct enrich_recent *er, cJSON *v)
{
	char key[48], path[48];
	int64_t id = json_id(v, "corporation_id");
	cJSON *j;

	snprintf(key, sizeof key, "corporation:%lld", (long long)id);
	snprintf(path, sizeof path, "/corporations/%lld", (long long)id);
	esi_fetch(er->esi, er->cache, key, path, 0, er->cfg.ttl_gone, er->deadline, &j);
	if (j && json_str(j, "ticker") && *json_str(j, "ticker"))
		json_set_str(v, "corporation_ticker", json_str(j, "ticker"));
	cJSON_Delete(j);
}

static void
set_name(struct enrich_recent *er, cJSON *v, const char *idkey, const char *namekey)
{
	char name[512];

	if (lacks(v, idkey, namekey) &&
	    esi_cached_name(er->cache, json_id(v, idkey), 0, name, sizeof name) > 0)
		json_set_str(v, namekey, name);
}

static void
names(struct enrich_recent *er, cJSON *list)
{
	int64_t ids[2 * ENRICH_KILLS_MAX];
	size_t n = 0;
	cJSON *e, *v;

	cJSON_ArrayForEach(e, list) {
		if (!(v = json_get(e, "victim")))
			continue;
		if (lacks(v, "corporation_id", "corporation_ticker"))
			ticker(er, v);
		if (lacks(v, "character_id", "character_name") && n < 2 * ENRICH_KILLS_MAX)
			want(er, ids, &n, json_id(v, "character_id"));
		if (lacks(v, "ship_type_id", "ship_type_name") && n < 2 * ENRICH_KILLS_MAX)
			want(er, ids, &n, json_id(v, "ship_type_id"));
	}
	if (n)   /* answers what the cache holds without asking */
		esi_names(er->esi, er->cache, ids, n, er->cfg.ttl_static, er->cfg.ttl_other,
		          er->deadline);
	for (e = list->child; e; e = e->next) {
		cJSON *m;
		if (!(v = json_get(e, "victim")))
			continue;
		set_name(er, v, "character_id", "character_name");
		set_name(er, v, "ship_type_id", "ship_type_name");
		if ((m = enrich_kills_merge(e, NULL)) && cJSON_ReplaceItemViaPointer(list, e, m))
			e = m;   /* members back in their order */
		else
			cJSON_Delete(m);
	}
}

/* --- records --- */

static int
is_system_added(const cJSON *rec)
{
	const char *t = json_str(rec, "type"), *a = json_str(rec, "action");

	return t && a && !strcmp(t, "system") && !strcmp(a, "added") &&
	       !json_get(rec, "recent_kills");
}

static int
add_to_record(struct enrich_recent *er, cJSON *rec)
{
	int64_t sys = json_id(rec, "solar_system_id");
	cJSON *list;

	if (!is_system_added(rec) || sys <= 0)
		return 0;
	er->n.systems++;
	er->why[0] = '\0';
	er->missing = 0;
	if (wn_mono() < er->down_until) {
		er->n.skipped++;
		log_debug("system %lld: WandererKills failed a moment ago; no recent kills",
		          (long long)sys);
		return 0;
	}
	if (!(list = fetch_list(er, sys))) {
		er->n.failed++;
		log_warn("system %lld: no recent kills from WandererKills (%s); passed on without them",
		         (long long)sys, er->why);
		return 0;
	}
	details(er, list);
	names(er, list);
	enrich_kills_sort(list);
	if (er->missing) {
		er->n.details_missing += er->missing;
		/* a kill the service does not know is no failure of ours */
		(er->why[0] ? log_warn : log_info)(
		    "system %lld: details of %d recent kill%s missing (%s); shown with id and zkb only",
		    (long long)sys, er->missing, er->missing == 1 ? "" : "s",
		    er->why[0] ? er->why : "unknown to WandererKills");
	}
	if (!list->child) {
		er->n.none++;
		cJSON_Delete(list);
		return 0;
	}
	cJSON_AddItemToObject(rec, "recent_kills", list);
	er->n.added++;
	return 1;
}

void
enrich_recent_window(struct enrich_recent *er, struct enrich_item *items, size_t n,
                     double deadline)
{
	er->deadline = deadline;
	for (size_t i = 0; i < n; i++)
		if (items[i].out == EN_RAW && add_to_record(er, items[i].rec))
			items[i].out = EN_RECORD;
}
