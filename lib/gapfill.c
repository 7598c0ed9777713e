/* gapfill.c — filling wn-kills' outages over WandererKills REST. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "gapfill.h"
#include "http.h"
#include "idset.h"
#include "json.h"
#include "killid.h"
#include "wsconn.h"
#include "killmail_facts.h"
#include "log.h"
#include "enrich_kills.h"
#include "state.h"
#include "status.h"
#include "wn.h"
#include "wsconn.h"

#define GAP_FILE "kills.gap"
#define MAX_BODY (32u << 20)     /* 10 systems x 200 rows is ~1 MB */

static long long
mono_ms(void)
{
	return (long long)(wn_mono() * 1000);
}

static long long
knob(const char *name, long long def, long long lo, long long hi)
{
	long long v = config_int(name, def);

	if (v < lo || v > hi) {
		log_warn("%s=%lld out of range %lld..%lld; using %lld", name, v, lo, hi, def);
		return def;
	}
	return v;
}

void
gapfill_config(struct gapfill_cfg *c)
{
	c->delay_ms = knob("WN_KILLS_GAP_DELAY_MS", 330000, 0, 3600000);
	c->pace_ms = knob("WN_KILLS_GAP_PACE_MS", 1000, 0, 600000);
	c->backoff_ms = knob("WN_KILLS_GAP_BACKOFF_MS", 2000, 1, 600000);
	c->backoff_max_ms = knob("WN_KILLS_GAP_BACKOFF_MAX_MS", 60000, c->backoff_ms, 3600000);
	c->tries = (int)knob("WN_KILLS_GAP_TRIES", 5, 1, 100);
	c->chunk = (size_t)knob("WN_KILLS_GAP_CHUNK", 10, 1, 100);
	c->limit = (int)knob("WN_KILLS_GAP_LIMIT", GAP_LIMIT_MAX, 1, 1000);
	c->max_age_s = knob("MAX_KILLMAIL_AGE_SECONDS", 3600, 0, 30LL * 86400);
	c->timeout_ms = (long)knob("WN_KILLS_GAP_TIMEOUT_MS", 10000, 100, 120000);
}

int
gapfill_init(struct gapfill *g, const struct gapfill_cfg *cfg, const char *url,
             const char *ua)
{
	size_t n;

	memset(g, 0, sizeof *g);
	g->cfg = *cfg;
	if (!url || !*url)
		return 0;
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		log_warn("WANDERER_KILLS_URL is not an http(s) URL: gaps are not filled");
		return 0;
	}
	n = strlen(url);
	while (n && url[n - 1] == '/')
		n--;
	if (n + sizeof "/api/v1/kills/systems" > sizeof g->url) {
		log_warn("WANDERER_KILLS_URL is too long: gaps are not filled");
		return 0;
	}
	snprintf(g->url, sizeof g->url, "%.*s/api/v1/kills/systems", (int)n, url);
	if (!(g->http = http_client_new(ua, cfg->timeout_ms, MAX_BODY)))
		return -1;
	return 0;
}

void
gapfill_free(struct gapfill *g)
{
	http_client_free(g->http);
	free(g->sys);
	cJSON_Delete(g->ready);
	memset(g, 0, sizeof *g);
}

/* ---- the saved start of the oldest gap not yet filled ---- */

static time_t
saved_from(const struct gapfill *g)
{
	time_t a = g->open_start, b = g->active ? g->from : 0;

	return a && b ? (a < b ? a : b) : (a ? a : b);
}

static void
save(const struct gapfill *g)
{
	char path[PATH_MAX], buf[40];
	time_t t = saved_from(g);
	struct tm tm;
	size_t n;

	if (state_path(path, sizeof path, GAP_FILE) < 0)
		return;
	if (!t) {
		if (unlink(path) < 0 && errno != ENOENT)
			log_warn("%s: %s", path, strerror(errno));
		return;
	}
	gmtime_r(&t, &tm);
	n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ\n", &tm);
	if (state_atomic_write(path, buf, n) < 0)
		log_warn("%s: cannot save the gap's start", path);
}

