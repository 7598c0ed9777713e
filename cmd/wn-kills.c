/* wn-kills — the live kill feed, first stage of the pipeline:
 *
 *   wn-kills | wn-enrich > kills.fifo
 *
 * Follows WandererKills over a WebSocket (Phoenix channels v2) for the
 * systems and characters of the map state file, or zKillboard's R2Z2
 * feed, and writes one canonical killmail record per line.  What the
 * feed missed while it was down (or wn-kills was) is fetched over REST
 * once it is back (gapfill.c); the ids written recently are kept across
 * restarts (wset.c), so no kill goes out twice.  One poll loop; stdout
 * has a bounded queue so a slow reader never stalls the heartbeat. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
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
#include "kfeed.h"
#include "killmail.h"
#include "killmail_facts.h"
#include "log.h"
#include "map_state.h"
#include "outbox_queue.h"
#include "r2z2.h"
#include "status.h"
#include "tool.h"
#include "wn.h"
#include "wset.h"

#define DEFAULT_WS_URL "ws://localhost:4004"
#define WRITTEN_FILE "kills.written"

struct opts {
	int r2z2, all, fixed;           /* fixed: --systems/--characters */
	const char *url, *map, *history;
	long long hb_ms, backoff_ms, backoff_max_ms, queue_timeout_ms;
	long long r2z2_interval_ms, r2z2_poll_ms;
	size_t max_msg, queue_items;
};

struct ctx {
	struct opts o;
	struct idset sys, chr;          /* wanted now */
	struct map_state map;
	char mappath[PATH_MAX];
	long long map_checked;
	struct outbox_queue *q;
	struct kfeed feed;               /* WebSocket */
	/* R2Z2 */
	struct r2z2 rz;
	struct http_client *http;
	long long poll_at;
	/* kills */
	long long newest, newest_saved;
	struct wset written;             /* ids written or queued */
	struct gapfill gap;
};

static void
usage(void)
{
	fprintf(stderr,
	        "usage: wn-kills [-av] [-F source] [-u url] [-m map.json] [-H file]\n"
	        "                [-s id,...] [-c id,...]\n"
	        "  -F, --source ws|r2z2   WandererKills WebSocket (default) or zKillboard R2Z2\n"
	        "                         (-s ws|r2z2 is the old spelling)\n"
	        "  -u, --url URL          feed URL (default $WEBSOCKET_URL or $R2Z2_URL)\n"
	        "  -m, --map FILE         map state file (default state_dir/map.json)\n"
	        "  -s, --systems IDS      follow these systems instead of the map (old: -S)\n"
	        "  -c, --characters IDS   follow these characters instead of the map (old: -C)\n"
	        "  -a, --all              R2Z2: write every kill, not only tracked ones\n"
	        "  -H, --history FILE     write the kills of an R2Z2 day history file, exit\n"
	        "  -v                     more logging (repeat for debug)\n"
	        "      --version          print the version\n");
}

/* The newest kill time written, kept across restarts (kfeed_resume.c). */
static void
newest_save(struct ctx *c)
{
	if (c->newest != c->newest_saved && kfeed_resume_save(c->newest) == 0)
		c->newest_saved = c->newest;
}

/* ---- subscription: fixed lists or the map state file ---- */

/* Re-read the map when it changed (or on SIGHUP); 1 if the lists changed. */
static int
map_refresh(struct ctx *c, int force)
{
	char err[256];
	int rc;

	if (c->o.fixed)
		return 0;
	rc = map_state_follow(&c->map, c->mappath, force, &c->sys, &c->chr, err, sizeof err);
	if (rc < 0)
		log_warn("map state: %s", err);
	if (rc <= 0)
		return 0;
	log_info("map: %zu systems, %zu characters", c->sys.n, c->chr.n);
	return 1;
}

/* ---- output ---- */

