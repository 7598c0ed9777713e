/* wn-filter — the decision stage of the pipeline: killmail and map-event
 * records in, only the ones to notify out, each with a "notify" object
 * spliced in before its final '}' (the rest of the line is passed through
 * byte for byte).  The rules are in filter.c; the tracked systems and
 * characters come from the map state file (reloaded when it changes or
 * on SIGHUP) or from --systems/--characters for replays.  No network. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "filter.h"
#include "jsonutil.h"
#include "killmail.h"
#include "kmfacts.h"
#include "log.h"
#include "mapstate.h"
#include "ndjson.h"
#include "state.h"
#include "status.h"
#include "utf8.h"
#include "wn.h"

struct src {            /* a watched file: path + identity at last load */
	char path[4096];
	struct stat st;
	int have;
};

struct ctx {
	struct filter f;
	struct mapstate map;
	struct src mapsrc, priosrc;
	int use_map, strict, fixed_now;
	time_t now;
	struct idset flag_systems, flag_characters, flag_priority;
	struct idset systems, characters;     /* map ∪ flags: what f points at */
	struct km_facts k;
	struct buf out;                       /* a spliced record, reused */
	long long drops[DROP_COUNT], received, passed;   /* not yet in status */
	double start, next_check;
};

static volatile sig_atomic_t stop, hup;

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

/* getopt(3) knows only short options: map the long ones onto them. */
static void
long_options(int argc, char **argv)
{
	static const char *const map[][2] = {
		{ "--map", "-m" }, { "--systems", "-s" }, { "--characters", "-c" },
		{ "--priority", "-p" }, { "--add-priority", "-A" },
		{ "--remove-priority", "-R" }, { "--list-priority", "-L" },
		{ "--max-age", "-a" }, { "--now", "-t" }, { "--suppress", "-u" },
		{ "--no-suppress", "-U" }, { "--min-value", "-V" }, { "--no-npc", "-N" },
		{ "--replay", "-r" }, { "--live", "-l" }, { "--max-line", "-x" },
		{ "--strict", "-S" }, { "--help", "-h" },
	};

	wn_long_options(argc, argv, map, sizeof map / sizeof *map);
}

static void
ids_arg(struct idset *s, const char *opt, const char *csv)
{
	if (idset_parse(s, csv) < 0)
		log_fatal(WN_EXIT_USAGE, "%s: not a list of ids: %s", opt, csv);
}

/* --- tracked sets and their files --- */

static void
union_into(struct idset *dst, const struct idset *a, const struct idset *b)
{
	idset_clear(dst);
	for (size_t i = 0; a && i < a->n; i++)
		idset_add(dst, a->v[i]);
	for (size_t i = 0; b && i < b->n; i++)
		idset_add(dst, b->v[i]);
	idset_finish(dst);
}

static void
rebuild_sets(struct ctx *c)
{
	union_into(&c->systems, c->use_map ? &c->map.systems : NULL, &c->flag_systems);
	union_into(&c->characters, c->use_map ? &c->map.characters : NULL, &c->flag_characters);
	status_set("tracked_systems", (long long)c->systems.n);
	status_set("tracked_characters", (long long)c->characters.n);
}

static int
changed(struct src *s)
{
	struct stat st;

	if (stat(s->path, &st) < 0)
		return s->have ? (s->have = 0, 1) : 0;
	if (s->have && st.st_ino == s->st.st_ino && st.st_dev == s->st.st_dev &&
	    st.st_size == s->st.st_size && st.st_mtim.tv_sec == s->st.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == s->st.st_mtim.tv_nsec)
		return 0;
	s->st = st;
	s->have = 1;
	return 1;
}

static void
load_priority(struct ctx *c)
{
	struct idset file;
	char err[512];

	idset_init(&file);
	if (priority_load(&file, c->priosrc.path, err, sizeof err) < 0)
		log_warn("%s; keeping the priority systems from the command line", err);
	union_into(&c->f.priority, &file, &c->flag_priority);
	idset_free(&file);
	log_debug("%zu priority system(s)", c->f.priority.n);
}

