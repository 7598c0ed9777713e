/* filter.c — the determiner: Wanderer Notifier's rules for kills, systems,
 * characters and rally points (spec/notifier.md "Decisions"), where the
 * original left a flag without effect following its documented intent,
 * plus the filters users ask for (value, NPC, labels, corp/alliance
 * lists).  Order of the kill checks follows the original pipeline: dedup
 * first (every kill received is remembered), then flags, tracking,
 * wormhole-only, startup window, age, and the added filters. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "filter.h"
#include "state.h"
#include "fnv.h"

enum { TAG_KILL = 1, TAG_SYSTEM, TAG_SYSTEM_GONE, TAG_CHAR, TAG_CHAR_GONE, TAG_RALLY };

static const char *const drop_names[DROP_COUNT] = {
	"passed", "duplicate", "disabled", "untracked", "wormhole_only",
	"suppressed", "too_old", "npc", "low_value", "label", "corporation",
	"alliance", "excluded", "priority_only", "action", "invalid",
};

const char *
filter_drop_name(enum drop d)
{
	return d < DROP_COUNT ? drop_names[d] : "?";
}

const char *
notify_kind_name(enum notify_kind k)
{
	return kind_name(k);
}

/* --- dedup --- */

static uint64_t
key_of(int tag, int64_t id)
{
	return seen_mix((uint64_t)id * 8 + (uint64_t)tag);
}

static uint64_t
key_of_str(int tag, const char *s)
{
	return key_of(tag, (int64_t)fnv_hash64(s));
}

/* --- configuration --- */

static void
strlist_clear(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

int
strlist_parse(struct strlist *l, const char *csv)
{
	strlist_clear(l);
	while (csv && *csv) {
		size_t n = strcspn(csv, ",");
		const char *b = csv, *e = csv + n;
		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > b) {
			if (l->n == FILTER_MAX_STRS)
				return -1;
			if (!(l->v[l->n] = strndup(b, (size_t)(e - b))))
				return -1;
			l->n++;
		}
		csv += n + (csv[n] == ',');
	}
	return 0;
}

static int
strlist_has(const struct strlist *l, const char *s, size_t len)
{
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->v[i]) == len && memcmp(l->v[i], s, len) == 0)
			return 1;
	return 0;
}

static int
rally_mention(struct filter_config *c, char *err, size_t errlen)
{
	struct idset roles;
	const char *name = config_str("DISCORD_RALLY_GROUP_IDS", NULL) ?
	                   "DISCORD_RALLY_GROUP_IDS" : "DISCORD_RALLY_GROUP_ID";
	size_t off = 0;

	idset_init(&roles);
	c->rally_mention[0] = '\0';
	if (config_idlist(name, &roles) < 0) {
		idset_free(&roles);
		snprintf(err, errlen, "%s=%.60s is not a list of role ids (numbers separated by "
		         "commas)", name, config_str(name, ""));
		return -1;
	}
	for (size_t i = 0; i < roles.n && off < sizeof c->rally_mention; i++)
		off += (size_t)snprintf(c->rally_mention + off, sizeof c->rally_mention - off,
		                        "%s<@&%lld>", i ? " " : "", (long long)roles.v[i]);
	idset_free(&roles);
	if (off >= sizeof c->rally_mention) {
		snprintf(err, errlen, "%s: too many roles", name);
		return -1;
	}
	return 0;
}

