/* map_feed.c — the map side's stream state machine (see map_feed.h):
 * load (REST), connect, stream (SSE), poll when SSE is disabled, with
 * the reconnect policy of map_policy.c, the event cursor of map_cursor.c,
 * the record journal and the writes of map.json and the cursor. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "map_cursor.h"
#include "http.h"
#include "journal.h"
#include "json.h"
#include "log.h"
#include "map_feed.h"
#include "map_policy.h"
#include "map_state.h"
#include "map_sync.h"
#include "ndjson.h"
#include "sse_client.h"
#include "state.h"
#include "status.h"
#include "wn.h"
#include "wntime.h"

#define CURSOR_FILE "mapsse-cursor.json"
#define JOURNAL_FILE "mapsse-journal"
#define JOURNAL_RECORDS 256
#define RESUME_BACK_MS 5000   /* resume this far before the newest event */
#define FRESH_SECONDS 5.0     /* a load this recent needs no resync at connect */
#define BURST_EVENTS 64       /* more in one read: write state at most 1/s */
#define SEED_BACK_MS 30000    /* with no cursor, replay from this long before the load */

enum phase { LOADING, CONNECTING, STREAMING, POLLING };

struct map_feed {
	struct map_feed_config o;
	char base[512];
	struct map_sync *sync;
	struct sse_client *sse;
	struct map_cursor cur;
	enum phase phase;
	int attempt;             /* failures since the last good stream */
	int connected;           /* this stream delivered `connected` */
	int fresh;               /* state just loaded: the next connect needs no resync */
	double loaded_at;
	char seed[ULID_LEN + 1]; /* resume point when no event was ever seen */
	int state_dirty, cursor_dirty;
	double next_try, opened_at, next_poll, sse_again;
	double resync_due;       /* a resync at connect failed: try again then (0: none) */
	double resync_wait;
	double saved_at;         /* last write of map.json and the cursor */
	long step_events;        /* events in this step: a burst when many */
	char mappath[4096], curpath[4096];
	struct journal *journal;  /* records written lately, sent again on start */
	unsigned long long oversize_told;  /* oversize events already warned about */
};


static void
nap(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
	nanosleep(&ts, NULL);   /* a signal ends it early: fine */
}


/* --- output --- */

static void
write_record(const char *line)
{
	if (ndjson_write(stdout, line, strlen(line)) < 0)
		log_fatal(WN_EXIT_TEMP, "cannot write records: %s", strerror(errno));
}

/* Journaled before it is written: once the cursor moves past its event,
 * the journal is the only way back to a record a dead reader never took. */
static void
emit(void *ud, const char *line)
{
	struct map_feed *c = ud;

	if (c->journal && journal_add(c->journal, line, time(NULL)) < 0)
		log_fatal(WN_EXIT_TEMP, "cannot write the record journal: %s", strerror(errno));
	write_record(line);
	status_add("records", 1);
}

static void
replay_one(void *ud, const char *line)
{
	(void)ud;
	write_record(line);
	status_add("replayed", 1);
}

/* The records of the last WN_MAPSSE_REPLAY_SECONDS (default 3600; 0 turns
 * it off) go out again on start; downstream drops what was posted. */
static void
open_journal(struct map_feed *c, int quiet)
{
	char path[4096];
	long age = (long)config_int("WN_MAPSSE_REPLAY_SECONDS", 3600);

	if (age <= 0 || state_path(path, sizeof path, JOURNAL_FILE) < 0)
		return;
	if (quiet)	/* a first start, or another map: nothing of ours to repeat */
		unlink(path);
	if (!(c->journal = journal_open(path, JOURNAL_RECORDS, age, time(NULL))))
		log_fatal(WN_EXIT_TEMP, "cannot open %s: %s", path, strerror(errno));
	if (journal_replay(c->journal, replay_one, c) > 0)
		log_info("%zu recent record(s) sent again (already posted ones are dropped downstream)",
		         journal_count(c->journal));
}

