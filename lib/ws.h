/* ws.h — a WebSocket client (RFC 6455) on wslay.  The HTTP/1.1 upgrade
 * (Sec-WebSocket-Key / Accept checked), client masking, ping/pong,
 * fragmented messages, the close handshake and a maximum message size.
 * Bytes move only through the caller's io callbacks, so the same code
 * runs over TLS, plain TCP, or a test buffer fed one byte at a time. */
#ifndef WN_WS_H
#define WN_WS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* recv/send behave like read/write on a non-blocking fd: -1 with errno
 * EAGAIN when nothing can move now; recv returns 0 at end of stream. */
struct ws_io {
	ssize_t (*recv)(void *ud, void *buf, size_t len);
	ssize_t (*send)(void *ud, const void *buf, size_t len);
};

/* A complete message: opcode 1 text, 2 binary. */
typedef void (*ws_msg_fn)(void *ud, int opcode, const char *data, size_t len);

enum ws_state { WS_HANDSHAKE, WS_OPEN, WS_CLOSING, WS_CLOSED };

#define WS_HANDSHAKE_MAX 8192
/* Limits against a hostile peer (issue 17): frames queued to send (pongs
 * mostly) before reading stops; fragments in one message; pings in one
 * second before the peer is dropped; a message buffer bigger than this
 * is freed once its message is delivered. */
#define WS_MAX_QUEUED       16
#define WS_MAX_FRAGMENTS    4096
#define WS_MAX_PINGS_PER_S  64
#define WS_KEEP_BUFFER      (256u << 10)
#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

struct ws;

/* ws.c */
struct ws *ws_new(const struct ws_io *io, void *ud, size_t max_msg, ws_msg_fn on_msg);
void ws_free(struct ws *w);
/* Queue the upgrade request for host (Host header) and path ("/p?q"). */
int ws_start(struct ws *w, const char *host, const char *path);
/* Move bytes; 0 ok, -1 when the connection is finished (ws_error says why). */
int ws_on_readable(struct ws *w);
int ws_on_writable(struct ws *w);
int ws_want_read(const struct ws *w);
int ws_want_write(const struct ws *w);
enum ws_state ws_state(const struct ws *w);
int ws_send_text(struct ws *w, const char *data, size_t len);
/* Start the close handshake (code 1000 normal, 1001 going away ...). */
int ws_close(struct ws *w, uint16_t code, const char *reason);
uint16_t ws_close_code_received(const struct ws *w);   /* 0 if none */
const char *ws_error(const struct ws *w);

/* Pure helpers (exported for the tests). */
/* base64(SHA-1(key GUID)) into out (at least 29 bytes). */
void ws_accept_for(const char *key, char *out, size_t size);
/* Length of the header block including the blank line, 0 if incomplete. */
size_t ws_header_end(const char *buf, size_t len);
/* Check a complete upgrade response against key: 0 ok, -1 with reason. */
int ws_check_response(const char *buf, size_t len, const char *key,
                      char *err, size_t errlen);

#endif
