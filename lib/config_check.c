/* config_check.c — see config_check.h.  Every verdict here mirrors a
 * check a tool makes at start-up (route.c, filter.c, the tools' option
 * setup); where a tool only warns and goes on, so does this. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "config_check.h"
#include "config_vars.h"
#include "esi.h"
#include "filter.h"
#include "idset.h"
#include "janice.h"
#include "log.h"
#include "enrich_items.h"
#include "outbox.h"
#include "phx.h"
#include "r2z2.h"
#include "route.h"
#include "state.h"
#include "wn.h"

#define MAX_ENTRIES 1024
#define NOTIFIER_WS_DEFAULT "ws://host.docker.internal:4004"
#define WN_WS_DEFAULT "ws://localhost:4004"

struct entry {
	char *name, *value;
	unsigned long lineno;
};

struct check {
	FILE *out;
	const char *path;             /* the .env, or NULL */
	struct entry e[MAX_ENTRIES];
	size_t n, dropped;
	int errors, warnings;
	int unknown_head;             /* the "unknown:" line is out */
};

static void
collect(const char *name, const char *value, unsigned long lineno, void *arg)
{
	struct check *c = arg;

	if (c->n == MAX_ENTRIES) {
		c->dropped++;
		return;
	}
	c->e[c->n].name = strdup(name);
	c->e[c->n].value = strdup(value);
	c->e[c->n].lineno = lineno;
	if (c->e[c->n].name && c->e[c->n].value)
		c->n++;
}

static const struct entry *
file_entry(const struct check *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->e[i].name, name) == 0)
			return &c->e[i];
	return NULL;
}

/* Where the value the tools see comes from. */
static const char *
origin(const struct check *c, const char *name, char *buf, size_t size)
{
	const struct entry *f = file_entry(c, name);
	const char *v = getenv(name);

	/* a name set twice: the line whose value the tools took */
	for (size_t i = 0; v && i < c->n; i++)
		if (strcmp(c->e[i].name, name) == 0 && strcmp(c->e[i].value, v) == 0) {
			snprintf(buf, size, ".env:%lu", c->e[i].lineno);
			return buf;
		}
	if (f)
		snprintf(buf, size, "environment, over .env:%lu", f->lineno);
	else
		snprintf(buf, size, "environment");
	return buf;
}

