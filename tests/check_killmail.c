/* check_killmail.c — every killmail shape in fixtures/kills normalises to
 * the same canonical record; aliases, ids, times, pass-through,
 * idempotence and every rejection. */
#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "killmail.h"
#include "state.h"
#include "check_main.h"

#define get cJSON_GetObjectItemCaseSensitive

/* ---- helpers ---- */

static cJSON *
parse(const char *text)
{
	char err[256];
	cJSON *j = json_parse(text, strlen(text), err, sizeof err);

	ck_assert_msg(j != NULL, "bad test JSON: %s", err);
	return j;
}

static cJSON *
fixture(const char *name)
{
	char err[256];
	size_t len;
	char *buf = check_fixture("kills", name, &len);
	cJSON *j;

	j = json_parse(buf, len, err, sizeof err);
	free(buf);
	ck_assert_msg(j != NULL, "%s: %s", name, err);
	return j;
}

static cJSON *
norm_ok(cJSON *in, const char *what)
{
	char err[256] = "";
	cJSON *out = killmail_normalize(in, err, sizeof err);

	ck_assert_msg(out != NULL, "%s rejected: %s", what, err);
	return out;
}

static cJSON *
norm_fixture(const char *name)
{
	return norm_ok(fixture(name), name);
}

static cJSON *
norm_text(const char *text)
{
	return norm_ok(parse(text), text);
}

/* Rejected, with a reason containing want. */
static void
rejects(const char *text, const char *want)
{
	char err[256] = "";
	cJSON *out = killmail_normalize(parse(text), err, sizeof err);

	ck_assert_msg(out == NULL, "accepted: %s", text);
	ck_assert_msg(strstr(err, want) != NULL, "reason \"%s\" lacks \"%s\"", err, want);
	ck_assert_msg(strchr(err, '\n') == NULL, "reason is not one line");
}

static int64_t
id_at(const cJSON *obj, const char *key)
{
	const cJSON *it = get(obj, key);

	ck_assert_msg(cJSON_IsNumber(it), "%s is not a number", key);
	return (int64_t)it->valuedouble;
}

static const char *
str_at(const cJSON *obj, const char *key)
{
	const char *s = json_str(obj, key);

	ck_assert_msg(s != NULL, "%s is not a string", key);
	return s;
}

static char *
print(const cJSON *j)
{
	char *s = cJSON_PrintUnformatted(j);

	ck_assert_ptr_nonnull(s);
	return s;
}

/* ---- the same kill in every shape ---- */

/* The facts every shape of kill 120000000 must yield, taken from the ESI
 * original rather than typed in here. */
static void
assert_same_kill(const cJSON *km, const cJSON *esi, const char *what)
{
	const cJSON *a, *b, *va = get(km, "victim"), *vb = get(esi, "victim");
	static const char *const vkeys[] = {
		"character_id", "corporation_id", "ship_type_id", "damage_taken",
	};
	static const char *const akeys[] = {
		"character_id", "corporation_id", "ship_type_id", "weapon_type_id",
		"damage_done",
	};

	ck_assert_str_eq(str_at(km, "type"), "killmail");
	ck_assert_int_eq(id_at(km, "killmail_id"), 120000000);
	ck_assert_int_eq(id_at(km, "killmail_id"), id_at(esi, "killmail_id"));
	ck_assert_str_eq(str_at(km, "killmail_time"), str_at(esi, "killmail_time"));
	ck_assert_int_eq(id_at(km, "solar_system_id"), id_at(esi, "solar_system_id"));
	for (size_t i = 0; i < sizeof vkeys / sizeof *vkeys; i++)
		ck_assert_msg(id_at(va, vkeys[i]) == id_at(vb, vkeys[i]),
		    "%s: victim.%s differs", what, vkeys[i]);
	ck_assert_int_eq(cJSON_GetArraySize(get(km, "attackers")),
	    cJSON_GetArraySize(get(esi, "attackers")));
	b = get(esi, "attackers")->child;
	cJSON_ArrayForEach(a, get(km, "attackers")) {
		for (size_t i = 0; i < sizeof akeys / sizeof *akeys; i++)
			ck_assert_msg(id_at(a, akeys[i]) == id_at(b, akeys[i]),
			    "%s: attacker %s differs", what, akeys[i]);
		ck_assert(cJSON_IsTrue(get(a, "final_blow")) ==
		    cJSON_IsTrue(get(b, "final_blow")));
		b = b->next;
	}
}

START_TEST(same_kill_every_shape)
{
	static const char *const files[] = {
		"esi_killmail.json", "esi_with_zkb.json", "r2z2_file.json",
		"redisq_package.json", "wanderer_kills_killmail.json",
	};
	cJSON *esi = fixture("esi_killmail.json"), *km;

	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		km = norm_fixture(files[i]);
		assert_same_kill(km, esi, files[i]);
		if (i > 0)
			ck_assert_str_eq(str_at(km, "killmail_hash"),
			    "c395103137f66dd8505de7b2b8817318b01903e9");
		else
			ck_assert_ptr_null(get(km, "killmail_hash"));
		cJSON_Delete(km);
	}
	cJSON_Delete(esi);
}
END_TEST

/* The killmails inside the WebSocket frames, as wn-kills would hand them
 * over (payload.killmails[] of a killmail_update). */
