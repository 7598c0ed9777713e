/* check_sse.c — the SSE parser over the map fixtures and hand-made
 * streams, fed whole, one byte at a time and in random chunks, with LF,
 * CRLF and CR line ends. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sse.h"
#include "state.h"
#include "check_main.h"

#define MAXEV 64

struct got {
	int n;
	char type[MAXEV][64], id[MAXEV][64];
	char *data[MAXEV];
	size_t len[MAXEV];
};

static int
collect(void *ud, const struct sse_event *ev)
{
	struct got *g = ud;

	ck_assert_int_lt(g->n, MAXEV);
	snprintf(g->type[g->n], 64, "%s", ev->type);
	snprintf(g->id[g->n], 64, "%s", ev->id);
	g->data[g->n] = malloc(ev->data_len + 1);
	memcpy(g->data[g->n], ev->data, ev->data_len + 1);
	g->len[g->n] = ev->data_len;
	ck_assert_uint_eq(strlen(ev->data), ev->data_len);
	g->n++;
	return 0;
}

static void
got_free(struct got *g)
{
	for (int i = 0; i < g->n; i++)
		free(g->data[i]);
	memset(g, 0, sizeof *g);
}

/* chunk: 0 = whole, 1 = one byte at a time, -1 = random sizes */
static struct sse_parser *
parse(const char *s, size_t len, int chunk, size_t max, struct got *g)
{
	struct sse_parser *p = sse_new(max);
	size_t off = 0;

	memset(g, 0, sizeof *g);
	while (off < len) {
		size_t k = chunk == 0 ? len - off : chunk == 1 ? 1 : 1 + (size_t)(rand() % 97);
		if (k > len - off)
			k = len - off;
		ck_assert_int_eq(sse_feed(p, s + off, k, collect, g), 0);
		off += k;
	}
	return p;
}

static char *
fixture(const char *name, size_t *len)
{
	return check_fixture("map", name, len);
}

/* LF → CRLF (crlf=1) or CR (crlf=2) */
static char *
convert(const char *s, size_t len, int crlf, size_t *out)
{
	char *b = malloc(len * 2 + 1), *o = b;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			*o++ = '\r';
			if (crlf == 1)
				*o++ = '\n';
		} else {
			*o++ = s[i];
		}
	}
	*out = (size_t)(o - b);
	return b;
}

static void
check_all_events(const struct got *g)
{
	ck_assert_int_eq(g->n, 21);
	ck_assert_str_eq(g->type[0], "connected");
	ck_assert_str_eq(g->id[0], "01KKYKV7V5W0DBQ95B0DCEMN3N");
	ck_assert_ptr_nonnull(strstr(g->data[0], "\"server_time\""));
	ck_assert_str_eq(g->type[1], "add_system");
	ck_assert_str_eq(g->id[1], "01KKYKVB5XTQVYVKERM8X37FGK");
	ck_assert_str_eq(g->type[20], "acl_member_removed");
	ck_assert_str_eq(g->id[20], "01KKYM4CJYPAKRDBDPTQTVVQMH");
	for (int i = 1; i < g->n; i++) {
		char want[128];
		snprintf(want, sizeof want, "\"type\":\"%s\"}", g->type[i]);
		ck_assert_msg(strstr(g->data[i], want), "event %d data lacks its type", i);
		ck_assert_int_eq(g->data[i][0], '{');
		ck_assert_int_eq(g->data[i][g->len[i] - 1], '}');
	}
}

START_TEST(fixture_every_chunking_and_line_end)
{
	size_t len, clen;
	char *s = fixture("sse_derived_all_events.txt", &len);

	srand(42);
	for (int le = 0; le < 3; le++) {
		char *c = le ? convert(s, len, le, &clen) : s;
		if (!le)
			clen = len;
		for (int chunk = -1; chunk <= 1; chunk++) {
			for (int round = 0; round < (chunk == -1 ? 20 : 1); round++) {
				struct got g;
				struct sse_parser *p = parse(c, clen, chunk, 0, &g);
				check_all_events(&g);
				ck_assert_uint_ge(sse_stats(p)->comments, 5);
				ck_assert_uint_eq(sse_stats(p)->events, 21);
				ck_assert_uint_eq(sse_stats(p)->oversize, 0);
				got_free(&g);
				sse_free(p);
			}
		}
		if (le)
			free(c);
	}
	free(s);
}
END_TEST

START_TEST(notifier_field_order)
{
	size_t len;
	char *s = fixture("sse_notifier_parser_test.txt", &len);
	struct got g;
	struct sse_parser *p = parse(s, len, 1, 0, &g);

	ck_assert_int_eq(g.n, 2);
	ck_assert_str_eq(g.type[0], "add_system");
	ck_assert_str_eq(g.id[0], "event-123");
	ck_assert_str_eq(g.data[0], "{\"id\": \"123\", \"name\": \"System 1\"}");
	ck_assert_str_eq(g.type[1], "deleted_system");
	ck_assert_str_eq(g.id[1], "event-456");
	got_free(&g);
	sse_free(p);
	free(s);
}
END_TEST

START_TEST(multiline_data_no_space_and_unknown_fields)
{
	static const char s[] =
		"retry: 1000\n"
		"event:x\n"
		"data:one\n"
		"data: two\n"
		"data\n"
		"foo: bar\n"
		"id:ID1\n"
		"\n";
	for (int chunk = 0; chunk <= 1; chunk++) {
		struct got g;
		struct sse_parser *p = parse(s, sizeof s - 1, chunk, 0, &g);
		ck_assert_int_eq(g.n, 1);
		ck_assert_str_eq(g.type[0], "x");
		ck_assert_str_eq(g.id[0], "ID1");
		ck_assert_str_eq(g.data[0], "one\ntwo\n");
		got_free(&g);
		sse_free(p);
	}
}
END_TEST

