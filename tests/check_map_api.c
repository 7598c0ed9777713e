/* check_map_api.c — REST answers to map state entries, records, diffs,
 * and the event cursor (seen ids, resume point, persistence). */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "map_cursor.h"
#include "json.h"
#include "map_api.h"
#include "state.h"
#include "check_main.h"

static char *
fixture(const char *name, size_t *len)
{
	return check_fixture("map", name, len);
}

static cJSON *
fixture_json(const char *name)
{
	size_t len;
	char *b = fixture(name, &len), err[128];
	cJSON *j = json_parse(b, len, err, sizeof err);

	free(b);
	ck_assert_ptr_nonnull(j);
	return j;
}

static void
assert_str(const cJSON *o, const char *k, const char *want)
{
	const char *got = json_str(o, k);

	if (!want) {
		ck_assert_msg(cJSON_IsNull(cJSON_GetObjectItem(o, k)), "%s should be null", k);
		return;
	}
	ck_assert_msg(got != NULL, "%s missing", k);
	ck_assert_str_eq(got, want);
}

START_TEST(systems_joined_with_static_info)
{
	size_t len;
	char *b = fixture("systems_derived.json", &len), err[128];
	cJSON *arr = map_api_systems(b, len, err, sizeof err);
	cJSON *st = fixture_json("static_info_j155416_derived_current.json");
	cJSON *sys, *statics;

	ck_assert_ptr_nonnull(arr);
	ck_assert_int_eq(cJSON_GetArraySize(arr), 3);
	sys = map_api_system(31001503, cJSON_GetArrayItem(arr, 0), cJSON_GetObjectItem(st, "data"));
	ck_assert_int_eq(json_id(sys, "solar_system_id"), 31001503);
	assert_str(sys, "name", "J155416");
	assert_str(sys, "custom_name", "Home");
	assert_str(sys, "class_title", "C4");
	assert_str(sys, "security", "-1.0");
	assert_str(sys, "region_name", "D-R00018");
	assert_str(sys, "map_system_id", "5bf5b751-0e85-43e8-ba8c-0722eb140437");
	assert_str(sys, "effect_name", NULL);
	ck_assert_int_eq(json_id(sys, "system_class"), 4);
	ck_assert_int_eq(json_id(sys, "status"), 8);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(sys, "is_shattered")));
	statics = cJSON_GetObjectItem(sys, "statics");
	ck_assert_int_eq(cJSON_GetArraySize(statics), 2);
	assert_str(cJSON_GetArrayItem(statics, 0), "name", "C247");
	assert_str(cJSON_GetArrayItem(statics, 0), "destination", "C3");
	assert_str(cJSON_GetArrayItem(statics, 1), "destination", "C1");
	cJSON_Delete(sys);
	/* the temporary name is not a custom name */
	sys = map_api_system(31002229, cJSON_GetArrayItem(arr, 1), NULL);
	assert_str(sys, "name", "J132946");
	assert_str(sys, "custom_name", NULL);
	assert_str(sys, "temporary_name", "B1");
	ck_assert(cJSON_IsArray(cJSON_GetObjectItem(sys, "statics")));
	cJSON_Delete(sys);
	cJSON_Delete(st);
	cJSON_Delete(arr);
	free(b);
}
END_TEST

START_TEST(old_static_info_has_no_destinations)
{
	cJSON *st = fixture_json("static_info_j155416_notifier_doc.json");
	cJSON *sys = map_api_system(31001503, NULL, cJSON_GetObjectItem(st, "data"));
	const cJSON *s0 = cJSON_GetArrayItem(cJSON_GetObjectItem(sys, "statics"), 0);

	assert_str(sys, "name", "J155416");
	assert_str(s0, "name", "C247");
	cJSON_Delete(sys);
	cJSON_Delete(st);
}
END_TEST

