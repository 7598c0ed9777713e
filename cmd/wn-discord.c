/* wn-discord — the last stage of the pipeline: records that carry a
 * `notify` object (from wn-filter) in, Discord messages out.  Formats each
 * one (format.c), routes it to a webhook or bot channel (route.c), and
 * delivers it exactly once through a durable spool at the pace Discord's
 * rate limits allow (outbox.c).  --dry-run prints the messages instead. */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "format.h"
#include "http.h"
#include "discord.h"
#include "json.h"
#include "killid.h"
#include "log.h"
#include "ndjson.h"
#include "outbox.h"
#include "recent.h"
#include "route.h"
#include "state.h"
#include "status.h"
#include "status_view.h"
#include "tool.h"
#include "voicemention.h"
#include "wn.h"

#define READ_SLACK 0.050   /* seconds */

struct ctx {
	struct tool t;
	int dry_run;
	struct fmt_options fmt;
	struct vm_config vm;
	char voice_path[4096];
	struct routes routes;
	int routed;
	long long max_queue;
	struct outbox *ob;
};

static void
usage(void)
{
	log_set_level(LOG_INFO);
	fprintf(stderr, "usage: wn-discord [-npSv] [-q max_queued] [file ...]\n"
	        "  -n, --dry-run     post nothing; print {\"route\",\"payload\"} lines\n"
	        "  -p, --plain-text  plain text messages instead of embeds\n"
	        "  -S, --strict      a bad record is fatal (exit 100); -s is the old spelling\n"
	        "  -q, --queue N     at most N messages queued (default %d)\n"
	        "  -v                more logging (repeat for debug)\n"
	        "Discord settings come from the environment or .env; see wn-discord(1).\n",
	        OUTBOX_QUEUE_DEFAULT);
}

static const struct tool_opt longs[] = {
	{ "dry-run", 'n' }, { "plain-text", 'p' }, { "strict", 'S' }, { "queue", 'q' },
	{ NULL, 0 },
};

static const char *
env(const char *name)
{
	return config_str(name, NULL);
}

/* The name printed for a route: never the webhook URL or token. */
static const char *
route_label(const struct ctx *c, int cls)
{
	const struct route_target *t = routes_target(&c->routes, cls);

	return t ? t->name : route_class_name(cls);
}

static int
print_dry(const struct ctx *c, int cls, cJSON *payload)
{
	cJSON *out = cJSON_CreateObject();
	char *text;
	int rc = -1;

	if (out && cJSON_AddStringToObject(out, "route", route_label(c, cls)) &&
	    cJSON_AddItemReferenceToObject(out, "payload", payload) && (text = json_print(out))) {
		tool_write_line(text, strlen(text));
		cJSON_free(text);
		rc = 0;
	}
	cJSON_Delete(out);
	if (rc != 0)
		log_fatal(WN_EXIT_TEMP, "out of memory");
	return 0;
}

/* Formats and delivers (or prints) one record; -1 for a bad one. */
static int
take(struct ctx *c, const struct ndjson_line *l, char *err, size_t errlen)
{
	enum fmt_route cls;
	char key[256];
	cJSON *rec = json_parse(l->line, l->len, err, errlen), *payload;
	int rc = 0;

	if (!rec)
		return -1;
	if (killid_check_json(rec, err, errlen) < 0) {
		cJSON_Delete(rec);
		return -1;
	}
	voicemention_apply(rec, &c->vm, time(NULL));
	if (!(payload = format_message(rec, &c->fmt, &cls, err, errlen))) {
		cJSON_Delete(rec);
		return -1;
	}
	if (json_str(rec, "type") && !strcmp(json_str(rec, "type"), "killmail"))
		recent_note_kill(rec);
	if (c->dry_run) {
		print_dry(c, cls, payload);
		status_add("formatted", 1);
	} else {
		outbox_record_key(rec, key, sizeof key);
		rc = outbox_accept(c->ob, key, cls, payload, err, errlen);
		if (rc == -2)
			log_fatal(WN_EXIT_TEMP, "%s", err);
		status_add(rc > 0 ? "accepted" : rc == 0 ? "duplicates" : "unrouted", 1);
		if (rc == 0)
			log_debug("%s:%lu: %s already delivered to %s; skipped", l->name, l->lineno,
			         key, route_label(c, cls));
		rc = rc < 0 ? -1 : 0;
	}
	cJSON_Delete(payload);
	cJSON_Delete(rec);
	return rc;
}

