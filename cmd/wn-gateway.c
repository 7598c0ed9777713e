/* wn-gateway — wn's connection to the Discord Gateway, beside the
 * pipeline: answers the /notifier slash command (status, priority
 * systems), keeps the list of users sitting in voice for wn-discord's
 * mentions (state_dir()/voice.json), and posts the optional startup and
 * hourly status messages.  The session logic is in lib/gwconn.c, the
 * answers in lib/gwact.c, the voice list in lib/gwvoice.c. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "gwact.h"
#include "gwcmd.h"
#include "gwconn.h"
#include "gwrest.h"
#include "gwstatus.h"
#include "gwvoice.h"
#include "http.h"
#include "json.h"
#include "log.h"
#include "route.h"
#include "state.h"
#include "status.h"
#include "status_view.h"
#include "tool.h"
#include "wn.h"

#define VOICE_REFRESH_S 30     /* alive_at well inside GWV_TRUST_SECONDS */
#define REPORT_EVERY_S  3600

struct ctx {
	const char *token, *app_id, *guild_id, *channel;
	char auth[512], api[512], voice_path[4096], posts_path[4096];
	int status_messages, registered, was_ready;
	long long backoff_ms;
	time_t started, next_voice, next_report;
	struct http_client *http, *quick;
	struct gwrest rest;
	struct gwact act;
	struct gwvoice voice;
	int voice_dirty;
	struct gwconn gw;
};

static void
usage(void)
{
	fprintf(stderr, "usage: wn-gateway [-v]\n"
	        "  -v   more logging (repeat for debug)\n"
	        "Settings come from the environment or .env (DISCORD_BOT_TOKEN,\n"
	        "DISCORD_APPLICATION_ID, DISCORD_GUILD_ID, ...); see wn-gateway(1).\n");
}

static int
snowflake(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n > 0 && n <= 20 && strspn(s, "0123456789") == n;
}

static const char *
need_id(const char *name, int required)
{
	const char *v = config_str(name, NULL);

	if (!v && required)
		log_fatal(WN_EXIT_USAGE, "%s is not set", name);
	if (v && !snowflake(v))
		log_fatal(WN_EXIT_USAGE, "%s is not a Discord id", name);
	return v;
}

static void
api_url(struct ctx *c)
{
	const char *a = config_str("DISCORD_API_URL", ROUTE_API_DEFAULT);
	size_t n = strlen(a);

	while (n > 0 && a[n - 1] == '/')
		n--;
	if ((strncmp(a, "https://", 8) && strncmp(a, "http://", 7)) || n >= sizeof c->api)
		log_fatal(WN_EXIT_USAGE, "DISCORD_API_URL must be an http(s) URL");
	snprintf(c->api, sizeof c->api, "%.*s", (int)n, a);
}

static void
configure(struct ctx *c)
{
	int64_t guild = 0;

	c->token = config_secret("DISCORD_BOT_TOKEN");
	if (!c->token)
		log_fatal(WN_EXIT_USAGE, "DISCORD_BOT_TOKEN is not set");
	if (strlen(c->token) > 200 || strcspn(c->token, " \t\r\n\"\\") != strlen(c->token))
		log_fatal(WN_EXIT_USAGE, "DISCORD_BOT_TOKEN does not look like a bot token");
	snprintf(c->auth, sizeof c->auth, "Authorization: Bot %s", c->token);
	c->app_id = need_id("DISCORD_APPLICATION_ID", 1);
	c->guild_id = need_id("DISCORD_GUILD_ID", 0);
	c->channel = need_id("DISCORD_CHANNEL_ID", 0);
	c->status_messages = config_bool("STATUS_MESSAGES_ENABLED", 0);
	if (c->status_messages && !c->channel)
		log_fatal(WN_EXIT_USAGE, "STATUS_MESSAGES_ENABLED needs DISCORD_CHANNEL_ID");
	c->backoff_ms = config_int("WN_GATEWAY_BACKOFF_MS", 1000);
	if (c->backoff_ms < 10 || c->backoff_ms > 60000)
		log_fatal(WN_EXIT_USAGE, "WN_GATEWAY_BACKOFF_MS must be 10..60000");
	api_url(c);
	if (c->guild_id)
		guild = strtoll(c->guild_id, NULL, 10);
	gwvoice_init(&c->voice, guild);
	c->act.flags.priority_only = config_bool("PRIORITY_SYSTEMS_ONLY_ENABLED",
	                                         config_bool("PRIORITY_SYSTEMS_ONLY", 0));
	c->act.flags.systems = config_bool("SYSTEM_NOTIFICATIONS_ENABLED", 1);
	c->act.flags.characters = config_bool("CHARACTER_NOTIFICATIONS_ENABLED", 1);
	c->act.flags.kills = config_bool("KILL_NOTIFICATIONS_ENABLED", 1);
}

