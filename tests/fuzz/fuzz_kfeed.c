/* fuzz_kfeed.c — what the WandererKills session does with each message
 * (kfeed_message, the WebSocket callback without the clock): the input is
 * lines, each one message, its first byte choosing text or binary.
 * Properties: only objects reach the caller as kills; binary frames are
 * ignored; after a refused join or a closed channel the next join is
 * between now and now + the maximum backoff; a join reply resets
 * the attempts. */
#include "fuzz.h"
#include "idset.h"
#include "kfeed.h"

static long kills;

static int room(void *ud) { (void)ud; return 1; }
static int hours(void *ud) { (void)ud; return 1; }

static void
kill(void *ud, cJSON *km)
{
	(void)ud;
	FUZZ_ASSERT(cJSON_IsObject(km));
	kills++;
	cJSON_Delete(km);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kfeed_ops ops = { room, kill, hours };
	struct idset sys, chr;
	struct phx_url url;
	struct kfeed f;
	char err[128], *join;
	const char *p = (const char *)data, *end = p + size;
	long long now = 1773775000000;

	fuzz_quiet();
	idset_init(&sys);
	idset_init(&chr);
	idset_parse(&sys, "31001503,30000142");
	FUZZ_ASSERT(phx_url_parse("ws://127.0.0.1:4004/socket/websocket", &url, err, sizeof err) == 0);
	kfeed_init(&f, &url, 30000, 1000, 60000, 1 << 20, &ops, NULL, &sys, &chr);
	phx_reset(&f.phx, now);
	join = phx_join(&f.phx, &sys, &chr, 1);   /* refs as a real join leaves them */
	free(join);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		int binary = len && (unsigned char)p[0] == 0xff;
		long before = kills, ja = f.join_attempts;
		long long join_at = f.join_at;

		kfeed_message(&f, binary ? 2 : 1, p + binary, len - (size_t)binary, now);
		if (binary)
			FUZZ_ASSERT(kills == before && f.join_at == join_at && f.join_attempts == ja);
		if (f.join_attempts > ja)
			FUZZ_ASSERT(f.join_at >= now && f.join_at <= now + 60000);
		FUZZ_ASSERT(f.join_attempts == 0 || f.join_attempts == ja + 1 || f.join_attempts == ja);
		now += 1000;
		p += len + 1;
	}
	idset_free(&sys);
	idset_free(&chr);
	kfeed_close(&f);
	return 0;
}