static void problem(struct check *c, int fatal, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
problem(struct check *c, int fatal, const char *fmt, ...)
{
	va_list ap;

	fprintf(c->out, "  %s: ", fatal ? "error" : "warning");
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fputc('\n', c->out);
	if (fatal)
		c->errors++;
	else
		c->warnings++;
}

/* A value as it may be shown: secrets by their length only. */
static const char *
shown(const char *name, const char *v, char *buf, size_t size)
{
	if (config_var_is_secret(name))
		snprintf(buf, size, "<secret, %zu characters>", strlen(v));
	else
		snprintf(buf, size, "%.120s", v);
	return buf;
}

static int
flag(const char *name, int def)
{
	const char *v = config_str(name, NULL);
	int b = v ? config_parse_bool(v) : -1;

	return b < 0 ? def : b;
}

static long long
num(const char *name, long long def)
{
	const char *v = config_str(name, NULL);
	long long n;

	return v && config_parse_int(v, &n) == 0 ? n : def;
}

/* --- the report, section by section ------------------------------------ */

/* DISCORD_<CLASS>_<suffix>, the class spelled as route_class_name() in
 * capitals ("" for main): the names route.c reads. */
static const char *
route_var(int cls, const char *suffix, char *buf, size_t size)
{
	char infix[32] = "";
	const char *n = route_class_name(cls);
	size_t i = 0;

	if (cls != ROUTE_MAIN) {
		for (; n[i] && i < sizeof infix - 2; i++)
			infix[i] = (char)toupper((unsigned char)n[i]);
		infix[i++] = '_';
		infix[i] = '\0';
	}
	snprintf(buf, size, "DISCORD_%s%s", infix, suffix);
	return buf;
}

/* Which variable gave a class its target, in routes_load's order. */
static const char *
route_source(int cls, char *buf, size_t size)
{
	const char *order[] = { "WEBHOOK_URL", "CHANNEL_ID" };

	for (int own = 1; own >= 0; own--)
		for (int k = 0; k < 2; k++) {
			route_var(own ? cls : ROUTE_MAIN, order[k], buf, size);
			if (config_str(buf, NULL))
				return buf;
		}
	return NULL;
}

static const char *
get(const char *name)
{
	return config_str(name, NULL);
}

static void
report_routes(struct check *c)
{
	static const char *const kinds[ROUTE_COUNT] = {
		"the main route", "kills in tracked systems", "kills of tracked characters",
		"new tracked systems", "new tracked characters", "rally points",
	};
	struct routes r;
	char err[256], src[64];
	int n = routes_load(&r, get, err, sizeof err);

	fprintf(c->out, "routes (a kind without its own setting falls back to the main one):\n");
	if (n < 0) {
		problem(c, 1, "%s (wn-discord would exit 100)", err);
		return;
	}
	for (int cls = 0; cls < ROUTE_COUNT; cls++) {
		const struct route_target *t = routes_target(&r, cls);
		const char *from = route_source(cls, src, sizeof src);

		fprintf(c->out, "  %-15s %-28s -> ", route_class_name(cls), kinds[cls]);
		if (!t || !from) {
			fprintf(c->out, "nothing: these messages are skipped\n");
			continue;
		}
		if (t->kind == TARGET_WEBHOOK)
			fprintf(c->out, "webhook %s (token masked)", strchr(t->key, ':') + 1);
		else
			fprintf(c->out, "channel %s", strchr(t->name, ':') + 1);
		fprintf(c->out, " from %s%s\n", from, cls != ROUTE_MAIN &&
		        (!strcmp(from, "DISCORD_WEBHOOK_URL") || !strcmp(from, "DISCORD_CHANNEL_ID"))
		        ? " (fallback)" : "");
	}
	if (n == 0)
		problem(c, 1, "no Discord route: set DISCORD_WEBHOOK_URL, or DISCORD_BOT_TOKEN and "
		        "DISCORD_CHANNEL_ID (wn-discord would exit 100)");
}

/* The feature flags, what each does here and, where it differs, there. */
static const struct {
	const char *name;
	int def;
	const char *on, *off, *notifier;
} flags[] = {
	{ "NOTIFICATIONS_ENABLED", 1, "messages are sent", "nothing is sent (master switch)", NULL },
	{ "KILL_NOTIFICATIONS_ENABLED", 1, "kills are notified", "no kill messages", NULL },
	{ "SYSTEM_NOTIFICATIONS_ENABLED", 1, "new tracked systems are notified", "no system messages", NULL },
	{ "CHARACTER_NOTIFICATIONS_ENABLED", 1, "new tracked characters are notified", "no character messages", NULL },
	{ "RALLY_NOTIFICATIONS_ENABLED", 1, "rally points are notified", "no rally messages", NULL },
	{ "TRACK_KSPACE_ENABLED", 1, "k-space systems are followed like wormholes",
	  "k-space systems: no system kills, no system messages", "the notifier ignores this flag" },
	{ "WORMHOLE_ONLY_KILL_NOTIFICATIONS_ENABLED", 0, "only kills in wormhole space",
	  "kills everywhere tracked", "the notifier enables it only for the exact string true" },
	{ "PRIORITY_SYSTEMS_ONLY_ENABLED", 0, "system messages for priority systems only",
	  "system messages for every new system", "the notifier ignores this flag" },
	{ "WN_NOTIFY_REMOVED_ENABLED", 0, "removed systems and characters are notified too",
	  "removals are not notified", NULL },
	{ "WN_EXCLUDE_NPC_KILLS", 0, "kills with only NPC attackers are dropped", "NPC kills are notified", NULL },
	{ "NOTABLE_ITEMS_ENABLED", 0, "notable items (needs JANICE_API_TOKEN)", "no notable items", NULL },
	{ "WN_RECENT_KILLS", 1, "recent kills of a new system (needs WANDERER_KILLS_URL)",
	  "no recent kills on system messages", NULL },
	{ "WN_DRY_RUN", 0, "wn-pipeline posts nothing", "wn-pipeline posts", NULL },
};

static void
report_flags(struct check *c)
{
	struct filter f;
	char err[256], from[96];

	fprintf(c->out, "flags:\n");
	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
		const char *v = config_str(flags[i].name, NULL);
		int b = flag(flags[i].name, flags[i].def);

		fprintf(c->out, "  %s=%s: %s (%s)%s%s\n", flags[i].name, b ? "true" : "false",
		        b ? flags[i].on : flags[i].off,
		        v ? origin(c, flags[i].name, from, sizeof from) : "default",
		        flags[i].notifier && b != flags[i].def ? "; " : "",
		        flags[i].notifier && b != flags[i].def ? flags[i].notifier : "");
	}
	if (config_str("PRIORITY_SYSTEMS_ONLY", NULL) && !config_str("PRIORITY_SYSTEMS_ONLY_ENABLED", NULL))
		fprintf(c->out, "  PRIORITY_SYSTEMS_ONLY is the older name of PRIORITY_SYSTEMS_ONLY_ENABLED: used\n");
	if (num("MAX_KILLMAIL_AGE_SECONDS", 3600) == 0)
		fprintf(c->out, "  MAX_KILLMAIL_AGE_SECONDS=0: no age limit (the notifier drops every kill)\n");
	else
		fprintf(c->out, "  MAX_KILLMAIL_AGE_SECONDS=%lld: older kills are dropped\n",
		        num("MAX_KILLMAIL_AGE_SECONDS", 3600));
	fprintf(c->out, "  STARTUP_SUPPRESSION_SECONDS=%lld: wn-filter ignores events that long after "
	        "start (wn-pipeline: 0 unless set)\n", num("STARTUP_SUPPRESSION_SECONDS", 30));
	filter_init(&f);
	if (filter_config_env(&f.c, err, sizeof err) < 0)
		problem(c, 1, "%s (wn-filter would exit 100)", err);
	else if (f.c.char_exclude.n || f.c.system_exclude.n)
		fprintf(c->out, "  CHARACTER_EXCLUDE_LIST/SYSTEM_EXCLUDE_LIST: %zu character(s), %zu "
		        "system(s) excluded (the notifier ignores these lists)\n",
		        f.c.char_exclude.n, f.c.system_exclude.n);
	filter_free(&f);
}

