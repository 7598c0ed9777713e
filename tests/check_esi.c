/* check_esi.c — the pure parts of the ESI client and of enrichment:
 * HTTP dates, expiry from headers, the limit bookkeeping (error limit,
 * 420, 429 with and without bucket headers, token pacing), the
 * /universe/names answer, and which records need their body fetched. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrich.h"
#include "esi.h"
#include "http.h"
#include "check_main.h"

static struct http_response
resp(long status, const char *headers)
{
	struct http_response r;

	memset(&r, 0, sizeof r);
	r.status = status;
	r.headers = (char *)headers;
	r.headers_len = strlen(headers);
	return r;
}

START_TEST(http_dates)
{
	/* the rules themselves are check_wntime's; ESI's dates go through them */
	ck_assert_int_eq(esi_http_date("Sun, 29 Nov 2026 03:30:04 GMT"), 1795923004);
	ck_assert_int_eq(esi_http_date("Sun, 06 Nov 1994 08:49:37 UTC"), -1);
	ck_assert_int_eq(esi_http_date(NULL), -1);
}
END_TEST

START_TEST(expiry_from_headers)
{
	/* the server's clock is an hour ahead of ours: only the difference counts */
	struct http_response r = resp(200,
	    "HTTP/1.1 200 OK\r\nDate: Sun, 29 Nov 2026 03:00:00 GMT\r\n"
	    "Expires: Sun, 29 Nov 2026 03:05:00 GMT\r\nCache-Control: public, max-age=9\r\n\r\n");
	ck_assert_int_eq(esi_expiry(&r, 1000, 60), 1300);
	r = resp(200, "HTTP/1.1 200 OK\r\nexpires: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n");
	ck_assert_int_eq(esi_expiry(&r, 784111000, 60), 784111777);
	ck_assert_int_eq(esi_expiry(&r, 784111999, 60), 784111999);   /* past: now */
	r = resp(200, "HTTP/1.1 200 OK\r\nCache-Control: public, max-age=3600\r\n\r\n");
	ck_assert_int_eq(esi_expiry(&r, 1000, 60), 4600);
	r = resp(200, "HTTP/1.1 200 OK\r\nExpires: 0\r\n\r\n");
	ck_assert_int_eq(esi_expiry(&r, 1000, 60), 1060);
}
END_TEST

START_TEST(error_limit_pauses_before_running_out)
{
	struct esi_limits l;
	struct http_response r;

	esi_limits_init(&l);
	ck_assert(esi_limits_wait(&l, 0, 100, 10, 100) == 0);
	r = resp(200, "HTTP/1.1 200 OK\r\nX-ESI-Error-Limit-Remain: 50\r\nX-ESI-Error-Limit-Reset: 30\r\n\r\n");
	esi_limits_update(&l, &r, 0, 100, 100);
	ck_assert_int_eq(l.err_remain, 50);
	ck_assert(esi_limits_wait(&l, 0, 100, 10, 100) == 0);
	r = resp(404, "HTTP/1.1 404 Not Found\r\nX-ESI-Error-Limit-Remain: 10\r\nX-ESI-Error-Limit-Reset: 20\r\n\r\n");
	esi_limits_update(&l, &r, 0, 110, 100);
	/* at the reserve: wait for the window to end, and a second more */
	ck_assert_double_eq_tol(esi_limits_wait(&l, 0, 110, 10, 100), 21, 1e-9);
	ck_assert_double_eq_tol(esi_limits_wait(&l, 1, 125, 10, 100), 6, 1e-9);
	ck_assert(esi_limits_wait(&l, 0, 131, 10, 100) == 0);
	/* with a smaller reserve the same answer is no reason to wait */
	ck_assert(esi_limits_wait(&l, 0, 110, 5, 100) == 0);
	/* no answer (a timeout) changes nothing */
	esi_limits_update(&l, NULL, 0, 111, 100);
	ck_assert_int_eq(l.err_remain, 10);
}
END_TEST

START_TEST(limit_420_stops_everything)
{
	struct esi_limits l;
	struct http_response r = resp(420, "HTTP/1.1 420 Enhance Your Calm\r\n"
	    "X-ESI-Error-Limit-Remain: 0\r\nX-ESI-Error-Limit-Reset: 42\r\n\r\n");

	esi_limits_init(&l);
	esi_limits_update(&l, &r, 0, 1000, 100);
	ck_assert_double_eq_tol(esi_limits_wait(&l, 0, 1000, 0, 0), 43, 1e-9);
	ck_assert_double_eq_tol(esi_limits_wait(&l, 1, 1000, 0, 0), 43, 1e-9);
	ck_assert(esi_limits_wait(&l, 0, 1043.5, 0, 0) == 0);
	/* a 420 without headers: a minute */
	esi_limits_init(&l);
	r = resp(420, "HTTP/1.1 420 Enhance Your Calm\r\n\r\n");
	esi_limits_update(&l, &r, 0, 0, 100);
	ck_assert_double_eq_tol(esi_limits_wait(&l, 0, 0, 0, 0), 61, 1e-9);
}
END_TEST