static void
load_map(struct ctx *c, int force)
{
	char err[512];
	int r;

	if (force)
		mapstate_invalidate(&c->map);
	if ((r = mapstate_reload(&c->map, c->mapsrc.path, err, sizeof err)) < 0) {
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
	int force = hup;

	if (!force && now < c->next_check)
		return;
	hup = 0;
	c->next_check = now + 1.0;
	if (c->use_map && (force || changed(&c->mapsrc)))
		load_map(c, force);
	if (force || changed(&c->priosrc))
		load_priority(c);
	push_counters(c);
	status_flush(0);
}

/* --- output --- */

static void
write_record(struct ctx *c, const char *buf, size_t len)
{
	if (ndjson_write(stdout, buf, len) != 0)
		log_fatal(WN_EXIT_TEMP, "cannot write to stdout: %s", strerror(errno));
	c->passed++;
}

/* The original bytes up to the closing '}', then ,"notify":{...}}. */
static void
emit_splice(struct ctx *c, const char *line, const struct notify *n)
{
	char nj[2048];
	int nl = notify_json(n, nj, sizeof nj);
	struct buf *o = &c->out;

	buf_clear(o);
	if (buf_put(o, line, c->k.close) < 0 ||
	    buf_puts(o, c->k.members ? ",\"notify\":" : "\"notify\":") < 0 ||
	    buf_put(o, nj, (size_t)nl) < 0 || buf_put(o, "}", 1) < 0)
		log_fatal(WN_EXIT_TEMP, "out of memory");
	write_record(c, o->p, o->len);
}

/* For records rebuilt as a tree (normalised, or with an old notify). */
static int
emit_tree(struct ctx *c, cJSON *rec, const struct notify *n, char *err, size_t errlen)
{
	char nj[2048];
	cJSON *obj;
	char *text;

	notify_json(n, nj, sizeof nj);
	if (!(obj = cJSON_Parse(nj)))
		return snprintf(err, errlen, "out of memory"), -1;
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "notify");
	cJSON_AddItemToObject(rec, "notify", obj);
	if (!(text = json_print(rec)))
		return snprintf(err, errlen, "out of memory"), -1;
	write_record(c, text, strlen(text));
	cJSON_free(text);
	return 0;
}

/* Counted locally and handed to status once a second: the status
 * table is looked up by name, too slow to do per record on replays. */
static void
dropped(struct ctx *c, enum drop d)
{
	c->drops[d]++;
}

static void
push_counters(struct ctx *c)
{
	char name[64];

	for (int d = 1; d < DROP_COUNT; d++) {
		if (c->drops[d]) {
			snprintf(name, sizeof name, "dropped_%s", filter_drop_name((enum drop)d));
			status_add(name, c->drops[d]);
			c->drops[d] = 0;
		}
	}
	status_add("received", c->received);
	status_add("passed", c->passed);
	c->received = c->passed = 0;
}

/* --- records --- */


static double
uptime(const struct ctx *c)
{
	return wn_mono() - c->start;
}

static time_t
now_wall(const struct ctx *c)
{
	return c->fixed_now ? c->now : time(NULL);
}

/* The map's own name for the kill's system (its custom name, else its
 * temporary one): Wanderer Notifier titles kills with it (#112).  At
 * most 63 characters, whole UTF-8 sequences: it fits notify's buffer. */
static void
name_from_map(const struct ctx *c, struct notify *n)
{
	const cJSON *sys = c->use_map ? mapstate_system(&c->map, c->k.solar_system_id) : NULL;
	const char *name = json_str(sys, "custom_name");
	size_t len;

	if (!name || !*name)
		name = json_str(sys, "temporary_name");
	if (!name || !*name)
		return;
	len = utf8_prefix(name, strlen(name), 63);
	memcpy(n->system_name, name, len);
	n->system_name[len] = '\0';
}

static enum drop
decide_kill(struct ctx *c, struct notify *n)
{
	enum drop d = filter_kill(&c->f, &c->k, now_wall(c), uptime(c), n);

	if (d == DROP_NONE)
		name_from_map(c, n);
	return d;
}

/* A killmail in another shape: normalise, decide, print the canonical
 * record.  0, or -1 with err for a record that is not a killmail. */
