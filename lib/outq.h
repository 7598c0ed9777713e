/* outq.h — the bounded output queue of wn-kills: records wait here for a
 * slow stdout so the network side (heartbeats) keeps running.  The limit
 * is a watermark: the caller stops reading input while outq_full(). */
#ifndef WN_OUTQ_H
#define WN_OUTQ_H

#include <stddef.h>

struct outq;
typedef void (*outq_done_fn)(void *ud, long long tag);

/* outq.c */
struct outq *outq_new(size_t max_items, size_t max_bytes);
void outq_free(struct outq *q);
/* Takes buf (malloc'd, ending in '\n'); -1 only when out of slots. */
int outq_push(struct outq *q, char *buf, size_t len, long long tag);
/* outq_push of text (consumed, fatal if NULL: out of memory) and a
 * newline; -1 only when out of slots. */
int outq_push_line(struct outq *q, char *text, long long tag);
int outq_full(const struct outq *q);
size_t outq_count(const struct outq *q);
/* Write what fd takes now; done(tag) for every record written whole.
 * 0 ok (or would block), -1 on a write error (errno). */
int outq_write(struct outq *q, int fd, outq_done_fn done, void *ud);
/* How long the queue has been full, as seen by calls at now_ms (0 while
 * not full): a reader that takes nothing for too long is a fault. */
long long outq_blocked_ms(struct outq *q, long long now_ms);

#endif