START_TEST(no_data_not_dispatched_and_comments_counted)
{
	static const char s[] =
		": keepalive\n\n"
		"event: lonely\nid: 01AAAAAAAAAAAAAAAAAAAAAAAA\n\n"
		":\n\n"
		"data: {}\n\n";
	struct got g;
	struct sse_parser *p = parse(s, sizeof s - 1, 1, 0, &g);

	ck_assert_int_eq(g.n, 1);
	ck_assert_str_eq(g.type[0], "");   /* the lonely type did not leak */
	ck_assert_str_eq(g.id[0], "");
	ck_assert_str_eq(g.data[0], "{}");
	ck_assert_uint_eq(sse_stats(p)->comments, 2);
	got_free(&g);
	sse_free(p);
}
END_TEST

START_TEST(bom_split_and_false_bom)
{
	static const char s[] = "\xEF\xBB\xBF" "data: a\n\n";
	static const char t[] = "\xEF" "data: b\n\n";   /* not a BOM: kept as text */
	struct got g;
	struct sse_parser *p = parse(s, sizeof s - 1, 1, 0, &g);

	ck_assert_int_eq(g.n, 1);
	ck_assert_str_eq(g.data[0], "a");
	got_free(&g);
	sse_free(p);
	p = parse(t, sizeof t - 1, 1, 0, &g);
	ck_assert_int_eq(g.n, 0);   /* "\xEFdata" is an unknown field */
	got_free(&g);
	sse_free(p);
}
END_TEST

START_TEST(cr_at_chunk_end_counts_once)
{
	struct sse_parser *p = sse_new(0);
	struct got g;

	memset(&g, 0, sizeof g);
	/* were the LF after a chunk-final CR a line of its own, it would be
	 * a blank line dispatching "x" alone */
	ck_assert_int_eq(sse_feed(p, "data: x\r", 8, collect, &g), 0);
	ck_assert_int_eq(sse_feed(p, "\ndata: y\r", 10, collect, &g), 0);
	ck_assert_int_eq(sse_feed(p, "\n", 1, collect, &g), 0);
	ck_assert_int_eq(g.n, 0);
	ck_assert_int_eq(sse_feed(p, "\r\n", 2, collect, &g), 0);
	ck_assert_int_eq(g.n, 1);
	ck_assert_str_eq(g.data[0], "x\ny");
	got_free(&g);
	sse_free(p);
}
END_TEST

START_TEST(oversize_event_dropped_then_resync)
{
	char big[4096];
	struct got g;
	struct sse_parser *p;
	size_t n = 0;

	n += (size_t)sprintf(big + n, "event: small\ndata: 1\n\n");
	n += (size_t)sprintf(big + n, "event: huge\ndata: ");
	memset(big + n, 'x', 1500);
	n += 1500;
	n += (size_t)sprintf(big + n, "\ndata: more\nid: 01HUGE\n\n");
	n += (size_t)sprintf(big + n, "event: after\ndata: 2\n\n");
	for (int chunk = 0; chunk <= 1; chunk++) {
		p = parse(big, n, chunk, 1024, &g);
		ck_assert_int_eq(g.n, 2);
		ck_assert_str_eq(g.type[0], "small");
		ck_assert_str_eq(g.type[1], "after");
		ck_assert_str_eq(g.id[1], "");
		ck_assert_str_eq(g.data[1], "2");
		ck_assert_uint_eq(sse_stats(p)->oversize, 1);
		got_free(&g);
		sse_free(p);
	}
}
END_TEST

START_TEST(bound_counts_all_fields)
{
	/* many small data lines add up past the bound */
	char s[8192];
	size_t n = 0;
	struct got g;
	struct sse_parser *p;

	for (int i = 0; i < 300; i++)
		n += (size_t)sprintf(s + n, "data: 0123456789\n");
	n += (size_t)sprintf(s + n, "\ndata: ok\n\n");
	p = parse(s, n, -1, 1000, &g);
	ck_assert_int_eq(g.n, 1);
	ck_assert_str_eq(g.data[0], "ok");
	ck_assert_uint_eq(sse_stats(p)->oversize, 1);
	got_free(&g);
	sse_free(p);
}
END_TEST

START_TEST(id_with_nul_ignored_and_reset)
{
	static const char s[] = "id: a\0b\ndata: x\n\ndata: partial";
	struct got g;
	struct sse_parser *p = parse(s, sizeof s - 1, 1, 0, &g);

	ck_assert_int_eq(g.n, 1);
	ck_assert_str_eq(g.id[0], "");
	sse_reset(p);          /* a new connection: the partial event is gone */
	ck_assert_int_eq(sse_feed(p, "\n\n", 2, collect, &g), 0);
	ck_assert_int_eq(g.n, 1);
	got_free(&g);
	sse_free(p);
}
END_TEST

static int
stop_at_first(void *ud, const struct sse_event *ev)
{
	(void)ev;
	(*(int *)ud)++;
	return 7;
}

START_TEST(callback_can_stop)
{
	struct sse_parser *p = sse_new(0);
	int calls = 0;

	ck_assert_int_eq(sse_feed(p, "data: 1\n\ndata: 2\n\n", 18, stop_at_first, &calls), 7);
	ck_assert_int_eq(calls, 1);
	sse_free(p);
}
END_TEST

CHECK_MAIN("sse", fixture_every_chunking_and_line_end, notifier_field_order,
           multiline_data_no_space_and_unknown_fields,
           no_data_not_dispatched_and_comments_counted, bom_split_and_false_bom,
           cr_at_chunk_end_counts_once, oversize_event_dropped_then_resync,
           bound_counts_all_fields, id_with_nul_ignored_and_reset, callback_can_stop)
