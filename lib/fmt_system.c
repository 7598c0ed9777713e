/* fmt_system.c — system added / removed / updated: wormhole class,
 * statics, effect and region for wormholes, security band for known
 * space, Dotlan links, and the recent kills wn-enrich put on the record. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fmt_embed.h"
#include "fmt_parts.h"
#include "json.h"

#define DOTLAN "https://evemaps.dotlan.net"
#define ZKB    "https://zkillboard.com"
#define RECENT_MAX 3
#define ICON   "https://images.evetech.net/types/%d/icon?size=64"

enum band { BAND_WH, BAND_HIGH, BAND_LOW, BAND_NULL, BAND_UNKNOWN };

static const struct {
	const char *label;
	int color, icon;
} bands[] = {
	[BAND_WH] = {"Wormhole", 0x9D4EDD, 45041},
	[BAND_HIGH] = {"High-sec", 0x00FF00, 45038},
	[BAND_LOW] = {"Low-sec", 0xFFFF00, 45039},
	[BAND_NULL] = {"Null-sec", 0xFF0000, 45040},
	[BAND_UNKNOWN] = {"Unknown", 0x3498DB, 45041},
};

struct sys {
	const char *name, *eve, *class_title, *type, *region, *effect, *action;
	int64_t id;
	int shattered, has_sec;
	double sec;
	enum band band;
	char statics[256];
};

static int
is_j_name(const char *s)
{
	if (!s || (*s != 'J' && *s != 'j') || !s[1])
		return 0;
	return s[1 + strspn(s + 1, "0123456789")] == '\0';
}

static int
is_wormhole(const struct sys *s, const cJSON *rec)
{
	int64_t cls = json_id(rec, "system_class");
	const char *ct = s->class_title;

	if (ct && strlen(ct) == 2 && (ct[0] == 'C' || ct[0] == 'c') &&
	    ct[1] >= '1' && ct[1] <= '6')
		return 1;
	return (cls >= 1 && cls <= 6) || (s->has_sec && s->sec <= -0.99) ||
	       is_j_name(s->eve);
}

/* Known space: by the map's type description, else by security
 * (null-sec includes negative true security). */
static enum band
kspace_band(const struct sys *s)
{
	for (int b = BAND_HIGH; b <= BAND_NULL; b++)
		if (s->type && !strcasecmp(s->type, bands[b].label))
			return (enum band)b;
	if (!s->has_sec)
		return BAND_UNKNOWN;
	if (s->sec >= 0.5)
		return BAND_HIGH;
	return s->sec > 0 ? BAND_LOW : BAND_NULL;
}

static void
join_statics(const cJSON *statics, char *out, size_t size)
{
	const cJSON *st;
	size_t len = 0;

	out[0] = '\0';
	cJSON_ArrayForEach(st, statics) {
		const char *n = cJSON_IsString(st) ? st->valuestring
		                                   : fx_str(st, "name", NULL);
		if (!n || !*n)
			continue;
		int w = snprintf(out + len, size - len, "%s%s", len ? ", " : "", n);
		if (w < 0 || (size_t)w >= size - len) {
			out[len] = '\0';
			return;
		}
		len += (size_t)w;
	}
}

static void
sys_read(const cJSON *rec, struct sys *s)
{
	const char *sec = fx_str(rec, "security", NULL);
	double v = json_num(rec, "security", NAN);

	memset(s, 0, sizeof *s);
	s->id = fx_id(rec, "solar_system_id", NULL);
	s->eve = fx_str(rec, "name", "solar_system_name");
	s->name = s->eve ? s->eve : fx_str(rec, "custom_name", NULL);
	s->class_title = fx_str(rec, "class_title", NULL);
	s->type = fx_str(rec, "type_description", NULL);
	s->region = fx_str(rec, "region_name", NULL);
	s->effect = fx_str(rec, "effect_name", NULL);
	s->action = fx_str(rec, "action", NULL);
	s->shattered = json_bool(rec, "is_shattered", 0);
	s->has_sec = isfinite(v) && (sec || cJSON_IsNumber(
	    cJSON_GetObjectItemCaseSensitive(rec, "security")));
	s->sec = v;
	s->band = is_wormhole(s, rec) ? BAND_WH : kspace_band(s);
	join_statics(cJSON_GetObjectItemCaseSensitive(rec, "statics"),
	             s->statics, sizeof s->statics);
}

