/* wsconn.c — a WebSocket connection over tls.c and ws.c (see wsconn.h);
 * shared by kfeed.c (WandererKills) and gwconn.c (Discord Gateway). */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "tls.h"
#include "wn.h"
#include "wsconn.h"

long long
wsconn_backoff(long long base, long long max, int n)
{
	long long d = base;

	for (int i = 0; i < n && d < max; i++)
		d *= 2;
	d += rand() % (d * 3 / 10 + 1);     /* so many clients do not sync up */
	return d < max ? d : max;
}

static int
room(const struct wsconn *c)
{
	return !c->room || c->room(c->ud);
}

/* No room for more: report "would block", so wslay stops reading here
 * and the rest waits in the socket (bounded memory). */
static ssize_t
io_recv(void *ud, void *buf, size_t len)
{
	struct wsconn *c = ud;

	if (!room(c)) {
		errno = EAGAIN;
		return -1;
	}
	return tls_read(c->tls, buf, len);
}

static ssize_t
io_send(void *ud, const void *buf, size_t len)
{
	return tls_write(((struct wsconn *)ud)->tls, buf, len);
}

static const struct ws_io io = { io_recv, io_send };

/* ws.c hands its one ud to the io and the message callbacks alike */
static void
pass_message(void *ud, int opcode, const char *data, size_t len)
{
	struct wsconn *c = ud;

	c->on_msg(c->ud, opcode, data, len);
}

void
wsconn_init(struct wsconn *c, size_t max_msg, ws_msg_fn on_msg,
            int (*roomfn)(void *ud), void *ud)
{
	memset(c, 0, sizeof *c);
	c->max_msg = max_msg;
	c->on_msg = on_msg;
	c->room = roomfn;
	c->ud = ud;
	c->conn = WSC_DOWN;
}

int
wsconn_start(struct wsconn *c, long long now)
{
	c->conn = WSC_CONNECTING;
	c->deadline = c->timeout_ms ? now + c->timeout_ms : 0;
	if (!(c->tls = tls_open(c->url.host, c->url.port, c->url.tls, c->err, sizeof c->err))) {
		c->why = c->err;
		return -1;
	}
	return 0;
}

int
wsconn_fd(const struct wsconn *c)
{
	return c->conn == WSC_DOWN ? -1 : tls_fd(c->tls);
}

short
wsconn_events(const struct wsconn *c)
{
	short ev = 0;

	if (c->conn == WSC_DOWN)
		return 0;
	if (c->conn == WSC_CONNECTING)
		return tls_want(c->tls) == TLS_WANT_READ ? POLLIN : POLLOUT;
	if (ws_want_read(c->ws) && room(c))
		ev |= POLLIN;
	if (ws_want_write(c->ws) || tls_want(c->tls) == TLS_WANT_WRITE)
		ev |= POLLOUT;
	return ev;
}

int
wsconn_pending(const struct wsconn *c)
{
	return c->conn != WSC_DOWN && tls_pending(c->tls) && room(c);
}

static int
failed(struct wsconn *c)
{
	c->why = ws_error(c->ws);
	return -1;
}

int
wsconn_io(struct wsconn *c, short rev)
{
	int rc, was;

	if (c->conn == WSC_CONNECTING) {
		if ((rc = tls_handshake(c->tls, c->err, sizeof c->err)) < 0) {
			c->why = c->err;
			return -1;
		}
		if (rc == 0)
			return 0;
		if (!(c->ws = ws_new(&io, c, c->max_msg, pass_message)) ||
		    ws_start(c->ws, c->url.hostport, c->url.path) < 0)
			log_fatal(WN_EXIT_TEMP, "out of memory");
		c->conn = WSC_OPEN;
		rev = POLLOUT;
	}
	was = ws_state(c->ws);
	if ((rev & (POLLOUT | POLLERR | POLLHUP)) && ws_on_writable(c->ws) < 0)
		return failed(c);
	if ((rev & (POLLIN | POLLERR | POLLHUP)) && room(c) && ws_on_readable(c->ws) < 0)
		return failed(c);
	if (was == WS_HANDSHAKE && ws_state(c->ws) == WS_OPEN) {
		c->deadline = 0;
		return 1;
	}
	return 0;
}

int
wsconn_flush(struct wsconn *c)
{
	if (c->conn == WSC_OPEN && ws_state(c->ws) != WS_HANDSHAKE && ws_want_write(c->ws) &&
	    ws_on_writable(c->ws) < 0)
		return failed(c);
	return 0;
}

const char *
wsconn_expired(const struct wsconn *c, long long now)
{
	if (c->conn == WSC_DOWN || !c->deadline || now < c->deadline)
		return NULL;
	if (c->conn == WSC_CONNECTING)
		return c->url.tls ? "connect or TLS handshake timed out" : "connect timed out";
	return "WebSocket upgrade timed out";
}

long long
wsconn_wait_ms(const struct wsconn *c, long long now)
{
	if (c->deadline && c->deadline - now < 1000)
		return c->deadline - now;
	return 1000;
}

void
wsconn_close(struct wsconn *c, uint16_t code, const char *reason)
{
	if (c->ws && code && ws_state(c->ws) == WS_OPEN && ws_close(c->ws, code, reason) == 0)
		ws_on_writable(c->ws);
	ws_free(c->ws);
	tls_close(c->tls);
	c->ws = NULL;
	c->tls = NULL;
	c->conn = WSC_DOWN;
	c->deadline = 0;
}
