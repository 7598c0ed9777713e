/* outbox_queue.h — the bounded output queue of wn-kills: records wait here for a
 * slow stdout so the network side (heartbeats) keeps running.  The limit
 * is a watermark: the caller stops reading input while outbox_queue_full(). */
#ifndef WN_OUTBOX_QUEUE_H
#define WN_OUTBOX_QUEUE_H

#include <stddef.h>

struct outbox_queue;
typedef void (*outbox_queue_done_fn)(void *ud, long long tag);

/* outbox_queue.c */
struct outbox_queue *outbox_queue_new(size_t max_items, size_t max_bytes);
void outbox_queue_free(struct outbox_queue *q);
/* Takes buf (malloc'd, ending in '\n'); -1 only when out of slots. */
int outbox_queue_push(struct outbox_queue *q, char *buf, size_t len, long long tag);
/* outbox_queue_push of text (consumed, fatal if NULL: out of memory) and a
 * newline; -1 only when out of slots. */
int outbox_queue_push_line(struct outbox_queue *q, char *text, long long tag);
int outbox_queue_full(const struct outbox_queue *q);
size_t outbox_queue_count(const struct outbox_queue *q);
/* Write what fd takes now; done(tag) for every record written whole.
 * 0 ok (or would block), -1 on a write error (errno). */
int outbox_queue_write(struct outbox_queue *q, int fd, outbox_queue_done_fn done, void *ud);
/* How long the queue has been full, as seen by calls at now_ms (0 while
 * not full): a reader that takes nothing for too long is a fault. */
long long outbox_queue_blocked_ms(struct outbox_queue *q, long long now_ms);

#endif
