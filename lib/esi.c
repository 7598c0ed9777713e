/* esi.c — ESI requests with ESI's manners: pinned compatibility date,
 * a User-Agent that says who we are, both rate limits kept, retries with
 * backoff, answers cached until Expires and revalidated by ETag.  */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cache.h"
#include "esi.h"
#include "http.h"
#include "json.h"
#include "log.h"
#include "wn.h"
#include "numconv.h"
#include "wntime.h"

#define GONE_VALUE "null"      /* cached for what ESI says does not exist */
#define MAX_BODY (16u << 20)
#define COOLDOWN_MIN 5.0

struct esi {
	struct esi_config cfg;
	struct http_client *http;
	struct esi_limits lim;
	struct esi_counters n;
	double down_until, cooldown;
	unsigned rnd;
	char compat[64];
};

/* --- pure parts --- */

/* One function for the HTTP dates ESI sends (Expires, Date). */
time_t
esi_http_date(const char *s)
{
	return (time_t)wntime_http_parse(s);
}

time_t
esi_expiry(const struct http_response *r, time_t now, long dflt)
{
	char buf[128];
	const char *cc;
	time_t exp = esi_http_date(http_header(r, "Expires", buf, sizeof buf));
	time_t date = esi_http_date(http_header(r, "Date", buf, sizeof buf));

	if (exp >= 0) {
		exp = date >= 0 ? now + (exp - date) : exp;
		/* a far-future Expires is clamped like max-age */
		return exp <= now ? now : exp - now > NUM_MAX_AGE_MAX ? now + NUM_MAX_AGE_MAX : exp;
	}
	if ((cc = http_header(r, "Cache-Control", buf, sizeof buf)) &&
	    (cc = strstr(cc, "max-age=")))
		return now + num_clamp_text(cc + 8, 0, NUM_MAX_AGE_MAX, dflt);
	return now + dflt;
}

void
esi_limits_init(struct esi_limits *l)
{
	memset(l, 0, sizeof *l);
	l->err_remain = l->tok_remain = l->tok_limit = -1;
}

static int
header_int(const struct http_response *r, const char *name, long *out)
{
	char buf[64];
	const char *v = http_header(r, name, buf, sizeof buf);

	if (!v)
		return 0;
	/* every ESI count and reset fits an int; more is clamped, not wrapped */
	*out = (long)num_clamp_text(v, 0, INT32_MAX, -1);
	return *out >= 0;
}

/* "3600/15m" → 3600 tokens per 900 s */
static void
parse_bucket(struct esi_limits *l, const struct http_response *r)
{
	char buf[64], unit = 0;
	long n, w;
	double secs;

	/* the window in seconds at most a day (ESI's are 15m): "1/86400h"
	 * would pace killmail requests one per twenty years */
	if (http_header(r, "X-Ratelimit-Limit", buf, sizeof buf) &&
	    sscanf(buf, "%ld/%ld%c", &n, &w, &unit) == 3 && n > 0 && w > 0 &&
	    n <= INT32_MAX && w <= 86400 &&
	    (secs = (double)w * (unit == 'h' ? 3600 : unit == 's' ? 1 : 60)) <= 86400) {
		l->tok_limit = (int)n;
		l->tok_window = secs;
	}
}

void
esi_limits_update(struct esi_limits *l, const struct http_response *r,
                  int killmail_group, double now, int token_reserve)
{
	long v, reset = -1;
	char grp[32];

	(void)token_reserve;
	if (!r || r->status == 0)
		return;
	if (header_int(r, "X-ESI-Error-Limit-Remain", &v))
		l->err_remain = (int)v;
	/* ESI's error window is a minute: a reset beyond an hour is not one */
	if (header_int(r, "X-ESI-Error-Limit-Reset", &reset)) {
		if (reset > 3600)
			reset = 3600;
		l->err_reset_at = now + (double)reset;
	}
	if (killmail_group)
		l->last_kill = now;
	if (header_int(r, "X-Ratelimit-Remaining", &v)) {
		l->tok_remain = (int)v;
		parse_bucket(l, r);
	}
	if (r->status == 420)   /* everything stops until the window ends */
		l->pause_all = now + (reset >= 0 ? (double)reset : 60.0) + 1.0;
	if (r->status == 429) {
		long ra_s = (long)num_clamp_text(http_header(r, "Retry-After", grp, sizeof grp),
		                                 0, NUM_RETRY_AFTER_MAX, -1);
		double ra = ra_s >= 0 ? (double)ra_s : 5.0;
		/* a 429 without bucket headers comes from another limiter */
		if (killmail_group && http_header(r, "X-Ratelimit-Group", grp, sizeof grp))
			l->pause_kill = now + ra;
		else
			l->pause_all = now + ra;
	}
}

