/* check_dupkeys.c — one rule for duplicate keys (the first occurrence
 * wins, for the fast scanner as for every cJSON reader), and killmail
 * normalisation that is its own fixed point (issue 14 #8, #9). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "killmail.h"
#include "killmail_facts.h"
#include "check_main.h"

#define S(s) s, sizeof s - 1

static cJSON *
parse(const char *s)
{
	char err[128];
	cJSON *j = json_parse(s, strlen(s), err, sizeof err);

	ck_assert_msg(j != NULL, "%s: %s", s, err);
	return j;
}

/* Scanner and tree agree on the facts wn-filter's rules read. */
static void
assert_same_facts(const char *line)
{
	struct killmail_facts a, b;
	char err[128];
	cJSON *j = parse(line);

	killmail_facts_init(&a);
	killmail_facts_init(&b);
	ck_assert_int_eq(killmail_facts_scan(&a, line, strlen(line), 1, 1, err, sizeof err), 0);
	ck_assert_int_eq(killmail_facts_from_json(&b, j), 0);
	ck_assert_int_eq(a.killmail_id, b.killmail_id);
	ck_assert_int_eq(a.solar_system_id, b.solar_system_id);
	ck_assert_int_eq(a.type, b.type);
	ck_assert_int_eq(a.has_notify, b.has_notify);
	ck_assert_int_eq(a.has_time, b.has_time);
	if (a.has_time)
		ck_assert_int_eq(a.kill_time, b.kill_time);
	ck_assert_int_eq(a.victim.character_id, b.victim.character_id);
	ck_assert_int_eq(a.has_value, b.has_value);
	if (a.has_value)
		ck_assert(a.total_value == b.total_value);
	ck_assert_int_eq(a.npc, b.npc);
	ck_assert_uint_eq(a.n_attackers, b.n_attackers);
	for (size_t i = 0; i < a.n_attackers; i++)
		ck_assert_int_eq(a.attackers[i].character_id, b.attackers[i].character_id);
	killmail_facts_free(&a);
	killmail_facts_free(&b);
	cJSON_Delete(j);
}

/* #8: passed as a kill in tracked 31001503, then titled "System 30000001". */
START_TEST(scanner_and_tree_take_the_first)
{
	static const char *const lines[] = {
		"{\"type\":\"killmail\",\"killmail_id\":1,\"solar_system_id\":30000001,"
		"\"solar_system_id\":31001503,\"killmail_time\":\"2026-03-17T18:02:11Z\","
		"\"victim\":{\"character_id\":5,\"character_id\":6},\"attackers\":[],"
		"\"zkb\":{\"totalValue\":5,\"totalValue\":7,\"npc\":false,\"npc\":true}}",
		"{\"killmail_id\":1,\"killmail_id\":2,\"victim\":{},\"victim\":{\"character_id\":9},"
		"\"zkb\":{},\"zkb\":{\"totalValue\":3}}",
		/* escaped keys are the same keys to both readers */
		"{\"solar_system\\u005fid\":31001503,\"solar_system_id\":30000001}",
		"{\"type\":\"system\",\"t\\u0079pe\":\"killmail\"}",
		/* keys are case-sensitive to both (cJSON_HasObjectItem is not) */
		"{\"tYpe\":\"killmail\",\"Notify\":{}}",
	};

	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		assert_same_facts(lines[i]);
}
END_TEST

/* A key or value holding \u0000 was read cut short by cJSON ("202" for
 * "202\u00006-03-17…", campaign finding 24) and whole by the scanner:
 * now neither reader takes the line. */
START_TEST(escaped_nul_refused_by_both)
{
	static const char *const lines[] = {
		"{\"killmail_id\\u0000x\":4,\"killmail_id\":8}",
		"{\"killmail_id\":1,\"killmail_time\":\"202\\u00006-03-17T18:02:11Z\"}",
	};
	struct killmail_facts a;
	char err[128];

	for (size_t i = 0; i < 2; i++) {
		ck_assert_ptr_null(json_parse(lines[i], strlen(lines[i]), err, sizeof err));
		ck_assert_str_eq(err + strlen(err) - strlen("NUL (\\u0000) in a string"),
		                 "NUL (\\u0000) in a string");
		killmail_facts_init(&a);
		ck_assert_int_eq(killmail_facts_scan(&a, lines[i], strlen(lines[i]), 1, 1, err, sizeof err), -1);
		killmail_facts_free(&a);
	}
}
END_TEST

START_TEST(parse_drops_repeats)
{
	char big[8192];
	size_t n = 0;
	cJSON *j = parse("{\"a\":1,\"b\":{\"x\":1,\"x\":2},\"a\":2,\"c\":[{\"y\":1,\"y\":{}}]}");
	char *p = json_print(j);

	ck_assert_str_eq(p, "{\"a\":1,\"b\":{\"x\":1},\"c\":[{\"y\":1}]}");
	cJSON_free(p);
	cJSON_Delete(j);
	/* a large object takes the sorting path: first kept, order kept */
	n += (size_t)snprintf(big + n, sizeof big - n, "{");
	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(big + n, sizeof big - n, "%s\"k%d\":%d", i ? "," : "", i % 100, i);
	snprintf(big + n, sizeof big - n, "}");
	j = parse(big);
	ck_assert_int_eq(cJSON_GetArraySize(j), 100);
	ck_assert_int_eq(json_id(j, "k7"), 7);
	ck_assert_str_eq(j->child->string, "k0");
	ck_assert_str_eq(j->child->next->string, "k1");
	cJSON_Delete(j);
}
END_TEST

static char *
normalize_text(const char *in, char *err, size_t errlen)
{
	cJSON *out = killmail_normalize(parse(in), err, errlen);
	char *t;

	if (!out)
		return NULL;
	t = json_print(out);
	cJSON_Delete(out);
	return t;
}

/* #9: normalize(normalize(x)) == normalize(x). */
START_TEST(normalize_is_idempotent)
{
	static const char *const cases[] = {
		"{\"killmail_id\":1,\"killmail_hash\":\"h\",\"killmail_time\":\"2026-03-17T18:02:11Z\","
		"\"solar_system_id\":30000142,\"victim\":{},\"total_value\":5}",
		"{\"killmail_id\":1,\"killmail_hash\":\"h\",\"killmail_time\":\"2026-03-17T18:02:11Z\","
		"\"solar_system_id\":30000142,\"victim\":{},\"npc\":true}",
		"{\"killmail_id\":1,\"kill_time\":\"2026-03-17T18:02:11Z\","
		"\"kill_time\":\"2026-03-18T00:00:00Z\",\"system_id\":30000142,\"victim\":{}}",
	};
	char err[200];

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *once = normalize_text(cases[i], err, sizeof err), *twice;
		ck_assert_msg(once != NULL, "%s: %s", cases[i], err);
		twice = normalize_text(once, err, sizeof err);
		ck_assert_msg(twice != NULL, "%s: %s", once, err);
		ck_assert_str_eq(twice, once);
		if (i == 0)
			ck_assert_ptr_nonnull(strstr(once, "\"zkb\":{\"totalValue\":5,\"hash\":\"h\"}"));
		if (i == 2)
			ck_assert_ptr_null(strstr(once, "kill_time"));
		cJSON_free(once);
		cJSON_free(twice);
	}
}
END_TEST

CHECK_MAIN("dupkeys", scanner_and_tree_take_the_first, parse_drops_repeats,
           normalize_is_idempotent, escaped_nul_refused_by_both)
