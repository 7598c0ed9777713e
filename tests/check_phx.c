/* check_phx.c — Phoenix v2 messages and the killmails:lobby client logic;
 * the captured frames; whole frames fed byte by byte through the
 * WebSocket client into the Phoenix code; the socket URL. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idset.h"
#include "json.h"
#include "phx.h"
#include "state.h"
#include "ws.h"
#include "ws_mem.h"
#include "check_main.h"

static char *
fixture(const char *name, size_t *len)
{
	return check_fixture("kills", name, len);
}

START_TEST(encode_decode_round_trip)
{
	cJSON *pl = cJSON_Parse("{\"systems\":[31001503]}");
	char *s = phx_encode("7", "8", PHX_TOPIC, "phx_join", pl), err[128];
	struct phx_msg m;

	ck_assert_str_eq(s, "[\"7\",\"8\",\"killmails:lobby\",\"phx_join\",{\"systems\":[31001503]}]");
	ck_assert_int_eq(phx_decode(s, strlen(s), &m, err, sizeof err), 0);
	ck_assert_str_eq(m.join_ref, "7");
	ck_assert_str_eq(m.ref, "8");
	ck_assert_str_eq(m.topic, PHX_TOPIC);
	ck_assert_str_eq(m.event, "phx_join");
	ck_assert_int_eq(json_id(m.payload, "systems"), 0);
	phx_msg_free(&m);
	free(s);
	s = phx_encode(NULL, "2", "phoenix", "heartbeat", NULL);
	ck_assert_str_eq(s, "[null,\"2\",\"phoenix\",\"heartbeat\",{}]");
	free(s);
	cJSON_Delete(pl);
}
END_TEST

START_TEST(decode_variants)
{
	static const char *const good[] = {
		"[1,2,\"t\",\"e\",{}]",                 /* numeric refs: README uses 1 */
		"[null,null,\"t\",\"e\",{},\"extra\"]", /* trailing elements ignored */
		"[\"1\",null,\"t\",\"e\",[1,2]]",       /* a non-object payload is wrapped */
		/* issue 14 #6: wrapped in the middle of 6 (leaked 143 B a frame) */
		"[null,null,\"t\",\"e\",\"p\",0]",
		"[null,null,\"t\",\"e\",7,0,[1],{\"a\":2}]",
	};
	static const char *const bad[] = {
		"{\"topic\":\"t\",\"event\":\"e\",\"payload\":{},\"ref\":null}",  /* v1 */
		"[\"1\",\"2\",\"t\",\"e\"]", "[\"1\",\"2\",3,\"e\",{}]", "[{},\"2\",\"t\",\"e\",{}]",
		"not json", "[\"1\",\"2\",\"t\",\"\xff\",{}]", "",
	};
	struct phx_msg m;
	char err[128];

	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		ck_assert_msg(phx_decode(good[i], strlen(good[i]), &m, err, sizeof err) == 0, "%s", good[i]);
		ck_assert_ptr_nonnull(m.payload);
		ck_assert(cJSON_IsObject(m.payload));
		phx_msg_free(&m);
	}
	ck_assert_int_eq(phx_decode(good[0], strlen(good[0]), &m, err, sizeof err), 0);
	ck_assert_str_eq(m.join_ref, "1");
	phx_msg_free(&m);
	ck_assert_int_eq(phx_decode(good[3], strlen(good[3]), &m, err, sizeof err), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(m.payload, "value")->valuestring, "p");
	ck_assert_int_eq(cJSON_GetArraySize(m.root), 5);
	ck_assert_ptr_eq(cJSON_GetArrayItem(m.root, 4), m.payload);
	phx_msg_free(&m);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		err[0] = 0;
		ck_assert_msg(phx_decode(bad[i], strlen(bad[i]), &m, err, sizeof err) < 0, "%s", bad[i]);
		ck_assert_msg(err[0], "a reason for %s", bad[i]);
		ck_assert_ptr_null(m.root);
	}
}
END_TEST

static enum phx_event
feed(struct phx *p, const char *s, char *err)
{
	struct phx_msg m;
	enum phx_event ev = phx_handle(p, s, strlen(s), &m, err, 256);

	phx_msg_free(&m);
	return ev;
}

