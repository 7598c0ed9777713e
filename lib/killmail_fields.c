/* killmail_fields.c — field-level steps of killmail normalisation: alias
 * renaming, ids given as strings, timestamps, victim/attacker names and
 * the zkb object.  Pure functions over cJSON trees. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"
#include "killmail_fields.h"

#define get cJSON_GetObjectItemCaseSensitive

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
	cJSON *c = get(obj, canon), *a = get(obj, alias);

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
	cJSON *it = get(obj, key), *num;
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

/* n decimal digits at *s into *v; advances *s. */
static int
digits(const char **s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*s)++) {
		if (**s < '0' || **s > '9')
			return -1;
		*v = *v * 10 + (**s - '0');
	}
	return 0;
}

/* Howard Hinnant's days_from_civil / civil_from_days: proleptic
 * Gregorian calendar without timegm(), which POSIX lacks. */
static long long
days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long long z, int *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
month_days(int y, int m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return md[m - 1] + (m == 2 && leap);
}

/* Zone suffix → offset east of UTC in seconds; -1 on error. */
static int
zone(const char *s, long *off)
{
	int h, mi, sign;

	*off = 0;
	if (*s == '\0' || ((*s == 'Z' || *s == 'z') && s[1] == '\0'))
		return 0;
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if (digits(&s, 2, &h) < 0)
		return -1;
	if (*s == ':')
		s++;
	if (digits(&s, 2, &mi) < 0 || *s || h > 23 || mi > 59)
		return -1;
	*off = sign * (h * 3600L + mi * 60L);
	return 0;
}

int
km_time_canon(const char *s, char out[KM_TIME_LEN + 1])
{
	int y, mo, d, h, mi, se;
	long off;
	long long t;

	if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) ||
	    *s++ != '-' || digits(&s, 2, &d) || (*s != 'T' && *s != 't' && *s != ' '))
		return -1;
	s++;
	if (digits(&s, 2, &h) || *s++ != ':' || digits(&s, 2, &mi) ||
	    *s++ != ':' || digits(&s, 2, &se))
		return -1;
	if (*s == '.' || *s == ',') {
		if (s[1] < '0' || s[1] > '9')
			return -1;
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	}
	if (zone(s, &off) < 0 || mo < 1 || mo > 12 || d < 1 ||
	    d > month_days(y, mo) || h > 23 || mi > 59 || se > 59)
		return -1;
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
	civil_from_days(t >= 0 ? t / 86400 : (t - 86399) / 86400, &y, &mo, &d);
	t = ((t % 86400) + 86400) % 86400;
	if (y < 1 || y > 9999)
		return -1;
	snprintf(out, KM_TIME_LEN + 1, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d,
	    (int)(t / 3600), (int)(t / 60 % 60), (int)(t % 60));
	return 0;
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
	const char *v = json_str(get(party, obj), field);

	if (get(party, canon) != NULL || v == NULL)
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
		if (cJSON_IsNull(get(p, names[i])))
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
	cJSON *it = get(zkb, key), *num;
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
	if (hash != NULL && !cJSON_IsString(get(zkb, "hash"))) {
		cJSON_DeleteItemFromObjectCaseSensitive(zkb, "hash");
		if (cJSON_AddStringToObject(zkb, "hash", hash) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}
