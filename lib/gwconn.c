/* gwconn.c — the Discord Gateway session over wsconn.c (see gwconn.h). */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gwconn.h"
#include "log.h"
#include "status.h"
#include "wn.h"
#include "wsconn.h"

static void on_message(void *ud, int opcode, const char *data, size_t len);

static long long
now_ms(void)
{
	return (long long)(wn_mono() * 1000);
}

void
gwconn_init(struct gwconn *g, const char *token, int intents, long long backoff_ms,
            long long backoff_max_ms, const struct gwconn_ops *ops, void *ud)
{
	memset(g, 0, sizeof *g);
	g->token = token;
	g->intents = intents;
	g->backoff_ms = backoff_ms;
	g->backoff_max_ms = backoff_max_ms;
	g->ops = ops;
	g->ud = ud;
	g->last_identify = -GW_IDENTIFY_GAP_MS;
	gw_session_reset(&g->sess);
	wsconn_init(&g->c, GW_MAX_MESSAGE, on_message, NULL, g);
}

static void
teardown(struct gwconn *g, uint16_t code)
{
	/* any code but 1000/1001 keeps the session resumable */
	wsconn_close(&g->c, code, "reconnect");
	g->hello = g->ready = 0;
	g->identify_at = 0;
	memset(&g->hb, 0, sizeof g->hb);
	status_set_str("state", "disconnected");
	status_set("connected", 0);
}

/* Down, and back after delay_ms (-1: the backoff for this attempt). */
static void
reconnect(struct gwconn *g, const char *why, long long delay_ms, uint16_t code)
{
	long long d = delay_ms >= 0 ? delay_ms
	                            : wsconn_backoff(g->backoff_ms, g->backoff_max_ms, g->attempts++);

	log_warn("gateway connection closed: %s; %s in %lld ms", why,
	         g->sess.session_id[0] ? "resuming" : "identifying", d);
	teardown(g, code);
	g->reconnect_at = now_ms() + d;
	status_add("reconnects", 1);
}

static void
send_payload(struct gwconn *g, char *p, const char *what)
{
	if (!p)
		log_fatal(WN_EXIT_TEMP, "out of memory");
	if (ws_send_text(g->c.ws, p, strlen(p)) < 0)
		log_warn("cannot queue %s", what);
	log_debug("sent %s", what);   /* never the payload: IDENTIFY holds the token */
	free(p);
}

static void
identify(struct gwconn *g, long long now)
{
	log_info("identifying (intents %d)", g->intents);
	send_payload(g, gw_identify(g->token, g->intents), "IDENTIFY");
	g->last_identify = now;
	g->identify_at = 0;
	status_add("identifies", 1);
}

static void
on_hello(struct gwconn *g, const struct gw_msg *m, long long now)
{
	g->hello = 1;
	gw_heart_start(&g->hb, m->interval_ms, now, (double)rand() / ((double)RAND_MAX + 1));
	if (g->resuming) {
		log_info("resuming session at sequence %lld", (long long)g->sess.seq);
		send_payload(g, gw_resume(g->token, &g->sess), "RESUME");
		status_add("resume_attempts", 1);
		return;
	}
	g->identify_at = g->last_identify + GW_IDENTIFY_GAP_MS > now
	                     ? g->last_identify + GW_IDENTIFY_GAP_MS : now;
}

static void
on_ready(struct gwconn *g, int resumed)
{
	g->ready = 1;
	g->attempts = 0;
	status_set_str("state", resumed ? "resumed" : "ready");
	status_set("connected", 1);
	status_set("session_resumed", resumed);
	if (resumed)
		status_add("resumes", 1);
	log_info("%s (session kept for resuming)", resumed ? "session resumed" : "ready");
}

static void
later(struct gwconn *g, const char *why, long long delay)
{
	g->pending = 1;
	g->pending_delay = delay;
	g->pending_code = 4000;
	snprintf(g->pending_why, sizeof g->pending_why, "%s", why);
}

static void
on_message(void *ud, int opcode, const char *data, size_t len)
{
	struct gwconn *g = ud;
	struct gw_msg m;
	char err[256] = "";
	long long now = now_ms();

	if (opcode != 1 || g->pending)
		return;                 /* encoding=json: binary is not ours */
	switch (gw_parse(&g->sess, data, len, &m, err, sizeof err)) {
	case GW_EV_HELLO:
		on_hello(g, &m, now);
		break;
	case GW_EV_ACK:
		gw_heart_ack(&g->hb, now);
		status_set("heartbeat_latency_ms", g->hb.latency_ms);
		break;
	case GW_EV_HEARTBEAT_ASKED:
		send_payload(g, gw_heartbeat(&g->sess), "heartbeat (asked)");
		gw_heart_sent(&g->hb, now, 0);
		break;
	case GW_EV_RECONNECT:
		later(g, "the gateway asked to reconnect (op 7)", 0);
		break;
	case GW_EV_INVALID:
		status_add("invalid_sessions", 1);
		if (!m.resumable)
			gw_session_reset(&g->sess);
		/* Discord: wait 1-5 s before a fresh IDENTIFY */
		later(g, m.resumable ? "invalid session (resumable)" : "invalid session (not resumable)",
		      m.resumable ? 0 : 1000 + rand() % 4001);
		break;
	case GW_EV_READY:
	case GW_EV_RESUMED:
		on_ready(g, m.ev == GW_EV_RESUMED);
		/* FALLTHROUGH */
	case GW_EV_DISPATCH:
		status_set("sequence", g->sess.seq);
		status_add("events", 1);
		g->ops->event(g->ud, &m);
		break;
	case GW_EV_IGNORED:
		break;
	case GW_EV_BAD:
		log_warn("bad gateway payload skipped: %s", err);
		status_add("bad_payloads", 1);
		break;
	}
	gw_msg_free(&m);
}

