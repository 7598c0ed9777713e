/* wn-kills — the live kill feed, first stage of the pipeline:
 *
 *   wn-kills | wn-enrich > kills.fifo
 *
 * Follows WandererKills over a WebSocket (Phoenix channels v2) for the
 * systems and characters of the map state file, or zKillboard's R2Z2
 * feed, and writes one canonical killmail record per line.  Nothing is
 * missed across a reconnect or restart: the newest kill time written is
 * saved and the join asks for a preload covering the gap (duplicates are
 * for downstream to drop).  One poll loop; stdout has a bounded queue so
 * a slow reader never stalls the heartbeat. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "http.h"
#include "idset.h"
#include "jsonutil.h"
#include "kfeed.h"
#include "killmail.h"
#include "kmfacts.h"
#include "log.h"
#include "mapstate.h"
#include "outq.h"
#include "phx.h"
#include "r2z2.h"
#include "state.h"
#include "status.h"
#include "wn.h"

#define DEFAULT_WS_URL "ws://localhost:4004"
#define SEEN_MAX 4096           /* recent killmail ids, to drop repeats */
#define NEWEST_FILE "kills.newest"

struct opts {
	int r2z2, all, fixed;           /* fixed: --systems/--characters */
	const char *url, *map;
	long long hb_ms, backoff_ms, backoff_max_ms, queue_timeout_ms;
	long long r2z2_interval_ms, r2z2_poll_ms;
	size_t max_msg, queue_items;
};

struct ctx {
	struct opts o;
	struct idset sys, chr;          /* wanted now */
	struct mapstate map;
	char mappath[PATH_MAX];
	long long map_checked;
	struct outq *q;
	long long full_since;
	struct kfeed feed;               /* WebSocket */
	/* R2Z2 */
	struct r2z2 rz;
	struct http_client *http;
	long long poll_at, cursor_saved;
	/* kills */
	long long newest, newest_saved;
	int64_t seen[SEEN_MAX];
	size_t seen_next;
};

static volatile sig_atomic_t stop, hup;

static void
usage(void)
{
	fprintf(stderr,
	        "usage: wn-kills [-av] [-s source] [-u url] [-m map.json]\n"
	        "                [-S id,...] [-C id,...]\n"
	        "  -s, --source ws|r2z2   WandererKills WebSocket (default) or zKillboard R2Z2\n"
	        "  -u, --url URL          feed URL (default $WEBSOCKET_URL or $R2Z2_URL)\n"
	        "  -m, --map FILE         map state file (default state_dir/map.json)\n"
	        "  -S, --systems IDS      follow these systems instead of the map\n"
	        "  -C, --characters IDS   follow these characters instead of the map\n"
	        "  -a, --all              R2Z2: write every kill, not only tracked ones\n"
	        "  -v                     more logging (repeat for debug)\n"
	        "      --version          print the version\n");
	exit(WN_EXIT_USAGE);
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		hup = 1;
	else
		stop = 1;
}

static void
signals(void)
{
	wn_signals(on_signal, 1);
}

static long long
now_ms(void)
{
	return (long long)(wn_mono() * 1000);
}

/* ---- the newest kill time written, kept across restarts ---- */

static void
newest_load(struct ctx *c)
{
	char path[PATH_MAX], *buf;
	size_t len;
	time_t t;

	if (state_path(path, sizeof path, NEWEST_FILE) < 0 || !(buf = read_file(path, 64, &len)))
		return;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = 0;
	if (parse_time(buf, len, &t) == 0)
		c->newest = c->newest_saved = (long long)t;
	else
		log_warn("%s: not a time, ignored", path);
	free(buf);
}

static void
newest_save(struct ctx *c)
{
	char path[PATH_MAX], buf[40];
	time_t t = (time_t)c->newest;
	struct tm tm;
	size_t n;

	if (c->newest == c->newest_saved || state_path(path, sizeof path, NEWEST_FILE) < 0)
		return;
	gmtime_r(&t, &tm);
	n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ\n", &tm);
	static int failing;   /* warn once per run of failures, not every second */

	if (atomic_write(path, buf, n) == 0) {
		c->newest_saved = c->newest;
		if (failing)
			log_info("%s saved again", path);
		failing = 0;
	} else if (!failing++)
		log_warn("cannot save %s: %s (a restart would ask for too much or too little preload)",
		         path, strerror(errno));
}

/* ---- subscription: fixed lists or the map state file ---- */

static int
same_set(const struct idset *a, const struct idset *b)
{
	return a->n == b->n && (a->n == 0 || memcmp(a->v, b->v, a->n * sizeof *a->v) == 0);
}

static void
copy_set(struct idset *dst, const struct idset *src)
{
	idset_clear(dst);
	for (size_t i = 0; i < src->n; i++)
		idset_add(dst, src->v[i]);
	idset_finish(dst);
}

