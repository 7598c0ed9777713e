/* check_config.c — .env parsing as data, precedence, typed getters. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "idset.h"
#include "log.h"
#include "check_main.h"

static char path[64];

static void
write_env(const char *text)
{
	strcpy(path, "/tmp/wn-check-env.XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

START_TEST(env_file_is_data)
{
	char err[256];

	log_init("check");
	write_env("# comment\n"
	          "DISCORD_CHANNEL_ID=123456789\n"
	          "export MAP_NAME=\"my map\"\n"
	          "MAP_URL='https://map.example.com'\n"
	          "KILL_NOTIFICATIONS_ENABLED=false # off for now\n"
	          "QUOTED='a # b' # the quotes keep the hash\n"
	          "EVIL=$(touch /tmp/wn-pwned)\n"
	          "\n"
	          "ALREADY=from-file\n");
	setenv("ALREADY", "from-env", 1);
	unlink("/tmp/wn-pwned");
	ck_assert_int_eq(config_load_file(path, 1, err, sizeof err), 0);
	ck_assert_str_eq(config_str("DISCORD_CHANNEL_ID", ""), "123456789");
	ck_assert_str_eq(config_str("MAP_NAME", ""), "my map");
	ck_assert_str_eq(config_str("MAP_URL", ""), "https://map.example.com");
	ck_assert_int_eq(config_bool("KILL_NOTIFICATIONS_ENABLED", 1), 0);
	ck_assert_str_eq(config_str("QUOTED", ""), "a # b");
	ck_assert_str_eq(config_str("EVIL", ""), "$(touch /tmp/wn-pwned)");
	ck_assert_int_ne(access("/tmp/wn-pwned", F_OK), 0);
	ck_assert_str_eq(config_str("ALREADY", ""), "from-env");
	unlink(path);
}
END_TEST

START_TEST(env_file_errors)
{
	char err[256];

	write_env("GOOD=1\nthis line is wrong\n");
	ck_assert_int_eq(config_load_file(path, 1, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, ":2: expected KEY=VALUE"));
	unlink(path);
	ck_assert_int_eq(config_load_file("/nonexistent/.env", 0, err, sizeof err), 0);
	ck_assert_int_eq(config_load_file("/nonexistent/.env", 1, err, sizeof err), -1);
}
END_TEST

START_TEST(typed_getters)
{
	struct idset s;

	log_init("check");
	setenv("B1", "yes", 1);
	setenv("B2", "0", 1);
	setenv("B3", "maybe", 1);
	setenv("N1", "3600", 1);
	setenv("N2", "12abc", 1);
	setenv("EMPTY", "", 1);
	setenv("IDS", "98000001, 98000002", 1);
	ck_assert_int_eq(config_bool("B1", 0), 1);
	ck_assert_int_eq(config_bool("B2", 1), 0);
	ck_assert_int_eq(config_bool("B3", 1), 1);
	ck_assert_int_eq(config_bool("UNSET_X", 1), 1);
	ck_assert_int_eq(config_int("N1", 5), 3600);
	ck_assert_int_eq(config_int("N2", 5), 5);
	ck_assert_str_eq(config_str("EMPTY", "def"), "def");
	idset_init(&s);
	ck_assert_int_eq(config_idlist("IDS", &s), 0);
	ck_assert(idset_has(&s, 98000002));
	idset_free(&s);
}
END_TEST

/* Editors and templates leave blanks and whitespace; Windows leaves CRLF. */
START_TEST(whitespace_is_unset)
{
	char err[256];

	log_init("check");
	write_env("WS_CHANNEL= \r\n"
	          "WS_QUOTED=\"  \"\r\n"
	          "WS_TAB=\t\r\n"
	          "WS_CRLF=abc\r\n"
	          "WS_BLANK_ENV=from-file\r\n"
	          "WS_TWICE=\r\n"
	          "WS_TWICE=second\r\n");
	setenv("WS_BLANK_ENV", "  ", 1);
	ck_assert_int_eq(config_load_file(path, 1, err, sizeof err), 0);
	ck_assert_ptr_null(config_str("WS_CHANNEL", NULL));
	ck_assert_ptr_null(config_str("WS_QUOTED", NULL));
	ck_assert_ptr_null(config_str("WS_TAB", NULL));
	ck_assert_str_eq(config_str("WS_CRLF", ""), "abc");
	ck_assert_str_eq(config_str("WS_BLANK_ENV", ""), "from-file");
	ck_assert_str_eq(config_str("WS_TWICE", ""), "second");
	setenv("WS_ENV_ONLY", " \t ", 1);
	ck_assert_str_eq(config_str("WS_ENV_ONLY", "def"), "def");
	ck_assert_int_eq(config_bool("WS_ENV_ONLY", 1), 1);
	ck_assert_int_eq(config_int("WS_ENV_ONLY", 7), 7);
	ck_assert(config_blank(NULL) && config_blank("") && config_blank(" \t\r") && !config_blank(" x "));
	unlink(path);
}
END_TEST

static void
count_entry(const char *name, const char *value, unsigned long lineno, void *arg)
{
	unsigned long *seen = arg;

	(void)value;
	if (strcmp(name, "B") == 0)
		*seen = lineno;
}

START_TEST(parse_calls_per_entry)
{
	char err[256];
	unsigned long line_of_b = 0;

	write_env("# c\nA=1\n\nexport B='2'\n");
	ck_assert_int_eq(config_parse_file(path, 1, count_entry, &line_of_b, err, sizeof err), 0);
	ck_assert_uint_eq(line_of_b, 4);
	ck_assert_ptr_null(getenv("B") && strcmp(getenv("B"), "2") == 0 ? "set" : NULL);
	unlink(path);
}
END_TEST

CHECK_MAIN("config", env_file_is_data, env_file_errors, typed_getters, whitespace_is_unset,
           parse_calls_per_entry)
