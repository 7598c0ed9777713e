/* cache.c — the ESI answer cache: an index of every key in memory, the
 * recently used values in memory (LRU, bounded in bytes), everything in
 * one append-only file that is compacted by rewrite.  See cache.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "log.h"
#include "fnv.h"

#define MAGIC "wn-esi-cache 1\n"
#define KEY_MAX 256
#define ETAG_MAX 256
#define SMALL_FILE (1u << 20)   /* below this, dead lines are not worth a rewrite */

struct slot {
	char *key;
	char *etag;          /* NULL when none */
	char *val;           /* resident copy, or NULL: read it from the file */
	off_t off;           /* the value's offset in the file */
	size_t vlen, linelen;
	time_t exp;
	uint64_t tick;       /* last use: the rewrite keeps the most recent */
	uint64_t hash;       /* of key: most probes end without a strcmp */
	int32_t prev, next;  /* resident LRU list; -1 ends it */
};

/* The slot's hash sits in the table too: a probe that does not match
 * does not touch the slot (a cache miss each, on a big index). */
struct tabent {
	uint32_t idx;        /* slot index + 1, 0 = empty */
	uint32_t h;          /* high bits of the key's hash (the low ones place it) */
};

struct cache {
	int fd, lockfd;
	char *path;          /* NULL for a temporary cache */
	struct slot *s;
	size_t n, cap;
	struct tabent *tab;  /* open addressing */
	size_t tabsz;
	int32_t head, tail;
	size_t resident, mem_max, disk_max, live;
	off_t size;
	uint64_t tick;
	int dirty;
	struct cache_stats st;
};

static uint64_t
hash(const char *k)
{
	return fnv_mix(fnv_hash64(k));	/* the table uses the low bits */
}

static int
tab_grow(struct cache *c)
{
	size_t sz = c->tabsz ? c->tabsz * 2 : 1024;
	struct tabent *t = calloc(sz, sizeof *t);

	if (!t)
		return -1;
	for (size_t i = 0; i < c->n; i++) {
		size_t j = c->s[i].hash & (sz - 1);
		while (t[j].idx)
			j = (j + 1) & (sz - 1);
		t[j].idx = (uint32_t)i + 1;
		t[j].h = (uint32_t)(c->s[i].hash >> 32);
	}
	free(c->tab);
	c->tab = t;
	c->tabsz = sz;
	return 0;
}

/* The slot index for key, or -1; *at gets the table position either way. */
static long
find(const struct cache *c, const char *key, size_t *at)
{
	uint64_t h = hash(key);
	size_t j = h & (c->tabsz - 1);

	while (c->tab[j].idx) {
		if (c->tab[j].h == (uint32_t)(h >> 32)) {
			const struct slot *s = &c->s[c->tab[j].idx - 1];
			if (s->hash == h && strcmp(s->key, key) == 0)
				return *at = j, (long)c->tab[j].idx - 1;
		}
		j = (j + 1) & (c->tabsz - 1);
	}
	*at = j;
	return -1;
}

/* --- the resident LRU --- */

static void
lru_unlink(struct cache *c, int32_t i)
{
	struct slot *s = &c->s[i];

	if (s->prev >= 0)
		c->s[s->prev].next = s->next;
	else
		c->head = s->next;
	if (s->next >= 0)
		c->s[s->next].prev = s->prev;
	else
		c->tail = s->prev;
	s->prev = s->next = -1;
}

static void
lru_front(struct cache *c, int32_t i)
{
	struct slot *s = &c->s[i];

	s->prev = -1;
	s->next = c->head;
	if (c->head >= 0)
		c->s[c->head].prev = i;
	c->head = i;
	if (c->tail < 0)
		c->tail = i;
}

static void
drop_value(struct cache *c, int32_t i)
{
	struct slot *s = &c->s[i];

	if (!s->val)
		return;
	lru_unlink(c, i);
	free(s->val);
	s->val = NULL;
	c->resident -= s->vlen + 1;
}

