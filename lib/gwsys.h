/* gwsys.h — a system named in a slash command, looked up in the map
 * state (map.json: EVE name, custom name, temporary name, any case), and
 * the map's names that complete what a user has typed so far. */
#ifndef WN_GWSYS_H
#define WN_GWSYS_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

/* gwsys.c */
/* The solar_system_id of the system called name in map (the root of a
 * map.json), and its EVE name in eve; 0 when no system is called so. */
int64_t gwsys_find(const cJSON *map, const char *name, char *eve, size_t evesize);
/* Up to max names of map systems containing typed (any case; those
 * starting with it first), pointers into map.  Returns how many. */
size_t gwsys_complete(const cJSON *map, const char *typed, const char **out, size_t max);
/* ESI POST /universe/ids answer → the id of systems[0] whose name
 * equals name (any case), and its name in eve; 0 if none. */
int64_t gwsys_from_ids(const char *body, size_t len, const char *name, char *eve, size_t evesize);

#endif
