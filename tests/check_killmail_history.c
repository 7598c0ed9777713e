/* check_killmail_history.c — an R2Z2 day history as one record per kill
 * (killmail_history.c): both shapes, every other document as it is, the
 * entries skipped counted with one line on stderr. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "killmail.h"
#include "check_main.h"

#define H40 "0123456789abcdef0123456789abcdef01234567"

/* The records of a document, one line each, in a buffer. */
struct lines {
	char buf[4096];
	size_t len;
};

static void
collect(void *ud, cJSON *rec)
{
	struct lines *l = ud;
	char *t = json_print(rec);

	ck_assert_ptr_nonnull(t);
	l->len += (size_t)snprintf(l->buf + l->len, sizeof l->buf - l->len, "%s\n", t);
	free(t);
	cJSON_Delete(rec);
}

static size_t
reshape(const char *text, struct lines *l)
{
	char err[256];
	cJSON *doc = json_parse(text, strlen(text), err, sizeof err);

	ck_assert_msg(doc != NULL, "bad test JSON: %s", err);
	l->len = 0;
	l->buf[0] = 0;
	return killmail_history(doc, collect, l);
}

START_TEST(hash_pairs_become_records)
{
	struct lines l;

	ck_assert_uint_eq(reshape("{\"120000005\":\"" H40 "\",\"7\":\"" H40 "\"}", &l), 0);
	ck_assert_str_eq(l.buf,
	                 "{\"type\":\"killmail\",\"killmail_id\":120000005,\"killmail_hash\":\"" H40 "\"}\n"
	                 "{\"type\":\"killmail\",\"killmail_id\":7,\"killmail_hash\":\"" H40 "\"}\n");
}
END_TEST

START_TEST(bodies_pass_as_they_are)
{
	struct lines l;

	ck_assert_uint_eq(reshape("{\"1\":{\"killmail_id\":1,\"victim\":{\"ship_type_id\":587}},"
	                          "\"2\":{\"killmail_id\":2}}", &l), 0);
	ck_assert_str_eq(l.buf, "{\"killmail_id\":1,\"victim\":{\"ship_type_id\":587}}\n"
	                        "{\"killmail_id\":2}\n");
}
END_TEST

START_TEST(other_documents_as_they_are)
{
	static const struct { const char *in, *out; } t[] = {
		{ "{\"killmail_id\":3,\"x\":1.5}", "{\"killmail_id\":3,\"x\":1.5}\n" },
		/* digit keys, but a killmail of its own */
		{ "{\"killmail_id\":3,\"12\":\"a\"}", "{\"killmail_id\":3,\"12\":\"a\"}\n" },
		{ "{\"12\":\"a\",\"zkb\":{}}", "{\"12\":\"a\",\"zkb\":{}}\n" },
		{ "{}", "{}\n" },
		{ "42", "42\n" },
		{ "[{\"a\":1},{\"b\":2}]", "{\"a\":1}\n{\"b\":2}\n" },
		{ "[]", "" },
	};
	struct lines l;

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		ck_assert_uint_eq(reshape(t[i].in, &l), 0);
		ck_assert_msg(!strcmp(l.buf, t[i].out), "%s: got %s", t[i].in, l.buf);
	}
	ck_assert(!killmail_history_is(NULL));
}
END_TEST

/* ids out of the id rule (0, beyond 2^53) are bad entries, not kills */
START_TEST(bad_entries_counted)
{
	struct lines l;

	ck_assert_uint_eq(reshape("{\"1\":5,\"2\":\"" H40 "\",\"3\":null,\"4\":[1],"
	                          "\"0\":\"" H40 "\",\"90071992547409930\":\"" H40 "\"}", &l), 5);
	ck_assert_str_eq(l.buf,
	                 "{\"type\":\"killmail\",\"killmail_id\":2,\"killmail_hash\":\"" H40 "\"}\n");
}
END_TEST

/* killmail_history_print of text in a file: its stdout and stderr. */
static int
print_file(const char *text, char *out, size_t outsz, char *err, size_t errsz)
{
	char dir[256], in[300], o[300], e[300];
	FILE *f, *fo;
	int saved, rc;
	size_t n;

	check_tmpdir(dir, sizeof dir, "check_killmail_history");
	snprintf(in, sizeof in, "%s/day.json", dir);
	snprintf(o, sizeof o, "%s/out", dir);
	snprintf(e, sizeof e, "%s/err", dir);
	ck_assert_ptr_nonnull(f = fopen(in, "w"));
	fputs(text, f);
	fclose(f);
	ck_assert_ptr_nonnull(fo = fopen(o, "w"));
	fflush(stderr);
	saved = dup(2);
	ck_assert_int_ge(dup2(open(e, O_WRONLY | O_CREAT | O_TRUNC, 0600), 2), 0);
	rc = killmail_history_print(in, fo);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fclose(fo);
	ck_assert_ptr_nonnull(f = fopen(o, "r"));
	n = fread(out, 1, outsz - 1, f);
	out[n] = 0;
	fclose(f);
	ck_assert_ptr_nonnull(f = fopen(e, "r"));
	n = fread(err, 1, errsz - 1, f);
	err[n] = 0;
	fclose(f);
	check_rmdir(dir);
	return rc;
}

static int
count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

START_TEST(print_one_line_for_what_is_skipped)
{
	char out[1024], err[1024];

	ck_assert_int_eq(print_file("{\"1\":5,\"2\":\"" H40 "\",\"3\":true}", out, sizeof out,
	                            err, sizeof err), 0);
	ck_assert_str_eq(out,
	                 "{\"type\":\"killmail\",\"killmail_id\":2,\"killmail_hash\":\"" H40 "\"}\n");
	ck_assert_int_eq(count_lines(err), 1);
	ck_assert_ptr_nonnull(strstr(err, "2 entries"));
	ck_assert_int_eq(print_file("[{\"a\":1}]", out, sizeof out, err, sizeof err), 0);
	ck_assert_str_eq(out, "{\"a\":1}\n");
	ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(print_not_json_fails_in_one_line)
{
	char out[1024], err[1024];

	ck_assert_int_eq(print_file("{\"1\":", out, sizeof out, err, sizeof err), -1);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(count_lines(err), 1);
	ck_assert_ptr_nonnull(strstr(err, "not JSON"));
}
END_TEST

CHECK_MAIN("killmail_history", hash_pairs_become_records, bodies_pass_as_they_are,
           other_documents_as_they_are, bad_entries_counted,
           print_one_line_for_what_is_skipped, print_not_json_fails_in_one_line)
