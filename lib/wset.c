/* wset.c — written killmail ids: a ring and a FIFO over one hash table
 * (linear probing, deletion by backward shift), persisted as a file. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "state.h"
#include "wn.h"
#include "wset.h"

#define LINE_MAX_LEN 44          /* "<19 digits> <20 digits>\n" fits */

static size_t
slot(const struct wset *s, int64_t id)
{
	return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 17) & (s->tab_size - 1);
}

int
wset_has(const struct wset *s, int64_t id)
{
	if (id <= 0 || !s->tab)
		return 0;
	for (size_t i = slot(s, id);; i = (i + 1) & (s->tab_size - 1)) {
		if (s->tab[i] == id)
			return 1;
		if (s->tab[i] == 0)
			return 0;
	}
}

static void
tab_add(struct wset *s, int64_t id)
{
	size_t i = slot(s, id);

	while (s->tab[i] != 0 && s->tab[i] != id)
		i = (i + 1) & (s->tab_size - 1);
	s->tab[i] = id;
}

/* Removal keeps every probe chain whole: later members of the cluster
 * that hash at or before the hole move back into it. */
static void
tab_del(struct wset *s, int64_t id)
{
	size_t mask = s->tab_size - 1, i = slot(s, id), j, home;

	while (s->tab[i] != id) {
		if (s->tab[i] == 0)
			return;
		i = (i + 1) & mask;
	}
	for (j = (i + 1) & mask; s->tab[j] != 0; j = (j + 1) & mask) {
		home = slot(s, s->tab[j]);
		/* can s->tab[j] live at i?  yes unless home lies in (i, j] */
		if ((i < j) ? (home <= i || home > j) : (home <= i && home > j)) {
			s->tab[i] = s->tab[j];
			i = j;
		}
	}
	s->tab[i] = 0;
}

int
wset_init(struct wset *s, size_t max, size_t fifo_max)
{
	memset(s, 0, sizeof *s);
	s->max = max ? max : 1;
	s->fifo_max = fifo_max ? fifo_max : 1;
	for (s->tab_size = 64; s->tab_size <= 2 * (s->max + s->fifo_max); s->tab_size *= 2)
		;
	s->ring = calloc(s->max, sizeof *s->ring);
	s->ring_t = calloc(s->max, sizeof *s->ring_t);
	s->fifo = calloc(s->fifo_max, sizeof *s->fifo);
	s->tab = calloc(s->tab_size, sizeof *s->tab);
	if (!s->ring || !s->ring_t || !s->fifo || !s->tab) {
		wset_free(s);
		return -1;
	}
	return 0;
}

void
wset_free(struct wset *s)
{
	free(s->ring);
	free(s->ring_t);
	free(s->fifo);
	free(s->tab);
	free(s->pending);
	memset(s, 0, sizeof *s);
}

/* Into the written ring; the oldest is forgotten when it is full. */
static void
ring_add(struct wset *s, int64_t id, int64_t t)
{
	size_t i;

	if (s->ring_n == s->max) {
		tab_del(s, s->ring[s->ring_head]);
		i = s->ring_head;
		s->ring_head = (s->ring_head + 1) % s->max;
	} else
		i = (s->ring_head + s->ring_n++) % s->max;
	s->ring[i] = id;
	s->ring_t[i] = t;
	tab_add(s, id);
}

int
wset_queue(struct wset *s, int64_t id)
{
	if (id <= 0 || s->fifo_n == s->fifo_max || wset_has(s, id))
		return -1;
	s->fifo[(s->fifo_head + s->fifo_n++) % s->fifo_max] = id;
	tab_add(s, id);
	return 0;
}

static void
pending_add(struct wset *s, int64_t id, int64_t t)
{
	char line[LINE_MAX_LEN];
	int n = snprintf(line, sizeof line, "%lld %lld\n", (long long)id, (long long)t);

	if (!s->path[0] || n <= 0)
		return;
	if (s->pending_len + (size_t)n > s->pending_cap) {
		size_t cap = s->pending_cap ? s->pending_cap * 2 : 4096;
		char *p = realloc(s->pending, cap);
		if (!p)
			return;             /* only the file misses it */
		s->pending = p;
		s->pending_cap = cap;
	}
	memcpy(s->pending + s->pending_len, line, (size_t)n);
	s->pending_len += (size_t)n;
}