static void
flush_out(void)
{
	if (fflush(stdout) != 0)
		log_fatal(WN_EXIT_TEMP, "cannot write records: %s", strerror(errno));
}

static void
sync_stats(const struct map_feed *c)
{
	const struct map_sync_stats *m = map_sync_stats(c->sync);
	const struct sse_stats *p = sse_client_stats(c->sse);

	status_set("rest_requests", m->rest);
	status_set("rest_failures", m->rest_failed);
	status_set("static_fetches", m->static_fetched);
	status_set("unresolved_characters", m->unresolved);
	status_set("keepalives", (long long)p->comments);
	status_set("oversize_events", (long long)p->oversize);
}

/* map.json and the cursor, written only when they changed.  Records go
 * out first: a crash repeats events, never loses them.  During a burst
 * (a long replay) the files are written at most once a second; when not
 * forced, a quiet stream's few events are written at once. */
static void
persist(struct map_feed *c, int force)
{
	struct map_state m;
	const cJSON *doc = map_sync_doc(c->sync);
	double at = wn_mono();

	flush_out();
	if (!force && at - c->saved_at < 1.0)
		goto stats;
	c->saved_at = at;
	/* the journal is durable before map.json or the cursor move past
	 * its records: one fdatasync per save, not one per record */
	if (c->journal && journal_sync(c->journal) < 0)
		log_fatal(WN_EXIT_TEMP, "cannot sync the record journal: %s", strerror(errno));
	if (c->state_dirty && doc) {
		cJSON *copy = cJSON_Duplicate(doc, 1);
		char t[WNTIME_ISO_LEN + 1];

		wntime_iso_format((int64_t)time(NULL), t);
		json_set_str(copy, "updated", t);
		map_state_init(&m);
		if (map_state_set(&m, copy) < 0 || map_state_save(&m, c->mappath) < 0)
			log_error("cannot write %s: %s", c->mappath, strerror(errno));
		else
			c->state_dirty = 0;
		status_set("systems", cJSON_GetArraySize(cJSON_GetObjectItem(doc, "systems")));
		status_set("characters", cJSON_GetArraySize(cJSON_GetObjectItem(doc, "characters")));
		map_state_free(&m);
	}
	if (c->cursor_dirty) {
		if (map_cursor_save(&c->cur, c->curpath) < 0)
			log_error("cannot write %s: %s", c->curpath, strerror(errno));
		else
			c->cursor_dirty = 0;
	}
stats:
	sync_stats(c);
	status_flush(0);
}

/* --- REST --- */

/* 401/404 will not mend: exit 100 with the reason. */
static void
fatal_config(enum map_sync_rc rc, const char *err)
{
	if (rc == MAP_SYNC_AUTH)
		log_fatal(WN_EXIT_USAGE, "map API key refused (check MAP_API_KEY): %s", err);
	log_fatal(WN_EXIT_USAGE, "map not found (check MAP_NAME and MAP_URL): %s", err);
}

static int
resync(struct map_feed *c, int quiet)
{
	char err[512];
	enum map_sync_rc rc = map_sync_resync(c->sync, quiet, err, sizeof err);

	status_add("resyncs", 1);
	if (rc == MAP_SYNC_AUTH || rc == MAP_SYNC_NOTFOUND)
		fatal_config(rc, err);
	if (rc != MAP_SYNC_OK) {
		status_add("resync_failures", 1);
		log_warn("map REST: %s", err);
		return -1;
	}
	c->state_dirty = 1;
	status_set_time("last_resync", time(NULL));
	persist(c, 1);
	return 0;
}

/* --- reconnect policy --- */

static double
backoff(struct map_feed *c, double at_least)
{
	double d = map_policy_backoff(c->o.backoff_min, c->o.backoff_max, c->attempt,
	                       (double)rand() / RAND_MAX, at_least);
	c->attempt++;
	return d;
}

