/* journal.c — a bounded, durable list of recently written records. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "state.h"

#define JOURNAL_FILE_MAX (64u << 20)

struct entry {
	time_t at;
	char *rec;
};

struct journal {
	char *path;
	struct entry *e;       /* ring of max entries, oldest at head */
	size_t max, head, n;
	long max_age;
	size_t lines;          /* lines in the file now */
	int fd;
	int unsynced;          /* 1 appended since the last sync, 2 also compacted */
};

static void
drop_oldest(struct journal *j)
{
	free(j->e[j->head].rec);
	j->e[j->head].rec = NULL;
	j->head = (j->head + 1) % j->max;
	j->n--;
}

static int
keep(struct journal *j, time_t at, const char *rec)
{
	char *copy = strdup(rec);

	if (!copy)
		return -1;
	if (j->n == j->max)
		drop_oldest(j);
	j->e[(j->head + j->n) % j->max] = (struct entry){ at, copy };
	j->n++;
	return 0;
}

static void
load(struct journal *j, time_t now)
{
	size_t len;
	char *buf = state_read_file(j->path, JOURNAL_FILE_MAX, &len), *line, *next;

	for (line = buf; line && *line; line = next) {
		char *tab, *end;
		long long at;

		next = strchr(line, '\n');
		if (!next)
			break;	/* a write torn by a crash: not a record */
		*next++ = '\0';
		j->lines++;
		at = strtoll(line, &end, 10);
		tab = end;
		if (*tab != '\t' || tab[1] != '{' || at < now - j->max_age)
			continue;
		keep(j, (time_t)at, tab + 1);
	}
	free(buf);
}

/* The file again with only the entries kept: temp + fsync + rename. */
static int
compact(struct journal *j)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f)
		return -1;
	for (size_t i = 0; i < j->n; i++) {
		const struct entry *e = &j->e[(j->head + i) % j->max];
		fprintf(f, "%lld\t%s\n", (long long)e->at, e->rec);
	}
	fclose(f);
	/* the data before the name, so a power cut leaves the old file or a
	 * whole new one; the rename is synced with the next journal_sync */
	rc = state_write_renamed(j->path, buf, len, SYNC_FILE);
	free(buf);
	if (rc == 0) {
		if (j->fd >= 0)
			close(j->fd);
		j->fd = open(j->path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
		j->lines = j->n;
		j->unsynced = 2;       /* its name */
	}
	return rc;
}

struct journal *
journal_open(const char *path, size_t max_records, long max_age, time_t now)
{
	struct journal *j = calloc(1, sizeof *j);

	if (!j || !(j->path = strdup(path)) ||
	    !(j->e = calloc(max_records ? max_records : 1, sizeof *j->e))) {
		journal_close(j);
		return NULL;
	}
	j->max = max_records ? max_records : 1;
	j->max_age = max_age;
	j->fd = -1;
	load(j, now);
	if (compact(j) < 0) {
		journal_close(j);
		return NULL;
	}
	return j;
}

void
journal_close(struct journal *j)
{
	if (!j)
		return;
	while (j->e && j->n > 0)
		drop_oldest(j);
	if (j->fd >= 0)
		close(j->fd);
	free(j->e);
	free(j->path);
	free(j);
}

size_t
journal_replay(const struct journal *j, void (*fn)(void *, const char *), void *ud)
{
	for (size_t i = 0; i < j->n; i++)
		fn(ud, j->e[(j->head + i) % j->max].rec);
	return j->n;
}

size_t journal_count(const struct journal *j) { return j->n; }

int
journal_add(struct journal *j, const char *rec, time_t now)
{
	size_t cap = strlen(rec) + 32;
	char *line = malloc(cap);
	int len, rc = 0;

	if (!line)
		return -1;
	if (strchr(rec, '\n') || keep(j, now, rec) < 0) {
		free(line);
		return errno = EINVAL, -1;
	}
	len = snprintf(line, cap, "%lld\t%s\n", (long long)now, rec);
	if (j->fd < 0 || write(j->fd, line, (size_t)len) != len)
		rc = -1;
	else if (!j->unsynced)
		j->unsynced = 1;
	free(line);
	if (rc == 0 && ++j->lines >= JOURNAL_SLACK * j->max)
		rc = compact(j);
	return rc;
}

int
journal_sync(struct journal *j)
{
	if (!j->unsynced)
		return 0;
	if (j->fd < 0 || fdatasync(j->fd) < 0)
		return -1;
	if (j->unsynced == 2)
		state_fsync_dir_of(j->path);
	j->unsynced = 0;
	return 0;
}
