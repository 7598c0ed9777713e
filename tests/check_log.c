/* check_log.c — log line format and secret redaction. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "check_main.h"

/* Run fn with stderr captured into buf. */
static void
capture(void (*fn)(void), char *buf, size_t size)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);

	fflush(stderr);
	dup2(fileno(tmp), 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	size_t n = fread(buf, 1, size - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
}

static void
say_things(void)
{
	log_init("wn-test");
	log_set_level(LOG_INFO);
	log_add_secret("s3cr3t-map-key");
	log_info("connecting with key s3cr3t-map-key now");
	log_warn("posting to https://discord.com/api/v10/webhooks/123456/abcDEF-token_xyz?wait=true");
	log_error("header Authorization: Bot MTIzNDU2.abc.def rejected");
	log_debug("not shown at info");
	log_info("two\nlines");
}

START_TEST(format_and_redaction)
{
	char buf[2048];

	capture(say_things, buf, sizeof buf);
	ck_assert_ptr_null(strstr(buf, "s3cr3t"));
	ck_assert_ptr_null(strstr(buf, "abcDEF"));
	ck_assert_ptr_null(strstr(buf, "MTIzNDU2"));
	ck_assert_ptr_null(strstr(buf, "not shown"));
	ck_assert_ptr_nonnull(strstr(buf, "wn-test: info: connecting with key [redacted] now\n"));
	ck_assert_ptr_nonnull(strstr(buf, "wn-test: warning: posting to https://discord.com/api/v10/webhooks/123456/[redacted]?wait=[redacted]\n"));
	ck_assert_ptr_nonnull(strstr(buf, "wn-test: error: header Authorization: Bot [redacted] rejected\n"));
	ck_assert_ptr_nonnull(strstr(buf, "wn-test: info: two lines\n"));
}
END_TEST

START_TEST(level_from_env)
{
	setenv("WN_LOG_LEVEL", "debug", 1);
	log_init("wn-test");
	ck_assert_int_eq(log_get_level(), LOG_DEBUG);
	setenv("WN_LOG_LEVEL", "error", 1);
	log_init("wn-test");
	ck_assert_int_eq(log_get_level(), LOG_ERROR);
	log_more_verbose();
	ck_assert_int_eq(log_get_level(), LOG_WARN);
	unsetenv("WN_LOG_LEVEL");   /* unforked (valgrind) runs share the environment */
}
END_TEST

/* issue 14 #1: a marker within a few bytes of the buffer's end used to
 * underflow the splice length (memmove of ~2^64 bytes, the mark written
 * past the end).  Every marker at every offset of small buffers: nothing
 * past size is touched, the result is a string, no value byte survives. */
START_TEST(redact_at_every_offset)
{
	static const char *const markers[] = {
		"Bot ", "Bearer ", "token=", "X-ApiKey: ", "/webhooks/42/", "s3cr3t-map-key",
		"http://h/?k=", "https://h/p?a=1&k=",
	};
	char big[160];

	log_add_secret("s3cr3t-map-key");
	for (size_t k = 0; k < sizeof markers / sizeof *markers; k++)
		for (size_t size = 1; size <= 64; size++)
			for (size_t off = 0; off + 1 < size; off++) {
				char line[160];
				size_t ml = strlen(markers[k]);
				memset(line, 'A', off);
				memcpy(line + off, markers[k], ml);
				memset(line + off + ml, 'q', 40);
				memset(big, 'Z', sizeof big);
				memcpy(big, line, size - 1);
				big[size - 1] = '\0';
				log_redact(big, size);
				for (size_t i = size; i < sizeof big; i++)
					ck_assert_msg(big[i] == 'Z', "%s size %zu off %zu: byte %zu written",
					              markers[k], size, off, i);
				ck_assert_uint_lt(strlen(big), size);
				int secret = markers[k][0] == 's';
				if (secret && off + ml <= size - 1)
					ck_assert_msg(strstr(big, "s3cr3t") == NULL, "size %zu off %zu: %s",
					              size, off, big);
				if (!secret && off + ml < size - 1)
					ck_assert_msg(strchr(big, 'q') == NULL, "%s size %zu off %zu: %s",
					              markers[k], size, off, big);
			}
}
END_TEST

/* The hostile line from the issue: 2010 x 'A', "Bot ", 100 x 'B' in a
 * log_warn() whose line buffer is 2048 bytes. */
static void
say_hostile(void)
{
	char name[2200];

	memset(name, 'A', 2010);
	memcpy(name + 2010, "Bot ", 4);
	memset(name + 2014, 'B', 100);
	name[2114] = '\0';
	log_init("wn-mapsse");
	log_warn("event %s %s: bad data", name, "x");
}

START_TEST(redact_hostile_long_line)
{
	char buf[4096];

	capture(say_hostile, buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "wn-mapsse: warning: event AAAA"));
	ck_assert_ptr_null(strstr(buf, "BB"));
	ck_assert_ptr_nonnull(strstr(buf, "Bot [redac"));
	ck_assert_uint_le(strlen(buf), 2048);
}
END_TEST

/* A secret that looks like the mark must not loop forever. */
START_TEST(redact_secret_like_mark)
{
	char b[64] = "x [redacted] y";

	log_add_secret("[redacted]");
	log_redact(b, sizeof b);
	ck_assert_str_eq(b, "x [redacted] y");
}
END_TEST

/* issue 17: a password in a URL's userinfo and any query value, under
 * any name, are hidden in every line; host, path and names stay. */
START_TEST(redact_url_parts)
{
	char b[256] = "GET http://user:pw1@127.0.0.1:8/v5/x?datasource=tranquility&key=k3y#f "
	              "then https://a@b.example/?x= and 'ws://h/s?t=zz'";

	log_redact(b, sizeof b);
	ck_assert_str_eq(b, "GET http://[redacted]@127.0.0.1:8/v5/x?datasource=[redacted]"
	                    "&key=[redacted]#f then https://[redacted]@b.example/?x= and "
	                    "'ws://h/s?t=[redacted]'");
	char c[64] = "no url: a@b ?k=v user:pw@host";
	log_redact(c, sizeof c);
	ck_assert_str_eq(c, "no url: a@b ?k=v user:pw@host");
}
END_TEST

CHECK_MAIN("log", format_and_redaction, redact_url_parts, level_from_env, redact_at_every_offset,
           redact_hostile_long_line, redact_secret_like_mark)
