/* check_json_scan.c — the block skipper (SSE2 and portable, at every
 * alignment and block boundary), the member cursor and its readers, and
 * malformed input: never accepted when cut short, never rejected when
 * json_parse() accepts it. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_scan.h"
#include "json.h"
#include "numconv.h"
#include "check_main.h"

/* Skip the container at buf+off with both block implementations; they
 * must agree.  Returns the end offset or -1. */
static long
skip_both(const char *buf, size_t len, size_t off, const char **why)
{
	const char *w1 = NULL, *w2 = NULL;
	const char *a = json_scan_skip_container(buf + off, buf + len, JSON_SCAN_MAX_DEPTH, &w1);
	const char *b = json_scan_skip_container_portable(buf + off, buf + len, JSON_SCAN_MAX_DEPTH, &w2);

	ck_assert_ptr_eq(a, b);
	if (!a)
		ck_assert_str_eq(w1, w2);
	*why = w1;
	return a ? (long)(a - buf) : -1;
}

START_TEST(skip_every_alignment)
{
	/* escapes, brackets in strings, nested containers, UTF-8 */
	const char *v = "{\"a\":[1,2,{\"b\":\"x]}\\\"\\\\\"}],\"c\":\"\xc3\xa9\\u00e9{[\","
	                "\"d\":{\"e\":[[[]]],\"f\":null},\"g\":\"\\\\\\\\\"}";
	char buf[512];
	const char *why;

	for (size_t pad = 0; pad < 140; pad++) {
		memset(buf, ' ', pad);
		strcpy(buf + pad, v);
		strcat(buf, "  ,{\"after\":1}");
		long e = skip_both(buf, strlen(buf), pad, &why);
		ck_assert_int_eq(e, (long)(pad + strlen(v)));
	}
}
END_TEST

START_TEST(skip_backslash_runs_at_block_edges)
{
	/* a run of n backslashes ending right before a quote, placed so the
	 * run crosses byte 63/64: odd runs escape the quote, even ones not */
	char buf[300];
	const char *why;

	for (int n = 0; n <= 6; n++) {
		for (int at = 50; at < 80; at++) {
			size_t k = 0;
			buf[k++] = '[';
			buf[k++] = '"';
			while (k < (size_t)at)
				buf[k++] = 'x';
			for (int i = 0; i < n; i++)
				buf[k++] = '\\';
			buf[k++] = '"';            /* closes the string if n is even */
			size_t close = k;
			buf[k++] = ']';
			if (n % 2) {               /* escaped: close the string now */
				buf[k++] = '"';
				close = k;
				buf[k++] = ']';
			}
			buf[k] = '\0';
			long e = skip_both(buf, k, 0, &why);
			ck_assert_int_eq(e, (long)close + 1);
		}
	}
}
END_TEST

START_TEST(skip_rejects_broken)
{
	static const struct { const char *in, *why; } bad[] = {
		{ "{\"a\":[1,2}", "unterminated value" },
		{ "{\"a\":\"open}", "unterminated value" },
		{ "[\"a\x01\"]", "control character in a string" },
		{ "[1,\\2]", "backslash outside a string" },
		{ "[\"\\\"]", "unterminated value" },
	};
	const char *why;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_int_eq(skip_both(bad[i].in, strlen(bad[i].in), 0, &why), -1);
		ck_assert_str_eq(why, bad[i].why);
	}
}
END_TEST

START_TEST(skip_depth_limit)
{
	char buf[400];
	const char *why;
	size_t k = 0;

	for (int i = 0; i < JSON_SCAN_MAX_DEPTH; i++)
		buf[k++] = '[';
	for (int i = 0; i < JSON_SCAN_MAX_DEPTH; i++)
		buf[k++] = ']';
	ck_assert_int_eq(skip_both(buf, k, 0, &why), (long)k);
	memmove(buf + 1, buf, k);
	buf[0] = '[';
	buf[k + 1] = ']';
	ck_assert_int_eq(skip_both(buf, k + 2, 0, &why), -1);
	ck_assert_str_eq(why, "nesting too deep");
}
END_TEST

static const char *line =
	"{\"type\":\"killmail\",\"killmail_id\":123,\"solar_system_id\":\"31001503\","
	"\"f\":1.5e3,\"neg\":-7,\"big\":3.1e7,\"t\":true,\"n\":null,"
	"\"s\":\"a\\\"b\",\"o\":{\"x\":[1,{\"y\":2}]},\"arr\":[],\"end\":false}";