/* Re-read the map when it changed (or on SIGHUP); 1 if the lists changed. */
static int
map_refresh(struct ctx *c, int force)
{
	char err[256];
	int rc;

	if (c->o.fixed)
		return 0;
	if (force)
		mapstate_invalidate(&c->map);
	rc = mapstate_reload(&c->map, c->mappath, err, sizeof err);
	if (rc < 0) {
		log_warn("map state: %s", err);
		return 0;
	}
	if (rc == 0 && !force)
		return 0;
	if (same_set(&c->sys, &c->map.systems) && same_set(&c->chr, &c->map.characters))
		return 0;
	copy_set(&c->sys, &c->map.systems);
	copy_set(&c->chr, &c->map.characters);
	log_info("map: %zu systems, %zu characters", c->sys.n, c->chr.n);
	return 1;
}

/* ---- output ---- */

static int
seen_before(struct ctx *c, int64_t id)
{
	for (size_t i = 0; i < SEEN_MAX; i++)
		if (c->seen[i] == id)
			return 1;
	c->seen[c->seen_next] = id;
	c->seen_next = (c->seen_next + 1) % SEEN_MAX;
	return 0;
}

static int
tracked(const struct ctx *c, const cJSON *rec)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "victim"), *a;

	if (idset_has(&c->sys, json_id(rec, "solar_system_id")) ||
	    idset_has(&c->chr, json_id(v, "character_id")))
		return 1;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(rec, "attackers"))
		if (idset_has(&c->chr, json_id(a, "character_id")))
			return 1;
	return 0;
}

