/* check_r2z2.c — the R2Z2 follower's decisions, response by response. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "r2z2.h"
#include "check_main.h"

static char url[600];

static enum r2z2_result
answer(struct r2z2 *r, long status, const char *body, long retry, cJSON **kill,
       long long *seq, long long *delay, char *err)
{
	r2z2_next_url(r, url, sizeof url);
	return r2z2_on_response(r, status, body, body ? strlen(body) : 0, retry, kill, seq,
	                        delay, err, 256);
}

START_TEST(start_follow_and_wait)
{
	struct r2z2 r;
	cJSON *k;
	long long seq, delay;
	char err[256];

	r2z2_init(&r, "http://h/ephemeral/", 100, 6000);
	ck_assert_int_eq(answer(&r, 200, "{\"sequence\":500}", -1, &k, &seq, &delay, err), R2Z2_NOTHING);
	ck_assert_str_eq(url, "http://h/ephemeral/sequence.json");
	ck_assert_int_eq(r.seq, 500);
	ck_assert_int_eq(answer(&r, 200, "{\"killmail_id\":7,\"sequence_id\":500}", -1, &k, &seq, &delay, err), R2Z2_KILL);
	ck_assert_str_eq(url, "http://h/ephemeral/500.json");
	ck_assert_int_eq(seq, 500);
	ck_assert_int_eq(delay, 100);
	ck_assert_int_eq(json_id(k, "killmail_id"), 7);
	cJSON_Delete(k);
	/* 404 at the head: ask sequence.json, wait the poll, then the same N */
	ck_assert_int_eq(answer(&r, 404, "", -1, &k, &seq, &delay, err), R2Z2_NOTHING);
	ck_assert_str_eq(url, "http://h/ephemeral/501.json");
	ck_assert_int_eq(delay, 6000);
	ck_assert_int_eq(answer(&r, 200, "{\"sequence\":500}", -1, &k, &seq, &delay, err), R2Z2_NOTHING);
	ck_assert_int_eq(answer(&r, 404, "", -1, &k, &seq, &delay, err), R2Z2_NOTHING);
	ck_assert_str_eq(url, "http://h/ephemeral/501.json");
	ck_assert_int_eq(r.seq, 501);
}
END_TEST

START_TEST(gap_below_head_skipped)
{
	struct r2z2 r;
	cJSON *k;
	long long seq, delay;
	char err[256];

	r2z2_init(&r, "http://h", 100, 6000);
	r.seq = 10;
	/* the first 404 cannot know the head yet; three below it skip */
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(answer(&r, 404, "", -1, &k, &seq, &delay, err), R2Z2_NOTHING);
		ck_assert_int_eq(answer(&r, 200, "{\"sequence\":12}", -1, &k, &seq, &delay, err), R2Z2_NOTHING);
	}
	ck_assert_int_eq(answer(&r, 404, "", -1, &k, &seq, &delay, err), R2Z2_SKIPPED);
	ck_assert_ptr_nonnull(strstr(err, "sequence 10 missing"));
	ck_assert_int_eq(r.seq, 11);
	ck_assert_int_eq(answer(&r, 200, "{\"killmail_id\":1}", -1, &k, &seq, &delay, err), R2Z2_KILL);
	ck_assert_int_eq(seq, 11);
	cJSON_Delete(k);
}
END_TEST

START_TEST(sequence_updated_refetched)
{
	struct r2z2 r;
	cJSON *k;
	long long seq, delay;
	char err[256];

	r2z2_init(&r, "http://h", 100, 6000);
	r.seq = 20;
	ck_assert_int_eq(answer(&r, 200, "{\"killmail_id\":1,\"sequence_updated\":15}", -1, &k, &seq, &delay, err), R2Z2_KILL);
	cJSON_Delete(k);
	ck_assert_int_eq(answer(&r, 200, "{\"killmail_id\":2}", -1, &k, &seq, &delay, err), R2Z2_KILL);
	ck_assert_str_eq(url, "http://h/15.json");
	ck_assert_int_eq(seq, 15);
	cJSON_Delete(k);
	ck_assert_int_eq(r.seq, 21);                /* the cursor did not move back */
	/* a bool (some writers) or a later number names nothing */
	ck_assert_int_eq(answer(&r, 200, "{\"killmail_id\":3,\"sequence_updated\":true}", -1, &k, &seq, &delay, err), R2Z2_KILL);
	cJSON_Delete(k);
	ck_assert_int_eq(answer(&r, 200, "{\"killmail_id\":4,\"sequence_updated\":99}", -1, &k, &seq, &delay, err), R2Z2_KILL);
	cJSON_Delete(k);
	ck_assert_int_eq(r.nrefetch, 0);
}
END_TEST

START_TEST(errors_back_off)
{
	struct r2z2 r;
	cJSON *k;
	long long seq, delay, prev = 0;
	char err[256] = "";

	r2z2_init(&r, "http://h", 100, 6000);
	r.seq = 5;
	ck_assert_int_eq(answer(&r, 429, "", 3, &k, &seq, &delay, err), R2Z2_FAILED);
	ck_assert_int_eq(delay, 3000);
	ck_assert_str_eq(url, "http://h/5.json");
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(answer(&r, 503, "<html>", -1, &k, &seq, &delay, err), R2Z2_FAILED);
		ck_assert_int_ge(delay, prev);
		prev = delay;
	}
	ck_assert_int_ge(delay, 16000);
	ck_assert_int_le(delay, 60000);
	ck_assert_ptr_nonnull(strstr(err, "HTTP 503"));
	ck_assert_int_eq(answer(&r, 200, "not json", -1, &k, &seq, &delay, err), R2Z2_BAD);
	ck_assert_ptr_nonnull(strstr(err, "sequence 5:"));
	ck_assert_int_eq(r.seq, 6);
	/* any object is handed on: the normaliser judges it */
	ck_assert_int_eq(answer(&r, 200, "{\"nope\":1}", -1, &k, &seq, &delay, err), R2Z2_KILL);
	cJSON_Delete(k);
}
END_TEST

START_TEST(cursor_saved)
{
	char dir[] = "/tmp/wn-check-r2z2.XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("WN_STATE_DIR", dir, 1);
	ck_assert_int_eq(r2z2_load_cursor(), -1);
	ck_assert_int_eq(r2z2_save_cursor(95000123), 0);
	ck_assert_int_eq(r2z2_load_cursor(), 95000123);
}
END_TEST

CHECK_MAIN("r2z2", start_follow_and_wait, gap_below_head_skipped, sequence_updated_refetched,
           errors_back_off, cursor_saved)