START_TEST(event_payload_names)
{
	cJSON *st = fixture_json("static_info_j155416_derived_current.json");
	const cJSON *data = cJSON_GetObjectItem(st, "data");
	cJSON *p = cJSON_Parse("{\"solar_system_id\":31001503,\"position_x\":1}");
	cJSON *sys = map_api_system(31001503, p, data);

	assert_str(sys, "name", "J155416");      /* no name: static info */
	assert_str(sys, "custom_name", NULL);
	cJSON_Delete(sys);
	cJSON_Delete(p);
	p = cJSON_Parse("{\"solar_system_id\":31001503,\"name\":\"Home\",\"system_id\":\"u\"}");
	sys = map_api_system(31001503, p, data);
	assert_str(sys, "name", "J155416");
	assert_str(sys, "custom_name", "Home");  /* a stored name that differs */
	assert_str(sys, "map_system_id", "u");
	cJSON_Delete(sys);
	sys = map_api_system(31009999, p, NULL);   /* nothing known but the name */
	assert_str(sys, "name", "Home");
	assert_str(sys, "custom_name", NULL);
	cJSON_Delete(sys);
	cJSON_Delete(p);
	sys = map_api_system(31009999, NULL, NULL);
	assert_str(sys, "name", "System 31009999");
	cJSON_Delete(sys);
	cJSON_Delete(st);
}
END_TEST

START_TEST(static_info_round_trips_through_the_state)
{
	cJSON *st = fixture_json("static_info_j155416_derived_current.json");
	cJSON *a = map_api_system(31001503, NULL, cJSON_GetObjectItem(st, "data"));
	cJSON *back = map_api_static_from_system(a);
	cJSON *b = map_api_system(31001503, NULL, back);
	cJSON *bare = map_api_system(31001503, NULL, NULL);

	ck_assert(cJSON_Compare(a, b, 1));
	ck_assert_ptr_null(map_api_static_from_system(bare));
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(bare);
	cJSON_Delete(back);
	cJSON_Delete(st);
}
END_TEST

START_TEST(characters_by_eve_id)
{
	size_t len;
	char *b = fixture("characters_tracked_derived.json", &len), err[128];
	int skipped;
	cJSON *arr = map_api_characters(b, len, &skipped, err, sizeof err);
	const cJSON *c;

	ck_assert_ptr_nonnull(arr);
	ck_assert_int_eq(skipped, 0);
	ck_assert_int_eq(cJSON_GetArraySize(arr), 2);
	c = cJSON_GetArrayItem(arr, 0);
	ck_assert_int_eq(json_id(c, "character_id"), 2123456789);  /* from a string */
	assert_str(c, "name", "Test Pilot");
	assert_str(c, "corporation_ticker", "EXMPL");
	assert_str(c, "map_character_id", "3e5e616f-6499-4ed7-b519-e51e427fbcc6");
	c = cJSON_GetArrayItem(arr, 1);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(c, "alliance_id")));
	cJSON_Delete(arr);
	free(b);
}
END_TEST

START_TEST(characters_without_ids_skipped)
{
	static const char body[] =
		"{\"data\":[{\"character\":null,\"character_id\":\"x\"},"
		"{\"character\":{\"eve_id\":\"abc\",\"name\":\"Bad\"}},"
		"{\"character\":{\"eve_id\":\"5\",\"name\":\"A\"},\"character_id\":\"u1\"},"
		"{\"character\":{\"eve_id\":5,\"name\":\"A again\"},\"character_id\":\"u2\"}]}";
	char err[128];
	int skipped;
	cJSON *arr = map_api_characters(body, sizeof body - 1, &skipped, err, sizeof err);

	ck_assert_ptr_nonnull(arr);
	ck_assert_int_eq(skipped, 2);
	ck_assert_int_eq(cJSON_GetArraySize(arr), 1);   /* one entry per EVE id */
	cJSON_Delete(arr);
	ck_assert_ptr_null(map_api_characters("{\"data\":{}}", 11, &skipped, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "data"));
	ck_assert_ptr_null(map_api_systems("[1]", 3, err, sizeof err));
	ck_assert_ptr_null(map_api_systems("{", 1, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "not JSON"));
}
END_TEST

START_TEST(inaccurate_openapi_shape_tolerated)
{
	size_t len;
	char *b = fixture("systems_openapi_example_inaccurate.json", &len), err[128];
	cJSON *arr = map_api_systems(b, len, err, sizeof err);

	/* wrong in many ways, but a data.systems array: never a crash */
	if (arr) {
		const cJSON *e;
		cJSON_ArrayForEach(e, arr) {
			cJSON *s = map_api_system(json_id(e, "solar_system_id"), e, NULL);
			ck_assert_ptr_nonnull(json_str(s, "name"));
			cJSON_Delete(s);
		}
	}
	cJSON_Delete(arr);
	free(b);
}
END_TEST

struct diffs {
	char got[16][64];
	int n;
};

static void
on_diff(void *ud, const char *kind, const char *action, const cJSON *e)
{
	struct diffs *d = ud;
	int64_t id = json_id(e, strcmp(kind, "system") ? "character_id" : "solar_system_id");

	snprintf(d->got[d->n++], 64, "%s %s %lld", kind, action, (long long)id);
}