void
gapfill_load(struct gapfill *g)
{
	char path[PATH_MAX], *buf;
	size_t len;
	time_t t;

	if (state_path(path, sizeof path, GAP_FILE) < 0 || !(buf = state_read_file(path, 64, &len)))
		return;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = 0;
	if (killmail_facts_parse_time(buf, len, &t) == 0 && t > 0 && t <= time(NULL))
		g->open_start = t;
	else
		log_warn("%s: not a past time, ignored", path);
	free(buf);
}

void
gapfill_down(struct gapfill *g, time_t t)
{
	if (t <= 0)
		return;
	if (!g->open_start || t < g->open_start)
		g->open_start = t;
	g->open_end = 0;
	g->due_ms = 0;
	save(g);
}

void
gapfill_up(struct gapfill *g, long long now_ms)
{
	if (!g->open_start || g->open_end)
		return;
	g->open_end = time(NULL);
	g->due_ms = now_ms + g->cfg.delay_ms;
	status_set("last_gap_seconds", (long long)(g->open_end - g->open_start));
	if (!g->url[0]) {
		log_warn("feed was down for %lld s; kills of that time can be missing "
		         "(set WANDERER_KILLS_URL to fill gaps)",
		         (long long)(g->open_end - g->open_start));
		g->open_start = g->open_end = 0;
		g->due_ms = 0;
		save(g);
		return;
	}
	log_info("feed was down for %lld s; filling the gap over REST in %lld s",
	         (long long)(g->open_end - g->open_start), g->cfg.delay_ms / 1000);
}

long long
gapfill_wait_ms(const struct gapfill *g, long long now)
{
	if (g->active)
		return g->next_ms > now ? g->next_ms - now : 0;
	if (g->due_ms)
		return g->due_ms > now ? g->due_ms - now : 0;
	return LLONG_MAX / 4;
}

/* ---- pure helpers ---- */

int
gapfill_since_hours(time_t from, time_t now, long long max_age_s)
{
	long long span = now > from ? (long long)(now - from) : 0;
	long long h = (span + 3599) / 3600 + 1;   /* + the hour kills can be late */

	if (max_age_s > 0 && h > (max_age_s + 3599) / 3600)
		h = (max_age_s + 3599) / 3600;
	if (h > GAP_KEEP_S / 3600)
		h = GAP_KEEP_S / 3600;
	return h < 1 ? 1 : (int)h;
}

char *
gapfill_body(const int64_t *systems, size_t n, int since_hours, int limit)
{
	size_t cap = 64 + n * 21, len;
	char *b = malloc(cap);

	if (!b)
		return NULL;
	len = (size_t)snprintf(b, cap, "{\"system_ids\":[");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(b + len, cap - len, "%s%lld", i ? "," : "",
		                        (long long)systems[i]);
	snprintf(b + len, cap - len, "],\"since_hours\":%d,\"limit\":%d}", since_hours, limit);
	return b;
}

