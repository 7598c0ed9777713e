/* check_outbox_delivered.c — the delivered log: remembered across restarts,
 * expired, bounded, compacted. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outbox_delivered.h"
#include "log.h"
#include "state.h"
#include "check_main.h"

static char dir[256];

static void fresh_dir(void) { check_tmpdir(dir, sizeof dir, "check_outbox_delivered"); }
static void cleanup(void) { check_rmdir(dir); }

/* A fresh directory, and the log's path in it. */
static void
fresh_log(char *p, size_t size)
{
	fresh_dir();
	snprintf(p, size, "%s/delivered.log", dir);
}


START_TEST(outbox_delivered_remembers_across_reopen_until_expiry)
{
	char p[300];
	struct outbox_delivered *d;

	fresh_log(p, sizeof p);
	ck_assert_ptr_nonnull(d = outbox_delivered_open(p, 100, 1000, 1000));
	ck_assert(!outbox_delivered_has(d, "killmail:1 webhook:main", 1000));
	ck_assert_int_eq(outbox_delivered_add(d, "killmail:1 webhook:main", 1000), 0);
	ck_assert_int_eq(outbox_delivered_add(d, "killmail:2 channel:5", 1050), 0);
	ck_assert(outbox_delivered_has(d, "killmail:1 webhook:main", 1001));
	ck_assert(!outbox_delivered_has(d, "killmail:1 webhook:other", 1001));
	outbox_delivered_close(d);
	/* a torn last line (crash mid-append) is ignored, not fatal */
	FILE *f = fopen(p, "a");
	fputs("12345 00ff", f);
	fclose(f);
	ck_assert_ptr_nonnull(d = outbox_delivered_open(p, 100, 1000, 1010));
	ck_assert(outbox_delivered_has(d, "killmail:1 webhook:main", 1010));
	ck_assert(outbox_delivered_has(d, "killmail:2 channel:5", 1010));
	ck_assert_uint_eq(outbox_delivered_count(d), 2);
	ck_assert(!outbox_delivered_has(d, "killmail:1 webhook:main", 1100));   /* expired */
	ck_assert(outbox_delivered_has(d, "killmail:2 channel:5", 1100));
	outbox_delivered_close(d);
	ck_assert_ptr_nonnull(d = outbox_delivered_open(p, 100, 1000, 1120));
	ck_assert_uint_eq(outbox_delivered_count(d), 1);
	outbox_delivered_close(d);
	cleanup();
}
END_TEST

START_TEST(outbox_delivered_bounded_and_compacted)
{
	char p[300], key[64];
	struct outbox_delivered *d;
	size_t len;

	fresh_log(p, sizeof p);
	ck_assert_ptr_nonnull(d = outbox_delivered_open(p, 1000000, 100, 1));
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "killmail:%d webhook:main", i);
		ck_assert_int_eq(outbox_delivered_add(d, key, 1 + i), 0);
		ck_assert_uint_le(outbox_delivered_count(d), 100);
	}
	/* the newest are remembered, the oldest were let go */
	ck_assert(outbox_delivered_has(d, "killmail:4999 webhook:main", 5000));
	ck_assert(outbox_delivered_has(d, "killmail:4950 webhook:main", 5000));
	ck_assert(!outbox_delivered_has(d, "killmail:0 webhook:main", 5000));
	outbox_delivered_close(d);
	/* the file was compacted as it grew: far fewer than 5000 lines */
	char *all = state_read_file(p, 1 << 20, &len);
	ck_assert_ptr_nonnull(all);
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += all[i] == '\n';
	free(all);
	ck_assert_uint_lt(lines, 2 * 100 + 1024 + 1);
	ck_assert_ptr_nonnull(d = outbox_delivered_open(p, 1000000, 100, 5001));
	ck_assert(outbox_delivered_has(d, "killmail:4999 webhook:main", 5001));
	outbox_delivered_close(d);
	cleanup();
}
END_TEST

START_TEST(outbox_delivered_rejects_newline_keys)
{
	char p[300];
	struct outbox_delivered *d;

	fresh_log(p, sizeof p);
	ck_assert_ptr_nonnull(d = outbox_delivered_open(p, 10, 10, 1));
	ck_assert_int_eq(outbox_delivered_add(d, "a\nb", 1), -1);
	outbox_delivered_close(d);
	cleanup();
}
END_TEST

