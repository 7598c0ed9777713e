/* kfeed.c — the WandererKills session over tls.c, ws.c and phx.c. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "idset.h"
#include "kfeed.h"
#include "log.h"
#include "status.h"
#include "tls.h"
#include "wn.h"
#include "ws.h"

static long long
now_ms(void)
{
	return (long long)(wn_mono() * 1000);
}

long long
kfeed_backoff(long long base, long long max, int n)
{
	long long d = base;

	for (int i = 0; i < n && d < max; i++)
		d *= 2;
	d += rand() % (d * 3 / 10 + 1);     /* so many clients do not sync up */
	return d < max ? d : max;
}

/* No room for more records: report "would block", so wslay stops
 * reading here and the rest waits in the socket (bounded memory). */
static ssize_t
io_recv(void *ud, void *buf, size_t len)
{
	struct kfeed *f = ud;

	if (!f->ops->room(f->ud)) {
		errno = EAGAIN;
		return -1;
	}
	return tls_read(f->tls, buf, len);
}

static ssize_t
io_send(void *ud, const void *buf, size_t len)
{
	return tls_write(((struct kfeed *)ud)->tls, buf, len);
}

static const struct ws_io io = { io_recv, io_send };

void
kfeed_init(struct kfeed *f, const struct phx_url *url, long long hb_ms,
           long long backoff_ms, long long backoff_max_ms, size_t max_msg,
           const struct kfeed_ops *ops, void *ud,
           const struct idset *sys, const struct idset *chr)
{
	memset(f, 0, sizeof *f);
	f->url = *url;
	f->backoff_ms = backoff_ms;
	f->backoff_max_ms = backoff_max_ms;
	f->max_msg = max_msg;
	f->ops = ops;
	f->ud = ud;
	f->sys = sys;
	f->chr = chr;
	f->conn = KF_DOWN;
	f->connect_timeout_ms = KFEED_CONNECT_TIMEOUT_MS;
	phx_init(&f->phx, hb_ms, hb_ms);
}

static void
drop(struct kfeed *f, const char *why)
{
	long long d = kfeed_backoff(f->backoff_ms, f->backoff_max_ms, f->attempts++);

	log_warn("connection to %s dropped: %s; reconnecting in %lld ms", f->url.hostport, why, d);
	ws_free(f->ws);
	tls_close(f->tls);
	f->ws = NULL;
	f->tls = NULL;
	f->conn = KF_DOWN;
	f->phase_deadline = 0;
	f->reconnect_at = now_ms() + d;
	status_add("reconnects", 1);
	status_set_str("state", "disconnected");
}

static void
send_frame(struct kfeed *f, char *frame)
{
	if (!frame)
		log_fatal(WN_EXIT_TEMP, "out of memory");
	if (ws_send_text(f->ws, frame, strlen(frame)) < 0)
		log_warn("cannot queue a frame");
	log_debug("sent %.200s", frame);
	free(frame);
}

static size_t
outside(const struct idset *s, int64_t lo, int64_t hi)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += s->v[i] < lo || s->v[i] > hi;
	return n;
}

static void
join(struct kfeed *f)
{
	int h = f->ops->since_hours(f->ud);
	size_t bad = outside(f->sys, PHX_SYSTEM_MIN, PHX_SYSTEM_MAX) +
	             outside(f->chr, PHX_CHARACTER_MIN, PHX_CHARACTER_MAX);

	if (f->sys->n > PHX_MAX_SYSTEMS || f->chr->n > PHX_MAX_CHARACTERS)
		log_warn("subscription capped at %d systems and %d characters",
		         PHX_MAX_SYSTEMS, PHX_MAX_CHARACTERS);
	if (bad)
		log_warn("%zu ids outside the ranges WandererKills accepts left out of the join", bad);
	log_info("joining %s: %zu systems, %zu characters, preload %d h",
	         PHX_TOPIC, f->sys->n, f->chr->n, h);
	send_frame(f, phx_join(&f->phx, f->sys, f->chr, h));
	f->join_at = 0;
	f->phase_deadline = now_ms() + f->phx.hb_interval_ms;   /* for the reply */
}

