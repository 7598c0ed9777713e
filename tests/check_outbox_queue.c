/* check_outbox_queue.c — the output queue: whole records in order, partial
 * writes resumed, the watermark, every record reported once. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outbox_queue.h"
#include "check_main.h"

static long long tags[64];
static int ntags;

static void
done(void *ud, long long tag)
{
	(void)ud;
	tags[ntags++] = tag;
}

static char *
rec(int i, size_t size)
{
	char *b = malloc(size);

	memset(b, 'a' + i % 26, size - 1);
	b[size - 1] = '\n';
	return b;
}

START_TEST(in_order_through_a_full_pipe)
{
	struct outbox_queue *q = outbox_queue_new(4, 1 << 20);
	int p[2];
	char buf[1 << 16];
	size_t total = 0, want = 0;
	ssize_t n;

	ntags = 0;
	ck_assert_int_eq(pipe(p), 0);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	for (int i = 0; i < 6; i++) {
		ck_assert_int_eq(outbox_queue_push(q, rec(i, 40000), 40000, 100 + i), 0);
		want += 40000;
	}
	ck_assert(outbox_queue_full(q));                   /* past 4 records */
	/* the pipe takes 64 KiB at a time: records go out in pieces */
	while (total < want) {
		ck_assert_int_eq(outbox_queue_write(q, p[1], done, NULL), 0);
		while ((n = read(p[0], buf, sizeof buf)) > 0) {
			for (ssize_t j = 0; j < n; j++)
				ck_assert_int_eq(buf[j], (total + (size_t)j) % 40000 == 39999 ? '\n'
				                 : 'a' + (int)((total + (size_t)j) / 40000));
			total += (size_t)n;
		}
	}
	ck_assert_int_eq(ntags, 6);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(tags[i], 100 + i);
	ck_assert_uint_eq(outbox_queue_count(q), 0);
	ck_assert(!outbox_queue_full(q));
	close(p[0]);
	close(p[1]);
	outbox_queue_free(q);
}
END_TEST

START_TEST(byte_watermark_and_hard_limit)
{
	struct outbox_queue *q = outbox_queue_new(2, 100);
	int pushed = 0;

	ck_assert_int_eq(outbox_queue_push(q, rec(0, 150), 150, 1), 0);
	ck_assert(outbox_queue_full(q));                   /* bytes over the mark */
	for (;;) {
		char *r = rec(1, 10);
		if (outbox_queue_push(q, r, 10, 2) < 0) {
			free(r);                   /* refused: still the caller's */
			break;
		}
		pushed++;
	}
	ck_assert_int_gt(pushed, 2);               /* room above the mark */
	ck_assert_int_lt(pushed, 100);             /* but a hard end */
	outbox_queue_free(q);                              /* frees what is queued */
}
END_TEST

START_TEST(write_error_reported)
{
	struct outbox_queue *q = outbox_queue_new(2, 100);
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	outbox_queue_push(q, rec(0, 10), 10, 1);
	ck_assert_int_eq(outbox_queue_write(q, p[1], NULL, NULL), -1);
	ck_assert_uint_eq(outbox_queue_count(q), 1);       /* nothing claimed written */
	close(p[1]);
	outbox_queue_free(q);
}
END_TEST

/* Full since the first call that saw it full; 0 again once it drains. */
START_TEST(blocked_time)
{
	struct outbox_queue *q = outbox_queue_new(1, 1000);
	int p[2];

	ck_assert_int_eq(outbox_queue_blocked_ms(q, 500), 0);
	outbox_queue_push(q, rec(0, 10), 10, 1);
	ck_assert(outbox_queue_full(q));
	ck_assert_int_eq(outbox_queue_blocked_ms(q, 1000), 0);
	ck_assert_int_eq(outbox_queue_blocked_ms(q, 4000), 3000);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(outbox_queue_write(q, p[1], NULL, NULL), 0);
	ck_assert_uint_eq(outbox_queue_count(q), 0);
	ck_assert_int_eq(outbox_queue_blocked_ms(q, 9000), 0);
	outbox_queue_push(q, rec(1, 10), 10, 2);
	ck_assert_int_eq(outbox_queue_blocked_ms(q, 9500), 0);     /* a fresh start */
	ck_assert_int_eq(outbox_queue_blocked_ms(q, 9600), 100);
	close(p[0]);
	close(p[1]);
	outbox_queue_free(q);
}
END_TEST

CHECK_MAIN("outbox_queue", in_order_through_a_full_pipe, byte_watermark_and_hard_limit,
           write_error_reported, blocked_time)