/* Normalise one killmail (consumed) and queue it.  tag: R2Z2 cursor. */
static void
emit(struct ctx *c, cJSON *in, long long tag)
{
	char err[256], *text, *line;
	cJSON *rec = killmail_normalize(in, err, sizeof err);
	const char *when;
	time_t t = 0;
	size_t len;

	if (!rec) {
		log_warn("bad killmail skipped: %s", err);
		status_add("bad", 1);
		return;
	}
	/* R2Z2 repeats a kill only when it changed (sequence_updated): pass it. */
	if ((c->o.r2z2 && !c->o.all && (c->sys.n || c->chr.n) && !tracked(c, rec)) ||
	    (!c->o.r2z2 && seen_before(c, json_id(rec, "killmail_id")))) {
		cJSON_Delete(rec);
		status_add(c->o.r2z2 ? "filtered" : "repeats", 1);
		if (c->o.r2z2 && tag > 0 && outq_count(c->q) == 0 && r2z2_save_cursor(tag) == 0)
			c->cursor_saved = tag;
		return;
	}
	if ((when = json_str(rec, "killmail_time")))
		parse_time(when, strlen(when), &t);
	text = json_print(rec);
	cJSON_Delete(rec);
	if (!text || !(line = realloc(text, (len = strlen(text)) + 2)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	line[len++] = '\n';
	line[len] = 0;
	if (outq_push(c->q, line, len, c->o.r2z2 ? tag : (long long)t) < 0) {
		free(line);
		log_fatal(WN_EXIT_TEMP, "output queue overflow");
	}
}

/* A record reached stdout. */
static void
written(void *ud, long long tag)
{
	struct ctx *c = ud;

	status_add("kills", 1);
	status_set_time("last_kill", time(NULL));
	if (c->o.r2z2) {
		if (tag > c->cursor_saved && r2z2_save_cursor(tag) == 0)
			c->cursor_saved = tag;
	} else if (tag > c->newest)
		c->newest = tag;
}

static void
flush_out(struct ctx *c, long long now)
{
	if (outq_write(c->q, STDOUT_FILENO, written, c) < 0)
		log_fatal(WN_EXIT_TEMP, "cannot write to stdout: %s", strerror(errno));
	if (!outq_full(c->q))
		c->full_since = 0;
	else if (!c->full_since)
		c->full_since = now;
	else if (now - c->full_since > c->o.queue_timeout_ms) {
		newest_save(c);
		log_fatal(WN_EXIT_TEMP, "output blocked for %lld s with %zu records queued",
		          (now - c->full_since) / 1000, outq_count(c->q));
	}
}

/* ---- WebSocket: kfeed calls these ---- */

static int
room(void *ud)
{
	return !outq_full(((struct ctx *)ud)->q);
}

static void
kill_in(void *ud, cJSON *km)
{
	emit(ud, km, 0);
}

/* Hours of preload that cover the time since the newest kill written,
 * plus one: live kills can arrive up to an hour late.  Saved first, so a
 * crash right after cannot ask for less. */
static int
since_hours(void *ud)
{
	struct ctx *c = ud;
	long long gap;

	newest_save(c);
	if (!c->newest)
		return 1;
	gap = (long long)time(NULL) - c->newest;
	gap = gap > 0 ? (gap + 3599) / 3600 + 1 : 1;
	return gap > 24 ? 24 : (int)gap;
}

static const struct kfeed_ops feed_ops = { room, kill_in, since_hours };

/* ---- R2Z2 ---- */

static void
r2z2_poll(struct ctx *c, long long now)
{
	struct http_response r = { 0 };
	char url[700], err[256] = "", ra[32];
	long long delay, seq = 0;
	long retry_after = -1;
	cJSON *kill;
	int rc;

	r2z2_next_url(&c->rz, url, sizeof url);
	rc = http_request(c->http, "GET", url, NULL, NULL, 0, &r, err, sizeof err);
	if (rc == 0 && http_header(&r, "Retry-After", ra, sizeof ra))
		retry_after = atol(ra);
	rc = r2z2_on_response(&c->rz, rc == 0 ? r.status : 0, r.body, r.body_len,
	                      retry_after, &kill, &seq, &delay, err, sizeof err);
	switch (rc) {
	case R2Z2_KILL:
		emit(c, kill, seq + 1);
		break;
	case R2Z2_SKIPPED:
	case R2Z2_BAD:
		log_warn("%s", err);
		status_add(rc == R2Z2_BAD ? "bad" : "gaps", 1);
		if (outq_count(c->q) == 0 && r2z2_save_cursor(c->rz.seq) == 0)
			c->cursor_saved = c->rz.seq;
		break;
	case R2Z2_FAILED:
		log_warn("R2Z2: %s; retrying in %lld ms", err, delay);
		status_add("errors", 1);
		status_set_str("state", "error");
		break;
	case R2Z2_NOTHING:
		status_set_str("state", "following");
		break;
	}
	http_response_free(&r);
	status_set("sequence", c->rz.seq);
	c->poll_at = now + delay;
}

/* ---- the loop ---- */

static long long
min_ll(long long a, long long b)
{
	return a < b ? a : b;
}

static int
wait_ms(const struct ctx *c, long long now)
{
	long long t = 1000;              /* map checks and status flushes */

	t = min_ll(t, c->o.r2z2 ? c->poll_at - now : kfeed_wait_ms(&c->feed, now));
	return t < 0 ? 0 : (int)t;
}

static void
run(struct ctx *c)
{
	while (!stop) {
		struct pollfd pfd[2] = { { STDOUT_FILENO, 0, 0 }, { -1, 0, 0 } };
		long long now = now_ms();
		int changed = 0;

		if (hup || now - c->map_checked >= 1000) {
			changed = map_refresh(c, hup);
			hup = 0;
			c->map_checked = now;
		}
		if (outq_count(c->q))
			pfd[0].events = POLLOUT;
		if (!c->o.r2z2) {
			pfd[1].fd = kfeed_fd(&c->feed);
			pfd[1].events = kfeed_events(&c->feed);
		}
		if (poll(pfd, 2, wait_ms(c, now)) < 0 && errno != EINTR)
			log_fatal(WN_EXIT_TEMP, "poll: %s", strerror(errno));
		now = now_ms();
		if (pfd[0].revents)
			flush_out(c, now);
		if (c->o.r2z2) {
			if (now >= c->poll_at && !outq_full(c->q))
				r2z2_poll(c, now);
		} else
			kfeed_run(&c->feed, pfd[1].fd >= 0 ? pfd[1].revents : 0, now, changed);
		if (outq_count(c->q))
			flush_out(c, now);
		newest_save(c);
		status_set("queued", (long long)outq_count(c->q));
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
	if (outq_write(c->q, STDOUT_FILENO, written, c) < 0)
		log_error("cannot write to stdout: %s", strerror(errno));
	newest_save(c);
	status_set_str("state", "stopped");
	status_flush(1);
}

static long long
knob(const char *name, long long def, long long min)
{
	long long v = config_int(name, def);

	return v < min ? min : v;
}

static void
long_options(int argc, char **argv)
{
	static const char *const map[][2] = {
		{ "--source", "-s" }, { "--url", "-u" }, { "--map", "-m" },
		{ "--systems", "-S" }, { "--characters", "-C" }, { "--all", "-a" },
		{ "--help", "-h" },
	};

	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		for (size_t k = 0; k < sizeof map / sizeof *map; k++) {
			size_t n = strlen(map[k][0]);
			if (strcmp(argv[i], map[k][0]) == 0)
				argv[i] = (char *)map[k][1];
			else if (strncmp(argv[i], map[k][0], n) == 0 && argv[i][n] == '=') {
				/* "--systems=1,2" → "-S1,2" in place */
				argv[i] += n - 1;
				argv[i][0] = '-';
				argv[i][1] = map[k][1][1];
			}
		}
}

static void
options(struct ctx *c, int argc, char **argv)
{
	struct opts *o = &c->o;
	int opt;

	long_options(argc, argv);
	while ((opt = getopt(argc, argv, "ahs:u:m:S:C:v")) != -1) {
		switch (opt) {
		case 'a': o->all = 1; break;
		case 's':
			if (strcmp(optarg, "r2z2") == 0)
				o->r2z2 = 1;
			else if (strcmp(optarg, "ws") != 0)
				log_fatal(WN_EXIT_USAGE, "unknown source %s (ws or r2z2)", optarg);
			break;
		case 'u': o->url = optarg; break;
		case 'm': o->map = optarg; break;
		case 'S':
		case 'C':
			if (idset_parse(opt == 'S' ? &c->sys : &c->chr, optarg) < 0)
				log_fatal(WN_EXIT_USAGE, "bad id list: %s", optarg);
			o->fixed = 1;
			break;
		case 'v': log_more_verbose(); break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	o->hb_ms = knob("WN_KILLS_HEARTBEAT_MS", 30000, 100);
	o->backoff_ms = knob("WN_KILLS_BACKOFF_MS", 1000, 10);
	o->backoff_max_ms = knob("WN_KILLS_BACKOFF_MAX_MS", 60000, o->backoff_ms);
	o->queue_timeout_ms = knob("WN_KILLS_QUEUE_TIMEOUT_MS", 60000, 100);
	o->queue_items = (size_t)knob("WN_KILLS_QUEUE", 1000, 1);
	o->max_msg = (size_t)knob("WN_KILLS_MAX_MESSAGE", 16 << 20, 1024);
	o->r2z2_interval_ms = knob("R2Z2_INTERVAL_MS", 100, 50);   /* ≤ 10 req/s */
	o->r2z2_poll_ms = knob("R2Z2_POLL_MS", 6000, 10);
}

static void
setup_source(struct ctx *c)
{
	struct phx_url url;
	char err[256];

	if (c->o.r2z2) {
		const char *base = c->o.url ? c->o.url : config_str("R2Z2_URL", R2Z2_DEFAULT_URL);
		r2z2_init(&c->rz, base, c->o.r2z2_interval_ms, c->o.r2z2_poll_ms);
		c->rz.seq = r2z2_load_cursor();
		c->cursor_saved = c->rz.seq;
		if (!(c->http = http_client_new("wn-kills/" WN_VERSION " (R2Z2 follower)",
		                                15000, 16 << 20)))
			log_fatal(WN_EXIT_TEMP, "cannot start the HTTP client");
		log_info("following %s from %s", c->rz.base,
		         c->rz.seq >= 0 ? "the saved sequence" : "sequence.json");
		return;
	}
	if (phx_url_parse(c->o.url ? c->o.url : config_str("WEBSOCKET_URL", DEFAULT_WS_URL),
	                  &url, err, sizeof err) < 0)
		log_fatal(WN_EXIT_USAGE, "%s", err);
	kfeed_init(&c->feed, &url, c->o.hb_ms, c->o.backoff_ms, c->o.backoff_max_ms,
	           c->o.max_msg, &feed_ops, c, &c->sys, &c->chr);
	c->feed.connect_timeout_ms = knob("WN_KILLS_CONNECT_TIMEOUT_MS", KFEED_CONNECT_TIMEOUT_MS, 100);
	newest_load(c);
}

int
main(int argc, char **argv)
{
	static struct ctx c;

	if (argc == 2 && wn_is_version_flag(argv[1])) {
		wn_print_version("wn-kills");
		return WN_EXIT_OK;
	}
	log_init("wn-kills");
	config_load_default();
	idset_init(&c.sys); idset_init(&c.chr);
	mapstate_init(&c.map);
	options(&c, argc, argv);
	signals();
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	status_init("wn-kills");
	if (!c.o.fixed) {
		if (c.o.map)
			snprintf(c.mappath, sizeof c.mappath, "%s", c.o.map);
		else if (mapstate_default_path(c.mappath, sizeof c.mappath) < 0)
			log_fatal(WN_EXIT_TEMP, "no state directory");
		if (!map_refresh(&c, 1))
			log_warn("no tracked systems or characters yet (map %s)", c.mappath);
	}
	if (!(c.q = outq_new(c.o.queue_items, c.o.queue_items * 64 * 1024)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	fcntl(STDOUT_FILENO, F_SETFL, fcntl(STDOUT_FILENO, F_GETFL) | O_NONBLOCK);
	setup_source(&c);
	run(&c);
	finish(&c);
	outq_free(c.q);
	http_client_free(c.http);
	mapstate_free(&c.map);
	idset_free(&c.sys); idset_free(&c.chr);
	return WN_EXIT_OK;
}
