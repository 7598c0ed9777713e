/* filestamp.h — has a file changed since we read it?  Identity (device,
 * inode) plus size and mtime: state_atomic_write replaces the inode, so a
 * rewrite is caught even within one mtime tick.  Used by mapstate (the
 * map state file) and wn-filter (the priority systems file). */
#ifndef WN_FILESTAMP_H
#define WN_FILESTAMP_H

#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

struct filestamp {
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
	off_t size;
	int have;                 /* a file was there at the last look */
};

/* filestamp.c */
void filestamp_set(struct filestamp *f, const struct stat *st);
int filestamp_same(const struct filestamp *f, const struct stat *st);
/* The next comparison fails whatever the file looks like (SIGHUP: an
 * edit in place may keep size and mtime). */
void filestamp_invalidate(struct filestamp *f);
/* stat(path): 1 when it differs from the stamp (the new one is kept; a
 * file that vanished counts once), 0 when it is the same. */
int filestamp_changed(struct filestamp *f, const char *path);

#endif
