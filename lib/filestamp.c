/* filestamp.c — file identity and mtime, to notice a replaced file. */
#include <sys/stat.h>

#include "filestamp.h"

void
filestamp_set(struct filestamp *f, const struct stat *st)
{
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	f->mtime = st->st_mtim;
	f->size = st->st_size;
	f->have = 1;
}

int
filestamp_same(const struct filestamp *f, const struct stat *st)
{
	return f->have && st->st_dev == f->dev && st->st_ino == f->ino &&
	       st->st_size == f->size && st->st_mtim.tv_sec == f->mtime.tv_sec &&
	       st->st_mtim.tv_nsec == f->mtime.tv_nsec;
}

void
filestamp_invalidate(struct filestamp *f)
{
	f->size = -1;	/* no file has that size */
}

int
filestamp_changed(struct filestamp *f, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		if (!f->have)
			return 0;
		f->have = 0;
		return 1;
	}
	if (filestamp_same(f, &st))
		return 0;
	filestamp_set(f, &st);
	return 1;
}
