/* fmt_rally.c — rally point created (or removed): who, where, the
 * message; format.c adds the rally role mentions to the content. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt_embed.h"
#include "fmt_parts.h"
#include "json.h"

#define SWORDS "\xE2\x9A\x94\xEF\xB8\x8F"   /* ⚔️ */
#define SPEECH "\xF0\x9F\x92\xAC"           /* 💬 */

struct rally {
	const char *pilot, *system, *message, *when;
	int removed;
};

static struct rally
rally_of(const cJSON *rec)
{
	struct rally r;
	const char *a = fx_str(rec, "action", NULL);

	r.pilot = fx_str(rec, "character_name", NULL);
	r.system = fx_str(rec, "system_name", "solar_system_name");
	r.message = fx_str(rec, "message", NULL);
	r.when = fx_str(rec, "created_at", "time");
	r.removed = a && !strcmp(a, "removed");
	return r;
}

const char *
fmt_rally_lead(const cJSON *rec)
{
	return rally_of(rec).removed ? "Rally point removed."
	                             : "Rally point created!";
}

static char *
description(const struct rally *r)
{
	struct buf b = {0};
	const char *pilot = r->pilot ? r->pilot : "Unknown pilot";
	const char *sys = r->system ? r->system : "Unknown system";

	sb_add(&b, r->removed ? "The rally point of **" : "**");
	sb_add_md(&b, pilot);
	sb_add(&b, r->removed ? "** in **" : "** has created a rally point in **");
	sb_add_md(&b, sys);
	sb_add(&b, r->removed ? "** has been removed" : "**");
	if (r->message) {
		sb_add(&b, "\n\n" SPEECH " ");
		sb_add_md(&b, r->message);
	}
	return buf_take(&b);
}

/* The id as text: rally ids are UUID strings, but accept numbers. */
static char *
rally_id(const cJSON *rec)
{
	const char *s = fx_str(rec, "rally_point_id", "id");
	int64_t n = fx_id(rec, "rally_point_id", "id");
	struct buf b = {0};

	if (s) {
		sb_add(&b, "Rally ID: ");
		sb_add_md(&b, s);
	}
	else if (n)
		sb_addf(&b, "Rally ID: %lld", (long long)n);
	return buf_take(&b);
}

/* An inline field of outside text, shown as plain text. */
static void
field_md(cJSON *e, const char *name, const char *value)
{
	char *v = fmt_md(value);

	embed_field(e, name, v, 1);
	free(v);
}

cJSON *
fmt_rally_embed(const cJSON *rec, const cJSON *notify)
{
	struct rally r = rally_of(rec);
	cJSON *e = cJSON_CreateObject();
	char *d;

	(void)notify;
	embed_str(e, "title", r.removed ? SWORDS " Rally Point Removed"
	                                : SWORDS " Rally Point Created");
	embed_str(e, "description", d = description(&r));
	free(d);
	cJSON_AddNumberToObject(e, "color", 0xFF6B00);
	cJSON_AddArrayToObject(e, "fields");
	field_md(e, "System", r.system ? r.system : "Unknown");
	field_md(e, "Created By", r.pilot ? r.pilot : "Unknown");
	field_md(e, "Corporation", fx_str(rec, "corporation_name", NULL));
	field_md(e, "Alliance", fx_str(rec, "alliance_name", NULL));
	embed_footer(e, d = rally_id(rec));
	free(d);
	embed_timestamp(e, r.when);
	return e;
}

char *
fmt_rally_text(const cJSON *rec, const cJSON *notify)
{
	struct rally r = rally_of(rec);
	struct buf b = {0};

	(void)notify;
	sb_add(&b, r.removed ? "Rally point removed in " : "Rally point created in ");
	sb_add_md(&b, r.system ? r.system : "Unknown system");
	sb_add(&b, " by ");
	sb_add_md(&b, r.pilot ? r.pilot : "Unknown pilot");
	if (r.message) {
		sb_add(&b, "\n" SPEECH " ");
		sb_add_md(&b, r.message);
	}
	return buf_take(&b);
}
