/* map_api.h — the Wanderer map REST answers turned into the map state
 * document of map_state.h, records built from its entries, and the
 * difference between two documents.  Pure: no network, no files.
 *
 * A system entry joins a REST system (or an SSE payload) with the
 * system's static info (/api/common/system-static-info "data"); a
 * character entry comes from a /tracked-characters row, keyed by the EVE
 * id.  The field names are those of map_state.h; temporary_name is kept
 * beside custom_name. */
#ifndef WN_MAP_API_H
#define WN_MAP_API_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cjson/cJSON.h>

/* map_api.c */
/* `src` is a REST system (it has original_name), an add_system or a
 * system_metadata_changed payload, or NULL; `st` static info data or NULL.
 * Never NULL unless out of memory. */
cJSON *map_api_system(int64_t solar_system_id, const cJSON *src, const cJSON *st);
/* Static info rebuilt from a stored system entry, so a restart needs no
 * fetch; NULL when the entry never had static info. */
cJSON *map_api_static_from_system(const cJSON *sys);
/* A /tracked-characters row → entry; NULL without a usable EVE id. */
cJSON *map_api_character(const cJSON *row);
/* {"data":{"systems":[..]}} → the array (caller owns); NULL + err. */
cJSON *map_api_systems(const char *body, size_t len, char *err, size_t errlen);
/* {"data":[row..]} → array of character entries; *skipped counts rows
 * without a usable EVE id.  NULL + err on a wrong shape. */
cJSON *map_api_characters(const char *body, size_t len, int *skipped,
                         char *err, size_t errlen);
/* The state document; takes ownership of both arrays. */
cJSON *map_api_document(const char *map, cJSON *systems, cJSON *characters, time_t now);
/* Lookups in a document (NULL when absent). */
cJSON *map_api_find(const cJSON *doc, const char *list, const char *key, int64_t id);
cJSON *map_api_find_in(const cJSON *array, const char *key, int64_t id);
cJSON *map_api_find_str(const cJSON *doc, const char *list, const char *key, const char *v);
/* Replace (or add) the entry with the same id; takes ownership of item. */
void map_api_put(cJSON *doc, const char *list, const char *key, cJSON *item);
/* Remove the entry with that id; 1 if there was one. */
int map_api_remove(cJSON *doc, const char *list, const char *key, int64_t id);

/* A record line: {"type","action",<entry fields>,"event_id","time"};
 * malloc'd compact JSON.  event_id NULL gives null; time NULL gives now. */
char *map_api_record(const char *type, const char *action, const cJSON *entry,
                    const char *event_id, const char *time);

/* Entries in `after` and not in `before` ("added"), and the other way
 * ("removed"), systems first.  kind is "system" or "character". */
typedef void (*map_api_diff_fn)(void *ud, const char *kind, const char *action,
                               const cJSON *entry);
void map_api_diff(const cJSON *before, const cJSON *after, map_api_diff_fn fn, void *ud);

/* ISO 8601 UTC, seconds, "Z". */
void map_api_iso_time(time_t t, char *buf, size_t size);

#endif
