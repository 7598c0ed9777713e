/* janice.c — item prices from Janice: the request body, the answer
 * parser, and the request loop that keeps Janice's limits and the
 * caller's deadline. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http.h"
#include "janice.h"
#include "json.h"
#include "log.h"
#include "wn.h"

#define MAX_BODY (8u << 20)        /* an answer for 500 lines is ~1 MB */
#define ATTEMPTS 3                 /* HTTP_JANICE_RETRY_COUNT */
#define RETRY_DELAY 0.5            /* doubled each time */
#define DOWN_ERROR 10.0            /* no request for this long after a failure, */
#define DOWN_MAX 300.0             /* doubling while failures follow each other */
#define DOWN_AUTH 300.0            /* ... after 401/403: a key does not fix itself */
#define MIN_TIMEOUT_MS 200         /* less than this left: do not start */

struct janice {
	struct janice_config cfg;
	struct http_client *http;      /* full timeout, kept alive */
	struct janice_counters n;
	char url[1024];
	char key_header[600];
	double next_at;                /* no request before (rate, Retry-After) */
	double down_until;
	int fails;                     /* failed appraisals in a row */
	char down_why[160];
};

/* --- pure parts --- */

char *
janice_body(const struct janice_line *lines, size_t n, size_t *len)
{
	size_t cap = 1, off = 0;
	char *buf;

	for (size_t i = 0; i < n; i++)
		cap += strlen(lines[i].name) + 24;
	if (!(buf = malloc(cap)))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t start = off;
		off += (size_t)snprintf(buf + off, cap - off, "%s %lld\n", lines[i].name,
		                        lines[i].quantity);
		for (size_t k = start; k < off - 1; k++)
			if ((unsigned char)buf[k] < 0x20 || buf[k] == 0x7f)
				buf[k] = ' ';
	}
	buf[off] = '\0';
	*len = off;
	return buf;
}

static int
price_of(const cJSON *item, double *out)
{
	const cJSON *p = json_get(json_get(item, "immediatePrices"), "buyPrice");

	if (!cJSON_IsNumber(p) || !isfinite(p->valuedouble) || p->valuedouble < 0)
		return 0;
	*out = p->valuedouble;
	return 1;
}

/* Prices the lines this answer entry names; how many. */
static int
apply(const cJSON *item, struct janice_line *lines, size_t n)
{
	const cJSON *type = json_get(item, "itemType");
	int64_t eid = 0;
	const char *name = json_str(type, "name");
	double price;
	int priced = 0;

	if (!cJSON_IsObject(item) || !price_of(item, &price))
		return 0;
	if (!json_int64(json_get(type, "eid"), &eid) || eid <= 0)
		eid = 0;
	for (size_t i = 0; i < n; i++) {
		int hit = eid ? lines[i].type_id == eid
		    : name && lines[i].name && strcasecmp(lines[i].name, name) == 0;
		if (hit) {
			lines[i].unit_price = price;
			priced++;
		}
	}
	return priced;
}

int
janice_parse(const char *body, size_t len, struct janice_line *lines, size_t n,
             char *err, size_t errlen)
{
	char why[128];
	cJSON *root = json_parse(body, len, why, sizeof why), *items, *it;
	int priced = 0;

	if (!root) {
		snprintf(err, errlen, "answer is not JSON: %s", why);
		return -1;
	}
	items = json_get(root, "items");
	if (!cJSON_IsObject(root) || !cJSON_IsArray(items)) {
		snprintf(err, errlen, "answer is not an appraisal (no items array)");
		cJSON_Delete(root);
		return -1;
	}
	cJSON_ArrayForEach(it, items)
		priced += apply(it, lines, n);
	cJSON_Delete(root);
	return priced;
}

double
janice_retry_after(const char *value, double dflt)
{
	char *end;
	double s;

	if (!value || !*value)
		return dflt;
	s = strtod(value, &end);
	if (end == value || *end || !isfinite(s))
		return dflt;
	return s < 0 ? 0 : s > 3600 ? 3600 : s;
}

/* --- the client --- */

struct janice *
janice_new(const struct janice_config *cfg)
{
	struct janice *j = calloc(1, sizeof *j);

	if (!j)
		return NULL;
	j->cfg = *cfg;
	snprintf(j->url, sizeof j->url, "%s%s", cfg->base_url, JANICE_APPRAISAL);
	snprintf(j->key_header, sizeof j->key_header, "X-ApiKey: %s", cfg->token);
	if (!(j->http = http_client_new(cfg->user_agent, cfg->timeout_ms, MAX_BODY))) {
		free(j);
		return NULL;
	}
	return j;
}

void
janice_free(struct janice *j)
{
	if (!j)
		return;
	http_client_free(j->http);
	/* the key should not linger in freed memory */
	memset(j->key_header, 0, sizeof j->key_header);
	free(j);
}

const struct janice_counters *
janice_counters(const struct janice *j)
{
	return &j->n;
}

static int
stopping(const struct janice *j)
{
	return j->cfg.stop && *j->cfg.stop;
}

