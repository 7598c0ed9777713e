/* check_outbox_ratelimit.c — pacing from Discord's headers, global limit, 429s,
 * backoff, and the brake on invalid requests.  Time is simulated. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "outbox_ratelimit.h"
#include "check_main.h"

#define H(s) s, sizeof s - 1

START_TEST(parse_headers_any_case_and_chunks)
{
	struct outbox_ratelimit_info i;

	outbox_ratelimit_parse_headers(H("HTTP/1.1 200 OK\r\nx-ratelimit-limit: 5\r\n"
	                   "X-RateLimit-Remaining: 4\r\nX-RateLimit-Reset: 1470173023.123\r\n"
	                   "X-RateLimit-Reset-After:  1.234 \r\nX-RateLimit-Bucket: abcd1234\r\n\r\n"), &i);
	ck_assert_int_eq(i.limit, 5);
	ck_assert(i.has_remaining);
	ck_assert_int_eq(i.remaining, 4);
	ck_assert(i.has_reset_after);
	ck_assert_double_eq_tol(i.reset_after, 1.234, 1e-9);
	ck_assert_str_eq(i.bucket, "abcd1234");
	ck_assert(!i.has_retry_after);
	ck_assert(!i.global);
	outbox_ratelimit_parse_headers(H("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 65\r\n"
	                   "X-RateLimit-Global: true\r\nX-RateLimit-Scope: global\r\n"), &i);
	ck_assert(i.has_retry_after);
	ck_assert_double_eq_tol(i.retry_after, 65, 1e-9);
	ck_assert(i.global);
	ck_assert_str_eq(i.scope, "global");
	ck_assert(!i.has_remaining);
	/* garbage values are ignored, not misread */
	outbox_ratelimit_parse_headers(H("X-RateLimit-Remaining: lots\r\nX-RateLimit-Reset-After: -3\r\n"), &i);
	ck_assert(!i.has_remaining);
	ck_assert(!i.has_reset_after);
	outbox_ratelimit_parse_headers(NULL, 0, &i);
	ck_assert(!i.has_remaining);
}
END_TEST

/* A webhook bucket of 5 per 2 s: after five sends the sixth waits for the
 * announced reset, and nothing waits before that. */
START_TEST(bucket_paced_by_remaining)
{
	struct outbox_ratelimit *rl = outbox_ratelimit_new(50);
	struct outbox_ratelimit_info i = { .has_remaining = 1, .has_reset_after = 1 };
	double now = 100.0;

	for (int k = 0; k < 5; k++) {
		ck_assert_double_eq(outbox_ratelimit_ready_at(rl, "webhook:1", now), now);
		outbox_ratelimit_on_send(rl, "webhook:1", now);
		i.remaining = 4 - k;
		i.reset_after = 2.0 - k * 0.1;
		outbox_ratelimit_on_response(rl, "webhook:1", 200, &i, now + 0.05);
		now += 0.1;
	}
	double at = outbox_ratelimit_ready_at(rl, "webhook:1", now);
	ck_assert_double_ge(at, 100.0 + 0.45 + 1.6);
	ck_assert_double_le(at, 100.0 + 0.45 + 1.6 + 0.05);
	/* another target is not held up */
	ck_assert_double_eq(outbox_ratelimit_ready_at(rl, "webhook:2", now), now);
	/* after the reset the bucket is open again */
	ck_assert_double_eq(outbox_ratelimit_ready_at(rl, "webhook:1", at), at);
	outbox_ratelimit_free(rl);
}
END_TEST

START_TEST(global_fifty_per_second)
{
	struct outbox_ratelimit *rl = outbox_ratelimit_new(50);
	double now = 10.0;

	for (int k = 0; k < 50; k++) {
		char key[32];
		snprintf(key, sizeof key, "channel:%d", k % 7);
		ck_assert_double_eq(outbox_ratelimit_ready_at(rl, key, now), now);
		outbox_ratelimit_on_send(rl, key, now);
		now += 0.001;
	}
	/* the 51st (to any target) waits until the first is a second old */
	ck_assert_double_eq_tol(outbox_ratelimit_ready_at(rl, "channel:99", now), 11.0, 1e-9);
	outbox_ratelimit_free(rl);
}
END_TEST