double
esi_limits_wait(const struct esi_limits *l, int killmail_group, double now,
                int error_reserve, int token_reserve)
{
	double w = l->pause_all - now;

	if (l->err_remain >= 0 && l->err_remain <= error_reserve && l->err_reset_at > now &&
	    l->err_reset_at + 1.0 - now > w)
		w = l->err_reset_at + 1.0 - now;
	if (killmail_group) {
		if (l->pause_kill - now > w)
			w = l->pause_kill - now;
		/* near the bottom of the bucket: one request per refill of its cost */
		if (l->tok_remain >= 0 && l->tok_remain <= token_reserve && l->tok_limit > 0) {
			double pace = l->last_kill + l->tok_window * 2.0 / l->tok_limit - now;
			if (pace > w)
				w = pace;
		}
	}
	return w > 0 ? w : 0;
}

int
esi_names_parse(const cJSON *answer,
                void (*fn)(void *arg, int64_t id, const char *name, const char *cat),
                void *arg)
{
	const cJSON *it;
	int64_t id;
	int n = 0;

	if (!cJSON_IsArray(answer))
		return -1;
	cJSON_ArrayForEach(it, answer) {
		const char *name = json_str(it, "name"), *cat = json_str(it, "category");
		if (!json_int64(cJSON_GetObjectItemCaseSensitive(it, "id"), &id) || id <= 0 || !name)
			continue;
		fn(arg, id, name, cat ? cat : "");
		n++;
	}
	return n;
}

/* --- the client --- */

struct esi *
esi_new(const struct esi_config *cfg, char *err, size_t errlen)
{
	struct esi *e = calloc(1, sizeof *e);

	if (!e || !(e->http = http_client_new(cfg->user_agent, cfg->timeout_ms, MAX_BODY))) {
		snprintf(err, errlen, "unable to set up the HTTP client");
		free(e);
		return NULL;
	}
	e->cfg = *cfg;
	esi_limits_init(&e->lim);
	snprintf(e->compat, sizeof e->compat, "X-Compatibility-Date: %s", cfg->compat_date);
	e->rnd = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)e;
	return e;
}

void
esi_free(struct esi *e)
{
	if (!e)
		return;
	http_client_free(e->http);
	free(e);
}

const struct esi_counters *
esi_counters(const struct esi *e)
{
	return &e->n;
}

int
esi_is_down(const struct esi *e, double now)
{
	return now < e->down_until;
}

static int
stopping(const struct esi *e)
{
	return e->cfg.stop && *e->cfg.stop;
}

/* Sleeps, but wakes for a signal that asks us to stop. */
static void
nap(struct esi *e, double secs)
{
	wn_sleep_until(wn_mono() + secs, e->cfg.stop);
}

static void
went_down(struct esi *e, double now, double for_secs, const char *why)
{
	e->n.gave_up++;
	if (now >= e->down_until)
		log_warn("ESI unavailable (%s); answering from the cache for %.0fs", why, for_secs);
	e->down_until = now + for_secs;
}

/* Transient trouble until the deadline: back off, longer each time. */
static void
breaker(struct esi *e, double now, const char *why)
{
	e->cooldown = e->cooldown < COOLDOWN_MIN ? COOLDOWN_MIN : e->cooldown * 2;
	if (e->cooldown > e->cfg.cooldown_max)
		e->cooldown = e->cfg.cooldown_max;
	went_down(e, now, e->cooldown, why);
}

static double
backoff(struct esi *e, int attempt)
{
	double b = 0.25 * (double)(1u << (attempt < 6 ? attempt : 6));

	e->rnd = e->rnd * 1103515245u + 12345u;
	return (b > 8 ? 8 : b) * (0.75 + (e->rnd >> 16) % 500 / 1000.0);
}

