/* format.c — a notify record to the Discord message body: picks the
 * builder for notify.kind, puts the meant mentions (and only those) in
 * content and allowed_mentions, and enforces Discord's limits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kind.h"
#include "fmt_embed.h"
#include "fmt_parts.h"
#include "format.h"
#include "json.h"

#define MENTION_IDS_MAX 100  /* allowed_mentions.users holds 100 at most */
#define SNOWFLAKE_MAX   20

/* The builders for each kind (kind.h names them and gives their class). */
static const struct kind {
	cJSON *(*embed)(const cJSON *rec, const cJSON *notify);
	char *(*text)(const cJSON *rec, const cJSON *notify);
} kinds[N_KIND_COUNT] = {
	[N_SYSTEM_KILL] = { fmt_kill_embed, fmt_kill_text },
	[N_CHARACTER_KILL] = { fmt_kill_embed, fmt_kill_text },
	[N_SYSTEM] = { fmt_system_embed, fmt_system_text },
	[N_CHARACTER] = { fmt_character_embed, fmt_character_text },
	[N_RALLY] = { fmt_rally_embed, fmt_rally_text },
};

/* Who a message may ping: @here, listed roles, listed users. */
struct mentions {
	int here;
	size_t nroles, nusers;
	char roles[MENTION_IDS_MAX][SNOWFLAKE_MAX + 1];
	char users[MENTION_IDS_MAX][SNOWFLAKE_MAX + 1];
};

const char *
fmt_route_name(enum fmt_route r)
{
	return kind_route_name(r);
}

static enum fmt_route
route_of(const struct kind *k)
{
	return kind_route((enum notify_kind)(k - kinds));
}

static const struct kind *
kind_of(const char *name)
{
	int k = kind_from_name(name);

	return k < 0 ? NULL : &kinds[k];
}

static int
is_snowflake(const char *s, size_t n)
{
	return n > 0 && n <= SNOWFLAKE_MAX && strspn(s, "0123456789") >= n;
}

static void
add_id(char (*list)[SNOWFLAKE_MAX + 1], size_t *n, const char *s, size_t len)
{
	for (size_t i = 0; i < *n; i++)
		if (strlen(list[i]) == len && !memcmp(list[i], s, len))
			return;
	if (*n < MENTION_IDS_MAX) {
		memcpy(list[*n], s, len);
		list[(*n)++][len] = '\0';
	}
}

/* One token: "@here", "<@&id>" (role), "<@id>"/"<@!id>" (user), or a
 * bare id when bare_roles (DISCORD_RALLY_GROUP_IDS).  Anything else,
 * "@everyone" included, pings nobody. */
static void
mention_token(struct mentions *m, const char *t, size_t n, int bare_roles)
{
	if (n == 5 && !memcmp(t, "@here", 5))
		m->here = 1;
	else if (n > 4 && !memcmp(t, "<@&", 3) && t[n - 1] == '>' &&
	         is_snowflake(t + 3, n - 4))
		add_id(m->roles, &m->nroles, t + 3, n - 4);
	else if (n > 4 && !memcmp(t, "<@!", 3) && t[n - 1] == '>' &&
	         is_snowflake(t + 3, n - 4))
		add_id(m->users, &m->nusers, t + 3, n - 4);
	else if (n > 3 && !memcmp(t, "<@", 2) && t[n - 1] == '>' &&
	         is_snowflake(t + 2, n - 3))
		add_id(m->users, &m->nusers, t + 2, n - 3);
	else if (bare_roles && is_snowflake(t, n))
		add_id(m->roles, &m->nroles, t, n);
}

static void
mentions_parse(struct mentions *m, const char *text, int bare_roles)
{
	static const char sep[] = " \t\r\n,;";

	while (text && *text) {
		text += strspn(text, sep);
		size_t n = strcspn(text, sep);
		if (n)
			mention_token(m, text, n, bare_roles);
		text += n;
	}
}

static void
sb_mentions(struct buf *b, const struct mentions *m)
{
	if (m->here)
		sb_add(b, "@here ");
	for (size_t i = 0; i < m->nroles; i++)
		sb_addf(b, "<@&%s> ", m->roles[i]);
	for (size_t i = 0; i < m->nusers; i++)
		sb_addf(b, "<@%s> ", m->users[i]);
}

