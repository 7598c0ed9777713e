/* map_api.c — REST answers → map state entries, records and differences
 * (see map_api.h and wanderer-map spec §4). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "json.h"
#include "map_api.h"
#include "wntime.h"

static const cJSON *
get(const cJSON *o, const char *k)
{
	return o ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
}

/* Copy o[k] (string, number or bool) as `as`; null when absent or other. */
static void
copy_scalar(cJSON *dst, const char *as, const cJSON *o, const char *k)
{
	const cJSON *v = get(o, k);

	if (cJSON_IsString(v) || cJSON_IsNumber(v) || cJSON_IsBool(v))
		cJSON_AddItemToObject(dst, as, cJSON_Duplicate(v, 0));
	else
		cJSON_AddNullToObject(dst, as);
}

static void
add_str_or_null(cJSON *dst, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(dst, k, v);
	else
		cJSON_AddNullToObject(dst, k);
}

static void
add_id_or_null(cJSON *dst, const char *k, const cJSON *v)
{
	int64_t id;

	if (json_int64(v, &id))
		cJSON_AddNumberToObject(dst, k, (double)id);
	else
		cJSON_AddNullToObject(dst, k);
}

/* statics as [{"name":"C247","destination":"C3"}]: destinations from
 * static_details when the server sent them (it omits them for k-space). */
static cJSON *
statics_of(const cJSON *st)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *s, *d;

	cJSON_ArrayForEach(s, get(st, "statics")) {
		const char *dest = NULL;
		cJSON *e;

		if (!cJSON_IsString(s))
			continue;
		cJSON_ArrayForEach(d, get(st, "static_details")) {
			const char *n = json_str(d, "name");
			if (n && strcmp(n, s->valuestring) == 0)
				dest = json_str(get(d, "destination"), "short_name");
		}
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "name", s->valuestring);
		add_str_or_null(e, "destination", dest);
		cJSON_AddItemToArray(out, e);
	}
	return out;
}

static void
static_fields(cJSON *sys, const cJSON *st)
{
	copy_scalar(sys, "system_class", st, "system_class");
	copy_scalar(sys, "class_title", st, "class_title");
	copy_scalar(sys, "security", st, "security");
	copy_scalar(sys, "type_description", st, "type_description");
	add_id_or_null(sys, "region_id", get(st, "region_id"));
	copy_scalar(sys, "region_name", st, "region_name");
	copy_scalar(sys, "constellation_name", st, "constellation_name");
	copy_scalar(sys, "effect_name", st, "effect_name");
	cJSON_AddBoolToObject(sys, "is_shattered", json_bool(st, "is_shattered", 0));
	cJSON_AddItemToObject(sys, "statics", statics_of(st));
}

/* The EVE name: static info first, REST original_name, a payload name
 * only when nothing better is known, else "System <id>" (spec §2.3). */
static void
names(cJSON *sys, int64_t sid, const cJSON *src, const cJSON *st)
{
	const char *eve = json_str(st, "solar_system_name");
	const char *custom = NULL, *given = json_str(src, "name");
	int rest = get(src, "original_name") != NULL;
	char fallback[40];

	if (!eve)
		eve = json_str(src, "original_name");
	if (rest) {
		custom = json_str(src, "custom_name");
	} else if (given && eve && strcmp(given, eve) != 0) {
		custom = given;       /* a stored name that differs is a rename */
	} else if (!eve) {
		eve = given;
	}
	if (!eve) {
		snprintf(fallback, sizeof fallback, "System %" PRId64, sid);
		eve = fallback;
	}
	cJSON_AddStringToObject(sys, "name", eve);
	add_str_or_null(sys, "custom_name", custom && *custom ? custom : NULL);
	add_str_or_null(sys, "temporary_name", json_str(src, "temporary_name"));
}

cJSON *
map_api_system(int64_t sid, const cJSON *src, const cJSON *st)
{
	cJSON *sys = cJSON_CreateObject();
	const cJSON *status = get(src, "status");
	const char *row = get(src, "original_name") ? json_str(src, "id")
	                                            : json_str(src, "system_id");

	if (!sys)
		return NULL;
	cJSON_AddNumberToObject(sys, "solar_system_id", (double)sid);
	names(sys, sid, src, st);
	static_fields(sys, st);
	if (cJSON_IsNumber(status))
		cJSON_AddNumberToObject(sys, "status", status->valuedouble);
	else
		cJSON_AddNullToObject(sys, "status");
	add_str_or_null(sys, "map_system_id", row);
	return sys;
}

