/* check_outbox_spool.c — the durable spool of accepted messages. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outbox_spool.h"
#include "state.h"
#include "check_main.h"

static char dir[256];

static void fresh_dir(void) { check_tmpdir(dir, sizeof dir, "check_outbox_spool"); }
static void cleanup(void) { check_rmdir(dir); }

static int
exists(const char *rel)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof p, "%s/%s", dir, rel);
	return stat(p, &st) == 0;
}

START_TEST(outbox_spool_add_list_read_remove)
{
	struct outbox_spool s;
	uint64_t seq[8], a, b, c;
	size_t len;

	fresh_dir();
	ck_assert_int_eq(outbox_spool_open(&s, dir), 0);
	ck_assert_int_eq(outbox_spool_add(&s, "{\"n\":1}", 7, &a), 0);
	ck_assert_int_eq(outbox_spool_add(&s, "{\"n\":2}", 7, &b), 0);
	ck_assert_int_eq(outbox_spool_add(&s, "{\"n\":3}", 7, &c), 0);
	ck_assert(a < b && b < c);
	ck_assert_int_eq(outbox_spool_list(&s, 0, seq, 8), 3);
	ck_assert(seq[0] == a && seq[1] == b && seq[2] == c);
	ck_assert_int_eq(outbox_spool_list(&s, a, seq, 1), 1);   /* paging */
	ck_assert(seq[0] == b);
	char *data = outbox_spool_read(&s, b, 1024, &len);
	ck_assert_ptr_nonnull(data);
	ck_assert_str_eq(data, "{\"n\":2}");
	free(data);
	ck_assert_int_eq(outbox_spool_remove(&s, b), 0);
	ck_assert_int_eq(outbox_spool_remove(&s, b), 0);   /* already gone is fine */
	ck_assert_int_eq(outbox_spool_list(&s, 0, seq, 8), 2);
	ck_assert(seq[0] == a && seq[1] == c);
	cleanup();
}
END_TEST

START_TEST(outbox_spool_survives_reopen_and_never_reuses_numbers)
{
	struct outbox_spool s, s2;
	uint64_t seq[8], a, b, c;
	char p[512];
	FILE *f;

	fresh_dir();
	ck_assert_int_eq(outbox_spool_open(&s, dir), 0);
	ck_assert_int_eq(outbox_spool_add(&s, "x", 1, &a), 0);
	ck_assert_int_eq(outbox_spool_add(&s, "y", 1, &b), 0);
	ck_assert_int_eq(outbox_spool_bury(&s, b, "400 Invalid Form Body"), 0);
	/* a crash inside state_atomic_write leaves a temp file: not a message */
	snprintf(p, sizeof p, "%s/spool/00000000000000000099.json.tmp.123", dir);
	ck_assert_ptr_nonnull(f = fopen(p, "w"));
	fclose(f);
	ck_assert_int_eq(outbox_spool_open(&s2, dir), 0);
	ck_assert_int_eq(outbox_spool_list(&s2, 0, seq, 8), 1);
	ck_assert(seq[0] == a);
	ck_assert(!exists("spool/00000000000000000099.json.tmp.123"));
	/* the dead letter keeps its number: the next is beyond it */
	ck_assert_int_eq(outbox_spool_add(&s2, "z", 1, &c), 0);
	ck_assert(c > b);
	cleanup();
}
END_TEST

START_TEST(outbox_spool_bury_keeps_message_and_reason)
{
	struct outbox_spool s;
	uint64_t a;
	char p[512];
	size_t len;

	fresh_dir();
	ck_assert_int_eq(outbox_spool_open(&s, dir), 0);
	ck_assert_int_eq(outbox_spool_add(&s, "{\"content\":\"hi\"}", 16, &a), 0);
	ck_assert_int_eq(outbox_spool_bury(&s, a, "webhook:main: 404 Unknown Webhook (10015)"), 0);
	snprintf(p, sizeof p, "%s/dead/%020llu.json", dir, (unsigned long long)a);
	char *m = state_read_file(p, 1024, &len);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m, "{\"content\":\"hi\"}");
	free(m);
	snprintf(p, sizeof p, "%s/dead/%020llu.err", dir, (unsigned long long)a);
	m = state_read_file(p, 1024, &len);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m, "webhook:main: 404 Unknown Webhook (10015)\n");
	free(m);
	ck_assert_ptr_null(outbox_spool_read(&s, a, 1024, &len));
	cleanup();
}
END_TEST

/* Lazy adds: the file is there at once (a crashed process loses
 * nothing); the spool remembers what is left to sync, forgets what was
 * removed, syncs by itself when that list is full, and before a burial. */
START_TEST(outbox_spool_lazy_add_then_sync)
{
	struct outbox_spool s, other;
	uint64_t seq[OUTBOX_SPOOL_LAZY_MAX + 8], a, b, x;
	size_t len;
	char p[512];

	fresh_dir();
	ck_assert_int_eq(outbox_spool_open(&s, dir), 0);
	ck_assert_int_eq(outbox_spool_add_lazy(&s, "{\"n\":1}", 7, &a), 0);
	ck_assert_int_eq(outbox_spool_add_lazy(&s, "{\"n\":2}", 7, &b), 0);
	ck_assert_uint_eq(s.n_unsynced, 2);
	ck_assert_int_eq(outbox_spool_open(&other, dir), 0);   /* another process sees them */
	ck_assert_int_eq(outbox_spool_list(&other, 0, seq, 8), 2);
	char *data = outbox_spool_read(&other, b, 1024, &len);
	ck_assert_str_eq(data, "{\"n\":2}");
	free(data);
	ck_assert_int_eq(outbox_spool_remove(&s, a), 0);
	ck_assert_uint_eq(s.n_unsynced, 1);             /* delivered: nothing to sync */
	ck_assert(s.unsynced[0] == b);
	snprintf(p, sizeof p, "%s/spool/%020llu.json", dir, (unsigned long long)b);
	ck_assert_int_eq(unlink(p), 0);                 /* gone meanwhile: not an error */
	ck_assert_int_eq(outbox_spool_sync(&s), 0);
	ck_assert_uint_eq(s.n_unsynced, 0);
	for (int i = 0; i < OUTBOX_SPOOL_LAZY_MAX; i++)
		ck_assert_int_eq(outbox_spool_add_lazy(&s, "{}", 2, &x), 0);
	ck_assert_uint_eq(s.n_unsynced, OUTBOX_SPOOL_LAZY_MAX);
	ck_assert_int_eq(outbox_spool_add_lazy(&s, "{}", 2, &x), 0);
	ck_assert_uint_eq(s.n_unsynced, 1);             /* the full list was synced */
	ck_assert_int_eq(outbox_spool_bury(&s, x, "refused"), 0);
	ck_assert_uint_eq(s.n_unsynced, 0);
	ck_assert_int_eq(outbox_spool_list(&s, 0, seq, OUTBOX_SPOOL_LAZY_MAX + 8), OUTBOX_SPOOL_LAZY_MAX);
	cleanup();
}
END_TEST

CHECK_MAIN("outbox_spool", outbox_spool_add_list_read_remove, outbox_spool_survives_reopen_and_never_reuses_numbers,
           outbox_spool_bury_keeps_message_and_reason, outbox_spool_lazy_add_then_sync)