int
filter_config_env(struct filter_config *c, char *err, size_t errlen)
{
	static const struct { const char *name; size_t off; } lists[] = {
		{ "CORPORATION_KILL_FOCUS", offsetof(struct filter_config, corp_focus) },
		{ "CHARACTER_EXCLUDE_LIST", offsetof(struct filter_config, char_exclude) },
		{ "SYSTEM_EXCLUDE_LIST", offsetof(struct filter_config, system_exclude) },
		{ "WN_INCLUDE_CORPORATIONS", offsetof(struct filter_config, incl_corps) },
		{ "WN_EXCLUDE_CORPORATIONS", offsetof(struct filter_config, excl_corps) },
		{ "WN_INCLUDE_ALLIANCES", offsetof(struct filter_config, incl_alliances) },
		{ "WN_EXCLUDE_ALLIANCES", offsetof(struct filter_config, excl_alliances) },
	};
	int prio_only_old = config_bool("PRIORITY_SYSTEMS_ONLY", 0);

	c->notifications = config_bool("NOTIFICATIONS_ENABLED", 1);
	c->kills = config_bool("KILL_NOTIFICATIONS_ENABLED", 1);
	c->systems = config_bool("SYSTEM_NOTIFICATIONS_ENABLED", 1);
	c->characters = config_bool("CHARACTER_NOTIFICATIONS_ENABLED", 1);
	c->rally = config_bool("RALLY_NOTIFICATIONS_ENABLED", 1);
	c->track_kspace = config_bool("TRACK_KSPACE_ENABLED", 1);
	c->wormhole_only = config_bool("WORMHOLE_ONLY_KILL_NOTIFICATIONS_ENABLED", 0);
	/* PRIORITY_SYSTEMS_ONLY is the README's older name */
	c->priority_only = config_bool("PRIORITY_SYSTEMS_ONLY_ENABLED", prio_only_old);
	c->notify_removed = config_bool("WN_NOTIFY_REMOVED_ENABLED", 0);
	c->exclude_npc = config_bool("WN_EXCLUDE_NPC_KILLS", 0);
	c->min_value = (double)config_int("WN_MIN_KILL_VALUE", 0);
	c->max_age = config_int("MAX_KILLMAIL_AGE_SECONDS", 3600);
	c->suppress = config_int("STARTUP_SUPPRESSION_SECONDS", 30);
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
		struct idset *s = (struct idset *)(void *)((char *)c + lists[i].off);
		if (config_idlist(lists[i].name, s) < 0) {
			snprintf(err, errlen, "%s=%.60s is not a list of ids (numbers separated by commas)",
			         lists[i].name, config_str(lists[i].name, ""));
			return -1;
		}
		idset_finish(s);
	}
	if (strlist_parse(&c->incl_labels, config_str("WN_INCLUDE_LABELS", NULL)) < 0 ||
	    strlist_parse(&c->excl_labels, config_str("WN_EXCLUDE_LABELS", NULL)) < 0) {
		snprintf(err, errlen, "WN_INCLUDE_LABELS/WN_EXCLUDE_LABELS: more than %d labels",
		         FILTER_MAX_STRS);
		return -1;
	}
	return rally_mention(c, err, errlen);
}

void
filter_init(struct filter *f)
{
	struct filter_config *c = &f->c;

	memset(f, 0, sizeof *f);
	c->notifications = c->kills = c->systems = c->characters = c->rally = 1;
	c->track_kspace = 1;
	c->max_age = 3600;
	c->suppress = 30;
	idset_init(&f->priority);
}

void
filter_free(struct filter *f)
{
	struct filter_config *c = &f->c;
	struct idset *sets[] = { &c->corp_focus, &c->char_exclude, &c->system_exclude,
	                         &c->incl_corps, &c->excl_corps, &c->incl_alliances,
	                         &c->excl_alliances, &f->priority };

	for (size_t i = 0; i < sizeof sets / sizeof *sets; i++)
		idset_free(sets[i]);
	strlist_clear(&c->incl_labels);
	strlist_clear(&c->excl_labels);
	seen_free(&f->seen);
}

int
filter_wants_attackers(const struct filter *f)
{
	const struct filter_config *c = &f->c;
	return (f->characters && f->characters->n) || c->corp_focus.n ||
	       c->incl_corps.n || c->excl_corps.n || c->incl_alliances.n ||
	       c->excl_alliances.n;
}

int
filter_wants_labels(const struct filter *f)
{
	return f->c.incl_labels.n || f->c.excl_labels.n;
}

/* --- kills --- */

static int
has(const struct idset *s, int64_t id)
{
	return id && s && s->n && idset_has(s, id);
}

static int
char_tracked(const struct filter *f, int64_t id)
{
	return has(f->characters, id) && !has(&f->c.char_exclude, id);
}

static void
add_tracked(struct notify *out, int64_t id)
{
	for (size_t i = 0; i < out->n_tracked; i++)
		if (out->tracked[i] == id)
			return;
	if (out->n_tracked < FILTER_MAX_TRACKED)
		out->tracked[out->n_tracked++] = id;
}

