/* evcursor.h — where an SSE consumer stands in the map's event stream:
 * the newest event id seen, the ids seen recently (bounded, to drop
 * duplicates from backfill/live overlap and out-of-order delivery), and
 * the resume point derived from them.  Persisted as a small JSON file:
 *   {"newest_event_id":"01K..","last_event_id":"01K..","seen":["01K..",..]} */
#ifndef WN_EVCURSOR_H
#define WN_EVCURSOR_H

#include <stddef.h>

#define EVCURSOR_SEEN 2048
#define EVCURSOR_BUCKETS 4096
#define ULID_LEN 26

struct evcursor {
	char seen[EVCURSOR_SEEN][ULID_LEN + 1];   /* ring; "" = empty slot */
	size_t head;                              /* next slot to fill */
	/* hash index over the ring: slot number + 1, 0 ends a chain */
	unsigned short bucket[EVCURSOR_BUCKETS];
	unsigned short next[EVCURSOR_SEEN];
	char newest[ULID_LEN + 1];                /* greatest ULID seen */
	char last[ULID_LEN + 1];                  /* last id processed */
};

/* evcursor.c */
void evcursor_init(struct evcursor *c);
/* 26 characters of upper-case Crockford base32 (what the server accepts). */
int evcursor_is_ulid(const char *id);
/* Millisecond Unix time in a ULID, -1 if it is not one. */
long long evcursor_ms(const char *ulid);
int evcursor_seen(const struct evcursor *c, const char *id);
void evcursor_add(struct evcursor *c, const char *id);
/* The last_event_id to resume with: the newest event's time minus back_ms
 * and a zero random part, so events delivered out of order or in the same
 * millisecond are replayed too (the seen set drops the overlap).
 * "" when nothing was seen. */
void evcursor_resume(const struct evcursor *c, long back_ms, char out[ULID_LEN + 1]);
/* The smallest ULID of millisecond ms (random part zero). */
void evcursor_ulid_at(long long ms, char out[ULID_LEN + 1]);
/* 0 ok, 1 no file, -1 unreadable/bad (reason in err). */
int evcursor_load(struct evcursor *c, const char *path, char *err, size_t errlen);
int evcursor_save(const struct evcursor *c, const char *path);

#endif