START_TEST(cursor_reads_members)
{
	struct json_scan s;
	const char *k, *v;
	size_t kl, vl;
	int n = 0, b, seen = 0;
	int64_t i;
	double d;

	json_scan_init(&s, line, strlen(line));
	ck_assert_int_eq(json_scan_object(&s), 1);
	while (json_scan_member(&s, &n, &k, &kl) == 1) {
		seen++;
		if (json_scan_key_is(k, kl, "type")) {
			ck_assert_int_eq(json_scan_str(&s, &v, &vl), 1);
			ck_assert(vl == 8 && memcmp(v, "killmail", 8) == 0);
		} else if (json_scan_key_is(k, kl, "killmail_id")) {
			ck_assert_int_eq(json_scan_int(&s, &i), 1);
			ck_assert_int_eq(i, 123);
		} else if (json_scan_key_is(k, kl, "solar_system_id")) {
			ck_assert_int_eq(json_scan_int(&s, &i), 1);   /* digit string */
			ck_assert_int_eq(i, 31001503);
		} else if (json_scan_key_is(k, kl, "f")) {
			ck_assert_int_eq(json_scan_num(&s, &d), 1);
			ck_assert(d == 1500.0);
		} else if (json_scan_key_is(k, kl, "neg")) {
			ck_assert_int_eq(json_scan_int(&s, &i), 1);
			ck_assert_int_eq(i, -7);
		} else if (json_scan_key_is(k, kl, "big")) {
			ck_assert_int_eq(json_scan_int(&s, &i), 1);
			ck_assert_int_eq(i, 31000000);
		} else if (json_scan_key_is(k, kl, "t")) {
			ck_assert_int_eq(json_scan_bool(&s, &b), 1);
			ck_assert_int_eq(b, 1);
		} else if (json_scan_key_is(k, kl, "n")) {
			ck_assert_int_eq(json_scan_int(&s, &i), 0);    /* wrong type: skipped */
		} else if (json_scan_key_is(k, kl, "s")) {
			ck_assert_int_eq(json_scan_str(&s, &v, &vl), 1);
			ck_assert(vl == 4 && memcmp(v, "a\\\"b", 4) == 0);  /* raw */
		} else if (json_scan_key_is(k, kl, "o")) {
			ck_assert_int_eq(json_scan_int(&s, &i), 0);    /* object skipped */
		} else {
			ck_assert_int_eq(json_scan_skip(&s), 0);
		}
	}
	ck_assert_ptr_null(s.err);
	ck_assert_int_eq(seen, 12);
	ck_assert_int_eq(json_scan_end(&s), 0);
}
END_TEST

/* Walk a whole line skipping every member: 0 ok, -1 malformed. */
static int
walk(const char *buf, size_t len)
{
	struct json_scan s;
	const char *k;
	size_t kl;
	int n = 0, r;

	json_scan_init(&s, buf, len);
	if (json_scan_object(&s) != 1)
		return -1;
	while ((r = json_scan_member(&s, &n, &k, &kl)) == 1)
		if (json_scan_skip(&s) < 0)
			return -1;
	return r < 0 ? -1 : json_scan_end(&s);
}

START_TEST(every_prefix_rejected)
{
	size_t len = strlen(line);

	ck_assert_int_eq(walk(line, len), 0);
	for (size_t cut = 0; cut < len; cut++)
		ck_assert_msg(walk(line, cut) < 0, "prefix of %zu bytes accepted", cut);
}
END_TEST

START_TEST(malformed_cases)
{
	static const char *const bad[] = {
		"", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1 \"b\":2}",
		"{\"a\":01}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":tru}", "{\"a\":nul}",
		"{\"a\":\"x\\q\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":1} x", "{a:1}",
		"{\"a\":1}}", "{\"a\":\"tab\there\"}",
	};
	static const char *const good[] = {
		"{}", " { } ", "{\"a\":0}", "{\"a\":-0.5E+3}", "{\"a\":\"\\u00e9\\n\"}",
		"{\"a\":[]}\r", "{\"\":1}",
	};

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(walk(bad[i], strlen(bad[i])) < 0, "accepted: %s", bad[i]);
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		ck_assert_msg(walk(good[i], strlen(good[i])) == 0, "rejected: %s", good[i]);
}
END_TEST

/* No false alarms: whatever json_parse accepts, the scanner accepts.
 * (Raw control bytes in strings are left out: cJSON lets them through,
 * RFC 8259 and the scanner do not; so are "07" and "-.5": cJSON is
 * lenient about numbers, hence structural mutations only.) */
