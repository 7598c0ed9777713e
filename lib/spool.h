/* spool.h — wn-discord's durable state: the spool of accepted messages
 * and the log of delivered ones.
 *
 * Spool: one file per message, <dir>/spool/<seq>.json, written with
 * atomic_write (temp + fsync + rename + fsync dir) before the message is
 * queued, removed (unlink + fsync dir) only after Discord confirmed it,
 * or moved to <dir>/dead/ with a <seq>.err note when Discord refused it
 * for good.
 *
 * Delivered log: <dir>/delivered.log, "EXPIRY HASH KEY\n" lines appended
 * and fdatasync'ed after each confirmation, before the spool file goes.
 * In memory only the 64-bit key hashes and expiries are kept, in a
 * bounded table; expired and surplus lines are compacted away. */
#ifndef WN_SPOOL_H
#define WN_SPOOL_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif
#define SPOOL_DIR_MAX (PATH_MAX - 64)   /* room for "/<seq>.json" */

struct spool {
	char dir[SPOOL_DIR_MAX];    /* .../spool */
	char dead[SPOOL_DIR_MAX];   /* .../dead */
	uint64_t next_seq;
};

struct dlog;

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
int spool_remove(const struct spool *s, uint64_t seq);
/* Into dead/, with reason (one line) in dead/<seq>.err. */
int spool_bury(const struct spool *s, uint64_t seq, const char *reason);

/* ttl: seconds an entry is remembered; max: entries kept at most. */
struct dlog *dlog_open(const char *path, long ttl, size_t max, time_t now);
void dlog_close(struct dlog *d);
int dlog_has(struct dlog *d, const char *key, time_t now);
/* Remembers key durably (append + fdatasync).  0, or -1 (errno). */
int dlog_add(struct dlog *d, const char *key, time_t now);
size_t dlog_count(const struct dlog *d);

#endif
