/* spool.c — the durable spool and the delivered log (see spool.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "spool.h"
#include "state.h"

#define SPOOL_SCAN_MAX 1000000   /* files considered in one listing */
#define DLOG_LINE_MAX 512

static void
fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static void
seq_path(char *buf, size_t size, const char *dir, uint64_t seq, const char *ext)
{
	snprintf(buf, size, "%s/%020" PRIu64 "%s", dir, seq, ext);
}

/* "<digits>.json" → 1 with *seq; anything else 0. */
static int
parse_name(const char *name, uint64_t *seq)
{
	char *end;
	unsigned long long v;

	if (name[0] < '0' || name[0] > '9')
		return 0;
	errno = 0;
	v = strtoull(name, &end, 10);
	if (errno || strcmp(end, ".json") != 0)
		return 0;
	*seq = v;
	return 1;
}

/* Highest sequence number in dir (0 when none). */
static uint64_t
max_seq(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	uint64_t m = 0, v;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (parse_name(e->d_name, &v) && v > m)
			m = v;
	closedir(d);
	return m;
}

int
spool_open(struct spool *s, const char *base)
{
	uint64_t a, b;

	if (snprintf(s->dir, sizeof s->dir, "%s/spool", base) >= (int)sizeof s->dir ||
	    snprintf(s->dead, sizeof s->dead, "%s/dead", base) >= (int)sizeof s->dead)
		return errno = ENAMETOOLONG, -1;
	if (mkdir_p(s->dir, 0700) != 0 || mkdir_p(s->dead, 0700) != 0)
		return -1;
	a = max_seq(s->dir);
	b = max_seq(s->dead);
	s->next_seq = (a > b ? a : b) + 1;
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* A temp file left by a crash inside atomic_write: never renamed, so the
 * message was never accepted (the caller had not queued it yet). */
static void
remove_stale(const char *dir, const char *name)
{
	char p[PATH_MAX];

	if (strstr(name, ".tmp.") && snprintf(p, sizeof p, "%s/%s", dir, name) < (int)sizeof p)
		unlink(p);
}

long
spool_list(struct spool *s, uint64_t after, uint64_t *seqs, size_t max)
{
	DIR *d = opendir(s->dir);
	struct dirent *e;
	uint64_t *all = NULL, v;
	size_t n = 0, cap = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) && n < SPOOL_SCAN_MAX) {
		if (!parse_name(e->d_name, &v)) {
			remove_stale(s->dir, e->d_name);
			continue;
		}
		if (v <= after)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			uint64_t *na = realloc(all, nc * sizeof *na);
			if (!na) {
				free(all);
				closedir(d);
				return errno = ENOMEM, -1;
			}
			all = na, cap = nc;
		}
		all[n++] = v;
	}
	closedir(d);
	if (n)
		qsort(all, n, sizeof *all, cmp_u64);
	if (n > max)
		n = max;
	if (n)
		memcpy(seqs, all, n * sizeof *all);
	free(all);
	return (long)n;
}

int
spool_add(struct spool *s, const char *data, size_t len, uint64_t *seq)
{
	char p[PATH_MAX];

	seq_path(p, sizeof p, s->dir, s->next_seq, ".json");
	if (atomic_write(p, data, len) != 0)
		return -1;
	*seq = s->next_seq++;
	return 0;
}

char *
spool_read(const struct spool *s, uint64_t seq, size_t max, size_t *len)
{
	char p[PATH_MAX];

	seq_path(p, sizeof p, s->dir, seq, ".json");
	return read_file(p, max, len);
}

int
spool_remove(const struct spool *s, uint64_t seq)
{
	char p[PATH_MAX];

	seq_path(p, sizeof p, s->dir, seq, ".json");
	if (unlink(p) != 0 && errno != ENOENT)
		return -1;
	fsync_dir(s->dir);
	return 0;
}

int
spool_bury(const struct spool *s, uint64_t seq, const char *reason)
{
	char from[PATH_MAX], to[PATH_MAX], note[PATH_MAX];
	char line[1024];
	int n;

	seq_path(from, sizeof from, s->dir, seq, ".json");
	seq_path(to, sizeof to, s->dead, seq, ".json");
	seq_path(note, sizeof note, s->dead, seq, ".err");
	n = snprintf(line, sizeof line, "%s\n", reason);
	if (n < 0 || n >= (int)sizeof line)
		n = (int)sizeof line - 1, line[n - 1] = '\n';
	/* The note first: a crash in between leaves the message in the spool
	 * (tried again), never a dead letter without its reason. */
	if (atomic_write(note, line, (size_t)n) != 0 || rename(from, to) != 0)
		return -1;
	fsync_dir(s->dead);
	fsync_dir(s->dir);
	return 0;
}

