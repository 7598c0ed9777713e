/* wn-filter — the decision stage of the pipeline: killmail and map-event
 * records in, only the ones to notify out, each with a "notify" object
 * spliced in before its final '}' (the rest of the line is passed through
 * byte for byte).  The rules are in filter.c; the tracked systems and
 * characters come from the map state file (reloaded when it changes or
 * on SIGHUP) or from --systems/--characters for replays.  No network. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "filestamp.h"
#include "filter.h"
#include "filter_record.h"
#include "log.h"
#include "map_state.h"
#include "ndjson.h"
#include "state.h"
#include "status.h"
#include "tool.h"
#include "wn.h"

struct src {            /* a watched file: path + identity at last load */
	char path[4096];
	struct filestamp stamp;
};

struct ctx {
	struct tool t;
	struct filter f;
	struct filter_record r;
	struct map_state map;
	struct src mapsrc, priosrc;
	int use_map, fixed_now;
	time_t now;
	struct idset flag_systems, flag_characters, flag_priority;
	struct idset systems, characters;     /* map ∪ flags: what f points at */
	long long received, passed;   /* not yet in status */
	double start, next_check;
};

static void push_counters(struct ctx *c);

static void
usage(void)
{
	log_set_level(LOG_INFO);
	fprintf(stderr,
	    "usage: wn-filter [-NSrlv] [-m map.json] [-s ids] [-c ids] [-p ids]\n"
	    "                 [-a seconds] [-t time] [-u seconds] [-V isk] [-x bytes] [file ...]\n"
	    "       wn-filter -A ids | -R ids | -L     (edit/list priority systems)\n"
	    "  -m, --map FILE         map state (default $WN_STATE_DIR/map.json)\n"
	    "  -s, --systems IDS      tracked systems (replays without a map)\n"
	    "  -c, --characters IDS   tracked characters (replays without a map)\n"
	    "  -p, --priority IDS     priority systems for this run\n"
	    "  -A, --add-priority IDS / -R, --remove-priority IDS / -L, --list-priority\n"
	    "  -a, --max-age SECONDS  skip older kills (0: never; MAX_KILLMAIL_AGE_SECONDS)\n"
	    "  -t, --now TIME         judge kill age against TIME (ISO 8601 or Unix)\n"
	    "  -u, --suppress SECONDS startup window (STARTUP_SUPPRESSION_SECONDS)\n"
	    "      --no-suppress      same as -u 0\n"
	    "  -V, --min-value ISK    skip kills worth less (WN_MIN_KILL_VALUE)\n"
	    "  -N, --no-npc           skip NPC kills (WN_EXCLUDE_NPC_KILLS)\n"
	    "  -r, --replay / -l, --live  force replay or live defaults\n"
	    "  -x, --max-line BYTES   longest record (default 4 MiB)\n"
	    "  -S, --strict           bad input is fatal (exit 100)\n"
	    "  -v                     more logging\n");
}

static const struct tool_opt longs[] = {
	{ "map", 'm' }, { "systems", 's' }, { "characters", 'c' }, { "priority", 'p' },
	{ "add-priority", 'A' }, { "remove-priority", 'R' }, { "list-priority", 'L' },
	{ "max-age", 'a' }, { "now", 't' }, { "suppress", 'u' }, { "no-suppress", 'U' },
	{ "min-value", 'V' }, { "no-npc", 'N' }, { "replay", 'r' }, { "live", 'l' },
	{ "max-line", 'x' }, { "strict", 'S' }, { NULL, 0 },
};

static void
ids_arg(struct idset *s, const char *opt, const char *csv)
{
	if (idset_parse(s, csv) < 0)
		log_fatal(WN_EXIT_USAGE, "%s: not a list of ids: %s", opt, csv);
}

/* --- tracked sets and their files --- */

static void
rebuild_sets(struct ctx *c)
{
	if (idset_union(&c->systems, c->use_map ? &c->map.systems : NULL, &c->flag_systems) < 0 ||
	    idset_union(&c->characters, c->use_map ? &c->map.characters : NULL,
	                &c->flag_characters) < 0)
		log_fatal(WN_EXIT_TEMP, "out of memory");
	status_set("tracked_systems", (long long)c->systems.n);
	status_set("tracked_characters", (long long)c->characters.n);
}

static int
changed(struct src *s)
{
	return filestamp_changed(&s->stamp, s->path);
}

static void
load_priority(struct ctx *c)
{
	struct idset file;
	char err[512];

	idset_init(&file);
	if (priority_load(&file, c->priosrc.path, err, sizeof err) < 0)
		log_warn("%s; keeping the priority systems from the command line", err);
	if (idset_union(&c->f.priority, &file, &c->flag_priority) < 0)
		log_fatal(WN_EXIT_TEMP, "out of memory");
	idset_free(&file);
	log_debug("%zu priority system(s)", c->f.priority.n);
}