START_TEST(same_kill_in_ws_frames)
{
	cJSON *esi = fixture("esi_killmail.json");
	cJSON *v1 = fixture("ws_frame_v1.json"), *v2 = fixture("ws_frame_v2.json");
	cJSON *p1 = get(get(v1, "payload"), "killmails");
	cJSON *p2 = get(cJSON_GetArrayItem(v2, 4), "killmails");
	cJSON *km;

	ck_assert_int_eq(cJSON_GetArraySize(p1), 1);
	ck_assert_int_eq(cJSON_GetArraySize(p2), 1);
	km = norm_ok(cJSON_DetachItemFromArray(p1, 0), "v1 frame");
	assert_same_kill(km, esi, "v1 frame");
	cJSON_Delete(km);
	km = norm_ok(cJSON_DetachItemFromArray(p2, 0), "v2 frame");
	assert_same_kill(km, esi, "v2 frame");
	cJSON_Delete(km);
	cJSON_Delete(v1);
	cJSON_Delete(v2);
	cJSON_Delete(esi);
}
END_TEST

START_TEST(shapes_detected)
{
	static const struct { const char *file; enum killmail_shape shape; } t[] = {
		{ "esi_killmail.json", KM_ESI },
		{ "esi_with_zkb.json", KM_ESI_ZKB },
		{ "r2z2_file.json", KM_R2Z2 },
		{ "redisq_package.json", KM_REDISQ },
		{ "captured/redisq_package_null.json", KM_REDISQ },
		{ "wanderer_kills_killmail.json", KM_WANDERER_KILLS },
		{ "captured/killmail_encoder_test_full.json", KM_WANDERER_KILLS },
		{ "captured/synth_killmail_preload_new_server.json", KM_WANDERER_KILLS },
		{ "captured/killmail_test_factory_esi_input.json", KM_ESI_ZKB },
		{ "captured/esi_killmail_422_error.json", KM_UNKNOWN },
		{ "ws_frame_v2.json", KM_UNKNOWN },
	};
	cJSON *j, *km;

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		j = fixture(t[i].file);
		ck_assert_msg(killmail_shape(j) == t[i].shape, "%s: %s", t[i].file,
		    killmail_shape_name(killmail_shape(j)));
		cJSON_Delete(j);
	}
	km = norm_fixture("esi_killmail.json");
	ck_assert_int_eq(killmail_shape(km), KM_CANONICAL);
	cJSON_Delete(km);
	ck_assert_int_eq(killmail_shape(NULL), KM_UNKNOWN);
	ck_assert_str_eq(killmail_shape_name(KM_R2Z2), "r2z2");
	ck_assert_str_eq(killmail_shape_name(KM_WANDERER_KILLS), "wanderer-kills");
	ck_assert_str_eq(killmail_shape_name((enum killmail_shape)99), "unknown");
}
END_TEST

/* ---- WandererKills names and zkb ---- */

START_TEST(wanderer_kills_names)
{
	cJSON *km = norm_fixture("wanderer_kills_killmail.json");
	cJSON *v = get(km, "victim"), *a0 = cJSON_GetArrayItem(get(km, "attackers"), 0);
	cJSON *a13 = cJSON_GetArrayItem(get(km, "attackers"), 13);

	ck_assert_str_eq(str_at(v, "character_name"), "Victim Name");
	ck_assert_str_eq(str_at(v, "corporation_name"), "Victim Corp");
	ck_assert_str_eq(str_at(v, "ship_type_name"), "Raven");
	ck_assert_ptr_null(get(v, "ship_name"));
	ck_assert_str_eq(str_at(a0, "character_name"), "Attacker 0");
	ck_assert_str_eq(str_at(a0, "ship_type_name"), "Rattlesnake");
	ck_assert_str_eq(str_at(a13, "character_name"), "Attacker 13");
	ck_assert_ptr_null(get(a0, "ship_name"));
	ck_assert_ptr_null(get(km, "kill_time"));
	ck_assert_ptr_null(get(km, "system_id"));
	cJSON_Delete(km);

	km = norm_fixture("captured/killmail_encoder_test_full.json");
	v = get(km, "victim");
	a0 = cJSON_GetArrayItem(get(km, "attackers"), 0);
	ck_assert_str_eq(str_at(v, "corporation_ticker"), "TEST");
	ck_assert_str_eq(str_at(v, "ship_type_name"), "Capsule");
	ck_assert_str_eq(str_at(a0, "alliance_name"), "Attacker Alliance");
	ck_assert_str_eq(str_at(a0, "alliance_ticker"), "ATKR");
	ck_assert_str_eq(str_at(a0, "corporation_ticker"), "ATTK");
	ck_assert_int_eq(id_at(km, "moon_id"), 40000001);
	ck_assert_int_eq(id_at(km, "attacker_count"), 1);   /* passes through */
	ck_assert_int_eq(id_at(get(km, "zkb"), "locationID"), 60003760);
	cJSON_Delete(km);
}
END_TEST

