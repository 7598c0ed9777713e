/* r2z2.c — the R2Z2 sequence follower. */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "r2z2.h"
#include "state.h"
#include "numconv.h"

#define BACKOFF_MAX_MS 60000
#define ERRORS_RESTART 25   /* then start again from sequence.json */

void
r2z2_init(struct r2z2 *r, const char *base, long long interval_ms, long long poll_ms)
{
	size_t n;

	memset(r, 0, sizeof *r);
	snprintf(r->base, sizeof r->base, "%s", base);
	n = strlen(r->base);
	while (n && r->base[n - 1] == '/')
		r->base[--n] = 0;
	r->seq = r->head = r->fetching = -1;
	r->gap_max = 3;
	r->interval_ms = interval_ms;
	r->poll_ms = poll_ms;
}

void
r2z2_next_url(struct r2z2 *r, char *buf, size_t size)
{
	if (r->nrefetch) {
		r->fetching = r->refetch[0];
		snprintf(buf, size, "%s/%lld.json", r->base, r->fetching);
	} else if (r->seq < 0 || r->want_head) {
		r->fetching = -1;
		snprintf(buf, size, "%s/sequence.json", r->base);
	} else {
		r->fetching = r->seq;
		snprintf(buf, size, "%s/%lld.json", r->base, r->seq);
	}
}

static long long
backoff(struct r2z2 *r)
{
	long long d = 1000;

	for (int i = 1; i < r->errors && d < BACKOFF_MAX_MS; i++)
		d *= 2;
	d += rand() % (d / 4 + 1);
	return d > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : d;
}

static void
queue_refetch(struct r2z2 *r, const cJSON *f, long long n)
{
	int64_t upd;
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(f, "sequence_updated");

	/* Some writers put a bool here: only a number names a sequence. */
	if (!cJSON_IsNumber(u) || !json_int64(u, &upd) || upd <= 0 || upd >= n)
		return;
	for (int i = 0; i < r->nrefetch; i++)
		if (r->refetch[i] == upd)
			return;
	if (r->nrefetch < R2Z2_REFETCH_MAX)
		r->refetch[r->nrefetch++] = upd;
}

static void
refetch_done(struct r2z2 *r)
{
	memmove(r->refetch, r->refetch + 1, (size_t)(--r->nrefetch) * sizeof *r->refetch);
}

static enum r2z2_result
on_sequence(struct r2z2 *r, const char *body, size_t len, long long *delay_ms,
            char *err, size_t errlen)
{
	cJSON *j = json_parse(body, len, err, errlen);
	int64_t v;

	if (!j || !json_int64(cJSON_GetObjectItemCaseSensitive(j, "sequence"), &v) || v < 0) {
		if (j)
			snprintf(err, errlen, "sequence.json without a \"sequence\" number");
		cJSON_Delete(j);
		r->errors++;
		*delay_ms = backoff(r);
		return R2Z2_FAILED;
	}
	cJSON_Delete(j);
	r->head = v;
	r->want_head = 0;
	if (r->seq < 0)
		r->seq = v;
	*delay_ms = r->interval_ms;
	return R2Z2_NOTHING;
}

static enum r2z2_result
on_404(struct r2z2 *r, long long *delay_ms, char *err, size_t errlen)
{
	if (r->nrefetch) {      /* an updated file that expired: nothing to redo */
		refetch_done(r);
		*delay_ms = r->interval_ms;
		return R2Z2_NOTHING;
	}
	/* Below the published head it is a gap, not the future. */
	if (r->head > r->seq && ++r->gap_tries >= r->gap_max) {
		snprintf(err, errlen, "sequence %lld missing below the head %lld: skipped",
		         r->seq, r->head);
		r->seq++;
		r->gap_tries = 0;
		*delay_ms = r->interval_ms;
		return R2Z2_SKIPPED;
	}
	r->want_head = 1;
	*delay_ms = r->head > r->seq ? r->interval_ms : r->poll_ms;
	return R2Z2_NOTHING;
}

enum r2z2_result
r2z2_on_response(struct r2z2 *r, long status, const char *body, size_t len,
                 long retry_after_s, cJSON **kill, long long *seq_out,
                 long long *delay_ms, char *err, size_t errlen)
{
	long long n = r->fetching;

	*kill = NULL;
	if (status == 200 && n < 0)
		return on_sequence(r, body, len, delay_ms, err, errlen);
	if (status == 404 && n >= 0)
		return on_404(r, delay_ms, err, errlen);
	if (status != 200) {
		r->errors++;
		if (status == 0)
			;                        /* err already set by the caller */
		else
			snprintf(err, errlen, "HTTP %ld from R2Z2", status);
		/* clamped here too: whatever a caller parsed, the wait stays sane */
		*delay_ms = status == 429 && retry_after_s >= 0 ?
		    (retry_after_s > NUM_RETRY_AFTER_MAX ? NUM_RETRY_AFTER_MAX : retry_after_s) * 1000LL :
		    backoff(r);
		if (r->errors > ERRORS_RESTART) {
			r->seq = -1;             /* what zKillboard's own reader does */
			r->errors = 0;
		}
		return R2Z2_FAILED;
	}
	r->errors = 0;
	*kill = json_parse(body, len, err, errlen);
	*delay_ms = r->interval_ms;
	if (r->nrefetch && n == r->refetch[0])
		refetch_done(r);
	else {
		r->seq = n + 1;
		r->gap_tries = 0;
	}
	*seq_out = n;
	if (!*kill || !cJSON_IsObject(*kill)) {
		char why[200];
		snprintf(why, sizeof why, "%s", *kill ? "not a JSON object" : err);
		snprintf(err, errlen, "sequence %lld: %s", n, why);
		cJSON_Delete(*kill);
		*kill = NULL;
		return R2Z2_BAD;            /* published but unreadable: count, go on */
	}
	queue_refetch(r, *kill, n);
	return R2Z2_KILL;
}

long long
r2z2_load_cursor(void)
{
	char path[PATH_MAX], *buf, *end;
	size_t len;
	long long v;

	if (state_path(path, sizeof path, "r2z2.seq") < 0 || !(buf = state_read_file(path, 64, &len)))
		return -1;
	v = strtoll(buf, &end, 10);
	if (end == buf || v < 0)
		v = -1;
	free(buf);
	return v;
}

int
r2z2_save_cursor(long long next)
{
	char path[PATH_MAX], buf[32];
	int n = snprintf(buf, sizeof buf, "%lld\n", next);

	if (state_path(path, sizeof path, "r2z2.seq") < 0)
		return -1;
	return state_atomic_write(path, buf, (size_t)n);
}
