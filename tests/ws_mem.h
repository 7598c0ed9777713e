/* ws_mem.h — a memory transport for the WebSocket client in the unit
 * tests: the "server" bytes are handed out `chunk` bytes per read, with a
 * would-block between reads, so every split point of a frame is tried. */
#ifndef WN_WS_MEM_H
#define WN_WS_MEM_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "ws.h"

struct mem {
	uint8_t *in;               /* what the server sends */
	size_t in_len, in_off, chunk;
	int turn;                  /* alternate data / EAGAIN */
	int eof;                   /* end of stream after in */
	uint8_t out[1 << 18];      /* what the client sent */
	size_t out_len;
	/* messages received */
	int nmsg;
	char *msg[16];
	size_t msg_len[16];
};

static inline ssize_t
mem_recv(void *ud, void *buf, size_t len)
{
	struct mem *m = ud;
	size_t n;

	if (m->in_off == m->in_len) {
		if (m->eof)
			return 0;
		errno = EAGAIN;
		return -1;
	}
	if ((m->turn ^= 1) == 0) {
		errno = EAGAIN;
		return -1;
	}
	n = m->in_len - m->in_off;
	if (n > m->chunk)
		n = m->chunk;
	if (n > len)
		n = len;
	memcpy(buf, m->in + m->in_off, n);
	m->in_off += n;
	return (ssize_t)n;
}

static inline ssize_t
mem_send(void *ud, const void *buf, size_t len)
{
	struct mem *m = ud;

	if (len > sizeof m->out - m->out_len)
		len = sizeof m->out - m->out_len;
	memcpy(m->out + m->out_len, buf, len);
	m->out_len += len;
	return (ssize_t)len;
}

static inline void
mem_msg(void *ud, int opcode, const char *data, size_t len)
{
	struct mem *m = ud;

	(void)opcode;
	if (m->nmsg < 16) {
		m->msg[m->nmsg] = malloc(len + 1);
		memcpy(m->msg[m->nmsg], data, len);
		m->msg[m->nmsg][len] = 0;
		m->msg_len[m->nmsg++] = len;
	}
}

static inline void
mem_clear(struct mem *m)
{
	for (int i = 0; i < m->nmsg; i++)
		free(m->msg[i]);
	free(m->in);
	memset(m, 0, sizeof *m);
}

static inline void
mem_add(struct mem *m, const void *p, size_t n)
{
	m->in = realloc(m->in, m->in_len + n);
	memcpy(m->in + m->in_len, p, n);
	m->in_len += n;
}

/* An unmasked server frame. */
static inline void
mem_frame(struct mem *m, int fin, int opcode, const void *p, size_t n)
{
	uint8_t h[10];
	size_t hl = 2;

	h[0] = (uint8_t)((fin ? 0x80 : 0) | opcode);
	if (n < 126)
		h[1] = (uint8_t)n;
	else if (n < 65536) {
		h[1] = 126; h[2] = (uint8_t)(n >> 8); h[3] = (uint8_t)n; hl = 4;
	} else {
		h[1] = 127;
		for (int i = 0; i < 8; i++)
			h[2 + i] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
		hl = 10;
	}
	mem_add(m, h, hl);
	mem_add(m, p, n);
}

/* The 101 answer to the request the client wrote into m->out. */
static inline void
mem_accept(struct mem *m)
{
	char key[64] = "", acc[64], resp[256];
	const char *k = strstr((const char *)m->out, "Sec-WebSocket-Key: ");

	if (k)
		sscanf(k + 19, "%63[^\r]", key);
	ws_accept_for(key, acc, sizeof acc);
	snprintf(resp, sizeof resp, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
	         "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", acc);
	mem_add(m, resp, strlen(resp));
}

/* Read until the input is used up or the connection ends. */
static inline int
mem_pump(struct ws *w, struct mem *m)
{
	int guard = 0;

	while (m->in_off < m->in_len || (m->eof && guard < 4)) {
		if (ws_on_readable(w) < 0)
			return -1;
		if (ws_want_write(w) && ws_on_writable(w) < 0)
			return -1;
		if (++guard > 10000000)
			break;
	}
	return ws_on_readable(w);
}

/* Client frame at *off in out: unmask it; returns opcode, payload in buf. */
static inline int
mem_client_frame(struct mem *m, size_t *off, uint8_t *buf, size_t *len, int *masked)
{
	uint8_t *f = m->out + *off, *mask;
	size_t n = f[1] & 0x7f, hl = 2;

	*masked = (f[1] & 0x80) != 0;
	if (n == 126) {
		n = (size_t)f[2] << 8 | f[3];
		hl = 4;
	} else if (n == 127) {
		n = 0;
		for (int i = 0; i < 8; i++)
			n = n << 8 | f[2 + i];
		hl = 10;
	}
	mask = f + hl;
	for (size_t i = 0; i < n; i++)
		buf[i] = f[hl + 4 + i] ^ mask[i % 4];
	*len = n;
	*off += hl + 4 + n;
	return f[0] & 0x0f;
}

#endif
