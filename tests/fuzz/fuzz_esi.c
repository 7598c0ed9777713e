/* fuzz_esi.c — ESI replies' headers (and any header block through
 * http_header): expiry, the error and token buckets, HTTP dates.  Every
 * derived time stays within a sane distance of now. */
#include "esi.h"
#include "fuzz.h"
#include "http.h"
#include "numconv.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long status[] = { 200, 304, 420, 429, 404, 500, 200, 0 };
	struct http_response r;
	struct esi_limits l;
	char *h, buf[128];
	const time_t now = 1773775000;

	fuzz_quiet();
	if (size < 1)
		return 0;
	h = fuzz_str(data + 1, size - 1);
	memset(&r, 0, sizeof r);
	r.status = status[data[0] % 8];
	r.headers = h;
	r.headers_len = size - 1;
	time_t exp = esi_expiry(&r, now, 60);
	FUZZ_ASSERT(exp >= now && exp <= now + NUM_MAX_AGE_MAX);
	(void)esi_http_date(http_header(&r, "Expires", buf, sizeof buf));
	(void)esi_http_date(h);
	esi_limits_init(&l);
	esi_limits_update(&l, &r, data[0] & 8, 1000.0, 10);
	esi_limits_update(&l, &r, 1, 2000.0, 10);
	FUZZ_ASSERT(l.pause_kill <= 2000.0 + NUM_RETRY_AFTER_MAX + 1);
	FUZZ_ASSERT(l.pause_all <= 2000.0 + NUM_RETRY_AFTER_MAX + 1);
	free(h);
	return 0;
}