cJSON *
map_api_static_from_system(const cJSON *sys)
{
	cJSON *st, *codes, *details;
	const cJSON *s;

	if (!cJSON_IsNumber(get(sys, "system_class")) && !json_str(sys, "class_title"))
		return NULL;
	st = cJSON_CreateObject();
	cJSON_AddItemToObject(st, "solar_system_name", cJSON_Duplicate(get(sys, "name"), 0));
	static const char *const keys[] = { "system_class", "class_title", "security",
		"type_description", "region_id", "region_name", "constellation_name",
		"effect_name", "is_shattered" };
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (get(sys, keys[i]))
			cJSON_AddItemToObject(st, keys[i], cJSON_Duplicate(get(sys, keys[i]), 0));
	codes = cJSON_AddArrayToObject(st, "statics");
	details = cJSON_AddArrayToObject(st, "static_details");
	cJSON_ArrayForEach(s, get(sys, "statics")) {
		const char *n = json_str(s, "name"), *d = json_str(s, "destination");
		cJSON *e, *dest;

		if (!n)
			continue;
		cJSON_AddItemToArray(codes, cJSON_CreateString(n));
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "name", n);
		dest = cJSON_AddObjectToObject(e, "destination");
		add_str_or_null(dest, "short_name", d);
		cJSON_AddItemToArray(details, e);
	}
	return st;
}

cJSON *
map_api_character(const cJSON *row)
{
	const cJSON *ch = get(row, "character");
	cJSON *c;
	int64_t eve;

	/* flat rows (older shapes) carry the same fields at the top */
	if (!cJSON_IsObject(ch))
		ch = row;
	if (!json_int64(get(ch, "eve_id"), &eve) || eve <= 0)
		return NULL;
	c = cJSON_CreateObject();
	cJSON_AddNumberToObject(c, "character_id", (double)eve);
	copy_scalar(c, "name", ch, "name");
	add_id_or_null(c, "corporation_id", get(ch, "corporation_id"));
	copy_scalar(c, "corporation_ticker", ch, "corporation_ticker");
	add_id_or_null(c, "alliance_id", get(ch, "alliance_id"));
	copy_scalar(c, "alliance_ticker", ch, "alliance_ticker");
	add_str_or_null(c, "map_character_id",
	                ch == row ? NULL : json_str(row, "character_id"));
	return c;
}

cJSON *
map_api_find_in(const cJSON *arr, const char *key, int64_t id)
{
	cJSON *e;

	cJSON_ArrayForEach(e, arr)
		if (json_id(e, key) == id)
			return e;
	return NULL;
}

static cJSON *
parse_data(const char *body, size_t len, char *err, size_t errlen)
{
	char perr[200];
	cJSON *root = json_parse(body, len, perr, sizeof perr);

	if (!root)
		snprintf(err, errlen, "not JSON: %s", perr);
	return root;
}

cJSON *
map_api_systems(const char *body, size_t len, char *err, size_t errlen)
{
	cJSON *root = parse_data(body, len, err, errlen), *arr, *out;
	const cJSON *s;

	if (!root)
		return NULL;
	arr = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "data"),
	                                       "systems");
	if (!cJSON_IsArray(arr)) {
		snprintf(err, errlen, "no data.systems array");
		cJSON_Delete(root);
		return NULL;
	}
	out = cJSON_CreateArray();
	cJSON_ArrayForEach(s, arr)
		if (cJSON_IsObject(s))
			cJSON_AddItemToArray(out, cJSON_Duplicate(s, 1));
	cJSON_Delete(root);
	return out;
}

cJSON *
map_api_characters(const char *body, size_t len, int *skipped, char *err, size_t errlen)
{
	cJSON *root = parse_data(body, len, err, errlen), *arr, *out;
	const cJSON *r;

	*skipped = 0;
	if (!root)
		return NULL;
	arr = cJSON_GetObjectItemCaseSensitive(root, "data");
	if (!cJSON_IsArray(arr)) {
		snprintf(err, errlen, "no data array");
		cJSON_Delete(root);
		return NULL;
	}
	out = cJSON_CreateArray();
	cJSON_ArrayForEach(r, arr) {
		cJSON *c = map_api_character(r);
		int64_t id = c ? json_id(c, "character_id") : 0;

		if (!c)
			(*skipped)++;
		else if (map_api_find_in(out, "character_id", id))
			cJSON_Delete(c);   /* one entry per EVE id, even if rows repeat it */
		else
			cJSON_AddItemToArray(out, c);
	}
	cJSON_Delete(root);
	return out;
}