static int
http_url(const char *u)
{
	return strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0;
}

static void
report_map(struct check *c)
{
	const char *url = get("MAP_URL"), *name = get("MAP_NAME"), *key = get("MAP_API_KEY");

	if (!url || !name || !key) {
		fprintf(c->out, "  map: not configured\n");
		problem(c, 1, "MAP_URL, MAP_NAME and MAP_API_KEY must all be set; unset:%s%s%s "
		        "(wn-mapsse would exit 100; a replay needs none of them)",
		        url ? "" : " MAP_URL", name ? "" : " MAP_NAME", key ? "" : " MAP_API_KEY");
		return;
	}
	fprintf(c->out, "  map: %s, map %s, key masked (wn-mapsse: SSE stream and REST)\n", url, name);
	if (!http_url(url))
		problem(c, 1, "MAP_URL=%s: must start with http:// or https://", url);
	if (strpbrk(name, "/?#% "))
		problem(c, 1, "MAP_NAME=%s: not a map slug or UUID (no / ? # %% or space)", name);
}

static void
report_feed(struct check *c)
{
	const char *ws = get("WEBSOCKET_URL");
	struct phx_url u;
	char err[256];

	fprintf(c->out, "  kill feed: WandererKills WebSocket %s%s (wn-kills; --source r2z2 "
	        "follows %s instead)\n", ws ? ws : WN_WS_DEFAULT,
	        ws ? "" : " (default; the notifier's is " NOTIFIER_WS_DEFAULT ")",
	        config_str("R2Z2_URL", R2Z2_DEFAULT_URL));
	if (phx_url_parse(ws ? ws : WN_WS_DEFAULT, &u, err, sizeof err) < 0)
		problem(c, 1, "WEBSOCKET_URL: %s (wn-kills would exit 100)", err);
}