static void
why_text(char *buf, size_t size, const char *method, const char *path,
         const struct http_response *r, const char *neterr)
{
	if (neterr)
		snprintf(buf, size, "%s", neterr);
	else
		snprintf(buf, size, "%s %s: HTTP %ld", method, path, r->status);
}

struct call {
	const char *method, *path, *body, *etag;
	size_t blen;
	double deadline;
	struct http_response resp;   /* the last answer */
	cJSON *json;                 /* a 200's body */
};

static int
send_once(struct esi *e, struct call *k, char *neterr, size_t size)
{
	char url[1024], inm[320];
	const char *h[6];
	int nh = 0;

	snprintf(url, sizeof url, "%s%s", e->cfg.base_url, k->path);
	h[nh++] = "Accept: application/json";
	h[nh++] = e->compat;
	if (k->body)
		h[nh++] = "Content-Type: application/json";
	if (k->etag && *k->etag) {
		snprintf(inm, sizeof inm, "If-None-Match: %s", k->etag);
		h[nh++] = inm;
	}
	h[nh] = NULL;
	http_response_free(&k->resp);
	e->n.requests++;
	return http_request(e->http, k->method, url, h, k->body, k->blen, &k->resp,
	                    neterr, size);
}

int
esi_judge(struct esi_counters *n, const char *method, const char *path, long s,
          const char *body, size_t blen, cJSON **json, enum esi_status *st,
          char *why, size_t size)
{
	char perr[128];

	if (s == 200) {
		*json = json_parse(body, blen, perr, sizeof perr);
		if (*json)
			return *st = ESI_OK, 1;
		snprintf(why, size, "%s %s: answer is not JSON (%s)", method, path, perr);
	} else if (s == 304) {
		n->not_modified++;
		return *st = ESI_OK, 1;
	} else if (s >= 200 && s < 300) {
		snprintf(why, size, "%s %s: HTTP %ld without a body", method, path, s);
	} else if (s >= 400 && s < 500 && s != 420 && s != 429 && s != 408) {
		n->errors++;
		return *st = ESI_GONE, 1;
	} else if (s == 420 || s == 429) {
		n->errors += s == 420;
		*(s == 420 ? &n->limited_420 : &n->limited_429) += 1;
		return 0;   /* the pause is set; the loop waits for it */
	}
	return -1;      /* transient: back off */
}

/* 1: done (OK or GONE in *st), 0: try again. */
static int
judge(struct esi *e, struct call *k, int rc, enum esi_status *st, char *why, size_t size)
{
	return esi_judge(&e->n, k->method, k->path, rc == 0 ? k->resp.status : 0,
	                 k->resp.body, k->resp.body_len, &k->json, st, why, size);
}

static enum esi_status
call_esi(struct esi *e, struct call *k)
{
	int kill = strncmp(k->path, "/killmails/", 11) == 0, attempt = 0, rc, j;
	char neterr[256], why[320] = "";
	enum esi_status st;
	double now = wn_mono(), w;

	if (esi_is_down(e, now))
		return ESI_DOWN;
	for (;;) {
		if (stopping(e))
			return ESI_DOWN;
		now = wn_mono();
		w = esi_limits_wait(&e->lim, kill, now, e->cfg.error_reserve, e->cfg.token_reserve);
		if (w > 0) {
			if (now + w > k->deadline) {
				went_down(e, now, w, "rate limited");
				return ESI_DOWN;
			}
			e->n.paused++;
			e->n.waited += w;
			log_debug("ESI: pausing %.1fs for its limits", w);
			nap(e, w);
			continue;
		}
		neterr[0] = '\0';
		rc = send_once(e, k, neterr, sizeof neterr);
		now = wn_mono();
		esi_limits_update(&e->lim, rc == 0 ? &k->resp : NULL, kill, now, e->cfg.token_reserve);
		if ((j = judge(e, k, rc, &st, why, sizeof why)) > 0) {
			e->cooldown = 0;
			return st;
		}
		if (j == 0)
			continue;
		if (!why[0] || rc != 0 || k->resp.status != 200)
			why_text(why, sizeof why, k->method, k->path, &k->resp, rc ? neterr : NULL);
		e->n.errors++;
		w = backoff(e, attempt++);
		if (now + w > k->deadline || stopping(e)) {
			breaker(e, now, why);
			return ESI_DOWN;
		}
		log_info("%s; retrying in %.1fs", why, w);
		e->n.retries++;
		why[0] = '\0';
		nap(e, w);
	}
}