void
kfeed_message(struct kfeed *f, int opcode, const char *data, size_t len, long long now)
{
	struct phx_msg m;
	char err[256] = "";
	cJSON *kills, *k;

	if (opcode != 1)
		return;                          /* Phoenix never sends binary */
	switch (phx_handle(&f->phx, data, len, &m, err, sizeof err)) {
	case PHX_EV_JOINED:
		log_info("joined %s", PHX_TOPIC);
		f->attempts = f->join_attempts = 0;
		f->phase_deadline = 0;
		status_set_str("state", "joined");
		break;
	case PHX_EV_JOIN_ERROR:
	case PHX_EV_CHANNEL_DOWN:
		f->phase_deadline = 0;
		f->join_at = now + kfeed_backoff(f->backoff_ms, f->backoff_max_ms,
		                                      f->join_attempts++);
		log_warn("%s; joining again in %lld ms", err, f->join_at - now);
		status_add("join_errors", 1);
		status_set_str("state", "connected");
		break;
	case PHX_EV_KILLS:
		kills = phx_take_kills(&m);
		while (kills && (k = cJSON_DetachItemFromArray(kills, 0)))
			if (cJSON_IsObject(k)) {
				f->ops->kill(f->ud, k);
			} else {
				/* the ops get killmails only (campaign finding 23:
				 * "killmails":[5499]); said as wn-kills says a bad one */
				log_warn("bad killmail skipped: not an object");
				status_add("bad", 1);
				cJSON_Delete(k);
			}
		cJSON_Delete(kills);
		break;
	case PHX_EV_BAD:
		log_warn("bad frame skipped: %s", err);
		status_add("bad_frames", 1);
		break;
	case PHX_EV_HEARTBEAT_OK:
	case PHX_EV_IGNORED:
		log_debug("%s %s", m.topic, m.event);
		break;
	}
	phx_msg_free(&m);
}

/* The WebSocket client's callback: the clock read here, the rest pure. */
static void
on_message(void *ud, int opcode, const char *data, size_t len)
{
	kfeed_message(ud, opcode, data, len, now_ms());
}

static void
connect_start(struct kfeed *f)
{
	char err[256];

	f->conn = KF_CONNECTING;
	f->phase_deadline = now_ms() + f->connect_timeout_ms;
	if (!(f->tls = tls_open(f->url.host, f->url.port, f->url.tls, err, sizeof err)))
		return drop(f, err);
	status_set_str("state", "connecting");
}

/* Bytes can move: finish connecting, upgrade, then frames both ways. */
static void
session_io(struct kfeed *f, short rev)
{
	char err[256];
	int rc, was;

	if (f->conn == KF_CONNECTING) {
		if ((rc = tls_handshake(f->tls, err, sizeof err)) < 0)
			return drop(f, err);
		if (rc == 0)
			return;
		if (!(f->ws = ws_new(&io, f, f->max_msg, on_message)) ||
		    ws_start(f->ws, f->url.hostport, f->url.path) < 0)
			log_fatal(WN_EXIT_TEMP, "out of memory");
		f->conn = KF_OPEN;
		rev = POLLOUT;
	}
	was = ws_state(f->ws);
	if ((rev & (POLLOUT | POLLERR | POLLHUP)) && ws_on_writable(f->ws) < 0)
		return drop(f, ws_error(f->ws));
	if ((rev & (POLLIN | POLLERR | POLLHUP)) && f->ops->room(f->ud) && ws_on_readable(f->ws) < 0)
		return drop(f, ws_error(f->ws));
	if (was == WS_HANDSHAKE && ws_state(f->ws) == WS_OPEN) {
		log_info("connected to %s", f->url.hostport);
		status_set_str("state", "connected");
		phx_reset(&f->phx, now_ms());
		join(f);                         /* the session starts with the join */
	}
	if (ws_state(f->ws) != WS_HANDSHAKE && ws_want_write(f->ws) && ws_on_writable(f->ws) < 0)
		drop(f, ws_error(f->ws));
}