static void
one_line(struct ctx *c, int r, const struct ndjson_line *l)
{
	char err[256];

	status_add("received", 1);
	if (r == NDJSON_LINE_OVERSIZE) {
		snprintf(err, sizeof err, "line longer than %u bytes dropped", NDJSON_MAX_LINE_DEFAULT);
	} else if (take(c, l, err, sizeof err) == 0) {
		return;
	}
	tool_bad_line(&c->t, l->name, l->lineno, "%s", err);
}

static int
ms_until(double when, double now)
{
	if (when == INFINITY)
		return -1;
	double ms = ceil((when - now) * 1000.0);
	return ms < 0 ? 0 : ms > 600000 ? 600000 : (int)ms;
}

static int
dry_run(struct ctx *c, struct ndjson_inputs *in)
{
	struct ndjson_line l;
	int r;

	status_set_str("state", "dry-run");
	while (!tool_stop) {
		if ((r = ndjson_inputs_next(in, &l, 0)) == NDJSON_LINE_NONE) {
			fflush(stdout);   /* batched under load, prompt when idle */
			status_flush(0);
			r = ndjson_inputs_next(in, &l, 1000);	/* a second on: the status again */
		}
		if (r < 0)
			break;
		if (r != NDJSON_LINE_NONE)
			one_line(c, r, &l);
	}
	tool_flush();
	return WN_EXIT_OK;
}

/* The poll loop: send whatever is due, read input while there is room,
 * otherwise sleep until the next send.  SIGTERM ends it between requests. */
static int
deliver(struct ctx *c, struct ndjson_inputs *in)
{
	struct ndjson_line l;
	int reading = 1, r, loaded;

	status_set_str("state", "delivering");
	while (!tool_stop) {
		double now = outbox_now(), due;

		if ((loaded = outbox_refill(c->ob)) < 0)
			return WN_EXIT_TEMP;
		if ((due = outbox_next_due(c->ob, now)) <= now &&
		    outbox_send_next(c->ob, now) != 0)
			return WN_EXIT_TEMP;
		status_flush(0);
		now = outbox_now();
		due = outbox_next_due(c->ob, now);
		/* What was accepted is posted at once when it can be, without
		 * waiting for the disk; what has to wait is synced first. */
		if (due - now > READ_SLACK && outbox_sync(c->ob) != 0) {
			log_error("cannot sync the spool: %s", strerror(errno));
			return WN_EXIT_TEMP;
		}
		/* Reading a record can take a while: start one only when it
		 * will not hold up a request that is about to be due. */
		if (reading && outbox_room(c->ob) > 0 && due - now > READ_SLACK) {
			if ((r = ndjson_inputs_next(in, &l, ms_until(due, now))) < 0) {
				reading = 0;
				log_debug("all inputs at end of file");
			} else if (r != NDJSON_LINE_NONE) {
				one_line(c, r, &l);
			}
		} else if (!reading && loaded && outbox_queued(c->ob) == 0) {
			break;
		} else if (due > now) {
			poll(NULL, 0, ms_until(due, now));
		}
	}
	if (outbox_sync(c->ob) != 0)
		log_error("cannot sync the spool: %s", strerror(errno));
	if (tool_stop && outbox_queued(c->ob))
		log_info("stopping; %zu message(s) stay in the spool for the next run",
		         outbox_queued(c->ob));
	return WN_EXIT_OK;
}