static void
report_enrich(struct check *c)
{
	const char *esi = config_str("ESI_URL", ESI_DEFAULT_URL), *wk = get("WANDERER_KILLS_URL");
	const char *jurl = config_str("JANICE_API_URL", JANICE_DEFAULT_URL);
	long long limit = num("NOTABLE_ITEMS_LIMIT", ENRICH_ITEMS_LIMIT_DEFAULT);
	long long isk = num("NOTABLE_ITEMS_THRESHOLD_ISK", (long long)ENRICH_ITEMS_THRESHOLD_DEFAULT);

	fprintf(c->out, "  ESI: %s (wn-enrich: names, killmails by id and hash)\n", esi);
	if (!http_url(esi))
		problem(c, 1, "ESI_URL=%s: must start with http:// or https://", esi);
	if (!flag("NOTABLE_ITEMS_ENABLED", 0)) {
		fprintf(c->out, "  Janice: off (NOTABLE_ITEMS_ENABLED is not true)\n");
	} else if (!get("JANICE_API_TOKEN")) {
		fprintf(c->out, "  Janice: off\n");
		problem(c, 0, "NOTABLE_ITEMS_ENABLED without JANICE_API_TOKEN: no notable items");
	} else {
		fprintf(c->out, "  Janice: %s, token masked: notable items worth %lld ISK or more, "
		        "at most %lld\n", jurl, isk, limit);
		if (!http_url(jurl))
			problem(c, 1, "JANICE_API_URL=%s: must start with http:// or https://", jurl);
		if (limit < 0 || limit > 50 || isk < 0)
			problem(c, 1, "NOTABLE_ITEMS_LIMIT=%lld must be 0..50 and "
			        "NOTABLE_ITEMS_THRESHOLD_ISK=%lld 0 or more (wn-enrich would exit 100)",
			        limit, isk);
	}
	if (wk && flag("WN_RECENT_KILLS", 1))
		fprintf(c->out, "  WandererKills REST: %s (wn-enrich: recent kills of a new system)\n", wk);
	else
		fprintf(c->out, "  WandererKills REST: off (%s)\n", wk ? "WN_RECENT_KILLS is false" :
		        "WANDERER_KILLS_URL is unset; the notifier defaults to http://host.docker.internal:4004");
}

/* The start-up range checks the tools make on numbers. */
static void
report_ranges(struct check *c)
{
	static const struct { const char *name; long long def, min, max; const char *who; } r[] = {
		{ "WN_DISCORD_QUEUE", OUTBOX_QUEUE_DEFAULT, 1, 1000000, "wn-discord" },
		{ "WN_DISCORD_DEDUP_SECONDS", OUTBOX_DEDUP_DEFAULT, 1, 315360000, "wn-discord" },
		{ "WN_DISCORD_GLOBAL_LIMIT", 50, 1, 1000, "wn-discord" },
		{ "WN_RECENT_KILLS_TIMEOUT_MS", 5000, 1, 600000, "wn-enrich" },
		{ "HTTP_JANICE_TIMEOUT", 5000, 1, 600000, "wn-enrich" },
	};
	char lo[32], hi[32];

	for (size_t i = 0; i < sizeof r / sizeof *r; i++) {
		long long v = num(r[i].name, r[i].def);
		if (v >= r[i].min && v <= r[i].max)
			continue;
		snprintf(lo, sizeof lo, "%lld", r[i].min);
		snprintf(hi, sizeof hi, r[i].max == LLONG_MAX ? "" : "..%lld", r[i].max);
		fprintf(c->out, "  error: %s=%lld: must be %s%s%s (%s would exit 100)\n", r[i].name, v,
		        lo, hi[0] ? hi : " or more", "", r[i].who);
		c->errors++;
	}
}