START_TEST(limit_429_by_group)
{
	struct esi_limits l;
	struct http_response r = resp(429, "HTTP/1.1 429 Too Many Requests\r\n"
	    "X-Ratelimit-Group: killmail\r\nX-Ratelimit-Limit: 3600/15m\r\n"
	    "X-Ratelimit-Remaining: 0\r\nX-Ratelimit-Used: 0\r\nRetry-After: 7\r\n\r\n");

	esi_limits_init(&l);
	esi_limits_update(&l, &r, 1, 500, 0);
	ck_assert_int_eq(l.tok_limit, 3600);
	ck_assert_double_eq_tol(l.tok_window, 900, 1e-9);
	ck_assert_double_eq_tol(esi_limits_wait(&l, 1, 500, 0, 0), 7, 1e-9);
	/* other routes have no bucket: they go on */
	ck_assert(esi_limits_wait(&l, 0, 500, 0, 0) == 0);
	/* a 429 without bucket headers comes from elsewhere: everything waits */
	esi_limits_init(&l);
	r = resp(429, "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\n\r\n");
	esi_limits_update(&l, &r, 1, 500, 0);
	ck_assert_double_eq_tol(esi_limits_wait(&l, 0, 500, 0, 0), 3, 1e-9);
	/* and without Retry-After: a few seconds, not zero */
	esi_limits_init(&l);
	r = resp(429, "HTTP/1.1 429 Too Many Requests\r\n\r\n");
	esi_limits_update(&l, &r, 0, 500, 0);
	ck_assert(esi_limits_wait(&l, 0, 500, 0, 0) >= 1);
}
END_TEST

START_TEST(token_pacing_near_the_bottom)
{
	struct esi_limits l;
	struct http_response r = resp(200, "HTTP/1.1 200 OK\r\n"
	    "X-Ratelimit-Group: killmail\r\nX-Ratelimit-Limit: 3600/15m\r\n"
	    "X-Ratelimit-Remaining: 500\r\nX-Ratelimit-Used: 2\r\n\r\n");

	esi_limits_init(&l);
	esi_limits_update(&l, &r, 1, 10, 100);
	ck_assert(esi_limits_wait(&l, 1, 10, 10, 100) == 0);
	r = resp(200, "HTTP/1.1 200 OK\r\nX-Ratelimit-Group: killmail\r\n"
	    "X-Ratelimit-Limit: 3600/15m\r\nX-Ratelimit-Remaining: 99\r\n\r\n");
	esi_limits_update(&l, &r, 1, 20, 100);
	/* one request per refill of its two tokens: 900 s * 2 / 3600 */
	ck_assert_double_eq_tol(esi_limits_wait(&l, 1, 20, 10, 100), 0.5, 1e-9);
	ck_assert_double_eq_tol(esi_limits_wait(&l, 1, 20.3, 10, 100), 0.2, 1e-9);
	ck_assert(esi_limits_wait(&l, 1, 20.5, 10, 100) == 0);
	ck_assert(esi_limits_wait(&l, 0, 20, 10, 100) == 0);
	r = resp(200, "HTTP/1.1 200 OK\r\nX-Ratelimit-Limit: 100/1h\r\nX-Ratelimit-Remaining: 1\r\n\r\n");
	esi_limits_update(&l, &r, 1, 30, 100);
	ck_assert_double_eq_tol(esi_limits_wait(&l, 1, 30, 10, 100), 72, 1e-9);
	/* fuzz_esireply's finding 18: a window of 86400 hours was taken, and
	 * paced killmail requests one per twenty years; a window beyond a
	 * day is not ESI's and leaves the known bucket as it was */
	r = resp(200, "HTTP/1.1 200 OK\r\nX-Ratelimit-Limit: 1/86400h\r\nX-Ratelimit-Remaining: 0\r\n\r\n");
	esi_limits_update(&l, &r, 1, 40, 100);
	ck_assert_double_eq_tol(l.tok_window, 3600, 1e-9);
	ck_assert(esi_limits_wait(&l, 1, 40, 10, 100) <= 72);
	r = resp(200, "HTTP/1.1 200 OK\r\nX-Ratelimit-Limit: 1/1440m\r\nX-Ratelimit-Remaining: 0\r\n\r\n");
	esi_limits_update(&l, &r, 1, 50, 100);
	ck_assert_double_eq_tol(l.tok_window, 86400, 1e-9);
}
END_TEST

struct got { int n; long long ids[8]; char names[8][32], cats[8][32]; };

static void
collect(void *arg, int64_t id, const char *name, const char *cat)
{
	struct got *g = arg;

	g->ids[g->n] = id;
	snprintf(g->names[g->n], sizeof g->names[0], "%s", name);
	snprintf(g->cats[g->n], sizeof g->cats[0], "%s", cat);
	g->n++;
}

