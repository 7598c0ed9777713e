/* ws.c — WebSocket client: the upgrade here, framing in wslay. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <wslay/wslay.h>

#include "ws.h"

struct ws {
	const struct ws_io *io;
	void *ud;
	ws_msg_fn on_msg;
	size_t max_msg;
	enum ws_state state;
	wslay_event_context_ptr ctx;
	char key[32];
	char out[1024];             /* the upgrade request */
	size_t out_len, out_off;
	char hdr[WS_HANDSHAKE_MAX]; /* the upgrade response, then the frames after it */
	size_t hdr_len, pre_off, pre_len;
	int eof;
	int in_close;               /* reading a close frame's payload */
	uint8_t code[2];            /* its status code, as sent */
	size_t code_len;
	/* The message being received: wslay runs without buffering, so what
	 * is held is counted here in bytes, fragments and pings. */
	char *msg;
	size_t msg_len, msg_cap;
	unsigned frags;
	int in_data;                /* the current frame belongs to a message */
	int refused;                /* a limit was hit: read nothing more */
	long long ping_window;      /* second (monotonic) the pings are counted in */
	unsigned pings;
	char err[200];
};

static int
fail(struct ws *w, const char *fmt, const char *arg)
{
	if (!w->err[0])
		snprintf(w->err, sizeof w->err, fmt, arg);
	w->state = WS_CLOSED;
	return -1;
}

/* A limit was hit inside a wslay callback: say why, queue the close with
 * code, and stop reading so wslay's loop ends after this frame. */
static void
refuse(struct ws *w, uint16_t code, const char *why)
{
	if (w->refused)
		return;
	w->refused = 1;
	snprintf(w->err, sizeof w->err, "%s", why);
	wslay_event_shutdown_read(w->ctx);
	wslay_event_queue_close(w->ctx, code, (const uint8_t *)why, strlen(why));
}

static long long
mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec;
}

void
ws_accept_for(const char *key, char *out, size_t size)
{
	unsigned char md[SHA_DIGEST_LENGTH];
	char cat[128];
	unsigned char b64[64];

	snprintf(cat, sizeof cat, "%s%s", key, WS_GUID);
	SHA1((const unsigned char *)cat, strlen(cat), md);
	EVP_EncodeBlock(b64, md, sizeof md);
	snprintf(out, size, "%s", (char *)b64);
}

size_t
ws_header_end(const char *buf, size_t len)
{
	for (size_t i = 3; i < len; i++)
		if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r')
			return i + 1;
	return 0;
}

/* Does the comma-separated value list contain token (any case)? */
static int
has_token(const char *v, size_t n, const char *token)
{
	size_t tl = strlen(token);

	for (size_t i = 0; i < n;) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		size_t s = i;
		while (i < n && v[i] != ',')
			i++;
		size_t e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e - s == tl && strncasecmp(v + s, token, tl) == 0)
			return 1;
	}
	return 0;
}

int
ws_check_response(const char *buf, size_t len, const char *key, char *err, size_t errlen)
{
	char want[64];
	int status = 0, up = 0, conn = 0, acc = 0;
	const char *p = buf, *end = buf + len;

	if (len < 12 || strncmp(buf, "HTTP/1.1 ", 9) != 0 ||
	    sscanf(buf + 9, "%3d", &status) != 1) {
		snprintf(err, errlen, "upgrade: not an HTTP/1.1 response");
		return -1;
	}
	if (status != 101) {
		snprintf(err, errlen, "upgrade refused: HTTP %d", status);
		return -1;
	}
	ws_accept_for(key, want, sizeof want);
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) && ++p < end) {
		const char *eol = memchr(p, '\r', (size_t)(end - p)), *colon, *v;
		if (!eol || eol == p)
			break;
		colon = memchr(p, ':', (size_t)(eol - p));
		if (!colon)
			continue;
		size_t nl = (size_t)(colon - p);
		for (v = colon + 1; v < eol && (*v == ' ' || *v == '\t'); v++)
			;
		size_t vl = (size_t)(eol - v);
		while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
			vl--;
		if (nl == 7 && strncasecmp(p, "Upgrade", 7) == 0)
			up |= has_token(v, vl, "websocket");
		else if (nl == 10 && strncasecmp(p, "Connection", 10) == 0)
			conn |= has_token(v, vl, "upgrade");
		else if (nl == 20 && strncasecmp(p, "Sec-WebSocket-Accept", 20) == 0)
			acc = vl == strlen(want) && memcmp(v, want, vl) == 0 ? 1 : -1;
		else if (nl == 24 && strncasecmp(p, "Sec-WebSocket-Extensions", 24) == 0) {
			snprintf(err, errlen, "upgrade: extension offered that was not asked for");
			return -1;
		}
	}
	if (!up || !conn) {
		snprintf(err, errlen, "upgrade: missing Upgrade: websocket / Connection: upgrade");
		return -1;
	}
	if (acc != 1) {
		snprintf(err, errlen, "upgrade: %s Sec-WebSocket-Accept", acc ? "wrong" : "missing");
		return -1;
	}
	return 0;
}

