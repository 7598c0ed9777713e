/* sse.h — a pure text/event-stream parser (WHATWG rules): bytes in,
 * events out through a callback.  Knows nothing about sockets, so it is
 * fed whatever the transport read: one byte or many events at a time.
 *
 * Lines end in LF, CRLF or CR (a CR at the end of one chunk and an LF at
 * the start of the next count once).  A leading BOM is dropped.  Fields
 * are "name:value" with one optional space after the colon; event, id and
 * data are kept (several data lines joined with '\n'), retry and unknown
 * names ignored, an id holding NUL ignored.  Lines starting with ':' are
 * comments (keepalives).  A blank line dispatches the event if it has data.
 * One event (its fields together) is bounded: a bigger one is dropped
 * whole, counted, and parsing resumes at the next blank line. */
#ifndef WN_SSE_H
#define WN_SSE_H

#include <stddef.h>

#define SSE_MAX_EVENT_DEFAULT (8u << 20)   /* 8 MiB: room for map_kill */

struct sse_event {
	const char *type;    /* "" when no event: line ("message" per WHATWG) */
	const char *id;      /* "" when no id: line in this event */
	const char *data;    /* NUL-terminated, data_len bytes */
	size_t data_len;
};

/* Returns 0 to go on, nonzero to stop sse_feed (it returns that value). */
typedef int (*sse_event_fn)(void *ud, const struct sse_event *ev);

struct sse_stats {
	unsigned long long events;     /* dispatched */
	unsigned long long comments;   /* ':' lines, keepalives among them */
	unsigned long long oversize;   /* events dropped for size */
	unsigned long long bytes;      /* fed */
};

struct sse_parser;

/* sse.c */
struct sse_parser *sse_new(size_t max_event);
void sse_free(struct sse_parser *p);
/* Start of a new stream: forget partial lines, fields and the BOM state. */
void sse_reset(struct sse_parser *p);
/* Parse len bytes; every complete event goes to fn.  Returns 0, -1 when
 * out of memory, or the nonzero value fn returned. */
int sse_feed(struct sse_parser *p, const char *buf, size_t len,
             sse_event_fn fn, void *ud);
const struct sse_stats *sse_stats(const struct sse_parser *p);

#endif
