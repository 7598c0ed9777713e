/* enrich_kills.h — the "Recent Kills" of a system, from WandererKills'
 * REST API: pure parsers for its answers and the entry they become.
 *
 *   GET /api/v1/kills/system/{id}?limit=3&since_hours=48
 *       {"data":{"kills":[...],"timestamp":..,"cached":false},"timestamp":..},
 *       also a bare array or {"kills":[...]}; the entries are zKillboard
 *       rows ({"killmail_id":N,"zkb":{...}}, no victim), full killmails in
 *       any WandererKills shape, or bare killmail ids.
 *   GET /api/v1/killmail/{id}
 *       {"data":<killmail>,"timestamp":..} (or the bare killmail).
 *
 * An entry, as it goes into a system record's "recent_kills" (every
 * member but killmail_id only when known):
 *   {"killmail_id":N,"kill_time":"ISO",
 *    "victim":{"character_id","character_name","corporation_id",
 *              "corporation_ticker","ship_type_id","ship_type_name"},
 *    "zkb":{"totalValue","points","npc","solo","awox","locationID"}} */
#ifndef WN_ENRICH_KILLS_H
#define WN_ENRICH_KILLS_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#define ENRICH_KILLS_MAX 3   /* kills shown, as Wanderer Notifier asks for */

/* enrich_kills.c */
/* A list answer → array of entries, newest first (kill_time, else
 * killmail_id), duplicates dropped, at most max.  Entries without a
 * usable id are skipped.  NULL with a reason in err when buf is not JSON
 * or holds no list. */
cJSON *enrich_kills_parse_list(const char *buf, size_t len, size_t max, char *err, size_t errlen);
/* A killmail answer → one entry, or NULL with a reason in err. */
cJSON *enrich_kills_parse_detail(const char *buf, size_t len, char *err, size_t errlen);
/* One killmail object of any shape WandererKills sends → an entry (the
 * aliases of wanderer-kills-detail.md 2.3), or NULL without an id. */
cJSON *enrich_kills_entry(const cJSON *km);
/* A new entry: a's members, and b's where a lacks them (a from the list,
 * b from the killmail answer), in the order above. */
cJSON *enrich_kills_merge(const cJSON *a, const cJSON *b);
/* 1 when the entry carries the victim (the killmail answer came). */
int enrich_kills_has_detail(const cJSON *entry);
/* Sorts an array of entries newest first, in place. */
void enrich_kills_sort(cJSON *entries);
/* An error answer ({"error":..,"code":..}) → "CODE: message" for a log
 * line (control characters dropped, cut to size); "" when it has none. */
void enrich_kills_error_text(const char *buf, size_t len, char *out, size_t size);

#endif