static void
retry_later(struct map_feed *c, double at_least, const char *why)
{
	double d = backoff(c, at_least);

	log_warn("%s; reconnecting in %.1f s", why, d);
	status_add("reconnects", 1);
	status_set_str("state", "backoff");
	status_flush(1);
	c->next_try = wn_mono() + d;
	c->phase = CONNECTING;
}

static void
start_polling(struct map_feed *c, const char *why)
{
	log_warn("SSE is disabled (%s): polling the map's REST API every %g s instead", why,
	         c->o.poll);
	status_add("sse_disabled", 1);
	status_set_str("state", "polling");
	status_flush(1);
	c->phase = POLLING;
	c->next_poll = wn_mono();
	c->sse_again = wn_mono() + c->o.sse_retry;
}

/* --- events --- */

static void
on_connected(struct map_feed *c, const char *id)
{
	log_info("stream open (connected %s)", id);
	c->connected = 1;
	status_set_str("state", "streaming");
	status_set_time("last_connected", time(NULL));
	status_flush(1);
	/* the stream is registered before its backfill: a resync now, then
	 * the backfill and live events over it, leaves no window unseen */
	if ((!c->fresh || wn_mono() - c->loaded_at > FRESH_SECONDS) && resync(c, 0) < 0) {
		c->resync_wait = c->o.backoff_min;
		c->resync_due = wn_mono() + c->resync_wait;
	}
	c->fresh = 0;
}

static cJSON *
parse_event(const struct sse_event *ev, const char **type, const char **id)
{
	char err[256];
	cJSON *j = json_parse(ev->data, ev->data_len, err, sizeof err);
	const char *jt = json_str(j, "type"), *ji = json_str(j, "id");

	if (!cJSON_IsObject(j)) {
		log_warn("event %s %s: bad data, skipped: %s", ev->type, ev->id, j ? "not an object" : err);
		status_add("bad_events", 1);
		cJSON_Delete(j);
		return NULL;
	}
	*type = *ev->type ? ev->type : jt ? jt : "message";
	*id = *ev->id ? ev->id : ji ? ji : "";
	if (ji && *ev->id && strcmp(ji, ev->id) != 0) {   /* trust the envelope */
		status_add("id_mismatches", 1);
		*id = ji;
	}
	return j;
}

static int
on_event(void *ud, const struct sse_event *ev)
{
	struct map_feed *c = ud;
	const char *type, *id;
	char err[256];
	cJSON *j = parse_event(ev, &type, &id);
	int rc;

	if (!j)
		return 0;
	status_add("events", 1);
	status_set_time("last_event", time(NULL));
	c->step_events++;
	if (strcmp(type, "connected") == 0) {
		on_connected(c, id);
	} else if (map_cursor_seen(&c->cur, id)) {
		log_debug("duplicate event %s %s dropped", type, id);
		status_add("duplicates", 1);
	} else if ((rc = map_sync_apply(c->sync, type, id, j, err, sizeof err)) < 0) {
		log_warn("event skipped: %s", err);
		status_add("bad_events", 1);
	} else {
		c->state_dirty |= rc;
		map_cursor_add(&c->cur, id);
		c->cursor_dirty = 1;
	}
	cJSON_Delete(j);
	return 0;
}

/* --- the stream --- */

