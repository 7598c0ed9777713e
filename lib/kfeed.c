/* kfeed.c — the WandererKills session over wsconn.c and phx.c. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "idset.h"
#include "kfeed.h"
#include "log.h"
#include "status.h"
#include "wn.h"

static long long
now_ms(void)
{
	return (long long)(wn_mono() * 1000);
}

static int
room(void *ud)
{
	struct kfeed *f = ud;

	return f->ops->room(f->ud);
}

static void on_message(void *ud, int opcode, const char *data, size_t len);

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
	wsconn_init(&f->c, max_msg, on_message, room, f);
	f->c.url = *url;
	f->c.timeout_ms = KFEED_CONNECT_TIMEOUT_MS;
	phx_init(&f->phx, hb_ms, hb_ms);
}

static void
drop(struct kfeed *f, const char *why)
{
	long long d = wsconn_backoff(f->backoff_ms, f->backoff_max_ms, f->attempts++);

	log_warn("connection to %s dropped: %s; reconnecting in %lld ms", f->url.hostport, why, d);
	wsconn_close(&f->c, 0, NULL);
	f->join_deadline = 0;
	f->reconnect_at = now_ms() + d;
	status_add("reconnects", 1);
	status_set_str("state", "disconnected");
}

static void
send_frame(struct kfeed *f, char *frame)
{
	if (!frame)
		log_fatal(WN_EXIT_TEMP, "out of memory");
	if (ws_send_text(f->c.ws, frame, strlen(frame)) < 0)
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
	f->join_deadline = now_ms() + f->phx.hb_interval_ms;   /* for the reply */
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
		f->join_deadline = 0;
		status_set_str("state", "joined");
		break;
	case PHX_EV_JOIN_ERROR:
	case PHX_EV_CHANNEL_DOWN:
		f->join_deadline = 0;
		f->join_at = now + wsconn_backoff(f->backoff_ms, f->backoff_max_ms,
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
	if (wsconn_start(&f->c, now_ms()) < 0)
		return drop(f, f->c.why);
	status_set_str("state", "connecting");
}

/* Bytes can move: finish connecting, upgrade, then frames both ways. */
static void
session_io(struct kfeed *f, short rev)
{
	int rc = wsconn_io(&f->c, rev);

	if (rc < 0)
		return drop(f, f->c.why);
	if (rc == 1) {
		log_info("connected to %s", f->url.hostport);
		status_set_str("state", "connected");
		phx_reset(&f->phx, now_ms());
		join(f);                         /* the session starts with the join */
	}
	if (wsconn_flush(&f->c) < 0)
		drop(f, f->c.why);
}

/* Timers: heartbeat, re-join, subscription change. */
static void
session_tick(struct kfeed *f, long long now, int changed)
{
	int dead;
	char *hb;

	if (f->c.conn != WSC_OPEN || ws_state(f->c.ws) != WS_OPEN)
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
	if (wsconn_flush(&f->c) < 0)
		drop(f, f->c.why);
}

int
kfeed_fd(const struct kfeed *f)
{
	return wsconn_fd(&f->c);
}

short
kfeed_events(const struct kfeed *f)
{
	return wsconn_events(&f->c);
}

long long
kfeed_wait_ms(const struct kfeed *f, long long now)
{
	long long t;

	if (f->c.conn == WSC_DOWN)
		return f->reconnect_at - now;
	if (f->c.conn != WSC_OPEN)
		return wsconn_wait_ms(&f->c, now);
	if (wsconn_pending(&f->c))
		return 0;
	t = phx_next_ms(&f->phx, now);
	if (f->join_at && f->join_at - now < t)
		t = f->join_at - now;
	if (f->c.deadline && f->c.deadline - now < t)
		t = f->c.deadline - now;
	if (f->join_deadline && f->join_deadline - now < t)
		t = f->join_deadline - now;
	return t < 0 ? 0 : t;
}

void
kfeed_run(struct kfeed *f, short revents, long long now, int changed)
{
	const char *why;

	/* A join reply cannot be seen while the output is full: wait on. */
	if (f->join_deadline && now >= f->join_deadline && !f->ops->room(f->ud))
		f->join_deadline = now + f->phx.hb_interval_ms;
	if ((why = wsconn_expired(&f->c, now)))
		drop(f, why);
	else if (f->c.conn != WSC_DOWN && f->join_deadline && now >= f->join_deadline)
		drop(f, "no reply to the join");
	if (f->c.conn != WSC_DOWN && (revents || wsconn_pending(&f->c)))
		session_io(f, revents | (wsconn_pending(&f->c) ? POLLIN : 0));
	if (f->c.conn == WSC_DOWN && now >= f->reconnect_at)
		connect_start(f);
	session_tick(f, now, changed);
}

void
kfeed_close(struct kfeed *f)
{
	wsconn_close(&f->c, 1000, "bye");
}