/* Victim or any attacker with corporation (corp != 0) or alliance in s. */
static int
involves(const struct killmail_facts *k, const struct idset *s, int alliance)
{
	if (!s->n)
		return 0;
	if (has(s, alliance ? k->victim.alliance_id : k->victim.corporation_id))
		return 1;
	for (size_t i = 0; i < k->n_attackers; i++)
		if (has(s, alliance ? k->attackers[i].alliance_id : k->attackers[i].corporation_id))
			return 1;
	return 0;
}

static enum drop
kill_filters(const struct filter_config *c, const struct killmail_facts *k)
{
	int any = 0;

	if (c->exclude_npc && k->npc == 1)
		return DROP_NPC;
	if (c->min_value > 0 && k->has_value && k->total_value < c->min_value)
		return DROP_VALUE;
	for (size_t i = 0; i < k->n_labels; i++) {
		if (strlist_has(&c->excl_labels, k->labels[i].s, k->labels[i].len))
			return DROP_LABEL;
		any |= strlist_has(&c->incl_labels, k->labels[i].s, k->labels[i].len);
	}
	if (c->incl_labels.n && !any)
		return DROP_LABEL;
	if (involves(k, &c->excl_corps, 0))
		return DROP_CORPORATION;
	if (involves(k, &c->excl_alliances, 1))
		return DROP_ALLIANCE;
	if ((c->incl_corps.n || c->incl_alliances.n) &&
	    !involves(k, &c->incl_corps, 0) && !involves(k, &c->incl_alliances, 1))
		return c->incl_corps.n ? DROP_CORPORATION : DROP_ALLIANCE;
	return DROP_NONE;
}

/* Tracked characters involved, victim first; the role they give. */
static enum notify_role
collect_tracked(const struct filter *f, const struct killmail_facts *k, struct notify *out)
{
	enum notify_role role = ROLE_NONE;

	if (char_tracked(f, k->victim.character_id)) {
		add_tracked(out, k->victim.character_id);
		role = ROLE_LOSS;
	}
	for (size_t i = 0; i < k->n_attackers; i++) {
		if (char_tracked(f, k->attackers[i].character_id)) {
			add_tracked(out, k->attackers[i].character_id);
			if (role == ROLE_NONE)
				role = ROLE_KILL;
		}
	}
	return role;
}

/* The CORPORATION_KILL_FOCUS corp involved (victim's first), or 0. */
static int64_t
focus_corp(const struct filter_config *c, const struct killmail_facts *k, enum notify_role *role)
{
	if (has(&c->corp_focus, k->victim.corporation_id)) {
		*role = ROLE_LOSS;
		return k->victim.corporation_id;
	}
	for (size_t i = 0; i < k->n_attackers; i++) {
		if (has(&c->corp_focus, k->attackers[i].corporation_id)) {
			*role = ROLE_KILL;
			return k->attackers[i].corporation_id;
		}
	}
	return 0;
}

static void
kill_route(const struct filter *f, const struct killmail_facts *k, int sys_tracked,
           enum notify_role role, struct notify *out)
{
	enum notify_role frole = ROLE_NONE;
	int64_t focus = focus_corp(&f->c, k, &frole);
	long long sys = (long long)k->solar_system_id;
	long long who = out->n_tracked ? (long long)out->tracked[0] : 0;
	const char *did = role == ROLE_LOSS ? "lost a ship" : "got a kill";

	out->kind = focus || out->n_tracked ? N_CHARACTER_KILL : N_SYSTEM_KILL;
	out->role = role != ROLE_NONE ? role : frole;
	if (focus)
		snprintf(out->reason, sizeof out->reason,
		         "corporation %lld is in CORPORATION_KILL_FOCUS", (long long)focus);
	else if (out->n_tracked && sys_tracked)
		snprintf(out->reason, sizeof out->reason,
		         "tracked character %lld %s in tracked system %lld", who, did, sys);
	else if (out->n_tracked)
		snprintf(out->reason, sizeof out->reason, "tracked character %lld %s", who, did);
	else
		snprintf(out->reason, sizeof out->reason, "kill in tracked system %lld", sys);
}

static void
notify_reset(struct notify *out)
{
	memset(out, 0, sizeof *out);
}

enum drop
filter_kill(struct filter *f, const struct killmail_facts *k, time_t now, double uptime,
            struct notify *out)
{
	const struct filter_config *c = &f->c;
	int64_t sys = k->solar_system_id;
	enum notify_role role;
	enum drop d;
	int sys_tracked;

