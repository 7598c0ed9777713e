/* outbox_spool.h — wn-discord's spool of accepted messages: one file per
 * message, <dir>/spool/<seq>.json, written (temp + rename) before the
 * message is queued, removed only after Discord confirmed it, or moved
 * to <dir>/dead/ with a <seq>.err note when Discord refused it for good.
 * What was delivered is in the delivered log (outbox_delivered.h).
 *
 * outbox_spool_add syncs at once.  outbox_spool_add_lazy leaves the fsyncs for
 * outbox_spool_sync: a message posted at once then never waits for the disk,
 * and one that has to wait is synced before the wait (wn-discord's
 * loop).  Either way the file survives a crash of the process. */
#ifndef WN_OUTBOX_SPOOL_H
#define WN_OUTBOX_SPOOL_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif
#define OUTBOX_SPOOL_DIR_MAX (PATH_MAX - 64)   /* room for "/<seq>.json" */

#define OUTBOX_SPOOL_LAZY_MAX 64   /* unsynced files at most; then outbox_spool_sync */

struct outbox_spool {
	char dir[OUTBOX_SPOOL_DIR_MAX];    /* .../spool */
	char dead[OUTBOX_SPOOL_DIR_MAX];   /* .../dead */
	uint64_t next_seq;
	uint64_t unsynced[OUTBOX_SPOOL_LAZY_MAX];   /* written by outbox_spool_add_lazy, not synced */
	size_t n_unsynced;
};

/* outbox_spool.c */
/* Creates base/spool and base/dead; next_seq continues after the files
 * found (in both, so a sequence number is never reused). */
int outbox_spool_open(struct outbox_spool *s, const char *base);
/* The smallest (up to max) sequence numbers > after, ascending; stale
 * temp files are removed.  Returns the count, or -1 (errno). */
long outbox_spool_list(struct outbox_spool *s, uint64_t after, uint64_t *seqs, size_t max);
/* Durably adds a message; *seq gets its number.  0, or -1 (errno). */
int outbox_spool_add(struct outbox_spool *s, const char *data, size_t len, uint64_t *seq);
/* Adds a message without syncing it (see above).  0, or -1 (errno). */
int outbox_spool_add_lazy(struct outbox_spool *s, const char *data, size_t len, uint64_t *seq);
/* Makes every lazily added file still in the spool durable: each file,
 * then the directory once.  0, or -1 (errno). */
int outbox_spool_sync(struct outbox_spool *s);
char *outbox_spool_read(const struct outbox_spool *s, uint64_t seq, size_t max, size_t *len);
/* Not durable by itself: call it only once the delivered log has the
 * message, so a file brought back by a power cut is known as posted. */
int outbox_spool_remove(struct outbox_spool *s, uint64_t seq);
/* Into dead/, with reason (one line) in dead/<seq>.err. */
int outbox_spool_bury(struct outbox_spool *s, uint64_t seq, const char *reason);

#endif
