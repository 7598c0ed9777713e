/* wsconn.h — one WebSocket connection over tls.c and ws.c, driven by the
 * caller's poll loop: TCP (and TLS) connect, the upgrade under one
 * deadline, the poll events, bytes both ways, close, and the backoff
 * with jitter between attempts.  What the messages mean (Phoenix,
 * Discord Gateway) stays with the caller. */
#ifndef WN_WSCONN_H
#define WN_WSCONN_H

#include <stddef.h>
#include <stdint.h>

#include "phx.h"
#include "ws.h"

struct tls;

struct wsconn {
	struct phx_url url;
	size_t max_msg;
	ws_msg_fn on_msg;
	int (*room)(void *ud);          /* NULL: always; 0: stop reading */
	void *ud;
	enum { WSC_DOWN, WSC_CONNECTING, WSC_OPEN } conn;
	/* connect, TLS and the upgrade together get timeout_ms (0: no
	 * limit); deadline is 0 once the upgrade is done */
	long long timeout_ms, deadline;
	struct tls *tls;
	struct ws *ws;
	const char *why;                /* after a -1 from wsconn_io */
	char err[256];
};

/* wsconn.c */
void wsconn_init(struct wsconn *c, size_t max_msg, ws_msg_fn on_msg,
                 int (*room)(void *ud), void *ud);
/* Start connecting to c->url: 0, or -1 with the reason in c->why. */
int wsconn_start(struct wsconn *c, long long now_ms);
/* -1 when there is no socket now */
int wsconn_fd(const struct wsconn *c);
short wsconn_events(const struct wsconn *c);
/* TLS holds decrypted bytes poll cannot see (and there is room). */
int wsconn_pending(const struct wsconn *c);
/* After poll (pending bytes count as POLLIN): 1 the upgrade just
 * completed, 0 ok, -1 failed with the reason in c->why. */
int wsconn_io(struct wsconn *c, short revents);
/* Send what the caller queued: 0, or -1 as wsconn_io. */
int wsconn_flush(struct wsconn *c);
/* The reason when the connect deadline passed at now, else NULL. */
const char *wsconn_expired(const struct wsconn *c, long long now);
/* Milliseconds to wait while not open (1000 at most). */
long long wsconn_wait_ms(const struct wsconn *c, long long now);
/* Close frame with code if open (0: none), then everything freed. */
void wsconn_close(struct wsconn *c, uint16_t code, const char *reason);
/* min(base * 2^n, max) plus up to 30 % jitter */
long long wsconn_backoff(long long base, long long max, int n);

#endif