START_TEST(join_payload_and_replies)
{
	struct idset sys, chr;
	struct phx p;
	char *j, err[256];
	cJSON *a;

	idset_init(&sys); idset_init(&chr);
	idset_parse(&sys, "31001503,30000142,60000000");   /* the last one is refused */
	idset_parse(&chr, "2112000001,3008416");            /* an NPC id below 90M too */
	phx_init(&p, 30000, 30000);
	phx_reset(&p, 0);
	j = phx_join(&p, &sys, &chr, 7);
	a = cJSON_Parse(j);
	ck_assert_str_eq(cJSON_GetArrayItem(a, 0)->valuestring, cJSON_GetArrayItem(a, 1)->valuestring);
	ck_assert_str_eq(cJSON_GetArrayItem(a, 3)->valuestring, "phx_join");
	{
		char *pl = cJSON_PrintUnformatted(cJSON_GetArrayItem(a, 4));
		ck_assert_str_eq(pl, "{\"systems\":[30000142,31001503],\"character_ids\":[2112000001],"
		                 "\"preload\":{\"enabled\":true,\"limit_per_system\":100,\"since_hours\":7}}");
		free(pl);
	}
	cJSON_Delete(a);
	free(j);
	ck_assert_int_eq(p.state, PHX_JOINING);
	/* a reply to another ref does not count */
	ck_assert_int_eq(feed(&p, "[\"9\",\"9\",\"killmails:lobby\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]", err), PHX_EV_IGNORED);
	ck_assert_int_eq(feed(&p, "[\"1\",\"1\",\"killmails:lobby\",\"phx_reply\",{\"status\":\"error\","
	                          "\"response\":{\"reason\":\"[validation:invalid_system_ids] Invalid system IDs\"}}]", err),
	                 PHX_EV_JOIN_ERROR);
	ck_assert_ptr_nonnull(strstr(err, "invalid_system_ids"));
	ck_assert_int_eq(p.state, PHX_IDLE);
	free(phx_join(&p, &sys, &chr, 0));
	ck_assert_int_eq(feed(&p, "[\"2\",\"2\",\"killmails:lobby\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]", err), PHX_EV_JOINED);
	ck_assert_int_eq(p.state, PHX_JOINED);
	/* re-join: the old channel's close comes after the new reply, ignored */
	free(phx_join(&p, &sys, &chr, 0));
	ck_assert_int_eq(feed(&p, "[\"3\",\"3\",\"killmails:lobby\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]", err), PHX_EV_JOINED);
	ck_assert_int_eq(feed(&p, "[\"2\",\"2\",\"killmails:lobby\",\"phx_close\",{}]", err), PHX_EV_IGNORED);
	ck_assert_int_eq(p.state, PHX_JOINED);
	/* our own channel crashing means join again */
	ck_assert_int_eq(feed(&p, "[\"3\",\"3\",\"killmails:lobby\",\"phx_error\",{}]", err), PHX_EV_CHANNEL_DOWN);
	ck_assert_int_eq(p.state, PHX_IDLE);
	idset_free(&sys); idset_free(&chr);
}
END_TEST

START_TEST(empty_join_disables_preload)
{
	struct phx p;
	char *j;

	phx_init(&p, 1000, 1000);
	j = phx_join(&p, NULL, NULL, 0);
	ck_assert_str_eq(j, "[\"1\",\"1\",\"killmails:lobby\",\"phx_join\",{\"systems\":[],"
	                 "\"character_ids\":[],\"preload\":{\"enabled\":false}}]");
	free(j);
}
END_TEST

