/* outbox_spool.c — the durable spool of accepted messages (see outbox_spool.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outbox_spool.h"
#include "state.h"

#define OUTBOX_SPOOL_SCAN_MAX 1000000   /* files considered in one listing */

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
outbox_spool_open(struct outbox_spool *s, const char *base)
{
	uint64_t a, b;

	s->n_unsynced = 0;
	if (snprintf(s->dir, sizeof s->dir, "%s/spool", base) >= (int)sizeof s->dir ||
	    snprintf(s->dead, sizeof s->dead, "%s/dead", base) >= (int)sizeof s->dead)
		return errno = ENAMETOOLONG, -1;
	if (state_mkdir_p(s->dir, 0700) != 0 || state_mkdir_p(s->dead, 0700) != 0)
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

/* A temp file left by a crash inside state_atomic_write: never renamed, so the
 * message was never accepted (the caller had not queued it yet). */
static void
remove_stale(const char *dir, const char *name)
{
	char p[PATH_MAX];

	if (strstr(name, ".tmp.") && snprintf(p, sizeof p, "%s/%s", dir, name) < (int)sizeof p)
		unlink(p);
}

long
outbox_spool_list(struct outbox_spool *s, uint64_t after, uint64_t *seqs, size_t max)
{
	DIR *d = opendir(s->dir);
	struct dirent *e;
	uint64_t *all = NULL, v;
	size_t n = 0, cap = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) && n < OUTBOX_SPOOL_SCAN_MAX) {
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
outbox_spool_add(struct outbox_spool *s, const char *data, size_t len, uint64_t *seq)
{
	char p[PATH_MAX];

	seq_path(p, sizeof p, s->dir, s->next_seq, ".json");
	if (state_atomic_write(p, data, len) != 0)
		return -1;
	*seq = s->next_seq++;
	return 0;
}

int
outbox_spool_add_lazy(struct outbox_spool *s, const char *data, size_t len, uint64_t *seq)
{
	char p[PATH_MAX];

	if (s->n_unsynced == OUTBOX_SPOOL_LAZY_MAX && outbox_spool_sync(s) != 0)
		return -1;
	seq_path(p, sizeof p, s->dir, s->next_seq, ".json");
	if (state_write_renamed(p, data, len, 0) != 0)   /* synced by outbox_spool_sync */
		return -1;
	s->unsynced[s->n_unsynced++] = s->next_seq;
	*seq = s->next_seq++;
	return 0;
}

int
outbox_spool_sync(struct outbox_spool *s)
{
	char p[PATH_MAX];
	int fd;

	if (!s->n_unsynced)
		return 0;
	for (size_t i = 0; i < s->n_unsynced; i++) {
		seq_path(p, sizeof p, s->dir, s->unsynced[i], ".json");
		if ((fd = open(p, O_RDONLY | O_CLOEXEC)) < 0) {
			if (errno == ENOENT)   /* delivered or buried meanwhile */
				continue;
			return -1;
		}
		if (fsync(fd) != 0) {
			int saved = errno;
			close(fd);
			return errno = saved, -1;
		}
		close(fd);
	}
	state_fsync_dir(s->dir);
	s->n_unsynced = 0;
	return 0;
}

/* Gone from the spool: nothing left to sync for it. */
static void
forget_unsynced(struct outbox_spool *s, uint64_t seq)
{
	for (size_t i = 0; i < s->n_unsynced; i++)
		if (s->unsynced[i] == seq) {
			s->unsynced[i] = s->unsynced[--s->n_unsynced];
			return;
		}
}

char *
outbox_spool_read(const struct outbox_spool *s, uint64_t seq, size_t max, size_t *len)
{
	char p[PATH_MAX];

	seq_path(p, sizeof p, s->dir, seq, ".json");
	return state_read_file(p, max, len);
}

/* No directory fsync: a removal lost to a power cut brings the file
 * back, and the delivered log (synced before this call) then says the
 * message was posted.  One disk flush less per message. */
int
outbox_spool_remove(struct outbox_spool *s, uint64_t seq)
{
	char p[PATH_MAX];

	seq_path(p, sizeof p, s->dir, seq, ".json");
	if (unlink(p) != 0 && errno != ENOENT)
		return -1;
	forget_unsynced(s, seq);
	return 0;
}

int
outbox_spool_bury(struct outbox_spool *s, uint64_t seq, const char *reason)
{
	char from[PATH_MAX], to[PATH_MAX], note[PATH_MAX];
	char line[1024];
	int n;

	if (outbox_spool_sync(s) != 0)   /* a dead letter is kept for good: whole */
		return -1;
	seq_path(from, sizeof from, s->dir, seq, ".json");
	seq_path(to, sizeof to, s->dead, seq, ".json");
	seq_path(note, sizeof note, s->dead, seq, ".err");
	n = snprintf(line, sizeof line, "%s\n", reason);
	if (n < 0 || n >= (int)sizeof line)
		n = (int)sizeof line - 1, line[n - 1] = '\n';
	/* The note first: a crash in between leaves the message in the spool
	 * (tried again), never a dead letter without its reason. */
	if (state_atomic_write(note, line, (size_t)n) != 0 || rename(from, to) != 0)
		return -1;
	state_fsync_dir(s->dead);
	state_fsync_dir(s->dir);
	return 0;
}