/* --- through the cache --- */

static cJSON *
parse_value(const char *v, size_t len)
{
	char err[64];
	return json_parse(v, len, err, sizeof err);
}

static int
is_gone(const char *v, size_t len)
{
	return len == 4 && memcmp(v, GONE_VALUE, 4) == 0;
}

static void
store(struct cache *c, const char *key, const cJSON *json, const char *etag, time_t exp)
{
	char *text = json_print(json);

	if (text)
		cache_put(c, key, text, strlen(text), etag, exp);
	cJSON_free(text);
}

time_t
esi_fetch_expiry(const struct http_response *r, time_t now, long min_ttl)
{
	time_t exp = r->status ? esi_expiry(r, now, 300) : now;

	return exp < now + min_ttl ? now + min_ttl : exp;
}

enum esi_status
esi_fetch(struct esi *e, struct cache *c, const char *key, const char *path,
          long min_ttl, long gone_ttl, double deadline, cJSON **out)
{
	struct call k = { .method = "GET", .path = path, .deadline = deadline };
	struct cache_hit h;
	time_t now = time(NULL), exp;
	enum cache_state cs = cache_get(c, key, now, &h);
	char *stale = NULL, etag[300] = "", buf[300];
	size_t slen = 0;
	enum esi_status st;

	*out = NULL;
	if (cs == CACHE_FRESH && is_gone(h.value, h.len))
		return e->n.cache_hits++, ESI_GONE;
	if (cs != CACHE_MISS && !is_gone(h.value, h.len))
		*out = parse_value(h.value, h.len);    /* NULL: damaged, ask again */
	if (cs == CACHE_FRESH && *out)
		return e->n.cache_hits++, ESI_OK;
	e->n.cache_misses++;
	if (*out) {                                  /* stale: revalidate it */
		cJSON_Delete(*out);
		*out = NULL;
		stale = strndup(h.value, h.len);
		slen = h.len;
		snprintf(etag, sizeof etag, "%s", h.etag);
		k.etag = etag;
	}
	st = call_esi(e, &k);
	now = time(NULL);
	exp = esi_fetch_expiry(&k.resp, now, min_ttl);
	if (st == ESI_OK && k.json) {
		store(c, key, k.json, http_header(&k.resp, "ETag", buf, sizeof buf), exp);
		*out = k.json;
	} else if (st == ESI_OK && stale) {           /* 304: same answer, new expiry */
		cache_put(c, key, stale, slen, etag, exp);
		*out = parse_value(stale, slen);
	} else if (st == ESI_OK) {                    /* 304 to a question we did not ask */
		st = ESI_DOWN;
	} else if (st == ESI_GONE && (k.resp.status == 404 || k.resp.status == 422)) {
		cache_put(c, key, GONE_VALUE, 4, NULL, now + gone_ttl);
	} else if (st == ESI_GONE) {                  /* 400 & co: our request, not the id */
		log_warn("GET %s: HTTP %ld: %.200s", path, k.resp.status, k.resp.body);
	} else if (stale) {
		*out = parse_value(stale, slen);
	}
	http_response_free(&k.resp);
	free(stale);
	return st;
}

void
esi_name_key(char *buf, size_t size, int64_t id)
{
	char digits[24], *d = digits + sizeof digits;
	uint64_t u = id < 0 ? 0 - (uint64_t)id : (uint64_t)id;
	size_t n;

	/* called for every id of every record: no printf */
	do
		*--d = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (id < 0)
		*--d = '-';
	n = (size_t)(digits + sizeof digits - d);
	if (size < n + 6) {
		if (size)
			buf[0] = '\0';
		return;
	}
	memcpy(buf, "name:", 5);
	memcpy(buf + 5, d, n);
	buf[5 + n] = '\0';
}

