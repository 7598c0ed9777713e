/* fuzz_ndjson.c — the bounded NDJSON line reader: any chunking of the
 * input gives the same lines as one feed; no line is longer than the
 * bound or holds a newline; the last line without '\n' is still given. */
#include "fuzz.h"
#include "ndjson.h"

#define MAXL 64

struct out { char *b; size_t n, cap; unsigned long lines, over; };

static void
put(struct out *o, const char *p, size_t n, char tag)
{
	if (o->n + n + 2 > o->cap) {
		o->cap = (o->n + n + 2) * 2;
		o->b = realloc(o->b, o->cap);
		FUZZ_ASSERT(o->b);
	}
	o->b[o->n++] = tag;
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

static void
drain(struct ndjson_buf *lb, struct out *o)
{
	const char *line;
	size_t len;
	enum ndjson_buf_result r;

	while ((r = ndjson_buf_next(lb, &line, &len)) != NDJSON_LINE_NONE) {
		if (r == NDJSON_LINE_OK) {
			FUZZ_ASSERT(len <= MAXL);
			FUZZ_ASSERT(memchr(line, '\n', len) == NULL);
			put(o, line, len, 'L');
			o->lines++;
		} else {
			put(o, "", 0, 'O');
			o->over++;
		}
	}
}

static void
run(const uint8_t *d, size_t n, size_t step, struct out *o)
{
	struct ndjson_buf *lb = ndjson_buf_new(MAXL);

	FUZZ_ASSERT(lb);
	for (size_t off = 0; off < n; off += step) {
		size_t k = n - off < step ? n - off : step;
		FUZZ_ASSERT(ndjson_buf_feed(lb, (const char *)d + off, k) == 0);
		drain(lb, o);
	}
	ndjson_buf_set_eof(lb);
	drain(lb, o);
	FUZZ_ASSERT(ndjson_buf_eof(lb));
	ndjson_buf_free(lb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct out whole = { 0 }, parts = { 0 };
	size_t step;

	fuzz_quiet();
	if (size < 1)
		return 0;
	step = 1 + data[0] % 17;
	run(data + 1, size - 1, size, &whole);
	run(data + 1, size - 1, step, &parts);
	FUZZ_ASSERT(whole.n == parts.n && (!whole.n || memcmp(whole.b, parts.b, whole.n) == 0));
	free(whole.b);
	free(parts.b);
	return 0;
}
