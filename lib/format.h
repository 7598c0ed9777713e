/* format.h — the Discord message for a record that carries a `notify`
 * object (see wn-records(5)): Wanderer Notifier's layouts, valid against
 * Discord's limits by construction, with allowed_mentions.  Pure: no
 * network, no configuration reads beyond what fmt_options carries. */
#ifndef WN_FORMAT_H
#define WN_FORMAT_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "kind.h"

/* enum fmt_route, the channel class a message belongs to, is kind.h's;
 * routing to a channel id or a webhook (with fallback to the main
 * channel) happens in route.c. */

struct fmt_options {
	int plain_text;             /* content-only messages, no embeds */
	const char *rally_roles;    /* DISCORD_RALLY_GROUP_IDS, may be NULL */
	/* Bit (1 << class) set for the classes whose messages land in the
	 * system-kill channel: only there does a kill title use the map's
	 * own name for the system (notify.system_name), as Wanderer
	 * Notifier does; elsewhere the EVE name.  FMT_MAP_NAME_DEFAULT when
	 * every class shares one channel. */
	unsigned map_name_routes;
};

#define FMT_MAP_NAME_DEFAULT ((1u << ROUTE_COUNT) - 1)

/* format.c */
const char *fmt_route_name(enum fmt_route r);   /* "system_kill", ... */
/* Returns the JSON body to POST (content / embeds / allowed_mentions),
 * or NULL with a one-line reason in err.  *route gets the class. */
cJSON *format_message(const cJSON *record, const struct fmt_options *opt,
                      enum fmt_route *route, char *err, size_t errlen);

#endif