int64_t
wset_written(struct wset *s, int64_t now)
{
	int64_t id;

	if (s->fifo_n == 0)
		return 0;
	id = s->fifo[s->fifo_head];
	s->fifo_head = (s->fifo_head + 1) % s->fifo_max;
	s->fifo_n--;
	tab_del(s, id);              /* ring_add puts it back */
	ring_add(s, id, now);
	pending_add(s, id, now);
	return id;
}

/* "ID TIME": positive decimals (at most 18 digits); 0 if not. */
static int64_t
parse_num(const char *p, size_t len)
{
	int64_t v = 0;

	if (len == 0 || len > 18)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static int64_t
parse_line(const char *p, size_t len, int64_t *t)
{
	const char *sp = memchr(p, ' ', len);

	if (!sp)
		return 0;
	*t = parse_num(sp + 1, len - (size_t)(sp + 1 - p));
	return *t > 0 ? parse_num(p, (size_t)(sp - p)) : 0;
}

int
wset_load(struct wset *s, const char *path, int64_t resend_s, size_t *bad)
{
	size_t len, cap = (s->max * 2 + 16) * LINE_MAX_LEN;
	char *buf, *p, *end, *nl;
	int64_t last = 0, id, t;

	*bad = 0;
	snprintf(s->path, sizeof s->path, "%s", path);
	if (!(buf = state_read_file(path, cap, &len))) {
		if (errno == ENOENT)
			return 0;
		log_warn("%s: %s; starting with no written ids", path, strerror(errno));
		return -1;
	}
	end = buf + len;
	for (p = buf; p < end; p = nl + 1) {       /* when the last run last wrote */
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			nl = end;
		if (parse_line(p, (size_t)(nl - p), &t) > 0 && t > last)
			last = t;
	}
	for (p = buf; p < end; p = nl + 1) {
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			nl = end;        /* a last line cut short by a crash */
		if ((id = parse_line(p, (size_t)(nl - p), &t)) > 0) {
			if (resend_s > 0 && t > last - resend_s)
				s->forgotten++;
			else if (!wset_has(s, id))
				ring_add(s, id, t);
		} else if (nl > p)
			++*bad;
		s->file_lines++;
	}
	free(buf);
	return 0;
}

/* Rewrites the file with the ring alone, oldest first. */
static int
compact(struct wset *s)
{
	size_t len = 0;
	char *buf = malloc(s->ring_n * LINE_MAX_LEN + 1);
	int rc;

	if (!buf)
		return -1;
	for (size_t i = 0; i < s->ring_n; i++)
		len += (size_t)snprintf(buf + len, LINE_MAX_LEN + 1, "%lld %lld\n",
		                        (long long)s->ring[(s->ring_head + i) % s->max],
		                        (long long)s->ring_t[(s->ring_head + i) % s->max]);
	rc = state_write_renamed(s->path, buf, len, SYNC_FILE);
	free(buf);
	if (rc == 0)
		s->file_lines = s->ring_n;
	return rc;
}

int
wset_save(struct wset *s)
{
	int fd;
	size_t off = 0, lines = 0;

	if (!s->path[0] || s->pending_len == 0)
		return 0;
	for (size_t i = 0; i < s->pending_len; i++)
		lines += s->pending[i] == '\n';
	if (s->file_lines + lines > 2 * s->max) {
		s->pending_len = 0;      /* the ring already holds them */
		if (compact(s) < 0) {
			log_warn("%s: cannot rewrite: %s", s->path, strerror(errno));
			return -1;
		}
		return 0;
	}
	if ((fd = open(s->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0) {
		log_warn("%s: %s", s->path, strerror(errno));
		return -1;
	}
	while (off < s->pending_len) {
		ssize_t w = write(fd, s->pending + off, s->pending_len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_warn("%s: %s", s->path, strerror(errno));
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	close(fd);
	s->file_lines += lines;
	s->pending_len = 0;
	return 0;
}

void
wset_open(struct wset *s, const char *file, size_t max, size_t fifo_max, int64_t resend_s)
{
	char path[PATH_MAX];
	size_t bad = 0;

	if (wset_init(s, max, fifo_max) < 0)
		log_fatal(WN_EXIT_TEMP, "out of memory");
	if (state_path(path, sizeof path, file) == 0 && wset_load(s, path, resend_s, &bad) == 0) {
		if (bad)
			log_warn("%s: %zu bad lines skipped", path, bad);
		if (s->forgotten)
			log_info("%zu kills written in the last seconds of the previous run "
			         "may be sent again", s->forgotten);
	}
}
