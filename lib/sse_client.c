/* sse_client.c — a streaming GET on curl multi (see sse_client.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <curl/curl.h>

#include "cafile.h"
#include "log.h"
#include "sse_client.h"
#include "wn.h"
#include "numconv.h"

#define PEND_MAX (1u << 20)   /* bytes held between curl and the parser */

struct sse_client {
	CURLM *multi;
	CURL *easy;
	struct curl_slist *hdrs;
	char *ua;
	struct sse_parser *parser;
	char *pend;
	size_t npend;
	int paused, ctype_ok, running;
	enum sse_client_state state;
	struct sse_result res;
	double last_byte;
	char errbuf[CURL_ERROR_SIZE];
};

struct sse_client *
sse_client_new(const char *user_agent, size_t max_event)
{
	static int curl_ready;
	struct sse_client *c;

	if (!curl_ready && curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return NULL;
	curl_ready = 1;
	if (!(c = calloc(1, sizeof *c)))
		return NULL;
	c->multi = curl_multi_init();
	c->parser = sse_new(max_event);
	c->pend = malloc(PEND_MAX);
	c->ua = strdup(user_agent);
	if (!c->multi || !c->parser || !c->pend || !c->ua) {
		sse_client_free(c);
		return NULL;
	}
	return c;
}

void
sse_client_close(struct sse_client *c)
{
	if (c->easy) {
		curl_multi_remove_handle(c->multi, c->easy);
		curl_easy_cleanup(c->easy);
		c->easy = NULL;
	}
	curl_slist_free_all(c->hdrs);
	c->hdrs = NULL;
	c->npend = 0;
	c->paused = 0;
	c->state = SSE_CLOSED;
}

void
sse_client_free(struct sse_client *c)
{
	if (!c)
		return;
	sse_client_close(c);
	if (c->multi)
		curl_multi_cleanup(c->multi);
	sse_free(c->parser);
	free(c->pend);
	free(c->ua);
	free(c);
}

/* Decide once, at the first body byte, whether this is an event stream. */
static void
classify(struct sse_client *c)
{
	const char *ct = NULL;
	long status = 0;

	curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(c->easy, CURLINFO_CONTENT_TYPE, &ct);
	c->res.status = status;
	c->ctype_ok = 1 + (status == 200 && ct && strncasecmp(ct, "text/event-stream", 17) == 0);
	c->res.stream = c->ctype_ok == 2;
}

/* libcurl's write callback: copy bytes, nothing else. */
static size_t
on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct sse_client *c = ud;
	size_t n = size * nmemb;

	if (!c->ctype_ok)
		classify(c);
	c->last_byte = wn_mono();
	if (!c->res.stream) {   /* an error body: keep its start for the message */
		size_t have = strlen(c->res.body), room = sizeof c->res.body - 1 - have;
		memcpy(c->res.body + have, p, n < room ? n : room);
		c->res.body[have + (n < room ? n : room)] = '\0';
		return n;
	}
	if (n > PEND_MAX - c->npend) {
		c->paused = 1;
		return CURL_WRITEFUNC_PAUSE;
	}
	memcpy(c->pend + c->npend, p, n);
	c->npend += n;
	c->res.bytes += n;
	return n;
}

static size_t
on_header(char *p, size_t size, size_t nmemb, void *ud)
{
	struct sse_client *c = ud;
	size_t n = size * nmemb;

	sse_client_header(&c->res, p, n);
	return n;
}

void
sse_client_header(struct sse_result *r, const char *p, size_t n)
{
	char v[32];

	if (n > 12 && strncasecmp(p, "retry-after:", 12) == 0) {
		/* libcurl's line is not NUL-terminated: read only its n bytes;
		 * past the blanks and leading zeros, 31 bytes are enough to
		 * saturate */
		size_t i = 12, k;
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		while (i + 1 < n && p[i] == '0' && p[i + 1] >= '0' && p[i + 1] <= '9')
			i++;
		k = n - i < sizeof v - 1 ? n - i : sizeof v - 1;
		memcpy(v, p + i, k);
		v[k] = '\0';
		r->retry_after = (long)num_clamp_text(v, 0, NUM_RETRY_AFTER_MAX, -1);
	}
}

int
sse_client_open(struct sse_client *c, const char *url, const char *const *headers,
                long connect_timeout_ms, char *err, size_t errlen)
{
	CURL *k;

	sse_client_close(c);
	memset(&c->res, 0, sizeof c->res);
	c->res.retry_after = -1;
	c->ctype_ok = 0;
	c->errbuf[0] = '\0';
	sse_reset(c->parser);
	for (; headers && *headers; headers++) {
		if (strpbrk(*headers, "\r\n")) {   /* would send a header of its own */
			snprintf(err, errlen, "a request header holds a CR or LF");
			sse_client_close(c);
			return -1;
		}
		c->hdrs = curl_slist_append(c->hdrs, *headers);
	}
	if (!(k = c->easy = curl_easy_init())) {
		snprintf(err, errlen, "curl_easy_init failed");
		return -1;
	}
	curl_easy_setopt(k, CURLOPT_URL, url);
	curl_easy_setopt(k, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(k, CURLOPT_USERAGENT, c->ua);
	curl_easy_setopt(k, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(k, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
	curl_easy_setopt(k, CURLOPT_HTTPHEADER, c->hdrs);
	curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(k, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(k, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(k, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(k, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(k, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(k, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(k, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(k, CURLOPT_BUFFERSIZE, 256L << 10);   /* fewer steps in a replay */
	cafile_curl(k);   /* WN_CA_FILE: trusted as well, not instead */
	if (curl_multi_add_handle(c->multi, k) != CURLM_OK) {
		snprintf(err, errlen, "curl_multi_add_handle failed");
		sse_client_close(c);
		return -1;
	}
	c->last_byte = wn_mono();
	c->state = SSE_OPEN;
	return 0;
}

static void
finished(struct sse_client *c, CURLcode rc)
{
	if (!c->ctype_ok)
		classify(c);
	if (rc != CURLE_OK) {
		c->res.transport_error = 1;
		snprintf(c->res.error, sizeof c->res.error, "%s",
		         c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc));
		log_redact(c->res.error, sizeof c->res.error);
	}
	c->state = SSE_ENDED;
}

/* Bytes to the parser; the parser's callbacks may do real work. */
static void
drain(struct sse_client *c, sse_event_fn fn, void *ud)
{
	size_t n = c->npend;

	if (!n)
		return;
	c->npend = 0;
	sse_feed(c->parser, c->pend, n, fn, ud);
	if (c->paused && c->easy) {
		c->paused = 0;
		curl_easy_pause(c->easy, CURLPAUSE_CONT);
	}
}

enum sse_client_state
sse_client_step(struct sse_client *c, int timeout_ms, sse_event_fn fn, void *ud)
{
	CURLMsg *m;
	int left;

	if (c->state != SSE_OPEN)
		return c->state;
	curl_multi_poll(c->multi, NULL, 0, timeout_ms, NULL);
	curl_multi_perform(c->multi, &c->running);
	while ((m = curl_multi_info_read(c->multi, &left)))
		if (m->msg == CURLMSG_DONE && m->easy_handle == c->easy)
			finished(c, m->data.result);
	drain(c, fn, ud);
	return c->state;
}

const struct sse_result *
sse_client_result(const struct sse_client *c)
{
	return &c->res;
}

double
sse_client_idle(const struct sse_client *c)
{
	return wn_mono() - c->last_byte;
}

const struct sse_stats *
sse_client_stats(const struct sse_client *c)
{
	return sse_stats(c->parser);
}
