/* fuzz_httpcb.c — the libcurl callbacks of http.c (http_sink_header,
 * http_sink_body) and sse_client.c (sse_client_header) without curl.
 * The input is split into lines as libcurl hands headers over (each
 * with its "\n", not NUL-terminated: the harness copies each to a buffer
 * of exactly its size so a read past it is caught); the first byte
 * sets the limits.  Properties: the header block kept is exactly the
 * lines since the last status line, or the sink overflowed and said so;
 * the body is the input, chunked, or an overflow within the limit; a
 * Retry-After is in [0, a day] or absent (-1) and equals what the same
 * value reads as a whole string. */
#include <strings.h>

#include "fuzz.h"
#include "http.h"
#include "http_sink.h"
#include "numconv.h"
#include "sse_client.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_sink h = { .b.max = 0 }, b = { .b.max = 0 };
	struct sse_result r;
	const char *p, *end, *block;
	size_t max, chunk, done, want;
	long ra_want = -1;

	fuzz_quiet();
	if (size < 1)
		return 0;
	max = (size_t)(data[0] & 0x0f) * 97;
	chunk = (size_t)(data[0] >> 4) + 1;
	h.b.max = max ? max : 64 * 1024;
	b.b.max = max ? max : 64 * 1024;
	memset(&r, 0, sizeof r);
	r.retry_after = -1;
	p = (const char *)data + 1;
	end = (const char *)data + size;
	block = p;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		char *line = malloc(n ? n : 1);
		FUZZ_ASSERT(line);
		memcpy(line, p, n);
		if (n > 5 && !strncmp(p, "HTTP/", 5))
			block = p;
		if (!h.overflow) {
			size_t got = http_sink_header(&h, line, n);
			FUZZ_ASSERT(got == n || (got == 0 && h.overflow));
		}
		sse_client_header(&r, line, n);
		if (n > 12 && !strncasecmp(p, "retry-after:", 12)) {
			char *v = fuzz_str((const uint8_t *)p + 12, n - 12);
			ra_want = (long)num_clamp_text(v, 0, NUM_RETRY_AFTER_MAX, -1);
			free(v);
			/* what one line says: unless its NUL cut it short */
			if (!memchr(p + 12, '\0', n - 12))
				FUZZ_ASSERT(r.retry_after == ra_want);
		}
		FUZZ_ASSERT(r.retry_after >= -1 && r.retry_after <= NUM_RETRY_AFTER_MAX);
		free(line);
		p += n;
	}
	want = (size_t)(end - block);
	FUZZ_ASSERT(h.b.len <= h.b.max);
	if (!h.overflow)
		FUZZ_ASSERT(h.b.len == want && (want == 0 || !memcmp(h.b.p, block, want)));

	/* the body, in pieces of chunk bytes */
	for (done = 0; done < size - 1 && !b.overflow; done += chunk) {
		size_t n = size - 1 - done < chunk ? size - 1 - done : chunk;
		size_t got = http_sink_body(&b, (const char *)data + 1 + done, n);
		FUZZ_ASSERT(got == n || (got == 0 && b.overflow));
	}
	FUZZ_ASSERT(b.b.len <= b.b.max);
	if (!b.overflow)
		FUZZ_ASSERT(b.b.len == size - 1 && (size == 1 || !memcmp(b.b.p, data + 1, size - 1)));
	else
		FUZZ_ASSERT(size - 1 > b.b.max);
	buf_free(&h.b);
	buf_free(&b.b);
	return 0;
}
