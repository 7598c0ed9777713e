/* janice.h — a client for Janice (janice.e-351.com), the EVE item
 * appraisal service Wanderer Notifier prices dropped items with: one
 * POST /api/rest/v2/appraisal per batch of item lines ("Name qty", text
 * body), Jita immediate buy prices back.
 *
 * It keeps Janice's limit (10 requests a second), waits out a 429's
 * Retry-After, retries 5xx and network errors a few times, and never
 * waits past the caller's deadline; after a failure it stays "down" for
 * a while so the next batches fail at once instead of waiting again.
 * The API key goes only into the X-ApiKey header: never into a URL, a
 * log line or an error message. */
#ifndef WN_JANICE_H
#define WN_JANICE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#define JANICE_DEFAULT_URL "https://janice.e-351.com"
#define JANICE_APPRAISAL "/api/rest/v2/appraisal?compactize=true&designation=appraisal" \
	"&market=2&persist=true&pricePercentage=1&pricing=buy&pricingVariant=immediate"
#define JANICE_LINES_MAX 500       /* item lines per request */
#define JANICE_TIMEOUT_MS 5000     /* HTTP_JANICE_TIMEOUT in Wanderer Notifier */
#define JANICE_INTERVAL 0.1        /* 10 requests a second */

struct janice_config {
	const char *base_url;          /* no trailing slash */
	const char *token;             /* X-ApiKey */
	const char *user_agent;
	long timeout_ms;               /* one request */
	double min_interval;           /* seconds between requests */
	volatile sig_atomic_t *stop;   /* set by a signal: stop waiting */
};

struct janice_counters {
	long long requests, errors, limited_429, retries;
};

/* One item to price. */
struct janice_line {
	int64_t type_id;
	const char *name;
	long long quantity;
	double unit_price;             /* out: ISK per unit; < 0 when not priced */
};

struct janice;

/* janice.c */
struct janice *janice_new(const struct janice_config *cfg);
void janice_free(struct janice *j);
const struct janice_counters *janice_counters(const struct janice *j);
/* Prices lines[0..n) (unit_price of each line Janice knows), in requests
 * of at most JANICE_LINES_MAX lines.  0 when every request was answered,
 * else -1 with a one-line reason in err (lines of answered requests keep
 * their prices).  Never waits past deadline (monotonic seconds). */
int janice_appraise(struct janice *j, struct janice_line *lines, size_t n,
                    double deadline, char *err, size_t errlen);

/* --- pure parts, exposed for tests --- */
/* The request body: "Name qty\n" per line (control characters in a name
 * become spaces: one item per line).  Caller frees; NULL when out of
 * memory. */
char *janice_body(const struct janice_line *lines, size_t n, size_t *len);
/* An appraisal answer: for each items[] entry, immediatePrices.buyPrice
 * becomes the unit_price of the lines whose type_id is itemType.eid (an
 * entry without eid: whose name is itemType.name, ignoring case).
 * Returns how many lines got a price, or -1 with a reason in err when
 * the body is not an appraisal (not JSON, no items array). */
int janice_parse(const char *body, size_t len, struct janice_line *lines, size_t n,
                 char *err, size_t errlen);
/* Retry-After (delta seconds; an HTTP date is not used by Janice) from a
 * header value, else dflt; bounded to [0, 3600]. */
double janice_retry_after(const char *value, double dflt);

#endif
