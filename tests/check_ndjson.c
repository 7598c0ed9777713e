/* check_ndjson.c — line assembly under every chunking, oversize lines,
 * the unterminated last line, and multiple inputs without interleaving. */
#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ndjson.h"
#include "check_main.h"

/* Feed `in` in chunks of `chunk` bytes; collect lines joined by '|',
 * oversize lines as "<N>". */
static void
run(const char *in, size_t chunk, size_t max, char *out, size_t outsz)
{
	struct ndjson_buf *lb = ndjson_buf_new(max);
	size_t len = strlen(in), off = 0;
	const char *line;
	size_t n;
	int r;

	out[0] = '\0';
	for (;;) {
		while ((r = ndjson_buf_next(lb, &line, &n)) != NDJSON_LINE_NONE) {
			char tmp[256];
			if (r == NDJSON_LINE_OK)
				snprintf(tmp, sizeof tmp, "%.*s|", (int)n, line);
			else
				snprintf(tmp, sizeof tmp, "<%zu>|", n);
			strncat(out, tmp, outsz - strlen(out) - 1);
		}
		if (off == len) {
			if (ndjson_buf_eof(lb))
				break;
			ndjson_buf_set_eof(lb);
			continue;
		}
		size_t c = len - off < chunk ? len - off : chunk;
		ck_assert_int_eq(ndjson_buf_feed(lb, in + off, c), 0);
		off += c;
	}
	ndjson_buf_free(lb);
}

START_TEST(every_chunking)
{
	const char *in = "{\"a\":1}\n{\"b\":2}\r\n\n{\"c\":3}";
	char out[512];

	for (size_t chunk = 1; chunk <= strlen(in); chunk++) {
		run(in, chunk, 64, out, sizeof out);
		ck_assert_str_eq(out, "{\"a\":1}|{\"b\":2}||{\"c\":3}|");
	}
}
END_TEST

START_TEST(oversize_dropped_whole)
{
	char in[4096], out[512];

	memset(in, 'x', 300);
	strcpy(in + 300, "\nshort\n");
	memset(in + 307, 'y', 93);
	strcpy(in + 400, "\nlast");
	for (size_t chunk = 1; chunk <= 512; chunk *= 2) {
		run(in, chunk, 64, out, sizeof out);
		ck_assert_str_eq(out, "<300>|short|<93>|last|");
	}
}
END_TEST

START_TEST(oversize_at_eof)
{
	char in[200], out[256];

	strcpy(in, "ok\n");
	memset(in + 3, 'z', 100);
	in[103] = '\0';
	run(in, 7, 50, out, sizeof out);
	ck_assert_str_eq(out, "ok|<100>|");
}
END_TEST

START_TEST(exact_max_is_kept)
{
	char out[256];
	run("12345\n123456\n", 3, 5, out, sizeof out);
	ck_assert_str_eq(out, "12345|<6>|");
}
END_TEST

static int
pipe_with(const char *data)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], data, strlen(data)), (ssize_t)strlen(data));
	close(p[1]);
	return p[0];
}

START_TEST(ndjson_inputs_round_robin)
{
	char a[64], b[64];
	int fa = pipe_with("a1\na2\na3"), fb = pipe_with("b1\nb2\n");
	snprintf(a, sizeof a, "/dev/fd/%d", fa);
	snprintf(b, sizeof b, "/dev/fd/%d", fb);
	char *paths[] = { a, b };
	struct ndjson_inputs *in = ndjson_inputs_open(paths, 2, 1024);
	struct ndjson_line l;
	int seen_a = 0, seen_b = 0, r;

	ck_assert_ptr_nonnull(in);
	while ((r = ndjson_inputs_next(in, &l, 1000)) != -1) {
		ck_assert_int_eq(r, NDJSON_LINE_OK);
		ck_assert_int_eq(l.len, 2);
		if (l.line[0] == 'a')
			ck_assert_int_eq(l.line[1] - '0', ++seen_a);
		else
			ck_assert_int_eq(l.line[1] - '0', ++seen_b);
		ck_assert_uint_eq(l.lineno, (unsigned long)(l.line[1] - '0'));
	}
	ck_assert_int_eq(seen_a, 3);
	ck_assert_int_eq(seen_b, 2);
	ndjson_inputs_close(in);
	close(fa);
	close(fb);
}
END_TEST

START_TEST(ndjson_inputs_missing_file)
{
	char *paths[] = { "/nonexistent/wn-test" };
	ck_assert_ptr_null(ndjson_inputs_open(paths, 1, 1024));
}
END_TEST

START_TEST(write_one_record)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_int_eq(ndjson_write(f, "{\"x\":1}", 7), 0);
	fclose(f);
	ck_assert_str_eq(buf, "{\"x\":1}\n");
	free(buf);
}
END_TEST

CHECK_MAIN("ndjson", every_chunking, oversize_dropped_whole, oversize_at_eof,
           exact_max_is_kept, ndjson_inputs_round_robin, ndjson_inputs_missing_file,
           write_one_record)
