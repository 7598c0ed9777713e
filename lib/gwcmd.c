/* gwcmd.c — the /notifier command and its interactions (see gwcmd.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gwcmd.h"
#include "json.h"

static cJSON *
option(cJSON *arr, int type, const char *name, const char *desc, int required)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "type", type);
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddStringToObject(o, "description", desc);
	if (required)
		cJSON_AddTrueToObject(o, "required");
	cJSON_AddItemToArray(arr, o);
	return o;
}

static void
choice(cJSON *arr, const char *name, const char *value)
{
	cJSON *c = cJSON_CreateObject();

	cJSON_AddStringToObject(c, "name", name);
	cJSON_AddStringToObject(c, "value", value);
	cJSON_AddItemToArray(arr, c);
}

char *
gwcmd_definition(void)
{
	cJSON *all = cJSON_CreateArray(), *cmd = cJSON_CreateObject(), *opts, *sys, *sopts, *act, *ch;
	char *s;

	cJSON_AddStringToObject(cmd, "name", "notifier");
	cJSON_AddNumberToObject(cmd, "type", 1);
	cJSON_AddStringToObject(cmd, "description", "WandererNotifier configuration and tracking commands");
	cJSON_AddStringToObject(cmd, "default_member_permissions", GW_DEFAULT_PERMISSIONS);
	/* guild install only: the bot's state is per server */
	cJSON_AddItemToArray(cJSON_AddArrayToObject(cmd, "contexts"), cJSON_CreateNumber(0));
	opts = cJSON_AddArrayToObject(cmd, "options");
	sys = option(opts, 1, "system", "Manage a system: priority and tracking", 0);
	sopts = cJSON_AddArrayToObject(sys, "options");
	cJSON_AddTrueToObject(option(sopts, 3, "system_name",
	                             "Name of the EVE system to track (e.g., 'Jita', 'Amarr')", 1),
	                      "autocomplete");
	act = option(sopts, 3, "action", "What to do with the system", 0);
	ch = cJSON_AddArrayToObject(act, "choices");
	choice(ch, "add-priority", "add_priority");
	choice(ch, "remove-priority", "remove_priority");
	choice(ch, "track", "track");
	choice(ch, "untrack", "untrack");
	option(opts, 1, "status", "Show the notifier's status", 0);
	cJSON_AddItemToArray(all, cmd);
	s = json_print(all);
	cJSON_Delete(all);
	return s;
}

/* Copy a bounded string member; 0 when absent, -1 when too long or not
 * a string. */
static int
copy_str(const cJSON *o, const char *key, char *buf, size_t size)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	buf[0] = '\0';
	if (!it || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsString(it) || strlen(it->valuestring) >= size)
		return -1;
	memcpy(buf, it->valuestring, strlen(it->valuestring) + 1);
	return 1;
}

static int
copy_id(const cJSON *o, const char *key, char *buf, size_t size)
{
	int r = copy_str(o, key, buf, size);

	if (r == 1 && (!*buf || strspn(buf, "0123456789") != strlen(buf) || strlen(buf) > 20))
		return -1;
	return r;
}

static int
fail(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -1;
}

/* The subcommand's options: system_name, action (and focus). */
static int
sub_options(const cJSON *sub, struct gwi *i, char *err, size_t errlen)
{
	const cJSON *o, *opts = cJSON_GetObjectItemCaseSensitive(sub, "options");
	char name[40];

	cJSON_ArrayForEach(o, opts) {
		if (copy_str(o, "name", name, sizeof name) != 1)
			return fail(err, errlen, "option without a name");
		if (!strcmp(name, "system_name")) {
			if (copy_str(o, "value", i->system_name, sizeof i->system_name) < 0)
				return fail(err, errlen, "system_name is not a short string");
			i->focused |= cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "focused"));
		} else if (!strcmp(name, "action")) {
			if (copy_str(o, "value", i->action, sizeof i->action) < 0)
				return fail(err, errlen, "action is not a short string");
		}
	}
	return 0;
}

