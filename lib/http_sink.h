/* http_sink.h — where http.c's libcurl callbacks put a response: the body
 * and the header block, each bounded.  Pure (no curl), so the callbacks'
 * logic is tested and fuzzed on its own. */
#ifndef WN_HTTP_SINK_H
#define WN_HTTP_SINK_H

#include <stddef.h>

#include "buf.h"

struct http_sink {
	struct buf b;       /* b.max: the most a body (or the headers) may be */
	int overflow;       /* something did not fit: the request fails */
};

/* http_sink.c */
/* A piece of body: n when kept, 0 (libcurl's "abort") when it would pass
 * the limit (overflow set) or memory ran out. */
size_t http_sink_body(struct http_sink *s, const char *p, size_t n);
/* One header line as libcurl gives it (with its CRLF, not
 * NUL-terminated).  A status line starts a new block: only the last
 * response's headers are kept (after a redirect or a 100 Continue). */
size_t http_sink_header(struct http_sink *s, const char *p, size_t n);

#endif
