/* kfeed.h — one WandererKills session, driven by the caller's poll loop:
 * TCP (and TLS) connect, WebSocket upgrade, join of killmails:lobby with
 * the tracked lists, heartbeats with a reply deadline, re-join after a
 * refused join or a closed channel, a full re-join when the lists change,
 * and reconnects with exponential backoff and jitter.  Killmails go to
 * the caller one at a time; the caller says when it has no room. */
#ifndef WN_KFEED_H
#define WN_KFEED_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "phx.h"
#include "wsconn.h"

struct idset;

#define KFEED_CONNECT_TIMEOUT_MS 15000   /* connect + TLS + upgrade */

struct kfeed_ops {
	int (*room)(void *ud);                 /* 0: stop reading for now */
	void (*kill)(void *ud, cJSON *km);     /* takes km */
	int (*since_hours)(void *ud);          /* preload asked in a join */
};

struct kfeed {
	struct phx_url url;
	long long backoff_ms, backoff_max_ms;
	size_t max_msg;
	const struct kfeed_ops *ops;
	void *ud;
	const struct idset *sys, *chr;         /* the caller's current lists */
	struct wsconn c;
	struct phx phx;
	int attempts, join_attempts;
	long long reconnect_at, join_at;       /* 0 join_at: none pending */
	/* Every phase has a deadline (issue 17): connect, TLS and the upgrade
	 * together get c.timeout_ms (set by kfeed_init; may be changed); the
	 * join reply gets the heartbeat interval; after that the heartbeat's
	 * own reply deadline holds. */
	long long join_deadline;               /* 0: none running */
};

/* kfeed.c */
void kfeed_init(struct kfeed *f, const struct phx_url *url, long long hb_ms,
                long long backoff_ms, long long backoff_max_ms, size_t max_msg,
                const struct kfeed_ops *ops, void *ud,
                const struct idset *sys, const struct idset *chr);
/* -1 when there is no socket now */
int kfeed_fd(const struct kfeed *f);
short kfeed_events(const struct kfeed *f);
/* Milliseconds until kfeed_run has something to do. */
long long kfeed_wait_ms(const struct kfeed *f, long long now_ms);
/* After poll: revents of kfeed_fd (0 if none).  changed: the lists
 * changed since the last call (re-join). */
void kfeed_run(struct kfeed *f, short revents, long long now_ms, int changed);
/* SIGTERM: a close frame if possible, then everything freed. */
void kfeed_close(struct kfeed *f);
/* One message from the server at now: a join reply, kills (to
 * ops->kill), a channel error or a bad frame.  No I/O but the log and
 * the status counters; on_message calls it with the clock. */
void kfeed_message(struct kfeed *f, int opcode, const char *data, size_t len, long long now);

/* kfeed_resume.c */
/* The newest kill time written (Unix seconds, 0 none), kept in the state
 * directory so a restart asks for a preload that covers the gap. */
long long kfeed_resume_load(void);
int kfeed_resume_save(long long newest);             /* 0, or -1 */
/* Hours of preload (1..24) that cover now - newest, plus one. */
int kfeed_resume_hours(long long newest, long long now);

#endif
