/* check_journal.c — recent records kept across a restart: order, bound,
 * age, compaction, damaged lines. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "state.h"
#include "check_main.h"

static char seen[4096];

static void
collect(void *ud, const char *rec)
{
	(void)ud;
	strcat(seen, rec);
	strcat(seen, "|");
}

static char *
tmp_path(void)
{
	static char p[64];
	strcpy(p, "/tmp/wn-check-journal.XXXXXX");
	close(mkstemp(p));
	unlink(p);
	return p;
}

START_TEST(survives_reopen_in_order)
{
	char *p = tmp_path();
	struct journal *j = journal_open(p, 8, 3600, 1000);

	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(journal_add(j, "{\"a\":1}", 1000), 0);
	ck_assert_int_eq(journal_add(j, "{\"b\":2}", 1001), 0);
	ck_assert_int_eq(journal_add(j, "bad\nline", 1001), -1);
	ck_assert_int_eq(journal_sync(j), 0);   /* the burst's one fdatasync */
	ck_assert_int_eq(journal_sync(j), 0);   /* nothing new: a no-op */
	journal_close(j);
	j = journal_open(p, 8, 3600, 1002);
	seen[0] = '\0';
	ck_assert_uint_eq(journal_replay(j, collect, NULL), 2);
	ck_assert_str_eq(seen, "{\"a\":1}|{\"b\":2}|");
	journal_close(j);
	unlink(p);
}
END_TEST

START_TEST(bounded_and_compacted)
{
	char *p = tmp_path(), rec[32];
	struct journal *j = journal_open(p, 3, 3600, 1000);
	size_t len;
	char *file;

	for (int i = 0; i < 20 + JOURNAL_SLACK * 3; i++) {
		snprintf(rec, sizeof rec, "{\"n\":%d}", i);
		ck_assert_int_eq(journal_add(j, rec, 1000 + i), 0);
	}
	seen[0] = '\0';
	ck_assert_uint_eq(journal_replay(j, collect, NULL), 3);
	snprintf(rec, sizeof rec, "{\"n\":%d}|", 19 + JOURNAL_SLACK * 3);
	ck_assert_ptr_nonnull(strstr(seen, rec));   /* the newest three */
	ck_assert_uint_eq(strlen(seen), 3 * strlen(rec));
	file = state_read_file(p, 1 << 20, &len);
	int lines = 0;
	for (char *q = file; *q; q++)
		lines += *q == '\n';
	ck_assert_int_lt(lines, JOURNAL_SLACK * 3);	/* compacted at the slack */
	ck_assert_int_eq(journal_sync(j), 0);	/* the compacted file's name too */
	free(file);
	journal_close(j);
	unlink(p);
}
END_TEST

START_TEST(old_and_damaged_entries_dropped)
{
	char *p = tmp_path();
	FILE *f = fopen(p, "w");
	struct journal *j;

	fputs("100\t{\"old\":1}\n" "garbage\n" "5000\tnot-json\n" "5000\t{\"new\":1}\n" "5001\t{\"cut", f);
	fclose(f);
	j = journal_open(p, 8, 60, 5010);
	seen[0] = '\0';
	ck_assert_uint_eq(journal_replay(j, collect, NULL), 1);
	ck_assert_str_eq(seen, "{\"new\":1}|");
	journal_close(j);
	unlink(p);
}
END_TEST

CHECK_MAIN("journal", survives_reopen_in_order, bounded_and_compacted, old_and_damaged_entries_dropped)