static cJSON *
doc_with(const int64_t *sys, int ns, const int64_t *chr, int nc)
{
	cJSON *s = cJSON_CreateArray(), *c = cJSON_CreateArray();

	for (int i = 0; i < ns; i++)
		cJSON_AddItemToArray(s, map_api_system(sys[i], NULL, NULL));
	for (int i = 0; i < nc; i++) {
		cJSON *e = cJSON_CreateObject();
		json_set_id(e, "character_id", chr[i]);
		cJSON_AddItemToArray(c, e);
	}
	return map_api_document("m", s, c, 0);
}

START_TEST(diff_added_and_removed)
{
	const int64_t s1[] = { 1, 2, 3 }, s2[] = { 2, 3, 4 }, c1[] = { 10 }, c2[] = { 11 };
	cJSON *a = doc_with(s1, 3, c1, 1), *b = doc_with(s2, 3, c2, 1);
	struct diffs d = { .n = 0 };

	map_api_diff(a, b, on_diff, &d);
	ck_assert_int_eq(d.n, 4);
	ck_assert_str_eq(d.got[0], "system added 4");
	ck_assert_str_eq(d.got[1], "system removed 1");
	ck_assert_str_eq(d.got[2], "character added 11");
	ck_assert_str_eq(d.got[3], "character removed 10");
	d.n = 0;
	map_api_diff(b, b, on_diff, &d);
	ck_assert_int_eq(d.n, 0);
	map_api_diff(NULL, b, on_diff, &d);       /* no previous state: all added */
	ck_assert_int_eq(d.n, 4);
	cJSON_Delete(a);
	cJSON_Delete(b);
}
END_TEST

START_TEST(put_find_remove)
{
	const int64_t s1[] = { 1, 2 };
	cJSON *d = doc_with(s1, 2, NULL, 0), *n = map_api_system(2, NULL, NULL);

	json_set_str(n, "custom_name", "X");
	map_api_put(d, "systems", "solar_system_id", n);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(d, "systems")), 2);
	assert_str(map_api_find(d, "systems", "solar_system_id", 2), "custom_name", "X");
	ck_assert_int_eq(map_api_remove(d, "systems", "solar_system_id", 1), 1);
	ck_assert_int_eq(map_api_remove(d, "systems", "solar_system_id", 1), 0);
	ck_assert_ptr_null(map_api_find(d, "systems", "solar_system_id", 1));
	ck_assert_ptr_nonnull(map_api_find_str(d, "systems", "custom_name", "X"));
	cJSON_Delete(d);
}
END_TEST

START_TEST(record_shape)
{
	cJSON *sys = map_api_system(31001503, NULL, NULL), *r;
	char *line = map_api_record("system", "added", sys, "01KKYKVB5XTQVYVKERM8X37FGK",
	                           "2026-03-17T19:20:03.517212Z"), err[64];

	ck_assert_ptr_nonnull(line);
	ck_assert(strncmp(line, "{\"type\":\"system\",\"action\":\"added\",", 34) == 0);
	ck_assert_ptr_null(strchr(line, '\n'));
	r = json_parse(line, strlen(line), err, sizeof err);
	assert_str(r, "event_id", "01KKYKVB5XTQVYVKERM8X37FGK");
	assert_str(r, "time", "2026-03-17T19:20:03.517212Z");
	ck_assert_int_eq(json_id(r, "solar_system_id"), 31001503);
	cJSON_Delete(r);
	free(line);
	line = map_api_record("system", "removed", sys, NULL, NULL);
	r = json_parse(line, strlen(line), err, sizeof err);
	assert_str(r, "event_id", NULL);
	ck_assert_uint_eq(strlen(json_str(r, "time")), 20);
	cJSON_Delete(r);
	free(line);
	cJSON_Delete(sys);
}
END_TEST