/* Values a tool would warn about and replace by its default. */
static void
check_value(struct check *c, const struct config_var *v, const char *val)
{
	long long n;
	struct idset s;

	switch (v->kind) {
	case CV_BOOL:
		if (config_parse_bool(val) < 0)
			problem(c, 0, "%s=%.40s: not a boolean (true/false, 1/0, yes/no, on/off); "
			        "the default is used", v->name, val);
		break;
	case CV_INT:
		if (config_parse_int(val, &n) < 0)
			problem(c, 0, "%s=%.40s: not a whole number; the default is used", v->name, val);
		break;
	case CV_IDS:
		/* wn-filter's own lists are judged by filter_config_env */
		if (strcmp(v->name, "WN_PRIORITY_SYSTEMS") != 0)
			break;
		idset_init(&s);
		if (idset_parse(&s, val) < 0)
			problem(c, 1, "%s=%.60s: not a list of ids (numbers separated by commas); "
			        "wn-filter would exit 100", v->name, val);
		idset_free(&s);
		break;
	default:
		break;
	}
}

/* Every known variable that is set: its value (secrets masked) and where
 * it came from. */
static void
report_settings(struct check *c)
{
	const struct config_var *v;
	char from[96], val[160];

	fprintf(c->out, "settings (every wn variable that is set):\n");
	for (size_t i = 0; (v = config_var_at(i)); i++) {
		const char *value = config_str(v->name, NULL);
		if (!value) {
			const struct entry *f = file_entry(c, v->name);
			if (f)
				fprintf(c->out, "  %s (.env:%lu): blank, counts as unset\n", v->name, f->lineno);
			continue;
		}
		fprintf(c->out, "  %s=%s (%s; %s: %s)\n", v->name, shown(v->name, value, val, sizeof val),
		        origin(c, v->name, from, sizeof from), v->tools, v->what);
		check_value(c, v, value);
	}
}

static void
unknown_header(struct check *c)
{
	if (!c->unknown_head++)
		fprintf(c->out, "unknown:\n");
}

/* The environment's name for entry i of environ, or NULL when it is
 * not one to look at: in the .env (listed from there), or too long. */
static const char *
env_name(const struct check *c, const char *e, char *name, size_t size)
{
	size_t n = strcspn(e, "=");

	if (n >= size)
		return NULL;
	memcpy(name, e, n);
	name[n] = '\0';
	return file_entry(c, name) ? NULL : name;
}

static void
report_ignored(struct check *c)
{
	extern char **environ;
	char name[64];

	fprintf(c->out, "ignored (Wanderer Notifier variables wn does not use):\n");
	for (size_t i = 0; i < c->n; i++) {
		const struct config_ignored *ig = config_ignored_find(c->e[i].name);
		if (ig)
			fprintf(c->out, "  %s (.env:%lu): ignored: %s\n", c->e[i].name, c->e[i].lineno, ig->why);
	}
	/* from the environment only names of the notifier's own, no patterns */
	for (char **e = environ; *e; e++) {
		const struct config_ignored *ig;
		if (env_name(c, *e, name, sizeof name) && (ig = config_ignored_find(name)) &&
		    !strchr(ig->name, '*'))
			fprintf(c->out, "  %s (environment): ignored: %s\n", name, ig->why);
	}
}

static void
report_unknown(struct check *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const char *name = c->e[i].name, *near;
		if (config_var_find(name) || config_ignored_find(name))
			continue;
		unknown_header(c);
		near = config_var_suggest(name);
		fprintf(c->out, "  %s (.env:%lu): not a wn variable%s%s%s\n", name, c->e[i].lineno,
		        near ? "; did you mean " : "", near ? near : "", near ? "?" : "");
		c->warnings++;
	}
	for (size_t i = 1; i < c->n; i++)
		for (size_t k = 0; k < i; k++)
			if (strcmp(c->e[i].name, c->e[k].name) == 0) {
				fprintf(c->out, "  warning: %s is set at .env:%lu and again at .env:%lu; "
				        "the first that is not blank is used\n", c->e[i].name,
				        c->e[k].lineno, c->e[i].lineno);
				c->warnings++;
				break;
			}
}

/* A name in the environment that is a near miss of ours (the .env's
 * unknown names are listed above; the rest of environ is not ours). */
