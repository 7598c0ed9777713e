/* fuzz_esireply.c — what esi_fetch does with one answer: esi_judge (the
 * status and body), the limits it reads and the expiry it keeps the
 * answer for.  The first byte picks the status, the second min_ttl;
 * then headers, a blank line, the body.  Properties: a 200 is ESI_OK
 * exactly when the body is JSON; 420/429 ask again, other 4xx (but 408)
 * are ESI_GONE, 5xx and no answer are transient; a transient 2xx says
 * why; the counters only grow; the expiry is within [now + min_ttl,
 * now + max(min_ttl, 30 days)]; the wait before the next request is
 * within two days. */
#include "esi.h"
#include "fuzz.h"
#include "http.h"
#include "json.h"
#include "numconv.h"

#define NOW 1773775000

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long status[] = { 200, 200, 200, 304, 404, 420, 429, 408, 500, 502, 204, 0,
	                               400, 422, 503, 299 };
	static const long ttl[] = { 0, 60, 300, 86400, 30 * 86400, 365 * 86400 };
	struct esi_counters n, before;
	struct esi_limits lim;
	struct http_response r;
	enum esi_status st = ESI_DOWN;
	cJSON *json = NULL;
	char why[320] = "", *s, perr[64];
	const char *body;
	size_t hlen, blen;
	long code, min_ttl;
	int rc;

	fuzz_quiet();
	if (size < 2)
		return 0;
	code = status[data[0] % 16];
	min_ttl = ttl[data[1] % 6];
	s = fuzz_str(data + 2, size - 2);
	fuzz_split(s, size - 2, &hlen, &body, &blen);
	memset(&n, 0, sizeof n);
	before = n;
	rc = esi_judge(&n, "GET", "/killmails/1/h/", code, body, blen, &json, &st, why, sizeof why);
	FUZZ_ASSERT(rc >= -1 && rc <= 1 && strlen(why) < sizeof why);
	FUZZ_ASSERT(n.errors >= before.errors && n.not_modified >= before.not_modified);
	if (code == 200) {
		cJSON *again = json_parse(body, blen, perr, sizeof perr);
		FUZZ_ASSERT((rc == 1) == (again != NULL) && (rc == 1) == (json != NULL));
		FUZZ_ASSERT(rc == 1 ? st == ESI_OK : why[0] != '\0');
		cJSON_Delete(again);
	} else {
		FUZZ_ASSERT(json == NULL);
	}
	if (code == 420 || code == 429)
		FUZZ_ASSERT(rc == 0);
	else if (code >= 400 && code < 500 && code != 408)
		FUZZ_ASSERT(rc == 1 && st == ESI_GONE);
	else if (code == 304)
		FUZZ_ASSERT(rc == 1 && st == ESI_OK);
	else if (code != 200)
		FUZZ_ASSERT(rc == -1);
	if (code > 200 && code < 300)
		FUZZ_ASSERT(why[0]);
	cJSON_Delete(json);

	/* the headers as http.c keeps them: limits, then the expiry */
	memset(&r, 0, sizeof r);
	r.status = code;
	r.headers = s;
	r.headers_len = hlen;
	r.body = (char *)body;
	r.body_len = blen;
	esi_limits_init(&lim);
	esi_limits_update(&lim, code ? &r : NULL, 1, 1000.0, 5);
	/* a pause at most a day; the bucket's pace (two refills of one
	 * request) at most two, the window being at most one */
	FUZZ_ASSERT(esi_limits_wait(&lim, 1, 1000.0, 5, 5) <= 2.0 * NUM_RETRY_AFTER_MAX + 1.0);
	time_t exp = esi_fetch_expiry(&r, NOW, min_ttl);
	FUZZ_ASSERT(exp >= NOW + min_ttl);
	FUZZ_ASSERT(exp <= NOW + (min_ttl > NUM_MAX_AGE_MAX ? min_ttl : NUM_MAX_AGE_MAX));
	free(s);
	return 0;
}
