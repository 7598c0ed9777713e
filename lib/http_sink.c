/* http_sink.c — the bounded buffers behind http.c's libcurl callbacks. */
#include <string.h>

#include "http_sink.h"

static int
put(struct http_sink *s, const char *p, size_t n)
{
	if (n > s->b.max - s->b.len) {   /* len <= max always: no overflow here */
		s->overflow = 1;
		return -1;
	}
	return buf_put(&s->b, p, n);
}

size_t
http_sink_body(struct http_sink *s, const char *p, size_t n)
{
	return put(s, p, n) < 0 ? 0 : n;
}

size_t
http_sink_header(struct http_sink *s, const char *p, size_t n)
{
	/* a new status line (redirect, 100-continue): keep only the last block */
	if (n > 5 && strncmp(p, "HTTP/", 5) == 0)
		buf_clear(&s->b);
	return put(s, p, n) < 0 ? 0 : n;
}