static int
is_action(const struct sys *s, const char *a)
{
	return s->action && !strcmp(s->action, a);
}

static void
sb_name(struct buf *b, const struct sys *s)
{
	if (s->name)
		sb_add_md(b, s->name);
	else
		sb_addf(b, "System %lld", (long long)s->id);
}

/* "wormhole system (C4)", "High-sec system", "system" */
static void
sb_what(struct buf *b, const struct sys *s)
{
	if (s->band == BAND_WH && s->class_title) {
		sb_add(b, "wormhole system (");
		sb_add_md(b, s->class_title);
		sb_add(b, ")");
	} else if (s->band == BAND_WH) {
		sb_add_md(b, s->type);
		sb_add(b, s->type ? " wormhole system" : "wormhole system");
	} else if (s->type || s->band != BAND_UNKNOWN) {
		if (s->type)
			sb_add_md(b, s->type);
		else
			sb_add(b, bands[s->band].label);
		sb_add(b, " system");
	} else
		sb_add(b, "system");
}

static char *
title(const struct sys *s)
{
	struct buf b = {0};

	sb_add(&b, is_action(s, "removed") ? "System Removed: "
	    : is_action(s, "updated") ? "System Update: " : "New System Tracked: ");
	sb_name(&b, s);
	return buf_take(&b);
}

static char *
description(const struct sys *s)
{
	struct buf b = {0};

	sb_add(&b, is_action(s, "removed") ? "A "
	    : is_action(s, "updated") ? "A tracked " : "A new ");
	sb_what(&b, s);
	sb_add(&b, is_action(s, "removed") ? " has been removed from tracking."
	    : is_action(s, "updated") ? " has been updated."
	    : " has been added to tracking.");
	return buf_take(&b);
}

/* "[Name](https://evemaps.dotlan.net/kind/Name_With_Underscores)" */
static char *
dotlan(const char *kind, const char *name)
{
	struct buf b = {0};

	sb_add(&b, "[");
	sb_add_md(&b, name);
	sb_addf(&b, "](" DOTLAN "/%s/", kind);
	sb_underscored(&b, name);
	sb_add(&b, ")");
	return buf_take(&b);
}

static void
field_take(cJSON *e, const char *name, char *value, int inl)
{
	embed_field(e, name, value, inl);
	free(value);
}

/* A field whose value is outside text, shown as plain text. */
static void
field_md(cJSON *e, const char *name, const char *value, int inl)
{
	if (value)
		field_take(e, name, fmt_md(value), inl);
}

/* Security as shown: one decimal, and no "-0.0". */
static double
shown_sec(const struct sys *s)
{
	return fabs(s->sec) < 0.05 ? 0.0 : s->sec;
}

static void
security_field(cJSON *e, const struct sys *s)
{
	char v[64];

	if (s->has_sec) {
		snprintf(v, sizeof v, "%.1f (%s)", shown_sec(s), bands[s->band].label);
		embed_field(e, "Security", v, 1);
	} else {
		field_md(e, "Type", s->type, 1);
	}
}

/* --- recent kills (notifier-detail.md 5.4) --- */

/* Ages count from the record's own time when it has one, so replaying a
 * saved file gives the same text; else from the clock. */
static int64_t
recent_now(const cJSON *rec)
{
	int64_t t;

	return fmt_iso_unix(fx_str(rec, "time", NULL), &t) == 0 ? t : (int64_t)time(NULL);
}