/* One row of system sid → a record, or NULL (and a warning). */
static cJSON *
row_record(const cJSON *row, int64_t sid)
{
	const cJSON *zkb = cJSON_GetObjectItemCaseSensitive(row, "zkb");
	const char *hash = json_str(zkb, "hash");
	int64_t id = 0;
	cJSON *rec;

	if (!cJSON_IsObject(row) ||
	    (!json_int64(cJSON_GetObjectItemCaseSensitive(row, "killmail_id"), &id) &&
	     !json_int64(cJSON_GetObjectItemCaseSensitive(row, "killID"), &id)) ||
	    id <= 0 || id > 9007199254740991LL) {
		log_warn("gap fill: system %lld: an entry without a usable killmail_id skipped",
		         (long long)sid);
		return NULL;
	}
	if (cJSON_GetObjectItemCaseSensitive(row, "victim"))
		return cJSON_Duplicate(row, 1);   /* a whole killmail: normalised later */
	if (!hash || !killid_hash_ok(hash)) {
		log_warn("gap fill: kill %lld has no 40-digit hash; skipped", (long long)id);
		return NULL;
	}
	if (!(rec = cJSON_CreateObject()) || !json_set_id(rec, "killmail_id", id) ||
	    !json_set_str(rec, "killmail_hash", hash) ||
	    !json_set_id(rec, "solar_system_id", sid) ||
	    !cJSON_AddItemToObject(rec, "zkb", cJSON_Duplicate(zkb, 1)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	return rec;
}

int
gapfill_parse(const char *buf, size_t len, const int64_t *systems, size_t n, int limit,
              cJSON *out, size_t *bad, size_t *full, char *err, size_t errlen)
{
	cJSON *root = json_parse(buf, len, err, errlen), *sk, *list, *row, *rec;
	char key[24];

	*bad = *full = 0;
	if (!root)
		return -1;
	sk = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "data"),
	                                      "systems_kills");
	if (!cJSON_IsObject(sk)) {
		snprintf(err, errlen, "no data.systems_kills in the answer");
		cJSON_Delete(root);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		int rows = 0;
		snprintf(key, sizeof key, "%lld", (long long)systems[i]);
		list = cJSON_GetObjectItemCaseSensitive(sk, key);
		if (list && !cJSON_IsArray(list)) {
			log_warn("gap fill: system %s: not a list; skipped", key);
			++*bad;
			continue;
		}
		cJSON_ArrayForEach(row, list) {
			if (rows++ >= limit)
				break;                /* more than asked: not ours to trust */
			if ((rec = row_record(row, systems[i])))
				cJSON_AddItemToArray(out, rec);
			else
				++*bad;
		}
		if (rows >= limit)
			++*full;
	}
	cJSON_Delete(root);
	return 0;
}

/* ---- the fill ---- */