	notify_reset(out);
	if (!k->killmail_id || !sys)
		return DROP_INVALID;
	if (seen_check_set(&f->seen, key_of(TAG_KILL, k->killmail_id)))
		return DROP_DUPLICATE;
	if (!c->notifications || !c->kills)
		return DROP_DISABLED;
	sys_tracked = has(f->systems, sys) && !has(&c->system_exclude, sys) &&
	              (c->track_kspace || IS_WORMHOLE(sys));
	role = collect_tracked(f, k, out);
	if (!sys_tracked && !out->n_tracked)
		return DROP_UNTRACKED;
	if (c->wormhole_only && !IS_WORMHOLE(sys))
		return DROP_WORMHOLE_ONLY;
	if (uptime < (double)c->suppress)
		return DROP_SUPPRESSED;
	if (c->max_age > 0 && k->has_time && (long long)(now - k->kill_time) > c->max_age)
		return DROP_AGE;
	if ((d = kill_filters(c, k)) != DROP_NONE)
		return d;
	kill_route(f, k, sys_tracked, role, out);
	out->priority = has(&f->priority, sys);
	return DROP_NONE;
}

/* --- map events --- */

/* added → go on; removed → forget the added key, go on only when
 * removals are notified; anything else is not a notification. */
static enum drop
map_action(struct filter *f, const char *action, int tag, int64_t id, int *removed)
{
	*removed = action && strcmp(action, "removed") == 0;
	if (*removed) {
		seen_forget(&f->seen, key_of(tag, id));
		return f->c.notify_removed ? DROP_NONE : DROP_ACTION;
	}
	if (!action || strcmp(action, "added") != 0)
		return DROP_ACTION;
	seen_forget(&f->seen, key_of(tag + 1, id));
	return DROP_NONE;
}

enum drop
filter_system(struct filter *f, const char *action, int64_t id, double uptime,
              struct notify *out)
{
	const struct filter_config *c = &f->c;
	int removed, prio;
	enum drop d;

	notify_reset(out);
	if (!id)
		return DROP_INVALID;
	if ((d = map_action(f, action, TAG_SYSTEM, id, &removed)) != DROP_NONE)
		return d;
	prio = has(&f->priority, id);
	if (!c->notifications || (!c->systems && !prio))
		return DROP_DISABLED;
	if (c->priority_only && !prio)
		return DROP_PRIORITY_ONLY;
	if ((!c->track_kspace && !IS_WORMHOLE(id)) || has(&c->system_exclude, id))
		return DROP_EXCLUDED;
	if (uptime < (double)c->suppress)
		return DROP_SUPPRESSED;
	if (seen_check_set(&f->seen, key_of(removed ? TAG_SYSTEM_GONE : TAG_SYSTEM, id)))
		return DROP_DUPLICATE;
	out->kind = N_SYSTEM;
	out->priority = prio;
	out->mention = prio ? "@here" : NULL;
	snprintf(out->reason, sizeof out->reason, "%ssystem %lld %s the map",
	         prio ? "priority " : "", (long long)id, removed ? "removed from" : "added to");
	return DROP_NONE;
}

enum drop
filter_character(struct filter *f, const char *action, int64_t id, double uptime,
                 struct notify *out)
{
	const struct filter_config *c = &f->c;
	int removed;
	enum drop d;

	notify_reset(out);
	if (!id)
		return DROP_INVALID;
	if ((d = map_action(f, action, TAG_CHAR, id, &removed)) != DROP_NONE)
		return d;
	if (!c->notifications || !c->characters)
		return DROP_DISABLED;
	if (has(&c->char_exclude, id))
		return DROP_EXCLUDED;
	if (uptime < (double)c->suppress)
		return DROP_SUPPRESSED;
	if (seen_check_set(&f->seen, key_of(removed ? TAG_CHAR_GONE : TAG_CHAR, id)))
		return DROP_DUPLICATE;
	out->kind = N_CHARACTER;
	add_tracked(out, id);
	snprintf(out->reason, sizeof out->reason, "character %lld %s tracking",
	         (long long)id, removed ? "removed from" : "added to");
	return DROP_NONE;
}

