/* check_gapfill.c — the pure parts of wn-kills' gap fill (lib/gapfill.c):
 * the hours asked for, the request body, and the bulk answer turned
 * into id-and-hash records (bad rows counted, whole killmails kept). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "gapfill.h"
#include "json.h"
#include "check_main.h"

#define get cJSON_GetObjectItemCaseSensitive
#define H40 "c395103137f66dd8505de7b2b8817318b01903e9"

START_TEST(since_hours_covers_gap_and_late_hour)
{
	time_t now = 1800000000;

	ck_assert_int_eq(gapfill_since_hours(now - 4, now, 0), 2);      /* 4 s + 1 h */
	ck_assert_int_eq(gapfill_since_hours(now - 3600, now, 0), 2);
	ck_assert_int_eq(gapfill_since_hours(now - 3601, now, 0), 3);
	ck_assert_int_eq(gapfill_since_hours(now, now, 0), 1);
	ck_assert_int_eq(gapfill_since_hours(now + 50, now, 0), 1);     /* clock went back */
	ck_assert_int_eq(gapfill_since_hours(now - 5 * 86400, now, 0), 24);
	/* MAX_KILLMAIL_AGE_SECONDS: older kills are not asked for */
	ck_assert_int_eq(gapfill_since_hours(now - 10 * 3600, now, 3600), 1);
	ck_assert_int_eq(gapfill_since_hours(now - 10 * 3600, now, 7201), 3);
	ck_assert_int_eq(gapfill_since_hours(now - 600, now, 3600), 1);
}
END_TEST

START_TEST(body_is_the_servers_shape)
{
	int64_t sys[] = { 31001503, 30000142 };
	char *b = gapfill_body(sys, 2, 3, 200);

	ck_assert_str_eq(b, "{\"system_ids\":[31001503,30000142],\"since_hours\":3,\"limit\":200}");
	free(b);
}
END_TEST

static cJSON *
parse(const char *text, const int64_t *sys, size_t n, int limit, size_t *bad, size_t *full,
      int *rc)
{
	cJSON *out = cJSON_CreateArray();
	char err[256] = "";

	*rc = gapfill_parse(text, strlen(text), sys, n, limit, out, bad, full, err, sizeof err);
	if (*rc < 0)
		ck_assert_str_ne(err, "");
	return out;
}

START_TEST(rows_become_id_and_hash_records)
{
	int64_t sys[] = { 31001503, 31002222 };
	size_t bad, full;
	int rc;
	cJSON *out = parse(
	    "{\"data\":{\"systems_kills\":{"
	    "\"31001503\":[{\"killmail_id\":130500001,\"zkb\":{\"hash\":\"" H40 "\",\"totalValue\":1.5e6}},"
	    "{\"killmail_id\":\"130500002\",\"zkb\":{\"hash\":\"" H40 "\"}},"
	    "{\"zkb\":{\"hash\":\"" H40 "\"}},"
	    "{\"killmail_id\":-4,\"zkb\":{\"hash\":\"" H40 "\"}},"
	    "{\"killmail_id\":99999999999999999999,\"zkb\":{\"hash\":\"" H40 "\"}},"
	    "{\"killmail_id\":130500003,\"zkb\":{\"hash\":\"short\"}},"
	    "{\"killmail_id\":130500004}],"
	    "\"31002222\":[{\"killmail_id\":130500005,\"kill_time\":\"2026-12-01T00:00:00Z\","
	    "\"system_id\":31002222,\"victim\":{\"ship_type_id\":587},\"attackers\":[]}],"
	    "\"30000142\":[{\"killmail_id\":130500006,\"zkb\":{\"hash\":\"" H40 "\"}}]"
	    "},\"timestamp\":\"2026-12-07T23:00:00.000000Z\"},\"timestamp\":\"2026-12-07T23:00:00.000000Z\"}",
	    sys, 2, 200, &bad, &full, &rc);
	cJSON *r;

	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(cJSON_GetArraySize(out), 3);
	ck_assert_uint_eq(bad, 5);
	ck_assert_uint_eq(full, 0);
	r = cJSON_GetArrayItem(out, 0);
	ck_assert_int_eq(json_id(r, "killmail_id"), 130500001);
	ck_assert_str_eq(json_str(r, "killmail_hash"), H40);
	ck_assert_int_eq(json_id(r, "solar_system_id"), 31001503);
	ck_assert_double_eq(json_num(get(r, "zkb"), "totalValue", 0), 1.5e6);
	ck_assert_ptr_null(get(r, "victim"));
	ck_assert_int_eq(json_id(cJSON_GetArrayItem(out, 1), "killmail_id"), 130500002);
	/* a whole killmail stays whole, for the normaliser */
	r = cJSON_GetArrayItem(out, 2);
	ck_assert_int_eq(json_id(r, "killmail_id"), 130500005);
	ck_assert_ptr_nonnull(get(r, "victim"));
	cJSON_Delete(out);    /* 30000142 was not asked for: not taken */
}
END_TEST

START_TEST(full_lists_counted_and_cut)
{
	int64_t sys[] = { 31001503 };
	size_t bad, full;
	int rc;
	cJSON *out = parse(
	    "{\"data\":{\"systems_kills\":{\"31001503\":["
	    "{\"killmail_id\":1,\"zkb\":{\"hash\":\"" H40 "\"}},"
	    "{\"killmail_id\":2,\"zkb\":{\"hash\":\"" H40 "\"}},"
	    "{\"killmail_id\":3,\"zkb\":{\"hash\":\"" H40 "\"}}]}}}",
	    sys, 1, 2, &bad, &full, &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(cJSON_GetArraySize(out), 2);
	ck_assert_uint_eq(full, 1);
	cJSON_Delete(out);
}
END_TEST

START_TEST(bad_answers_refused)
{
	int64_t sys[] = { 31001503 };
	size_t bad, full;
	int rc;
	const char *bodies[] = {
		"{\"data\":{\"systems_kills\":{\"31001503\":[{\"killmail_id\":",
		"{\"data\":{\"kills\":[]}}",
		"[]",
		"{\"error\":\"Invalid system IDs\",\"code\":\"INVALID_SYSTEM_IDS\"}",
	};

	for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
		cJSON *out = parse(bodies[i], sys, 1, 200, &bad, &full, &rc);
		ck_assert_int_eq(rc, -1);
		ck_assert_int_eq(cJSON_GetArraySize(out), 0);
		cJSON_Delete(out);
	}
	/* a list that is not a list: that system skipped and counted */
	cJSON *out = parse("{\"data\":{\"systems_kills\":{\"31001503\":{}}}}", sys, 1, 200,
	                   &bad, &full, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(bad, 1);
	cJSON_Delete(out);
}
END_TEST

CHECK_MAIN("gapfill", since_hours_covers_gap_and_late_hour, body_is_the_servers_shape,
           rows_become_id_and_hash_records, full_lists_counted_and_cut, bad_answers_refused)
