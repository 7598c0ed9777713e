/* wn-enrich — between the kill feed and the filter: killmail records in,
 * the same records out, in the same order, with names beside their ids
 * (and the killmail body fetched when only id and hash came).  Records
 * are taken in windows so the ids of many kills go to ESI in one request;
 * the answers live in a persistent cache (lib/cache.c) that ESI's
 * Expires and ETag keep honest.  When ESI is down a record waits at most
 * --max-wait seconds and then goes on without the missing names. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "config.h"
#include "enrich.h"
#include "enrich_batch.h"
#include "enrich_notable.h"
#include "enrich_recent.h"
#include "enrich_status.h"
#include "esi.h"
#include "janice.h"
#include "json_out.h"
#include "json.h"
#include "log.h"
#include "ndjson.h"
#include "enrich_items.h"
#include "state.h"
#include "status.h"
#include "tool.h"
#include "wn.h"

struct opts {
	const char *url;
	double max_wait;
	long timeout_ms, window, mem_mb, disk_mb;
	int no_cache, no_recent;
	size_t max_line;
	struct enrich_config ec;
};

struct ctx {
	struct tool t;
	struct opts o;
	struct cache *cache;
	struct esi *esi;
	struct enrich *en;
	struct enrich_recent *recent;   /* NULL when off */
	struct janice *janice;        /* notable items; NULL when off */
	struct enrich_notable *notable;
	struct enrich_batch w;        /* records taken, waiting for their names */
	struct buf out;               /* one record's text, reused */
	struct enrich_status st;      /* counters for the status file */
};

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
}

static const struct tool_opt longs[] = {
	{ "esi-url", 'u' }, { "max-wait", 'w' }, { "window", 'n' }, { "timeout", 't' },
	{ "all-tickers", 'a' }, { "region", 'r' }, { "memory", 'm' }, { "disk", 'd' },
	{ "no-cache", 'C' }, { "max-line", 'x' }, { "strict", 'S' },
	{ "no-recent-kills", 'K' }, { NULL, 0 },
};

/* Environment first, flags over it. */
static void
parse_opts(struct tool *t, struct opts *o)
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
	while ((opt = tool_getopt(t, "u:w:n:t:arm:d:CKx:S")) != -1) {
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
		case 'S': t->strict = 1; break;
		default: tool_usage(t);
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
	long long limit = config_int("NOTABLE_ITEMS_LIMIT", ENRICH_ITEMS_LIMIT_DEFAULT);
	long long isk = config_int("NOTABLE_ITEMS_THRESHOLD_ISK",
	                           (long long)ENRICH_ITEMS_THRESHOLD_DEFAULT);
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
	jc.stop = &tool_stop;
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
	rc.stop = &tool_stop;
	if (rc.timeout_ms <= 0 || rc.timeout_ms > 600000)
		log_fatal(WN_EXIT_USAGE, "WN_RECENT_KILLS_TIMEOUT_MS=%ld is out of range: 1..600000",
		          rc.timeout_ms);
	if (!(c->recent = enrich_recent_new(&rc, c->esi, c->cache, err, sizeof err)))
		log_fatal(WN_EXIT_USAGE, "%s", err);
	enrich_set_recent(c->en, c->recent);
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
	ec.stop = &tool_stop;
	c->cache = open_cache(&c->o);
	if (!(c->esi = esi_new(&ec, err, sizeof err)))
		log_fatal(WN_EXIT_TEMP, "%s", err);
	if (!(c->en = enrich_new(&c->o.ec, c->esi, c->cache)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	setup_recent(c, ua);
	setup_notable(c, ua);
}

/* --- the window --- */

static void
take(struct ctx *c, const struct ndjson_line *l)
{
	char err[256];
	cJSON *rec = json_parse(l->line, l->len, err, sizeof err);

	if (!rec)
		tool_bad_line(&c->t, l->name, l->lineno, "%s", err);
	else if (enrich_batch_add(&c->w, rec, l->line, l->len, l->name, l->lineno) < 0)
		log_fatal(WN_EXIT_TEMP, "out of memory");
}

static void
write_item(void *ud, const struct enrich_item *it, const char *name, unsigned long lineno)
{
	struct ctx *c = ud;

	if (it->out == EN_BAD) {
		tool_bad_line(&c->t, name, lineno, "%s", it->err);
		return;
	}
	if (it->out == EN_RAW) {
		tool_write_line(it->line, it->len);
	} else if (json_out(it->rec, &c->out) < 0) {
		log_fatal(WN_EXIT_TEMP, "out of memory");
	} else {
		tool_write_line(c->out.p, c->out.len);
	}
	c->st.written++;
}

static void
flush_window(struct ctx *c)
{
	if (!c->w.n)
		return;
	enrich_batch_run(&c->w, c->en, wn_mono() + c->o.max_wait, write_item, c);
	/* a kill waits for its names, not for the next window's */
	tool_flush();
	cache_sync(c->cache);
	enrich_status_push(&c->st, 0);
}

static int
run(struct ctx *c, struct ndjson_inputs *in)
{
	struct ndjson_line l;
	int r;

	status_set_str("state", "running");
	enrich_status_push(&c->st, 1);
	while (!tool_stop) {
		/* while a window fills, do not wait: idle input sends it off */
		r = ndjson_inputs_next(in, &l, c->w.n ? 0 : 1000);
		if (r == NDJSON_LINE_NONE) {
			flush_window(c);
			enrich_status_push(&c->st, 0);
			continue;
		}
		if (r < 0)
			break;
		c->st.received++;
		if (r == NDJSON_LINE_OVERSIZE)
			tool_bad_line(&c->t, l.name, l.lineno, "line longer than %zu bytes",
			              c->o.max_line);
		else
			take(c, &l);
		if (enrich_batch_full(&c->w, (size_t)c->o.window))
			flush_window(c);
	}
	flush_window(c);   /* SIGTERM: what was read still goes out */
	tool_flush();
	return WN_EXIT_OK;
}

int
main(int argc, char **argv)
{
	static struct ctx c;
	struct ndjson_inputs *in;
	int rc;

	tool_start(&c.t, "wn-enrich", argc, argv, longs, usage, TOOL_SIGNALS);
	parse_opts(&c.t, &c.o);
	status_init("wn-enrich");
	setup(&c);
	c.st = (struct enrich_status){ c.en, c.esi, c.cache, c.recent, c.notable, c.janice, 0, 0, { 0 } };
	in = tool_inputs(&c.t, c.o.max_line);
	rc = run(&c, in);
	status_set_str("state", "stopped");
	enrich_status_push(&c.st, 1);
	ndjson_inputs_close(in);
	enrich_recent_free(c.recent);
	enrich_free(c.en);
	enrich_notable_free(c.notable);
	janice_free(c.janice);
	esi_free(c.esi);
	cache_close(c.cache);
	enrich_batch_free(&c.w);
	buf_free(&c.out);
	return tool_finish(&c.t, rc);
}