static void
paths(struct ctx *c)
{
	if (state_path(c->voice_path, sizeof c->voice_path, "voice.json") < 0 ||
	    state_path(c->posts_path, sizeof c->posts_path, "gateway_posts.json") < 0 ||
	    state_path(c->act.map_path, sizeof c->act.map_path, "map.json") < 0 ||
	    state_path(c->act.prio_path, sizeof c->act.prio_path, "priority_systems") < 0 ||
	    state_path(c->act.status_dir, sizeof c->act.status_dir, "status") < 0)
		log_fatal(WN_EXIT_TEMP, "no state directory");
}

/* --- voice file --- */

static void
voice_write(struct ctx *c, time_t down_since)
{
	char *s;

	if (!c->voice.known)
		return;
	if (!(s = gwvoice_file(&c->voice, time(NULL), down_since)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	if (state_write_renamed(c->voice_path, s, strlen(s), 0) < 0)
		log_warn("unable to write %s: %s", c->voice_path, strerror(errno));
	else
		status_add("voice_writes", 1);
	free(s);
	c->voice_dirty = 0;
	c->next_voice = time(NULL) + VOICE_REFRESH_S;
}

static void
voice_tick(struct ctx *c)
{
	int ready = c->gw.ready;

	if (c->was_ready && !ready)
		voice_write(c, time(NULL));    /* down from now: trust runs out */
	else if (ready && (!c->was_ready || c->voice_dirty || time(NULL) >= c->next_voice))
		voice_write(c, 0);             /* up again: trusted again at once */
	c->was_ready = ready;
}

/* --- status messages: each once, across restarts --- */

static void
posts_load(struct ctx *c, double *startup, double *report)
{
	size_t len;
	char *buf = state_read_file(c->posts_path, 4096, &len), err[128];
	cJSON *o = buf ? json_parse(buf, len, err, sizeof err) : NULL;

	*startup = json_num(o, "startup", 0);
	*report = json_num(o, "report", 0);
	cJSON_Delete(o);
	free(buf);
}

static void
posts_save(struct ctx *c, double startup, double report)
{
	char buf[128];
	int n = snprintf(buf, sizeof buf, "{\"startup\":%.0f,\"report\":%.0f}\n", startup, report);

	if (state_atomic_write(c->posts_path, buf, (size_t)n) < 0)
		log_warn("unable to write %s", c->posts_path);
}

static int
post(struct ctx *c, const char *text, const char *nonce)
{
	char err[256];

	if (gwrest_message(&c->rest, c->channel, text, nonce, err, sizeof err) < 0) {
		log_warn("status message not posted: %s", err);
		return -1;
	}
	status_add("status_messages", 1);
	return 0;
}

/* The startup message once per start of wn (the earliest start among
 * the running tools), the report every hour of wn's uptime. */
static void
status_messages(struct ctx *c)
{
	struct status_view_list l;
	double startup, report;
	time_t now = time(NULL), wn_start;
	char nonce[32], *text = NULL;

	if (!c->status_messages || !c->gw.ready || now < c->next_report)
		return;
	memset(&l, 0, sizeof l);
	status_view_load_dir(c->act.status_dir, &l);
	status_view_check_running(&l);
	wn_start = gwstatus_started(&l, c->started);
	posts_load(c, &startup, &report);
	if (startup < (double)wn_start) {
		text = gwstatus_startup(now);
		snprintf(nonce, sizeof nonce, "wn-start-%lld", (long long)wn_start);
		if (post(c, text, nonce) == 0)
			posts_save(c, startup = (double)now, report);
		free(text);
	}
	if ((double)now >= (report > (double)wn_start ? report : (double)wn_start) + REPORT_EVERY_S) {
		text = gwstatus_report(&l, wn_start, now);
		snprintf(nonce, sizeof nonce, "wn-report-%lld", (long long)(now / REPORT_EVERY_S));
		if (post(c, text, nonce) == 0)
			posts_save(c, startup, report = (double)now);
		free(text);
	}
	status_view_free(&l);
	c->next_report = now + 30;
}

/* --- gateway callbacks --- */

static void
register_commands(struct ctx *c)
{
	char err[256], *body = gwcmd_definition();
	int rc;

	if (!body)
		log_fatal(WN_EXIT_TEMP, "out of memory");
	rc = gwrest_register(&c->rest, c->app_id, c->guild_id, body, err, sizeof err);
	free(body);
	if (rc == -2)
		log_fatal(WN_EXIT_USAGE, "%s: the bot may not register commands", err);
	if (rc < 0) {
		log_warn("%s; trying again after the next READY", err);
		return;
	}
	c->registered = 1;
	log_info("/notifier registered %s", c->guild_id ? "in the guild" : "globally");
}

static void
on_event(void *ud, const struct gw_msg *m)
{
	struct ctx *c = ud;
	char err[256];
	int r;

	if (m->ev == GW_EV_READY && !c->registered)
		register_commands(c);
	if (!strcmp(m->t, "INTERACTION_CREATE")) {
		gwact_handle(&c->act, m->d);
		return;
	}
	if ((r = gwvoice_event(&c->voice, m->t, m->d, err, sizeof err)) < 0) {
		log_warn("%s skipped: %s", m->t, err);
		status_add("bad_events", 1);
	} else if (r > 0) {
		c->voice_dirty = 1;
	}
}

static int
gateway_bot(void *ud, char *url, size_t size, long long *remaining, long long *reset_ms,
            char *err, size_t errlen)
{
	return gwrest_gateway_bot(&((struct ctx *)ud)->rest, url, size, remaining, reset_ms,
	                          err, errlen);
}

static const struct gwconn_ops ops = { on_event, gateway_bot };

static void
run(struct ctx *c)
{
	struct pollfd p;
	long long now, wait;
	int n;

	while (!tool_stop) {
		now = (long long)(wn_mono() * 1000);
		gwconn_run(&c->gw, 0, now);
		if (c->gw.fatal)
			log_fatal(WN_EXIT_USAGE, "gateway: %s", c->gw.fatal_reason);
		voice_tick(c);
		status_messages(c);
		status_set("voice_users", (long long)c->voice.nu);
		status_flush(0);
		p.fd = gwconn_fd(&c->gw);
		p.events = gwconn_events(&c->gw);
		p.revents = 0;
		wait = gwconn_wait_ms(&c->gw, (long long)(wn_mono() * 1000));
		wait = wait < 0 ? 0 : wait > 1000 ? 1000 : wait;
		n = poll(&p, p.fd >= 0 ? 1 : 0, (int)wait);
		if (n < 0 && errno != EINTR)
			log_fatal(WN_EXIT_TEMP, "poll: %s", strerror(errno));
		if (n > 0 && p.revents) {
			gwconn_run(&c->gw, p.revents, (long long)(wn_mono() * 1000));
			if (c->gw.fatal)
				log_fatal(WN_EXIT_USAGE, "gateway: %s", c->gw.fatal_reason);
		}
	}
}

int
main(int argc, char **argv)
{
	static const struct tool_opt longs[] = { { NULL, 0 } };
	static struct ctx c;
	struct tool t;

	tool_start(&t, "wn-gateway", argc, argv, longs, usage, TOOL_SIGNALS);
	while (tool_getopt(&t, "") != -1)
		tool_usage(&t);
	tool_no_operands(&t);
	configure(&c);
	paths(&c);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	status_init("wn-gateway");
	status_set_str("state", "starting");
	status_add("commands_answered", 0);   /* shown by wn-status from the start */
	c.started = time(NULL);
	if (!(c.http = http_client_new("DiscordBot (https://github.com/wn/wn, " WN_VERSION ") wn-gateway",
	                               10000, 1u << 20)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	/* an interaction is answered within 3 s: ESI and the map get 1.5 s */
	if (!(c.quick = http_client_new("wn-gateway " WN_VERSION " (https://github.com/wn/wn)", 1500, 1u << 20)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	c.rest = (struct gwrest){ c.http, c.quick, c.api, c.auth,
	                          config_str("ESI_URL", "https://esi.evetech.net") };
	c.act.rest = &c.rest;
	c.act.app_id = c.app_id;
	c.act.guild_id = c.guild_id;
	c.act.map_api = gwmap_init(&c.act.map, c.quick) == 0;
	gwconn_init(&c.gw, c.token, GW_INTENTS, c.backoff_ms, 60000, &ops, &c);
	run(&c);
	gwconn_close(&c.gw);
	voice_write(&c, time(NULL));
	http_client_free(c.http);
	http_client_free(c.quick);
	gwvoice_free(&c.voice);
	return tool_finish(&t, WN_EXIT_OK);
}
