/* mapsync.h — the tracked map as wn-mapsse keeps it: a map state document
 * (mapstate.h format) brought up to date from the map's REST API and from
 * SSE event envelopes, with a record emitted for every change.
 *
 * Events are idempotent against the state: an add_system for a system
 * already present, or a removal of one that is absent, emits nothing, so
 * a REST resync followed by a replayed backfill never announces twice.
 * Static wormhole info is fetched once per system and kept. */
#ifndef WN_MAPSYNC_H
#define WN_MAPSYNC_H

#include <stddef.h>
#include <cjson/cJSON.h>

enum mapsync_rc {
	MAPSYNC_OK = 0,
	MAPSYNC_TEMP = -1,      /* network, 5xx, 429, bad body: try again later */
	MAPSYNC_AUTH = -2,      /* 401: wrong MAP_API_KEY */
	MAPSYNC_NOTFOUND = -3,  /* 404: wrong MAP_NAME */
};

struct mapsync_config {
	const char *base;       /* scheme://host[:port] */
	const char *map;        /* slug or UUID */
	const char *key;        /* bearer token (never logged) */
	long timeout_ms;        /* one REST request */
};

/* One record line (no newline), to be written out. */
typedef void (*mapsync_emit_fn)(void *ud, const char *line);

struct mapsync;

/* mapsync.c */
struct mapsync *mapsync_new(const struct mapsync_config *cfg, mapsync_emit_fn emit,
                            void *ud);
void mapsync_free(struct mapsync *s);
/* Adopt a saved document (ownership taken); its systems' static info is
 * reused instead of fetched again. */
void mapsync_adopt(struct mapsync *s, cJSON *doc);
/* Fetch /systems and /tracked-characters, rebuild the document and emit
 * the added/removed entries against the current one (nothing if quiet).
 * On failure the state stays as it was. */
enum mapsync_rc mapsync_resync(struct mapsync *s, int quiet, char *err, size_t errlen);
/* Apply one event (type, id, the parsed data: line).  Returns 1 when the
 * state document changed, 0 when not, -1 for an envelope it cannot use
 * (reason in err; nothing emitted). */
int mapsync_apply(struct mapsync *s, const char *type, const char *id,
                  const cJSON *env, char *err, size_t errlen);
/* The current document (NULL before the first successful resync/adopt). */
const cJSON *mapsync_doc(const struct mapsync *s);
/* Counters for status: REST requests, static info fetches, characters
 * that could not be resolved to an EVE id. */
struct mapsync_stats {
	long long rest, rest_failed, static_fetched, unresolved;
};
const struct mapsync_stats *mapsync_stats(const struct mapsync *s);

#endif
