/* spool.h — wn-discord's spool of accepted messages: one file per
 * message, <dir>/spool/<seq>.json, written with atomic_write (temp +
 * fsync + rename + fsync dir) before the message is queued, removed
 * (unlink + fsync dir) only after Discord confirmed it, or moved to
 * <dir>/dead/ with a <seq>.err note when Discord refused it for good.
 * What was delivered is in the delivered log (delivered.h). */
#ifndef WN_SPOOL_H
#define WN_SPOOL_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif
#define SPOOL_DIR_MAX (PATH_MAX - 64)   /* room for "/<seq>.json" */

struct spool {
	char dir[SPOOL_DIR_MAX];    /* .../spool */
	char dead[SPOOL_DIR_MAX];   /* .../dead */
	uint64_t next_seq;
};

/* spool.c */
/* Creates base/spool and base/dead; next_seq continues after the files
 * found (in both, so a sequence number is never reused). */
int spool_open(struct spool *s, const char *base);
/* The smallest (up to max) sequence numbers > after, ascending; stale
 * temp files are removed.  Returns the count, or -1 (errno). */
long spool_list(struct spool *s, uint64_t after, uint64_t *seqs, size_t max);
/* Durably adds a message; *seq gets its number.  0, or -1 (errno). */
int spool_add(struct spool *s, const char *data, size_t len, uint64_t *seq);
char *spool_read(const struct spool *s, uint64_t seq, size_t max, size_t *len);
/* Not durable by itself: call it only once the delivered log has the
 * message, so a file brought back by a power cut is known as posted. */
int spool_remove(const struct spool *s, uint64_t seq);
/* Into dead/, with reason (one line) in dead/<seq>.err. */
int spool_bury(const struct spool *s, uint64_t seq, const char *reason);

#endif