static int
kill_slow(struct ctx *c, const struct input_line *l, char *err, size_t errlen)
{
	struct notify n;
	enum drop d;
	cJSON *rec = json_parse(l->line, l->len, err, errlen);
	int rc = 0;

	if (!rec)
		return -1;
	if (!(rec = killmail_normalize(rec, err, errlen)))
		return -1;
	status_add("normalized", 1);
	if (kmfacts_from_json(&c->k, rec) < 0) {
		cJSON_Delete(rec);
		return snprintf(err, errlen, "out of memory"), -1;
	}
	if ((d = decide_kill(c, &n)) == DROP_NONE)
		rc = emit_tree(c, rec, &n, err, errlen);
	else
		dropped(c, d);
	cJSON_Delete(rec);
	return rc;
}

static int
kill_fast(struct ctx *c, const struct input_line *l, char *err, size_t errlen)
{
	struct notify n;
	enum drop d = decide_kill(c, &n);
	cJSON *rec;

	if (d != DROP_NONE) {
		dropped(c, d);
		return 0;
	}
	/* only records that pass get the full parse: UTF-8, numbers, all */
	if (!(rec = json_parse(l->line, l->len, err, errlen)))
		return -1;
	if (c->k.type == REC_KILLMAIL && !c->k.has_notify) {
		cJSON_Delete(rec);
		emit_splice(c, l->line, &n);
		return 0;
	}
	if (c->k.type != REC_KILLMAIL) {	/* ESI shape: print it canonical */
		if (!(rec = killmail_normalize(rec, err, errlen)))
			return -1;
		status_add("normalized", 1);
	}
	int rc = emit_tree(c, rec, &n, err, errlen);
	cJSON_Delete(rec);
	return rc;
}

/* rally_point_id may be a string or a number */
static const char *
id_text(const cJSON *v, char *buf, size_t size)
{
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsNumber(v)) {
		snprintf(buf, size, "%.0f", v->valuedouble);
		return buf;
	}
	return NULL;
}

static int
map_event(struct ctx *c, const struct input_line *l, char *err, size_t errlen)
{
	struct notify n;
	enum drop d;
	char idbuf[32];
	cJSON *rec = json_parse(l->line, l->len, err, errlen);
	const char *action;
	int rc = 0;

	if (!rec)
		return -1;
	action = json_str(rec, "action");
	if (c->k.type == REC_SYSTEM)
		d = filter_system(&c->f, action, json_id(rec, "solar_system_id"), uptime(c), &n);
	else if (c->k.type == REC_CHARACTER)
		d = filter_character(&c->f, action, json_id(rec, "character_id"), uptime(c), &n);
	else
		d = filter_rally(&c->f, action,
		                 id_text(cJSON_GetObjectItemCaseSensitive(rec, "rally_point_id"),
		                         idbuf, sizeof idbuf),
		                 json_str(rec, "system_name"), uptime(c), &n);
	if (d == DROP_INVALID) {
		snprintf(err, errlen, "%s", c->k.type == REC_SYSTEM ? "system record without solar_system_id" :
		         c->k.type == REC_CHARACTER ? "character record without character_id" :
		         "rally_point record without system_name");
		rc = -1;
	} else if (d != DROP_NONE) {
		dropped(c, d);
	} else if (c->k.has_notify) {
		rc = emit_tree(c, rec, &n, err, errlen);
	} else {
		emit_splice(c, l->line, &n);
	}
	cJSON_Delete(rec);
	return rc;
}

static int
take(struct ctx *c, const struct input_line *l, char *err, size_t errlen)
{
	struct km_facts *k = &c->k;

	if (kmfacts_scan(k, l->line, l->len, filter_wants_attackers(&c->f),
	                 filter_wants_labels(&c->f), err, errlen) < 0)
		return -1;
	switch (k->type) {
	case REC_SYSTEM: case REC_CHARACTER: case REC_RALLY:
		return map_event(c, l, err, errlen);
	case REC_OTHER:
		status_add("other_events", 1);
		log_debug("%s:%lu: not a notification type; dropped", l->name, l->lineno);
		return 0;
	default:
		break;
	}
	/* canonical (or plain ESI) killmails are decided from the scan */
	if (k->killmail_id && k->solar_system_id && (k->type == REC_KILLMAIL || k->has_time))
		return kill_fast(c, l, err, errlen);
	return kill_slow(c, l, err, errlen);
}

