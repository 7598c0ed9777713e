/* ratelimit.h — Discord's rate limits on the client side, so that 429s
 * are the exception: per-target buckets paced from the X-RateLimit-*
 * headers, the global 50 requests/s, waits ordered by 429 answers
 * (retry_after, global, scope), exponential backoff with jitter for
 * 5xx and network errors, and a brake on invalid requests (Discord bans
 * an IP after 10,000 401/403/429 answers in 10 minutes).
 * Pure bookkeeping over a caller-supplied monotonic clock (seconds). */
#ifndef WN_RATELIMIT_H
#define WN_RATELIMIT_H

#include <stddef.h>

#define RL_MAX_TARGETS 16
#define RL_GLOBAL_DEFAULT 50
#define RL_COOLDOWN_NO_HEADERS 60.0   /* 429 without Retry-After (Cloudflare) */
#define RL_INVALID_WINDOW 600.0
#define RL_INVALID_BRAKE 1000         /* far below Discord's 10,000 */

/* What one response said about limits. */
struct rl_info {
	int has_remaining, has_reset_after, has_retry_after;
	long limit, remaining;
	double reset_after;      /* seconds */
	double retry_after;      /* seconds, from the 429 body or Retry-After */
	int global;              /* X-RateLimit-Global or "global":true */
	char scope[16];          /* "user", "global", "shared" or "" */
	char bucket[64];
};

struct ratelimit;

/* ratelimit.c */
struct ratelimit *rl_new(int global_per_sec);
void rl_free(struct ratelimit *rl);
/* Header block ("Name: value\r\n"...) into info (rate-limit fields only). */
void rl_parse_headers(const char *hdrs, size_t len, struct rl_info *info);
/* Earliest time a request to target may start (>= now when blocked). */
double rl_ready_at(struct ratelimit *rl, const char *target, double now);
/* A request to target was made; `now` should be when its answer came in,
 * which is never earlier than when Discord counted it. */
void rl_on_send(struct ratelimit *rl, const char *target, double now);
/* A non-429 answer arrived; status is the HTTP status. */
void rl_on_response(struct ratelimit *rl, const char *target, long status,
                    const struct rl_info *info, double now);
/* A 429 arrived: returns the seconds waited before the next try. */
double rl_on_429(struct ratelimit *rl, const char *target,
                 const struct rl_info *info, double now);
/* 5xx or network error: backs the target off; returns the delay. */
double rl_on_error(struct ratelimit *rl, const char *target, double now);
long rl_invalid_count(struct ratelimit *rl, double now);

#endif
