/* killid.h — the one rule for a killmail id from outside, shared by every
 * tool: a whole number from 1 to 2^53 - 1 (what cJSON holds exactly and
 * what a zKillboard link can name).  -1, 0, 1e999 or 2^63 are refused. */
#ifndef WN_KILLID_H
#define WN_KILLID_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#define KILLID_RULE "killmail_id is not a valid id (a whole number from 1 to 2^53-1)"

/* killid.c */
/* 1 if id is a valid killmail id. */
int killid_ok(int64_t id);
/* 0 when rec has no "killmail_id" or a valid one; -1 with err (one line)
 * when it has one that is not an id. */
int killid_check_json(const cJSON *rec, char *err, size_t errlen);
/* 1 if s (NULL allowed) is a killmail hash: exactly 40 hex digits, safe
 * to put into an ESI URL. */
int killid_hash_ok(const char *s);

#endif