static void
report_environ(struct check *c)
{
	extern char **environ;
	char name[64];

	for (char **e = environ; *e; e++) {
		const char *near;
		/* ours are long and have an underscore: HOME is not a slip of HOST */
		if (!env_name(c, *e, name, sizeof name) || strlen(name) < 8 || !strchr(name, '_') ||
		    config_var_find(name) || config_ignored_find(name))
			continue;
		if (!(near = config_var_suggest(name)))
			continue;
		unknown_header(c);
		if (strcasecmp(near, name) != 0) {
			fprintf(c->out, "  %s (environment): not a wn variable; did you mean %s?\n", name, near);
			c->warnings++;
		} else {
			fprintf(c->out, "  %s (environment): names are case-sensitive; did you mean %s?\n",
			        name, near);
			c->warnings++;
		}
	}
}

int
config_check(FILE *out)
{
	static struct check c;
	char err[512], cwd[PATH_MAX];
	int level = log_get_level();

	memset(&c, 0, sizeof c);
	c.out = out;
	c.path = config_file_path();
	/* the report says it all; the tools' own warnings would repeat it */
	log_set_level(LOG_FATAL);
	fprintf(out, "wn %s configuration check\n", WN_VERSION);
	if (c.path && config_parse_file(c.path, 1, collect, &c, err, sizeof err) < 0)
		problem(&c, 1, "%s", err);
	if (c.path)
		fprintf(out, "  .env: %s%s%s (%zu entries)\n", c.path[0] == '/' ? "" :
		        getcwd(cwd, sizeof cwd) ? cwd : ".", c.path[0] == '/' ? "" : "/", c.path, c.n);
	else
		fprintf(out, "  .env: none (WN_ENV_FILE is unset and there is no ./.env)\n");
	if (c.dropped)
		problem(&c, 0, "more than %d entries in the .env; the rest are not checked",
		        MAX_ENTRIES);
	fprintf(out, "  state directory: ");
	config_print_state_dir(out);
	report_routes(&c);
	report_flags(&c);
	fprintf(out, "sources:\n");
	report_map(&c);
	report_feed(&c);
	report_enrich(&c);
	report_settings(&c);
	report_ranges(&c);
	report_ignored(&c);
	report_unknown(&c);
	report_environ(&c);
	if (c.errors)
		fprintf(out, "result: %d error(s), %d warning(s): the tools would not start\n",
		        c.errors, c.warnings);
	else
		fprintf(out, "result: OK, %d warning(s)\n", c.warnings);
	for (size_t i = 0; i < c.n; i++) {
		free(c.e[i].name);
		free(c.e[i].value);
	}
	log_set_level(level);
	return c.errors ? WN_EXIT_USAGE : WN_EXIT_OK;
}

int
config_print(FILE *out, char *const *keys, int n)
{
	for (int i = 0; i < n; i++) {
		/* ?KEY: only whether it is set, so a script may ask about a secret */
		if (keys[i][0] == '?') {
			fprintf(out, "%s\n", *config_str(keys[i] + 1, "") ? "set" : "");
			continue;
		}
		const char *v = config_str(keys[i], "");
		if (config_var_is_secret(keys[i]))
			log_fatal(WN_EXIT_USAGE, "%s is a secret: it is never printed", keys[i]);
		if (strchr(v, '\n'))
			log_fatal(WN_EXIT_USAGE, "%s: the value has a newline", keys[i]);
		fprintf(out, "%s\n", v);
	}
	return WN_EXIT_OK;
}

int
config_print_state_dir(FILE *out)
{
	const char *d = state_dir();
	char cwd[PATH_MAX];

	if (d[0] == '/')
		fprintf(out, "%s\n", d);
	else if (getcwd(cwd, sizeof cwd))
		fprintf(out, "%s/%s\n", cwd, strncmp(d, "./", 2) == 0 ? d + 2 : d);
	else
		log_fatal(WN_EXIT_TEMP, "unable to find the working directory: %s", strerror(errno));
	return WN_EXIT_OK;
}
