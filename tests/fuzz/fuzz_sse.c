/* fuzz_sse.c — the text/event-stream parser: the input fed in chunks
 * (sizes from the first byte, one byte at a time too) dispatches exactly
 * the events the whole input does, each bounded and NUL-terminated. */
#include "fuzz.h"
#include "sse.h"

#define MAXEV 4096

struct out { char *b; size_t n, cap; };

static void
put(struct out *o, const char *p, size_t n)
{
	if (o->n + n + 1 > o->cap) {
		o->cap = (o->n + n + 1) * 2;
		o->b = realloc(o->b, o->cap);
		FUZZ_ASSERT(o->b);
	}
	memcpy(o->b + o->n, p, n);
	o->n += n;
	o->b[o->n++] = '\0';
}

static int
on_event(void *ud, const struct sse_event *ev)
{
	struct out *o = ud;

	FUZZ_ASSERT(ev->type && ev->id && ev->data);
	FUZZ_ASSERT(ev->data[ev->data_len] == '\0');
	FUZZ_ASSERT(ev->data_len <= MAXEV);
	put(o, ev->type, strlen(ev->type));
	put(o, ev->id, strlen(ev->id));
	put(o, ev->data, ev->data_len);
	return 0;
}

static void
run(const char *d, size_t n, size_t step, struct out *o, struct sse_stats *st)
{
	struct sse_parser *p = sse_new(MAXEV);

	FUZZ_ASSERT(p);
	for (size_t off = 0; off < n; off += step) {
		size_t k = n - off < step ? n - off : step;
		FUZZ_ASSERT(sse_feed(p, d + off, k, on_event, o) == 0);
	}
	*st = *sse_stats(p);
	sse_free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct out whole = { 0 }, parts = { 0 };
	struct sse_stats sw, sp;

	fuzz_quiet();
	if (size < 1)
		return 0;
	run((const char *)data + 1, size - 1, size, &whole, &sw);
	run((const char *)data + 1, size - 1, 1 + data[0] % 13, &parts, &sp);
	FUZZ_ASSERT(whole.n == parts.n && (!whole.n || memcmp(whole.b, parts.b, whole.n) == 0));
	FUZZ_ASSERT(sw.events == sp.events && sw.oversize == sp.oversize &&
	            sw.comments == sp.comments);
	free(whole.b);
	free(parts.b);
	return 0;
}
