/* gwmap.h — /notifier system NAME track|untrack on the Wanderer map
 * itself, through the map's REST API with the map key:
 * POST {MAP_URL}/api/maps/{MAP_NAME}/systems {"solar_system_id":ID} adds
 * (or keeps) a system, DELETE .../systems/{ID} removes it.  wn-mapsse then
 * sees the change on its event stream like any other. */
#ifndef WN_GWMAP_H
#define WN_GWMAP_H

#include <stddef.h>
#include <stdint.h>

struct http_client;

struct gwmap {
	struct http_client *http;
	const char *url, *slug;
	char auth[600];           /* "Authorization: Bearer KEY"; "" when unset */
};

/* gwmap.c */
/* MAP_URL, MAP_NAME, MAP_API_KEY (registered as a secret); 0 when all
 * three are set, -1 otherwise (tracking is then left to the map). */
int gwmap_init(struct gwmap *m, struct http_client *http);
/* 0 done, -1 failed with a reason in err (no key in it). */
int gwmap_track(struct gwmap *m, int64_t id, int add, char *err, size_t errlen);

#endif