static void
load_map(struct ctx *c, int force)
{
	char err[512];
	int r;

	if (force)
		map_state_invalidate(&c->map);
	if ((r = map_state_reload(&c->map, c->mapsrc.path, err, sizeof err)) < 0) {
		log_warn("map state %s: %s; keeping the previous one", c->mapsrc.path, err);
		status_add("map_errors", 1);
		return;
	}
	if (r == 0)
		return;
	rebuild_sets(c);
	status_add("map_reloads", 1);
	log_info("map state loaded: %zu system(s), %zu character(s)",
	         c->map.systems.n, c->map.characters.n);
}

/* Every second and on SIGHUP: reread what changed. */
static void
check_files(struct ctx *c, double now)
{
	int force = tool_reload;

	if (!force && now < c->next_check)
		return;
	tool_reload = 0;
	c->next_check = now + 1.0;
	if (c->use_map && (force || changed(&c->mapsrc)))
		load_map(c, force);
	if (force || changed(&c->priosrc))
		load_priority(c);
	push_counters(c);
	status_flush(0);
}

/* Counted locally and handed to status once a second: the status
 * table is looked up by name, too slow to do per record on replays. */
static void
push_counters(struct ctx *c)
{
	char name[64];

	for (int d = 1; d < DROP_COUNT; d++) {
		if (c->r.drops[d]) {
			snprintf(name, sizeof name, "dropped_%s", filter_drop_name((enum drop)d));
			status_add(name, c->r.drops[d]);
			c->r.drops[d] = 0;
		}
	}
	status_add("received", c->received);
	status_add("passed", c->passed);
	c->received = c->passed = 0;
}

static void
one_line(struct ctx *c, int r, const struct ndjson_line *l, size_t max_line)
{
	char err[512];
	time_t now = c->fixed_now ? c->now : time(NULL);

	c->received++;
	if (r == NDJSON_LINE_OVERSIZE) {
		tool_bad_line(&c->t, l->name, l->lineno, "line longer than %zu bytes", max_line);
	} else if ((r = filter_record(&c->r, l->line, l->len, now, wn_mono() - c->start, err,
	                              sizeof err)) < 0) {
		tool_bad_line(&c->t, l->name, l->lineno, "%s", err);
	} else if (r > 0) {
		tool_write_line(c->r.out.p, c->r.out.len);
		c->passed++;
	} else if (c->r.k.type == REC_OTHER) {
		log_debug("%s:%lu: not a notification type; dropped", l->name, l->lineno);
	}
}

/* --- setup --- */

/* Replays (every input a regular file) default to no startup window and
 * no age limit: a saved file is old by nature and read at once. */
static int
all_regular(char *const *paths, int n)
{
	struct stat st;

	for (int i = 0; i < n; i++) {
		int r = strcmp(paths[i], "-") == 0 ? fstat(STDIN_FILENO, &st) : stat(paths[i], &st);
		if (r < 0 || !S_ISREG(st.st_mode))
			return 0;
	}
	return 1;
}

static int
priority_edit(struct ctx *c, int op, const char *csv)
{
	struct idset file, arg;
	char err[512];

	idset_init(&file);
	idset_init(&arg);
	if (priority_load(&file, c->priosrc.path, err, sizeof err) < 0)
		log_fatal(WN_EXIT_USAGE, "%s", err);
	if (op != 'L') {
		ids_arg(&arg, op == 'A' ? "--add-priority" : "--remove-priority", csv);
		struct idset out;
		idset_init(&out);
		if ((op == 'A' ? idset_union(&out, &file, &arg) : idset_minus(&out, &file, &arg)) < 0)
			log_fatal(WN_EXIT_TEMP, "out of memory");
		if (priority_save(&out, c->priosrc.path) < 0)
			log_fatal(WN_EXIT_TEMP, "unable to write %s: %s", c->priosrc.path,
			          strerror(errno));
		idset_free(&file);
		file = out;
	}
	for (size_t i = 0; i < file.n; i++)
		printf("%lld\n", (long long)file.v[i]);
	idset_free(&file);
	idset_free(&arg);
	return fflush(stdout) == 0 ? WN_EXIT_OK : WN_EXIT_TEMP;
}

struct opts {
	const char *map, *now, *prio_arg;
	long long max_age, suppress;
	double min_value;
	int mode, prio_op, no_npc;      /* mode: 'r', 'l' or 0 */
	size_t max_line;
};

static void
parse_opts(struct ctx *c, struct opts *o)
{
	int opt;

	memset(o, 0, sizeof *o);
	o->max_age = o->suppress = -1;
	o->min_value = -1;
	o->max_line = NDJSON_MAX_LINE_DEFAULT;
	while ((opt = tool_getopt(&c->t, "m:s:c:p:A:R:La:t:u:UV:Nrlx:S")) != -1) {
		switch (opt) {
		case 'm': o->map = optarg; break;
		case 's': ids_arg(&c->flag_systems, "--systems", optarg); break;
		case 'c': ids_arg(&c->flag_characters, "--characters", optarg); break;
		case 'p': ids_arg(&c->flag_priority, "--priority", optarg); break;
		case 'A': case 'R': case 'L': o->prio_op = opt; o->prio_arg = optarg; break;
		case 'a': o->max_age = (long long)wn_num_arg("--max-age", optarg, 0, 1e12); break;
		case 't': o->now = optarg; break;
		case 'u': o->suppress = (long long)wn_num_arg("--suppress", optarg, 0, 1e12); break;
		case 'U': o->suppress = 0; break;
		case 'V': o->min_value = wn_num_arg("--min-value", optarg, 0, 1e18); break;
		case 'N': o->no_npc = 1; break;
		case 'r': case 'l': o->mode = opt; break;
		case 'x': o->max_line = (size_t)wn_num_arg("--max-line", optarg, 64, 1e9); break;
		case 'S': c->t.strict = 1; break;
		default: tool_usage(&c->t);
		}
	}
}

