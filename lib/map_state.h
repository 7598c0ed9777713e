/* map_state.h — the map state file (state_dir()/map.json), written by
 * wn-mapsse, read by wn-kills and wn-filter.  Format (man wn-records(5)):
 *
 *   {"version":1,"map":"slug","updated":"2026-03-17T19:21:20Z",
 *    "systems":[{"solar_system_id":31001503,"name":"J155416",
 *                "custom_name":"Home","system_class":4,"class_title":"C4",
 *                "security":"-1.0","type_description":"Class 4",
 *                "region_id":..,"region_name":..,"constellation_name":..,
 *                "effect_name":null,"is_shattered":false,
 *                "statics":[{"name":"C247","destination":"C3"}],
 *                "status":8,"map_system_id":"uuid"} ...],
 *    "characters":[{"character_id":2123456789,"name":"Test Pilot",
 *                   "corporation_id":..,"corporation_ticker":..,
 *                   "alliance_id":..,"alliance_ticker":..,
 *                   "map_character_id":"uuid"} ...]}
 *
 * Readers keep the parsed document and id sets; map_state_reload() is
 * cheap to call often: it re-reads only when the file changed. */
#ifndef WN_MAP_STATE_H
#define WN_MAP_STATE_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "filestamp.h"
#include "idset.h"

#define MAP_STATE_MAX_BYTES (64u << 20)

struct map_state {
	cJSON *root;              /* the whole document (owned) */
	struct idset systems;     /* solar_system_id of every system */
	struct idset characters;  /* EVE character_id of every character */
	struct filestamp stamp;   /* the file at the last load */
};

/* map_state.c */
void map_state_init(struct map_state *m);
void map_state_free(struct map_state *m);
/* Load path.  0 ok, -1 with err (missing file, bad JSON, wrong shape);
 * on failure the previous contents stay. */
int map_state_load(struct map_state *m, const char *path, char *err, size_t errlen);
/* 1 reloaded, 0 unchanged, -1 error (previous contents kept). */
int map_state_reload(struct map_state *m, const char *path, char *err, size_t errlen);
/* Forget the file's identity: the next map_state_reload() reads it
 * whatever it looks like (SIGHUP: an edit in place may keep size and
 * mtime).  The contents stay until then. */
void map_state_invalidate(struct map_state *m);
/* Take ownership of root (already in the format above) and index it. */
int map_state_set(struct map_state *m, cJSON *root);
/* Write m->root atomically to path. */
int map_state_save(const struct map_state *m, const char *path);
const cJSON *map_state_system(const struct map_state *m, int64_t solar_system_id);
const cJSON *map_state_character(const struct map_state *m, int64_t character_id);
/* state_dir()/map.json */
int map_state_default_path(char *buf, size_t size);
/* given (a -m FILE) or else the default path into buf; -1 when neither. */
int map_state_path(char *buf, size_t size, const char *given);

/* map_state_follow.c */
/* Reload path when it changed (always when force) and copy the map's
 * lists into sys and chr: 1 when that changed them, 0 when not, -1 with
 * err when the file cannot be read (the lists stay). */
int map_state_follow(struct map_state *m, const char *path, int force, struct idset *sys,
                    struct idset *chr, char *err, size_t errlen);

#endif
