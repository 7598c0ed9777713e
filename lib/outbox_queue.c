/* outbox_queue.c — a ring of whole records written to a non-blocking fd. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "outbox_queue.h"
#include "wn.h"

struct item {
	char *buf;
	size_t len;
	long long tag;
};

struct outbox_queue {
	struct item *v;
	size_t cap, head, n;     /* ring: first at head, n items */
	size_t off;              /* written bytes of the first item */
	size_t bytes, max_bytes;
	long long full_since;    /* outbox_queue_blocked_ms: when it filled up, 0 not full */
};

struct outbox_queue *
outbox_queue_new(size_t max_items, size_t max_bytes)
{
	struct outbox_queue *q = calloc(1, sizeof *q);

	/* room above the watermark: one socket read can hold several records */
	if (!q || !(q->v = calloc(max_items * 2 + 64, sizeof *q->v))) {
		free(q);
		return NULL;
	}
	q->cap = max_items * 2 + 64;
	q->max_bytes = max_bytes;
	return q;
}

void
outbox_queue_free(struct outbox_queue *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++)
		free(q->v[(q->head + i) % q->cap].buf);
	free(q->v);
	free(q);
}

int
outbox_queue_push(struct outbox_queue *q, char *buf, size_t len, long long tag)
{
	if (q->n == q->cap)
		return -1;
	q->v[(q->head + q->n) % q->cap] = (struct item){ buf, len, tag };
	q->n++;
	q->bytes += len;
	return 0;
}

int
outbox_queue_full(const struct outbox_queue *q)
{
	return q->n >= (q->cap - 64) / 2 || q->bytes >= q->max_bytes;
}

size_t outbox_queue_count(const struct outbox_queue *q) { return q->n; }

int
outbox_queue_write(struct outbox_queue *q, int fd, outbox_queue_done_fn done, void *ud)
{
	while (q->n) {
		struct item *it = &q->v[q->head];
		ssize_t w = write(fd, it->buf + q->off, it->len - q->off);

		if (w < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
		q->off += (size_t)w;
		if (q->off < it->len)
			continue;
		q->bytes -= it->len;
		free(it->buf);
		if (done)
			done(ud, it->tag);
		q->off = 0;
		q->head = (q->head + 1) % q->cap;
		q->n--;
	}
	return 0;
}

long long
outbox_queue_blocked_ms(struct outbox_queue *q, long long now_ms)
{
	if (!outbox_queue_full(q))
		return q->full_since = 0;
	if (!q->full_since)
		q->full_since = now_ms;
	return now_ms - q->full_since;
}

int
outbox_queue_push_line(struct outbox_queue *q, char *text, long long tag)
{
	size_t len;
	char *line;

	if (!text || !(line = realloc(text, (len = strlen(text)) + 2)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	line[len++] = '\n';
	line[len] = 0;
	if (outbox_queue_push(q, line, len, tag) < 0) {
		free(line);
		return -1;
	}
	return 0;
}
