/* outbox_ratelimit.c — client-side pacing for Discord (see outbox_ratelimit.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "outbox_ratelimit.h"

/* Our clock and Discord's differ by the response's travel time; waiting a
 * little past the announced reset avoids a 429 at the exact boundary. */
#define RESET_MARGIN 0.010
#define BACKOFF_BASE 1.0
#define BACKOFF_MAX 60.0

struct target {
	char key[48];
	char bucket[64];
	long remaining;          /* -1: unknown */
	double reset_at;         /* when remaining refills */
	double blocked_until;    /* 429 or backoff */
	int fails;               /* consecutive 5xx/network errors */
};

struct outbox_ratelimit {
	struct target t[OUTBOX_RATELIMIT_MAX_TARGETS];
	int n;
	double *sent;            /* ring: start times of the last `per_sec` requests */
	int per_sec, head, count;
	double global_until;
	double invalid_since;
	long invalid;
	uint64_t rng;
};

struct outbox_ratelimit *
outbox_ratelimit_new(int global_per_sec)
{
	struct outbox_ratelimit *rl = calloc(1, sizeof *rl);

	if (!rl)
		return NULL;
	rl->per_sec = global_per_sec > 0 ? global_per_sec : OUTBOX_RATELIMIT_GLOBAL_DEFAULT;
	if (!(rl->sent = calloc((size_t)rl->per_sec, sizeof *rl->sent))) {
		free(rl);
		return NULL;
	}
	rl->rng = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15u;
	return rl;
}

void
outbox_ratelimit_free(struct outbox_ratelimit *rl)
{
	if (!rl)
		return;
	free(rl->sent);
	free(rl);
}

/* Uniform in [0, 1): xorshift64*, seeded per process, for jitter only. */
static double
jitter(struct outbox_ratelimit *rl)
{
	rl->rng ^= rl->rng >> 12;
	rl->rng ^= rl->rng << 25;
	rl->rng ^= rl->rng >> 27;
	return (double)((rl->rng * 2685821657736338717u) >> 11) / 9007199254740992.0;
}

static struct target *
find(struct outbox_ratelimit *rl, const char *key)
{
	for (int i = 0; i < rl->n; i++)
		if (strcmp(rl->t[i].key, key) == 0)
			return &rl->t[i];
	/* Targets come from the configuration (at most 12), so a full table
	 * means a bug; sharing the last slot errs on the slow side. */
	struct target *t = &rl->t[rl->n < OUTBOX_RATELIMIT_MAX_TARGETS ? rl->n++ : OUTBOX_RATELIMIT_MAX_TARGETS - 1];
	memset(t, 0, sizeof *t);
	snprintf(t->key, sizeof t->key, "%s", key);
	t->remaining = -1;
	return t;
}

static double
max2(double a, double b)
{
	return a > b ? a : b;
}

static double
global_ready(const struct outbox_ratelimit *rl, double now)
{
	double t = max2(now, rl->global_until);

	if (rl->count == rl->per_sec)   /* the oldest of the last N is at head */
		t = max2(t, rl->sent[rl->head] + 1.0);
	return t;
}

double
outbox_ratelimit_ready_at(struct outbox_ratelimit *rl, const char *key, double now)
{
	struct target *t = find(rl, key);
	double at = max2(global_ready(rl, now), t->blocked_until);

	if (t->remaining == 0 && t->reset_at > now)
		at = max2(at, t->reset_at);
	return at;
}

void
outbox_ratelimit_on_send(struct outbox_ratelimit *rl, const char *key, double now)
{
	struct target *t = find(rl, key);

	rl->sent[rl->head] = now;
	rl->head = (rl->head + 1) % rl->per_sec;
	if (rl->count < rl->per_sec)
		rl->count++;
	if (t->remaining > 0 && now >= t->reset_at)
		t->remaining = -1;       /* the window we knew about is over */
	else if (t->remaining > 0)
		t->remaining--;          /* until the answer tells us better */
}

static void
count_invalid(struct outbox_ratelimit *rl, double now)
{
	if (rl->invalid == 0 || now - rl->invalid_since > OUTBOX_RATELIMIT_INVALID_WINDOW) {
		rl->invalid_since = now;
		rl->invalid = 0;
	}
	if (++rl->invalid >= OUTBOX_RATELIMIT_INVALID_BRAKE)
		rl->global_until = max2(rl->global_until, rl->invalid_since + OUTBOX_RATELIMIT_INVALID_WINDOW);
}

