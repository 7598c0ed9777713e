/* r2z2_fetch.c — one R2Z2 request over the caller's HTTP client, its
 * answer handed to the bookkeeping in r2z2.c. */
#include <stdlib.h>

#include "http.h"
#include "log.h"
#include "numconv.h"
#include "r2z2.h"
#include "status.h"
#include "wn.h"

enum r2z2_result
r2z2_fetch(struct r2z2 *r, struct http_client *http, cJSON **kill, long long *seq,
           long long *delay_ms, char *err, size_t errlen)
{
	struct http_response resp = { 0 };
	char url[700], ra[32];
	long retry_after = -1;
	enum r2z2_result rc;
	int got;

	r2z2_next_url(r, url, sizeof url);
	got = http_request(http, "GET", url, NULL, NULL, 0, &resp, err, errlen) == 0;
	if (got && http_header(&resp, "Retry-After", ra, sizeof ra))
		retry_after = (long)num_clamp_text(ra, 0, NUM_RETRY_AFTER_MAX, -1);
	rc = r2z2_on_response(r, got ? resp.status : 0, resp.body, resp.body_len, retry_after,
	                      kill, seq, delay_ms, err, errlen);
	http_response_free(&resp);
	return rc;
}

enum r2z2_result
r2z2_poll(struct r2z2 *r, struct http_client *http, int idle, cJSON **kill,
          long long *seq, long long *next_ms, long long now_ms)
{
	char err[256] = "";
	long long delay;
	enum r2z2_result rc;

	*seq = 0;
	switch ((rc = r2z2_fetch(r, http, kill, seq, &delay, err, sizeof err))) {
	case R2Z2_KILL:
		break;
	case R2Z2_SKIPPED:
	case R2Z2_BAD:
		log_warn("%s", err);
		status_add(rc == R2Z2_BAD ? "bad" : "gaps", 1);
		if (idle && r2z2_save_cursor(r->seq) == 0)
			r->saved = r->seq;
		break;
	case R2Z2_FAILED:
		log_warn("R2Z2: %s; retrying in %lld ms", err, delay);
		status_add("errors", 1);
		status_set_str("state", "error");
		break;
	case R2Z2_NOTHING:
		status_set_str("state", "following");
		break;
	}
	status_set("sequence", r->seq);
	*next_ms = now_ms + delay;
	return rc;
}

struct http_client *
r2z2_start(struct r2z2 *r, const char *base, long long interval_ms, long long poll_ms)
{
	struct http_client *http;

	r2z2_init(r, base, interval_ms, poll_ms);
	r->saved = r->seq = r2z2_load_cursor();
	if (!(http = http_client_new("wn-kills/" WN_VERSION " (R2Z2 follower)", 15000, 16 << 20)))
		return NULL;
	log_info("following %s from %s", r->base, r->seq >= 0 ? "the saved sequence" : "sequence.json");
	return http;
}
