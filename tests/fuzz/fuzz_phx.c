/* fuzz_phx.c — Phoenix v2 frames: each line of the input is one frame to
 * a joined channel (decode, reply matching, kill batches, heartbeats). */
#include "fuzz.h"
#include "idset.h"
#include "phx.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size;
	struct phx p;
	struct idset sys, chr;
	char err[256];
	char *join;
	int dead;

	fuzz_quiet();
	idset_init(&sys);
	idset_init(&chr);
	idset_parse(&sys, "31001503,30000142");
	phx_init(&p, 30000, 60000);
	phx_reset(&p, 0);
	join = phx_join(&p, &sys, &chr, 1);
	free(join);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		struct phx_msg m;
		enum phx_event ev = phx_handle(&p, s, n, &m, err, sizeof err);
		if (ev == PHX_EV_KILLS) {
			cJSON *k = phx_take_kills(&m);
			FUZZ_ASSERT(k == NULL || cJSON_IsArray(k));
			cJSON_Delete(k);
		}
		if (m.root)
			FUZZ_ASSERT(cJSON_IsObject(m.payload));
		phx_msg_free(&m);
		s += n + 1;
	}
	free(phx_tick(&p, 40000, &dead));
	(void)phx_next_ms(&p, 40000);
	idset_free(&sys);
	idset_free(&chr);
	return 0;
}
