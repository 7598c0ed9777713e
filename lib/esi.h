/* esi.h — a client for EVE's ESI (esi.evetech.net) as it is in 2026:
 * X-Compatibility-Date pinned, a descriptive User-Agent, answers cached
 * (lib/cache.h) until their Expires and revalidated with If-None-Match.
 *
 * It keeps ESI's two limits: the error limit (X-ESI-Error-Limit-Remain/
 * -Reset; 420 when spent) and the token bucket of the "killmail" group
 * (X-Ratelimit-*; 429 + Retry-After).  It slows down before either runs
 * out, retries 5xx and timeouts with backoff, and gives up at the
 * caller's deadline; after giving up it stays "down" for a cool-down so
 * later calls answer from the cache at once instead of waiting again. */
#ifndef WN_ESI_H
#define WN_ESI_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cjson/cJSON.h>

struct cache;
struct http_response;

#define ESI_DEFAULT_URL "https://esi.evetech.net"
#define ESI_COMPAT_DATE "2025-12-16"   /* the classic shapes (external-apis.md B.1) */
#define ESI_NAMES_MAX 1000             /* POST /universe/names: 1 to 1000 ids */

enum esi_status {
	ESI_OK = 0,     /* an answer (fresh, revalidated or from the cache) */
	ESI_GONE,       /* ESI says it does not exist (404/422/400): permanent */
	ESI_DOWN,       /* no answer before the deadline: try again later */
};

struct esi_config {
	const char *base_url;          /* no trailing slash */
	const char *user_agent;
	const char *compat_date;
	long timeout_ms;               /* one request */
	int error_reserve;             /* pause when this few errors are left */
	int token_reserve;             /* pace killmail fetches below this */
	double cooldown_max;           /* longest "down" spell, seconds */
	volatile sig_atomic_t *stop;   /* set by a signal: stop waiting */
};

struct esi_counters {
	long long requests, errors, retries, not_modified, limited_420,
	    limited_429, paused, names_split, gave_up, cache_hits, cache_misses;
	double waited;                 /* seconds spent pausing for limits */
};

/* What the limits headers said, and what it means for the next request.
 * Pure state: unit-tested without a network. */
struct esi_limits {
	int err_remain;                /* -1: not known yet */
	double err_reset_at;           /* monotonic seconds */
	int tok_remain, tok_limit;     /* killmail group; -1: not known */
	double tok_window;             /* seconds */
	double pause_all, pause_kill;  /* no request before these times */
	double last_kill;              /* when the last killmail answer came */
};

struct esi;

/* esi.c */
struct esi *esi_new(const struct esi_config *cfg, char *err, size_t errlen);
void esi_free(struct esi *e);
const struct esi_counters *esi_counters(const struct esi *e);
int esi_is_down(const struct esi *e, double now);

/* GET path through cache key; a fresh entry answers without a request, a
 * stale one is revalidated (If-None-Match), an answer is kept at least
 * min_ttl seconds (static data) or until its Expires.  On ESI_OK *out is
 * the parsed answer (caller frees).  On ESI_DOWN a stale entry, if any,
 * is still given in *out: an old name beats none.  ESI_GONE answers are
 * remembered for gone_ttl seconds. */
enum esi_status esi_fetch(struct esi *e, struct cache *c, const char *key,
                          const char *path, long min_ttl, long gone_ttl,
                          double deadline, cJSON **out);

/* Resolve ids (any number; sent 1000 at a time) with POST
 * /universe/names and cache each name under "name:<id>" as a JSON
 * string, or null for an id ESI does not know (a 404 batch is split in
 * halves to find it).  ttl_static for types/systems/regions/...,
 * ttl_other for characters/corporations/alliances.  Returns how many ids
 * were left unresolved because ESI was down. */
size_t esi_names(struct esi *e, struct cache *c, const int64_t *ids, size_t n,
                 long ttl_static, long ttl_other, double deadline);
/* "name:<id>" into buf */
void esi_name_key(char *buf, size_t size, int64_t id);
/* The name esi_names cached for id: 1 with it in buf; 0 when there is
 * none to show (ESI does not know the id, or the name is empty or does
 * not fit in size); -1 when not cached (or only stale while fresh_only)
 * or damaged, so it is worth asking ESI. */
int esi_cached_name(struct cache *c, int64_t id, int fresh_only, char *buf, size_t size);

/* --- pure parts, exposed for tests --- */
/* IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") → time_t, or -1. */
time_t esi_http_date(const char *s);
/* Absolute expiry of an answer: Expires − Date (so clock skew does not
 * matter) + now, else Cache-Control max-age, else now + dflt. */
time_t esi_expiry(const struct http_response *r, time_t now, long dflt);
/* What esi_fetch keeps an answer for: its expiry (now without an
 * answer), never less than min_ttl from now. */
time_t esi_fetch_expiry(const struct http_response *r, time_t now, long min_ttl);
/* What one answer (status s; 0: none arrived) means: 1 done with *st
 * (ESI_OK, and *json parsed for a 200; ESI_GONE for a 4xx about the id),
 * 0 rate limited (the pause is in the limits: ask again), -1 transient
 * (why says what, when the answer did).  Counts into n. */
int esi_judge(struct esi_counters *n, const char *method, const char *path, long s,
              const char *body, size_t blen, cJSON **json, enum esi_status *st,
              char *why, size_t size);
void esi_limits_init(struct esi_limits *l);
/* Reads the limit headers of an answer (status 0: no answer). */
void esi_limits_update(struct esi_limits *l, const struct http_response *r,
                       int killmail_group, double now, int token_reserve);
/* Seconds to wait before the next request of that kind (0: go). */
double esi_limits_wait(const struct esi_limits *l, int killmail_group,
                       double now, int error_reserve, int token_reserve);
/* Calls fn for each {id, name, category} of a /universe/names answer
 * (entries without an id or name are skipped; an unknown category is
 * passed on as it is); returns the count, or -1 when it is not an array. */
int esi_names_parse(const cJSON *answer,
                    void (*fn)(void *arg, int64_t id, const char *name, const char *cat),
                    void *arg);

#endif
