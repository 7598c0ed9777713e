/* gwrest.c — wn-gateway's REST calls (see gwrest.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wn.h"

#include "gwrest.h"
#include "gwsys.h"
#include "http.h"
#include "json.h"
#include "log.h"

static const char *const json_hdr = "Content-Type: application/json";

int
gwrest_parse_gateway(const char *body, size_t len, char *url, size_t size,
                     long long *remaining, long long *reset_ms, char *err, size_t errlen)
{
	cJSON *root = json_parse(body, len, err, errlen);
	const cJSON *lim = cJSON_GetObjectItemCaseSensitive(root, "session_start_limit");
	const char *u = json_str(root, "url");
	double rem = json_num(lim, "remaining", -1), reset = json_num(lim, "reset_after", -1);
	int rc = -1;

	if (!root)
		return -1;
	if (!u || (strncmp(u, "wss://", 6) && strncmp(u, "ws://", 5)) || strlen(u) >= size)
		snprintf(err, errlen, "/gateway/bot: no usable url");
	else if (!(rem >= 0 && rem <= 1e9) || !(reset >= 0 && reset <= 7 * 86400e3))
		snprintf(err, errlen, "/gateway/bot: session_start_limit missing or out of range");
	else {
		snprintf(url, size, "%s", u);
		*remaining = (long long)rem;
		*reset_ms = (long long)reset;
		rc = 0;
	}
	cJSON_Delete(root);
	return rc;
}

static int
request(struct gwrest *r, const char *method, const char *url, int auth,
        const char *body, struct http_response *resp, char *err, size_t errlen)
{
	const char *hdrs[3] = { json_hdr, auth ? r->auth : NULL, NULL };

	return http_request(r->http, method, url, hdrs, body, body ? strlen(body) : 0,
	                    resp, err, errlen);
}

int
gwrest_gateway_bot(struct gwrest *r, char *url, size_t size, long long *remaining,
                   long long *reset_ms, char *err, size_t errlen)
{
	struct http_response resp;
	char u[600];
	int rc;

	snprintf(u, sizeof u, "%s/gateway/bot", r->api);
	if (request(r, "GET", u, 1, NULL, &resp, err, errlen) < 0)
		return -1;
	if (resp.status == 200)
		rc = gwrest_parse_gateway(resp.body, resp.body_len, url, size, remaining,
		                          reset_ms, err, errlen);
	else {
		snprintf(err, errlen, "GET /gateway/bot: HTTP %ld%s", resp.status,
		         resp.status == 401 ? " (the bot token is refused)" : "");
		rc = resp.status == 401 ? -2 : -1;
	}
	http_response_free(&resp);
	return rc;
}

/* seconds to wait before try n (1-based) after resp */
static double
retry_wait(const struct http_response *resp, int n)
{
	char err[64];
	cJSON *b;
	double s = 5;

	if (resp->status != 429)
		return n == 1 ? 1 : 2;
	if ((b = json_parse(resp->body, resp->body_len, err, sizeof err))) {
		s = json_num(b, "retry_after", 5);
		cJSON_Delete(b);
	}
	/* this runs inside the Gateway loop: a longer wait would miss
	 * heartbeats, so the next READY tries again instead */
	return s > 0 && s <= 5 ? s : 5;
}

int
gwrest_register(struct gwrest *r, const char *app_id, const char *guild_id,
                const char *body, char *err, size_t errlen)
{
	struct http_response resp;
	char u[600];

	if (guild_id)
		snprintf(u, sizeof u, "%s/applications/%s/guilds/%s/commands", r->api, app_id, guild_id);
	else
		snprintf(u, sizeof u, "%s/applications/%s/commands", r->api, app_id);
	for (int n = 1; n <= 3; n++) {
		if (request(r, "PUT", u, 1, body, &resp, err, errlen) < 0) {
			resp.status = 0;
		} else if (resp.status == 200 || resp.status == 201) {
			http_response_free(&resp);
			return 0;
		} else {
			long st = resp.status;
			snprintf(err, errlen, "PUT commands: HTTP %ld", st);
			if (st >= 400 && st < 500 && st != 429) {
				http_response_free(&resp);
				return st == 401 || st == 403 ? -2 : -1;
			}
		}
		if (n < 3)
			wn_sleep_until(wn_mono() + retry_wait(&resp, n), NULL);
		http_response_free(&resp);
	}
	return -1;
}

/* err from http.c names the URL, which holds the interaction token:
 * keep only the reason after the last ": ". */
static void
scrub(char *err, size_t errlen)
{
	const char *p = strrchr(err, ':');
	char tmp[256];

	snprintf(tmp, sizeof tmp, "%s", p ? p + 1 : "network error");
	snprintf(err, errlen, "interaction callback:%s", tmp);
}

int
gwrest_callback(struct gwrest *r, const char *id, const char *token,
                const char *body, char *err, size_t errlen)
{
	struct http_response resp;
	char u[1200];
	int rc = -1;

	snprintf(u, sizeof u, "%s/interactions/%s/%s/callback", r->api, id, token);
	if (request(r, "POST", u, 0, body, &resp, err, errlen) < 0) {
		scrub(err, errlen);
		return -1;
	}
	if (resp.status == 204 || resp.status == 200)
		rc = 0;
	else
		snprintf(err, errlen, "interaction callback: HTTP %ld", resp.status);
	http_response_free(&resp);
	return rc;
}

int
gwrest_message(struct gwrest *r, const char *channel, const char *content,
               const char *nonce, char *err, size_t errlen)
{
	struct http_response resp;
	cJSON *m = cJSON_CreateObject();
	char u[600], *body;
	int rc = -1;

	cJSON_AddStringToObject(m, "content", content);
	cJSON_AddArrayToObject(cJSON_AddObjectToObject(m, "allowed_mentions"), "parse");
	if (nonce) {
		cJSON_AddStringToObject(m, "nonce", nonce);
		cJSON_AddTrueToObject(m, "enforce_nonce");
	}
	body = json_print(m);
	cJSON_Delete(m);
	snprintf(u, sizeof u, "%s/channels/%s/messages", r->api, channel);
	if (body && request(r, "POST", u, 1, body, &resp, err, errlen) == 0) {
		if (resp.status == 200)
			rc = 0;
		else
			snprintf(err, errlen, "POST channel message: HTTP %ld", resp.status);
		http_response_free(&resp);
	}
	free(body);
	return rc;
}

long long
gwrest_system_id(struct gwrest *r, const char *name, char *eve, size_t evesize,
                 char *err, size_t errlen)
{
	struct http_response resp;
	cJSON *a = cJSON_CreateArray();
	char u[600], *body;
	long long id = -1;

	cJSON_AddItemToArray(a, cJSON_CreateString(name));
	body = json_print(a);
	cJSON_Delete(a);
	snprintf(u, sizeof u, "%s/universe/ids", r->esi);
	if (body && http_request(r->quick ? r->quick : r->http, "POST", u, (const char *const[]){ json_hdr, NULL },
	                         body, strlen(body), &resp, err, errlen) == 0) {
		if (resp.status == 200)
			id = (long long)gwsys_from_ids(resp.body, resp.body_len, name, eve, evesize);
		else
			snprintf(err, errlen, "ESI POST /universe/ids: HTTP %ld", resp.status);
		http_response_free(&resp);
	}
	free(body);
	return id;
}
