/* check_wset.c — the written-id set of wn-kills (lib/wset.c): the FIFO
 * keeps the output's order, the ring forgets the oldest, the hash table
 * stays right through many removals, and the file survives a restart,
 * a compaction and a last line cut short. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"
#include "wset.h"
#include "check_main.h"

START_TEST(queue_then_written_in_order)
{
	struct wset s;

	ck_assert_int_eq(wset_init(&s, 100, 4), 0);
	ck_assert_int_eq(wset_queue(&s, 11), 0);
	ck_assert_int_eq(wset_queue(&s, 12), 0);
	ck_assert_int_eq(wset_queue(&s, 11), -1);     /* already queued */
	ck_assert_int_eq(wset_queue(&s, 0), -1);
	ck_assert_int_eq(wset_queue(&s, -5), -1);
	ck_assert(wset_has(&s, 11) && wset_has(&s, 12) && !wset_has(&s, 13));
	ck_assert_int_eq(wset_written(&s, 1000), 11);
	ck_assert_int_eq(wset_written(&s, 1000), 12);
	ck_assert_int_eq(wset_written(&s, 1000), 0);        /* nothing queued */
	ck_assert(wset_has(&s, 11) && wset_has(&s, 12));
	ck_assert_int_eq(wset_queue(&s, 12), -1);     /* already written */
	ck_assert_int_eq(wset_queue(&s, 13), 0);
	ck_assert_int_eq(wset_queue(&s, 14), 0);
	ck_assert_int_eq(wset_queue(&s, 15), 0);
	ck_assert_int_eq(wset_queue(&s, 16), 0);
	ck_assert_int_eq(wset_queue(&s, 17), -1);     /* the FIFO is full */
	wset_free(&s);
}
END_TEST

/* Against a plain array: ids come and go (ring of 50) many times. */
START_TEST(ring_forgets_oldest_table_stays_right)
{
	struct wset s;
	int64_t id;

	ck_assert_int_eq(wset_init(&s, 50, 8), 0);
	srand(7);
	for (int64_t i = 1; i <= 20000; i++) {
		id = i * 64 + (rand() % 64);      /* ids that collide in the table */
		ck_assert_int_eq(wset_queue(&s, id), 0);
		ck_assert_int_eq(wset_written(&s, 1000), id);
		if (i > 60) {
			/* the last 50 are known, the 51st before is forgotten */
			for (int64_t k = i - 49; k <= i; k++) {
				int found = 0;
				for (int j = 0; j < 64; j++)
					found += wset_has(&s, k * 64 + j);
				ck_assert_int_eq(found, 1);
			}
			for (int j = 0; j < 64; j++)
				ck_assert(!wset_has(&s, (i - 50) * 64 + j));
		}
		if (i % 1000 == 0)
			ck_assert_uint_eq(s.ring_n, 50);
	}
	wset_free(&s);
}
END_TEST

static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(file_survives_restart_and_compacts)
{
	char dir[256], path[512], *buf;
	struct wset s;
	size_t bad, len, lines = 0;

	check_tmpdir(dir, sizeof dir, "wset");
	snprintf(path, sizeof path, "%s/kills.written", dir);
	ck_assert_int_eq(wset_init(&s, 10, 4), 0);
	ck_assert_int_eq(wset_load(&s, path, 0, &bad), 0);  /* missing: empty */
	for (int64_t i = 1; i <= 15; i++) {
		wset_queue(&s, 100 + i);
		wset_written(&s, 1000);
		ck_assert_int_eq(wset_save(&s), 0);
	}
	wset_queue(&s, 999);                             /* queued, never written */
	wset_free(&s);
	ck_assert_int_eq(wset_init(&s, 10, 4), 0);
	ck_assert_int_eq(wset_load(&s, path, 0, &bad), 0);
	ck_assert_uint_eq(bad, 0);
	for (int64_t i = 6; i <= 15; i++)
		ck_assert(wset_has(&s, 100 + i));
	ck_assert(!wset_has(&s, 105));                   /* beyond the bound */
	ck_assert(!wset_has(&s, 999));
	for (int64_t i = 16; i <= 30; i++) {
		wset_queue(&s, 100 + i);
		wset_written(&s, 1000);
		ck_assert_int_eq(wset_save(&s), 0);
	}
	buf = state_read_file(path, 1 << 20, &len);
	ck_assert_ptr_nonnull(buf);
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	free(buf);
	ck_assert_uint_le(lines, 20);                    /* compacted: at most 2 x max */
	wset_free(&s);
	ck_assert_int_eq(wset_init(&s, 10, 4), 0);
	ck_assert_int_eq(wset_load(&s, path, 0, &bad), 0);
	for (int64_t i = 21; i <= 30; i++)
		ck_assert(wset_has(&s, 100 + i));
	wset_free(&s);
	/* bad lines counted and skipped; a last line cut short still counts */
	write_text(path, "5 100\nabc\n-3 100\n9\n\n12345678901234567890 100\n7 100\n8 100");
	ck_assert_int_eq(wset_init(&s, 10, 4), 0);
	ck_assert_int_eq(wset_load(&s, path, 0, &bad), 0);
	ck_assert_uint_eq(bad, 4);
	ck_assert(wset_has(&s, 5) && wset_has(&s, 7) && wset_has(&s, 8));
	wset_free(&s);
	check_rmdir(dir);
}
END_TEST

/* The last seconds of the previous run are not trusted: those kills may
 * not have got through the stages after wn-kills. */
START_TEST(last_seconds_forgotten_on_load)
{
	char dir[256], path[512];
	struct wset s;
	size_t bad;

	check_tmpdir(dir, sizeof dir, "wset");
	snprintf(path, sizeof path, "%s/kills.written", dir);
	ck_assert_int_eq(wset_init(&s, 100, 4), 0);
	ck_assert_int_eq(wset_load(&s, path, 0, &bad), 0);
	for (int64_t i = 0; i <= 15; i++) {
		wset_queue(&s, 500 + i);
		ck_assert_int_eq(wset_written(&s, 1000 + i), 500 + i);
	}
	ck_assert_int_eq(wset_save(&s), 0);
	wset_free(&s);
	ck_assert_int_eq(wset_init(&s, 100, 4), 0);
	ck_assert_int_eq(wset_load(&s, path, 5, &bad), 0);
	ck_assert_uint_eq(s.forgotten, 5);
	ck_assert(wset_has(&s, 510));
	for (int64_t i = 11; i <= 15; i++)
		ck_assert(!wset_has(&s, 500 + i));
	wset_free(&s);
	check_rmdir(dir);
}
END_TEST

CHECK_MAIN("wset", last_seconds_forgotten_on_load, queue_then_written_in_order, ring_forgets_oldest_table_stays_right,
           file_survives_restart_and_compacts)