/* v1.5 preload: names nested in ESI objects, nulls, values at the top. */
START_TEST(preload_shape)
{
	cJSON *km = norm_fixture("captured/synth_killmail_preload_new_server.json");
	cJSON *v = get(km, "victim"), *a0 = cJSON_GetArrayItem(get(km, "attackers"), 0);
	cJSON *zkb = get(km, "zkb");

	ck_assert_int_eq(id_at(km, "killmail_id"), 56733821);
	ck_assert_int_eq(id_at(km, "solar_system_id"), 30002976);
	ck_assert_str_eq(str_at(km, "killmail_time"), "2016-10-22T17:13:36Z");
	ck_assert_str_eq(str_at(v, "character_name"), "Synthetic Victim");
	ck_assert_str_eq(str_at(v, "corporation_name"), "Synthetic Victim Corp");
	ck_assert_str_eq(str_at(v, "corporation_ticker"), "SVC");
	ck_assert_str_eq(str_at(v, "alliance_name"), "Synthetic Alliance");
	ck_assert_str_eq(str_at(v, "alliance_ticker"), "SYNA");
	ck_assert_str_eq(str_at(v, "ship_type_name"), "Synthetic Ship V");
	ck_assert_ptr_nonnull(get(v, "items"));                 /* kept */
	ck_assert_ptr_nonnull(get(v, "character"));             /* kept */
	ck_assert_str_eq(str_at(a0, "corporation_ticker"), "SNPC");
	ck_assert_str_eq(str_at(a0, "corporation_name"), "Synthetic NPC Corp");
	ck_assert_ptr_null(get(a0, "alliance_id"));             /* was null */
	ck_assert_ptr_null(get(a0, "alliance_name"));
	ck_assert_int_eq(id_at(a0, "faction_id"), 500003);
	/* total_value and npc at the top moved into zkb (zkb's own win) */
	ck_assert_ptr_null(get(km, "total_value"));
	ck_assert_ptr_null(get(km, "npc"));
	ck_assert_double_eq_tol(json_num(zkb, "totalValue", 0), 10000000.55, 1e-6);
	ck_assert(cJSON_IsFalse(get(zkb, "npc")));
	ck_assert_ptr_nonnull(get(zkb, "href"));
	ck_assert_ptr_nonnull(get(km, "final_blow_attacker"));
	ck_assert_int_eq(id_at(km, "involved_parties"), 2);
	cJSON_Delete(km);
}
END_TEST

/* v1.1 preload (by the spec's code reading): names as victim_name /
 * attacker_name, explicit nulls, value and npc only at the top. */
START_TEST(preload_v11_shape)
{
	cJSON *km = norm_text("{\"killmail_id\":9,\"kill_time\":\"2026-01-01T00:00:00Z\","
	    "\"system_id\":31000005,\"total_value\":1.5e9,\"npc\":true,\"attacker_count\":1,"
	    "\"victim\":{\"character_id\":null,\"victim_name\":\"Vic\",\"ship_name\":\"Astrahus\","
	    "\"corporation_name\":null,\"alliance_ticker\":\"AT\",\"ship_type_id\":35832},"
	    "\"attackers\":[{\"character_id\":95810944,\"attacker_name\":\"Att\","
	    "\"alliance_id\":null}],\"zkb\":{\"hash\":\"abc\",\"locationID\":null}}");
	cJSON *v = get(km, "victim"), *a0 = cJSON_GetArrayItem(get(km, "attackers"), 0);
	cJSON *zkb = get(km, "zkb");

	ck_assert_ptr_null(get(v, "character_id"));
	ck_assert_str_eq(str_at(v, "character_name"), "Vic");
	ck_assert_ptr_null(get(v, "victim_name"));
	ck_assert_str_eq(str_at(v, "ship_type_name"), "Astrahus");
	ck_assert_ptr_null(get(v, "corporation_name"));
	ck_assert_str_eq(str_at(v, "alliance_ticker"), "AT");
	ck_assert_str_eq(str_at(a0, "character_name"), "Att");
	ck_assert_ptr_null(get(a0, "attacker_name"));
	ck_assert_ptr_null(get(a0, "alliance_id"));
	ck_assert_double_eq_tol(json_num(zkb, "totalValue", 0), 1.5e9, 1e-3);
	ck_assert(cJSON_IsTrue(get(zkb, "npc")));
	ck_assert_ptr_null(get(km, "total_value"));
	ck_assert_ptr_null(get(zkb, "locationID"));
	ck_assert_int_eq(id_at(km, "attacker_count"), 1);
	cJSON_Delete(km);

	/* no zkb at all: the top-level value makes one */
	km = norm_text("{\"killmail_id\":9,\"kill_time\":\"2026-01-01T00:00:00Z\","
	    "\"system_id\":31000005,\"total_value\":42,\"victim\":{}}");
	ck_assert_double_eq_tol(json_num(get(km, "zkb"), "totalValue", 0), 42, 1e-9);
	ck_assert_ptr_null(get(km, "killmail_hash"));
	cJSON_Delete(km);
}
END_TEST

START_TEST(structure_and_npc)
{
	cJSON *km = norm_fixture("captured/synth_killmail_structure_npc_attacker.json");
	cJSON *v = get(km, "victim"), *a = get(km, "attackers");
	cJSON *zkb = get(km, "zkb");

	ck_assert_int_eq(id_at(km, "solar_system_id"), 31000005);
	ck_assert_ptr_null(get(v, "character_id"));
	ck_assert_int_eq(id_at(v, "ship_type_id"), 35832);
	ck_assert_int_eq(id_at(v, "damage_taken"), 1250000);
	ck_assert_ptr_null(get(cJSON_GetArrayItem(a, 0), "character_id"));
	ck_assert_int_eq(id_at(cJSON_GetArrayItem(a, 0), "ship_type_id"), 30000);
	ck_assert_int_eq(id_at(cJSON_GetArrayItem(a, 1), "character_id"), 2112000001);
	ck_assert_double_eq_tol(json_num(zkb, "totalValue", 0), 1.5e9, 1e-3);
	ck_assert_int_eq(cJSON_GetArraySize(get(zkb, "labels")), 5);
	ck_assert_str_eq(cJSON_GetArrayItem(get(zkb, "labels"), 2)->valuestring, "pvp");
	cJSON_Delete(km);
}
END_TEST

