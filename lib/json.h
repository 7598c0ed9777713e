/* json.h — small cJSON helpers shared by every tool. */
#ifndef WN_JSON_H
#define WN_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#define JSON_MAX_DEPTH 64

/* json.c */
/* Parse exactly buf[0..len) as one JSON value; NULL with a one-line
 * reason in err (position included) on bad JSON, nesting deeper than
 * JSON_MAX_DEPTH, or invalid UTF-8. */
cJSON *json_parse(const char *buf, size_t len, char *err, size_t errlen);
/* obj[key] (case-sensitive), NULL when absent or obj is not an object. */
cJSON *json_get(const cJSON *obj, const char *key);
/* The one rule for duplicate keys, everywhere: the first occurrence wins
 * (what cJSON's getters return, and what killmail_facts_scan reads).  json_parse
 * drops the later ones from every object, so no tree a tool reads and no
 * record it writes carries a repeat.  -1 out of memory. */
int json_drop_duplicates(cJSON *item);
/* An integral number within ±2^53 or a strict decimal string ("31001503")
 * within int64 → 1; else 0 (numconv.h, the same rule as json_scan_int). */
int json_int64(const cJSON *item, int64_t *out);
int64_t json_id(const cJSON *obj, const char *key);      /* 0 when absent */
const char *json_str(const cJSON *obj, const char *key); /* NULL unless string */
double json_num(const cJSON *obj, const char *key, double def);
int json_bool(const cJSON *obj, const char *key, int def);
/* Set obj[key] = value, replacing; returns the new item. */
cJSON *json_set_id(cJSON *obj, const char *key, int64_t v);
cJSON *json_set_str(cJSON *obj, const char *key, const char *v);
/* Compact text of item, malloc'd: json_out's bytes, which are
 * cJSON_PrintUnformatted's without its slow number printing. */
char *json_print(const cJSON *item);

#endif
