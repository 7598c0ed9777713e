/* killmail_fields.h — the field-level steps of killmail normalisation,
 * private to killmail.c and killmail_fields.c.  Each step works in place
 * on one object and returns 0, or -1 with a one-line reason in err. */
#ifndef WN_KILLMAIL_FIELDS_H
#define WN_KILLMAIL_FIELDS_H

#include <stddef.h>
#include <cjson/cJSON.h>

#define KM_TIME_LEN 20   /* "YYYY-MM-DDTHH:MM:SSZ" */

/* killmail_fields.c */
/* obj[canon] from obj[canon] or, failing that, obj[alias] renamed in
 * place; a null canonical value counts as absent; the alias is removed
 * either way.  Returns the canonical item or NULL (absent / no memory). */
cJSON *km_alias(cJSON *obj, const char *canon, const char *alias);
/* obj[key]: null → removed, numeric string → number.  0 ok or absent,
 * -1 when present but not a whole number. */
int km_fix_id(cJSON *obj, const char *key);
/* ISO 8601 with optional fraction and zone (Z, ±HH:MM, ±HHMM; none =
 * UTC) → "YYYY-MM-DDTHH:MM:SSZ" in UTC.  0 ok, -1 bad. */
int km_time_canon(const char *s, char out[KM_TIME_LEN + 1]);
/* Victim or attacker: ids to numbers, names to *_name / *_ticker. */
int km_party(cJSON *party, const char *what, char *err, size_t errlen);
/* zkb: snake_case → camelCase, values to numbers, hash filled in. */
int km_zkb(cJSON *zkb, const char *hash, char *err, size_t errlen);

#endif
