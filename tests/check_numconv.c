/* check_numconv.c — checked number conversions, and the reproducers of
 * issue 14 that reached an unchecked one (#2-#5, #7).  Some of the old
 * casts gave a harmless-looking value on x86 and are only caught under
 * SANITIZE=1, which now includes float-cast-overflow. */
#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discord.h"
#include "esi.h"
#include "http.h"
#include "json_scan.h"
#include "json.h"
#include "numconv.h"
#include "r2z2.h"
#include "status_view.h"
#include "check_main.h"

#define S(s) s, sizeof s - 1

START_TEST(double_to_int)
{
	int64_t v = 7;

	ck_assert(num_i64_of_double(31001503.0, &v) && v == 31001503);
	ck_assert(num_i64_of_double(-9007199254740991.0, &v) && v == -9007199254740991LL);
	ck_assert(!num_i64_of_double(9007199254740992.0, &v));
	ck_assert(!num_i64_of_double(1e300, &v));
	ck_assert(!num_i64_of_double(-1e300, &v));
	ck_assert(!num_i64_of_double(NAN, &v));
	ck_assert(!num_i64_of_double(INFINITY, &v));
	ck_assert(!num_i64_of_double(1.5, &v));
	ck_assert_int_eq(num_clamp_double(1e300, 0, 100), 100);
	ck_assert_int_eq(num_clamp_double(-1e300, 0, 100), 0);
	ck_assert_int_eq(num_clamp_double(NAN, -5, 100), -5);
	ck_assert_int_eq(num_clamp_double(42.9, 0, 100), 42);
	ck_assert_int_eq(num_clamp_double(1e300, INT64_MIN, INT64_MAX), INT64_MAX);
	ck_assert_int_eq(num_clamp_double(-1e300, INT64_MIN, INT64_MAX), INT64_MIN);
	ck_assert_int_eq(num_clamp_double(9.2233720368547748e18, INT64_MIN, INT64_MAX),
	                 9223372036854774784LL);
}
END_TEST

START_TEST(text_to_int)
{
	int64_t v;

	ck_assert(num_i64_of_text(S("9223372036854775807"), &v) && v == INT64_MAX);
	ck_assert(num_i64_of_text(S("-9223372036854775807"), &v) && v == -INT64_MAX);
	ck_assert(!num_i64_of_text(S("9223372036854775808"), &v));
	ck_assert(!num_i64_of_text(S("99999999999999999999"), &v));
	ck_assert(!num_i64_of_text(S(""), &v));
	ck_assert(!num_i64_of_text(S("-"), &v));
	ck_assert(!num_i64_of_text(S(" 5"), &v));
	ck_assert(!num_i64_of_text(S("+5"), &v));
	ck_assert(!num_i64_of_text(S("5x"), &v));
	ck_assert_int_eq(num_clamp_text("9223372036854775807", 0, 86400, -1), 86400);
	ck_assert_int_eq(num_clamp_text("999999999999999999999999999", 0, 86400, -1), 86400);
	ck_assert_int_eq(num_clamp_text(" 30, x", 0, 86400, -1), 30);
	ck_assert_int_eq(num_clamp_text("-5", 0, 86400, -1), -1);
	ck_assert_int_eq(num_clamp_text("Wed, 21 Oct 2015 07:28:00 GMT", 0, 86400, -1), -1);
	ck_assert_int_eq(num_clamp_text(NULL, 0, 86400, 9), 9);
}
END_TEST

/* #2: {"killmail_id":1e300} on the scanner's path, and cJSON's. */
START_TEST(huge_id)
{
	static const char doc[] = "{\"killmail_id\":1e300}";
	struct json_scan s;
	const char *key;
	size_t klen;
	int n = 0;
	int64_t v = 5;
	char err[64];
	cJSON *j = json_parse(S(doc), err, sizeof err);

	json_scan_init(&s, S(doc));
	ck_assert_int_eq(json_scan_object(&s), 1);
	ck_assert_int_eq(json_scan_member(&s, &n, &key, &klen), 1);
	ck_assert_int_eq(json_scan_int(&s, &v), 0);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(json_id(j, "killmail_id"), 0);
	cJSON_Delete(j);
}
END_TEST

/* #3: a Discord error body {"code":1e300}; the retry_after float too. */
START_TEST(discord_huge_code)
{
	struct discord_result r;

	discord_classify(400, S("HTTP/1.1 400 Bad Request\r\n"),
	                 S("{\"message\":\"x\",\"code\":1e300}"), &r);
	ck_assert_int_eq(r.code, INT32_MAX);
	discord_classify(400, S("HTTP/1.1 400 Bad Request\r\n"),
	                 S("{\"message\":\"x\",\"code\":-1e300}"), &r);
	ck_assert_int_eq(r.code, 0);
	discord_classify(429, S("HTTP/1.1 429 Too Many Requests\r\n"),
	                 S("{\"message\":\"x\",\"retry_after\":1e300}"), &r);
	ck_assert_int_eq(r.rl.has_retry_after, 0);
}
END_TEST

/* #4: Cache-Control: max-age=9223372036854775807 */
START_TEST(esi_huge_max_age)
{
	struct http_response r;
	char h[] = "HTTP/1.1 200 OK\r\nCache-Control: public, max-age=9223372036854775807\r\n";

	memset(&r, 0, sizeof r);
	r.status = 200;
	r.headers = h;
	r.headers_len = strlen(h);
	ck_assert_int_eq(esi_expiry(&r, 1000, 60), 1000 + NUM_MAX_AGE_MAX);
}
END_TEST

/* #5: a 429 with a huge Retry-After: the wait is a day, not negative. */
START_TEST(r2z2_huge_retry_after)
{
	struct r2z2 r;
	cJSON *k;
	long long seq, delay = 0;
	char url[600], err[256];

	r2z2_init(&r, "http://h/ephemeral/", 100, 6000);
	r2z2_next_url(&r, url, sizeof url);
	ck_assert_int_eq(r2z2_on_response(&r, 429, "", 0, LONG_MAX, &k, &seq, &delay,
	                                  err, sizeof err), R2Z2_FAILED);
	ck_assert_int_eq(delay, NUM_RETRY_AFTER_MAX * 1000LL);
	ck_assert_int_eq(num_clamp_text("9223372036854775807", 0, NUM_RETRY_AFTER_MAX, -1),
	                 NUM_RETRY_AFTER_MAX);
}
END_TEST

/* #7: a status value of 1e300 is printed, not cast. */
START_TEST(prometheus_huge_value)
{
	static const char doc[] = "{\"tool\":\"wn-kills\",\"pid\":8,\"kills\":1e300,\"lag\":-1e300}";
	struct status_view_list *l = calloc(1, sizeof *l);
	char err[128];
	size_t len;
	char *p;

	ck_assert_int_eq(status_view_parse(S(doc), "x", &l->tool[0], err, sizeof err), 0);
	l->n = 1;
	p = status_view_render_prometheus(l, 200, &len);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(strstr(p, "wn_kills_total{tool=\"wn-kills\"} 1.0000000000000001e+300\n"));
	free(p);
	status_view_free(l);
	free(l);
}
END_TEST

CHECK_MAIN("numconv", double_to_int, text_to_int, huge_id, discord_huge_code,
           esi_huge_max_age, r2z2_huge_retry_after, prometheus_huge_value)
