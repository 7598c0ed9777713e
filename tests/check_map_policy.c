/* check_map_policy.c — the verdict table for ended or refused map streams
 * and the backoff's growth, cap, jitter and floor. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "map_policy.h"
#include "check_main.h"

static struct sse_result
http(long status, const char *body)
{
	struct sse_result r;

	memset(&r, 0, sizeof r);
	r.status = status;
	r.retry_after = -1;
	snprintf(r.body, sizeof r.body, "%s", body);
	return r;
}

START_TEST(refusals)
{
	char why[512];
	struct sse_result r = http(401, "{\"error\":\"Unauthorized (invalid token for map)\"}");

	ck_assert_int_eq(map_policy_verdict(&r, 0, why, sizeof why), MAP_BAD_KEY);
	ck_assert_ptr_nonnull(strstr(why, "HTTP 401"));
	ck_assert_ptr_nonnull(strstr(why, "invalid token for map"));
	r = http(404, "{\"error\":\"Map not found for identifier: x\"}");
	ck_assert_int_eq(map_policy_verdict(&r, 0, why, sizeof why), MAP_NOT_FOUND);
	r = http(503, "Server-Sent Events are disabled on this server");
	ck_assert_int_eq(map_policy_verdict(&r, 0, why, sizeof why), MAP_POLL);
	r = http(403, "{\"code\":\"SSE_DISABLED_FOR_MAP\",\"error\":\"x\",\"status\":403}");
	ck_assert_int_eq(map_policy_verdict(&r, 0, why, sizeof why), MAP_POLL);
	r = http(403, "Public API is disabled");
	ck_assert_int_eq(map_policy_verdict(&r, 0, why, sizeof why), MAP_RETRY_SLOW);
	r = http(403, "{\"code\":\"SSE_NOT_AVAILABLE\"}");
	ck_assert_int_eq(map_policy_verdict(&r, 0, why, sizeof why), MAP_RETRY_SLOW);
	r = http(402, "{\"code\":\"SUBSCRIPTION_REQUIRED\"}");
	ck_assert_int_eq(map_policy_verdict(&r, 0, why, sizeof why), MAP_RETRY_SLOW);
	r = http(429, "");
	ck_assert_int_eq(map_policy_verdict(&r, 0, why, sizeof why), MAP_RETRY_SLOW);
	ck_assert_str_eq(why, "HTTP 429");
	r = http(500, "{\"error\":\"Map owner not found\"}\nsecond line");
	ck_assert_int_eq(map_policy_verdict(&r, 0, why, sizeof why), MAP_RETRY);
	ck_assert_ptr_null(strchr(why, '\n'));
	r = http(502, "");
	ck_assert_int_eq(map_policy_verdict(&r, 0, why, sizeof why), MAP_RETRY);
}
END_TEST

START_TEST(streams_that_end)
{
	char why[512];
	struct sse_result r = http(200, "");

	r.stream = 1;
	ck_assert_int_eq(map_policy_verdict(&r, 0, why, sizeof why), MAP_RETRY);
	ck_assert_ptr_nonnull(strstr(why, "before its connected event"));
	ck_assert_int_eq(map_policy_verdict(&r, 1, why, sizeof why), MAP_RETRY);
	ck_assert_str_eq(why, "stream ended");
	r.transport_error = 1;
	snprintf(r.error, sizeof r.error, "Recv failure: Connection reset by peer");
	ck_assert_int_eq(map_policy_verdict(&r, 1, why, sizeof why), MAP_RETRY);
	ck_assert_str_eq(why, "Recv failure: Connection reset by peer");
	r = http(0, "");
	snprintf(r.error, sizeof r.error, "Failed to connect");
	ck_assert_int_eq(map_policy_verdict(&r, 0, why, sizeof why), MAP_RETRY);
	ck_assert_str_eq(why, "Failed to connect");
}
END_TEST

START_TEST(backoff_grows_caps_and_jitters)
{
	double prev = 0;

	for (int a = 0; a < 6; a++) {
		double lo = map_policy_backoff(1, 30, a, 0, 0), hi = map_policy_backoff(1, 30, a, 1, 0);
		ck_assert(lo > prev);
		ck_assert(hi >= lo * 1.399 && hi <= lo * 1.401);
		prev = hi;
	}
	ck_assert(map_policy_backoff(1, 30, 5, 0, 0) == 30);      /* 32 capped */
	ck_assert(map_policy_backoff(1, 30, 1000, 0.5, 0) == 36);
	ck_assert(map_policy_backoff(1, 30, 0, 0, 60) == 60);     /* the floor */
	ck_assert(map_policy_backoff(0.05, 2, 0, 0, 0) == 0.05);
	ck_assert(map_policy_backoff(1, 30, 0, 7, 0) == 1.4);     /* u clamped */
}
END_TEST

CHECK_MAIN("map_policy", refusals, streams_that_end, backoff_grows_caps_and_jitters)