START_TEST(mutations_agree_with_parser)
{
	static const char alphabet[] = "\"\\{}[],:a ";
	size_t len = strlen(line);
	char buf[1024], err[128];
	unsigned seed = 12345;
	int accepted = 0;

	for (int round = 0; round < 20000; round++) {
		memcpy(buf, line, len);
		for (int m = 0; m < 1 + round % 3; m++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % len;
			buf[at] = alphabet[(seed >> 20) % (sizeof alphabet - 1)];
		}
		cJSON *j = json_parse(buf, len, err, sizeof err);
		if (j) {
			accepted++;
			ck_assert_msg(walk(buf, len) == 0, "scanner rejected valid %.*s", (int)len, buf);
			cJSON_Delete(j);
		}
	}
	ck_assert_int_gt(accepted, 100);
}
END_TEST

START_TEST(int_edge_cases)
{
	static const struct { const char *in; int r; long long v; } c[] = {
		/* a number literal is read as cJSON reads it, a double: exact
		 * below 2^53 and no further (2^53 + 1 rounds to 2^53), so the
		 * two readers agree */
		{ "9007199254740991", 1, 9007199254740991LL },
		{ "9007199254740992", 0, 0 }, { "9007199254740993", 0, 0 }, { "9223372036854775807", 0, 0 },
		{ "\"9223372036854775807\"", 1, 9223372036854775807LL },
		{ "\"9223372036854775808\"", 0, 0 },
		/* issue 14 #2: out of int64 range; the cast used to be UB */
		{ "1e300", 0, 0 }, { "-1e300", 0, 0 }, { "1e19", 0, 0 },
		{ "3.1e7", 1, 31000000 }, { "\" 5\"", 0, 0 }, { "\"+5\"", 0, 0 },
		{ "\"\"", 0, 0 }, { "\"12a\"", 0, 0 }, { "1.5", 0, 0 },
		{ "\"-42\"", 1, -42 }, { "0", 1, 0 },
	};

	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		struct json_scan s;
		int64_t v = 0;
		json_scan_init(&s, c[i].in, strlen(c[i].in));
		ck_assert_int_eq(json_scan_int(&s, &v), c[i].r);
		if (c[i].r)
			ck_assert_int_eq(v, c[i].v);
		ck_assert_int_eq(json_scan_end(&s), 0);
	}
}
END_TEST

/* Campaign findings 19 and 20: a 130-digit number cJSON read and the
 * scanner did not, and 1.5e444, which cJSON reads as inf and prints as
 * null (normalisation then not idempotent).  One rule, num_json_ok: at
 * most 63 bytes and a finite double, or the line is not JSON to either. */
START_TEST(numbers_too_long_or_beyond_double_refused_by_both)
{
	char longnum[200], doc[256], err[128];
	static const char *const bad[] = { "{\"v\":1.5e444}", "{\"v\":-1e309}", "{\"v\":-1.0E+999}" };
	static const char *const good[] = { "{\"v\":1e308}", "{\"v\":1e-400}", "{\"v\":[-0.5E+3]}" };

	memset(longnum, '8', 130);
	longnum[130] = '\0';
	snprintf(doc, sizeof doc, "{\"v\":%s.0}", longnum);
	ck_assert_ptr_null(json_parse(doc, strlen(doc), err, sizeof err));
	ck_assert_int_lt(walk(doc, strlen(doc)), 0);
	for (size_t i = 0; i < 3; i++) {
		ck_assert_msg(json_parse(bad[i], strlen(bad[i]), err, sizeof err) == NULL, "%s", bad[i]);
		ck_assert_msg(walk(bad[i], strlen(bad[i])) < 0, "scanner took %s", bad[i]);
		cJSON *j = json_parse(good[i], strlen(good[i]), err, sizeof err);
		ck_assert_msg(j != NULL, "%s: %s", good[i], err);
		cJSON_Delete(j);
		ck_assert_int_eq(walk(good[i], strlen(good[i])), 0);
	}
	/* 63 bytes is the last length taken */
	memset(longnum, '1', 63);
	longnum[63] = '\0';
	ck_assert_int_eq(num_json_ok(longnum, 63), 1);
	ck_assert_int_eq(num_json_ok("1111111111111111111111111111111111111111111111111111111111111111", 64), 0);
}
END_TEST

CHECK_MAIN("json_scan", skip_every_alignment, skip_backslash_runs_at_block_edges,
           skip_rejects_broken, skip_depth_limit, cursor_reads_members,
           every_prefix_rejected, malformed_cases, mutations_agree_with_parser,
           int_edge_cases, numbers_too_long_or_beyond_double_refused_by_both)