START_TEST(on_429_route_global_shared_and_cloudflare)
{
	struct outbox_ratelimit *rl = outbox_ratelimit_new(50);
	struct outbox_ratelimit_info i;

	memset(&i, 0, sizeof i);
	i.has_retry_after = 1;
	i.retry_after = 1.234;
	strcpy(i.scope, "user");
	double w = outbox_ratelimit_on_429(rl, "webhook:1", &i, 0.0);
	ck_assert_double_ge(w, 1.234);
	ck_assert_double_lt(w, 1.3);
	ck_assert_double_ge(outbox_ratelimit_ready_at(rl, "webhook:1", 0.5), 1.234);
	ck_assert_double_eq(outbox_ratelimit_ready_at(rl, "webhook:2", 0.5), 0.5);
	ck_assert_int_eq(outbox_ratelimit_invalid_count(rl, 0.5), 1);

	/* global: every target waits */
	i.global = 1;
	i.retry_after = 3.0;
	strcpy(i.scope, "global");
	outbox_ratelimit_on_429(rl, "webhook:1", &i, 2.0);
	ck_assert_double_ge(outbox_ratelimit_ready_at(rl, "webhook:2", 2.0), 5.0);

	/* shared: waits, but is not an invalid request */
	memset(&i, 0, sizeof i);
	i.has_retry_after = 1;
	i.retry_after = 40;
	strcpy(i.scope, "shared");
	outbox_ratelimit_on_429(rl, "channel:7", &i, 10.0);
	ck_assert_double_ge(outbox_ratelimit_ready_at(rl, "channel:7", 10.0), 50.0);
	ck_assert_int_eq(outbox_ratelimit_invalid_count(rl, 10.0), 2);

	/* no headers, no body hint (Cloudflare): a long cool-down */
	memset(&i, 0, sizeof i);
	w = outbox_ratelimit_on_429(rl, "channel:8", &i, 100.0);
	ck_assert_double_eq(w, OUTBOX_RATELIMIT_COOLDOWN_NO_HEADERS);
	ck_assert_double_ge(outbox_ratelimit_ready_at(rl, "channel:8", 100.0), 160.0);
	ck_assert_double_ge(outbox_ratelimit_ready_at(rl, "webhook:9", 100.0), 160.0);   /* every route */
	outbox_ratelimit_free(rl);
}
END_TEST

START_TEST(backoff_grows_with_jitter_and_caps)
{
	struct outbox_ratelimit *rl = outbox_ratelimit_new(50);
	struct outbox_ratelimit_info none;
	double prev = 0;

	memset(&none, 0, sizeof none);
	for (int k = 0; k < 12; k++) {
		double d = outbox_ratelimit_on_error(rl, "webhook:1", 0.0);
		double base = k < 6 ? (double)(1 << k) : 60.0;
		if (base > 60)
			base = 60;
		ck_assert_double_ge(d, base);
		ck_assert_double_le(d, base * 1.3);
		if (k < 5)
			ck_assert_double_gt(d, prev * 0.99);
		prev = d;
	}
	/* a network error (no status) does not reset the count */
	outbox_ratelimit_on_response(rl, "webhook:1", 0, &none, 500.0);
	ck_assert_double_ge(outbox_ratelimit_on_error(rl, "webhook:1", 500.0), 60.0);
	/* a success resets the count */
	outbox_ratelimit_on_response(rl, "webhook:1", 200, &none, 1000.0);
	ck_assert_double_le(outbox_ratelimit_on_error(rl, "webhook:1", 1000.0), 1.3);
	outbox_ratelimit_free(rl);
}
END_TEST

START_TEST(invalid_request_brake)
{
	struct outbox_ratelimit *rl = outbox_ratelimit_new(50);
	struct outbox_ratelimit_info none;

	memset(&none, 0, sizeof none);
	for (int k = 0; k < OUTBOX_RATELIMIT_INVALID_BRAKE - 1; k++)
		outbox_ratelimit_on_response(rl, "webhook:1", 401, &none, 1.0);
	ck_assert_double_eq(outbox_ratelimit_ready_at(rl, "webhook:2", 1.0), 1.0);
	outbox_ratelimit_on_response(rl, "webhook:1", 403, &none, 1.0);
	/* everything pauses until the 10-minute window is over */
	ck_assert_double_ge(outbox_ratelimit_ready_at(rl, "webhook:2", 2.0), 1.0 + OUTBOX_RATELIMIT_INVALID_WINDOW);
	ck_assert_int_eq(outbox_ratelimit_invalid_count(rl, 2.0), OUTBOX_RATELIMIT_INVALID_BRAKE);
	ck_assert_int_eq(outbox_ratelimit_invalid_count(rl, 2.0 + OUTBOX_RATELIMIT_INVALID_WINDOW), 0);
	outbox_ratelimit_free(rl);
}
END_TEST

CHECK_MAIN("outbox_ratelimit", parse_headers_any_case_and_chunks, bucket_paced_by_remaining,
           global_fifty_per_second, on_429_route_global_shared_and_cloudflare,
           backoff_grows_with_jitter_and_caps, invalid_request_brake)
