/* ndjson.c — bounded line assembly and concurrent multi-input reading.
 * A line longer than the maximum is discarded whole: never split, never
 * truncated, since half a JSON record is worse than none. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "ndjson.h"

#define CHUNK 65536

struct ndjson_buf {
	char *buf;
	size_t cap, start, end, scan;  /* data is buf[start..end); scan: no '\n' before it */
	size_t max;
	size_t dropped;                /* bytes of the oversize line discarded so far */
	int discarding, eof;
};

struct ndjson_buf *
ndjson_buf_new(size_t max_line)
{
	struct ndjson_buf *lb = calloc(1, sizeof *lb);

	if (!lb)
		return NULL;
	lb->max = max_line ? max_line : NDJSON_MAX_LINE_DEFAULT;
	lb->cap = lb->max + 1 < CHUNK ? lb->max + 1 + CHUNK : CHUNK;
	if (!(lb->buf = malloc(lb->cap))) {
		free(lb);
		return NULL;
	}
	return lb;
}

void
ndjson_buf_free(struct ndjson_buf *lb)
{
	if (lb) {
		free(lb->buf);
		free(lb);
	}
}

/* Make at least `want` bytes of room after end, within max + CHUNK. */
static int
make_room(struct ndjson_buf *lb, size_t want)
{
	if (lb->start == lb->end)
		lb->start = lb->end = lb->scan = 0;
	if (lb->cap - lb->end >= want)
		return 0;
	if (lb->start > 0) {
		memmove(lb->buf, lb->buf + lb->start, lb->end - lb->start);
		lb->end -= lb->start;
		lb->scan -= lb->start;
		lb->start = 0;
	}
	if (lb->cap - lb->end >= want)
		return 0;
	size_t ncap = lb->cap * 2;
	if (ncap > lb->max + 2 * CHUNK)
		ncap = lb->max + 2 * CHUNK;
	if (ncap < lb->end + want)
		return lb->cap > lb->end ? 0 : -1;
	char *nb = realloc(lb->buf, ncap);
	if (!nb)
		return -1;
	lb->buf = nb;
	lb->cap = ncap;
	return 0;
}

ssize_t
ndjson_buf_fill(struct ndjson_buf *lb, int fd)
{
	ssize_t r;

	if (make_room(lb, CHUNK) < 0)
		return errno = ENOMEM, -1;
	r = read(fd, lb->buf + lb->end, lb->cap - lb->end);
	if (r > 0)
		lb->end += (size_t)r;
	else if (r == 0)
		lb->eof = 1;
	return r;
}

int
ndjson_buf_feed(struct ndjson_buf *lb, const char *buf, size_t len)
{
	while (len > 0) {
		if (make_room(lb, 1) < 0)
			return -1;
		size_t n = lb->cap - lb->end < len ? lb->cap - lb->end : len;
		memcpy(lb->buf + lb->end, buf, n);
		lb->end += n;
		buf += n;
		len -= n;
		/* let an oversize line be discarded before the buffer would
		 * have to grow past its bound */
		if (len > 0 && lb->end - lb->start > lb->max && !memchr(lb->buf + lb->scan, '\n', lb->end - lb->scan)) {
			lb->dropped += lb->end - lb->start;
			lb->discarding = 1;
			lb->start = lb->end = lb->scan = 0;
		}
	}
	return 0;
}

void ndjson_buf_set_eof(struct ndjson_buf *lb) { lb->eof = 1; }
size_t ndjson_buf_pending(const struct ndjson_buf *lb) { return lb->end - lb->start; }

int
ndjson_buf_eof(const struct ndjson_buf *lb)
{
	return lb->eof && lb->start == lb->end && !lb->discarding;
}

static enum ndjson_buf_result
finish_oversize(struct ndjson_buf *lb, size_t *len)
{
	*len = lb->dropped;
	lb->dropped = 0;
	lb->discarding = 0;
	return NDJSON_LINE_OVERSIZE;
}

enum ndjson_buf_result
ndjson_buf_next(struct ndjson_buf *lb, const char **line, size_t *len)
{
	char *nl = memchr(lb->buf + lb->scan, '\n', lb->end - lb->scan);

	if (nl) {
		size_t n = (size_t)(nl - (lb->buf + lb->start));
		*line = lb->buf + lb->start;
		lb->start = lb->scan = (size_t)(nl - lb->buf) + 1;
		if (lb->discarding || n > lb->max) {
			lb->dropped += n;
			return finish_oversize(lb, len);
		}
		if (n > 0 && (*line)[n - 1] == '\r')
			n--;
		*len = n;
		return NDJSON_LINE_OK;
	}
	lb->scan = lb->end;
	if (lb->end - lb->start > lb->max) {
		lb->dropped += lb->end - lb->start;
		lb->discarding = 1;
		lb->start = lb->end = lb->scan = 0;
	}
	if (lb->eof && (lb->start < lb->end || lb->discarding)) {
		/* the last line without '\n' is still a line */
		size_t n = lb->end - lb->start;
		*line = lb->buf + lb->start;
		lb->start = lb->end = lb->scan = 0;
		if (lb->discarding) {
			lb->dropped += n;
			return finish_oversize(lb, len);
		}
		if (n > 0 && (*line)[n - 1] == '\r')
			n--;
		*len = n;
		return NDJSON_LINE_OK;
	}
	return NDJSON_LINE_NONE;
}

