/* gapfill.h — what wn-kills missed while its WandererKills feed was
 * down (a dropped connection, refused reconnects, a crashed channel, a
 * restart), fetched over the same server's REST API once the feed is
 * back:
 *
 *   POST {WANDERER_KILLS_URL}/api/v1/kills/systems
 *        {"system_ids":[...<=chunk],"since_hours":H,"limit":L}
 *   200  {"data":{"systems_kills":{"<id>":[entry...]},"timestamp":..},..}
 *
 * The entries are zKillboard rows ({"killmail_id","zkb":{"hash",..}},
 * no victim: wanderer-kills-detail.md 3.2); each becomes a record that
 * wn-enrich completes from ESI by id and hash:
 *   {"killmail_id":N,"killmail_hash":H,"solar_system_id":S,"zkb":{..}}
 * An entry that is a whole killmail is passed on whole.
 *
 * Timing: zKillboard lists a kill only 300 s after it happened and the
 * server asks zKillboard, so the fill starts `delay` after the feed came
 * back.  Requests are paced; a 5xx, 429 or network failure is retried
 * with backoff, a few times, then that chunk is given up and logged.
 * The open gap's start is saved (state_dir/kills.gap) until it is
 * filled, so a restart in between still fills it. */
#ifndef WN_GAPFILL_H
#define WN_GAPFILL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cjson/cJSON.h>

struct http_client;
struct idset;

#define GAP_KEEP_S (24 * 3600)   /* how long WandererKills keeps kills */
#define GAP_LIMIT_MAX 200        /* zKillboard's rows per answer */

struct gapfill_cfg {
	long long delay_ms;      /* feed back -> fill starts */
	long long pace_ms;       /* between two requests */
	long long backoff_ms, backoff_max_ms;
	int tries;               /* per chunk */
	size_t chunk;            /* systems per request */
	int limit;               /* rows per system */
	long long max_age_s;     /* MAX_KILLMAIL_AGE_SECONDS; 0: none */
	long timeout_ms;
};

struct gapfill {
	struct gapfill_cfg cfg;
	char url[600];           /* "" : no REST side, gaps only logged */
	struct http_client *http;
	time_t open_start;       /* gap still open or not yet filled; 0 none */
	time_t open_end;         /* feed came back; 0 while down */
	long long due_ms;        /* mono ms the fill of the closed gap starts */
	/* the fill being done */
	int active;
	time_t from, to;
	int since_hours;
	int64_t *sys;
	size_t nsys, next, failed;
	int attempt, retry_later;
	long long next_ms;
	cJSON *ready;            /* records waiting for room downstream */
	size_t requests;         /* this fill's */
	int feed_up;             /* as gapfill_watch last saw it */
};

/* gapfill.c */
/* The knobs from the environment (see wn-kills(1)); url may be NULL. */
void gapfill_config(struct gapfill_cfg *cfg);
int gapfill_init(struct gapfill *g, const struct gapfill_cfg *cfg, const char *url,
                 const char *user_agent);
void gapfill_free(struct gapfill *g);
/* The saved gap start, if any (restart). */
void gapfill_load(struct gapfill *g);
/* The feed went down at wall time t (or was down since t: a restart). */
void gapfill_down(struct gapfill *g, time_t t);
/* The feed is back (joined): the open gap closes, its fill is due. */
void gapfill_up(struct gapfill *g, long long now_ms);
/* Ms until gapfill_run has something to do (a large number if nothing). */
long long gapfill_wait_ms(const struct gapfill *g, long long now_ms);
/* Starts a due fill of systems, or makes its next request when its time
 * has come: at most one HTTP request a call. */
void gapfill_run(struct gapfill *g, const struct idset *systems, long long now_ms);
/* The next record of the fill (the caller owns it), or NULL. */
cJSON *gapfill_take(struct gapfill *g);

/* gapfill_feed.c: the wiring into wn-kills */
struct kfeed;
struct outbox_queue;
struct wset;
/* Where gapfill_emit sends a record: a whole killmail (consumed) to be
 * normalised, or a line of text (consumed) for stdout, tag 0. */
struct gapfill_out {
	void (*kill)(void *ud, cJSON *km);
	void (*line)(void *ud, char *text, int64_t id, long long tag);
};
/* gapfill_config, gapfill_init from WANDERER_KILLS_URL and gapfill_load;
 * a run that stopped without saying (no gap saved) left a gap from
 * newest, the newest kill time written.  Fatal if no HTTP client. */
void gapfill_start(struct gapfill *g, time_t newest);
/* The feed went down or came back: the gap opens or closes. */
void gapfill_watch(struct gapfill *g, const struct kfeed *f, long long now_ms);
/* gapfill_wait_ms, or a large number while q is full. */
long long gapfill_wait_room(const struct gapfill *g, const struct outbox_queue *q, long long now_ms);
/* The fill's records, while q has room, those not in written. */
void gapfill_emit(struct gapfill *g, const struct outbox_queue *q, const struct wset *written,
                  const struct gapfill_out *out, void *ud);

/* Pure helpers, for the tests. */
/* Hours to ask for at wall time now for a gap from `from`: the gap plus
 * the hour by which live kills can be late, at least 1, at most what
 * max_age_s covers and 24. */
int gapfill_since_hours(time_t from, time_t now, long long max_age_s);
/* The request body for systems[0..n). malloc'd. */
char *gapfill_body(const int64_t *systems, size_t n, int since_hours, int limit);
/* A 200 answer -> array of records (appended to out) for the systems
 * asked; *bad counts entries skipped, *full the systems whose list had
 * `limit` entries (there may be more).  -1 with err when the answer is
 * not JSON or has no systems_kills. */
int gapfill_parse(const char *buf, size_t len, const int64_t *systems, size_t n,
                  int limit, cJSON *out, size_t *bad, size_t *full,
                  char *err, size_t errlen);

#endif
