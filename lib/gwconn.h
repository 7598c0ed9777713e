/* gwconn.h — one Discord Gateway session over wsconn.c, driven by
 * the caller's poll loop: connect (the URL from GET /gateway/bot, or
 * READY's resume_gateway_url to resume), HELLO, heartbeats with the
 * zombie check, IDENTIFY (at most one per 5 s, within
 * session_start_limit) or RESUME, op 7 / op 9 / close codes, and
 * reconnects with exponential backoff and jitter. */
#ifndef WN_GWCONN_H
#define WN_GWCONN_H

#include <stddef.h>

#include "gw.h"
#include "wsconn.h"

#define GW_IDENTIFY_GAP_MS 5000

struct gwconn_ops {
	/* READY, RESUMED and every other dispatch, replayed ones included */
	void (*event)(void *ud, const struct gw_msg *m);
	/* GET /gateway/bot: the wss URL (no query), sessions left and when
	 * they are back (ms).  0 ok, -1 failed (try later), -2 refused for
	 * good (bad token: the reason in err). */
	int (*gateway_bot)(void *ud, char *url, size_t size, long long *remaining,
	                   long long *reset_ms, char *err, size_t errlen);
};

struct gwconn {
	const char *token;
	int intents;
	long long backoff_ms, backoff_max_ms;
	const struct gwconn_ops *ops;
	void *ud;
	struct gw_session sess;
	struct gw_heart hb;
	int resuming, hello, ready, attempts;
	long long reconnect_at, identify_at, last_identify;
	/* op 7 / op 9 arrive inside ws.c's read: acted on after it returns */
	int pending;
	long long pending_delay;
	int pending_code;
	char pending_why[80];
	int fatal;                /* a close code that must not be retried */
	char fatal_reason[320];
	struct wsconn c;                /* c.url: where this attempt goes */
};

/* gwconn.c */
void gwconn_init(struct gwconn *g, const char *token, int intents, long long backoff_ms,
                 long long backoff_max_ms, const struct gwconn_ops *ops, void *ud);
int gwconn_fd(const struct gwconn *g);
short gwconn_events(const struct gwconn *g);
long long gwconn_wait_ms(const struct gwconn *g, long long now_ms);
/* After poll: revents of gwconn_fd (0 if none).  Check g->fatal after. */
void gwconn_run(struct gwconn *g, short revents, long long now_ms);
/* SIGTERM: close 1000 if open, everything freed. */
void gwconn_close(struct gwconn *g);

#endif