START_TEST(zkb_snake_to_camel)
{
	static const char *const camel[] = {
		"locationID", "hash", "fittedValue", "droppedValue", "destroyedValue",
		"totalValue", "points", "npc", "solo", "awox", "labels",
	};
	static const char *const snake[] = {
		"location_id", "fitted_value", "dropped_value", "destroyed_value",
		"total_value",
	};
	cJSON *km = norm_text("{\"killmail_id\":1,\"kill_time\":\"2026-01-01T00:00:00Z\","
	    "\"system_id\":31000001,\"victim\":{},\"attackers\":[],"
	    "\"zkb\":{\"location_id\":40000001,\"hash\":\"h1\",\"fitted_value\":1.0e3,"
	    "\"dropped_value\":2.5e2,\"destroyed_value\":750.5,\"total_value\":\"1000.5\","
	    "\"points\":7,\"npc\":true,\"solo\":true,\"awox\":false,"
	    "\"labels\":[\"solo\",\"loc:w-space\"],\"custom\":\"kept\"}}");
	cJSON *zkb = get(km, "zkb");

	for (size_t i = 0; i < sizeof camel / sizeof *camel; i++)
		ck_assert_msg(get(zkb, camel[i]) != NULL, "no zkb.%s", camel[i]);
	for (size_t i = 0; i < sizeof snake / sizeof *snake; i++)
		ck_assert_msg(get(zkb, snake[i]) == NULL, "zkb.%s left", snake[i]);
	ck_assert_int_eq(id_at(zkb, "locationID"), 40000001);
	ck_assert_double_eq_tol(json_num(zkb, "fittedValue", 0), 1000.0, 1e-9);
	ck_assert_double_eq_tol(json_num(zkb, "droppedValue", 0), 250.0, 1e-9);
	ck_assert_double_eq_tol(json_num(zkb, "destroyedValue", 0), 750.5, 1e-9);
	ck_assert(cJSON_IsNumber(get(zkb, "totalValue")));      /* was a string */
	ck_assert_double_eq_tol(json_num(zkb, "totalValue", 0), 1000.5, 1e-9);
	ck_assert(cJSON_IsTrue(get(zkb, "npc")));
	ck_assert_str_eq(str_at(zkb, "custom"), "kept");
	ck_assert_str_eq(str_at(km, "killmail_hash"), "h1");
	cJSON_Delete(km);

	/* the docs examples carry snake_case zkb with a real-looking hash */
	km = norm_fixture("captured/killmail_docs_api_guide.json");
	zkb = get(km, "zkb");
	ck_assert_int_eq(id_at(zkb, "locationID"), 50000001);
	ck_assert_double_eq_tol(json_num(zkb, "totalValue", 0), 1.52e8, 1e-3);
	ck_assert_ptr_null(get(zkb, "total_value"));
	ck_assert_str_eq(str_at(km, "killmail_hash"), "abc123def456");
	cJSON_Delete(km);
}
END_TEST

/* zkb present on both forms: camelCase wins, the snake duplicate goes;
 * v1.1 nulls are dropped. */
START_TEST(zkb_duplicates_and_nulls)
{
	cJSON *km = norm_text("{\"killmail_id\":2,\"killmail_time\":\"2026-01-01T00:00:00Z\","
	    "\"solar_system_id\":30000142,\"victim\":{\"character_id\":null,\"ship_type_id\":670},"
	    "\"zkb\":{\"totalValue\":5,\"total_value\":9,\"locationID\":null,"
	    "\"points\":null,\"hash\":\"abc\"}}");
	cJSON *zkb = get(km, "zkb");

	ck_assert_double_eq_tol(json_num(zkb, "totalValue", 0), 5, 1e-9);
	ck_assert_ptr_null(get(zkb, "total_value"));
	ck_assert_ptr_null(get(zkb, "locationID"));
	ck_assert_ptr_null(get(zkb, "points"));
	ck_assert_ptr_null(get(get(km, "victim"), "character_id"));
	ck_assert_int_eq(cJSON_GetArraySize(get(km, "attackers")), 0);  /* added */
	cJSON_Delete(km);
}
END_TEST

/* R2Z2 and RedisQ: the envelope's hash fills killmail_hash and zkb.hash. */
START_TEST(hash_sources)
{
	cJSON *km = norm_text("{\"killmail_id\":3,\"hash\":\"fromtop\",\"esi\":{"
	    "\"killmail_id\":3,\"killmail_time\":\"2026-01-01T00:00:00Z\","
	    "\"solar_system_id\":30000142,\"victim\":{},\"attackers\":[]},"
	    "\"zkb\":{\"totalValue\":1}}");

	ck_assert_str_eq(str_at(km, "killmail_hash"), "fromtop");
	ck_assert_str_eq(str_at(get(km, "zkb"), "hash"), "fromtop");
	ck_assert_ptr_null(get(km, "hash"));
	ck_assert_ptr_null(get(km, "esi"));
	cJSON_Delete(km);
	km = norm_text("{\"package\":{\"killID\":4,\"killmail\":{\"killmail_id\":4,"
	    "\"killmail_time\":\"2026-01-01T00:00:00Z\",\"solar_system_id\":30000142,"
	    "\"victim\":{}},\"zkb\":{\"hash\":\"zh\"}}}");
	ck_assert_str_eq(str_at(km, "killmail_hash"), "zh");
	ck_assert_ptr_null(get(km, "killID"));
	ck_assert_ptr_null(get(km, "package"));
	ck_assert_int_eq(id_at(km, "killmail_id"), 4);
	cJSON_Delete(km);
}
END_TEST