/* wslay callbacks: bytes left over from the handshake come first. */
static ssize_t
cb_recv(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags, void *ud)
{
	struct ws *w = ud;
	ssize_t n;

	(void)flags;
	/* Pongs not yet sent: read no more until they are, so a ping flood
	 * costs the socket's buffers, not ours. */
	if (wslay_event_get_queued_msg_count(ctx) >= WS_MAX_QUEUED) {
		wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
		return -1;
	}
	if (w->pre_off < w->pre_len) {
		n = (ssize_t)(w->pre_len - w->pre_off < len ? w->pre_len - w->pre_off : len);
		memcpy(buf, w->hdr + w->pre_off, (size_t)n);
		w->pre_off += (size_t)n;
		return n;
	}
	n = w->io->recv(w->ud, buf, len);
	if (n > 0)
		return n;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
	else {
		w->eof = 1;
		wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
	}
	return -1;
}

static ssize_t
cb_send(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int flags, void *ud)
{
	struct ws *w = ud;
	ssize_t n;

	(void)flags;
	n = w->io->send(w->ud, data, len);
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
	else {
		w->eof = 1;
		wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
	}
	return -1;
}

static int
cb_mask(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, void *ud)
{
	(void)ctx; (void)ud;
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -1;
}

static void
cb_msg(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg *arg, void *ud)
{
	struct ws *w = ud;

	(void)ctx;
	if (arg->opcode != WSLAY_TEXT_FRAME && arg->opcode != WSLAY_BINARY_FRAME)
		return;
	if (!w->refused)
		w->on_msg(w->ud, arg->opcode, w->msg ? w->msg : "", w->msg_len);
	w->msg_len = 0;
	w->frags = 0;
	/* A big message's buffer is not kept for the next small one. */
	if (w->msg_cap > WS_KEEP_BUFFER) {
		free(w->msg);
		w->msg = NULL;
		w->msg_cap = 0;
	}
}

/* A ping: more than WS_MAX_PINGS_PER_S in one second is a flood. */
static void
count_ping(struct ws *w)
{
	long long now = mono_s();

	if (now != w->ping_window) {
		w->ping_window = now;
		w->pings = 0;
	}
	if (++w->pings > WS_MAX_PINGS_PER_S)
		refuse(w, WSLAY_CODE_POLICY_VIOLATION, "ping flood");
}

/* Each frame's header, before its payload: the limits are checked here,
 * against what the message would hold, not against one frame. */
static void
cb_start(wslay_event_context_ptr ctx, const struct wslay_event_on_frame_recv_start_arg *arg,
         void *ud)
{
	struct ws *w = ud;

	(void)ctx;
	/* The peer's close code, seen before wslay judges it: wslay 1.1
	 * calls 1012 (service restart, what Phoenix sends) invalid. */
	w->in_close = arg->opcode == WSLAY_CONNECTION_CLOSE;
	if (w->in_close)
		w->code_len = 0;
	if (arg->opcode == WSLAY_PING)
		count_ping(w);
	w->in_data = arg->opcode == WSLAY_TEXT_FRAME || arg->opcode == WSLAY_BINARY_FRAME ||
	             arg->opcode == WSLAY_CONTINUATION_FRAME;
	if (!w->in_data || w->refused)
		return;
	if (++w->frags > WS_MAX_FRAGMENTS)
		refuse(w, WSLAY_CODE_POLICY_VIOLATION, "too many fragments in one message");
	else if (arg->payload_length > w->max_msg - w->msg_len)
		refuse(w, WSLAY_CODE_MESSAGE_TOO_BIG, "closed (code 1009, message too big)");
}

