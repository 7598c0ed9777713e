/* map_policy.h — what wn-mapsse does when a map stream ends or is refused
 * (wanderer-map spec §1.2, §1.8, §6), and how long it waits: pure
 * functions, so the table is unit-tested without a server. */
#ifndef WN_MAP_POLICY_H
#define WN_MAP_POLICY_H

#include <stddef.h>
#include "sse_client.h"

enum map_policy_verdict {
	MAP_RETRY,          /* back off, then reconnect */
	MAP_RETRY_SLOW,     /* the same, but wait a minute at least */
	MAP_POLL,           /* SSE disabled (503, 403 SSE_DISABLED_FOR_MAP): poll REST */
	MAP_BAD_KEY,        /* 401: exit 100 */
	MAP_NOT_FOUND,      /* 404: exit 100 */
};

#define MAP_SLOW_SECONDS 60.0

/* map_policy.c */
/* connected: the stream delivered its `connected` event.  why gets one
 * line for the log (status, the body's error and code, curl's reason). */
enum map_policy_verdict map_policy_verdict(const struct sse_result *r, int connected,
                             char *why, size_t whylen);
/* Delay before attempt number `attempt` (0 first): min·2^attempt capped at
 * max, plus jitter u·40% (u in [0,1]), and never below at_least. */
double map_policy_backoff(double min, double max, int attempt, double u, double at_least);

#endif