START_TEST(cursor_ulids_and_resume)
{
	struct map_cursor c;
	char r[ULID_LEN + 1];

	ck_assert(map_cursor_is_ulid("01KKYKVB5XTQVYVKERM8X37FGK"));
	ck_assert(!map_cursor_is_ulid("01kkykvb5xtqvyvkerm8x37fgk"));   /* upper case only */
	ck_assert(!map_cursor_is_ulid("01KKYKVB5XTQVYVKERM8X37FG"));
	ck_assert(!map_cursor_is_ulid("01KKYKVB5XTQVYVKERM8X37FGI"));   /* no I */
	ck_assert(!map_cursor_is_ulid("event-123"));
	ck_assert_int_eq(map_cursor_ms("00000000010000000000000000"), 1);
	ck_assert_int_eq(map_cursor_ms("0000000010000000000000000Z"), 32);
	map_cursor_init(&c);
	map_cursor_resume(&c, 5000, r);
	ck_assert_str_eq(r, "");
	map_cursor_add(&c, "01KKYKWFSA7QZCH0DW95C2F54G");
	map_cursor_add(&c, "01KKYKVB5XTQVYVKERM8X37FGK");   /* older, late */
	ck_assert_str_eq(c.newest, "01KKYKWFSA7QZCH0DW95C2F54G");
	ck_assert_str_eq(c.last, "01KKYKVB5XTQVYVKERM8X37FGK");
	map_cursor_resume(&c, 5000, r);
	ck_assert(map_cursor_is_ulid(r));
	ck_assert_int_eq(map_cursor_ms(r), map_cursor_ms(c.newest) - 5000);
	ck_assert_str_eq(r + 10, "0000000000000000");
	ck_assert(strcmp(r, c.newest) < 0);
	ck_assert(map_cursor_seen(&c, "01KKYKVB5XTQVYVKERM8X37FGK"));
	ck_assert(!map_cursor_seen(&c, "01KKYKXPR8Y37JTM93223W2WBW"));
	ck_assert(!map_cursor_seen(&c, ""));
}
END_TEST

START_TEST(cursor_bounded_and_persisted)
{
	char dir[] = "/tmp/wn-check-mapapi.XXXXXX", path[PATH_MAX], err[128], id[32];
	struct map_cursor *c = malloc(sizeof *c), *d = malloc(sizeof *d);

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/cursor.json", dir);
	map_cursor_init(c);
	for (int i = 0; i < MAP_CURSOR_SEEN + 10; i++) {
		snprintf(id, sizeof id, "01KKYKVB5X%016d", i);
		map_cursor_add(c, id);
	}
	/* exactly the newest MAP_CURSOR_SEEN are known: the hash chains
	 * follow every eviction */
	for (int i = 0; i < MAP_CURSOR_SEEN + 10; i++) {
		snprintf(id, sizeof id, "01KKYKVB5X%016d", i);
		ck_assert_int_eq(map_cursor_seen(c, id), i >= 10);
	}
	for (int i = 0; i < 3 * MAP_CURSOR_SEEN; i++) {   /* duplicates change nothing */
		snprintf(id, sizeof id, "01KKYKVB5X%016d", 10 + i % MAP_CURSOR_SEEN);
		map_cursor_add(c, id);
	}
	ck_assert(!map_cursor_seen(c, "01KKYKVB5X0000000000000000"));  /* oldest went */
	ck_assert(map_cursor_seen(c, "01KKYKVB5X0000000000000010"));
	ck_assert_int_eq(map_cursor_load(d, path, err, sizeof err), 1); /* no file */
	ck_assert_int_eq(map_cursor_save(c, path), 0);
	ck_assert_int_eq(map_cursor_load(d, path, err, sizeof err), 0);
	ck_assert_str_eq(d->newest, c->newest);
	ck_assert(map_cursor_seen(d, "01KKYKVB5X0000000000000010"));
	ck_assert(!map_cursor_seen(d, "01KKYKVB5X0000000000000009"));
	/* after a reload the ring keeps its order: the next add evicts the oldest */
	map_cursor_add(d, "01KKYKVB5XZZZZZZZZZZZZZZZZ");
	ck_assert(!map_cursor_seen(d, "01KKYKVB5X0000000000000010"));
	ck_assert(map_cursor_seen(d, "01KKYKVB5X0000000000000011"));
	ck_assert_int_eq(state_atomic_write(path, "[1", 2), 0);
	ck_assert_int_eq(map_cursor_load(d, path, err, sizeof err), -1);
	unlink(path);
	rmdir(dir);
	free(c);
	free(d);
}
END_TEST

CHECK_MAIN("map_api", systems_joined_with_static_info, old_static_info_has_no_destinations,
           event_payload_names, static_info_round_trips_through_the_state,
           characters_by_eve_id, characters_without_ids_skipped,
           inaccurate_openapi_shape_tolerated, diff_added_and_removed, put_find_remove,
           record_shape, cursor_ulids_and_resume, cursor_bounded_and_persisted)