/* Room for n more bytes: doubling, never past max_msg (checked above). */
static int
reserve(struct ws *w, size_t n)
{
	size_t cap = w->msg_cap ? w->msg_cap : 4096;
	char *p;

	if (w->msg_len + n <= w->msg_cap)
		return 0;
	while (cap < w->msg_len + n)
		cap = cap > w->max_msg / 2 ? w->max_msg : cap * 2;
	if (!(p = realloc(w->msg, cap)))
		return -1;
	w->msg = p;
	w->msg_cap = cap;
	return 0;
}

static void
cb_chunk(wslay_event_context_ptr ctx, const struct wslay_event_on_frame_recv_chunk_arg *arg,
         void *ud)
{
	struct ws *w = ud;

	(void)ctx;
	for (size_t i = 0; w->in_close && i < arg->data_length && w->code_len < 2; i++)
		w->code[w->code_len++] = arg->data[i];
	if (!w->in_data || w->refused || !arg->data_length)
		return;
	if (arg->data_length > w->max_msg - w->msg_len || reserve(w, arg->data_length) < 0)
		return refuse(w, WSLAY_CODE_MESSAGE_TOO_BIG, "closed (code 1009, message too big)");
	memcpy(w->msg + w->msg_len, arg->data, arg->data_length);
	w->msg_len += arg->data_length;
}

struct ws *
ws_new(const struct ws_io *io, void *ud, size_t max_msg, ws_msg_fn on_msg)
{
	static const struct wslay_event_callbacks cbs = {
		cb_recv, cb_send, cb_mask, cb_start, cb_chunk, NULL, cb_msg,
	};
	struct ws *w = calloc(1, sizeof *w);

	if (!w)
		return NULL;
	w->io = io;
	w->ud = ud;
	w->on_msg = on_msg;
	w->max_msg = max_msg;
	if (wslay_event_context_client_init(&w->ctx, &cbs, w) != 0) {
		free(w);
		return NULL;
	}
	wslay_event_config_set_max_recv_msg_length(w->ctx, max_msg);
	/* Messages are put together here (cb_chunk): wslay would keep a
	 * list node for every fragment, 1-byte fragments costing ~100x. */
	wslay_event_config_set_no_buffering(w->ctx, 1);
	return w;
}

void
ws_free(struct ws *w)
{
	if (!w)
		return;
	wslay_event_context_free(w->ctx);
	free(w->msg);
	free(w);
}

int
ws_start(struct ws *w, const char *host, const char *path)
{
	unsigned char raw[16];
	int n;

	if (RAND_bytes(raw, sizeof raw) != 1)
		return fail(w, "%s", "no random bytes for the key");
	EVP_EncodeBlock((unsigned char *)w->key, raw, sizeof raw);
	n = snprintf(w->out, sizeof w->out,
	             "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
	             "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
	             "Sec-WebSocket-Version: 13\r\nUser-Agent: wn-kills\r\n\r\n",
	             path, host, w->key);
	if (n < 0 || (size_t)n >= sizeof w->out)
		return fail(w, "%s", "upgrade request too long");
	w->out_len = (size_t)n;
	w->out_off = 0;
	w->state = WS_HANDSHAKE;
	return 0;
}

static int
handshake_read(struct ws *w)
{
	for (;;) {
		size_t end;
		ssize_t n;

		if (w->hdr_len == sizeof w->hdr)
			return fail(w, "%s", "upgrade: response headers too long");
		n = w->io->recv(w->ud, w->hdr + w->hdr_len, sizeof w->hdr - w->hdr_len);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return 0;
		if (n <= 0)
			return fail(w, "upgrade: %s", n == 0 ? "connection closed" : strerror(errno));
		w->hdr_len += (size_t)n;
		if (!(end = ws_header_end(w->hdr, w->hdr_len)))
			continue;
		char why[160];
		if (ws_check_response(w->hdr, end, w->key, why, sizeof why) < 0)
			return fail(w, "%s", why);
		/* Frames that came in the same read wait for wslay. */
		w->pre_off = end;
		w->pre_len = w->hdr_len;
		w->state = WS_OPEN;
		return ws_on_readable(w);
	}
}

