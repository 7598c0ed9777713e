/* outbox_delivered.c — the delivered log (see outbox_delivered.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outbox_delivered.h"
#include "log.h"
#include "state.h"
#include "fnv.h"
#include "numconv.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif
#define OUTBOX_DELIVERED_LINE_MAX 512

struct dentry {
	uint64_t h;              /* 0: empty slot */
	int64_t expiry;
};

struct outbox_delivered {
	char path[PATH_MAX];
	int fd;                  /* O_APPEND */
	long ttl;
	size_t max, count, cap;  /* cap: power of two, count <= cap / 2 */
	struct dentry *tab;
	size_t lines;            /* whole lines in the file, for compaction */
	int64_t bytes;           /* the file's size: it ends with a whole line */
	int endfd;               /* <path>.end, the size and lines confirmed */
	int end_failed;          /* a failed write of it said once */
};

/* FNV-1a, never 0 (0 marks an empty slot). */
static uint64_t
key_hash(const char *k)
{
	uint64_t h = fnv_hash64(k);

	return h ? h : 1;
}

static struct dentry *
slot(struct dentry *tab, size_t cap, uint64_t h)
{
	size_t i = (size_t)(h ^ (h >> 29)) & (cap - 1);

	while (tab[i].h && tab[i].h != h)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

/* Re-hashes the live (unexpired) entries into a table of newcap. */
static int
rebuild(struct outbox_delivered *d, size_t newcap, int64_t now)
{
	struct dentry *nt = calloc(newcap, sizeof *nt);

	if (!nt)
		return -1;
	d->count = 0;
	for (size_t i = 0; i < d->cap; i++)
		if (d->tab[i].h && d->tab[i].expiry > now) {
			*slot(nt, newcap, d->tab[i].h) = d->tab[i];
			d->count++;
		}
	free(d->tab);
	d->tab = nt;
	d->cap = newcap;
	return 0;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Table at its bound even without expired entries: forget the older half
 * (those closest to expiry), the only way to stay bounded. */
static int
evict_oldest(struct outbox_delivered *d, int64_t now)
{
	int64_t *ex = malloc(d->count * sizeof *ex), cut;
	size_t n = 0;

	if (!ex)
		return -1;
	for (size_t i = 0; i < d->cap; i++)
		if (d->tab[i].h)
			ex[n++] = d->tab[i].expiry;
	qsort(ex, n, sizeof *ex, cmp_i64);
	cut = ex[n / 2];
	free(ex);
	log_warn("delivered log full (%zu entries): forgetting those before expiry %lld",
	         d->count, (long long)cut);
	return rebuild(d, d->cap, cut > now ? cut : now);
}

/* Makes room for one more entry: drop expired ones, then if still near
 * the bound the older half; grow the table to keep it half empty. */
static int
make_room(struct outbox_delivered *d, int64_t now)
{
	size_t nc = d->cap;

	if (d->count + 1 > d->max) {
		if (rebuild(d, d->cap, now) != 0)
			return -1;
		if (d->count + 1 > d->max - d->max / 4 && evict_oldest(d, now) != 0)
			return -1;
	}
	while ((d->count + 1) * 2 > nc)
		nc *= 2;
	return nc != d->cap ? rebuild(d, nc, now) : 0;
}

static int
remember(struct outbox_delivered *d, uint64_t h, int64_t expiry, int64_t now)
{
	struct dentry *e = slot(d->tab, d->cap, h);

	if (!e->h) {
		if (make_room(d, now) != 0)
			return -1;
		e = slot(d->tab, d->cap, h);
		d->count++;
		*e = (struct dentry){ h, expiry };
	} else if (e->expiry < expiry) {
		e->expiry = expiry;
	}
	return 0;
}

/* "EXPIRY HASH KEY\n" whose hash is its key's → 1; anything else (a torn
 * last line, a garbled one) 0. */
static int
parse_line(const char *line, int64_t *expiry, uint64_t *h)
{
	long long e;
	unsigned long long v;
	int off = 0;
	char key[OUTBOX_DELIVERED_LINE_MAX];
	size_t kl;

	if (sscanf(line, "%lld %16llx %n", &e, &v, &off) != 2 || off == 0)
		return 0;
	kl = strcspn(line + off, "\n");
	memcpy(key, line + off, kl);
	key[kl] = '\0';
	if (kl == 0 || key_hash(key) != v)
		return 0;
	*expiry = e;
	*h = v;
	return 1;
}

/* What a read of the file found: bad lines other than the last (a torn
 * last line is what a crash during an append leaves, one anywhere else is
 * damage), whole lines, and where the last whole line ends. */
struct scan {
	size_t bad, whole;
	int64_t end;
};

/* Calls fn for every well-formed line of the file; fills s if given. */
static int
each_line(const char *path, void (*fn)(void *, const char *, int64_t, uint64_t), void *arg,
          struct scan *s)
{
	FILE *f = fopen(path, "r");
	char line[OUTBOX_DELIVERED_LINE_MAX];
	int64_t ex;
	uint64_t h;
	struct scan n = { 0, 0, 0 };
	int last_bad = 0;

	if (s)
		*s = n;
	if (!f)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof line, f)) {
		int whole = strchr(line, '\n') != NULL;

		last_bad = !(whole && parse_line(line, &ex, &h));
		if (last_bad)
			n.bad++;
		else
			fn(arg, line, ex, h);
		if (whole) {
			n.whole++;
			n.end = (int64_t)ftello(f);
		}
	}
	fclose(f);
	n.bad -= (size_t)last_bad;
	if (s)
		*s = n;
	return 0;
}

