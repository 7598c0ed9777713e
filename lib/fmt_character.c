/* fmt_character.c — character added / removed / updated: portrait,
 * zKillboard links for the pilot, corporation and alliance. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt_embed.h"
#include "fmt_parts.h"
#include "json.h"

#define ZKB "https://zkillboard.com"

struct who {
	const char *name, *action;
	int64_t id;
};

static struct who
who_of(const cJSON *rec)
{
	struct who w;

	w.name = fx_str(rec, "name", "character_name");
	w.name = w.name ? w.name : "Unknown pilot";
	w.action = fx_str(rec, "action", NULL);
	w.id = fx_id(rec, "character_id", "eve_id");
	return w;
}

static int
is_action(const struct who *w, const char *a)
{
	return w->action && !strcmp(w->action, a);
}

/* "[TICK](https://zkillboard.com/kind/ID/)"; nothing without an id. */
static void
org_field(cJSON *e, const cJSON *rec, const char *label, const char *kind,
          const char *noname)
{
	char key[32], *v;
	struct buf b = {0};
	int64_t id;
	const char *tick;

	snprintf(key, sizeof key, "%s_id", kind);
	if (!(id = fx_id(rec, key, NULL)))
		return;
	snprintf(key, sizeof key, "%s_ticker", kind);
	tick = fx_str(rec, key, NULL);
	sb_add(&b, "[");
	sb_add_md(&b, tick ? tick : noname);
	sb_addf(&b, "](" ZKB "/%s/%lld/)", kind, (long long)id);
	embed_field(e, label, v = buf_take(&b), 1);
	free(v);
}

static void
add_fields(cJSON *e, const cJSON *rec, const struct who *w)
{
	struct buf b = {0};
	char *v;

	cJSON_AddArrayToObject(e, "fields");
	if (w->id) {
		sb_add(&b, "[");
		sb_add_md(&b, w->name);
		sb_addf(&b, "](" ZKB "/character/%lld/)", (long long)w->id);
	} else {
		sb_add_md(&b, w->name);
	}
	embed_field(e, "Character", v = buf_take(&b), 1);
	free(v);
	org_field(e, rec, "Corporation", "corporation", "Unknown Corporation");
	org_field(e, rec, "Alliance", "alliance", "Unknown Alliance");
	embed_field(e, "Status", is_action(w, "removed")
	    ? "\xF0\x9F\x94\xB4 Untracked" : "\xF0\x9F\x9F\xA2 Tracked", 1);
}

static void
set_text(cJSON *e, const char *key, struct buf *b)
{
	char *s = buf_take(b);

	embed_str(e, key, s);
	free(s);
}

cJSON *
fmt_character_embed(const cJSON *rec, const cJSON *notify)
{
	struct who w = who_of(rec);
	cJSON *e = cJSON_CreateObject();
	struct buf b = {0};

	(void)notify;
	sb_add(&b, is_action(&w, "removed") ? "Character Removed: "
	    : is_action(&w, "updated") ? "Character Updated: "
	    : "New Character Tracked: ");
	sb_add_md(&b, w.name);
	set_text(e, "title", &b);
	embed_str(e, "description", is_action(&w, "removed")
	    ? "A character has been removed from tracking."
	    : is_action(&w, "updated") ? "A tracked character has been updated."
	    : "A new character has been added to tracking.");
	cJSON_AddNumberToObject(e, "color", 0x00FFFF);
	if (w.id) {
		sb_addf(&b, ZKB "/character/%lld/", (long long)w.id);
		set_text(e, "url", &b);
		sb_addf(&b, "https://images.evetech.net/characters/%lld/portrait?size=128",
		        (long long)w.id);
		embed_url(e, "thumbnail", b.p);
		buf_free(&b);
	}
	add_fields(e, rec, &w);
	if (w.id) {
		sb_addf(&b, "Character ID: %lld", (long long)w.id);
		embed_footer(e, b.p);
		buf_free(&b);
	}
	return e;
}

char *
fmt_character_text(const cJSON *rec, const cJSON *notify)
{
	struct who w = who_of(rec);
	const char *corp = fx_str(rec, "corporation_ticker", NULL);
	const char *ally = fx_str(rec, "alliance_ticker", NULL);
	struct buf b = {0};

	(void)notify;
	sb_add(&b, "Character ");
	sb_add_md(&b, w.name);
	sb_add(&b, is_action(&w, "removed") ? " is no longer tracked"
	    : is_action(&w, "updated") ? " was updated" : " is now being tracked");
	if (corp || ally)
		sb_add(&b, "\n");
	if (corp) {
		sb_add(&b, "Corporation: ");
		sb_add_md(&b, corp);
	}
	if (ally) {
		sb_add(&b, corp ? " \xE2\x80\xA2 Alliance: " : "Alliance: ");
		sb_add_md(&b, ally);
	}
	if (w.id)
		sb_addf(&b, "\n" ZKB "/character/%lld/", (long long)w.id);
	return buf_take(&b);
}
