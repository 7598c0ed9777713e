/* outbox_ratelimit.h — Discord's rate limits on the client side, so that 429s
 * are the exception: per-target buckets paced from the X-RateLimit-*
 * headers, the global 50 requests/s, waits ordered by 429 answers
 * (retry_after, global, scope), exponential backoff with jitter for
 * 5xx and network errors, and a brake on invalid requests (Discord bans
 * an IP after 10,000 401/403/429 answers in 10 minutes).
 * Pure bookkeeping over a caller-supplied monotonic clock (seconds). */
#ifndef WN_OUTBOX_RATELIMIT_H
#define WN_OUTBOX_RATELIMIT_H

#include <stddef.h>

#define OUTBOX_RATELIMIT_MAX_TARGETS 16
#define OUTBOX_RATELIMIT_GLOBAL_DEFAULT 50
#define OUTBOX_RATELIMIT_COOLDOWN_NO_HEADERS 60.0   /* 429 without Retry-After (Cloudflare) */
#define OUTBOX_RATELIMIT_INVALID_WINDOW 600.0
#define OUTBOX_RATELIMIT_INVALID_BRAKE 1000         /* far below Discord's 10,000 */

/* What one response said about limits. */
struct outbox_ratelimit_info {
	int has_remaining, has_reset_after, has_retry_after;
	long limit, remaining;
	double reset_after;      /* seconds */
	double retry_after;      /* seconds, from the 429 body or Retry-After */
	int global;              /* X-RateLimit-Global or "global":true */
	char scope[16];          /* "user", "global", "shared" or "" */
	char bucket[64];
};

struct outbox_ratelimit;

/* outbox_ratelimit.c */
struct outbox_ratelimit *outbox_ratelimit_new(int global_per_sec);
void outbox_ratelimit_free(struct outbox_ratelimit *rl);
/* Header block ("Name: value\r\n"...) into info (rate-limit fields only). */
void outbox_ratelimit_parse_headers(const char *hdrs, size_t len, struct outbox_ratelimit_info *info);
/* Earliest time a request to target may start (>= now when blocked). */
double outbox_ratelimit_ready_at(struct outbox_ratelimit *rl, const char *target, double now);
/* A request to target was made; `now` should be when its answer came in,
 * which is never earlier than when Discord counted it. */
void outbox_ratelimit_on_send(struct outbox_ratelimit *rl, const char *target, double now);
/* A non-429 answer arrived; status is the HTTP status. */
void outbox_ratelimit_on_response(struct outbox_ratelimit *rl, const char *target, long status,
                    const struct outbox_ratelimit_info *info, double now);
/* A 429 arrived: returns the seconds waited before the next try. */
double outbox_ratelimit_on_429(struct outbox_ratelimit *rl, const char *target,
                 const struct outbox_ratelimit_info *info, double now);
/* 5xx or network error: backs the target off; returns the delay. */
double outbox_ratelimit_on_error(struct outbox_ratelimit *rl, const char *target, double now);
long outbox_ratelimit_invalid_count(struct outbox_ratelimit *rl, double now);

#endif
