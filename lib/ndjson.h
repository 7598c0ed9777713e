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

enum ndjson_buf_result {
	NDJSON_LINE_NONE = 0,      /* need more input */
	NDJSON_LINE_OK = 1,        /* line and len hold a complete line, no '\n' */
	NDJSON_LINE_OVERSIZE = 2,  /* a line longer than max was dropped; *len = its size so far */
};

struct ndjson_buf;

/* ndjson.c */
struct ndjson_buf *ndjson_buf_new(size_t max_line);
void ndjson_buf_free(struct ndjson_buf *lb);
/* One read(2).  Returns bytes read, 0 at EOF, -1 on error (errno;
 * EAGAIN/EINTR mean try later). */
ssize_t ndjson_buf_fill(struct ndjson_buf *lb, int fd);
/* Feed bytes directly (for tests and for transports that own the read). */
int ndjson_buf_feed(struct ndjson_buf *lb, const char *buf, size_t len);
/* The line stays valid until the next call on lb.  After EOF is set the
 * last unterminated line is returned too. */
enum ndjson_buf_result ndjson_buf_next(struct ndjson_buf *lb, const char **line, size_t *len);
void ndjson_buf_set_eof(struct ndjson_buf *lb);
int  ndjson_buf_eof(const struct ndjson_buf *lb);       /* EOF and nothing left */
size_t ndjson_buf_pending(const struct ndjson_buf *lb); /* bytes buffered */

struct ndjson_inputs;
struct ndjson_line {
	const char *line;
	size_t len;
	const char *name;      /* path as given, "-" for stdin */
	unsigned long lineno;  /* 1-based within that input */
};

/* "-" is stdin.  FIFOs are opened blocking (waiting for their writer),
 * then switched to non-blocking. Returns NULL and logs on failure. */
struct ndjson_inputs *ndjson_inputs_open(char *const *paths, int n, size_t max_line);
/* NDJSON_LINE_OK with *out filled; NDJSON_LINE_OVERSIZE (warn and count it); NDJSON_LINE_NONE
 * when timeout_ms passed or a signal arrived; -1 when every input is at
 * EOF and drained.  timeout_ms < 0 waits forever. */
int ndjson_inputs_next(struct ndjson_inputs *in, struct ndjson_line *out, int timeout_ms);
int ndjson_inputs_open_count(const struct ndjson_inputs *in);   /* inputs not yet at EOF */
void ndjson_inputs_close(struct ndjson_inputs *in);

/* One record out: the bytes, then '\n'. Returns 0, or -1 on write error. */
int ndjson_write(FILE *f, const char *rec, size_t len);

#endif