int
gwcmd_parse(const cJSON *d, struct gwi *i, char *err, size_t errlen)
{
	const cJSON *ty = cJSON_GetObjectItemCaseSensitive(d, "type");
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(d, "data");
	const cJSON *member = cJSON_GetObjectItemCaseSensitive(d, "member");
	const cJSON *user = cJSON_GetObjectItemCaseSensitive(member ? member : d, "user");
	const cJSON *sub;

	memset(i, 0, sizeof *i);
	if (!cJSON_IsObject(d) || !cJSON_IsNumber(ty) || ty->valuedouble < 1 || ty->valuedouble > 5)
		return fail(err, errlen, "interaction without a valid type");
	i->type = (int)ty->valuedouble;
	if (copy_id(d, "id", i->id, sizeof i->id) != 1 ||
	    copy_id(d, "application_id", i->application_id, sizeof i->application_id) != 1)
		return fail(err, errlen, "interaction without id or application_id");
	if (copy_str(d, "token", i->token, sizeof i->token) != 1 || !*i->token ||
	    strcspn(i->token, "/?#% \t\r\n") != strlen(i->token))
		return fail(err, errlen, "interaction without a usable token");
	if (copy_id(d, "guild_id", i->guild_id, sizeof i->guild_id) < 0 ||
	    copy_id(d, "channel_id", i->channel_id, sizeof i->channel_id) < 0 ||
	    copy_id(user, "id", i->user_id, sizeof i->user_id) < 0)
		return fail(err, errlen, "interaction with a bad guild, channel or user id");
	if (i->type != GWI_COMMAND && i->type != GWI_AUTOCOMPLETE)
		return 0;
	/* "" is no name, nor is "\u0000notifier", which reads as "" */
	if (copy_str(data, "name", i->command, sizeof i->command) != 1 || !*i->command)
		return fail(err, errlen, "command without a name");
	sub = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(data, "options"), 0);
	if (sub && copy_str(sub, "name", i->sub, sizeof i->sub) < 0)
		return fail(err, errlen, "subcommand name too long");
	if (sub && sub_options(sub, i, err, errlen) < 0)
		return -1;
	if (!*i->action)
		snprintf(i->action, sizeof i->action, "track");
	/* typed by a user, logged and echoed: one line, whatever they typed */
	for (char *p = i->system_name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	for (char *p = i->action; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return 0;
}

static char *
response(int type, cJSON *data)
{
	cJSON *r = cJSON_CreateObject();
	char *s;

	cJSON_AddNumberToObject(r, "type", type);
	cJSON_AddItemToObject(r, "data", data);
	s = json_print(r);
	cJSON_Delete(r);
	return s;
}

char *
gwcmd_reply(const char *text)
{
	cJSON *d = cJSON_CreateObject();

	cJSON_AddStringToObject(d, "content", text);
	cJSON_AddNumberToObject(d, "flags", GWR_EPHEMERAL);
	/* a reply names systems and users: it pings nobody */
	cJSON_AddArrayToObject(cJSON_AddObjectToObject(d, "allowed_mentions"), "parse");
	return response(GWR_MESSAGE, d);
}

char *
gwcmd_choices(const char *const *names, size_t n)
{
	cJSON *d = cJSON_CreateObject(), *a = cJSON_AddArrayToObject(d, "choices");

	for (size_t k = 0; k < n && k < GW_CHOICES_MAX; k++)
		if (names[k][0] && strlen(names[k]) <= 100)
			choice(a, names[k], names[k]);
	return response(GWR_CHOICES, d);
}

void
gwcmd_priority_text(char *buf, size_t size, int add, int changed, const char *name)
{
	if (add && changed)
		snprintf(buf, size, "✅ Added **%s** to priority systems (receives @here notifications)", name);
	else if (add)
		snprintf(buf, size, "📍 System **%s** is already a priority system", name);
	else if (changed)
		snprintf(buf, size, "✅ Removed **%s** from priority systems", name);
	else
		snprintf(buf, size, "📍 System **%s** is not a priority system", name);
}