long
outbox_ratelimit_invalid_count(struct outbox_ratelimit *rl, double now)
{
	return now - rl->invalid_since > OUTBOX_RATELIMIT_INVALID_WINDOW ? 0 : rl->invalid;
}

void
outbox_ratelimit_on_response(struct outbox_ratelimit *rl, const char *key, long status,
               const struct outbox_ratelimit_info *info, double now)
{
	struct target *t = find(rl, key);

	if (info->bucket[0] && strcmp(info->bucket, t->bucket) != 0)
		snprintf(t->bucket, sizeof t->bucket, "%s", info->bucket);
	if (info->has_remaining)
		t->remaining = info->remaining;
	if (info->has_reset_after)
		t->reset_at = now + info->reset_after + RESET_MARGIN;
	if (status == 401 || status == 403)
		count_invalid(rl, now);
	if (status >= 200 && status < 500)   /* an answer that is no server error */
		t->fails = 0;
}

double
outbox_ratelimit_on_429(struct outbox_ratelimit *rl, const char *key, const struct outbox_ratelimit_info *info, double now)
{
	struct target *t = find(rl, key);
	/* Without any hint this is most likely a Cloudflare ban: cool down. */
	double wait = info->has_retry_after && info->retry_after >= 0 ?
	              info->retry_after + RESET_MARGIN : OUTBOX_RATELIMIT_COOLDOWN_NO_HEADERS;

	if (strcmp(info->scope, "shared") != 0)
		count_invalid(rl, now);
	/* A ban by address (no hint at all) holds for every route alike. */
	if (info->global || strcmp(info->scope, "global") == 0 || !info->has_retry_after) {
		rl->global_until = max2(rl->global_until, now + wait);
	} else {
		t->blocked_until = max2(t->blocked_until, now + wait);
		t->remaining = 0;
		t->reset_at = max2(t->reset_at, now + wait);
	}
	return wait;
}

double
outbox_ratelimit_on_error(struct outbox_ratelimit *rl, const char *key, double now)
{
	struct target *t = find(rl, key);
	double d = BACKOFF_BASE;

	for (int i = 0; i < t->fails && d < BACKOFF_MAX; i++)
		d *= 2;
	if (t->fails < 30)
		t->fails++;
	d = (d > BACKOFF_MAX ? BACKOFF_MAX : d) * (1.0 + 0.3 * jitter(rl));
	t->blocked_until = max2(t->blocked_until, now + d);
	return d;
}

/* Value of header `name` in the block, trimmed, into buf; NULL if absent. */
static const char *
header(const char *h, size_t len, const char *name, char *buf, size_t size)
{
	size_t nl = strlen(name);
	const char *end = h + len, *p = h;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;

		if ((size_t)(le - p) > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
			const char *v = p + nl + 1;
			while (v < le && (*v == ' ' || *v == '\t'))
				v++;
			size_t n = (size_t)(le - v);
			while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == ' '))
				n--;
			if (n >= size)
				n = size - 1;
			memcpy(buf, v, n);
			buf[n] = '\0';
			return buf;
		}
		p = le + 1;
	}
	return NULL;
}

/* A finite, non-negative number, or -1. */
static double
number(const char *s)
{
	char *e;
	double d = strtod(s, &e);

	return e != s && *e == '\0' && d >= 0 && d < 1e9 ? d : -1;
}

void
outbox_ratelimit_parse_headers(const char *h, size_t len, struct outbox_ratelimit_info *info)
{
	char v[64];
	double d;

	memset(info, 0, sizeof *info);
	if (!h)
		return;
	if (header(h, len, "X-RateLimit-Limit", v, sizeof v) && (d = number(v)) >= 0)
		info->limit = (long)d;
	if (header(h, len, "X-RateLimit-Remaining", v, sizeof v) && (d = number(v)) >= 0) {
		info->has_remaining = 1;
		info->remaining = (long)d;
	}
	if (header(h, len, "X-RateLimit-Reset-After", v, sizeof v) && (d = number(v)) >= 0) {
		info->has_reset_after = 1;
		info->reset_after = d;
	}
	if (header(h, len, "Retry-After", v, sizeof v) && (d = number(v)) >= 0) {
		info->has_retry_after = 1;
		info->retry_after = d;
	}
	if (header(h, len, "X-RateLimit-Global", v, sizeof v))
		info->global = strcasecmp(v, "true") == 0;
	header(h, len, "X-RateLimit-Scope", info->scope, sizeof info->scope);
	header(h, len, "X-RateLimit-Bucket", info->bucket, sizeof info->bucket);
}