/* Opens path with stderr captured into buf; the log's entry count. */
static size_t
open_captured(const char *path, char *buf, size_t size)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	struct outbox_delivered *d;
	size_t n, count;

	fflush(stderr);
	dup2(fileno(tmp), 2);
	log_init("wn-discord");
	d = outbox_delivered_open(path, 100, 100, 1);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	ck_assert_ptr_nonnull(d);
	count = outbox_delivered_count(d);
	outbox_delivered_close(d);
	rewind(tmp);
	n = fread(buf, 1, size - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	return count;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* issue 17 item 11: a torn last line is what a crash leaves and passes
 * quietly; a garbled or cut line before the end is damage and is said. */
START_TEST(outbox_delivered_damage_warned)
{
	char p[300], err[1024], text[512];
	struct outbox_delivered *d;
	FILE *f;
	size_t n;

	fresh_log(p, sizeof p);
	ck_assert_ptr_nonnull(d = outbox_delivered_open(p, 100, 100, 1));
	ck_assert_int_eq(outbox_delivered_add(d, "kill:1", 1), 0);
	ck_assert_int_eq(outbox_delivered_add(d, "kill:2", 1), 0);
	ck_assert_int_eq(outbox_delivered_add(d, "kill:3", 1), 0);
	outbox_delivered_close(d);
	ck_assert_ptr_nonnull(f = fopen(p, "r"));
	n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';

	/* a torn tail: quiet, the whole lines kept */
	strcat(text, "101 00ab");
	write_file(p, text);
	ck_assert_uint_eq(open_captured(p, err, sizeof err), 3);
	ck_assert_ptr_null(strstr(err, "damaged"));

	/* the second line's key garbled (kill:2 -> kill:7): its hash no
	 * longer matches, one unreadable line before the end */
	*strstr(text, "kill:2") = 'K';
	write_file(p, text);
	ck_assert_uint_eq(open_captured(p, err, sizeof err), 2);
	ck_assert_msg(strstr(err, "is damaged: 1 unreadable line before its end") != NULL, "%s", err);

	/* a line cut in the middle (the newline of line 1 lost) */
	write_file(p, "101 0000000000000001 ");
	f = fopen(p, "a");
	fputs("junk\n101 ffff kill:9\n", f);
	fclose(f);
	open_captured(p, err, sizeof err);
	ck_assert_msg(strstr(err, "is damaged: 1 unreadable line") != NULL, "%s", err);
	cleanup();
}
END_TEST

/* Opens the log at p quietly: no damage and no loss said; its count. */
static size_t
open_quiet(const char *p)
{
	char err[1024];
	size_t n = open_captured(p, err, sizeof err);

	ck_assert_msg(!strstr(err, "damaged") && !strstr(err, "lost"), "%s", err);
	return n;
}

/* The log of three lines, as text, into buf. */
static size_t
three_lines(const char *p, char *buf, size_t size)
{
	struct outbox_delivered *d;
	FILE *f;
	size_t n;

	ck_assert_ptr_nonnull(d = outbox_delivered_open(p, 100, 100, 1));
	ck_assert_int_eq(outbox_delivered_add(d, "kill:1", 1), 0);
	ck_assert_int_eq(outbox_delivered_add(d, "kill:2", 1), 0);
	ck_assert_int_eq(outbox_delivered_add(d, "kill:3", 1), 0);
	outbox_delivered_close(d);
	ck_assert_ptr_nonnull(f = fopen(p, "r"));
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n;
}

/* issue 17 item 11: whole lines lost at a line boundary read as a good,
 * shorter log; the record of its end beside it says they are gone. */
START_TEST(outbox_delivered_lost_lines_warned)
{
	char p[300], err[1024], text[512], *second;

	fresh_log(p, sizeof p);
	three_lines(p, text, sizeof text);

	/* cut after the first line: the last two lines are lost */
	second = strchr(text, '\n') + 1;
	*second = '\0';
	write_file(p, text);
	ck_assert_uint_eq(open_captured(p, err, sizeof err), 1);
	ck_assert_msg(strstr(err, "lost lines: 1 of 3 lines") != NULL, "%s", err);
	ck_assert_ptr_null(strstr(err, "damaged"));
	/* said once: the record now holds what is left */
	ck_assert_uint_eq(open_quiet(p), 1);

	/* a whole line taken out of the middle */
	unlink(p);
	three_lines(p, text, sizeof text);
	second = strchr(text, '\n') + 1;
	memmove(second, strchr(second, '\n') + 1, strlen(strchr(second, '\n') + 1) + 1);
	write_file(p, text);
	ck_assert_uint_eq(open_captured(p, err, sizeof err), 2);
	ck_assert_msg(strstr(err, "lost lines: 2 of 3 lines") != NULL, "%s", err);

	/* the log gone while its record stays */
	unlink(p);
	ck_assert_uint_eq(open_captured(p, err, sizeof err), 0);
	ck_assert_msg(strstr(err, "lost lines: 0 of 2 lines") != NULL, "%s", err);

	/* a log from before the record: nothing to compare, quiet */
	snprintf(text, sizeof text, "%s.end", p);
	unlink(text);
	unlink(p);
	write_file(p, "");
	ck_assert_uint_eq(open_quiet(p), 0);
	cleanup();
}
END_TEST

/* A torn tail is cut at open, so the next line is whole and read back
 * (it used to end the torn line, and both were lost). */
START_TEST(outbox_delivered_torn_tail_cut_before_appending)
{
	char p[300], text[512];
	struct outbox_delivered *d;

	fresh_log(p, sizeof p);
	three_lines(p, text, sizeof text);
	strcat(text, "101 00ab");
	write_file(p, text);
	ck_assert_ptr_nonnull(d = outbox_delivered_open(p, 100, 100, 1));
	ck_assert_int_eq(outbox_delivered_add(d, "kill:4", 1), 0);
	outbox_delivered_close(d);
	ck_assert_uint_eq(open_quiet(p), 4);
	cleanup();
}
END_TEST

/* Compaction shortens the log on purpose: no warning after it. */
START_TEST(outbox_delivered_compaction_not_loss)
{
	char p[300], key[64];
	struct outbox_delivered *d;

	fresh_log(p, sizeof p);
	ck_assert_ptr_nonnull(d = outbox_delivered_open(p, 100, 100, 1));
	for (int i = 0; i < 3000; i++) {
		snprintf(key, sizeof key, "kill:%d", i);
		ck_assert_int_eq(outbox_delivered_add(d, key, 1), 0);
	}
	outbox_delivered_close(d);
	ck_assert_uint_gt(open_quiet(p), 0);
	cleanup();
}
END_TEST

CHECK_MAIN("outbox_delivered", outbox_delivered_remembers_across_reopen_until_expiry, outbox_delivered_bounded_and_compacted,
           outbox_delivered_rejects_newline_keys, outbox_delivered_damage_warned, outbox_delivered_lost_lines_warned,
           outbox_delivered_torn_tail_cut_before_appending, outbox_delivered_compaction_not_loss)
