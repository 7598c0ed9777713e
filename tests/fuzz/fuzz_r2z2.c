/* fuzz_r2z2.c — the R2Z2 follower's decision on an answer: the first two
 * bytes pick the status and the Retry-After, the rest is the body; the
 * wait it asks for is never negative and never beyond a day. */
#include "fuzz.h"
#include "numconv.h"
#include "r2z2.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long status[] = { 200, 200, 200, 404, 429, 500, 0, 403 };
	struct r2z2 r;
	char url[700], err[256], ra[24];
	cJSON *kill;
	long long seq, delay;

	fuzz_quiet();
	if (size < 2)
		return 0;
	r2z2_init(&r, "http://h/ephemeral/", 100, 6000);
	if (data[1] & 1)
		r.seq = 5000;               /* following, not starting */
	snprintf(ra, sizeof ra, "%u%s", data[1], data[1] & 2 ? "99999999999999999999" : "");
	for (int round = 0; round < 2; round++) {
		r2z2_next_url(&r, url, sizeof url);
		delay = 0;
		enum r2z2_result rc = r2z2_on_response(&r, status[data[0] % 8],
		    (const char *)data + 2, size - 2,
		    (long)num_clamp_text(ra, 0, NUM_RETRY_AFTER_MAX, -1), &kill, &seq, &delay,
		    err, sizeof err);
		FUZZ_ASSERT(delay >= 0 && delay <= NUM_RETRY_AFTER_MAX * 1000LL + 600000);
		if (rc == R2Z2_KILL)
			FUZZ_ASSERT(cJSON_IsObject(kill));
		cJSON_Delete(kill);
	}
	return 0;
}