/* ---- pass-through, ids, idempotence ---- */

START_TEST(unknown_fields_pass_through)
{
	cJSON *km = norm_fixture("r2z2_file.json"), *a0, *v;

	ck_assert_int_eq(id_at(km, "uploaded_at"), 1764547200);
	ck_assert_int_eq(id_at(km, "sequence_id"), 95000000);
	ck_assert_int_eq(id_at(get(km, "zkb"), "attackerCount"), 14);
	ck_assert_str_eq(str_at(get(km, "zkb"), "href"),
	    "https://esi.evetech.net/killmails/120000000/"
	    "c395103137f66dd8505de7b2b8817318b01903e9/");
	v = get(km, "victim");
	ck_assert_int_eq(cJSON_GetArraySize(get(v, "items")), 3);
	ck_assert_double_eq_tol(json_num(get(v, "position"), "x", 0),
	    760861375346.2693, 1e-3);
	cJSON_Delete(km);

	km = norm_text("{\"killmail_id\":\"5\",\"killmail_time\":\"2026-01-01T00:00:00Z\","
	    "\"solar_system_id\":30000142,\"x_top\":[1,{\"a\":null}],"
	    "\"notify\":{\"kind\":\"system_kill\"},"
	    "\"victim\":{\"x_victim\":\"v\",\"ship_type_name\":\"Rifter\"},"
	    "\"attackers\":[{\"x_att\":true,\"character_name\":\"\xc3\x85sa\"}]}");
	v = get(km, "victim");
	a0 = cJSON_GetArrayItem(get(km, "attackers"), 0);
	ck_assert_int_eq(cJSON_GetArraySize(get(km, "x_top")), 2);
	ck_assert_str_eq(str_at(get(km, "notify"), "kind"), "system_kill");
	ck_assert_str_eq(str_at(v, "x_victim"), "v");
	ck_assert_str_eq(str_at(v, "ship_type_name"), "Rifter");
	ck_assert(cJSON_IsTrue(get(a0, "x_att")));
	ck_assert_str_eq(str_at(a0, "character_name"), "\xc3\x85sa");
	cJSON_Delete(km);
}
END_TEST

START_TEST(ids_as_strings)
{
	cJSON *km = norm_text("{\"killmail_id\":\"120000000\",\"kill_time\":"
	    "\"2026-11-01T23:19:06Z\",\"system_id\":\"31000005\",\"moon_id\":\"40000001\","
	    "\"victim\":{\"character_id\":\"2112000001\",\"corporation_id\":\"98000003\","
	    "\"alliance_id\":\"99000002\",\"ship_type_id\":\"35832\"},"
	    "\"attackers\":[{\"character_id\":\"95810944\",\"weapon_type_id\":\"3074\","
	    "\"faction_id\":\"500003\"}],\"zkb\":{\"locationID\":\"1000000000017\"}}");
	cJSON *v = get(km, "victim"), *a0 = cJSON_GetArrayItem(get(km, "attackers"), 0);

	ck_assert_int_eq(id_at(km, "killmail_id"), 120000000);
	ck_assert_int_eq(id_at(km, "solar_system_id"), 31000005);
	ck_assert_int_eq(id_at(km, "moon_id"), 40000001);
	ck_assert_int_eq(id_at(v, "character_id"), 2112000001);
	ck_assert_int_eq(id_at(v, "corporation_id"), 98000003);
	ck_assert_int_eq(id_at(v, "alliance_id"), 99000002);
	ck_assert_int_eq(id_at(v, "ship_type_id"), 35832);
	ck_assert_int_eq(id_at(a0, "character_id"), 95810944);
	ck_assert_int_eq(id_at(a0, "weapon_type_id"), 3074);
	ck_assert_int_eq(id_at(a0, "faction_id"), 500003);
	ck_assert_int_eq(id_at(get(km, "zkb"), "locationID"), 1000000000017LL);
	cJSON_Delete(km);
}
END_TEST

static const char *const all_good[] = {
	"esi_killmail.json", "esi_with_zkb.json", "r2z2_file.json",
	"redisq_package.json", "wanderer_kills_killmail.json",
	"captured/killmail_docs_api_guide.json",
	"captured/killmail_encoder_test_full.json",
	"captured/killmail_encoder_test_minimal.json",
	"captured/killmail_openapi_schema_example.json",
	"captured/killmail_test_factory_esi_input.json",
	"captured/synth_killmail_preload_new_server.json",
	"captured/synth_killmail_realtime_new_server.json",
	"captured/synth_killmail_structure_npc_attacker.json",
};

