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
	ck_assert_ptr_nonnull(strstr(buf, "wn-test: warning: posting to https://discord.com/api/v10/webhooks/123456/[redacted]?wait=true\n"));
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
}
END_TEST

CHECK_MAIN("log", format_and_redaction, level_from_env)