/* A line for stdout: text (consumed) and a newline. */
static void
queue_line(void *ud, char *text, int64_t id, long long tag)
{
	struct ctx *c = ud;

	if (outbox_queue_push_line(c->q, text, tag) < 0 ||
	    (!c->o.r2z2 && wset_queue(&c->written, id) < 0))
		log_fatal(WN_EXIT_TEMP, "output queue overflow");
}

/* Normalise one killmail (consumed) and queue it.  tag: R2Z2 cursor. */
static void
emit(struct ctx *c, cJSON *in, long long tag)
{
	char err[256], *text;
	cJSON *rec = killmail_normalize(in, err, sizeof err);
	time_t t;
	int64_t id;

	if (!rec) {
		log_warn("bad killmail skipped: %s", err);
		status_add("bad", 1);
		return;
	}
	/* R2Z2 repeats a kill only when it changed (sequence_updated): pass it. */
	if (c->o.r2z2 ? !c->o.all && (c->sys.n || c->chr.n) &&
	                !killmail_involves(rec, &c->sys, &c->chr)
	              : wset_has(&c->written, json_id(rec, "killmail_id"))) {
		cJSON_Delete(rec);
		status_add(c->o.r2z2 ? "filtered" : "repeats", 1);
		if (c->o.r2z2 && tag > 0 && outbox_queue_count(c->q) == 0 && r2z2_save_cursor(tag) == 0)
			c->rz.saved = tag;
		return;
	}
	text = killmail_facts_print(rec, &id, &t);
	queue_line(c, text, id, c->o.r2z2 ? tag : (long long)t);
}

/* A record reached stdout. */
static void
written(void *ud, long long tag)
{
	struct ctx *c = ud;

	status_add("kills", 1);
	status_set_time("last_kill", time(NULL));
	if (c->o.r2z2) {
		if (tag > c->rz.saved && r2z2_save_cursor(tag) == 0)
			c->rz.saved = tag;
	} else {
		wset_written(&c->written, (int64_t)time(NULL));
		if (tag > c->newest)
			c->newest = tag;
	}
}

static void
flush_out(struct ctx *c, long long now)
{
	long long blocked;

	if (outbox_queue_write(c->q, STDOUT_FILENO, written, c) < 0)
		log_fatal(WN_EXIT_TEMP, "cannot write to stdout: %s", strerror(errno));
	if ((blocked = outbox_queue_blocked_ms(c->q, now)) > c->o.queue_timeout_ms) {
		newest_save(c);
		log_fatal(WN_EXIT_TEMP, "output blocked for %lld s with %zu records queued",
		          blocked / 1000, outbox_queue_count(c->q));
	}
}

/* ---- WebSocket: kfeed calls these ---- */

static int
room(void *ud)
{
	return !outbox_queue_full(((struct ctx *)ud)->q);
}

static void
kill_in(void *ud, cJSON *km)
{
	emit(ud, km, 0);
}

static const struct gapfill_out gap_out = { kill_in, queue_line };

/* Hours of preload that cover the time since the newest kill written,
 * plus one: live kills can arrive up to an hour late.  Saved first, so a
 * crash right after cannot ask for less. */
static int
since_hours(void *ud)
{
	struct ctx *c = ud;

	newest_save(c);
	return kfeed_resume_hours(c->newest, (long long)time(NULL));
}

static const struct kfeed_ops feed_ops = { room, kill_in, since_hours };

/* ---- R2Z2 ---- */

/* ---- the loop ---- */

static int
wait_ms(const struct ctx *c, long long now)
{
	long long t = c->o.r2z2 ? c->poll_at - now : kfeed_wait_ms(&c->feed, now);

	t = t > 1000 ? 1000 : t;         /* map checks and status flushes */
	if (!c->o.r2z2 && gapfill_wait_room(&c->gap, c->q, now) < t)
		t = gapfill_wait_room(&c->gap, c->q, now);
	return t < 0 ? 0 : (int)t;
}

