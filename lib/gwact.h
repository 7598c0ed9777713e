/* gwact.h — what wn-gateway does with an INTERACTION_CREATE: check it is
 * for this application (and guild), work out the answer (/notifier
 * status, system add-priority / remove-priority / track / untrack,
 * autocomplete of system names) and POST it as the interaction response.
 * Priority changes go to the file wn-filter reads (priority_systems),
 * atomically, so a running wn-filter picks them up. */
#ifndef WN_GWACT_H
#define WN_GWACT_H

#include <cjson/cJSON.h>

#include "gwmap.h"
#include "gwstatus.h"

struct gwrest;

struct gwact {
	struct gwrest *rest;
	const char *app_id, *guild_id;   /* guild_id NULL: any guild */
	char map_path[4096], prio_path[4096], status_dir[4096];
	struct gws_flags flags;
	struct gwmap map;
	int map_api;              /* MAP_URL, MAP_NAME, MAP_API_KEY set */
};

/* gwact.c */
/* 0 answered, 1 not ours (ignored), -1 malformed or the answer failed;
 * a line is logged for each (never the interaction token). */
int gwact_handle(struct gwact *a, const cJSON *d);
/* The reply text for a parsed command (exported for the tests). */
struct gwi;
char *gwact_text(struct gwact *a, const struct gwi *i);

#endif
