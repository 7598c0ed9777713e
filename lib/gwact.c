/* gwact.c — answering interactions (see gwact.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "filter.h"
#include "gwact.h"
#include "gwcmd.h"
#include "gwrest.h"
#include "gwsys.h"
#include "idset.h"
#include "json.h"
#include "log.h"
#include "map_state.h"
#include "state.h"
#include "status.h"
#include "status_view.h"

static char *
dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

static cJSON *
load_map(const struct gwact *a)
{
	size_t len;
	char *buf = state_read_file(a->map_path, MAP_STATE_MAX_BYTES, &len), err[128];
	cJSON *root = buf ? json_parse(buf, len, err, sizeof err) : NULL;

	free(buf);
	return root;
}

/* The id for name: the map first, then ESI.  0 unknown, -1 ESI down. */
static long long
resolve(struct gwact *a, const char *name, char *eve, size_t evesize)
{
	cJSON *map = load_map(a);
	char err[256];
	long long id = (long long)gwsys_find(map, name, eve, evesize);

	cJSON_Delete(map);
	if (id)
		return id;
	if ((id = gwrest_system_id(a->rest, name, eve, evesize, err, sizeof err)) < 0)
		log_warn("%s", err);
	return id;
}

static char *
priority(struct gwact *a, const struct gwi *i, int add)
{
	struct idset set;
	char eve[128], text[512], err[512];
	long long id = resolve(a, i->system_name, eve, sizeof eve);
	int had, rc = 0;

	if (id <= 0) {
		snprintf(text, sizeof text, id < 0 ? "❌ Could not look up **%s** now (ESI is not answering); nothing changed"
		                                   : "❌ Unknown system: **%s**; nothing changed", i->system_name);
		return dup(text);
	}
	idset_init(&set);
	if (priority_load(&set, a->prio_path, err, sizeof err) < 0) {
		log_warn("%s", err);
		idset_free(&set);
		return dup("❌ The priority list cannot be read; nothing changed");
	}
	had = idset_has(&set, id);
	if (add && !had) {
		idset_add(&set, id);
		idset_finish(&set);
		rc = priority_save(&set, a->prio_path);
	} else if (!add && had) {
		struct idset out;
		idset_init(&out);
		for (size_t k = 0; k < set.n; k++)
			if (set.v[k] != id)
				idset_add(&out, set.v[k]);
		idset_finish(&out);
		rc = priority_save(&out, a->prio_path);
		idset_free(&out);
	}
	idset_free(&set);
	if (rc < 0)
		return dup("❌ The priority list cannot be written; nothing changed");
	if (add != had)
		log_info("priority system %lld (%s) %s", id, eve, add ? "added" : "removed");
	gwcmd_priority_text(text, sizeof text, add, add != had, eve);
	return dup(text);
}

/* The map itself: add or remove the system with the map key. */
static char *
track(struct gwact *a, const struct gwi *i, int add)
{
	char eve[128], text[512], err[256];
	long long id = resolve(a, i->system_name, eve, sizeof eve);

	if (id <= 0) {
		snprintf(text, sizeof text, "❌ Unknown system: **%s**; nothing changed", i->system_name);
		return dup(text);
	}
	if (gwmap_track(&a->map, id, add, err, sizeof err) < 0) {
		log_warn("%s system %lld on the map: %s", add ? "adding" : "removing", id, err);
		snprintf(text, sizeof text, "❌ The map did not take the change (%s); nothing changed", err);
		return dup(text);
	}
	log_info("system %lld (%s) %s the map", id, eve, add ? "added to" : "removed from");
	snprintf(text, sizeof text, add ? "✅ Now tracking system: **%s**" : "✅ Stopped tracking system: **%s**", eve);
	return dup(text);
}

static char *
status_text(struct gwact *a)
{
	struct status_view_list l;
	struct idset set;
	char err[512];
	char *s;

	idset_init(&set);
	if (priority_load(&set, a->prio_path, err, sizeof err) == 0)
		a->flags.priority = set.n;
	idset_free(&set);
	memset(&l, 0, sizeof l);
	status_view_load_dir(a->status_dir, &l);
	status_view_check_running(&l);
	s = gwstatus_reply(&l, &a->flags, time(NULL));
	status_view_free(&l);
	return s;
}

char *
gwact_text(struct gwact *a, const struct gwi *i)
{
	char text[512];

	if (!strcmp(i->sub, "status"))
		return status_text(a);
	if (strcmp(i->sub, "system") != 0) {
		snprintf(text, sizeof text, "❌ Unknown command type: %s", i->sub);
		return dup(text);
	}
	if (!*i->system_name)
		return dup("❌ system_name is required");
	if (!strcmp(i->action, "add_priority") || !strcmp(i->action, "remove_priority"))
		return priority(a, i, i->action[0] == 'a');
	if ((!strcmp(i->action, "track") || !strcmp(i->action, "untrack")) && a->map_api)
		return track(a, i, i->action[0] == 't');
	if (!strcmp(i->action, "track") || !strcmp(i->action, "untrack")) {
		snprintf(text, sizeof text, "ℹ️ Tracking is managed on the Wanderer map: %s **%s** there "
		         "and wn follows within seconds", i->action[0] == 't' ? "add" : "remove",
		         i->system_name);
		return dup(text);
	}
	snprintf(text, sizeof text, "❌ Unknown action: %s", i->action);
	return dup(text);
}

static char *
answer(struct gwact *a, const struct gwi *i)
{
	const char *names[GW_CHOICES_MAX];
	cJSON *map;
	char *text, *body;
	size_t n;

	if (i->type == GWI_AUTOCOMPLETE) {
		map = load_map(a);
		n = gwsys_complete(map, i->system_name, names, GW_CHOICES_MAX);
		body = gwcmd_choices(names, n);
		cJSON_Delete(map);
		status_add("autocompletes", 1);
		return body;
	}
	if (!(text = gwact_text(a, i)))
		return NULL;
	body = gwcmd_reply(text);
	free(text);
	return body;
}

int
gwact_handle(struct gwact *a, const cJSON *d)
{
	struct gwi i;
	char err[256], *body;
	int rc;

	if (gwcmd_parse(d, &i, err, sizeof err) < 0) {
		log_warn("interaction skipped: %s", err);
		status_add("bad_interactions", 1);
		return -1;
	}
	if (strcmp(i.application_id, a->app_id) != 0 ||
	    (a->guild_id && strcmp(i.guild_id, a->guild_id) != 0) ||
	    (i.type != GWI_COMMAND && i.type != GWI_AUTOCOMPLETE) || strcmp(i.command, "notifier")) {
		log_info("interaction %s (type %d) is not for this bot or guild; ignored", i.id, i.type);
		status_add("ignored_interactions", 1);
		return 1;
	}
	log_info("/notifier %s %s %s from user %s in guild %s", i.sub, i.system_name,
	         i.type == GWI_AUTOCOMPLETE ? "(autocomplete)" : i.action, i.user_id, i.guild_id);
	if (!(body = answer(a, &i)))
		log_fatal(111, "out of memory");
	rc = gwrest_callback(a->rest, i.id, i.token, body, err, sizeof err);
	free(body);
	memset(i.token, 0, sizeof i.token);
	if (rc < 0) {
		log_warn("interaction %s not answered: %s", i.id, err);
		status_add("answer_failures", 1);
		return -1;
	}
	status_add("commands_answered", 1);
	return 0;
}