/* One request; its status (0: no answer) with the answer in r. */
static long
post(struct janice *j, const char *body, size_t len, double deadline,
     struct http_response *r, char *err, size_t errlen)
{
	const char *hdrs[] = { "Content-Type: text/plain", "Accept: application/json",
	                       j->key_header, NULL };
	double left_ms = (deadline - wn_mono()) * 1000;
	struct http_client *c = j->http, *tmp = NULL;
	int rc;

	/* a request must not outlast the caller's deadline (0 would be none) */
	if (left_ms < 1)
		left_ms = 1;
	if (left_ms < j->cfg.timeout_ms) {
		if (!(c = tmp = http_client_new(j->cfg.user_agent, (long)left_ms, MAX_BODY))) {
			snprintf(err, errlen, "out of memory");
			return 0;
		}
	}
	j->n.requests++;
	rc = http_request(c, "POST", j->url, hdrs, body, len, r, err, errlen);
	j->next_at = wn_mono() + j->cfg.min_interval;
	http_client_free(tmp);
	return rc < 0 ? 0 : r->status;
}

enum outcome { DONE, RETRY, FAIL };

/* How long to leave Janice alone after this failure: an outage does
 * not cost every kill the full wait. */
static double
outage(const struct janice *j)
{
	double s = DOWN_ERROR;

	for (int k = 0; k < j->fails && s < DOWN_MAX; k++)
		s *= 2;
	return s < DOWN_MAX ? s : DOWN_MAX;
}

/* Janice failed us: no request for secs (a later batch fails at once). */
static enum outcome
down(struct janice *j, double secs)
{
	if (j->down_until < wn_mono() + secs)
		j->down_until = wn_mono() + secs;
	return FAIL;
}

/* What to do after an answer (or none). */
static enum outcome
judge(struct janice *j, long status, struct http_response *r, int attempt,
      struct janice_line *lines, size_t n, char *err, size_t errlen)
{
	char ra[32];

	if (status == 200)
		return janice_parse(r->body, r->body_len, lines, n, err, errlen) < 0
		    ? down(j, outage(j)) : DONE;
	if (status == 429) {
		j->n.limited_429++;
		j->next_at = wn_mono() + janice_retry_after(http_header(r, "Retry-After", ra,
		                                                        sizeof ra), 1);
		snprintf(err, errlen, "rate limited (429)");
		return RETRY;
	}
	if (status == 401 || status == 403) {
		snprintf(err, errlen, "HTTP %ld: the API key was refused (JANICE_API_TOKEN)", status);
		return down(j, DOWN_AUTH);
	}
	if (status)
		snprintf(err, errlen, "HTTP %ld", status);
	if ((status && status < 500) || attempt + 1 >= ATTEMPTS)
		return down(j, outage(j));
	j->next_at = wn_mono() + RETRY_DELAY * (1 << attempt);
	return RETRY;
}

/* One batch, retried while it may be. */
static int
appraise_batch(struct janice *j, struct janice_line *lines, size_t n, double deadline,
               char *err, size_t errlen)
{
	size_t len;
	char *body = janice_body(lines, n, &len);
	enum outcome o = FAIL;

	if (!body) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int attempt = 0; ; attempt++) {
		struct http_response r;
		long status;

		double start = j->next_at > wn_mono() ? j->next_at : wn_mono();

		if (start + MIN_TIMEOUT_MS / 1000.0 > deadline) {
			if (!attempt)
				snprintf(err, errlen, "no time left before the deadline");
			else if (o == RETRY && j->next_at > deadline)   /* a long Retry-After */
				down(j, j->next_at - wn_mono());
			break;
		}
		wn_sleep_until(j->next_at, j->cfg.stop);
		if (stopping(j)) {
			snprintf(err, errlen, "stopping");
			break;
		}
		status = post(j, body, len, deadline, &r, err, errlen);
		o = judge(j, status, &r, attempt, lines, n, err, errlen);
		http_response_free(&r);
		if (o != RETRY)
			break;
		j->n.retries++;
	}
	free(body);
	if (o == DONE)
		return 0;
	log_redact(err, errlen);
	return -1;
}

int
janice_appraise(struct janice *j, struct janice_line *lines, size_t n, double deadline,
                char *err, size_t errlen)
{
	double now = wn_mono();

	for (size_t i = 0; i < n; i++)
		lines[i].unit_price = -1;
	if (now < j->down_until) {
		snprintf(err, errlen, "not asked for %.0f s more after: %s", j->down_until - now,
		         j->down_why);
		return -1;
	}
	for (size_t off = 0; off < n; off += JANICE_LINES_MAX) {
		size_t k = n - off < JANICE_LINES_MAX ? n - off : JANICE_LINES_MAX;
		if (appraise_batch(j, lines + off, k, deadline, err, errlen) < 0) {
			j->n.errors++;
			if (j->down_until > wn_mono()) {   /* Janice's fault, not the deadline's */
				j->fails++;
				snprintf(j->down_why, sizeof j->down_why, "%s", err);
			}
			return -1;
		}
	}
	j->fails = 0;
	return 0;
}
