/* fuzz_ws.c — the WebSocket client over the in-memory transport of the
 * unit tests: the server's 101 answer, then the input as server bytes,
 * read in chunks of 1..16 bytes (the first input byte picks the size). */
#include "fuzz.h"
#include "ws.h"
#include "../ws_mem.h"

static const struct ws_io mio = { mem_recv, mem_send };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem *m;
	struct ws *w;

	fuzz_quiet();
	if (size < 1)
		return 0;
	m = calloc(1, sizeof *m);
	FUZZ_ASSERT(m);
	m->chunk = 1 + data[0] % 16;
	m->eof = 1;
	w = ws_new(&mio, m, 4096, mem_msg);
	FUZZ_ASSERT(w);
	FUZZ_ASSERT(ws_start(w, "example.org:4004", "/socket/websocket?vsn=2.0.0") == 0);
	FUZZ_ASSERT(ws_on_writable(w) == 0);
	mem_accept(m);
	m->out_len = 0;
	mem_add(m, data + 1, size - 1);
	(void)mem_pump(w, m);
	for (int i = 0; i < m->nmsg; i++)
		FUZZ_ASSERT(m->msg_len[i] <= 4096);
	(void)ws_state(w);
	(void)ws_error(w);
	ws_free(w);
	mem_clear(m);
	free(m);
	return 0;
}