static void
add_ids(cJSON *am, const char *key, char (*list)[SNOWFLAKE_MAX + 1], size_t n)
{
	if (!n)
		return;
	cJSON *a = cJSON_AddArrayToObject(am, key);
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(list[i]));
}

/* {"parse":[]} plus exactly the roles/users/@here meant. */
static void
add_allowed(cJSON *msg, struct mentions *m)
{
	cJSON *am = cJSON_AddObjectToObject(msg, "allowed_mentions");
	cJSON *parse = cJSON_AddArrayToObject(am, "parse");

	if (m->here)
		cJSON_AddItemToArray(parse, cJSON_CreateString("everyone"));
	add_ids(am, "roles", m->roles, m->nroles);
	add_ids(am, "users", m->users, m->nusers);
}

static int
rally_added(const struct kind *k, const cJSON *rec)
{
	const char *a = json_str(rec, "action");

	return route_of(k) == ROUTE_RALLY && !(a && !strcmp(a, "removed"));
}

/* content = mentions + (plain text | the rally line); NULL when empty.
 * Text from the record is defused so it cannot ping. */
static char *
content(const struct kind *k, const cJSON *rec, const cJSON *notify,
        const struct fmt_options *opt, const struct mentions *m)
{
	struct buf b = {0};
	char *text, *safe;

	sb_mentions(&b, m);
	if (opt && opt->plain_text) {
		text = k->text(rec, notify);
		sb_add(&b, safe = fmt_defuse(text));
		free(text);
		free(safe);
	} else if (route_of(k) == ROUTE_RALLY) {
		sb_add(&b, fmt_rally_lead(rec));
	}
	while (b.len && b.p[b.len - 1] == ' ')
		b.p[--b.len] = '\0';
	if (!b.len) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* notify without system_name when this message's channel is not the
 * system-kill one (a copy the caller frees), else NULL: use notify. */
static cJSON *
without_map_name(const struct kind *k, const cJSON *notify,
                 const struct fmt_options *opt)
{
	cJSON *copy;

	if (opt && (opt->map_name_routes & (1u << route_of(k))))
		return NULL;
	if (!cJSON_GetObjectItemCaseSensitive(notify, "system_name"))
		return NULL;
	if ((copy = cJSON_Duplicate(notify, 1)))
		cJSON_DeleteItemFromObjectCaseSensitive(copy, "system_name");
	return copy;
}

static cJSON *
build(const struct kind *k, const cJSON *rec, const cJSON *notify,
      const struct fmt_options *opt)
{
	struct mentions m;
	cJSON *msg = cJSON_CreateObject(), *view = without_map_name(k, notify, opt);
	char *c;

	if (view)
		notify = view;

	memset(&m, 0, sizeof m);
	mentions_parse(&m, json_str(notify, "mention"), 0);
	if (rally_added(k, rec) && opt)
		mentions_parse(&m, opt->rally_roles, 1);
	if ((c = content(k, rec, notify, opt, &m)))
		cJSON_AddStringToObject(msg, "content", c);
	free(c);
	if (!opt || !opt->plain_text)
		cJSON_AddItemToArray(cJSON_AddArrayToObject(msg, "embeds"),
		                     k->embed(rec, notify));
	add_allowed(msg, &m);
	fmt_enforce_limits(msg);
	cJSON_Delete(view);
	return msg;
}

cJSON *
format_message(const cJSON *record, const struct fmt_options *opt,
               enum fmt_route *route, char *err, size_t errlen)
{
	const cJSON *notify = cJSON_GetObjectItemCaseSensitive(record, "notify");
	const struct kind *k;

	if (!cJSON_IsObject(record) || !cJSON_IsObject(notify)) {
		snprintf(err, errlen, "record has no notify object");
		return NULL;
	}
	if (!(k = kind_of(json_str(notify, "kind")))) {
		snprintf(err, errlen, "unknown notify.kind");
		return NULL;
	}
	if (route)
		*route = route_of(k);
	return build(k, record, notify, opt);
}
