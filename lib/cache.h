/* cache.h — a persistent key/value cache for ESI answers with their
 * expiry and ETag.
 *
 * On disk: one append-only file of lines "key\texpires\tetag\tvalue\n"
 * (value is compact JSON, so it holds no raw tab or newline).  A later
 * line for a key replaces the earlier one; a torn last line is cut off
 * on open.  When the file grows past its bound, or is mostly dead lines,
 * it is rewritten (temp + fsync + rename) keeping the most recently used
 * entries.  In memory: an index of every key, plus the values of the
 * recently used ones, bounded in bytes (LRU); a value not in memory is
 * read back from the file.  One process owns a cache file at a time. */
#ifndef WN_CACHE_H
#define WN_CACHE_H

#include <stddef.h>
#include <time.h>

struct cache;

enum cache_state { CACHE_MISS = 0, CACHE_FRESH = 1, CACHE_STALE = 2 };

struct cache_hit {
	const char *value;   /* NUL-terminated; valid until the next cache call */
	size_t len;
	const char *etag;    /* "" when the answer had none */
	time_t expires;
};

struct cache_stats {
	long long hits, stale, misses, puts, evicted, compactions, dropped;
	size_t entries, resident_bytes, file_bytes;
};

/* cache.c */
/* path NULL: an unlinked temporary file (nothing persists).  mem_max
 * bounds the values kept in memory, disk_max the file.  NULL with a
 * reason in err when the file cannot be opened or another process holds
 * it (the caller may then open one with path NULL). */
struct cache *cache_open(const char *path, size_t mem_max, size_t disk_max,
                         char *err, size_t errlen);
void cache_close(struct cache *c);           /* syncs; NULL is fine */
/* CACHE_FRESH (expires > now), CACHE_STALE (expired: the value and ETag
 * are still given, for revalidation or as a fallback) or CACHE_MISS. */
enum cache_state cache_get(struct cache *c, const char *key, time_t now,
                           struct cache_hit *h);
/* key: no tab/newline, < 256 bytes; value: compact JSON; etag may be
 * NULL.  0, or -1 (bad key/value, or a write error: logged). */
int cache_put(struct cache *c, const char *key, const char *value, size_t len,
              const char *etag, time_t expires);
/* Flush what was put to stable storage (fdatasync); compacts when due. */
int cache_sync(struct cache *c);
void cache_get_stats(const struct cache *c, struct cache_stats *s);

#endif