static void
configure(struct ctx *c, const struct opts *o, int replay)
{
	struct filter_config *fc = &c->f.c;
	char err[512];

	if (filter_config_env(fc, err, sizeof err) < 0)
		log_fatal(WN_EXIT_USAGE, "%s", err);
	if (config_idlist("WN_PRIORITY_SYSTEMS", &c->flag_priority) < 0)
		log_fatal(WN_EXIT_USAGE, "WN_PRIORITY_SYSTEMS=%.60s is not a list of ids (numbers "
		          "separated by commas)", config_str("WN_PRIORITY_SYSTEMS", ""));
	idset_finish(&c->flag_priority);
	if (replay)	/* --now asks for ages: keep the limit then */
		fc->suppress = 0, fc->max_age = o->now ? fc->max_age : 0;
	if (o->max_age >= 0)
		fc->max_age = o->max_age;
	if (o->suppress >= 0)
		fc->suppress = o->suppress;
	if (o->min_value >= 0)
		fc->min_value = o->min_value;
	if (o->no_npc)
		fc->exclude_npc = 1;
	if (o->now) {
		if (killmail_facts_parse_time(o->now, strlen(o->now), &c->now) < 0)
			log_fatal(WN_EXIT_USAGE, "--now: not a time: %s", o->now);
		c->fixed_now = 1;
	}
	log_debug("%s mode: startup window %llds, age limit %llds", replay ? "replay" : "live",
	          fc->suppress, fc->max_age);
}

static void
open_sources(struct ctx *c, const struct opts *o)
{
	c->use_map = o->map || (!c->flag_systems.n && !c->flag_characters.n);
	if (o->map)
		snprintf(c->mapsrc.path, sizeof c->mapsrc.path, "%s", o->map);
	else if (c->use_map && map_state_default_path(c->mapsrc.path, sizeof c->mapsrc.path) < 0)
		log_fatal(WN_EXIT_USAGE, "no state directory for the map state");
	if (c->use_map && !changed(&c->mapsrc))
		log_warn("no map state at %s yet; nothing is tracked until it appears",
		         c->mapsrc.path);
	else if (c->use_map)
		load_map(c, 1);
	rebuild_sets(c);
	changed(&c->priosrc);
	load_priority(c);
	c->f.systems = &c->systems;
	c->f.characters = &c->characters;
	c->r.map = c->use_map ? &c->map : NULL;
}

static int
run(struct ctx *c, struct ndjson_inputs *in, size_t max_line)
{
	struct ndjson_line l;
	int r;

	status_set_str("state", "running");
	while (!tool_stop) {
		check_files(c, wn_mono());
		if ((r = ndjson_inputs_next(in, &l, 0)) == NDJSON_LINE_NONE) {
			fflush(stdout);   /* batched under load, prompt when idle */
			push_counters(c);
			status_flush(0);
			r = ndjson_inputs_next(in, &l, 1000);
		}
		if (r < 0)
			break;
		if (r != NDJSON_LINE_NONE)
			one_line(c, r, &l, max_line);
	}
	tool_flush();
	return WN_EXIT_OK;
}

int
main(int argc, char **argv)
{
	static struct ctx c;
	struct opts o;
	struct ndjson_inputs *in;
	char **paths;
	int n, rc;

	c.start = wn_mono();   /* the startup window counts from here */
	tool_start(&c.t, "wn-filter", argc, argv, longs, usage, TOOL_SIGNALS | TOOL_RELOAD);
	filter_init(&c.f);
	map_state_init(&c.map);
	filter_record_init(&c.r, &c.f);
	parse_opts(&c, &o);
	if (state_path(c.priosrc.path, sizeof c.priosrc.path, "priority_systems") < 0)
		return WN_EXIT_USAGE;
	if (o.prio_op)
		return priority_edit(&c, o.prio_op, o.prio_arg);
	paths = tool_operands(&c.t, &n);
	configure(&c, &o, o.mode ? o.mode == 'r' : all_regular(paths, n));
	status_init("wn-filter");
	open_sources(&c, &o);
	in = tool_inputs(&c.t, o.max_line);
	rc = run(&c, in, o.max_line);
	push_counters(&c);
	ndjson_inputs_close(in);
	filter_free(&c.f);
	map_state_free(&c.map);
	filter_record_free(&c.r);
	idset_free(&c.flag_systems);
	idset_free(&c.flag_characters);
	idset_free(&c.flag_priority);
	idset_free(&c.systems);
	idset_free(&c.characters);
	return tool_finish(&c.t, rc);
}
