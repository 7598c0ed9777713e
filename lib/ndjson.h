/* ndjson.h — bounded newline-delimited JSON input and output.
 *
 * A linebuf assembles lines from one fd with a hard maximum line length:
 * an oversize line is discarded whole (reported once) and reading resumes
 * at the next '\n'.  An inputs set reads several files/FIFOs/stdin
 * concurrently with poll(2) and hands out whole lines one at a time, so
 * records from different inputs never interleave. */
#ifndef WN_NDJSON_H
#define WN_NDJSON_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#define NDJSON_MAX_LINE_DEFAULT (4u << 20)   /* 4 MiB */

enum linebuf_result {
	LINE_NONE = 0,      /* need more input */
	LINE_OK = 1,        /* line and len hold a complete line, no '\n' */
	LINE_OVERSIZE = 2,  /* a line longer than max was dropped; *len = its size so far */
};

struct linebuf;

/* ndjson.c */
struct linebuf *linebuf_new(size_t max_line);
void linebuf_free(struct linebuf *lb);
/* One read(2).  Returns bytes read, 0 at EOF, -1 on error (errno;
 * EAGAIN/EINTR mean try later). */
ssize_t linebuf_fill(struct linebuf *lb, int fd);
/* Feed bytes directly (for tests and for transports that own the read). */
int linebuf_feed(struct linebuf *lb, const char *buf, size_t len);
/* The line stays valid until the next call on lb.  After EOF is set the
 * last unterminated line is returned too. */
enum linebuf_result linebuf_next(struct linebuf *lb, const char **line, size_t *len);
void linebuf_set_eof(struct linebuf *lb);
int  linebuf_eof(const struct linebuf *lb);       /* EOF and nothing left */
size_t linebuf_pending(const struct linebuf *lb); /* bytes buffered */

struct inputs;
struct input_line {
	const char *line;
	size_t len;
	const char *name;      /* path as given, "-" for stdin */
	unsigned long lineno;  /* 1-based within that input */
};

/* "-" is stdin.  FIFOs are opened blocking (waiting for their writer),
 * then switched to non-blocking. Returns NULL and logs on failure. */
struct inputs *inputs_open(char *const *paths, int n, size_t max_line);
/* LINE_OK with *out filled; LINE_OVERSIZE (warn and count it); LINE_NONE
 * when timeout_ms passed or a signal arrived; -1 when every input is at
 * EOF and drained.  timeout_ms < 0 waits forever. */
int inputs_next(struct inputs *in, struct input_line *out, int timeout_ms);
int inputs_open_count(const struct inputs *in);   /* inputs not yet at EOF */
void inputs_close(struct inputs *in);

/* One record out: the bytes, then '\n'. Returns 0, or -1 on write error. */
int ndjson_write(FILE *f, const char *rec, size_t len);

#endif