struct input {
	int fd;
	const char *name;
	struct ndjson_buf *lb;
	unsigned long lineno;
};

struct ndjson_inputs {
	struct input *in;
	struct pollfd *pfd;
	int n, next;   /* next: where the round-robin resumes */
};

static int
open_input(const char *path)
{
	if (strcmp(path, "-") == 0)
		return STDIN_FILENO;
	/* A FIFO open blocks until its writer arrives, which is what a
	 * pipeline wants: no spurious EOF before the producer starts. */
	return open(path, O_RDONLY | O_CLOEXEC);
}

struct ndjson_inputs *
ndjson_inputs_open(char *const *paths, int n, size_t max_line)
{
	struct ndjson_inputs *in = calloc(1, sizeof *in);

	if (!in || !(in->in = calloc((size_t)n, sizeof *in->in)) ||
	    !(in->pfd = calloc((size_t)n, sizeof *in->pfd))) {
		log_error("out of memory");
		goto fail;
	}
	for (int i = 0; i < n; i++) {
		struct input *x = &in->in[i];
		x->name = paths[i];
		x->fd = open_input(paths[i]);
		if (x->fd < 0) {
			log_error("unable to open %s: %s", paths[i], strerror(errno));
			in->n = i;
			goto fail;
		}
		if (!(x->lb = ndjson_buf_new(max_line))) {
			log_error("out of memory");
			in->n = i + 1;
			goto fail;
		}
	}
	in->n = n;
	return in;
fail:
	ndjson_inputs_close(in);
	return NULL;
}

/* A complete line from any input, round-robin so no input starves. */
static int
take_line(struct ndjson_inputs *in, struct ndjson_line *out)
{
	for (int k = 0; k < in->n; k++) {
		int i = (in->next + k) % in->n;
		struct input *x = &in->in[i];
		int r;

		if (!x->lb)
			continue;
		r = ndjson_buf_next(x->lb, &out->line, &out->len);
		if (r == NDJSON_LINE_NONE)
			continue;
		x->lineno++;
		out->name = x->name;
		out->lineno = x->lineno;
		in->next = (i + 1) % in->n;
		return r;
	}
	return NDJSON_LINE_NONE;
}

int
ndjson_inputs_open_count(const struct ndjson_inputs *in)
{
	int open = 0;
	for (int i = 0; i < in->n; i++)
		if (in->in[i].lb && !ndjson_buf_eof(in->in[i].lb))
			open++;
	return open;
}

int
ndjson_inputs_next(struct ndjson_inputs *in, struct ndjson_line *out, int timeout_ms)
{
	for (;;) {
		int r = take_line(in, out), np = 0;

		if (r != NDJSON_LINE_NONE)
			return r;
		if (ndjson_inputs_open_count(in) == 0)
			return -1;
		for (int i = 0; i < in->n; i++) {
			struct input *x = &in->in[i];
			in->pfd[i].fd = x->lb && !x->lb->eof ? x->fd : -1;
			in->pfd[i].events = POLLIN;
			in->pfd[i].revents = 0;
			np += in->pfd[i].fd >= 0;
		}
		if (np == 0)
			continue;	/* only buffered tails left: take_line drains them */
		int pr = poll(in->pfd, (nfds_t)in->n, timeout_ms);
		if (pr < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			return -1;
		}
		if (pr <= 0)
			return NDJSON_LINE_NONE;
		for (int i = 0; i < in->n; i++) {
			struct input *x = &in->in[i];
			if (!(in->pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (ndjson_buf_fill(x->lb, x->fd) < 0 && errno != EINTR && errno != EAGAIN) {
				log_error("read %s: %s", x->name, strerror(errno));
				ndjson_buf_set_eof(x->lb);
			}
		}
	}
}

void
ndjson_inputs_close(struct ndjson_inputs *in)
{
	if (!in)
		return;
	for (int i = 0; i < in->n; i++) {
		if (in->in[i].fd > STDIN_FILENO)
			close(in->in[i].fd);
		ndjson_buf_free(in->in[i].lb);
	}
	free(in->in);
	free(in->pfd);
	free(in);
}

int
ndjson_write(FILE *f, const char *rec, size_t len)
{
	if (fwrite(rec, 1, len, f) != len || putc('\n', f) == EOF)
		return -1;
	return 0;
}
