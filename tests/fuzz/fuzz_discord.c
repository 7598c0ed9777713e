/* fuzz_discord.c — Discord's answers: the first byte picks the status,
 * then a header block, a blank line and the body.  The classification,
 * its reason line and the rate limiter's waits stay bounded. */
#include "discord.h"
#include "fuzz.h"
#include "outbox_ratelimit.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long status[] = { 200, 204, 400, 401, 404, 429, 500, 502, 413, 0, 301, 403 };
	struct discord_result r;
	struct outbox_ratelimit *rl;
	const char *body;
	size_t hlen, blen;
	char *s;

	fuzz_quiet();
	if (size < 1)
		return 0;
	s = fuzz_str(data + 1, size - 1);
	fuzz_split(s, size - 1, &hlen, &body, &blen);
	long st = status[data[0] % 12];
	discord_classify(st, hlen ? s : NULL, hlen, body, blen, &r);
	FUZZ_ASSERT(strlen(r.reason) < sizeof r.reason);
	FUZZ_ASSERT(r.code >= 0);
	FUZZ_ASSERT(discord_outcome_name(r.outcome) != NULL);
	rl = outbox_ratelimit_new(50);
	FUZZ_ASSERT(rl);
	outbox_ratelimit_on_send(rl, "channel:1", 10.0);
	outbox_ratelimit_on_response(rl, "channel:1", st, &r.rl, 10.5);
	if (st == 429) {
		double w = outbox_ratelimit_on_429(rl, "channel:1", &r.rl, 11.0);
		FUZZ_ASSERT(w >= 0 && w < 2e9);
	}
	double at = outbox_ratelimit_ready_at(rl, "channel:1", 12.0);
	FUZZ_ASSERT(at >= 12.0 && at < 12.0 + 2e9);
	(void)outbox_ratelimit_on_error(rl, "channel:1", 13.0);
	(void)outbox_ratelimit_invalid_count(rl, 14.0);
	outbox_ratelimit_free(rl);
	free(s);
	return 0;
}