struct load_ctx {
	struct outbox_delivered *d;
	int64_t now;
};

static void
load_one(void *arg, const char *line, int64_t ex, uint64_t h)
{
	struct load_ctx *c = arg;

	(void)line;
	if (ex > c->now)
		remember(c->d, h, ex, c->now);
}

struct keep_ctx {
	struct outbox_delivered *d;
	char *buf;
	size_t len, cap, lines;
	int failed;
};

/* Keeps a line if it is the live entry for its hash (drops expired,
 * forgotten and superseded lines). */
static void
keep_one(void *arg, const char *line, int64_t ex, uint64_t h)
{
	struct keep_ctx *c = arg;
	struct dentry *e = slot(c->d->tab, c->d->cap, h);
	size_t n = strlen(line);

	if (e->h != h || e->expiry != ex || c->failed)
		return;
	if (c->len + n > c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 65536;
		while (nc < c->len + n)
			nc *= 2;
		char *nb = realloc(c->buf, nc);
		if (!nb) {
			c->failed = 1;
			return;
		}
		c->buf = nb, c->cap = nc;
	}
	memcpy(c->buf + c->len, line, n);
	c->len += n;
	c->lines++;
}

static int
reopen(struct outbox_delivered *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = open(d->path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	return d->fd < 0 ? -1 : 0;
}

/* <path>.end holds "BYTES LINES\n" as of the last confirmed write,
 * rewritten in place.  It is written after the log is synced, so it is
 * never ahead of the log on disk: a log found shorter than its record has
 * lost whole lines (a torn tail only ever makes it longer), the damage a
 * read of the log alone cannot see. */
#define END_FMT "%019lld %019lld\n"
#define END_LEN 40

static void
end_record(struct outbox_delivered *d, int64_t bytes, size_t lines, int sync)
{
	char rec[END_LEN + 1];

	if (d->endfd < 0)
		return;
	snprintf(rec, sizeof rec, END_FMT, (long long)bytes, (long long)lines);
	if (pwrite(d->endfd, rec, END_LEN, 0) == END_LEN && (!sync || fdatasync(d->endfd) == 0)) {
		d->end_failed = 0;
		return;
	}
	if (!d->end_failed)
		log_warn("cannot record the end of %s: %s; lost lines will not be noticed",
		         d->path, strerror(errno));
	d->end_failed = 1;
}

/* The record read back: 1, or 0 when absent or unreadable (a log from
 * before the record existed, or a record torn by a crash: no check). */
static int
end_read(int fd, int64_t *bytes, int64_t *lines)
{
	char rec[END_LEN];

	return pread(fd, rec, END_LEN, 0) == END_LEN && rec[19] == ' ' && rec[END_LEN - 1] == '\n' &&
	       num_i64_of_text(rec, 19, bytes) && num_i64_of_text(rec + 20, 19, lines) &&
	       *bytes >= 0 && *lines >= 0;
}

static void
end_open(struct outbox_delivered *d, const struct scan *s)
{
	char p[PATH_MAX + 8];
	int64_t bytes, lines;

	if (snprintf(p, sizeof p, "%s.end", d->path) >= (int)sizeof p)
		return;
	d->endfd = open(p, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (d->endfd < 0) {
		log_warn("cannot open %s: %s; lost lines will not be noticed", p, strerror(errno));
		return;
	}
	if (end_read(d->endfd, &bytes, &lines) && (s->end < bytes || (int64_t)s->whole < lines))
		log_warn("%s lost lines: %lld of %lld line%s (%lld of %lld bytes) are left; "
		         "the messages they named may be posted again",
		         d->path, (long long)s->whole, (long long)lines, lines == 1 ? "" : "s",
		         (long long)s->end, (long long)bytes);
}

/* A torn last line is cut off, so that the next line starts a line of
 * its own instead of ending the torn one. */
static int
drop_torn_tail(struct outbox_delivered *d)
{
	off_t size = lseek(d->fd, 0, SEEK_END);

	if (size < 0)
		return -1;
	if (size > (off_t)d->bytes) {
		if (ftruncate(d->fd, (off_t)d->bytes) != 0)
			return -1;
		log_info("%s: dropped a torn last line (%lld bytes)", d->path,
		         (long long)(size - (off_t)d->bytes));
	}
	return 0;
}

static int
reopen_whole(struct outbox_delivered *d)
{
	return reopen(d) == 0 && drop_torn_tail(d) == 0 ? 0 : -1;
}

/* Rewrites the file with only the live entries. */
static int
compact(struct outbox_delivered *d)
{
	struct keep_ctx c = { d, NULL, 0, 0, 0, 0 };
	int rc;

	if (each_line(d->path, keep_one, &c, NULL) != 0 || c.failed) {
		free(c.buf);
		return -1;
	}
	/* The record goes down first, synced: a crash between the two then
	 * leaves the old, longer log, which is no damage. */
	end_record(d, (int64_t)c.len, c.lines, 1);
	rc = state_atomic_write(d->path, c.buf ? c.buf : "", c.len);
	free(c.buf);
	if (rc == 0) {
		d->lines = c.lines;
		d->bytes = (int64_t)c.len;
		rc = reopen(d);
	}
	return rc;
}

static int
needs_compaction(const struct outbox_delivered *d)
{
	return d->lines > 2 * d->count + 1024;
}

struct outbox_delivered *
outbox_delivered_open(const char *path, long ttl, size_t max, time_t now)
{
	struct outbox_delivered *d = calloc(1, sizeof *d);
	struct load_ctx c = { d, (int64_t)now };
	struct scan s;

	if (!d)
		return NULL;
	d->fd = d->endfd = -1;
	d->ttl = ttl > 0 ? ttl : 1;
	d->max = max > 16 ? max : 16;
	d->cap = 64;
	snprintf(d->path, sizeof d->path, "%s", path);
	if (!(d->tab = calloc(d->cap, sizeof *d->tab)) || each_line(path, load_one, &c, &s) != 0) {
		outbox_delivered_close(d);
		return NULL;
	}
	if (s.bad)
		log_warn("%s is damaged: %zu unreadable line%s before its end; "
		         "the messages they named may be posted again",
		         path, s.bad, s.bad == 1 ? "" : "s");
	d->lines = s.whole;
	d->bytes = s.end;
	end_open(d, &s);
	if ((needs_compaction(d) ? compact(d) : reopen_whole(d)) != 0) {
		outbox_delivered_close(d);
		return NULL;
	}
	end_record(d, d->bytes, d->lines, 1);
	return d;
}

void
outbox_delivered_close(struct outbox_delivered *d)
{
	if (!d)
		return;
	if (d->fd >= 0)
		close(d->fd);
	if (d->endfd >= 0)
		close(d->endfd);
	free(d->tab);
	free(d);
}

int
outbox_delivered_has(struct outbox_delivered *d, const char *key, time_t now)
{
	uint64_t h = key_hash(key);
	struct dentry *e = slot(d->tab, d->cap, h);

	return e->h == h && e->expiry > (int64_t)now;
}

int
outbox_delivered_add(struct outbox_delivered *d, const char *key, time_t now)
{
	char line[OUTBOX_DELIVERED_LINE_MAX];
	uint64_t h = key_hash(key);
	int64_t ex = (int64_t)now + d->ttl;
	int n = snprintf(line, sizeof line, "%lld %016llx %s\n", (long long)ex,
	                 (unsigned long long)h, key);

	if (n < 0 || n >= (int)sizeof line || strchr(key, '\n'))
		return errno = EINVAL, -1;
	/* Durable before the caller removes the spool file: a crash after
	 * this point finds the message delivered, not pending. */
	if (write(d->fd, line, (size_t)n) != n || fdatasync(d->fd) != 0)
		return -1;
	d->lines++;
	d->bytes += n;
	/* not synced: after a crash the record may be behind, never ahead */
	end_record(d, d->bytes, d->lines, 0);
	if (remember(d, h, ex, (int64_t)now) != 0)
		return -1;
	if (needs_compaction(d) && compact(d) != 0)
		log_warn("cannot compact %s: %s", d->path, strerror(errno));
	return 0;
}

size_t
outbox_delivered_count(const struct outbox_delivered *d)
{
	return d->count;
}
