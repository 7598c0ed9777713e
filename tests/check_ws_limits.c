/* check_ws_limits.c — the WebSocket client against a hostile server
 * (issue 17): a flood of pings is answered with a bounded queue and then
 * dropped; 1-byte fragments are counted per message and in bytes; a huge
 * length field is refused before anything is allocated for it. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "ws.h"
#include "ws_mem.h"
#include "check_main.h"

/* A server that reads the upgrade, then (stall set) never reads again. */
static int stall;

static ssize_t
stall_send(void *ud, const void *buf, size_t len)
{
	if (!stall)
		return mem_send(ud, buf, len);
	errno = EAGAIN;
	return -1;
}

static const struct ws_io mio = { mem_recv, stall_send };

static struct ws *
open_ws(struct mem *m, size_t chunk, size_t max)
{
	struct ws *w;

	stall = 0;
	memset(m, 0, sizeof *m);
	m->chunk = chunk;
	w = ws_new(&mio, m, max, mem_msg);
	ck_assert_int_eq(ws_start(w, "example.org:4004", "/socket/websocket"), 0);
	ck_assert_int_eq(ws_on_writable(w), 0);
	mem_accept(m);
	m->out_len = 0;
	ck_assert_int_eq(mem_pump(w, m), 0);
	ck_assert_int_eq(ws_state(w), WS_OPEN);
	return w;
}

/* The code of the close frame the client sent, 0 when none. */
static int
close_sent(struct mem *m)
{
	uint8_t buf[256];
	size_t off = 0, len;
	int masked, op;

	while (off < m->out_len) {
		op = mem_client_frame(m, &off, buf, &len, &masked);
		if (op == 8)
			return len >= 2 ? buf[0] << 8 | buf[1] : 0;
	}
	return 0;
}

/* 20000 pings in a burst: answered (pongs go out) but the peer is dropped
 * with 1008 as a flood long before the last one. */
START_TEST(ping_flood_dropped)
{
	struct mem m;
	struct ws *w = open_ws(&m, 4096, 1 << 20);

	for (int i = 0; i < 20000; i++)
		mem_frame(&m, 1, 9, "p", 1);
	ck_assert_int_eq(mem_pump(w, &m), -1);
	ck_assert_ptr_nonnull(strstr(ws_error(w), "ping flood"));
	ck_assert_int_eq(close_sent(&m), 1008);
	ck_assert_uint_lt(m.in_off, m.in_len);     /* it stopped reading */
	ws_free(w);
	mem_clear(&m);
}
END_TEST

/* The server sends pings and never reads the pongs: reading stops once
 * WS_MAX_QUEUED frames wait, so the queue (our memory) stays bounded and
 * the rest of the flood waits in the socket. */
START_TEST(unread_pongs_stop_reading)
{
	struct mem m;
	struct ws *w = open_ws(&m, 1, 1 << 20);

	stall = 1;
	for (int i = 0; i < WS_MAX_QUEUED + 10; i++)
		mem_frame(&m, 1, 9, "p", 1);
	for (int i = 0; i < 1000 && ws_want_read(w); i++)
		ck_assert_int_eq(ws_on_readable(w), 0);
	ck_assert_int_eq(ws_want_read(w), 0);
	ck_assert_int_eq(ws_want_write(w), 1);
	ck_assert_uint_lt(m.in_off, m.in_len);
	/* the server reads again: the pongs go, reading resumes */
	stall = 0;
	ck_assert_int_eq(ws_on_writable(w), 0);
	ck_assert_int_eq(ws_want_read(w), 1);
	ck_assert_int_eq(mem_pump(w, &m), 0);
	ck_assert_uint_eq(m.in_off, m.in_len);
	ws_free(w);
	mem_clear(&m);
}
END_TEST

/* 5000 one-byte fragments that would fit the byte limit: the fragment
 * cap refuses the message (wslay alone would buffer a node for each). */
START_TEST(fragment_flood_refused)
{
	struct mem m;
	struct ws *w = open_ws(&m, 4096, 1 << 20);

	mem_frame(&m, 0, 1, "x", 1);
	for (int i = 0; i < 5000; i++)
		mem_frame(&m, 0, 0, "x", 1);
	mem_frame(&m, 1, 0, "x", 1);
	ck_assert_int_eq(mem_pump(w, &m), -1);
	ck_assert_int_eq(m.nmsg, 0);
	ck_assert_ptr_nonnull(strstr(ws_error(w), "too many fragments"));
	ck_assert_int_eq(close_sent(&m), 1008);
	ws_free(w);
	mem_clear(&m);
}
END_TEST

/* Under the cap, fragments still make one message, byte for byte. */
START_TEST(many_fragments_one_message)
{
	struct mem m;
	struct ws *w = open_ws(&m, 7, 1 << 20);
	char want[WS_MAX_FRAGMENTS + 1];

	memset(want, 'a', WS_MAX_FRAGMENTS);
	want[WS_MAX_FRAGMENTS] = 0;
	mem_frame(&m, 0, 1, "a", 1);
	for (int i = 2; i < WS_MAX_FRAGMENTS; i++)
		mem_frame(&m, 0, 0, "a", 1);
	mem_frame(&m, 1, 0, "a", 1);
	ck_assert_int_eq(mem_pump(w, &m), 0);
	ck_assert_int_eq(m.nmsg, 1);
	ck_assert_str_eq(m.msg[0], want);
	ws_free(w);
	mem_clear(&m);
}
END_TEST

/* Fragments whose sum passes the limit: 1009 at the fragment that would
 * pass it, however small each one is. */
START_TEST(fragment_bytes_counted)
{
	struct mem m;
	struct ws *w = open_ws(&m, 3, 100);
	char part[30];

	memset(part, 'y', sizeof part);
	mem_frame(&m, 0, 1, part, sizeof part);
	for (int i = 0; i < 4; i++)
		mem_frame(&m, 0, 0, part, sizeof part);
	ck_assert_int_eq(mem_pump(w, &m), -1);
	ck_assert_int_eq(m.nmsg, 0);
	ck_assert_int_eq(close_sent(&m), 1009);
	ck_assert_ptr_nonnull(strstr(ws_error(w), "too big"));
	ws_free(w);
	mem_clear(&m);
}
END_TEST

/* A header claiming 2^62 bytes: refused with 1009 at once. */
START_TEST(huge_length_field)
{
	static const uint8_t f[] = { 0x81, 127, 0x40, 0, 0, 0, 0, 0, 0, 0, 'a' };
	struct mem m;
	struct ws *w = open_ws(&m, 1, 1 << 24);

	mem_add(&m, f, sizeof f);
	ck_assert_int_eq(mem_pump(w, &m), -1);
	ck_assert_int_eq(m.nmsg, 0);
	ck_assert_int_eq(close_sent(&m), 1009);
	ws_free(w);
	mem_clear(&m);
}
END_TEST

CHECK_MAIN("ws_limits", ping_flood_dropped, unread_pongs_stop_reading, fragment_flood_refused,
           many_fragments_one_message, fragment_bytes_counted, huge_length_field)