START_TEST(idempotent)
{
	for (size_t i = 0; i < sizeof all_good / sizeof *all_good; i++) {
		cJSON *once = norm_fixture(all_good[i]), *twice;
		char *a = print(once), *b;

		twice = norm_ok(cJSON_Duplicate(once, 1), all_good[i]);
		b = print(twice);
		ck_assert_msg(strcmp(a, b) == 0, "%s changed on a second pass", all_good[i]);
		ck_assert_int_eq(killmail_shape(twice), KM_CANONICAL);
		ck_assert_ptr_eq(twice->child, get(twice, "type"));   /* type first */
		free(a);
		free(b);
		cJSON_Delete(once);
		cJSON_Delete(twice);
	}
}
END_TEST

/* Every canonical record names its kill the same way, whatever the shape. */
START_TEST(canonical_fields_everywhere)
{
	for (size_t i = 0; i < sizeof all_good / sizeof *all_good; i++) {
		cJSON *km = norm_fixture(all_good[i]);
		static const char *const gone[] = {
			"kill_time", "system_id", "hash", "killID", "package", "esi",
		};

		ck_assert(id_at(km, "killmail_id") > 0);
		ck_assert(id_at(km, "solar_system_id") > 0);
		ck_assert_uint_eq(strlen(str_at(km, "killmail_time")), 20);
		ck_assert(cJSON_IsObject(get(km, "victim")));
		ck_assert(cJSON_IsArray(get(km, "attackers")));
		for (size_t k = 0; k < sizeof gone / sizeof *gone; k++)
			ck_assert_msg(get(km, gone[k]) == NULL, "%s: %s left",
			    all_good[i], gone[k]);
		cJSON_Delete(km);
	}
}
END_TEST

/* The documentation examples wrap killmails in lists. */
START_TEST(docs_examples)
{
	static const struct { const char *file, *path1, *path2; int64_t id; } t[] = {
		{ "captured/http_kills_system_response_docs.json", "data", "kills", 123456789 },
		{ "captured/notifier_mock_system_killmails_response.json", NULL, "kills", 12345 },
		{ "captured/webhook_payload_readme.json", NULL, "kills", 123456 },
		{ "captured/ws_killmail_update_payload_examples_readme.json", NULL,
		  "killmails", 123456789 },
	};

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		cJSON *doc = fixture(t[i].file), *list = doc, *km;

		if (t[i].path1)
			list = get(list, t[i].path1);
		list = get(list, t[i].path2);
		ck_assert_int_ge(cJSON_GetArraySize(list), 1);
		km = norm_ok(cJSON_DetachItemFromArray(list, 0), t[i].file);
		ck_assert_int_eq(id_at(km, "killmail_id"), t[i].id);
		ck_assert_int_eq(id_at(km, "solar_system_id"), 30000142);
		cJSON_Delete(km);
		cJSON_Delete(doc);
	}
}
END_TEST

/* ---- time ---- */

static void
time_is(const char *in, const char *want)
{
	char buf[256];
	cJSON *km;

	snprintf(buf, sizeof buf, "{\"killmail_id\":1,\"solar_system_id\":2,"
	    "\"victim\":{},\"killmail_time\":\"%s\"}", in);
	km = norm_text(buf);
	ck_assert_msg(strcmp(str_at(km, "killmail_time"), want) == 0,
	    "%s → %s, want %s", in, str_at(km, "killmail_time"), want);
	cJSON_Delete(km);
}

static void
time_bad(const char *in)
{
	char buf[256];

	snprintf(buf, sizeof buf, "{\"killmail_id\":1,\"solar_system_id\":2,"
	    "\"victim\":{},\"kill_time\":\"%s\"}", in);
	rejects(buf, "is not an ISO 8601 time");
}

START_TEST(time_formats)
{
	time_is("2026-11-01T23:19:06Z", "2026-11-01T23:19:06Z");
	time_is("2026-11-01T23:19:06.123456Z", "2026-11-01T23:19:06Z");
	time_is("2026-11-01T23:19:06+00:00", "2026-11-01T23:19:06Z");
	time_is("2026-11-01T23:19:06.5+00:00", "2026-11-01T23:19:06Z");
	time_is("2026-11-02T01:19:06+02:00", "2026-11-01T23:19:06Z");
	time_is("2026-11-01T20:19:06-0300", "2026-11-01T23:19:06Z");
	time_is("2026-11-01 23:19:06", "2026-11-01T23:19:06Z");
	time_is("2027-01-01T01:00:00+02:00", "2026-12-31T23:00:00Z");
	time_is("2024-02-29T23:30:00-01:00", "2024-03-01T00:30:00Z");
	time_is("2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00Z");
	time_is("2026-11-01t23:19:06z", "2026-11-01T23:19:06Z");
}
END_TEST

START_TEST(time_rejected)
{
	time_bad("");
	time_bad("yesterday");
	time_bad("2026-11-01");
	time_bad("2026-11-01T23:19");
	time_bad("2023-02-29T00:00:00Z");
	time_bad("2026-13-01T00:00:00Z");
	time_bad("2026-00-01T00:00:00Z");
	time_bad("2026-04-31T00:00:00Z");
	time_bad("2026-11-01T24:00:00Z");
	time_bad("2026-11-01T23:60:00Z");
	time_bad("2026-11-01T23:19:61Z");
	time_bad("2026-11-01T23:19:06.Z");
	time_bad("2026-11-01T23:19:06Zjunk");
	time_bad("2026-11-01T23:19:06+2");
	time_bad("2026-11-01T23:19:06+24:00");
	time_bad("2026/11/01T23:19:06Z");
	rejects("{\"killmail_id\":1,\"solar_system_id\":2,\"victim\":{},"
	    "\"killmail_time\":1762039146}", "killmail_time is not a string");
	rejects("{\"killmail_id\":1,\"solar_system_id\":2,\"victim\":{}}",
	    "no killmail_time");
	rejects("{\"killmail_id\":1,\"solar_system_id\":2,\"victim\":{},"
	    "\"killmail_time\":null}", "no killmail_time");
}
END_TEST

