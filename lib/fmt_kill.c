/* fmt_kill.c — the kill message (system and character kills): title,
 * colour by role or value, Kill/Loss author, the one-paragraph story of
 * who lost what to whom, value and time, zKillboard links. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fmt_embed.h"
#include "fmt_parts.h"
#include "json.h"

#define ZKB  "https://zkillboard.com"
#define IMG  "https://images.evetech.net"

enum {
	COLOR_LOSS = 0xE74C3C, COLOR_KILL = 0x2ECC71, COLOR_5B = 0xFF0000,
	COLOR_1B = 0xFF6600, COLOR_100M = 0xFFFF00, COLOR_10M = 0x00FF00,
	COLOR_LOW = 0x808080,
};

/* A victim or attacker, with the defaults for missing data. */
struct pilot {
	const char *name, *ticker, *ship;
	int64_t char_id, corp_id;
};

static struct pilot
pilot_of(const cJSON *p, const char *noname)
{
	struct pilot o;
	const char *ship = fx_str(p, "ship_type_name", "ship_name");

	o.name = fx_str(p, "character_name", NULL);
	o.name = o.name ? o.name : noname;
	o.ticker = fx_str(p, "corporation_ticker", NULL);
	o.ship = ship ? ship : "Unknown Ship";
	o.char_id = fx_id(p, "character_id", NULL);
	o.corp_id = fx_id(p, "corporation_id", NULL);
	return o;
}

/* **[Name](character)**(**[TICK](corporation)**) */
static void
sb_pilot(struct buf *b, const struct pilot *p)
{
	sb_add(b, p->char_id ? "**[" : "**");
	sb_capitalized(b, p->name);
	if (p->char_id)
		sb_addf(b, "](" ZKB "/character/%lld/)", (long long)p->char_id);
	sb_add(b, "**");
	if (p->corp_id) {
		sb_add(b, "(**[");
		sb_add_md(b, p->ticker ? p->ticker : "????");
		sb_addf(b, "](" ZKB "/corporation/%lld/)**)", (long long)p->corp_id);
	} else if (p->ticker) {
		sb_add(b, "(**");
		sb_add_md(b, p->ticker);
		sb_add(b, "**)");
	}
}

/* A player "… flying in a **Ship**"; an NPC only "a **Ship**". */
static void
sb_attacker(struct buf *b, const cJSON *a)
{
	struct pilot p = pilot_of(a, "Unknown");

	if (p.char_id) {
		sb_pilot(b, &p);
		sb_add(b, " flying in ");
	}
	sb_add(b, "a **");
	sb_add_md(b, p.ship);
	sb_add(b, "**");
}

static const cJSON *
top_damage(const cJSON *attackers)
{
	const cJSON *a, *top = NULL;
	double best = -1;

	cJSON_ArrayForEach(a, attackers) {
		double d = json_num(a, "damage_done", 0);
		if (cJSON_IsObject(a) && d > best) {
			best = d;
			top = a;
		}
	}
	return top;
}

static const cJSON *
final_blow(const cJSON *attackers)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, attackers)
		if (cJSON_IsObject(a) && json_bool(a, "final_blow", 0))
			return a;
	return top_damage(attackers);
}

static int
same_pilot(const cJSON *a, const cJSON *b)
{
	int64_t id = fx_id(a, "character_id", NULL);

	return a == b || (id && id == fx_id(b, "character_id", NULL));
}

static void
sb_attackers(struct buf *b, const cJSON *attackers)
{
	const cJSON *fb = final_blow(attackers), *top = top_damage(attackers);
	int n = cJSON_GetArraySize(attackers);

	if (!fb) {
		sb_add(b, "unknown attackers.");
		return;
	}
	sb_attacker(b, fb);
	if (n == 1) {
		sb_add(b, " solo.");
		return;
	}
	if (top && !same_pilot(top, fb)) {
		sb_add(b, ", Top Damage was done by ");
		sb_attacker(b, top);
	}
	sb_addf(b, ", and %d other%s.", n - 1, n == 2 ? "" : "s");
}

/* The attackers array, or NULL when the record has none. */
static const cJSON *
attackers_of(const cJSON *rec)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(rec, "attackers");

	return cJSON_IsArray(a) ? a : NULL;
}

static double
zkb_value(const cJSON *rec, const char *camel, const char *snake, double def)
{
	const cJSON *zkb = cJSON_GetObjectItemCaseSensitive(rec, "zkb");
	double v = json_num(zkb, camel, -1);

	return v >= 0 ? v : json_num(zkb, snake, def);
}

static const char *
kill_time(const cJSON *rec)
{
	return fx_str(rec, "killmail_time", "kill_time");
}

/* "Value: 1.23B ISK • <t:unix:R>", no value part when zero/unknown. */
static void
sb_value_line(struct buf *b, const cJSON *rec)
{
	double total = zkb_value(rec, "totalValue", "total_value", 0);
	int64_t t;
	char isk[32];

	if (total > 0) {
		fmt_isk(total, isk, sizeof isk);
		sb_addf(b, "Value: %s ISK \xE2\x80\xA2 ", isk);
	}
	if (fmt_iso_unix(kill_time(rec), &t) == 0)
		sb_addf(b, "<t:%lld:R>", (long long)t);
	else
		sb_add(b, "Recently");
}

