/* wn-enrich — between the kill feed and the filter: killmail records in,
 * the same records out, in the same order, with names beside their ids
 * (and the killmail body fetched when only id and hash came).  Records
 * are taken in windows so the ids of many kills go to ESI in one request;
 * the answers live in a persistent cache (lib/cache.c) that ESI's
 * Expires and ETag keep honest.  When ESI is down a record waits at most
 * --max-wait seconds and then goes on without the missing names. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "config.h"
#include "enrich.h"
#include "enrich_notable.h"
#include "enrich_recent.h"
#include "esi.h"
#include "janice.h"
#include "jsonout.h"
#include "jsonutil.h"
#include "log.h"
#include "ndjson.h"
#include "notable.h"
#include "state.h"
#include "status.h"
#include "wn.h"

struct opts {
	const char *url;
	double max_wait;
	long timeout_ms, window, mem_mb, disk_mb;
	int no_cache, strict, no_recent;
	size_t max_line;
	struct enrich_config ec;
};

struct win {                      /* records taken, waiting for their names */
	struct enrich_item *items;
	char **names;                 /* input name, for messages */
	unsigned long *linenos;
	size_t n, cap, bytes;
};

struct ctx {
	struct opts o;
	struct cache *cache;
	struct esi *esi;
	struct enrich *en;
	struct enrich_recent *recent;   /* NULL when off */
	struct janice *janice;        /* notable items; NULL when off */
	struct enrich_notable *notable;
	struct win w;
	struct buf out;               /* one record's text, reused */
	long long received, written, bad;
	long long pushed[64];         /* what status already has */
};

static volatile sig_atomic_t stop;