/* ---- rejections ---- */

START_TEST(rejections)
{
	static const struct { const char *in, *why; } t[] = {
		{ "[1,2]", "not a JSON object" },
		{ "\"killmail\"", "not a JSON object" },
		{ "42", "not a JSON object" },
		{ "null", "not a JSON object" },
		{ "{}", "no killmail_id" },
		{ "{\"package\":null}", "empty RedisQ package" },
		{ "{\"package\":{}}", "empty RedisQ package" },
		{ "{\"package\":{\"killID\":130678514,\"zkb\":{\"hash\":\"145c\"}}}",
		  "fetch it from ESI" },
		{ "{\"killmail_id\":7,\"hash\":\"h\",\"esi\":{\"killmail_id\":8,"
		  "\"killmail_time\":\"2026-01-01T00:00:00Z\",\"solar_system_id\":2,"
		  "\"victim\":{}}}", "does not match" },
		{ "{\"type\":\"system\",\"solar_system_id\":31000001}", "not a killmail" },
		{ "{\"error\":\"Unprocessable entity message\"}", "error response" },
		{ "{\"killmail_id\":\"abc\",\"killmail_time\":\"2026-01-01T00:00:00Z\","
		  "\"solar_system_id\":2,\"victim\":{}}", "killmail_id is not" },
		{ "{\"killmail_id\":0,\"killmail_time\":\"2026-01-01T00:00:00Z\","
		  "\"solar_system_id\":2,\"victim\":{}}", "killmail_id is not" },
		{ "{\"killmail_id\":-5,\"killmail_time\":\"2026-01-01T00:00:00Z\","
		  "\"solar_system_id\":2,\"victim\":{}}", "killmail_id is not" },
		{ "{\"killmail_id\":1.5,\"killmail_time\":\"2026-01-01T00:00:00Z\","
		  "\"solar_system_id\":2,\"victim\":{}}", "killmail_id is not" },
		{ "{\"killmail_id\":null,\"killmail_time\":\"2026-01-01T00:00:00Z\","
		  "\"solar_system_id\":2,\"victim\":{}}", "no killmail_id" },
		{ "{\"killmail_id\":1,\"killmail_time\":\"2026-01-01T00:00:00Z\","
		  "\"victim\":{}}", "no solar_system_id" },
		{ "{\"killmail_id\":1,\"kill_time\":\"2026-01-01T00:00:00Z\","
		  "\"system_id\":\"J155416\",\"victim\":{}}", "solar_system_id is not" },
		{ "{\"killmail_id\":1,\"killmail_time\":\"2026-01-01T00:00:00Z\","
		  "\"solar_system_id\":2}", "no victim" },
		{ "{\"killmail_id\":1,\"killmail_time\":\"2026-01-01T00:00:00Z\","
		  "\"solar_system_id\":2,\"victim\":[]}", "victim is not an object" },
		{ "{\"killmail_id\":1,\"killmail_time\":\"2026-01-01T00:00:00Z\","
		  "\"solar_system_id\":2,\"victim\":{},\"attackers\":{}}",
		  "attackers is not an array" },
		{ "{\"killmail_id\":1,\"killmail_time\":\"2026-01-01T00:00:00Z\","
		  "\"solar_system_id\":2,\"victim\":{},\"attackers\":[{},7]}",
		  "attackers[1] is not an object" },
		{ "{\"killmail_id\":1,\"killmail_time\":\"2026-01-01T00:00:00Z\","
		  "\"solar_system_id\":2,\"victim\":{},\"attackers\":[{\"character_id\":\"x\"}]}",
		  "attackers[0].character_id is not an id" },
		{ "{\"killmail_id\":1,\"killmail_time\":\"2026-01-01T00:00:00Z\","
		  "\"solar_system_id\":2,\"victim\":{\"ship_type_id\":true}}",
		  "victim.ship_type_id is not an id" },
		{ "{\"killmail_id\":1,\"killmail_time\":\"2026-01-01T00:00:00Z\","
		  "\"solar_system_id\":2,\"victim\":{},\"zkb\":[]}", "zkb is not an object" },
		{ "{\"killmail_id\":1,\"killmail_time\":\"2026-01-01T00:00:00Z\","
		  "\"solar_system_id\":2,\"victim\":{},\"zkb\":{\"total_value\":\"lots\"}}",
		  "zkb.totalValue is not a number" },
		{ "{\"killmail_id\":1,\"killmail_time\":\"2026-01-01T00:00:00Z\","
		  "\"solar_system_id\":2,\"victim\":{},\"zkb\":{\"points\":1.5}}",
		  "zkb.points is not a whole number" },
		{ "{\"killmail_id\":1,\"killmail_time\":\"2026-01-01T00:00:00Z\","
		  "\"solar_system_id\":2,\"victim\":{},\"moon_id\":\"m\"}", "moon_id" },
	};

	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		rejects(t[i].in, t[i].why);
}
END_TEST