/* One notable item: "Name x2 (~612.34M ISK)"; abyssal modules without
 * a price, as Wanderer Notifier shows them.  0 when it has no name. */
static int
sb_notable_item(struct buf *b, const cJSON *it)
{
	const char *name = fx_str(it, "name", NULL);
	double qty = json_num(it, "quantity", 1), total = json_num(it, "total_value", -1);
	char isk[32];

	if (!name)
		return 0;
	sb_add_md(b, name);
	if (qty > 1 && qty < 1e15)
		sb_addf(b, " x%lld", (long long)qty);
	if (strncasecmp(name, "abyssal", 7) == 0)
		return 1;
	if (total < 0)
		total = json_num(it, "unit_price", 0) * (qty > 0 ? qty : 1);
	fmt_isk(total, isk, sizeof isk);
	sb_addf(b, " (~%s ISK)", isk);
	return 1;
}

/* "\n\n**Notable Items:**\n• …" from rec.notable_items (wn-enrich), as
 * many lines as fit in the description with room for reserve more
 * characters: the value line after it is never cut off. */
static void
sb_notable(struct buf *b, const cJSON *rec, size_t reserve)
{
	static const char head[] = "\n\n**Notable Items:**";
	const cJSON *it;
	size_t used = (b->p ? fmt_units(b->p) : 0) + reserve + fmt_units(head);
	int n = 0;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(rec, "notable_items")) {
		struct buf line = {0};
		size_t u;

		if (cJSON_IsObject(it) && sb_notable_item(&line, it) &&
		    used + (u = fmt_units(line.p) + 3) <= EMBED_DESC_MAX) {
			if (!n++)
				sb_add(b, head);
			sb_add(b, "\n\xE2\x80\xA2 ");   /* "• ": 3 characters with the newline */
			sb_add(b, line.p);
			used += u;
		}
		buf_free(&line);
	}
}

static char *
description(const cJSON *rec)
{
	const cJSON *victim = cJSON_GetObjectItemCaseSensitive(rec, "victim");
	struct pilot v = pilot_of(victim, "Unknown pilot");
	struct buf b = {0}, value = {0};
	char *s;

	sb_pilot(&b, &v);
	sb_add(&b, " lost their **");
	sb_add_md(&b, v.ship);
	sb_add(&b, "** to ");
	sb_attackers(&b, attackers_of(rec));
	sb_value_line(&value, rec);
	s = buf_take(&value);
	sb_notable(&b, rec, fmt_units(s) + 2);
	sb_add(&b, "\n\n");
	sb_add(&b, s);
	free(s);
	return buf_take(&b);
}

/* The map's own name for the system (notify.system_name, set by
 * wn-filter, kept by format.c only where Wanderer Notifier shows it),
 * else the EVE name, else the id. */
static void
sb_system(struct buf *b, const cJSON *rec, const cJSON *notify)
{
	const char *name = json_str(notify, "system_name");
	int64_t id = fx_id(rec, "solar_system_id", "system_id");

	if (!name || !*name)
		name = fx_str(rec, "solar_system_name", "system_name");
	if (name)
		sb_capitalized(b, name);
	else if (id)
		sb_addf(b, "System %lld", (long long)id);
	else
		sb_add(b, "Unknown System");
}

int
fmt_kill_color(const cJSON *rec, const char *role)
{
	static const struct { double at; int color; } by_value[] = {
		{5e9, COLOR_5B}, {1e9, COLOR_1B}, {1e8, COLOR_100M}, {1e7, COLOR_10M},
	};
	double v;

	if (role && !strcmp(role, "loss"))
		return COLOR_LOSS;
	if (role && !strcmp(role, "kill"))
		return COLOR_KILL;
	/* dropped value when the feed has it (even 0), else the total */
	v = zkb_value(rec, "droppedValue", "dropped_value", -1);
	if (v < 0)
		v = zkb_value(rec, "totalValue", "total_value", 0);
	for (size_t i = 0; i < sizeof by_value / sizeof *by_value; i++)
		if (v >= by_value[i].at)
			return by_value[i].color;
	return COLOR_LOW;
}

static void
add_author(cJSON *e, const cJSON *rec, int loss, const char *url)
{
	const cJSON *who = loss ? cJSON_GetObjectItemCaseSensitive(rec, "victim")
	    : final_blow(attackers_of(rec));
	int64_t corp = fx_id(who, "corporation_id", NULL);
	char icon[128] = "";

	if (corp)
		snprintf(icon, sizeof icon, IMG "/corporations/%lld/logo?size=64",
		         (long long)corp);
	embed_author(e, loss ? "Loss" : "Kill", icon, url);
}