static void
usage(void)
{
	log_set_level(LOG_INFO);
	fprintf(stderr,
	    "usage: wn-enrich [-aCKrSv] [-u url] [-w seconds] [-n records] [-t ms]\n"
	    "                 [-m MiB] [-d MiB] [-x bytes] [file ...]\n"
	    "  -u, --esi-url URL      ESI base URL (ESI_URL; default %s)\n"
	    "  -w, --max-wait SECONDS longest wait for ESI before a record goes on\n"
	    "                         without names (WN_ESI_MAX_WAIT; default 30)\n"
	    "  -n, --window RECORDS   records gathered per round of ESI requests (200)\n"
	    "  -t, --timeout MS       one ESI request (WN_ESI_TIMEOUT_MS; default 10000)\n"
	    "  -a, --all-tickers      tickers for every attacker, not only the final blow\n"
	    "  -r, --region           add region_id and region_name (WN_ENRICH_REGION)\n"
	    "  -m, --memory MiB       cached answers kept in memory (default 32)\n"
	    "  -d, --disk MiB         cache file bound (WN_ESI_CACHE_MB; default 256)\n"
	    "  -C, --no-cache         do not keep answers across runs\n"
	    "  -K, --no-recent-kills  no recent kills on system records (WN_RECENT_KILLS)\n"
	    "  -x, --max-line BYTES   longest record (default 4 MiB)\n"
	    "  -S, --strict           bad input is fatal (exit 100)\n"
	    "  -v                     more logging\n", ESI_DEFAULT_URL);
	exit(WN_EXIT_USAGE);
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
signals(void)
{
	wn_signals(on_signal, 0);
}

static void
long_options(int argc, char **argv)
{
	static const char *const map[][2] = {
		{ "--esi-url", "-u" }, { "--max-wait", "-w" }, { "--window", "-n" },
		{ "--timeout", "-t" }, { "--all-tickers", "-a" }, { "--region", "-r" },
		{ "--memory", "-m" }, { "--disk", "-d" }, { "--no-cache", "-C" },
		{ "--max-line", "-x" }, { "--strict", "-S" }, { "--help", "-h" },
		{ "--no-recent-kills", "-K" },
	};

	wn_long_options(argc, argv, map, sizeof map / sizeof *map);
}

/* Environment first, flags over it. */
static void
parse_opts(struct opts *o, int argc, char **argv)
{
	int opt;

	o->url = config_str("ESI_URL", ESI_DEFAULT_URL);
	o->max_wait = (double)config_int("WN_ESI_MAX_WAIT", 30);
	o->timeout_ms = (long)config_int("WN_ESI_TIMEOUT_MS", 10000);
	o->disk_mb = (long)config_int("WN_ESI_CACHE_MB", 256);
	o->ec.region = config_bool("WN_ENRICH_REGION", 0);
	o->ec.all_tickers = config_bool("WN_ENRICH_ALL_TICKERS", 0);
	o->window = 200;
	o->mem_mb = 32;
	o->max_line = NDJSON_MAX_LINE_DEFAULT;
	long_options(argc, argv);
	while ((opt = getopt(argc, argv, "hu:w:n:t:arm:d:CKx:Sv")) != -1) {
		switch (opt) {
		case 'u': o->url = optarg; break;
		case 'w': o->max_wait = wn_num_arg("--max-wait", optarg, 0, 1e12); break;
		case 'n': o->window = (long)wn_num_arg("--window", optarg, 1, 1e12); break;
		case 't': o->timeout_ms = (long)wn_num_arg("--timeout", optarg, 1, 1e12); break;
		case 'a': o->ec.all_tickers = 1; break;
		case 'r': o->ec.region = 1; break;
		case 'm': o->mem_mb = (long)wn_num_arg("--memory", optarg, 1, 1e12); break;
		case 'd': o->disk_mb = (long)wn_num_arg("--disk", optarg, 1, 1e12); break;
		case 'C': o->no_cache = 1; break;
		case 'K': o->no_recent = 1; break;
		case 'x': o->max_line = (size_t)wn_num_arg("--max-line", optarg, 64, 1e12); break;
		case 'S': o->strict = 1; break;
		case 'v': log_more_verbose(); break;
		default: usage();
		}
	}
	if (strncmp(o->url, "http://", 7) != 0 && strncmp(o->url, "https://", 8) != 0)
		log_fatal(WN_EXIT_USAGE, "ESI URL must start with http:// or https://: %s", o->url);
	if (o->window > 100000 || o->max_wait < 0 || o->max_wait > 86400 || o->timeout_ms <= 0 ||
	    o->disk_mb <= 0 || o->disk_mb > 65536 || o->mem_mb > 65536)
		log_fatal(WN_EXIT_USAGE, "window, wait, timeout or cache size out of range");
	o->ec.ttl_static = 30L * 86400;
	o->ec.ttl_other = 86400;
	o->ec.ttl_gone = 3600;
}

/* --- setup --- */

static struct cache *
open_cache(const struct opts *o)
{
	char path[4096], err[512];
	size_t mem = (size_t)o->mem_mb << 20, disk = (size_t)o->disk_mb << 20;
	struct cache *c = NULL;

	if (o->no_cache)
		log_debug("no persistent cache (--no-cache)");
	else if (state_path(path, sizeof path, "cache/esi.cache") < 0)
		log_warn("no state directory: answers are not kept across runs");
	else if (!(c = cache_open(path, mem, disk, err, sizeof err)))
		log_warn("%s: answers are not kept across runs", err);
	if (!c && !(c = cache_open(NULL, mem, disk, err, sizeof err)))
		log_fatal(WN_EXIT_TEMP, "%s", err);
	return c;
}

/* Notable items when NOTABLE_ITEMS_ENABLED and JANICE_API_TOKEN: the
 * key only from the environment (or .env), and known to the redactor. */
static void
setup_notable(struct ctx *c, const char *ua)
{
	static char url[1024];
	struct janice_config jc = { 0 };
	struct enrich_notable_config nc = { 0 };
	const char *token;
	long long limit = config_int("NOTABLE_ITEMS_LIMIT", NOTABLE_LIMIT_DEFAULT);
	long long isk = config_int("NOTABLE_ITEMS_THRESHOLD_ISK",
	                           (long long)NOTABLE_THRESHOLD_DEFAULT);
	size_t len;

	if (!config_bool("NOTABLE_ITEMS_ENABLED", 0))
		return;
	if (!(token = config_secret("JANICE_API_TOKEN"))) {
		log_warn("NOTABLE_ITEMS_ENABLED without JANICE_API_TOKEN: no notable items");
		return;
	}
	snprintf(url, sizeof url, "%s", config_str("JANICE_API_URL", JANICE_DEFAULT_URL));
	while ((len = strlen(url)) > 0 && url[len - 1] == '/')
		url[len - 1] = '\0';
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		log_fatal(WN_EXIT_USAGE, "JANICE_API_URL=%.80s must start with http:// or https://", url);
	if (limit < 0 || limit > 50 || isk < 0)
		log_fatal(WN_EXIT_USAGE,
		          "NOTABLE_ITEMS_LIMIT (0-50) or NOTABLE_ITEMS_THRESHOLD_ISK out of range");
	jc.base_url = url;
	jc.token = token;
	jc.user_agent = ua;
	jc.timeout_ms = (long)config_int("HTTP_JANICE_TIMEOUT", JANICE_TIMEOUT_MS);
	jc.min_interval = JANICE_INTERVAL;
	jc.stop = &stop;
	nc.threshold = (double)isk;
	nc.limit = (size_t)limit;
	nc.ttl_gone = c->o.ec.ttl_gone;
	if (jc.timeout_ms <= 0 || jc.timeout_ms > 600000)
		log_fatal(WN_EXIT_USAGE, "HTTP_JANICE_TIMEOUT=%ld is out of range: 1..600000", jc.timeout_ms);
	if (!(c->janice = janice_new(&jc)) ||
	    !(c->notable = enrich_notable_new(&nc, c->esi, c->cache, c->janice)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	enrich_set_notable(c->en, c->notable);
}

/* Recent kills on system added records (lib/enrich_recent.h) when
 * WANDERER_KILLS_URL is set, unless WN_RECENT_KILLS=0 or -K. */
static void
setup_recent(struct ctx *c, const char *ua)
{
	struct enrich_recent_config rc = { 0 };
	const char *url = config_str("WANDERER_KILLS_URL", NULL);
	char err[256];

	if (c->o.no_recent || !config_bool("WN_RECENT_KILLS", 1) || !url)
		return;
	rc.base_url = url;
	rc.user_agent = ua;
	rc.timeout_ms = (long)config_int("WN_RECENT_KILLS_TIMEOUT_MS", 5000);
	rc.per_second = 20;   /* WandererKills' allowance per host */
	rc.cooldown = 30;
	rc.ttl_static = c->o.ec.ttl_static;
	rc.ttl_other = c->o.ec.ttl_other;
	rc.ttl_gone = c->o.ec.ttl_gone;
	rc.stop = &stop;
	if (rc.timeout_ms <= 0 || rc.timeout_ms > 600000)
		log_fatal(WN_EXIT_USAGE, "WN_RECENT_KILLS_TIMEOUT_MS=%ld is out of range: 1..600000",
		          rc.timeout_ms);
	if (!(c->recent = enrich_recent_new(&rc, c->esi, c->cache, err, sizeof err)))
		log_fatal(WN_EXIT_USAGE, "%s", err);
}

static void
setup(struct ctx *c)
{
	static char url[1024], ua[512];
	const char *contact = config_str("WN_CONTACT", NULL);
	struct esi_config ec = { 0 };
	char err[512];
	size_t len;

	snprintf(url, sizeof url, "%s", c->o.url);
	while ((len = strlen(url)) > 0 && url[len - 1] == '/')
		url[len - 1] = '\0';
	/* ESI asks every client to say who it is (esi-docs best-practices) */
	snprintf(ua, sizeof ua, "wn-enrich/%s (%s%s+https://github.com/guarzo/wanderer-notifier)",
	         WN_VERSION, contact ? contact : "", contact ? "; " : "");
	ec.base_url = url;
	ec.user_agent = ua;
	ec.compat_date = config_str("WN_ESI_COMPAT_DATE", ESI_COMPAT_DATE);
	ec.timeout_ms = c->o.timeout_ms;
	ec.error_reserve = (int)config_int("WN_ESI_ERROR_RESERVE", 10);
	ec.token_reserve = (int)config_int("WN_ESI_TOKEN_RESERVE", 100);
	ec.cooldown_max = c->o.max_wait > 5 ? c->o.max_wait : 5;
	ec.stop = &stop;
	c->cache = open_cache(&c->o);
	if (!(c->esi = esi_new(&ec, err, sizeof err)))
		log_fatal(WN_EXIT_TEMP, "%s", err);
	if (!(c->en = enrich_new(&c->o.ec, c->esi, c->cache)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	setup_recent(c, ua);
	setup_notable(c, ua);
}

/* --- status --- */

static void
push(struct ctx *c, int i, const char *name, long long now)
{
	if (now != c->pushed[i])
		status_add(name, now - c->pushed[i]);
	c->pushed[i] = now;
}

static void
push_notable(struct ctx *c, int *i)
{
	static const struct enrich_notable_counters none;
	static const struct janice_counters jnone;
	const struct enrich_notable_counters *n =
	    c->notable ? enrich_notable_counters(c->notable) : &none;
	const struct janice_counters *j = c->janice ? janice_counters(c->janice) : &jnone;

	push(c, (*i)++, "notable_attached", n->attached);
	push(c, (*i)++, "notable_failed", n->failed);
	push(c, (*i)++, "notable_bodies", n->bodies);
	push(c, (*i)++, "janice_requests", j->requests);
	push(c, (*i)++, "janice_errors", j->errors);
	push(c, (*i)++, "janice_429", j->limited_429);
}

static void
push_recent(struct ctx *c, int *i)
{
	static const struct enrich_recent_counters none;
	const struct enrich_recent_counters *r =
	    c->recent ? enrich_recent_counters(c->recent) : &none;

	push(c, (*i)++, "recent_kills_added", r->added);
	push(c, (*i)++, "recent_kills_failed", r->failed);
	push(c, (*i)++, "recent_kills_skipped", r->skipped);
	push(c, (*i)++, "recent_kills_details_missing", r->details_missing);
	push(c, (*i)++, "recent_kills_details_cached", r->details_cached);
	push(c, (*i)++, "wk_requests", r->requests);
}

static void
push_status(struct ctx *c, int force)
{
	const struct enrich_counters *n = enrich_counters(c->en);
	const struct esi_counters *e = esi_counters(c->esi);
	struct cache_stats cs;
	int i = 0;

	cache_get_stats(c->cache, &cs);
	push(c, i++, "received", c->received);
	push(c, i++, "written", c->written);
	push(c, i++, "bad_input", c->bad);
	push(c, i++, "killmails", n->records);
	push(c, i++, "enriched", n->enriched);
	push(c, i++, "partial", n->partial);
	push(c, i++, "names_missing", n->names_missing);
	push(c, i++, "bodies_fetched", n->bodies_fetched);
	push(c, i++, "bodies_missing", n->bodies_missing);
	push(c, i++, "bodies_invalid", n->bodies_invalid);
	push(c, i++, "esi_requests", e->requests);
	push(c, i++, "esi_errors", e->errors);
	push(c, i++, "esi_retries", e->retries);
	push(c, i++, "esi_not_modified", e->not_modified);
	push(c, i++, "esi_420", e->limited_420);
	push(c, i++, "esi_429", e->limited_429);
	push(c, i++, "esi_paused", e->paused);
	push(c, i++, "esi_gave_up", e->gave_up);
	push(c, i++, "esi_names_splits", e->names_split);
	/* per name or answer looked up, not per internal cache probe */
	push(c, i++, "cache_hits", n->name_hits + e->cache_hits);
	push(c, i++, "cache_misses", n->name_misses + e->cache_misses);
	push_recent(c, &i);
	push_notable(c, &i);
	status_set("cache_entries", (long long)cs.entries);
	status_set("cache_file_bytes", (long long)cs.file_bytes);
	status_set_str("esi", esi_is_down(c->esi, wn_mono()) ? "down" : "up");
	status_flush(force);
}

/* --- the window --- */

static void
win_free_item(struct win *w, size_t i)
{
	cJSON_Delete(w->items[i].rec);
	free((char *)w->items[i].line);
	free(w->names[i]);
}

static void
take(struct ctx *c, const struct input_line *l)
{
	struct win *w = &c->w;
	char err[256];
	cJSON *rec = json_parse(l->line, l->len, err, sizeof err);

	if (!rec) {
		c->bad++;
		if (c->o.strict)
			log_fatal(WN_EXIT_USAGE, "%s:%lu: %s", l->name, l->lineno, err);
		log_warn("%s:%lu: %s; skipped", l->name, l->lineno, err);
		return;
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		struct enrich_item *it = realloc(w->items, cap * sizeof *it);
		char **nm = it ? realloc(w->names, cap * sizeof *nm) : NULL;
		unsigned long *ln = nm ? realloc(w->linenos, cap * sizeof *ln) : NULL;
		if (it)
			w->items = it;
		if (nm)
			w->names = nm;
		if (!ln)
			log_fatal(WN_EXIT_TEMP, "out of memory");
		w->linenos = ln;
		w->cap = cap;
	}
	struct enrich_item *it = &w->items[w->n];
	memset(it, 0, sizeof *it);
	it->rec = rec;
	it->len = l->len;
	if (!(it->line = strndup(l->line, l->len)) || !(w->names[w->n] = strdup(l->name)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	w->linenos[w->n++] = l->lineno;
	w->bytes += l->len;
}

static void
out(struct ctx *c, const char *buf, size_t len)
{
	if (ndjson_write(stdout, buf, len) != 0)
		log_fatal(WN_EXIT_TEMP, "cannot write to stdout: %s", strerror(errno));
	c->written++;
}

static void
write_item(struct ctx *c, size_t i)
{
	struct enrich_item *it = &c->w.items[i];

	if (it->out == EN_RAW) {
		out(c, it->line, it->len);
	} else if (it->out == EN_BAD) {
		c->bad++;
		if (c->o.strict)
			log_fatal(WN_EXIT_USAGE, "%s:%lu: %s", c->w.names[i], c->w.linenos[i], it->err);
		log_warn("%s:%lu: %s; skipped", c->w.names[i], c->w.linenos[i], it->err);
	} else if (jsonout(it->rec, &c->out) < 0) {
		log_fatal(WN_EXIT_TEMP, "out of memory");
	} else {
		out(c, c->out.p, c->out.len);
	}
}

static void
flush_window(struct ctx *c)
{
	struct win *w = &c->w;
	double deadline = wn_mono() + c->o.max_wait;

	if (!w->n)
		return;
	enrich_window(c->en, w->items, w->n, deadline);
	if (c->recent)   /* system added records: their recent kills */
		enrich_recent_window(c->recent, w->items, w->n, deadline);
	for (size_t i = 0; i < w->n; i++) {
		write_item(c, i);
		win_free_item(w, i);
	}
	w->n = w->bytes = 0;
	/* a kill waits for its names, not for the next window's */
	if (fflush(stdout) != 0)
		log_fatal(WN_EXIT_TEMP, "cannot write to stdout: %s", strerror(errno));
	cache_sync(c->cache);
	push_status(c, 0);
}

static int
run(struct ctx *c, struct inputs *in)
{
	struct input_line l;
	int r;

	status_set_str("state", "running");
	push_status(c, 1);
	while (!stop) {
		/* while a window fills, do not wait: idle input sends it off */
		r = inputs_next(in, &l, c->w.n ? 0 : 1000);
		if (r == LINE_NONE) {
			flush_window(c);
			push_status(c, 0);
			continue;
		}
		if (r < 0)
			break;
		c->received++;
		if (r == LINE_OVERSIZE) {
			c->bad++;
			if (c->o.strict)
				log_fatal(WN_EXIT_USAGE, "%s:%lu: line longer than %zu bytes",
				          l.name, l.lineno, c->o.max_line);
			log_warn("%s:%lu: line longer than %zu bytes; skipped", l.name, l.lineno,
			         c->o.max_line);
			continue;
		}
		take(c, &l);
		if (c->w.n >= (size_t)c->o.window || c->w.bytes >= 16u << 20)
			flush_window(c);
	}
	flush_window(c);   /* SIGTERM: what was read still goes out */
	if (fflush(stdout) != 0 || ferror(stdout))
		log_fatal(WN_EXIT_TEMP, "cannot write to stdout: %s", strerror(errno));
	return WN_EXIT_OK;
}

int
main(int argc, char **argv)
{
	static char *stdin_only[] = { "-", NULL };
	static struct ctx c;
	struct inputs *in;
	char **paths;
	int n, rc;

	log_init("wn-enrich");
	if (argc > 1 && wn_is_version_flag(argv[1]))
		return wn_print_version("wn-enrich"), WN_EXIT_OK;
	config_load_default();
	parse_opts(&c.o, argc, argv);
	paths = optind < argc ? argv + optind : stdin_only;
	n = optind < argc ? argc - optind : 1;
	signals();
	status_init("wn-enrich");
	setup(&c);
	if (!(in = inputs_open(paths, n, c.o.max_line)))
		return WN_EXIT_USAGE;
	rc = run(&c, in);
	status_set_str("state", "stopped");
	push_status(&c, 1);
	inputs_close(in);
	enrich_recent_free(c.recent);
	enrich_free(c.en);
	enrich_notable_free(c.notable);
	janice_free(c.janice);
	esi_free(c.esi);
	cache_close(c.cache);
	free(c.w.items);
	free(c.w.names);
	free(c.w.linenos);
	buf_free(&c.out);
	return rc;
}