enum drop
filter_rally(struct filter *f, const char *action, const char *sid,
             const char *system_name, double uptime, struct notify *out)
{
	const struct filter_config *c = &f->c;

	notify_reset(out);
	if (!action || strcmp(action, "added") != 0)
		return DROP_ACTION;
	if (!system_name || !*system_name)	/* the original requires it too */
		return DROP_INVALID;
	if (!c->notifications || !c->rally)
		return DROP_DISABLED;
	if (uptime < (double)c->suppress)
		return DROP_SUPPRESSED;
	if (sid && *sid && seen_check_set(&f->seen, key_of_str(TAG_RALLY, sid)))
		return DROP_DUPLICATE;
	out->kind = N_RALLY;
	out->mention = c->rally_mention[0] ? c->rally_mention : NULL;
	snprintf(out->reason, sizeof out->reason, "rally point created in %s", system_name);
	return DROP_NONE;
}

/* --- output --- */

/* JSON string (quoted) into buf at *off; keeps *off <= size. */
static void
put_str(char *buf, size_t size, size_t *off, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	if (!s) {
		*off += (size_t)snprintf(buf + *off, size - *off, "null");
		return;
	}
	if (*off < size)
		buf[(*off)++] = '"';
	for (; *s && *off + 7 < size; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\') {
			buf[(*off)++] = '\\';
			buf[(*off)++] = (char)ch;
		} else if (ch < 0x20) {
			*off += (size_t)snprintf(buf + *off, size - *off, "\\u00%c%c",
			                         hex[ch >> 4], hex[ch & 15]);
		} else {
			buf[(*off)++] = (char)ch;
		}
	}
	*off += (size_t)snprintf(buf + *off, *off < size ? size - *off : 0, "\"");
}

int
notify_json(const struct notify *n, char *buf, size_t size)
{
	static const char *const roles[] = { NULL, "loss", "kill" };
	size_t off = 0;

	off += (size_t)snprintf(buf, size, "{\"kind\":\"%s\",\"role\":", notify_kind_name(n->kind));
	if (off < size)
		put_str(buf, size, &off, roles[n->role]);
	if (off < size)
		off += (size_t)snprintf(buf + off, size - off, ",\"priority\":%s,\"mention\":",
		                        n->priority ? "true" : "false");
	if (off < size)
		put_str(buf, size, &off, n->mention);
	if (off < size)
		off += (size_t)snprintf(buf + off, size - off, ",\"reason\":");
	if (off < size)
		put_str(buf, size, &off, n->reason);
	if (*n->system_name && off < size) {
		off += (size_t)snprintf(buf + off, size - off, ",\"system_name\":");
		if (off < size)
			put_str(buf, size, &off, n->system_name);
	}
	if (off < size)
		off += (size_t)snprintf(buf + off, size - off, ",\"tracked_characters\":[");
	for (size_t i = 0; i < n->n_tracked && off < size; i++)
		off += (size_t)snprintf(buf + off, size - off, "%s%lld", i ? "," : "",
		                        (long long)n->tracked[i]);
	if (off < size)
		off += (size_t)snprintf(buf + off, size - off, "]}");
	return off < size ? (int)off : -1;
}

/* --- priority systems file --- */

int
priority_load(struct idset *s, const char *path, char *err, size_t errlen)
{
	size_t len, lineno = 0;
	char *buf = state_read_file(path, 1u << 20, &len), *line, *save = NULL;

	idset_clear(s);
	if (!buf) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "unable to read %s: %s", path, strerror(errno));
		return -1;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *e;
		lineno++;
		line += strspn(line, " \t\r");
		if (*line == '#' || *line == '\0')
			continue;
		long long v = strtoll(line, &e, 10);
		if (e == line || v <= 0 || e[strspn(e, " \t\r")] != '\0') {
			snprintf(err, errlen, "%s:%zu: not a system id", path, lineno);
			free(buf);
			idset_finish(s);
			return -1;
		}
		idset_add(s, v);
	}
	free(buf);
	idset_finish(s);
	return 0;
}

int
priority_save(const struct idset *s, const char *path)
{
	size_t size = 64 + s->n * 21, off = 0;
	char *buf = malloc(size);
	int r;

	if (!buf)
		return -1;
	off += (size_t)snprintf(buf, size, "# priority systems (wn-filter --add-priority)\n");
	for (size_t i = 0; i < s->n; i++)
		off += (size_t)snprintf(buf + off, size - off, "%lld\n", (long long)s->v[i]);
	r = state_atomic_write(path, buf, off);
	free(buf);
	return r;
}
