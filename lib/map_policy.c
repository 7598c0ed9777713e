/* map_policy.c — verdicts on ended streams and the backoff (see map_policy.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "map_policy.h"

static void
http_why(const struct sse_result *r, char *why, size_t whylen)
{
	snprintf(why, whylen, "HTTP %ld%s%s", r->status, r->body[0] ? " " : "", r->body);
	why[strcspn(why, "\r\n")] = '\0';
	log_redact(why, whylen);
}

enum map_policy_verdict
map_policy_verdict(const struct sse_result *r, int connected, char *why, size_t whylen)
{
	if (r->stream) {
		/* 200 and closed before `connected`: how the server refuses a
		 * connection over its limits (§1.8) — a failure like any other */
		snprintf(why, whylen, "%s", connected
		         ? (r->transport_error ? r->error : "stream ended")
		         : "stream closed before its connected event (connection limit?)");
		return MAP_RETRY;
	}
	if (r->status == 0) {
		snprintf(why, whylen, "%s", r->error[0] ? r->error : "no response");
		return MAP_RETRY;
	}
	http_why(r, why, whylen);
	switch (r->status) {
	case 401: return MAP_BAD_KEY;
	case 404: return MAP_NOT_FOUND;
	case 503: return MAP_POLL;
	case 403: return strstr(r->body, "SSE_DISABLED_FOR_MAP") ? MAP_POLL : MAP_RETRY_SLOW;
	case 402: case 429: return MAP_RETRY_SLOW;
	default: return MAP_RETRY;
	}
}

double
map_policy_backoff(double min, double max, int attempt, double u, double at_least)
{
	double d = min * pow(2, attempt < 0 ? 0 : attempt < 30 ? attempt : 30);

	if (d > max)
		d = max;
	d += d * 0.4 * (u < 0 ? 0 : u > 1 ? 1 : u);   /* jitter: no thundering herd */
	return d < at_least ? at_least : d;
}
