/* killmail.h — every killmail shape found in the wild, normalised to the
 * canonical record of wn-records(5):
 *
 *   {"type":"killmail","killmail_id":..,"killmail_hash":..,
 *    "killmail_time":"2026-03-17T19:24:51Z","solar_system_id":..,
 *    "victim":{ESI victim + *_name fields},"attackers":[..],
 *    "zkb":{locationID,hash,fittedValue,droppedValue,destroyedValue,
 *           totalValue,points,npc,solo,awox,labels}, ...}
 *
 * Accepted: ESI killmail, ESI + zkb (zKillboard API/archives), R2Z2 file
 * ({killmail_id,hash,esi,zkb,...}), RedisQ package ({"package":{..}}),
 * WandererKills killmail (kill_time, system_id, victim/attacker names,
 * zkb in snake_case), and the canonical record itself (idempotent).
 * Unknown fields pass through untouched. */
#ifndef WN_KILLMAIL_H
#define WN_KILLMAIL_H

#include <stddef.h>
#include <stdio.h>
#include <cjson/cJSON.h>

enum killmail_shape {
	KM_UNKNOWN = 0, KM_CANONICAL, KM_ESI, KM_ESI_ZKB, KM_R2Z2, KM_REDISQ,
	KM_WANDERER_KILLS,
};

/* killmail.c */
enum killmail_shape killmail_shape(const cJSON *in);
const char *killmail_shape_name(enum killmail_shape s);
/* Consumes `in` (do not use it afterwards); returns the canonical record,
 * or NULL with a one-line reason in err (not a killmail, no id, no
 * system, bad time ...). */
cJSON *killmail_normalize(cJSON *in, char *err, size_t errlen);

/* killmail_history.c */
/* 1 when doc is an R2Z2 day history: a non-empty object whose keys are
 * all killmail ids, without a "killmail_id" of its own. */
int killmail_history_is(const cJSON *doc);
typedef void (*killmail_history_fn)(void *ud, cJSON *rec);
/* Consumes doc: each(rec) for every record of a history (a hash pair
 * as {"type":"killmail","killmail_id":N,"killmail_hash":H}, a body as it
 * is) or array element, else for doc itself; each owns rec.  Returns
 * the history entries skipped, neither a hash nor an object. */
size_t killmail_history(cJSON *doc, killmail_history_fn each, void *ud);
/* The records of the JSON file at path, one line each, to out; one
 * warning for the entries skipped.  0, or -1 (logged) when the file
 * cannot be read, is not JSON, or out cannot be written. */
int killmail_history_print(const char *path, FILE *out);

/* killmail_match.c */
struct idset;
/* 1 when the kill is in one of sys or has a character of chr on either
 * side (victim or attacker). */
int killmail_involves(const cJSON *rec, const struct idset *sys, const struct idset *chr);

#endif