static void
start_fill(struct gapfill *g, const struct idset *systems, time_t now)
{
	g->from = g->open_start;
	g->to = g->open_end;
	g->open_start = g->open_end = 0;
	g->due_ms = 0;
	free(g->sys);
	g->sys = NULL;
	g->nsys = g->next = g->failed = g->requests = 0;
	g->attempt = g->retry_later = 0;
	if (systems->n && !(g->sys = malloc(systems->n * sizeof *g->sys)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	for (size_t i = 0; i < systems->n; i++)
		if (systems->v[i] >= 1 && systems->v[i] <= 50000000)  /* what the server takes */
			g->sys[g->nsys++] = systems->v[i];
	g->since_hours = gapfill_since_hours(g->from, now, g->cfg.max_age_s);
	if (now - g->from > GAP_KEEP_S)
		log_error("gap of %lld h is longer than the %d h WandererKills keeps: "
		          "kills before the last %d h are lost",
		          (long long)(now - g->from) / 3600, GAP_KEEP_S / 3600, GAP_KEEP_S / 3600);
	g->active = 1;
	g->next_ms = 0;
	log_info("gap fill: %lld s gap, %zu systems in %zu requests, since_hours %d",
	         (long long)(g->to - g->from), g->nsys,
	         (g->nsys + g->cfg.chunk - 1) / g->cfg.chunk, g->since_hours);
}

/* A fill that failed for a passing reason is done again later, from
 * the same start, while the server still keeps kills that old. */
static void
again_later(struct gapfill *g, long long now)
{
	if (time(NULL) - g->from > GAP_KEEP_S)
		return;
	if (!g->open_start || g->from < g->open_start)
		g->open_start = g->from;
	if (g->open_end || !g->due_ms) {        /* the feed is up */
		if (!g->open_end)
			g->open_end = g->to;
		g->due_ms = now + g->cfg.backoff_max_ms;
	}
	log_warn("gap fill: tried again in %lld s", g->cfg.backoff_max_ms / 1000);
}

static void
finish_fill(struct gapfill *g, long long now)
{
	g->active = 0;
	status_add("gap_fills", 1);
	status_set_time("last_gap_fill", time(NULL));
	if (g->failed) {
		log_error("gap fill: %zu of %zu systems could not be asked; their kills "
		          "from the %lld s gap can be missing", g->failed, g->nsys,
		          (long long)(g->to - g->from));
		if (g->retry_later)
			again_later(g, now);
	} else
		log_info("gap fill done: %zu requests", g->requests);
	save(g);
}

/* The current chunk failed (why): retry later, or give it up. */
static void
chunk_failed(struct gapfill *g, const char *why, int retry, long retry_after_s,
             long long now)
{
	size_t n = g->nsys - g->next < g->cfg.chunk ? g->nsys - g->next : g->cfg.chunk;
	long long d;

	status_add("gap_errors", 1);
	if (retry && ++g->attempt < g->cfg.tries) {
		d = wsconn_backoff(g->cfg.backoff_ms, g->cfg.backoff_max_ms, g->attempt - 1);
		if (retry_after_s > 0 && retry_after_s * 1000 > d)
			d = retry_after_s * 1000 > g->cfg.backoff_max_ms ? g->cfg.backoff_max_ms
			                                                 : retry_after_s * 1000;
		log_warn("gap fill: %s; trying again in %lld ms", why, d);
		g->next_ms = now + d;
		return;
	}
	log_error("gap fill: %s; %zu systems given up", why, n);
	g->retry_later |= retry;
	g->failed += n;
	g->next += n;
	g->attempt = 0;
	g->next_ms = now + g->cfg.pace_ms;
}

static void
answer(struct gapfill *g, const struct http_response *r, size_t n, long long now)
{
	char err[256], why[300], ra[32];
	size_t bad, full, before = 0;
	long retry_after = -1;

	if (r->status == 200) {
		if (!g->ready && !(g->ready = cJSON_CreateArray()))
			log_fatal(WN_EXIT_TEMP, "out of memory");
		before = (size_t)cJSON_GetArraySize(g->ready);
		if (gapfill_parse(r->body, r->body_len, g->sys + g->next, n, g->cfg.limit,
		                  g->ready, &bad, &full, err, sizeof err) == 0) {
			if (bad)
				status_add("bad", (long long)bad);
			if (full)
				log_warn("gap fill: %zu systems had %d kills in the window, the most "
				         "asked for; older kills of the gap can be missing", full,
				         g->cfg.limit);
			log_debug("gap fill: %zu records from %zu systems",
			          (size_t)cJSON_GetArraySize(g->ready) - before, n);
			g->next += n;
			g->attempt = 0;
			g->next_ms = now + g->cfg.pace_ms;
			return;
		}
		snprintf(why, sizeof why, "bad answer: %s", err);
		return chunk_failed(g, why, 1, -1, now);
	}
	enrich_kills_error_text(r->body, r->body_len, err, sizeof err);
	snprintf(why, sizeof why, "HTTP %ld%s%s", r->status, err[0] ? " " : "", err);
	if (r->status == 429 && http_header(r, "Retry-After", ra, sizeof ra))
		retry_after = atol(ra);
	chunk_failed(g, why, r->status == 429 || r->status >= 500, retry_after, now);
}

void
gapfill_run(struct gapfill *g, const struct idset *systems, long long now)
{
	static const char *const hdr[] = { "Content-Type: application/json",
	                                   "Accept: application/json", NULL };
	struct http_response r = { 0 };
	char err[256];
	size_t n;
	char *body;

	if (!g->active) {
		if (!g->due_ms || now < g->due_ms || !g->url[0])
			return;
		start_fill(g, systems, time(NULL));
	}
	if (now < g->next_ms)
		return;
	if (g->next >= g->nsys) {
		/* the last records wait for room; the fill ends when they are out */
		if (!g->ready || !g->ready->child)
			finish_fill(g, now);
		return;
	}
	n = g->nsys - g->next < g->cfg.chunk ? g->nsys - g->next : g->cfg.chunk;
	if (!(body = gapfill_body(g->sys + g->next, n, g->since_hours, g->cfg.limit)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	g->requests++;
	status_add("gap_requests", 1);
	if (http_request(g->http, "POST", g->url, hdr, body, strlen(body), &r, err,
	                 sizeof err) < 0)
		chunk_failed(g, err, 1, -1, mono_ms());
	else
		answer(g, &r, n, mono_ms());
	http_response_free(&r);
	free(body);
}

cJSON *
gapfill_take(struct gapfill *g)
{
	cJSON *rec;

	if (!g->ready || !(rec = cJSON_DetachItemFromArray(g->ready, 0)))
		return NULL;
	return rec;
}