static void
run(struct ctx *c)
{
	while (!tool_stop) {
		struct pollfd pfd[2] = { { STDOUT_FILENO, 0, 0 }, { -1, 0, 0 } };
		long long now = (long long)(wn_mono() * 1000), seq;
		int changed = 0;
		cJSON *kill;

		if (tool_reload || now - c->map_checked >= 1000) {
			changed = map_refresh(c, tool_reload);
			tool_reload = 0;
			c->map_checked = now;
		}
		if (outbox_queue_count(c->q))
			pfd[0].events = POLLOUT;
		if (!c->o.r2z2) {
			pfd[1].fd = kfeed_fd(&c->feed);
			pfd[1].events = kfeed_events(&c->feed);
		}
		if (poll(pfd, 2, wait_ms(c, now)) < 0 && errno != EINTR)
			log_fatal(WN_EXIT_TEMP, "poll: %s", strerror(errno));
		now = (long long)(wn_mono() * 1000);
		if (pfd[0].revents)
			flush_out(c, now);
		if (c->o.r2z2) {
			if (now >= c->poll_at && !outbox_queue_full(c->q) &&
			    r2z2_poll(&c->rz, c->http, outbox_queue_count(c->q) == 0, &kill, &seq,
			              &c->poll_at, now) == R2Z2_KILL)
				emit(c, kill, seq + 1);
		} else {
			kfeed_run(&c->feed, pfd[1].fd >= 0 ? pfd[1].revents : 0, now, changed);
			gapfill_watch(&c->gap, &c->feed, now);
			if (!outbox_queue_full(c->q))
				gapfill_run(&c->gap, &c->sys, now);
			gapfill_emit(&c->gap, c->q, &c->written, &gap_out, c);
		}
		if (outbox_queue_count(c->q))
			flush_out(c, now);
		newest_save(c);
		wset_save(&c->written);
		status_set("queued", (long long)outbox_queue_count(c->q));
		status_flush(0);
	}
}

/* SIGTERM: say goodbye, write out what is queued, remember where we are. */
static void
finish(struct ctx *c)
{
	if (!c->o.r2z2)
		kfeed_close(&c->feed);
	fcntl(STDOUT_FILENO, F_SETFL, fcntl(STDOUT_FILENO, F_GETFL) & ~O_NONBLOCK);
	if (outbox_queue_write(c->q, STDOUT_FILENO, written, c) < 0)
		log_error("cannot write to stdout: %s", strerror(errno));
	newest_save(c);
	if (!c->o.r2z2) {
		wset_save(&c->written);
		gapfill_down(&c->gap, time(NULL));   /* the next start fills from here */
	}
}

static const struct tool_opt longs[] = {
	{ "source", 'F' }, { "url", 'u' }, { "map", 'm' }, { "systems", 's' },
	{ "characters", 'c' }, { "all", 'a' }, { "history", 'H' }, { NULL, 0 },
};

static void
options(struct ctx *c, struct tool *t)
{
	struct opts *o = &c->o;
	int opt;

	while ((opt = tool_getopt(t, "aF:H:u:m:s:c:S:C:")) != -1) {
		switch (opt) {
		case 'a': o->all = 1; break;
		case 'u': o->url = optarg; break;
		case 'm': o->map = optarg; break;
		case 'H': o->history = optarg; break;
		case 's': case 'c': case 'S': case 'C': case 'F':
			/* -s ws|r2z2: the old spelling of --source */
			if (opt == 'F' || (opt == 's' && (!strcmp(optarg, "ws") || !strcmp(optarg, "r2z2")))) {
				if (strcmp(optarg, "ws") != 0 && !(o->r2z2 = !strcmp(optarg, "r2z2")))
					log_fatal(WN_EXIT_USAGE, "unknown source %s (ws or r2z2)", optarg);
				break;
			}
			if (idset_parse(opt == 's' || opt == 'S' ? &c->sys : &c->chr, optarg) < 0)
				log_fatal(WN_EXIT_USAGE, "bad id list: %s", optarg);
			o->fixed = 1;
			break;
		default: tool_usage(t);
		}
	}
	tool_no_operands(t);
	o->hb_ms = config_int_min("WN_KILLS_HEARTBEAT_MS", 30000, 100);
	o->backoff_ms = config_int_min("WN_KILLS_BACKOFF_MS", 1000, 10);
	o->backoff_max_ms = config_int_min("WN_KILLS_BACKOFF_MAX_MS", 60000, o->backoff_ms);
	o->queue_timeout_ms = config_int_min("WN_KILLS_QUEUE_TIMEOUT_MS", 60000, 100);
	o->queue_items = (size_t)config_int_min("WN_KILLS_QUEUE", 1000, 1);
	o->max_msg = (size_t)config_int_min("WN_KILLS_MAX_MESSAGE", 16 << 20, 1024);
	o->r2z2_interval_ms = config_int_min("R2Z2_INTERVAL_MS", 100, 50);   /* ≤ 10 req/s */
	o->r2z2_poll_ms = config_int_min("R2Z2_POLL_MS", 6000, 10);
}

