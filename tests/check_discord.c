/* check_discord.c — what Discord's answers mean (discord.c), and the bot
 * API nonce. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "discord.h"
#include "json.h"
#include "check_main.h"

#define S(s) s, sizeof s - 1

START_TEST(ok_answers)
{
	struct discord_result r;

	discord_classify(200, S("HTTP/1.1 200 OK\r\nX-RateLimit-Remaining: 4\r\n"
	                        "X-RateLimit-Reset-After: 1.5\r\n"),
	                 S("{\"id\":\"334385199974967042\",\"type\":0}"), &r);
	ck_assert_int_eq(r.outcome, DC_OK);
	ck_assert_str_eq(r.message_id, "334385199974967042");
	ck_assert(r.rl.has_remaining);
	ck_assert_int_eq(r.rl.remaining, 4);
	discord_classify(204, S("HTTP/1.1 204 No Content\r\n"), NULL, 0, &r);
	ck_assert_int_eq(r.outcome, DC_OK);
	/* Discord said 200: saved, even if the body is cut or not JSON */
	discord_classify(200, NULL, 0, S("{\"id\": \"12"), &r);
	ck_assert_int_eq(r.outcome, DC_OK);
	ck_assert_str_eq(r.message_id, "");
}
END_TEST

START_TEST(rate_limited_answers)
{
	struct discord_result r;

	discord_classify(429, S("Retry-After: 2\r\nX-RateLimit-Scope: user\r\n"
	                        "X-RateLimit-Remaining: 0\r\n"),
	                 S("{\"message\":\"You are being rate limited.\",\"retry_after\":1.234,"
	                   "\"global\":false}"), &r);
	ck_assert_int_eq(r.outcome, DC_RATE_LIMITED);
	ck_assert(r.rl.has_retry_after);
	ck_assert_double_eq_tol(r.rl.retry_after, 1.234, 1e-9);   /* the float wins */
	ck_assert(!r.rl.global);
	ck_assert_str_eq(r.rl.scope, "user");
	discord_classify(429, S("Retry-After: 1\r\n"),
	                 S("{\"message\":\"x\",\"retry_after\":0.5,\"global\":true}"), &r);
	ck_assert(r.rl.global);
	/* Cloudflare: no headers, HTML body — nothing to wait on, not JSON */
	discord_classify(429, S("Content-Type: text/html\r\n"), S("error code: 1015"), &r);
	ck_assert_int_eq(r.outcome, DC_RATE_LIMITED);
	ck_assert(!r.rl.has_retry_after);
	ck_assert_ptr_nonnull(strstr(r.reason, "Cloudflare"));
	discord_classify(429, NULL, 0, S("{\"code\":0,\"message\":\"You are being blocked\"}"), &r);
	ck_assert(!r.rl.has_retry_after);
}
END_TEST

START_TEST(refusals_and_retries)
{
	struct discord_result r;

	discord_classify(404, NULL, 0, S("{\"message\": \"Unknown Webhook\", \"code\": 10015}"), &r);
	ck_assert_int_eq(r.outcome, DC_BAD_ROUTE);
	ck_assert_int_eq(r.code, 10015);
	ck_assert_str_eq(r.reason, "404 Unknown Webhook (code 10015)");
	discord_classify(401, NULL, 0, S("{\"message\":\"401: Unauthorized\",\"code\":0}"), &r);
	ck_assert_int_eq(r.outcome, DC_BAD_ROUTE);
	discord_classify(403, NULL, 0, S("{\"message\":\"Missing Permissions\",\"code\":50013}"), &r);
	ck_assert_int_eq(r.outcome, DC_BAD_ROUTE);
	discord_classify(400, NULL, 0, S("{\"code\":50035,\"message\":\"Invalid Form Body\","
	                 "\"errors\":{\"embeds\":{\"0\":{\"fields\":{\"3\":{\"value\":{\"_errors\":"
	                 "[{\"code\":\"BASE_TYPE_MAX_LENGTH\",\"message\":\"Must be 1024 or fewer "
	                 "in length.\"}]}}}}}}}"), &r);
	ck_assert_int_eq(r.outcome, DC_BAD_MESSAGE);
	ck_assert_str_eq(r.reason, "400 Invalid Form Body (code 50035): "
	                 "embeds.0.fields.3.value: Must be 1024 or fewer in length.");
	discord_classify(413, NULL, 0, NULL, 0, &r);
	ck_assert_int_eq(r.outcome, DC_BAD_MESSAGE);
	ck_assert_str_eq(r.reason, "HTTP 413");
	for (long s = 500; s <= 504; s++) {
		discord_classify(s, NULL, 0, S("{\"message\":\"502: Bad Gateway\",\"code\":0}"), &r);
		ck_assert_int_eq(r.outcome, DC_RETRY);
	}
	discord_classify(0, NULL, 0, NULL, 0, &r);
	ck_assert_int_eq(r.outcome, DC_RETRY);
	/* a control character in Discord's message cannot break the log line */
	discord_classify(400, NULL, 0, S("{\"message\":\"bad\\nline\",\"code\":50006}"), &r);
	ck_assert_ptr_null(strchr(r.reason, '\n'));
}
END_TEST

START_TEST(nonce_fits_and_is_stable)
{
	char a[32], b[32], c[32];

	discord_nonce("killmail:1 channel:100", a, sizeof a);
	discord_nonce("killmail:1 channel:100", b, sizeof b);
	discord_nonce("killmail:2 channel:100", c, sizeof c);
	ck_assert_str_eq(a, b);
	ck_assert_str_ne(a, c);
	ck_assert_uint_le(strlen(a), 25);
}
END_TEST

CHECK_MAIN("discord", ok_answers, rate_limited_answers, refusals_and_retries,
           nonce_fits_and_is_stable)