START_TEST(heartbeat_deadline)
{
	struct phx p;
	char *hb, err[256];
	int dead;

	phx_init(&p, 30000, 30000);
	phx_reset(&p, 1000);
	ck_assert_ptr_null(phx_tick(&p, 30999, &dead));
	ck_assert_int_eq(phx_next_ms(&p, 30999), 1);
	hb = phx_tick(&p, 31000, &dead);
	ck_assert_int_eq(dead, 0);
	ck_assert_str_eq(hb, "[null,\"1\",\"phoenix\",\"heartbeat\",{}]");
	free(hb);
	/* no second heartbeat while one is outstanding */
	ck_assert_ptr_null(phx_tick(&p, 50000, &dead));
	ck_assert_int_eq(dead, 0);
	ck_assert_int_eq(feed(&p, "[null,\"1\",\"phoenix\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]", err), PHX_EV_HEARTBEAT_OK);
	ck_assert_int_eq(phx_next_ms(&p, 31000), 30000);
	free(phx_tick(&p, 61000, &dead));
	ck_assert_ptr_null(phx_tick(&p, 90999, &dead));
	ck_assert_int_eq(dead, 0);
	ck_assert_ptr_null(phx_tick(&p, 91000, &dead));
	ck_assert_int_eq(dead, 1);
	/* forgotten (not reading): the next tick sends a new one */
	{
		struct phx q = p;
		phx_forget_heartbeat(&q);
		hb = phx_tick(&q, 91000, &dead);
		ck_assert_int_eq(dead, 0);
		ck_assert_str_eq(hb, "[null,\"3\",\"phoenix\",\"heartbeat\",{}]");
		free(hb);
	}
	/* a stale reply to an older heartbeat does not revive it */
	ck_assert_int_eq(feed(&p, "[null,\"1\",\"phoenix\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]", err), PHX_EV_IGNORED);
}
END_TEST

START_TEST(kills_events)
{
	static const char *const frames[] = {
		"[\"1\",null,\"killmails:lobby\",\"killmail_update\",{\"system_id\":1,\"killmails\":[{\"killmail_id\":5},{\"killmail_id\":6}],\"preload\":true}]",
		"[\"1\",null,\"killmails:lobby\",\"preload_batch\",{\"kills\":[{\"killmail_id\":5},{\"killmail_id\":6}]}]",
	};
	struct phx p;
	struct phx_msg m;
	char err[256];
	cJSON *k;

	phx_init(&p, 1000, 1000);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(phx_handle(&p, frames[i], strlen(frames[i]), &m, err, sizeof err), PHX_EV_KILLS);
		k = phx_take_kills(&m);
		ck_assert_int_eq(cJSON_GetArraySize(k), 2);
		ck_assert_int_eq(json_id(cJSON_GetArrayItem(k, 1), "killmail_id"), 6);
		cJSON_Delete(k);
		phx_msg_free(&m);
	}
	const char *nk = "[\"1\",null,\"killmails:lobby\",\"new_kill\",{\"killmail_id\":9}]";
	ck_assert_int_eq(phx_handle(&p, nk, strlen(nk), &m, err, sizeof err), PHX_EV_KILLS);
	k = phx_take_kills(&m);
	ck_assert_int_eq(json_id(cJSON_GetArrayItem(k, 0), "killmail_id"), 9);
	cJSON_Delete(k);
	phx_msg_free(&m);
	ck_assert_int_eq(feed(&p, "[\"1\",null,\"killmails:lobby\",\"kill_count_update\",{\"count\":3}]", err), PHX_EV_IGNORED);
	ck_assert_int_eq(feed(&p, "[\"1\",null,\"other\",\"killmail_update\",{}]", err), PHX_EV_IGNORED);
}
END_TEST

/* Every captured server frame decodes; the session in it plays out. */
START_TEST(captured_frames)
{
	size_t len;
	char *buf = fixture("captured/synth_frames_v2_server_to_client.ndjson", &len), *line, *save;
	enum phx_event want[] = { PHX_EV_JOINED, PHX_EV_HEARTBEAT_OK, PHX_EV_KILLS, PHX_EV_IGNORED,
	                          PHX_EV_IGNORED, PHX_EV_IGNORED, PHX_EV_CHANNEL_DOWN, PHX_EV_IGNORED };
	struct phx p;
	char err[256], *j, *hb;
	int i = 0, dead;

	phx_init(&p, 1, 1000);
	phx_reset(&p, 0);
	j = phx_join(&p, NULL, NULL, 0);           /* join_ref "1" */
	hb = phx_tick(&p, 5, &dead);               /* ref "2" */
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++)
		ck_assert_msg(feed(&p, line, err) == want[i], "frame %d: %s", i, err);
	ck_assert_int_eq(i, 8);
	free(buf);
	free(j);
	free(hb);
	buf = fixture("captured/synth_frames_v2_client_to_server.ndjson", &len);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct phx_msg m;
		ck_assert_int_eq(phx_decode(line, strlen(line), &m, err, sizeof err), 0);
		phx_msg_free(&m);
	}
	free(buf);
}
END_TEST

