/* sse_client.h — one text/event-stream connection over libcurl's multi
 * interface.  libcurl's write callback only copies bytes into a bounded
 * buffer (pausing the transfer when it is full); sse_client_step() waits,
 * lets curl work, then runs the bytes through the pure parser (sse.h).
 * HTTP/1.1 is forced (the Wanderer server is only known to stream over
 * it), redirects are not followed (the bearer token stays with its
 * origin), TLS is verified (WN_CA_FILE adds a CA bundle for tests). */
#ifndef WN_SSE_CLIENT_H
#define WN_SSE_CLIENT_H

#include <stddef.h>
#include "sse.h"

enum sse_client_state {
	SSE_CLOSED = 0,   /* nothing open */
	SSE_OPEN,         /* transfer running */
	SSE_ENDED,        /* transfer finished: see sse_client_result */
};

struct sse_result {
	long status;              /* HTTP status, 0 if none arrived */
	int stream;               /* 200 with text/event-stream: bytes went to the parser */
	int transport_error;      /* curl failed (reset, refused, timeout, TLS) */
	char error[256];          /* curl's reason, redacted */
	char body[1024];          /* start of a non-stream body, NUL-terminated */
	long retry_after;         /* seconds, -1 when absent */
	unsigned long long bytes; /* stream bytes received */
};

struct sse_client;

/* sse_client.c */
struct sse_client *sse_client_new(const char *user_agent, size_t max_event);
void sse_client_free(struct sse_client *c);
/* Start a GET; headers is NULL-terminated "Name: value".  Closes any
 * previous transfer.  0, or -1 with a reason in err. */
int sse_client_open(struct sse_client *c, const char *url, const char *const *headers,
                    long connect_timeout_ms, char *err, size_t errlen);
/* Wait up to timeout_ms for the socket, transfer, and hand complete
 * events to fn.  Returns the state after the step. */
enum sse_client_state sse_client_step(struct sse_client *c, int timeout_ms,
                                      sse_event_fn fn, void *ud);
const struct sse_result *sse_client_result(const struct sse_client *c);
/* The header callback's part without curl: one header line p[0..n) (not
 * NUL-terminated); a Retry-After goes into r->retry_after, clamped. */
void sse_client_header(struct sse_result *r, const char *p, size_t n);
/* Seconds (monotonic) since the last byte, or since the open. */
double sse_client_idle(const struct sse_client *c);
void sse_client_close(struct sse_client *c);
const struct sse_stats *sse_client_stats(const struct sse_client *c);

#endif