/* ---- delivered log ---- */

struct dentry {
	uint64_t h;              /* 0: empty slot */
	int64_t expiry;
};

struct dlog {
	char path[PATH_MAX];
	int fd;                  /* O_APPEND */
	long ttl;
	size_t max, count, cap;  /* cap: power of two, count <= cap / 2 */
	struct dentry *tab;
	size_t lines;            /* lines in the file, for compaction */
};

/* FNV-1a, never 0 (0 marks an empty slot). */
static uint64_t
key_hash(const char *k)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 0x100000001b3u;
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
rebuild(struct dlog *d, size_t newcap, int64_t now)
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
evict_oldest(struct dlog *d, int64_t now)
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
make_room(struct dlog *d, int64_t now)
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
remember(struct dlog *d, uint64_t h, int64_t expiry, int64_t now)
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

/* "EXPIRY HASH KEY" → 1; anything else (a torn last line) 0. */
static int
parse_line(const char *line, int64_t *expiry, uint64_t *h)
{
	long long e;
	unsigned long long v;
	int off = 0;

	if (sscanf(line, "%lld %16llx %n", &e, &v, &off) != 2 || off == 0)
		return 0;
	*expiry = e;
	*h = v;
	return 1;
}

/* Calls fn for every well-formed line of the file. */
static int
each_line(const char *path, void (*fn)(void *, const char *, int64_t, uint64_t), void *arg)
{
	FILE *f = fopen(path, "r");
	char line[DLOG_LINE_MAX];
	int64_t ex;
	uint64_t h;

	if (!f)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof line, f))
		if (strchr(line, '\n') && parse_line(line, &ex, &h))
			fn(arg, line, ex, h);
	fclose(f);
	return 0;
}

struct load_ctx {
	struct dlog *d;
	int64_t now;
};

static void
load_one(void *arg, const char *line, int64_t ex, uint64_t h)
{
	struct load_ctx *c = arg;

	(void)line;
	c->d->lines++;
	if (ex > c->now)
		remember(c->d, h, ex, c->now);
}

struct keep_ctx {
	struct dlog *d;
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
reopen(struct dlog *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = open(d->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	return d->fd < 0 ? -1 : 0;
}

/* Rewrites the file with only the live entries. */
static int
compact(struct dlog *d)
{
	struct keep_ctx c = { d, NULL, 0, 0, 0, 0 };
	int rc;

	if (each_line(d->path, keep_one, &c) != 0 || c.failed) {
		free(c.buf);
		return -1;
	}
	rc = atomic_write(d->path, c.buf ? c.buf : "", c.len);
	free(c.buf);
	if (rc == 0) {
		d->lines = c.lines;
		rc = reopen(d);
	}
	return rc;
}

static int
needs_compaction(const struct dlog *d)
{
	return d->lines > 2 * d->count + 1024;
}

struct dlog *
dlog_open(const char *path, long ttl, size_t max, time_t now)
{
	struct dlog *d = calloc(1, sizeof *d);
	struct load_ctx c = { d, (int64_t)now };

	if (!d)
		return NULL;
	d->fd = -1;
	d->ttl = ttl > 0 ? ttl : 1;
	d->max = max > 16 ? max : 16;
	d->cap = 64;
	snprintf(d->path, sizeof d->path, "%s", path);
	if (!(d->tab = calloc(d->cap, sizeof *d->tab)) || each_line(path, load_one, &c) != 0 ||
	    (needs_compaction(d) ? compact(d) : reopen(d)) != 0) {
		dlog_close(d);
		return NULL;
	}
	return d;
}

void
dlog_close(struct dlog *d)
{
	if (!d)
		return;
	if (d->fd >= 0)
		close(d->fd);
	free(d->tab);
	free(d);
}

int
dlog_has(struct dlog *d, const char *key, time_t now)
{
	uint64_t h = key_hash(key);
	struct dentry *e = slot(d->tab, d->cap, h);

	return e->h == h && e->expiry > (int64_t)now;
}

int
dlog_add(struct dlog *d, const char *key, time_t now)
{
	char line[DLOG_LINE_MAX];
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
	if (remember(d, h, ex, (int64_t)now) != 0)
		return -1;
	if (needs_compaction(d) && compact(d) != 0)
		log_warn("cannot compact %s: %s", d->path, strerror(errno));
	return 0;
}

size_t
dlog_count(const struct dlog *d)
{
	return d->count;
}