START_TEST(rejected_fixtures)
{
	char err[256];

	ck_assert_ptr_null(killmail_normalize(fixture("captured/redisq_package_null.json"),
	    err, sizeof err));
	ck_assert_str_eq(err, "empty RedisQ package");
	ck_assert_ptr_null(killmail_normalize(fixture("captured/esi_killmail_422_error.json"),
	    err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "Unprocessable entity message"));
	ck_assert_ptr_null(killmail_normalize(fixture("captured/zkb_encoder_test.json"),
	    err, sizeof err));
	ck_assert_str_eq(err, "no killmail_id");
	ck_assert_ptr_null(killmail_normalize(fixture("ws_frame_v2.json"), err, sizeof err));
	ck_assert_str_eq(err, "not a JSON object");
	/* a tiny or absent error buffer is fine */
	ck_assert_ptr_null(killmail_normalize(parse("{}"), err, 4));
	ck_assert_str_eq(err, "no ");
	ck_assert_ptr_null(killmail_normalize(parse("{}"), NULL, 0));
	ck_assert_ptr_null(killmail_normalize(NULL, err, sizeof err));
}
END_TEST


/* ---- every member replaced by every kind of wrong value ---- */

/* Accepted records keep the contract; rejected ones say why in a line. */
static void
check_outcome(cJSON *out, const char *err, const char *what)
{
	cJSON *again, *a;
	char *p1, *p2;

	if (out == NULL) {
		ck_assert_msg(err[0] != '\0' && strchr(err, '\n') == NULL,
		    "%s: rejected without a one-line reason", what);
		return;
	}
	ck_assert_ptr_eq(out->child, get(out, "type"));
	ck_assert_str_eq(str_at(out, "type"), "killmail");
	ck_assert(id_at(out, "killmail_id") > 0);
	ck_assert(id_at(out, "solar_system_id") > 0);
	ck_assert_uint_eq(strlen(str_at(out, "killmail_time")), 20);
	ck_assert(cJSON_IsObject(get(out, "victim")));
	ck_assert(cJSON_IsArray(get(out, "attackers")));
	cJSON_ArrayForEach(a, get(out, "attackers"))
		ck_assert(cJSON_IsObject(a));
	p1 = print(out);
	again = norm_ok(cJSON_Duplicate(out, 1), what);
	p2 = print(again);
	ck_assert_msg(strcmp(p1, p2) == 0, "%s: not idempotent", what);
	free(p1);
	free(p2);
	cJSON_Delete(again);
}

/* The n-th node in pre-order (root is 0), with its parent. */
static cJSON *
nth_node(cJSON *node, cJSON *parent, int *n, cJSON **parent_out)
{
	cJSON *c, *hit;

	if ((*n)-- == 0) {
		*parent_out = parent;
		return node;
	}
	for (c = node->child; c != NULL; c = c->next)
		if ((hit = nth_node(c, node, n, parent_out)) != NULL)
			return hit;
	return NULL;
}

static cJSON *
mutation(int kind)
{
	switch (kind) {
	case 0: return cJSON_CreateNull();
	case 1: return cJSON_CreateString("x");
	case 2: return cJSON_CreateNumber(1.5);
	case 3: return cJSON_CreateArray();
	case 4: return cJSON_CreateObject();
	case 5: return cJSON_CreateNumber(-1);
	case 6: return cJSON_CreateString("123");
	default: return cJSON_CreateTrue();
	}
}

START_TEST(every_member_mutated)
{
	static const char *const files[] = {
		"wanderer_kills_killmail.json", "r2z2_file.json", "redisq_package.json",
		"captured/synth_killmail_preload_new_server.json",
	};
	long accepted = 0, rejected = 0;

	for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
		cJSON *orig = fixture(files[f]);

		for (int i = 1;; i++) {
			cJSON *doc = NULL, *node = NULL, *parent = NULL, *rep, *out;
			char err[256], what[128];
			int k, n;

			for (k = 0; k < 8; k++) {
				doc = cJSON_Duplicate(orig, 1);
				n = i;
				node = nth_node(doc, NULL, &n, &parent);
				if (node == NULL)
					break;
				rep = mutation(k);
				/* ..ViaPointer keeps the place but not the key */
				if (node->string != NULL) {
					rep->string = strdup(node->string);
					ck_assert_ptr_nonnull(rep->string);
				}
				ck_assert(cJSON_ReplaceItemViaPointer(parent, node, rep));
				snprintf(what, sizeof what, "%s node %d kind %d", files[f], i, k);
				err[0] = '\0';
				out = killmail_normalize(doc, err, sizeof err);
				check_outcome(out, err, what);
				if (out != NULL)
					accepted++;
				else
					rejected++;
				cJSON_Delete(out);
			}
			if (node == NULL) {
				cJSON_Delete(doc);
				break;
			}
		}
		cJSON_Delete(orig);
	}
	/* both outcomes must have happened many times */
	ck_assert_int_gt(accepted, 1000);
	ck_assert_int_gt(rejected, 50);
}
END_TEST

CHECK_MAIN("killmail", same_kill_every_shape, same_kill_in_ws_frames,
    shapes_detected, wanderer_kills_names, preload_shape, preload_v11_shape, structure_and_npc,
    zkb_snake_to_camel, zkb_duplicates_and_nulls, hash_sources,
    unknown_fields_pass_through, ids_as_strings, idempotent,
    canonical_fields_everywhere, docs_examples, time_formats, time_rejected,
    rejections, rejected_fixtures, every_member_mutated)