int
esi_cached_name(struct cache *c, int64_t id, int fresh_only, char *buf, size_t size)
{
	struct cache_hit h;
	char key[40], err[64];
	enum cache_state cs;
	cJSON *s;
	int r;

	esi_name_key(key, sizeof key, id);
	cs = cache_get(c, key, time(NULL), &h);
	if (cs == CACHE_MISS || (fresh_only && cs == CACHE_STALE))
		return -1;
	if (h.len == 4 && memcmp(h.value, "null", 4) == 0)
		return 0;
	if (h.len < 2 || h.value[0] != '"' || h.value[h.len - 1] != '"')
		return -1;   /* damaged: ask again */
	if (!memchr(h.value, '\\', h.len)) {   /* the usual case: no escapes */
		if (h.len - 2 >= size || h.len == 2)
			return 0;
		memcpy(buf, h.value + 1, h.len - 2);
		buf[h.len - 2] = '\0';
		return 1;
	}
	if (!(s = json_parse(h.value, h.len, err, sizeof err)))
		return -1;
	r = !cJSON_IsString(s) ? -1 : *s->valuestring && strlen(s->valuestring) < size;
	if (r > 0)
		strcpy(buf, s->valuestring);
	cJSON_Delete(s);
	return r;
}

struct names_ctx {
	struct cache *c;
	long ttl_static, ttl_other;
	time_t now;
};

static int
static_category(const char *cat)
{
	static const char *const s[] = { "inventory_type", "solar_system", "constellation",
	                                 "region", "faction", "station" };

	for (size_t i = 0; i < sizeof s / sizeof *s; i++)
		if (strcmp(cat, s[i]) == 0)
			return 1;
	return 0;
}

static void
name_found(void *arg, int64_t id, const char *name, const char *cat)
{
	struct names_ctx *x = arg;
	char key[40];
	cJSON *s = cJSON_CreateString(name);

	esi_name_key(key, sizeof key, id);
	if (s)
		store(x->c, key, s, NULL, x->now + (static_category(cat) ? x->ttl_static : x->ttl_other));
	cJSON_Delete(s);
}

static size_t
names_batch(struct esi *e, struct names_ctx *x, const int64_t *ids, size_t n, double deadline)
{
	struct call k = { .method = "POST", .path = "/universe/names", .deadline = deadline };
	char *body = malloc(n * 21 + 3), key[40];
	size_t len = 0, left = 0;
	enum esi_status st;

	if (!body)
		return n;
	body[len++] = '[';
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(body + len, "%s%lld", i ? "," : "", (long long)ids[i]);
	body[len++] = ']';
	k.body = body;
	k.blen = len;
	st = call_esi(e, &k);
	x->now = time(NULL);
	if (st == ESI_OK && esi_names_parse(k.json, name_found, x) < 0)
		st = ESI_DOWN;   /* 200 but not the array ESI sends: treat as trouble */
	if (st == ESI_GONE && k.resp.status != 404) {
		/* not "an id is unknown" but "the request is wrong": do not split */
		log_warn("POST /universe/names: HTTP %ld: %.200s", k.resp.status, k.resp.body);
		left = n;
	} else if (st == ESI_GONE && n == 1) {
		esi_name_key(key, sizeof key, ids[0]);
		cache_put(x->c, key, GONE_VALUE, 4, NULL, x->now + x->ttl_other);
		log_info("ESI does not know id %lld", (long long)ids[0]);
	} else if (st == ESI_GONE) {
		/* one bad id fails the batch: halve until it is alone */
		e->n.names_split++;
		cJSON_Delete(k.json);
		http_response_free(&k.resp);
		free(body);
		left = names_batch(e, x, ids, n / 2, deadline);
		return left + names_batch(e, x, ids + n / 2, n - n / 2, deadline);
	} else if (st == ESI_DOWN) {
		left = n;
	}
	cJSON_Delete(k.json);
	http_response_free(&k.resp);
	free(body);
	return left;
}

size_t
esi_names(struct esi *e, struct cache *c, const int64_t *ids, size_t n,
          long ttl_static, long ttl_other, double deadline)
{
	struct names_ctx x = { .c = c, .ttl_static = ttl_static, .ttl_other = ttl_other };
	size_t left = 0;

	for (size_t i = 0; i < n; i += ESI_NAMES_MAX) {
		size_t m = n - i < ESI_NAMES_MAX ? n - i : ESI_NAMES_MAX;
		left += names_batch(e, &x, ids + i, m, deadline);
	}
	return left;
}
