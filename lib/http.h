/* http.h — a blocking HTTP/1.1 client over libcurl for request/response
 * APIs (map REST, ESI, R2Z2, Discord).  One client keeps its connection
 * alive between requests.  TLS peers and host names are always verified
 * (WN_CA_FILE names an extra CA bundle, for tests with a local CA).
 * Streaming (SSE) is not here: see sse.h. */
#ifndef WN_HTTP_H
#define WN_HTTP_H

#include <stddef.h>

struct http_client;

struct http_response {
	long status;           /* 0 when no response arrived */
	char *body;            /* NUL-terminated, body_len bytes */
	size_t body_len;
	char *headers;         /* raw header block of the final response */
	size_t headers_len;
	double seconds;        /* total time */
};

/* http.c */
/* user_agent is required; timeout_ms bounds a whole request; max_body
 * bounds the response body (a longer body fails the request). */
struct http_client *http_client_new(const char *user_agent, long timeout_ms,
                                    size_t max_body);
void http_client_free(struct http_client *c);
/* headers: NULL-terminated "Name: value" strings (may be NULL).
 * Returns 0 when a response arrived (any status), -1 on a network/TLS
 * error or oversize body, with a redacted one-line reason in err. */
int http_request(struct http_client *c, const char *method, const char *url,
                 const char *const *headers, const void *body, size_t body_len,
                 struct http_response *resp, char *err, size_t errlen);
void http_response_free(struct http_response *r);
/* Case-insensitive header lookup in r->headers; copies the trimmed value
 * into buf and returns buf, or NULL when absent. */
const char *http_header(const struct http_response *r, const char *name,
                        char *buf, size_t size);
/* URL without its query string and with path segments that look like
 * secrets (webhook tokens) replaced: safe to log. */
void http_url_for_log(const char *url, char *buf, size_t size);

#endif
