/* map_cursor.h — where an SSE consumer stands in the map's event stream:
 * the newest event id seen, the ids seen recently (bounded, to drop
 * duplicates from backfill/live overlap and out-of-order delivery), and
 * the resume point derived from them.  Persisted as a small JSON file:
 *   {"newest_event_id":"01K..","last_event_id":"01K..","seen":["01K..",..]} */
#ifndef WN_MAP_CURSOR_H
#define WN_MAP_CURSOR_H

#include <stddef.h>

#define MAP_CURSOR_SEEN 2048
#define MAP_CURSOR_BUCKETS 4096
#define ULID_LEN 26

struct map_cursor {
	char seen[MAP_CURSOR_SEEN][ULID_LEN + 1];   /* ring; "" = empty slot */
	size_t head;                              /* next slot to fill */
	/* hash index over the ring: slot number + 1, 0 ends a chain */
	unsigned short bucket[MAP_CURSOR_BUCKETS];
	unsigned short next[MAP_CURSOR_SEEN];
	char newest[ULID_LEN + 1];                /* greatest ULID seen */
	char last[ULID_LEN + 1];                  /* last id processed */
};

/* map_cursor.c */
void map_cursor_init(struct map_cursor *c);
/* 26 characters of upper-case Crockford base32 (what the server accepts). */
int map_cursor_is_ulid(const char *id);
/* Millisecond Unix time in a ULID, -1 if it is not one. */
long long map_cursor_ms(const char *ulid);
int map_cursor_seen(const struct map_cursor *c, const char *id);
void map_cursor_add(struct map_cursor *c, const char *id);
/* The last_event_id to resume with: the newest event's time minus back_ms
 * and a zero random part, so events delivered out of order or in the same
 * millisecond are replayed too (the seen set drops the overlap).
 * "" when nothing was seen. */
void map_cursor_resume(const struct map_cursor *c, long back_ms, char out[ULID_LEN + 1]);
/* The smallest ULID of millisecond ms (random part zero). */
void map_cursor_ulid_at(long long ms, char out[ULID_LEN + 1]);
/* 0 ok, 1 no file, -1 unreadable/bad (reason in err). */
int map_cursor_load(struct map_cursor *c, const char *path, char *err, size_t errlen);
int map_cursor_save(const struct map_cursor *c, const char *path);

#endif