static void
open_stream(struct map_feed *c)
{
	char shown[512];
	char url[4096], resume[ULID_LEN + 1], err[256], q[2048] = "";
	char auth[1024];
	const char *hdrs[] = { auth, "Accept: text/event-stream", "Cache-Control: no-cache", NULL };
	size_t off = 0;

	map_cursor_resume(&c->cur, RESUME_BACK_MS, resume);
	if (!*resume)
		memcpy(resume, c->seed, sizeof resume);
	if (*resume)
		off += (size_t)snprintf(q + off, sizeof q - off, "&last_event_id=%s", resume);
	if (strcmp(c->o.events, "*") != 0) {
		off += (size_t)snprintf(q + off, sizeof q - off, "&events=");
		for (const char *p = c->o.events; *p && off < sizeof q - 4; p++)
			if (*p == ',')
				off += (size_t)snprintf(q + off, sizeof q - off, "%%2C");
			else if (*p != ' ')
				q[off++] = *p, q[off] = '\0';
	}
	if (*q)
		q[0] = '?';
	snprintf(url, sizeof url, "%s/api/maps/%s/events/stream%s", c->base, c->o.map, q);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->o.key);
	http_url_for_log(c->base, shown, sizeof shown);   /* no user:password@ */
	log_info("connecting to %s/api/maps/%s/events/stream%s%s", shown, c->o.map,
	         *resume ? " from " : "", resume);
	status_set_str("state", "connecting");
	c->connected = 0;
	c->resync_due = 0;   /* the next connected event resyncs anyway */
	c->opened_at = wn_mono();
	if (sse_client_open(c->sse, url, hdrs, c->o.connect_ms, err, sizeof err) < 0) {
		retry_later(c, 0, err);
		return;
	}
	c->phase = STREAMING;
}

/* Why the stream ended, and what to do about it (lib/map_policy.c). */
static void
stream_ended(struct map_feed *c)
{
	const struct sse_result *r = sse_client_result(c->sse);
	char why[1400];
	enum map_policy_verdict v = map_policy_verdict(r, c->connected, why, sizeof why);

	if (c->connected && wn_mono() - c->opened_at >= c->o.steady)
		c->attempt = 0;   /* a stream that stayed up earns a fresh start */
	switch (v) {
	case MAP_BAD_KEY:
		log_fatal(WN_EXIT_USAGE, "map API key refused (check MAP_API_KEY): %s", why);
	case MAP_NOT_FOUND:
		log_fatal(WN_EXIT_USAGE, "map not found (check MAP_NAME and MAP_URL): %s", why);
	case MAP_POLL:
		start_polling(c, why);
		break;
	case MAP_RETRY_SLOW:
		retry_later(c, r->retry_after > MAP_SLOW_SECONDS ? (double)r->retry_after
		                                                 : MAP_SLOW_SECONDS, why);
		break;
	case MAP_RETRY:
		retry_later(c, r->retry_after > 0 ? (double)r->retry_after : 0, why);
		break;
	}
}

/* The man page promises a warning for each event dropped for size; an
 * endless line is counted (and told) as soon as it passes the bound. */
static void
warn_oversize(struct map_feed *c)
{
	unsigned long long n = sse_client_stats(c->sse)->oversize;

	if (n > c->oversize_told)
		log_warn("%llu SSE event%s over %zu bytes dropped (see --max-event)",
		         n - c->oversize_told, n - c->oversize_told == 1 ? "" : "s", c->o.max_event);
	c->oversize_told = n;
}

static void
stream_step(struct map_feed *c)
{
	enum sse_client_state st;

	c->step_events = 0;
	st = sse_client_step(c->sse, 200, on_event, c);
	warn_oversize(c);
	persist(c, c->step_events < BURST_EVENTS);
	if (c->resync_due && wn_mono() >= c->resync_due) {
		/* the stream carries on meanwhile; only REST is retried */
		c->resync_wait = c->resync_wait * 2 < c->o.backoff_max ? c->resync_wait * 2
		                                                       : c->o.backoff_max;
		c->resync_due = resync(c, 0) < 0 ? wn_mono() + c->resync_wait : 0;
	}
	if (st == SSE_ENDED) {
		sse_client_close(c->sse);
		stream_ended(c);
	} else if (sse_client_idle(c->sse) > c->o.stall) {
		sse_client_close(c->sse);
		status_add("stalls", 1);
		retry_later(c, 0, "stream silent past its keepalive deadline");
	}
}

