/* outbox.h — wn-discord's delivery engine: accepted messages go to the
 * spool first, wait in one FIFO per target, and leave in the order the
 * rate limits allow; each confirmed message is recorded in the delivered
 * log before its spool file is removed, so a crash at any point loses
 * nothing and a restart or replay posts nothing twice.
 *
 * One request at a time (blocking); the caller's poll loop asks when the
 * next one is due and reads input in between. */
#ifndef WN_OUTBOX_H
#define WN_OUTBOX_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "http.h"
#include "route.h"

#define OUTBOX_QUEUE_DEFAULT 10000
#define OUTBOX_DEDUP_DEFAULT 86400       /* seconds a delivery is remembered */
#define OUTBOX_DLOG_MAX 200000           /* entries in the delivered log */

struct outbox_config {
	const struct routes *routes;
	struct http_client *http;
	const char *dir;          /* state dir for spool/, dead/, delivered.log */
	size_t max_queue;
	long dedup_seconds;
	int global_per_sec;
};

struct outbox;

/* outbox.c */
struct outbox *outbox_new(const struct outbox_config *cfg);
void outbox_free(struct outbox *ob);
/* The identity of a record for the delivered log: "killmail:<id>", or
 * "<type>:event:<event_id>", or type/action/id/time, in buf. */
void outbox_record_key(const cJSON *record, char *buf, size_t size);
/* Spools the formatted message for class cls, not yet synced to disk:
 * call outbox_sync before waiting with it queued.  1 accepted, 0 already
 * delivered (a no-op), -1 when no route takes class cls or the queue is
 * full, -2 when the spool cannot be written (err says why). */
int outbox_accept(struct outbox *ob, const char *key, int cls,
                  const cJSON *payload, char *err, size_t errlen);
/* Queues messages left in the spool by an earlier run (in order) while
 * there is room.  1 when all of them are queued, 0 if more remain,
 * -1 on error. */
int outbox_refill(struct outbox *ob);
size_t outbox_room(const struct outbox *ob);
size_t outbox_queued(const struct outbox *ob);
/* Monotonic time (seconds) when the next request may go; INFINITY when
 * nothing is queued. */
double outbox_next_due(struct outbox *ob, double now);
/* Handles the head of the target that is due: one request, or a burial
 * without one for a dead route.  0, or -1 when the state dir fails (the
 * caller should exit 111). */
int outbox_send_next(struct outbox *ob, double now);
/* Makes what was accepted durable (the spool's fsyncs); cheap when
 * nothing waits unsynced.  0, or -1 (errno). */
int outbox_sync(struct outbox *ob);
double outbox_now(void);   /* CLOCK_MONOTONIC in seconds */

#endif
