/* check_ws.c — the WebSocket client over a memory transport: the upgrade
 * and frames fed one byte at a time and in odd chunks; fragments with a
 * ping between them; the close handshake; the message size limit. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "ws.h"
#include "ws_mem.h"
#include "check_main.h"

static const struct ws_io mio = { mem_recv, mem_send };

/* A client past the upgrade, reading `chunk` bytes at a time. */
static struct ws *
open_ws(struct mem *m, size_t chunk, size_t max)
{
	struct ws *w;

	memset(m, 0, sizeof *m);
	m->chunk = chunk;
	w = ws_new(&mio, m, max, mem_msg);
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(ws_start(w, "example.org:4004", "/socket/websocket?vsn=2.0.0"), 0);
	ck_assert_int_eq(ws_want_write(w), 1);
	ck_assert_int_eq(ws_on_writable(w), 0);
	ck_assert_int_eq(ws_want_write(w), 0);
	mem_accept(m);
	m->out_len = 0;
	return w;
}

START_TEST(accept_rfc_example)
{
	char acc[64];

	ws_accept_for("dGhlIHNhbXBsZSBub25jZQ==", acc, sizeof acc);
	ck_assert_str_eq(acc, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}
END_TEST

START_TEST(upgrade_request_headers)
{
	struct mem m = { .chunk = 1 };
	struct ws *w = ws_new(&mio, &m, 1000, mem_msg);
	const char *req = (const char *)m.out;

	ws_start(w, "h:1", "/socket/websocket?vsn=2.0.0");
	ws_on_writable(w);
	ck_assert_ptr_nonnull(strstr(req, "GET /socket/websocket?vsn=2.0.0 HTTP/1.1\r\n"));
	ck_assert_ptr_nonnull(strstr(req, "\r\nHost: h:1\r\n"));
	ck_assert_ptr_nonnull(strstr(req, "\r\nUpgrade: websocket\r\n"));
	ck_assert_ptr_nonnull(strstr(req, "\r\nSec-WebSocket-Version: 13\r\n"));
	ck_assert_ptr_nonnull(strstr(req, "\r\nSec-WebSocket-Key: "));
	ck_assert_ptr_null(strstr(req, "Extensions"));
	ws_free(w);
	mem_clear(&m);
}
END_TEST

/* The upgrade and a text frame arrive in the same bytes, split everywhere. */
START_TEST(text_frame_every_chunking)
{
	static const char text[] = "[\"1\",null,\"killmails:lobby\",\"killmail_update\",{}]";

	for (size_t chunk = 1; chunk <= 64; chunk++) {
		struct mem m;
		struct ws *w = open_ws(&m, chunk, 1000);

		mem_frame(&m, 1, 1, text, strlen(text));
		ck_assert_int_eq(mem_pump(w, &m), 0);
		ck_assert_int_eq(ws_state(w), WS_OPEN);
		ck_assert_int_eq(m.nmsg, 1);
		ck_assert_str_eq(m.msg[0], text);
		ws_free(w);
		mem_clear(&m);
	}
}
END_TEST

START_TEST(bad_upgrades_refused)
{
	static const char *const resp[] = {
		"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n",
		"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		"Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n",
		"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n\r\n",
		"HTTP/1.0 200 OK\r\n\r\n",
	};
	static const char *const why[] = { "HTTP 403", "wrong Sec-WebSocket-Accept",
	                                   "missing Upgrade", "not an HTTP/1.1" };

	for (size_t i = 0; i < 4; i++) {
		struct mem m = { .chunk = 1 };
		struct ws *w = ws_new(&mio, &m, 1000, mem_msg);

		ws_start(w, "h", "/");
		ws_on_writable(w);
		mem_add(&m, resp[i], strlen(resp[i]));
		ck_assert_int_eq(mem_pump(w, &m), -1);
		ck_assert_int_eq(ws_state(w), WS_CLOSED);
		ck_assert_msg(strstr(ws_error(w), why[i]), "%s: %s", why[i], ws_error(w));
		ws_free(w);
		mem_clear(&m);
	}
}
END_TEST

START_TEST(case_insensitive_headers)
{
	char err[128], acc[64], resp[300];

	ws_accept_for("abc", acc, sizeof acc);
	snprintf(resp, sizeof resp, "HTTP/1.1 101 OK\r\nupgrade: WebSocket\r\n"
	         "connection: keep-alive, Upgrade\r\nsec-websocket-accept: %s\r\n\r\n", acc);
	ck_assert_int_eq(ws_check_response(resp, strlen(resp), "abc", err, sizeof err), 0);
	ck_assert_uint_eq(ws_header_end(resp, strlen(resp)), strlen(resp));
	ck_assert_uint_eq(ws_header_end(resp, strlen(resp) - 1), 0);
}
END_TEST

/* Three fragments with a ping between them: one message, one pong. */
START_TEST(fragments_and_ping)
{
	for (size_t chunk = 1; chunk <= 7; chunk++) {
		struct mem m;
		struct ws *w = open_ws(&m, chunk, 1000);
		uint8_t buf[256];
		size_t off = 0, len;
		int masked;

		mem_frame(&m, 0, 1, "[\"1\",nu", 7);
		mem_frame(&m, 1, 9, "hb", 2);
		mem_frame(&m, 0, 0, "ll,\"t\",\"e\"", 10);
		mem_frame(&m, 1, 0, ",{}]", 4);
		ck_assert_int_eq(mem_pump(w, &m), 0);
		ck_assert_int_eq(m.nmsg, 1);
		ck_assert_str_eq(m.msg[0], "[\"1\",null,\"t\",\"e\",{}]");
		ck_assert_int_eq(mem_client_frame(&m, &off, buf, &len, &masked), 10);
		ck_assert_int_eq(masked, 1);
		ck_assert_uint_eq(len, 2);
		ck_assert_int_eq(memcmp(buf, "hb", 2), 0);
		ws_free(w);
		mem_clear(&m);
	}
}
END_TEST

/* A 64-bit length frame (70 000 bytes) in odd chunks. */
START_TEST(long_frame)
{
	static char big[70001];
	struct mem m;
	struct ws *w = open_ws(&m, 997, 100000);

	memset(big, 'a', 70000);
	mem_frame(&m, 1, 1, big, 70000);
	ck_assert_int_eq(mem_pump(w, &m), 0);
	ck_assert_int_eq(m.nmsg, 1);
	ck_assert_uint_eq(m.msg_len[0], 70000);
	ws_free(w);
	mem_clear(&m);
}
END_TEST

START_TEST(too_big_closes_1009)
{
	char big[300];
	struct mem m;
	struct ws *w = open_ws(&m, 1, 100);
	uint8_t buf[64];
	size_t off = 0, len;
	int masked;

	memset(big, 'x', sizeof big);
	mem_frame(&m, 1, 1, big, sizeof big);
	ck_assert_int_eq(mem_pump(w, &m), -1);
	ck_assert_int_eq(m.nmsg, 0);
	ck_assert_int_eq(mem_client_frame(&m, &off, buf, &len, &masked), 8);
	ck_assert_int_eq(buf[0] << 8 | buf[1], 1009);
	ck_assert_ptr_nonnull(strstr(ws_error(w), "too big"));
	ws_free(w);
	mem_clear(&m);
}
END_TEST

/* The server closes with 1001: the client answers with the same code. */
START_TEST(close_handshake_from_server)
{
	static const uint8_t body[] = { 0x03, 0xe9, 'b', 'y', 'e' };
	struct mem m;
	struct ws *w = open_ws(&m, 1, 1000);
	uint8_t buf[64];
	size_t off = 0, len;
	int masked;

	mem_frame(&m, 1, 8, body, sizeof body);
	ck_assert_int_eq(mem_pump(w, &m), -1);
	ck_assert_int_eq(ws_close_code_received(w), 1001);
	ck_assert_int_eq(ws_state(w), WS_CLOSED);
	ck_assert_int_eq(mem_client_frame(&m, &off, buf, &len, &masked), 8);
	ck_assert_int_eq(masked, 1);
	ck_assert_int_eq(buf[0] << 8 | buf[1], 1001);
	ws_free(w);
	mem_clear(&m);
}
END_TEST

/* Phoenix closes with 1012 (service restart), a code wslay 1.1 does not
 * know: the connection still ends and the code is still reported. */
START_TEST(close_1012_reported)
{
	static const uint8_t body[] = { 0x03, 0xf4 };
	struct mem m;
	struct ws *w = open_ws(&m, 1, 1000);

	mem_frame(&m, 1, 8, body, sizeof body);
	ck_assert_int_eq(mem_pump(w, &m), -1);
	ck_assert_int_eq(ws_close_code_received(w), 1012);
	ck_assert_int_eq(ws_state(w), WS_CLOSED);
	ck_assert_str_eq(ws_error(w), "closed by the server (code 1012)");
	ws_free(w);
	mem_clear(&m);
}
END_TEST

/* Our close: sent masked with the code, finished by the server's reply. */
START_TEST(close_handshake_from_client)
{
	static const uint8_t reply[] = { 0x03, 0xe8 };
	struct mem m;
	struct ws *w = open_ws(&m, 3, 1000);
	uint8_t buf[64];
	size_t off = 0, len;
	int masked;

	ck_assert_int_eq(mem_pump(w, &m), 0);
	ck_assert_int_eq(ws_close(w, 1000, "bye"), 0);
	ck_assert_int_eq(ws_on_writable(w), 0);
	ck_assert_int_eq(ws_state(w), WS_CLOSING);
	ck_assert_int_eq(ws_send_text(w, "x", 1), -1);
	ck_assert_int_eq(mem_client_frame(&m, &off, buf, &len, &masked), 8);
	ck_assert_uint_eq(len, 5);
	ck_assert_int_eq(memcmp(buf + 2, "bye", 3), 0);
	mem_frame(&m, 1, 8, reply, 2);
	ck_assert_int_eq(mem_pump(w, &m), -1);
	ck_assert_int_eq(ws_state(w), WS_CLOSED);
	ws_free(w);
	mem_clear(&m);
}
END_TEST

START_TEST(text_sent_masked)
{
	static const char text[] = "[null,\"1\",\"phoenix\",\"heartbeat\",{}]";
	struct mem m;
	struct ws *w = open_ws(&m, 1, 1000);
	uint8_t buf[256];
	size_t off = 0, len;
	int masked;

	ck_assert_int_eq(mem_pump(w, &m), 0);
	ck_assert_int_eq(ws_send_text(w, text, strlen(text)), 0);
	ck_assert_int_eq(ws_want_write(w), 1);
	ck_assert_int_eq(ws_on_writable(w), 0);
	ck_assert_int_eq(m.out[0], 0x81);
	ck_assert_int_eq(mem_client_frame(&m, &off, buf, &len, &masked), 1);
	ck_assert_int_eq(masked, 1);
	ck_assert_uint_eq(len, strlen(text));
	ck_assert_int_eq(memcmp(buf, text, len), 0);
	ws_free(w);
	mem_clear(&m);
}
END_TEST

/* End of stream in the middle of a frame: an error, no message. */
START_TEST(eof_mid_frame)
{
	struct mem m;
	struct ws *w = open_ws(&m, 1, 1000);

	mem_frame(&m, 1, 1, "[\"1\",null,\"t\",\"e\",{}]", 21);
	m.in_len -= 5;
	m.eof = 1;
	ck_assert_int_eq(mem_pump(w, &m), -1);
	ck_assert_int_eq(m.nmsg, 0);
	ck_assert_ptr_nonnull(strstr(ws_error(w), "connection lost"));
	ws_free(w);
	mem_clear(&m);
}
END_TEST

/* A masked frame from a server is a protocol error (RFC 6455 5.1). */
START_TEST(masked_server_frame_refused)
{
	static const uint8_t f[] = { 0x81, 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2 };
	struct mem m;
	struct ws *w = open_ws(&m, 1, 1000);

	mem_add(&m, f, sizeof f);
	ck_assert_int_eq(mem_pump(w, &m), -1);
	ck_assert_int_eq(m.nmsg, 0);
	ws_free(w);
	mem_clear(&m);
}
END_TEST

CHECK_MAIN("ws", accept_rfc_example, upgrade_request_headers, text_frame_every_chunking,
           bad_upgrades_refused, case_insensitive_headers, fragments_and_ping, long_frame,
           too_big_closes_1009, close_handshake_from_server, close_1012_reported, close_handshake_from_client,
           text_sent_masked, eof_mid_frame, masked_server_frame_refused)