static void
poll_step(struct map_feed *c)
{
	double now = wn_mono();

	if (now >= c->sse_again) {
		log_info("trying SSE again");
		c->fresh = 0;
		open_stream(c);
		return;
	}
	if (now >= c->next_poll) {
		resync(c, 0);
		c->next_poll = now + c->o.poll;
	}
	nap(0.1);
}

/* No cursor yet (a first start): the load's own time, a little earlier, is
 * a resume point the server accepts, so events between the REST load and
 * the stream's registration come in its replay. */
static void
seed_resume(struct map_feed *c)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	map_cursor_ulid_at((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - SEED_BACK_MS,
	                 c->seed);
}

static void
load_step(struct map_feed *c, int quiet)
{
	seed_resume(c);
	if (resync(c, quiet) < 0) {
		double d = backoff(c, 0);

		if (c->o.once)
			log_fatal(WN_EXIT_TEMP, "initial map load failed");
		log_warn("initial map load failed; again in %.1f s", d);
		for (double until = wn_mono() + d; !*c->o.stop && wn_mono() < until; )
			nap(0.05);
		return;
	}
	c->attempt = 0;
	c->fresh = 1;
	c->loaded_at = wn_mono();
	c->phase = CONNECTING;
	c->next_try = 0;
}

static void
run(struct map_feed *c, int quiet)
{
	while (!*c->o.stop) {
		switch (c->phase) {
		case LOADING:
			load_step(c, quiet);
			if (c->o.once && c->phase != LOADING)
				return;
			break;
		case CONNECTING:
			if (wn_mono() >= c->next_try)
				open_stream(c);
			else
				nap(0.05);
			break;
		case STREAMING:
			stream_step(c);
			break;
		case POLLING:
			poll_step(c);
			break;
		}
	}
}

/* --- setup --- */

/* Saved state: adopted when it is this map's; else this is a first start
 * and the initial load announces nothing. Returns quiet. */
static int
load_saved(struct map_feed *c)
{
	struct map_state m;
	char err[256];
	const char *map;

	if (map_state_default_path(c->mappath, sizeof c->mappath) < 0 ||
	    state_path(c->curpath, sizeof c->curpath, CURSOR_FILE) < 0)
		log_fatal(WN_EXIT_TEMP, "no usable state directory");
	if (map_cursor_load(&c->cur, c->curpath, err, sizeof err) < 0)
		log_warn("%s: %s: starting without a resume point", c->curpath, err);
	map_state_init(&m);
	if (map_state_load(&m, c->mappath, err, sizeof err) < 0) {
		log_info("no saved map state (%s): first load writes the state silently", err);
		map_cursor_init(&c->cur);
		return 1;
	}
	map = json_str(m.root, "map");
	if (map && strcmp(map, c->o.map) != 0) {
		log_info("saved map state is for map %s: starting afresh", map);
		map_state_free(&m);
		map_cursor_init(&c->cur);
		return 1;
	}
	map_sync_adopt(c->sync, m.root);
	m.root = NULL;
	map_state_free(&m);
	return 0;
}

struct map_feed *
map_feed_new(const struct map_feed_config *cfg, const char *base)
{
	struct map_feed *c = calloc(1, sizeof *c);
	struct map_sync_config mc;

	if (!c)
		log_fatal(WN_EXIT_TEMP, "out of memory");
	c->o = *cfg;
	snprintf(c->base, sizeof c->base, "%s", base);
	mc = (struct map_sync_config){ c->base, c->o.map, c->o.key, c->o.timeout_ms };
	if (!(c->sync = map_sync_new(&mc, emit, c)) ||
	    !(c->sse = sse_client_new("wn-mapsse/" WN_VERSION, c->o.max_event)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	return c;
}

void
map_feed_run(struct map_feed *c)
{
	int quiet = load_saved(c);

	open_journal(c, quiet);
	run(c, quiet);
	persist(c, 1);
}

void
map_feed_free(struct map_feed *c)
{
	if (!c)
		return;
	sse_client_free(c->sse);
	map_sync_free(c->sync);
	journal_close(c->journal);
	free(c);
}