START_TEST(names_answer)
{
	struct got g = { 0 };
	cJSON *a = cJSON_Parse("[{\"category\":\"character\",\"id\":95465499,\"name\":\"CCP Bartender\"},"
	    "{\"category\":\"solar_system\",\"id\":30000142,\"name\":\"Jita\",\"extra\":1},"
	    "{\"category\":\"something_new\",\"id\":2129999999,\"name\":\"Ünïcode\"},"
	    "{\"category\":\"character\",\"name\":\"no id\"},"
	    "{\"category\":\"character\",\"id\":5},"
	    "{\"id\":\"1000125\",\"name\":\"string id, no category\"}, 7]");

	ck_assert_int_eq(esi_names_parse(a, collect, &g), 4);
	ck_assert_int_eq(g.ids[0], 95465499);
	ck_assert_str_eq(g.names[1], "Jita");
	ck_assert_str_eq(g.cats[2], "something_new");
	ck_assert_str_eq(g.names[2], "Ünïcode");
	ck_assert_int_eq(g.ids[3], 1000125);
	ck_assert_str_eq(g.cats[3], "");
	cJSON_Delete(a);
	a = cJSON_Parse("{\"error\":\"Ensure all IDs are valid before resolving\"}");
	ck_assert_int_eq(esi_names_parse(a, collect, &g), -1);
	cJSON_Delete(a);
	ck_assert_int_eq(esi_names_parse(NULL, collect, &g), -1);
}
END_TEST

static int
needs(const char *json, long long *id, char *hash)
{
	cJSON *r = cJSON_Parse(json);
	int64_t i = 0;
	int n;

	ck_assert_ptr_nonnull(r);
	n = enrich_needs_body(r, &i, hash, 64);
	*id = i;
	cJSON_Delete(r);
	return n;
}

#define H40 "c395103137f66dd8505de7b2b8817318b01903e9"

START_TEST(which_records_need_a_body)
{
	long long id;
	char hash[64];

	ck_assert_int_eq(needs("{\"killmail_id\":1,\"zkb\":{\"hash\":\"" H40 "\"}}", &id, hash), 1);
	ck_assert_int_eq(id, 1);
	ck_assert_str_eq(hash, H40);
	ck_assert_int_eq(needs("{\"package\":{\"killID\":\"22\",\"zkb\":{\"hash\":\"" H40 "\"}}}", &id, hash), 1);
	ck_assert_int_eq(id, 22);
	ck_assert_int_eq(needs("{\"killmail_id\":3,\"hash\":\"" H40 "\",\"sequence_id\":1}", &id, hash), 1);
	ck_assert_int_eq(needs("{\"type\":\"killmail\",\"killmail_id\":4,\"killmail_hash\":\"" H40 "\"}", &id, hash), 1);
	/* bodies present */
	ck_assert_int_eq(needs("{\"killmail_id\":1,\"victim\":{},\"zkb\":{\"hash\":\"" H40 "\"}}", &id, hash), 0);
	ck_assert_int_eq(needs("{\"killmail_id\":1,\"hash\":\"" H40 "\",\"esi\":{}}", &id, hash), 0);
	ck_assert_int_eq(needs("{\"package\":{\"killID\":1,\"killmail\":{},\"zkb\":{\"hash\":\"" H40 "\"}}}", &id, hash), 0);
	/* a hash goes into a URL: only 40 hex digits */
	ck_assert_int_eq(needs("{\"killmail_id\":1,\"zkb\":{\"hash\":\"../../corporations/1\"}}", &id, hash), 0);
	ck_assert_int_eq(needs("{\"killmail_id\":1,\"zkb\":{\"hash\":\"" H40 "0\"}}", &id, hash), 0);
	ck_assert_int_eq(needs("{\"killmail_id\":0,\"zkb\":{\"hash\":\"" H40 "\"}}", &id, hash), 0);
	ck_assert_int_eq(needs("{\"zkb\":{\"hash\":\"" H40 "\"}}", &id, hash), 0);
	ck_assert_int_eq(needs("{\"killmail_id\":1}", &id, hash), 0);
}
END_TEST

START_TEST(body_goes_in)
{
	cJSON *r = cJSON_Parse("{\"killmail_id\":1,\"zkb\":{\"hash\":\"" H40 "\"},\"x\":1}");
	cJSON *b = cJSON_Parse("{\"killmail_id\":1,\"x\":2,\"victim\":{\"ship_type_id\":587}}");
	char *s;

	enrich_add_body(r, b);
	s = cJSON_PrintUnformatted(r);
	ck_assert_str_eq(s, "{\"killmail_id\":1,\"zkb\":{\"hash\":\"" H40 "\"},\"x\":1,"
	                 "\"victim\":{\"ship_type_id\":587}}");
	free(s);
	cJSON_Delete(r);
	r = cJSON_Parse("{\"package\":{\"killID\":1,\"zkb\":{}}}");
	enrich_add_body(r, cJSON_Parse("{\"killmail_id\":1}"));
	s = cJSON_PrintUnformatted(r);
	ck_assert_str_eq(s, "{\"package\":{\"killID\":1,\"zkb\":{},\"killmail\":{\"killmail_id\":1}}}");
	free(s);
	cJSON_Delete(r);
}
END_TEST

CHECK_MAIN("esi", http_dates, expiry_from_headers, error_limit_pauses_before_running_out,
           limit_420_stops_everything, limit_429_by_group, token_pacing_near_the_bottom,
           names_answer, which_records_need_a_body, body_goes_in)
