/* killmail_fields.c — field-level steps of killmail normalisation: alias
 * renaming, ids given as strings, timestamps, victim/attacker names and
 * the zkb object.  Pure functions over cJSON trees. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "killmail_fields.h"
#include "wntime.h"


static int
rename_key(cJSON *item, const char *key)
{
	size_t n = strlen(key) + 1;
	char *k = cJSON_malloc(n);

	if (k == NULL)
		return -1;
	memcpy(k, key, n);
	if (!(item->type & cJSON_StringIsConst))
		cJSON_free(item->string);
	item->string = k;
	item->type &= ~cJSON_StringIsConst;
	return 0;
}

cJSON *
km_alias(cJSON *obj, const char *canon, const char *alias)
{
	cJSON *c = json_get(obj, canon), *a = json_get(obj, alias);

	if (cJSON_IsNull(c)) {
		cJSON_DeleteItemFromObjectCaseSensitive(obj, canon);
		c = NULL;
	}
	if (a == NULL)
		return c;
	if (c == NULL && !cJSON_IsNull(a)) {
		/* rename in place so the field keeps its position */
		if (rename_key(a, canon) == 0)
			return a;
	}
	cJSON_Delete(cJSON_DetachItemViaPointer(obj, a));
	return c;
}

int
km_fix_id(cJSON *obj, const char *key)
{
	cJSON *it = json_get(obj, key), *num;
	int64_t v;

	if (it == NULL)
		return 0;
	if (cJSON_IsNull(it)) {
		cJSON_Delete(cJSON_DetachItemViaPointer(obj, it));
		return 0;
	}
	if (!json_int64(it, &v))
		return -1;
	if (cJSON_IsNumber(it))
		return 0;
	num = cJSON_CreateNumber((double)v);
	/* ..InObject.. (not ..ViaPointer) so the new item gets the key */
	if (num == NULL || !cJSON_ReplaceItemInObjectCaseSensitive(obj, key, num)) {
		cJSON_Delete(num);
		return -1;
	}
	return 0;
}

/* ---- time ---- */

/* The canonical form of every killmail time (see wntime.h for the rules). */
int
km_time_canon(const char *s, char out[KM_TIME_LEN + 1])
{
	int64_t t;

	if (wntime_iso_parse_str(s, 0, &t) < 0)
		return -1;
	return wntime_iso_format(t, out);
}

/* ---- victim and attackers ---- */

static const char *const party_ids[] = {
	"character_id", "corporation_id", "alliance_id", "faction_id",
	"ship_type_id", "weapon_type_id",
};

/* party[canon] = party[obj][field] when canon is missing: the preload
 * shape nests ESI objects ("corporation":{"name":..,"ticker":..}). */
static int
from_nested(cJSON *party, const char *canon, const char *obj, const char *field)
{
	const char *v = json_str(json_get(party, obj), field);

	if (json_get(party, canon) != NULL || v == NULL)
		return 0;
	return cJSON_AddStringToObject(party, canon, v) ? 0 : -1;
}

static int
party_names(cJSON *p)
{
	static const char *const nested[][3] = {
		{ "character_name", "character", "name" },
		{ "corporation_name", "corporation", "name" },
		{ "corporation_ticker", "corporation", "ticker" },
		{ "alliance_name", "alliance", "name" },
		{ "alliance_ticker", "alliance", "ticker" },
	};
	static const char *const names[] = {
		"character_name", "corporation_name", "corporation_ticker",
		"alliance_name", "alliance_ticker", "ship_type_name",
		"weapon_type_name",
	};

	km_alias(p, "character_name", "victim_name");
	km_alias(p, "character_name", "attacker_name");
	km_alias(p, "ship_type_name", "ship_name");
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (cJSON_IsNull(json_get(p, names[i])))
			cJSON_DeleteItemFromObjectCaseSensitive(p, names[i]);
	for (size_t i = 0; i < sizeof nested / sizeof *nested; i++)
		if (from_nested(p, nested[i][0], nested[i][1], nested[i][2]) < 0)
			return -1;
	return 0;
}

int
km_party(cJSON *party, const char *what, char *err, size_t errlen)
{
	if (!cJSON_IsObject(party)) {
		snprintf(err, errlen, "%s is not an object", what);
		return -1;
	}
	for (size_t i = 0; i < sizeof party_ids / sizeof *party_ids; i++) {
		if (km_fix_id(party, party_ids[i]) < 0) {
			snprintf(err, errlen, "%s.%s is not an id", what, party_ids[i]);
			return -1;
		}
	}
	if (party_names(party) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* ---- zkb ---- */

/* ISK value: null → removed, numeric string → number. */
static int
fix_value(cJSON *zkb, const char *key)
{
	cJSON *it = json_get(zkb, key), *num;
	char *end;
	double d;

	if (it == NULL || cJSON_IsNumber(it))
		return 0;
	if (cJSON_IsNull(it)) {
		cJSON_Delete(cJSON_DetachItemViaPointer(zkb, it));
		return 0;
	}
	if (!cJSON_IsString(it) || it->valuestring[0] == '\0')
		return -1;
	d = strtod(it->valuestring, &end);
	if (*end)
		return -1;
	num = cJSON_CreateNumber(d);
	if (num == NULL || !cJSON_ReplaceItemInObjectCaseSensitive(zkb, key, num)) {
		cJSON_Delete(num);
		return -1;
	}
	return 0;
}

int
km_zkb(cJSON *zkb, const char *hash, char *err, size_t errlen)
{
	static const char *const snake[][2] = {
		{ "locationID", "location_id" }, { "fittedValue", "fitted_value" },
		{ "droppedValue", "dropped_value" },
		{ "destroyedValue", "destroyed_value" },
		{ "totalValue", "total_value" }, { "attackerCount", "attacker_count" },
	};
	static const char *const ids[] = { "locationID", "points", "attackerCount" };
	static const char *const isk[] = {
		"fittedValue", "droppedValue", "destroyedValue", "totalValue",
	};

	for (size_t i = 0; i < sizeof snake / sizeof *snake; i++)
		km_alias(zkb, snake[i][0], snake[i][1]);
	for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
		if (km_fix_id(zkb, ids[i]) < 0) {
			snprintf(err, errlen, "zkb.%s is not a whole number", ids[i]);
			return -1;
		}
	for (size_t i = 0; i < sizeof isk / sizeof *isk; i++)
		if (fix_value(zkb, isk[i]) < 0) {
			snprintf(err, errlen, "zkb.%s is not a number", isk[i]);
			return -1;
		}
	if (hash != NULL && !cJSON_IsString(json_get(zkb, "hash"))) {
		cJSON_DeleteItemFromObjectCaseSensitive(zkb, "hash");
		if (cJSON_AddStringToObject(zkb, "hash", hash) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}
