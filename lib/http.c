/* http.c — blocking request/response HTTP over one reused libcurl easy
 * handle (so keep-alive works).  Certificates and host names are verified:
 * nothing here turns verification off. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curl/curl.h>

#include "buf.h"
#include "http.h"
#include "http_sink.h"
#include "cafile.h"
#include "log.h"

struct http_client {
	CURL *curl;
	char *user_agent;
	long timeout_ms;
	size_t max_body;
};

static int curl_ready;

struct http_client *
http_client_new(const char *user_agent, long timeout_ms, size_t max_body)
{
	struct http_client *c = calloc(1, sizeof *c);

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
			free(c);
			return NULL;
		}
		curl_ready = 1;
	}
	if (!c || !(c->curl = curl_easy_init()) || !(c->user_agent = strdup(user_agent))) {
		http_client_free(c);
		return NULL;
	}
	c->timeout_ms = timeout_ms;
	c->max_body = max_body;
	return c;
}

void
http_client_free(struct http_client *c)
{
	if (!c)
		return;
	if (c->curl)
		curl_easy_cleanup(c->curl);
	free(c->user_agent);
	free(c);
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	return http_sink_body(arg, p, size * n);
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	return http_sink_header(arg, p, size * n);
}

static void
set_options(struct http_client *c, const char *method, const char *url,
            struct curl_slist *hdrs, const void *body, size_t body_len,
            struct http_sink *b, struct http_sink *h, char *errbuf)
{
	CURL *k = c->curl;

	curl_easy_reset(k);	/* options only; the connection cache stays */
	curl_easy_setopt(k, CURLOPT_URL, url);
	curl_easy_setopt(k, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(k, CURLOPT_USERAGENT, c->user_agent);
	curl_easy_setopt(k, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	curl_easy_setopt(k, CURLOPT_CONNECTTIMEOUT_MS, c->timeout_ms < 10000 ? c->timeout_ms : 10000L);
	curl_easy_setopt(k, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(k, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(k, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(k, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(k, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(k, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(k, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(k, CURLOPT_SSL_VERIFYHOST, 2L);
	cafile_curl(k);   /* WN_CA_FILE: trusted as well, not instead */
	if (strcmp(method, "GET") == 0) {
		curl_easy_setopt(k, CURLOPT_HTTPGET, 1L);
	} else {
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, method);
		curl_easy_setopt(k, CURLOPT_POST, 1L);
		curl_easy_setopt(k, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	}
}

int
http_request(struct http_client *c, const char *method, const char *url,
             const char *const *headers, const void *body, size_t body_len,
             struct http_response *resp, char *err, size_t errlen)
{
	struct curl_slist *hdrs = NULL;
	struct http_sink b = { .b.max = c->max_body }, h = { .b.max = 64 * 1024 };
	char errbuf[CURL_ERROR_SIZE] = "", where[256];
	CURLcode rc;

	memset(resp, 0, sizeof *resp);
	for (const char *const *p = headers; p && *p; p++) {
		if (strpbrk(*p, "\r\n")) {   /* would send a header of its own */
			curl_slist_free_all(hdrs);
			snprintf(err, errlen, "%s: a request header holds a CR or LF", method);
			return -1;
		}
		hdrs = curl_slist_append(hdrs, *p);
	}
	/* libcurl adds "Expect: 100-continue" to big POSTs; APIs here do not need it */
	hdrs = curl_slist_append(hdrs, "Expect:");
	set_options(c, method, url, hdrs, body, body_len, &b, &h, errbuf);
	rc = curl_easy_perform(c->curl);
	curl_slist_free_all(hdrs);
	http_url_for_log(url, where, sizeof where);
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s %s: %s", method, where,
		         b.overflow ? "response body too large" :
		         errbuf[0] ? errbuf : curl_easy_strerror(rc));
		log_redact(err, errlen);
		buf_free(&b.b);
		buf_free(&h.b);
		return -1;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &resp->status);
	curl_easy_getinfo(c->curl, CURLINFO_TOTAL_TIME, &resp->seconds);
	resp->body_len = b.b.len;
	resp->body = buf_take(&b.b);
	resp->headers_len = h.b.len;
	resp->headers = buf_take(&h.b);
	return 0;
}

void
http_response_free(struct http_response *r)
{
	free(r->body);
	free(r->headers);
	memset(r, 0, sizeof *r);
}

const char *
http_header(const struct http_response *r, const char *name, char *buf, size_t size)
{
	size_t nlen = strlen(name);
	const char *p = r->headers;

	while (p && *p) {
		const char *eol = strpbrk(p, "\r\n");
		size_t llen = eol ? (size_t)(eol - p) : strlen(p);
		if (llen > nlen && p[nlen] == ':' && strncasecmp(p, name, nlen) == 0) {
			const char *v = p + nlen + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t vlen = llen - (size_t)(v - p);
			while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
				vlen--;
			snprintf(buf, size, "%.*s", (int)vlen, v);
			return buf;
		}
		if (!eol)
			break;
		p = eol + strspn(eol, "\r\n");
	}
	return NULL;
}

void
http_url_for_log(const char *url, char *buf, size_t size)
{
	size_t n = strcspn(url, "?#");
	const char *auth = strstr(url, "://"), *at = NULL;

	/* user:password@ in the authority is shown as [redacted]@ */
	if (auth && (size_t)(auth - url) < n) {
		auth += 3;
		for (const char *p = auth; p < url + n && *p != '/'; p++)
			if (*p == '@')
				at = p;
	}
	if (at)
		snprintf(buf, size, "%.*s[redacted]%.*s", (int)(auth - url), url,
		         (int)(url + n - at), at);
	else
		snprintf(buf, size, "%.*s", (int)n, url);
	log_redact(buf, size);
}
