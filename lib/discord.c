/* discord.c — posting one message and classifying the answer. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "discord.h"
#include "json.h"
#include "fnv.h"
#include "numconv.h"

const char *
discord_outcome_name(enum discord_outcome o)
{
	static const char *names[] = { "ok", "rate_limited", "retry", "bad_message", "bad_route" };

	return o <= DC_BAD_ROUTE ? names[o] : "?";
}

/* Printable one-line copy of s (at most max characters). */
static void
oneline(char *dst, size_t size, const char *s, size_t max)
{
	size_t n = 0;

	for (; *s && n + 1 < size && n < max; s++)
		dst[n++] = isprint((unsigned char)*s) || (unsigned char)*s >= 0x80 ? *s : ' ';
	dst[n] = '\0';
}

/* First leaf of a 50035 "errors" tree: "embeds.0.title: Must be ...". */
static int
first_form_error(const cJSON *node, char *path, size_t size, size_t used)
{
	const cJSON *errs = cJSON_GetObjectItemCaseSensitive(node, "_errors");
	const cJSON *kid;

	if (cJSON_IsArray(errs) && cJSON_GetArraySize(errs) > 0) {
		const char *m = json_str(cJSON_GetArrayItem(errs, 0), "message");
		snprintf(path + used, size - used, ": %s", m ? m : "invalid");
		return 1;
	}
	cJSON_ArrayForEach(kid, node) {
		if (!cJSON_IsObject(kid) || !kid->string)
			continue;
		int n = snprintf(path + used, size - used, "%s%s", used ? "." : "", kid->string);
		if (n < 0 || (size_t)n >= size - used)
			return 0;
		if (first_form_error(kid, path, size, used + (size_t)n))
			return 1;
		path[used] = '\0';
	}
	return 0;
}

static enum discord_outcome
outcome_for(long status)
{
	if (status >= 200 && status < 300)
		return DC_OK;
	if (status == 429)
		return DC_RATE_LIMITED;
	if (status == 401 || status == 403 || status == 404)
		return DC_BAD_ROUTE;
	if (status == 408 || status >= 500 || status < 200 || (status >= 300 && status < 400))
		return DC_RETRY;
	return DC_BAD_MESSAGE;   /* 400, 413 and the other 4xx */
}

/* Reads what a JSON reply says; non-JSON (a Cloudflare page) is left. */
static void
read_body(const cJSON *j, struct discord_result *r)
{
	const char *msg = json_str(j, "message");
	const cJSON *ra = cJSON_GetObjectItemCaseSensitive(j, "retry_after");
	const char *id = json_str(j, "id");
	char tree[200] = "";

	r->code = (long)num_clamp_double(json_num(j, "code", 0), 0, INT32_MAX);
	/* the same range outbox_ratelimit_parse_headers() takes from Retry-After */
	if (r->status == 429 && cJSON_IsNumber(ra) && ra->valuedouble >= 0 &&
	    ra->valuedouble < 1e9) {
		r->rl.has_retry_after = 1;       /* the body's float beats Retry-After */
		r->rl.retry_after = ra->valuedouble;
	}
	if (r->status == 429 && json_bool(j, "global", 0))
		r->rl.global = 1;
	if (r->outcome == DC_OK && id && strlen(id) < sizeof r->message_id)
		snprintf(r->message_id, sizeof r->message_id, "%s", id);
	if (r->outcome == DC_OK || !msg)
		return;
	first_form_error(cJSON_GetObjectItemCaseSensitive(j, "errors"), tree, sizeof tree, 0);
	char m[120], t[200];
	oneline(m, sizeof m, msg, 100);
	oneline(t, sizeof t, tree, 180);
	snprintf(r->reason, sizeof r->reason, "%ld %s (code %ld)%s%s", r->status, m,
	         r->code, t[0] ? ": " : "", t);
}

void
discord_classify(long status, const char *hdrs, size_t hlen,
                 const char *body, size_t blen, struct discord_result *r)
{
	char err[64];
	cJSON *j;

	memset(r, 0, sizeof *r);
	r->status = status;
	r->outcome = outcome_for(status);
	outbox_ratelimit_parse_headers(hdrs, hlen, &r->rl);
	snprintf(r->reason, sizeof r->reason, "HTTP %ld", status);
	if (body && blen && (j = json_parse(body, blen, err, sizeof err))) {
		if (cJSON_IsObject(j))
			read_body(j, r);
		cJSON_Delete(j);
	} else if (status == 429) {
		snprintf(r->reason, sizeof r->reason, "HTTP 429 without JSON (Cloudflare ban?)");
	}
}

void
discord_post(struct http_client *c, const struct route_target *t, const char *auth,
             const char *body, size_t len, struct discord_result *r)
{
	const char *hdrs[3] = { "Content-Type: application/json", NULL, NULL };
	struct http_response resp;
	char err[256];

	if (t->kind == TARGET_CHANNEL && auth && *auth)
		hdrs[1] = auth;
	memset(&resp, 0, sizeof resp);
	if (http_request(c, "POST", t->url, hdrs, body, len, &resp, err, sizeof err) != 0) {
		memset(r, 0, sizeof *r);
		r->outcome = DC_RETRY;
		snprintf(r->reason, sizeof r->reason, "%s", err);
		http_response_free(&resp);
		return;
	}
	discord_classify(resp.status, resp.headers, resp.headers_len, resp.body,
	                 resp.body_len, r);
	http_response_free(&resp);
}

void
discord_nonce(const char *key, char *out, size_t size)
{
	snprintf(out, size, "wn%016llx", (unsigned long long)fnv_hash64(key));
}