/* After wslay has run: has the connection ended? */
static int
settle(struct ws *w, int rc)
{
	/* The peer's close code says more than whatever wslay made of it. */
	if (w->code_len == 2 && !w->err[0] && (rc != 0 || !wslay_event_get_read_enabled(w->ctx)))
		snprintf(w->err, sizeof w->err, "closed by the server (code %u)",
		         ws_close_code_received(w));
	if (rc != 0)
		return fail(w, "%s", w->eof ? "connection lost" : "protocol error");
	if (wslay_event_get_close_received(w->ctx) || wslay_event_get_close_sent(w->ctx))
		w->state = WS_CLOSING;
	if (wslay_event_get_close_sent(w->ctx) && (wslay_event_get_close_received(w->ctx) ||
	                                          !wslay_event_get_read_enabled(w->ctx))) {
		w->state = WS_CLOSED;
		if (!w->err[0]) {
			uint16_t sent = wslay_event_get_status_code_sent(w->ctx);
			snprintf(w->err, sizeof w->err, "closed (code %u%s)",
			         wslay_event_get_close_received(w->ctx)
			             ? wslay_event_get_status_code_received(w->ctx) : sent,
			         sent == WSLAY_CODE_MESSAGE_TOO_BIG ? ", message too big" :
			         sent == WSLAY_CODE_PROTOCOL_ERROR ? ", protocol error" : "");
		}
		return -1;
	}
	return 0;
}

int
ws_on_readable(struct ws *w)
{
	if (w->state == WS_CLOSED)
		return -1;
	if (w->state == WS_HANDSHAKE)
		return w->out_off < w->out_len ? 0 : handshake_read(w);
	int rc = wslay_event_recv(w->ctx);
	if (rc == 0 && w->eof)
		rc = -1;
	/* The close reply wslay queued goes out now if it can. */
	if (rc == 0 && wslay_event_want_write(w->ctx))
		rc = wslay_event_send(w->ctx);
	return settle(w, rc);
}

int
ws_on_writable(struct ws *w)
{
	if (w->state == WS_CLOSED)
		return -1;
	if (w->state == WS_HANDSHAKE) {
		while (w->out_off < w->out_len) {
			ssize_t n = w->io->send(w->ud, w->out + w->out_off, w->out_len - w->out_off);
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
				return 0;
			if (n <= 0)
				return fail(w, "upgrade: %s", strerror(errno));
			w->out_off += (size_t)n;
		}
		return 0;
	}
	return settle(w, wslay_event_send(w->ctx));
}

int
ws_want_read(const struct ws *w)
{
	if (w->state == WS_HANDSHAKE)
		return w->out_off == w->out_len;
	return w->state != WS_CLOSED && wslay_event_want_read(w->ctx) &&
	       wslay_event_get_queued_msg_count(w->ctx) < WS_MAX_QUEUED;
}

int
ws_want_write(const struct ws *w)
{
	if (w->state == WS_HANDSHAKE)
		return w->out_off < w->out_len;
	return w->state != WS_CLOSED && wslay_event_want_write(w->ctx);
}

enum ws_state ws_state(const struct ws *w) { return w->state; }
const char *ws_error(const struct ws *w) { return w->err[0] ? w->err : "ok"; }

uint16_t
ws_close_code_received(const struct ws *w)
{
	if (w->code_len == 2)
		return (uint16_t)(w->code[0] << 8 | w->code[1]);
	return wslay_event_get_close_received(w->ctx)
	           ? wslay_event_get_status_code_received(w->ctx) : 0;
}

int
ws_send_text(struct ws *w, const char *data, size_t len)
{
	struct wslay_event_msg m = { WSLAY_TEXT_FRAME, (const uint8_t *)data, len };

	if (w->state != WS_OPEN)
		return -1;
	return wslay_event_queue_msg(w->ctx, &m) == 0 ? 0 : -1;
}

int
ws_close(struct ws *w, uint16_t code, const char *reason)
{
	if (w->state != WS_OPEN)
		return w->state == WS_CLOSED ? -1 : 0;
	if (wslay_event_queue_close(w->ctx, code, (const uint8_t *)reason,
	                            reason ? strlen(reason) : 0) != 0)
		return -1;
	w->state = WS_CLOSING;
	return 0;
}