static void
connect_start(struct gwconn *g, long long now)
{
	char base[512], err[256];
	long long remaining = 1, reset = 0;
	int rc;

	g->resuming = g->sess.session_id[0] != '\0';
	if (g->resuming) {
		snprintf(base, sizeof base, "%s", g->sess.resume_url);
	} else if ((rc = g->ops->gateway_bot(g->ud, base, sizeof base, &remaining, &reset,
	                                     err, sizeof err)) < 0) {
		if (rc == -2) {
			g->fatal = 1;
			snprintf(g->fatal_reason, sizeof g->fatal_reason, "%s", err);
			return;
		}
		g->reconnect_at = now + wsconn_backoff(g->backoff_ms, g->backoff_max_ms, g->attempts++);
		log_warn("GET /gateway/bot: %s; again in %lld ms", err, g->reconnect_at - now);
		return;
	} else if (remaining <= 0) {
		g->reconnect_at = now + (reset > 0 ? reset : 5000);
		log_warn("no session starts left (session_start_limit); waiting %lld ms",
		         g->reconnect_at - now);
		status_add("start_limit_waits", 1);
		return;
	}
	if (gw_url_split(base, &g->c.url) < 0) {
		log_warn("unusable gateway URL; identifying afresh");
		gw_session_reset(&g->sess);
		g->reconnect_at = now + wsconn_backoff(g->backoff_ms, g->backoff_max_ms, g->attempts++);
		return;
	}
	status_set_str("state", "connecting");
	if (wsconn_start(&g->c, now) < 0)
		reconnect(g, g->c.why, -1, 0);
}

/* The server closed: a code that must not be retried is fatal; 4007
 * and 4009 end the session; anything else resumes after a backoff. */
static void
closed(struct gwconn *g)
{
	int code = g->c.ws ? ws_close_code_received(g->c.ws) : 0;
	char why[300];

	if (!code)
		return reconnect(g, g->c.why, -1, 0);
	snprintf(why, sizeof why, "close code %d (%s)", code, gw_close_name(code));
	switch (gw_close_kind(code)) {
	case GW_CLOSE_FATAL:
		g->fatal = code;
		snprintf(g->fatal_reason, sizeof g->fatal_reason, "%s", why);
		teardown(g, 0);
		return;
	case GW_CLOSE_NEW_SESSION:
		gw_session_reset(&g->sess);
		/* FALLTHROUGH */
	case GW_CLOSE_RESUME:
		reconnect(g, why, -1, 0);
	}
}

static void
session_io(struct gwconn *g, short rev)
{
	/* a read that fails after op 7 / op 9 is the reconnect they asked */
	if (wsconn_io(&g->c, rev) < 0 && !g->pending)
		return closed(g);
	if (g->pending) {
		g->pending = 0;
		return reconnect(g, g->pending_why, g->pending_delay, (uint16_t)g->pending_code);
	}
	if (wsconn_flush(&g->c) < 0)
		closed(g);
}

static void
session_tick(struct gwconn *g, long long now)
{
	int beat;

	if (g->c.conn != WSC_OPEN || !g->hello || ws_state(g->c.ws) != WS_OPEN)
		return;
	if ((beat = gw_heart_tick(&g->hb, now)) < 0) {
		status_add("zombies", 1);
		return reconnect(g, "no heartbeat ACK before the next beat (zombie connection)", -1, 4000);
	}
	if (beat) {
		send_payload(g, gw_heartbeat(&g->sess), "heartbeat");
		gw_heart_sent(&g->hb, now, 1);
	}
	if (g->identify_at && now >= g->identify_at)
		identify(g, now);
	if (wsconn_flush(&g->c) < 0)
		closed(g);
}

int
gwconn_fd(const struct gwconn *g)
{
	return wsconn_fd(&g->c);
}

short
gwconn_events(const struct gwconn *g)
{
	return wsconn_events(&g->c);
}

long long
gwconn_wait_ms(const struct gwconn *g, long long now)
{
	long long t;

	if (g->c.conn == WSC_DOWN)
		return g->reconnect_at > now ? g->reconnect_at - now : 0;
	if (g->c.conn != WSC_OPEN)
		return wsconn_wait_ms(&g->c, now);
	if (wsconn_pending(&g->c))
		return 0;
	t = gw_heart_wait(&g->hb, now);
	if (g->identify_at && g->identify_at - now < t)
		t = g->identify_at > now ? g->identify_at - now : 0;
	return t;
}

void
gwconn_run(struct gwconn *g, short revents, long long now)
{
	if (g->c.conn != WSC_DOWN && (revents || wsconn_pending(&g->c)))
		session_io(g, revents | (wsconn_pending(&g->c) ? POLLIN : 0));
	if (g->c.conn == WSC_DOWN && !g->fatal && now >= g->reconnect_at)
		connect_start(g, now);
	if (!g->fatal)
		session_tick(g, now);
}

void
gwconn_close(struct gwconn *g)
{
	teardown(g, 1000);
}