/* "just now", "5m ago", "3h ago", "2d ago"; "" when the time is unknown */
static void
age(const cJSON *kill, int64_t now, char *buf, size_t size)
{
	int64_t t, d;

	buf[0] = '\0';
	if (fmt_iso_unix(fx_str(kill, "kill_time", NULL), &t) != 0)
		return;
	d = now - t;
	if (d < 60)
		snprintf(buf, size, "just now");
	else if (d < 3600)
		snprintf(buf, size, "%lldm ago", (long long)(d / 60));
	else if (d < 86400)
		snprintf(buf, size, "%lldh ago", (long long)(d / 3600));
	else
		snprintf(buf, size, "%lldd ago", (long long)(d / 86400));
}

/* s cut to max characters: no one name may crowd the others out */
static void
sb_cut(struct buf *b, const char *s, size_t max)
{
	char *c = strndup(s, fmt_prefix(s, max));

	sb_add_md(b, c ? c : "");
	free(c);
}

/* [Victim](kill) ([TICK](corp)) - Ship - 1.2B ISK (3h ago) */
static void
detail_line(struct buf *b, const cJSON *k, const char *isk, const char *ago)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(k, "victim");
	const char *name = fx_str(v, "character_name", NULL);
	const char *tick = fx_str(v, "corporation_ticker", NULL);
	const char *ship = fx_str(v, "ship_type_name", NULL);
	int64_t corp = fx_id(v, "corporation_id", NULL);

	sb_add(b, "[");
	sb_cut(b, name ? name : "Unknown", 64);
	sb_addf(b, "](" ZKB "/kill/%lld/) (", (long long)fx_id(k, "killmail_id", NULL));
	if (corp > 0)
		sb_add(b, "[");
	sb_cut(b, tick ? tick : "UNKN", 16);
	if (corp > 0)
		sb_addf(b, "](" ZKB "/corporation/%lld/)", (long long)corp);
	sb_add(b, ") - ");
	sb_cut(b, ship ? ship : "Unknown Ship", 64);
	sb_addf(b, " - %s ISK", isk);
	if (*ago)
		sb_addf(b, " (%s)", ago);
}

/* [9.5K ISK NPC Kill](kill) in 40000003 (1 pts) (2d ago) */
static void
bare_line(struct buf *b, const cJSON *k, const char *isk, const char *ago)
{
	const cJSON *z = cJSON_GetObjectItemCaseSensitive(k, "zkb");
	int64_t loc = fx_id(z, "locationID", NULL);
	const char *what = json_bool(z, "npc", 0) ? "NPC Kill"
	    : json_bool(z, "solo", 0) ? "Solo Kill"
	    : json_bool(z, "awox", 0) ? "Awox Kill" : "Kill";

	sb_addf(b, "[%s ISK %s](" ZKB "/kill/%lld/)", isk, what,
	        (long long)fx_id(k, "killmail_id", NULL));
	if (loc > 0)
		sb_addf(b, " in %lld", (long long)loc);
	sb_addf(b, " (%.0f pts)", json_num(z, "points", 0));
	if (*ago)
		sb_addf(b, " (%s)", ago);
}

/* Up to three lines, newest first as wn-enrich put them, joined by
 * newlines; a line that would take the value past Discord's field limit
 * is left out.  NULL when there is nothing to show. */
static char *
recent_kills(const cJSON *rec)
{
	const cJSON *k;
	struct buf b = {0}, line = {0};
	int64_t now = recent_now(rec);
	size_t units = 0;
	int n = 0;

	cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(rec, "recent_kills")) {
		char isk[32], ago[32], *l;
		if (n == RECENT_MAX || !cJSON_IsObject(k) || fx_id(k, "killmail_id", NULL) <= 0)
			continue;
		fmt_isk1(json_num(cJSON_GetObjectItemCaseSensitive(k, "zkb"), "totalValue", 0),
		     isk, sizeof isk);
		age(k, now, ago, sizeof ago);
		if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(k, "victim")))
			detail_line(&line, k, isk, ago);
		else
			bare_line(&line, k, isk, ago);
		l = buf_take(&line);
		if (units + (n ? 1 : 0) + fmt_units(l) <= EMBED_FVALUE_MAX) {
			sb_add(&b, n++ ? "\n" : "");
			sb_add(&b, l);
			units = fmt_units(b.p);
		}
		free(l);
	}
	if (!n)
		return NULL;
	return buf_take(&b);
}