static void
setup_source(struct ctx *c)
{
	struct phx_url url;
	char err[256];

	if (c->o.r2z2) {
		const char *base = c->o.url ? c->o.url : config_str("R2Z2_URL", R2Z2_DEFAULT_URL);
		if (!(c->http = r2z2_start(&c->rz, base, c->o.r2z2_interval_ms, c->o.r2z2_poll_ms)))
			log_fatal(WN_EXIT_TEMP, "cannot start the HTTP client");
		return;
	}
	if (phx_url_parse(c->o.url ? c->o.url : config_str("WEBSOCKET_URL", DEFAULT_WS_URL),
	                  &url, err, sizeof err) < 0)
		log_fatal(WN_EXIT_USAGE, "%s", err);
	kfeed_init(&c->feed, &url, c->o.hb_ms, c->o.backoff_ms, c->o.backoff_max_ms,
	           c->o.max_msg, &feed_ops, c, &c->sys, &c->chr);
	c->feed.c.timeout_ms = config_int_min("WN_KILLS_CONNECT_TIMEOUT_MS",
	                                            KFEED_CONNECT_TIMEOUT_MS, 100);
	c->newest = c->newest_saved = kfeed_resume_load();
	/* the written ids and the gap not yet filled, from the last run */
	wset_open(&c->written, WRITTEN_FILE,
	          (size_t)config_int_min("WN_KILLS_WRITTEN", 20000, 100),
	          c->o.queue_items * 2 + 64, config_int_min("WN_KILLS_RESEND_SECONDS", 60, 0));
	gapfill_start(&c->gap, (time_t)c->newest);
}

int
main(int argc, char **argv)
{
	static struct ctx c;
	struct tool t;

	tool_start(&t, "wn-kills", argc, argv, longs, usage, TOOL_SIGNALS | TOOL_RELOAD);
	idset_init(&c.sys); idset_init(&c.chr);
	map_state_init(&c.map);
	options(&c, &t);
	if (c.o.history)   /* a replay's reshaping, not the feed */
		return tool_finish(&t, killmail_history_print(c.o.history, stdout) ? WN_EXIT_TEMP : 0);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	status_init("wn-kills");
	if (!c.o.fixed) {
		if (map_state_path(c.mappath, sizeof c.mappath, c.o.map) < 0)
			log_fatal(WN_EXIT_TEMP, "no state directory");
		if (!map_refresh(&c, 1))
			log_warn("no tracked systems or characters yet (map %s)", c.mappath);
	}
	if (!(c.q = outbox_queue_new(c.o.queue_items, c.o.queue_items * 64 * 1024)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	fcntl(STDOUT_FILENO, F_SETFL, fcntl(STDOUT_FILENO, F_GETFL) | O_NONBLOCK);
	setup_source(&c);
	run(&c);
	finish(&c);
	outbox_queue_free(c.q);
	http_client_free(c.http);
	gapfill_free(&c.gap);
	wset_free(&c.written);
	map_state_free(&c.map);
	idset_free(&c.sys); idset_free(&c.chr);
	return tool_finish(&t, WN_EXIT_OK);
}