static void
add_thumbnail(cJSON *e, const cJSON *rec)
{
	const cJSON *victim = cJSON_GetObjectItemCaseSensitive(rec, "victim");
	int64_t ship = fx_id(victim, "ship_type_id", NULL);
	int64_t pilot = fx_id(victim, "character_id", NULL);
	char url[128] = "";

	if (ship)
		snprintf(url, sizeof url, IMG "/types/%lld/render?size=1024",
		         (long long)ship);
	else if (pilot)
		snprintf(url, sizeof url, IMG "/characters/%lld/portrait?size=512",
		         (long long)pilot);
	embed_url(e, "thumbnail", url);
}

static void
kill_url(const cJSON *rec, char *url, size_t size)
{
	int64_t id = fx_id(rec, "killmail_id", NULL);

	if (id)
		snprintf(url, size, ZKB "/kill/%lld/", (long long)id);
	else
		url[0] = '\0';
}

cJSON *
fmt_kill_embed(const cJSON *rec, const cJSON *notify)
{
	const char *role = json_str(notify, "role");
	int loss = role && !strcmp(role, "loss");
	cJSON *e = cJSON_CreateObject();
	struct buf b = {0};
	char url[96], *s;

	kill_url(rec, url, sizeof url);
	sb_add(&b, "Ship destroyed in ");
	sb_system(&b, rec, notify);
	embed_str(e, "title", s = buf_take(&b));
	free(s);
	embed_str(e, "url", url);
	embed_str(e, "description", s = description(rec));
	free(s);
	cJSON_AddNumberToObject(e, "color", fmt_kill_color(rec, role));
	embed_timestamp(e, kill_time(rec));
	add_author(e, rec, loss, url);
	add_thumbnail(e, rec);
	cJSON_AddArrayToObject(e, "fields");
	if (fx_id(rec, "killmail_id", NULL))
		sb_addf(&b, "Killmail ID: %lld",
		        (long long)fx_id(rec, "killmail_id", NULL));
	embed_footer(e, s = buf_take(&b));
	free(s);
	return e;
}

/* "Loss: Victim lost a Ship in System (1.23B ISK)" */
static void
sb_text_headline(struct buf *b, const cJSON *rec, const cJSON *notify)
{
	const char *role = json_str(notify, "role");
	struct pilot v = pilot_of(cJSON_GetObjectItemCaseSensitive(rec, "victim"),
	                          "Unknown pilot");
	double total = zkb_value(rec, "totalValue", "total_value", 0);
	char isk[32];

	if (role && (!strcmp(role, "loss") || !strcmp(role, "kill")))
		sb_add(b, !strcmp(role, "loss") ? "Loss: " : "Kill: ");
	sb_capitalized(b, v.name);
	sb_add(b, " lost a ");
	sb_add_md(b, v.ship);
	sb_add(b, " in ");
	sb_system(b, rec, notify);
	if (total > 0) {
		fmt_isk(total, isk, sizeof isk);
		sb_addf(b, " (%s ISK)", isk);
	}
}

/* "Final blow: Name (TICK) in a Ship, and 4 others" */
static void
sb_text_attackers(struct buf *b, const cJSON *attackers)
{
	const cJSON *fb = final_blow(attackers);
	struct pilot p = pilot_of(fb, "Unknown");
	int n = cJSON_GetArraySize(attackers);

	sb_add(b, "Final blow: ");
	if (!fb) {
		sb_add(b, "unknown attackers");
		return;
	}
	if (p.char_id) {
		sb_capitalized(b, p.name);
		sb_add(b, " (");
		sb_add_md(b, p.ticker ? p.ticker : "????");
		sb_add(b, ") in ");
	}
	sb_add(b, "a ");
	sb_add_md(b, p.ship);
	if (n == 1)
		sb_add(b, " (solo)");
	else
		sb_addf(b, ", and %d other%s", n - 1, n == 2 ? "" : "s");
}

/* "Notable: Name (~1.20B ISK), Abyssal Thing x2", at most TEXT_NOTABLE_MAX
 * characters of items: a short message stays short. */
#define TEXT_NOTABLE_MAX 400
static void
sb_text_notable(struct buf *b, const cJSON *rec)
{
	const cJSON *it;
	size_t used = 0;
	int n = 0;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(rec, "notable_items")) {
		struct buf line = {0};
		size_t u;

		if (cJSON_IsObject(it) && sb_notable_item(&line, it) &&
		    used + (u = fmt_units(line.p) + 2) <= TEXT_NOTABLE_MAX) {
			sb_add(b, n++ ? ", " : "\nNotable: ");
			sb_add(b, line.p);
			used += u;
		}
		buf_free(&line);
	}
}

char *
fmt_kill_text(const cJSON *rec, const cJSON *notify)
{
	struct buf b = {0};
	const char *t = kill_time(rec);
	char url[96];

	sb_text_headline(&b, rec, notify);
	sb_add(&b, "\n");
	sb_text_attackers(&b, attackers_of(rec));
	sb_text_notable(&b, rec);
	kill_url(rec, url, sizeof url);
	if (*url || t)
		sb_addf(&b, "\n%s%s%s", url, *url && t ? " " : "", t ? t : "");
	return buf_take(&b);
}