cJSON *
map_api_document(const char *map, cJSON *systems, cJSON *characters, time_t now)
{
	cJSON *d = cJSON_CreateObject();
	char t[32];

	map_api_iso_time(now, t, sizeof t);
	cJSON_AddNumberToObject(d, "version", 1);
	add_str_or_null(d, "map", map);
	cJSON_AddStringToObject(d, "updated", t);
	cJSON_AddItemToObject(d, "systems", systems ? systems : cJSON_CreateArray());
	cJSON_AddItemToObject(d, "characters", characters ? characters : cJSON_CreateArray());
	return d;
}

cJSON *
map_api_find(const cJSON *doc, const char *list, const char *key, int64_t id)
{
	return map_api_find_in(doc ? cJSON_GetObjectItemCaseSensitive(doc, list) : NULL,
	                      key, id);
}

cJSON *
map_api_find_str(const cJSON *doc, const char *list, const char *key, const char *v)
{
	const cJSON *arr = doc ? cJSON_GetObjectItemCaseSensitive(doc, list) : NULL;
	cJSON *e;

	cJSON_ArrayForEach(e, arr) {
		const char *s = json_str(e, key);
		if (s && v && strcmp(s, v) == 0)
			return e;
	}
	return NULL;
}

void
map_api_put(cJSON *doc, const char *list, const char *key, cJSON *item)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, list), *e;
	int i = 0;

	if (!arr)
		arr = cJSON_AddArrayToObject(doc, list);
	cJSON_ArrayForEach(e, arr) {
		if (json_id(e, key) == json_id(item, key)) {
			cJSON_ReplaceItemInArray(arr, i, item);
			return;
		}
		i++;
	}
	cJSON_AddItemToArray(arr, item);
}

int
map_api_remove(cJSON *doc, const char *list, const char *key, int64_t id)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, list), *e;
	int i = 0;

	cJSON_ArrayForEach(e, arr) {
		if (json_id(e, key) == id) {
			cJSON_DeleteItemFromArray(arr, i);
			return 1;
		}
		i++;
	}
	return 0;
}

void
map_api_iso_time(time_t t, char *buf, size_t size)
{
	char iso[WNTIME_ISO_LEN + 1];

	wntime_iso_format((int64_t)t, iso);
	snprintf(buf, size, "%s", iso);
}

char *
map_api_record(const char *type, const char *action, const cJSON *entry,
              const char *event_id, const char *when)
{
	cJSON *r = cJSON_CreateObject();
	const cJSON *f;
	char now[32], *out;

	cJSON_AddStringToObject(r, "type", type);
	if (action)
		cJSON_AddStringToObject(r, "action", action);
	cJSON_ArrayForEach(f, entry)
		if (f->string && strcmp(f->string, "type") && strcmp(f->string, "action") &&
		    strcmp(f->string, "event_id") && strcmp(f->string, "time"))
			cJSON_AddItemToObject(r, f->string, cJSON_Duplicate(f, 1));
	add_str_or_null(r, "event_id", event_id);
	if (!when) {
		map_api_iso_time(time(NULL), now, sizeof now);
		when = now;
	}
	cJSON_AddStringToObject(r, "time", when);
	{
		struct buf b = { 0 };

		out = json_out(r, &b) == 0 ? b.p : (buf_free(&b), NULL);
	}
	cJSON_Delete(r);
	return out;
}

static void
diff_list(const cJSON *a, const cJSON *b, const char *list, const char *key,
          const char *kind, const char *action, map_api_diff_fn fn, void *ud)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(a, list)) {
		int64_t id = json_id(e, key);
		if (id > 0 && !map_api_find(b, list, key, id))
			fn(ud, kind, action, e);
	}
}

void
map_api_diff(const cJSON *before, const cJSON *after, map_api_diff_fn fn, void *ud)
{
	diff_list(after, before, "systems", "solar_system_id", "system", "added", fn, ud);
	diff_list(before, after, "systems", "solar_system_id", "system", "removed", fn, ud);
	diff_list(after, before, "characters", "character_id", "character", "added", fn, ud);
	diff_list(before, after, "characters", "character_id", "character", "removed", fn, ud);
}