static struct outbox *
open_outbox(struct ctx *c, struct http_client *http)
{
	char dir[4096];
	struct outbox_config oc = {
		.routes = &c->routes, .http = http, .dir = dir,
		.max_queue = (size_t)c->max_queue,
		.dedup_seconds = (long)config_int_range("WN_DISCORD_DEDUP_SECONDS",
		                                        OUTBOX_DEDUP_DEFAULT, 1, 315360000),
		.global_per_sec = (int)config_int_range("WN_DISCORD_GLOBAL_LIMIT", 50, 1, 1000),
	};

	if (c->max_queue <= 0 || c->max_queue > 1000000)
		log_fatal(WN_EXIT_USAGE, "WN_DISCORD_QUEUE=%lld is out of range: 1..1000000", c->max_queue);
	if (oc.dedup_seconds <= 0 || oc.global_per_sec <= 0 || oc.global_per_sec > 1000)
		log_fatal(WN_EXIT_USAGE, "WN_DISCORD_DEDUP_SECONDS must be positive and "
		          "WN_DISCORD_GLOBAL_LIMIT 1..1000");
	if (c->routed <= 0)
		log_fatal(WN_EXIT_USAGE, "no Discord route configured: set DISCORD_WEBHOOK_URL, "
		          "or DISCORD_BOT_TOKEN and DISCORD_CHANNEL_ID");
	if (c->routed < ROUTE_COUNT)
		log_warn("no main route (DISCORD_WEBHOOK_URL or DISCORD_CHANNEL_ID): "
		         "messages of unrouted kinds are skipped");
	if (snprintf(dir, sizeof dir, "%s/discord", state_dir()) >= (int)sizeof dir)
		log_fatal(WN_EXIT_USAGE, "state directory path too long");
	return outbox_new(&oc);
}

int
main(int argc, char **argv)
{
	struct ctx c;
	struct ndjson_inputs *in;
	struct http_client *http = NULL;
	char err[256];
	int opt, rc;
	long owner;

	memset(&c, 0, sizeof c);
	tool_start(&c.t, "wn-discord", argc, argv, longs, usage, TOOL_SIGNALS);
	while ((opt = tool_getopt(&c.t, "npSsq:")) != -1) {
		switch (opt) {
		case 'n': c.dry_run = 1; break;
		case 'p': c.fmt.plain_text = 1; break;
		case 'S': case 's': c.t.strict = 1; break;   /* -s: the old spelling */
		case 'q': c.max_queue = (long long)wn_num_arg("--queue", optarg, 1, 1000000); break;
		default: tool_usage(&c.t);
		}
	}
	if (c.max_queue == 0)
		c.max_queue = config_int("WN_DISCORD_QUEUE", OUTBOX_QUEUE_DEFAULT);
	c.fmt.rally_roles = config_str("DISCORD_RALLY_GROUP_IDS",
	                               config_str("DISCORD_RALLY_GROUP_ID", NULL));
	if ((c.routed = routes_load(&c.routes, env, err, sizeof err)) < 0)
		log_fatal(WN_EXIT_USAGE, "%s", err);
	c.fmt.map_name_routes = routes_sharing(&c.routes, ROUTE_SYSTEM_KILL);
	c.vm.enabled = config_bool("VOICE_PARTICIPANT_NOTIFICATIONS_ENABLED", 0);
	c.vm.fallback_here = config_bool("FALLBACK_TO_HERE_ENABLED", 1);
	if (c.vm.enabled && state_path(c.voice_path, sizeof c.voice_path, "voice.json") == 0)
		c.vm.path = c.voice_path;
	in = tool_inputs(&c.t, NDJSON_MAX_LINE_DEFAULT);
	/* A dry run keeps the status file too, unless a delivering
	 * wn-discord beside it owns that file. */
	if (c.dry_run && (owner = status_view_live_owner("wn-discord")) != 0)
		log_info("wn-discord (pid %ld) runs here: its status file is left to it", owner);
	else
		status_init("wn-discord"), recent_enable();
	if (c.dry_run) {
		rc = dry_run(&c, in);
	} else {
		long timeout = (long)config_int("HTTP_DISCORD_TIMEOUT", 30000);
		if (!(http = http_client_new(DISCORD_USER_AGENT, timeout, DISCORD_MAX_REPLY)) ||
		    !(c.ob = open_outbox(&c, http)))
			log_fatal(WN_EXIT_TEMP, "cannot start delivery");
		rc = deliver(&c, in);
	}
	outbox_free(c.ob);
	http_client_free(http);
	ndjson_inputs_close(in);
	return tool_finish(&c.t, rc);
}
