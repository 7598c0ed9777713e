/* map_sync.h — the tracked map as wn-mapsse keeps it: a map state document
 * (map_state.h format) brought up to date from the map's REST API and from
 * SSE event envelopes, with a record emitted for every change.
 *
 * Events are idempotent against the state: an add_system for a system
 * already present, or a removal of one that is absent, emits nothing, so
 * a REST resync followed by a replayed backfill never announces twice.
 * Static wormhole info is fetched once per system and kept. */
#ifndef WN_MAP_SYNC_H
#define WN_MAP_SYNC_H

#include <stddef.h>
#include <cjson/cJSON.h>

enum map_sync_rc {
	MAP_SYNC_OK = 0,
	MAP_SYNC_TEMP = -1,      /* network, 5xx, 429, bad body: try again later */
	MAP_SYNC_AUTH = -2,      /* 401: wrong MAP_API_KEY */
	MAP_SYNC_NOTFOUND = -3,  /* 404: wrong MAP_NAME */
};

struct map_sync_config {
	const char *base;       /* scheme://host[:port] */
	const char *map;        /* slug or UUID */
	const char *key;        /* bearer token (never logged) */
	long timeout_ms;        /* one REST request */
};

/* One record line (no newline), to be written out. */
typedef void (*map_sync_emit_fn)(void *ud, const char *line);

struct map_sync;

/* map_sync.c */
struct map_sync *map_sync_new(const struct map_sync_config *cfg, map_sync_emit_fn emit,
                            void *ud);
void map_sync_free(struct map_sync *s);
/* Adopt a saved document (ownership taken); its systems' static info is
 * reused instead of fetched again. */
void map_sync_adopt(struct map_sync *s, cJSON *doc);
/* Fetch /systems and /tracked-characters, rebuild the document and emit
 * the added/removed entries against the current one (nothing if quiet).
 * On failure the state stays as it was. */
enum map_sync_rc map_sync_resync(struct map_sync *s, int quiet, char *err, size_t errlen);
/* Apply one event (type, id, the parsed data: line).  Returns 1 when the
 * state document changed, 0 when not, -1 for an envelope it cannot use
 * (reason in err; nothing emitted). */
int map_sync_apply(struct map_sync *s, const char *type, const char *id,
                  const cJSON *env, char *err, size_t errlen);
/* The current document (NULL before the first successful resync/adopt). */
const cJSON *map_sync_doc(const struct map_sync *s);
/* Counters for status: REST requests, static info fetches, characters
 * that could not be resolved to an EVE id. */
struct map_sync_stats {
	long long rest, rest_failed, static_fetched, unresolved;
};
const struct map_sync_stats *map_sync_stats(const struct map_sync *s);

#endif