/* Timers: heartbeat, re-join, subscription change. */
static void
session_tick(struct kfeed *f, long long now, int changed)
{
	int dead;
	char *hb;

	if (f->conn != KF_OPEN || ws_state(f->ws) != WS_OPEN)
		return;
	hb = phx_tick(&f->phx, now, &dead);
	if (dead && f->ops->room(f->ud))
		return drop(f, "no heartbeat reply");
	/* Not reading (the output is full): the reply cannot be seen, but
	 * the server must still hear from us within its idle timeout. */
	if (dead && !hb) {
		phx_forget_heartbeat(&f->phx);
		hb = phx_tick(&f->phx, now, &dead);
	}
	if (hb)
		send_frame(f, hb);
	if (f->phx.state == PHX_IDLE && f->join_at && now >= f->join_at)
		join(f);
	else if (changed && f->phx.state != PHX_IDLE) {
		log_info("subscription changed: joining again on the same connection");
		status_add("resubscribes", 1);
		join(f);
	}
	if (ws_want_write(f->ws) && ws_on_writable(f->ws) < 0)
		drop(f, ws_error(f->ws));
}

int
kfeed_fd(const struct kfeed *f)
{
	return f->conn == KF_DOWN ? -1 : tls_fd(f->tls);
}

short
kfeed_events(const struct kfeed *f)
{
	short ev = 0;

	if (f->conn == KF_DOWN)
		return 0;
	if (f->conn == KF_CONNECTING)
		return tls_want(f->tls) == TLS_WANT_READ ? POLLIN : POLLOUT;
	if (ws_want_read(f->ws) && f->ops->room(f->ud))
		ev |= POLLIN;
	if (ws_want_write(f->ws) || tls_want(f->tls) == TLS_WANT_WRITE)
		ev |= POLLOUT;
	return ev;
}

long long
kfeed_wait_ms(const struct kfeed *f, long long now)
{
	long long t;

	if (f->conn == KF_DOWN)
		return f->reconnect_at - now;
	if (f->phase_deadline && f->phase_deadline - now < 1000 && f->conn != KF_OPEN)
		return f->phase_deadline - now;
	if (f->conn != KF_OPEN)
		return 1000;
	/* TLS may hold decrypted bytes that poll cannot see */
	if (tls_pending(f->tls) && f->ops->room(f->ud))
		return 0;
	t = phx_next_ms(&f->phx, now);
	if (f->join_at && f->join_at - now < t)
		t = f->join_at - now;
	if (f->phase_deadline && f->phase_deadline - now < t)
		t = f->phase_deadline - now;
	return t < 0 ? 0 : t;
}

/* Which phase ran out of time, for the log line. */
static const char *
phase_name(const struct kfeed *f)
{
	if (f->conn == KF_CONNECTING)
		return f->url.tls ? "connect or TLS handshake timed out" : "connect timed out";
	if (ws_state(f->ws) == WS_HANDSHAKE)
		return "WebSocket upgrade timed out";
	return "no reply to the join";
}

void
kfeed_run(struct kfeed *f, short revents, long long now, int changed)
{
	/* A join reply cannot be seen while the output is full: wait on. */
	if (f->conn == KF_OPEN && f->phase_deadline && now >= f->phase_deadline &&
	    ws_state(f->ws) == WS_OPEN && !f->ops->room(f->ud))
		f->phase_deadline = now + f->phx.hb_interval_ms;
	if (f->conn != KF_DOWN && f->phase_deadline && now >= f->phase_deadline) {
		char why[64];

		snprintf(why, sizeof why, "%s", phase_name(f));
		drop(f, why);
	}
	if (f->conn != KF_DOWN && (revents || (tls_pending(f->tls) && f->ops->room(f->ud))))
		session_io(f, revents | (f->conn != KF_DOWN && tls_pending(f->tls) ? POLLIN : 0));
	if (f->conn == KF_DOWN && now >= f->reconnect_at)
		connect_start(f);
	session_tick(f, now, changed);
}

void
kfeed_close(struct kfeed *f)
{
	if (f->ws && ws_state(f->ws) == WS_OPEN && ws_close(f->ws, 1000, "bye") == 0)
		ws_on_writable(f->ws);
	ws_free(f->ws);
	tls_close(f->tls);
	f->ws = NULL;
	f->tls = NULL;
	f->conn = KF_DOWN;
}