static void
add_fields(cJSON *e, const struct sys *s, const cJSON *rec)
{
	int wh = s->band == BAND_WH;
	struct buf b = {0};
	char *rk;

	cJSON_AddArrayToObject(e, "fields");
	if (s->eve)
		field_take(e, "System", dotlan("system", s->eve), 1);
	else
		field_take(e, "System", (sb_name(&b, s), buf_take(&b)), 1);
	if (wh)
		field_md(e, "Class", s->class_title, 1);
	else
		security_field(e, s);
	if (wh && s->shattered)
		embed_field(e, "Shattered", "Yes", 1);
	if (wh)
		field_md(e, "Static Wormholes", s->statics, 1);
	if (s->region)
		field_take(e, "Region", dotlan("region", s->region), 1);
	if (wh)
		field_md(e, "Effect", s->effect, 1);
	if ((rk = recent_kills(rec)))
		field_take(e, "Recent Kills", rk, 0);
}

cJSON *
fmt_system_embed(const cJSON *rec, const cJSON *notify)
{
	cJSON *e = cJSON_CreateObject();
	struct sys s;
	char *t, icon[96];

	(void)notify;
	sys_read(rec, &s);
	embed_str(e, "title", t = title(&s));
	free(t);
	embed_str(e, "description", t = description(&s));
	free(t);
	cJSON_AddNumberToObject(e, "color", bands[s.band].color);
	snprintf(icon, sizeof icon, ICON, bands[s.band].icon);
	embed_url(e, "thumbnail", icon);
	add_fields(e, &s, rec);
	if (s.id) {
		snprintf(icon, sizeof icon, "System ID: %lld", (long long)s.id);
		embed_footer(e, icon);
	}
	return e;
}

/* "C4 wormhole • Statics: C247, P060 • Region: X • Effect: Pulsar" */
static void
sb_facts(struct buf *b, const struct sys *s)
{
	if (s->band == BAND_WH) {
		sb_add_md(b, s->class_title);
		sb_add(b, s->class_title ? " wormhole" : "wormhole");
	} else if (s->has_sec)
		sb_addf(b, "%s %.1f", bands[s->band].label, shown_sec(s));
	else if (s->type)
		sb_add_md(b, s->type);
	else
		sb_add(b, bands[s->band].label);
	if (s->band == BAND_WH && s->shattered)
		sb_add(b, ", shattered");
	if (s->band == BAND_WH && s->statics[0]) {
		sb_add(b, " \xE2\x80\xA2 Statics: ");
		sb_add_md(b, s->statics);
	}
	if (s->region) {
		sb_add(b, " \xE2\x80\xA2 Region: ");
		sb_add_md(b, s->region);
	}
	if (s->band == BAND_WH && s->effect) {
		sb_add(b, " \xE2\x80\xA2 Effect: ");
		sb_add_md(b, s->effect);
	}
}

char *
fmt_system_text(const cJSON *rec, const cJSON *notify)
{
	struct buf b = {0};
	struct sys s;
	char *t;

	(void)notify;
	sys_read(rec, &s);
	sb_add(&b, "System ");
	sb_name(&b, &s);
	sb_add(&b, is_action(&s, "removed") ? " is no longer tracked"
	    : is_action(&s, "updated") ? " was updated" : " is now being tracked");
	sb_add(&b, "\n");
	sb_facts(&b, &s);
	if (s.eve) {
		sb_add(&b, "\n" DOTLAN "/system/");
		sb_underscored(&b, s.eve);
	}
	if ((t = recent_kills(rec))) {
		sb_add(&b, "\nRecent kills:\n");
		sb_add(&b, t);
		free(t);
	}
	return buf_take(&b);
}