static void
one_line(struct ctx *c, int r, const struct input_line *l, size_t max_line)
{
	char err[512];

	c->received++;
	if (r == LINE_OVERSIZE)
		snprintf(err, sizeof err, "line longer than %zu bytes", max_line);
	else if (take(c, l, err, sizeof err) == 0)
		return;
	status_add("bad_input", 1);
	if (c->strict)
		log_fatal(WN_EXIT_USAGE, "%s:%lu: %s", l->name, l->lineno, err);
	log_warn("%s:%lu: %s; skipped", l->name, l->lineno, err);
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
		for (size_t i = 0; i < file.n; i++)
			if (op == 'A' || !idset_has(&arg, file.v[i]))
				idset_add(&out, file.v[i]);
		for (size_t i = 0; op == 'A' && i < arg.n; i++)
			idset_add(&out, arg.v[i]);
		idset_finish(&out);
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
parse_opts(struct ctx *c, struct opts *o, int argc, char **argv)
{
	int opt;

	memset(o, 0, sizeof *o);
	o->max_age = o->suppress = -1;
	o->min_value = -1;
	o->max_line = NDJSON_MAX_LINE_DEFAULT;
	long_options(argc, argv);
	while ((opt = getopt(argc, argv, "hm:s:c:p:A:R:La:t:u:UV:Nrlx:Sv")) != -1) {
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
		case 'S': c->strict = 1; break;
		case 'v': log_more_verbose(); break;
		default: usage();
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
		log_fatal(WN_EXIT_USAGE, "WN_PRIORITY_SYSTEMS: not a list of ids");
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
		if (parse_time(o->now, strlen(o->now), &c->now) < 0)
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
	else if (c->use_map && mapstate_default_path(c->mapsrc.path, sizeof c->mapsrc.path) < 0)
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
}

static int
run(struct ctx *c, struct inputs *in, size_t max_line)
{
	struct input_line l;
	int r;

	status_set_str("state", "running");
	while (!stop) {
		check_files(c, wn_mono());
		if ((r = inputs_next(in, &l, 0)) == LINE_NONE) {
			fflush(stdout);   /* batched under load, prompt when idle */
			push_counters(c);
			status_flush(0);
			r = inputs_next(in, &l, 1000);
		}
		if (r < 0)
			break;
		if (r != LINE_NONE)
			one_line(c, r, &l, max_line);
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		log_fatal(WN_EXIT_TEMP, "cannot write to stdout: %s", strerror(errno));
	return WN_EXIT_OK;
}

int
main(int argc, char **argv)
{
	static char *stdin_only[] = { "-", NULL };
	static struct ctx c;
	struct opts o;
	struct inputs *in;
	char **paths;
	int n, rc;

	log_init("wn-filter");
	c.start = wn_mono();   /* the startup window counts from here */
	if (argc > 1 && wn_is_version_flag(argv[1]))
		return wn_print_version("wn-filter"), WN_EXIT_OK;
	filter_init(&c.f);
	mapstate_init(&c.map);
	kmfacts_init(&c.k);
	parse_opts(&c, &o, argc, argv);
	config_load_default();
	if (state_path(c.priosrc.path, sizeof c.priosrc.path, "priority_systems") < 0)
		return WN_EXIT_USAGE;
	if (o.prio_op)
		return priority_edit(&c, o.prio_op, o.prio_arg);
	paths = optind < argc ? argv + optind : stdin_only;
	n = optind < argc ? argc - optind : 1;
	signals();
	configure(&c, &o, o.mode ? o.mode == 'r' : all_regular(paths, n));
	status_init("wn-filter");
	open_sources(&c, &o);
	if (!(in = inputs_open(paths, n, o.max_line)))
		return WN_EXIT_USAGE;
	rc = run(&c, in, o.max_line);
	push_counters(&c);
	status_set_str("state", "stopped");
	status_flush(1);
	inputs_close(in);
	filter_free(&c.f);
	mapstate_free(&c.map);
	kmfacts_free(&c.k);
	idset_free(&c.flag_systems);
	idset_free(&c.flag_characters);
	idset_free(&c.flag_priority);
	idset_free(&c.systems);
	idset_free(&c.characters);
	buf_free(&c.out);
	return rc;
}
