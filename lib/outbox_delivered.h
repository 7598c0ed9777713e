/* outbox_delivered.h — what wn-discord has delivered, so that a second copy of
 * a message (a replay, a restart, a preload) is not posted again.
 *
 * <dir>/delivered.log holds "EXPIRY HASH KEY\n" lines, appended and
 * fdatasync'ed after each confirmation, before the spool file goes.  In
 * memory only the 64-bit key hashes and expiries are kept, in a bounded
 * table; expired, forgotten and superseded lines are compacted away. */
#ifndef WN_OUTBOX_DELIVERED_H
#define WN_OUTBOX_DELIVERED_H

#include <stddef.h>
#include <time.h>

struct outbox_delivered;

/* outbox_delivered.c */
/* ttl: seconds an entry is remembered; max: entries kept at most. */
struct outbox_delivered *outbox_delivered_open(const char *path, long ttl, size_t max, time_t now);
void outbox_delivered_close(struct outbox_delivered *d);
int outbox_delivered_has(struct outbox_delivered *d, const char *key, time_t now);
/* Remembers key durably (append + fdatasync).  0, or -1 (errno). */
int outbox_delivered_add(struct outbox_delivered *d, const char *key, time_t now);
size_t outbox_delivered_count(const struct outbox_delivered *d);

#endif