static const struct ws_io mio = { mem_recv, mem_send };

/* ws_frame_v2.json split into three WebSocket fragments, fed through the
 * WebSocket client in every chunk size from 1 to 13 bytes. */
START_TEST(frames_through_ws_every_chunking)
{
	size_t len;
	char *frame = fixture("ws_frame_v2.json", &len), err[256];

	while (len && (frame[len - 1] == '\n'))
		len--;
	for (size_t chunk = 1; chunk <= 13; chunk++) {
		struct mem m = { .chunk = chunk };
		struct ws *w = ws_new(&mio, &m, 1 << 20, mem_msg);
		struct phx p;
		struct phx_msg pm;
		cJSON *k;

		ws_start(w, "h", "/socket/websocket?vsn=2.0.0");
		ws_on_writable(w);
		mem_accept(&m);
		mem_frame(&m, 0, 1, frame, 100);
		mem_frame(&m, 0, 0, frame + 100, 1000);
		mem_frame(&m, 1, 0, frame + 1100, len - 1100);
		ck_assert_int_eq(mem_pump(w, &m), 0);
		ck_assert_int_eq(m.nmsg, 1);
		phx_init(&p, 1000, 1000);
		ck_assert_int_eq(phx_handle(&p, m.msg[0], m.msg_len[0], &pm, err, sizeof err), PHX_EV_KILLS);
		k = phx_take_kills(&pm);
		ck_assert_int_eq(cJSON_GetArraySize(k), 1);
		ck_assert_int_eq(json_id(cJSON_GetArrayItem(k, 0), "killmail_id"), 120000000);
		cJSON_Delete(k);
		phx_msg_free(&pm);
		ws_free(w);
		mem_clear(&m);
	}
	free(frame);
}
END_TEST

START_TEST(socket_urls)
{
	static const char *const cases[][5] = {
		{ "ws://localhost:4004", "0", "localhost", "4004", "/socket/websocket?vsn=2.0.0" },
		{ "http://h", "0", "h", "80", "/socket/websocket?vsn=2.0.0" },
		{ "https://kills.example.org/", "1", "kills.example.org", "443", "/socket/websocket?vsn=2.0.0" },
		{ "wss://h/socket", "1", "h", "443", "/socket/websocket?vsn=2.0.0" },
		{ "ws://h:1/base/socket/websocket?client_id=wn", "0", "h", "1", "/base/socket/websocket?client_id=wn&vsn=2.0.0" },
		{ "ws://[::1]:4004", "0", "::1", "4004", "/socket/websocket?vsn=2.0.0" },
	};
	static const char *const bad[] = { "ftp://h", "ws://", "ws://h:x/", "ws://[::1" };
	struct phx_url u;
	char err[256];

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ck_assert_msg(phx_url_parse(cases[i][0], &u, err, sizeof err) == 0, "%s: %s", cases[i][0], err);
		ck_assert_int_eq(u.tls, cases[i][1][0] - '0');
		ck_assert_str_eq(u.host, cases[i][2]);
		ck_assert_str_eq(u.port, cases[i][3]);
		ck_assert_str_eq(u.path, cases[i][4]);
	}
	ck_assert_str_eq((phx_url_parse("ws://[::1]:9", &u, err, sizeof err), u.hostport), "[::1]:9");
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(phx_url_parse(bad[i], &u, err, sizeof err) < 0, "%s", bad[i]);
}
END_TEST

CHECK_MAIN("phx", encode_decode_round_trip, decode_variants, join_payload_and_replies,
           empty_join_disables_preload, heartbeat_deadline, kills_events, captured_frames,
           frames_through_ws_every_chunking, socket_urls)