/* Values stay on disk; only the memory copy of the oldest goes. */
static void
trim_memory(struct cache *c, int32_t keep)
{
	while (c->resident > c->mem_max && c->tail >= 0 && c->tail != keep) {
		drop_value(c, c->tail);
		c->st.evicted++;
	}
}

static void
make_resident(struct cache *c, int32_t i, char *val)
{
	c->s[i].val = val;
	c->resident += c->s[i].vlen + 1;
	lru_front(c, i);
	trim_memory(c, i);
}

/* --- file I/O --- */

static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static char *
read_value(const struct cache *c, const struct slot *s)
{
	char *v = malloc(s->vlen + 1);
	size_t got = 0;

	while (v && got < s->vlen) {
		ssize_t r = pread(c->fd, v + got, s->vlen - got, s->off + (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(v);
			return NULL;
		}
		got += (size_t)r;
	}
	if (v)
		v[s->vlen] = '\0';
	return v;
}

/* A new slot for key (or the old one, its line now dead). */
static long
upsert(struct cache *c, const char *key, const char *etag, time_t exp,
       off_t off, size_t vlen, size_t linelen)
{
	size_t at;
	long i;

	if ((c->n + 1) * 2 >= c->tabsz && tab_grow(c) < 0)
		return -1;
	if ((i = find(c, key, &at)) >= 0) {
		drop_value(c, (int32_t)i);
		c->live -= c->s[i].linelen;
		free(c->s[i].etag);
	} else {
		if (c->n == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 1024;
			struct slot *ns = realloc(c->s, cap * sizeof *ns);
			if (!ns)
				return -1;
			c->s = ns;
			c->cap = cap;
		}
		i = (long)c->n;
		memset(&c->s[i], 0, sizeof c->s[i]);
		if (!(c->s[i].key = strdup(key)))
			return -1;
		c->s[i].hash = hash(key);
		c->s[i].prev = c->s[i].next = -1;
		c->tab[at].idx = (uint32_t)i + 1;
		c->tab[at].h = (uint32_t)(c->s[i].hash >> 32);
		c->n++;
	}
	struct slot *s = &c->s[i];
	s->etag = etag && *etag ? strdup(etag) : NULL;
	s->exp = exp;
	s->off = off;
	s->vlen = vlen;
	s->linelen = linelen;
	s->tick = ++c->tick;
	c->live += linelen;
	return i;
}

/* "key\texp\tetag\tvalue": 0 and the parts, or -1 for a bad line. */
static int
parse_line(char *line, size_t len, char **key, time_t *exp, char **etag, size_t *voff)
{
	char *t1 = memchr(line, '\t', len), *t2, *t3, *end;
	long long x;

	if (!t1 || !(t2 = memchr(t1 + 1, '\t', len - (size_t)(t1 + 1 - line))) ||
	    !(t3 = memchr(t2 + 1, '\t', len - (size_t)(t2 + 1 - line))))
		return -1;
	*t1 = *t2 = *t3 = '\0';
	errno = 0;
	x = strtoll(t1 + 1, &end, 10);
	if (t1 == line || end != t2 || errno || (size_t)(t3 + 1 - line) >= len)
		return -1;
	*key = line;
	*exp = (time_t)x;
	*etag = t2 + 1;
	*voff = (size_t)(t3 + 1 - line);
	return 0;
}

/* Index every complete line; cut a torn tail off.  0, or -1 (errno). */
static int
load(struct cache *c, FILE *f)
{
	char *line = NULL, *key, *etag;
	size_t cap = 0, voff;
	off_t pos = 0, good;
	ssize_t len;
	time_t exp;

	len = getline(&line, &cap, f);
	if (len <= 0 || strcmp(line, MAGIC) != 0) {
		free(line);
		return len < 0 && !ferror(f) ? 0 : (errno = EINVAL, -1);
	}
	pos = good = len;
	while ((len = getline(&line, &cap, f)) > 0) {
		off_t at = pos;
		pos += len;
		if (line[len - 1] != '\n')
			break;                  /* torn: written when we died */
		good = pos;
		if (parse_line(line, (size_t)len - 1, &key, &exp, &etag, &voff) < 0) {
			c->st.dropped++;
			continue;
		}
		long i = upsert(c, key, etag, exp, at + (off_t)voff, (size_t)len - 1 - voff,
		                (size_t)len);
		if (i < 0) {
			free(line);
			return errno = ENOMEM, -1;
		}
		/* while memory allows, keep the value: saves a read later */
		char *v = c->resident + c->s[i].vlen < c->mem_max ?
		    strndup(line + voff, c->s[i].vlen) : NULL;
		if (v)
			make_resident(c, (int32_t)i, v);
	}
	free(line);
	c->size = good;
	return 0;
}

static int
fresh_file(struct cache *c)
{
	if (ftruncate(c->fd, 0) < 0 || write_all(c->fd, MAGIC, strlen(MAGIC)) < 0)
		return -1;
	c->size = (off_t)strlen(MAGIC);
	return 0;
}

static int
lock_dir(struct cache *c, char *err, size_t errlen)
{
	char lp[PATH_MAX];
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	snprintf(lp, sizeof lp, "%s.lock", c->path);
	if ((c->lockfd = open(lp, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) {
		snprintf(err, errlen, "unable to open %s: %s", lp, strerror(errno));
		return -1;
	}
	if (fcntl(c->lockfd, F_SETLK, &fl) < 0) {
		snprintf(err, errlen, "%s is in use by another process", c->path);
		return -1;
	}
	return 0;
}

static int
open_file(struct cache *c, char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	const char *td = getenv("TMPDIR");
	FILE *f;

	if (!c->path) {
		snprintf(tmp, sizeof tmp, "%s/wn-cache.XXXXXX", td && *td ? td : "/tmp");
		if ((c->fd = mkstemp(tmp)) < 0)
			return snprintf(err, errlen, "unable to create a temporary cache: %s",
			                strerror(errno)), -1;
		unlink(tmp);
		fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_APPEND);
		return fresh_file(c);
	}
	if (lock_dir(c, err, errlen) < 0)
		return -1;
	if ((c->fd = open(c->path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0 ||
	    !(f = fopen(c->path, "r")))
		return snprintf(err, errlen, "unable to open %s: %s", c->path, strerror(errno)), -1;
	if (load(c, f) < 0) {
		log_warn("cache %s: %s; starting empty", c->path,
		         errno == EINVAL ? "not a cache file" : strerror(errno));
		c->st.dropped += (long long)c->n;
		c->n = c->live = 0;
		memset(c->tab, 0, c->tabsz * sizeof *c->tab);
		c->size = 0;
	}
	fclose(f);
	if (c->size == 0)
		return fresh_file(c) < 0 ?
		    (snprintf(err, errlen, "unable to write %s: %s", c->path, strerror(errno)), -1) : 0;
	if (ftruncate(c->fd, c->size) < 0)
		return snprintf(err, errlen, "unable to truncate %s: %s", c->path, strerror(errno)), -1;
	return 0;
}

struct cache *
cache_open(const char *path, size_t mem_max, size_t disk_max, char *err, size_t errlen)
{
	struct cache *c = calloc(1, sizeof *c);

	if (!c || (path && !(c->path = strdup(path))) || tab_grow(c) < 0) {
		snprintf(err, errlen, "out of memory");
		cache_close(c);
		return NULL;
	}
	c->fd = c->lockfd = -1;
	c->head = c->tail = -1;
	c->mem_max = mem_max;
	c->disk_max = disk_max < 4096 ? 4096 : disk_max;
	if (open_file(c, err, errlen) < 0) {
		cache_close(c);
		return NULL;
	}
	return c;
}

static void
free_slots(struct cache *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->s[i].key);
		free(c->s[i].etag);
		free(c->s[i].val);
	}
	free(c->s);
}

void
cache_close(struct cache *c)
{
	if (!c)
		return;
	if (c->fd >= 0) {
		cache_sync(c);
		close(c->fd);
	}
	if (c->lockfd >= 0)
		close(c->lockfd);
	free_slots(c);
	free(c->tab);
	free(c->path);
	free(c);
}

/* --- get / put --- */

enum cache_state
cache_get(struct cache *c, const char *key, time_t now, struct cache_hit *h)
{
	size_t at;
	long i = find(c, key, &at);
	struct slot *s;

	if (i < 0)
		return c->st.misses++, CACHE_MISS;
	s = &c->s[i];
	if (!s->val) {
		char *v = read_value(c, s);
		if (!v)
			return c->st.misses++, CACHE_MISS;
		make_resident(c, (int32_t)i, v);
	} else if (c->head != (int32_t)i) {
		lru_unlink(c, (int32_t)i);
		lru_front(c, (int32_t)i);
	}
	s->tick = ++c->tick;
	h->value = s->val;
	h->len = s->vlen;
	h->etag = s->etag ? s->etag : "";
	h->expires = s->exp;
	if (s->exp > now)
		return c->st.hits++, CACHE_FRESH;
	return c->st.stale++, CACHE_STALE;
}

static int
clean(const char *s, size_t len, size_t max)
{
	if (len == 0 || len >= max)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\0')
			return 0;
	return 1;
}

static int compact(struct cache *c);

int
cache_put(struct cache *c, const char *key, const char *value, size_t len,
          const char *etag, time_t expires)
{
	char head[KEY_MAX + ETAG_MAX + 40], *copy;
	int hl;
	long i;

	if (!etag || !clean(etag, strlen(etag), ETAG_MAX))
		etag = "";
	if (!clean(key, strlen(key), KEY_MAX) || !clean(value, len, SIZE_MAX))
		return -1;
	hl = snprintf(head, sizeof head, "%s\t%lld\t%s\t", key, (long long)expires, etag);
	if (!(copy = malloc(len + 2)))
		return -1;
	memcpy(copy, value, len);
	copy[len] = '\n';
	if (write_all(c->fd, head, (size_t)hl) < 0 || write_all(c->fd, copy, len + 1) < 0) {
		log_error("cache: unable to write: %s", strerror(errno));
		/* a partial line would glue onto the next one: cut it off */
		if (ftruncate(c->fd, c->size) < 0)
			log_error("cache: unable to truncate: %s", strerror(errno));
		free(copy);
		return -1;
	}
	copy[len] = '\0';
	i = upsert(c, key, etag, expires, c->size + hl, len, (size_t)hl + len + 1);
	c->size += hl + (off_t)len + 1;
	c->dirty = 1;
	c->st.puts++;
	if (i < 0) {
		free(copy);
		return -1;
	}
	make_resident(c, (int32_t)i, copy);
	if ((size_t)c->size > c->disk_max)
		return compact(c);
	return 0;
}

int
cache_sync(struct cache *c)
{
	if (!c->dirty)
		return 0;
	if ((size_t)c->size > SMALL_FILE && (size_t)c->size > 2 * c->live)
		compact(c);
	if (c->path && fdatasync(c->fd) < 0) {
		log_error("cache %s: unable to sync: %s", c->path, strerror(errno));
		return -1;
	}
	c->dirty = 0;
	return 0;
}

void
cache_get_stats(const struct cache *c, struct cache_stats *s)
{
	*s = c->st;
	s->entries = c->n;
	s->resident_bytes = c->resident;
	s->file_bytes = (size_t)c->size;
}

/* --- the rewrite --- */

static int
by_recency(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	return x->tick < y->tick ? 1 : x->tick > y->tick ? -1 : 0;
}

/* Most recent first, until 3/4 of the bound: room before the next one. */
static size_t
keep_count(struct cache *c)
{
	size_t budget = c->disk_max / 4 * 3, used = strlen(MAGIC), k = 0;

	qsort(c->s, c->n, sizeof *c->s, by_recency);
	while (k < c->n && used + c->s[k].linelen <= budget)
		used += c->s[k++].linelen;
	return k;
}

/* Writes the kept slots to fd; their new offsets go to noff. */
static int
write_kept(struct cache *c, int fd, size_t keep, off_t *noff)
{
	off_t pos = (off_t)strlen(MAGIC);
	char head[KEY_MAX + ETAG_MAX + 40];
	FILE *f = fdopen(dup(fd), "w");

	if (!f || fputs(MAGIC, f) == EOF)
		return f ? fclose(f) : 0, -1;
	for (size_t i = 0; i < keep; i++) {
		struct slot *s = &c->s[i];
		char *v = s->val ? s->val : read_value(c, s);
		int hl = snprintf(head, sizeof head, "%s\t%lld\t%s\t", s->key,
		                  (long long)s->exp, s->etag ? s->etag : "");
		if (!v || fputs(head, f) == EOF || fwrite(v, 1, s->vlen, f) != s->vlen ||
		    putc('\n', f) == EOF) {
			if (v != s->val)
				free(v);
			fclose(f);
			return -1;
		}
		if (v != s->val)
			free(v);
		noff[i] = pos + hl;
		pos += (off_t)((size_t)hl + s->vlen + 1);
	}
	if (fclose(f) == EOF || (c->path && fsync(fd) < 0))
		return -1;
	noff[keep] = pos;
	return 0;
}

static int
replace_file(struct cache *c, int fd, const char *tmp)
{
	if (c->path) {
		char dir[PATH_MAX], *slash;
		int dfd;

		if (rename(tmp, c->path) < 0)
			return -1;
		snprintf(dir, sizeof dir, "%s", c->path);
		if ((slash = strrchr(dir, '/')))
			*slash = '\0';
		if ((dfd = open(slash ? dir : ".", O_RDONLY)) >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	close(c->fd);
	c->fd = fd;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_APPEND);   /* appends go to the end */
	return 0;
}

static void
rebuild_index(struct cache *c, size_t keep)
{
	for (size_t i = keep; i < c->n; i++) {
		free(c->s[i].key);
		free(c->s[i].etag);
		free(c->s[i].val);
	}
	c->st.evicted += (long long)(c->n - keep);
	c->n = keep;
	c->live = 0;
	c->head = c->tail = -1;
	c->resident = 0;
	memset(c->tab, 0, c->tabsz * sizeof *c->tab);
	/* walk oldest first so the most recent ends at the LRU front */
	for (size_t i = keep; i-- > 0;) {
		size_t at;
		find(c, c->s[i].key, &at);
		c->tab[at].idx = (uint32_t)i + 1;
		c->tab[at].h = (uint32_t)(c->s[i].hash >> 32);
		c->live += c->s[i].linelen;
		c->s[i].prev = c->s[i].next = -1;
		if (c->s[i].val) {
			c->resident += c->s[i].vlen + 1;
			lru_front(c, (int32_t)i);
		}
	}
}

static int
compact(struct cache *c)
{
	char tmp[PATH_MAX];
	const char *td = getenv("TMPDIR");
	size_t keep = keep_count(c);
	off_t *noff = malloc((keep + 1) * sizeof *noff);
	int fd;

	if (!noff)
		return rebuild_index(c, c->n), -1;

	if (c->path)
		snprintf(tmp, sizeof tmp, "%s.XXXXXX", c->path);
	else
		snprintf(tmp, sizeof tmp, "%s/wn-cache.XXXXXX", td && *td ? td : "/tmp");
	/* qsort moved the slots: the table is rebuilt whatever happens */
	if ((fd = mkstemp(tmp)) < 0) {
		log_error("cache: unable to create %s: %s", tmp, strerror(errno));
		free(noff);
		return rebuild_index(c, c->n), -1;
	}
	if (!c->path)
		unlink(tmp);
	if (write_kept(c, fd, keep, noff) < 0 || replace_file(c, fd, tmp) < 0) {
		log_error("cache: unable to rewrite %s: %s", c->path ? c->path : "(temporary)",
		          strerror(errno));
		close(fd);
		if (c->path)
			unlink(tmp);
		free(noff);
		rebuild_index(c, c->n);
		return -1;
	}
	for (size_t i = 0; i < keep; i++)   /* the lines are the same, moved */
		c->s[i].off = noff[i];
	c->size = noff[keep];
	free(noff);
	rebuild_index(c, keep);
	c->st.compactions++;
	return 0;
}
