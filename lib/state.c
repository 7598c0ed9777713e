/* state.c — the state directory and crash-safe file writes. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "state.h"
#include "wn.h"

const char *
state_dir(void)
{
	/* recomputed on each call: cheap, and tests change WN_STATE_DIR */
	static char dir[PATH_MAX];
	const char *e;

	if ((e = getenv("WN_STATE_DIR")) && *e)
		snprintf(dir, sizeof dir, "%s", e);
	else if ((e = getenv("XDG_STATE_HOME")) && *e)
		snprintf(dir, sizeof dir, "%s/wn", e);
	else if ((e = getenv("HOME")) && *e)
		snprintf(dir, sizeof dir, "%s/.local/state/wn", e);
	else
		snprintf(dir, sizeof dir, "./wn-state");
	return dir;
}

int
state_mkdir_p(const char *path, int mode)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof buf)
		return errno = ENAMETOOLONG, -1;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, (mode_t)mode) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, (mode_t)mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* May this process trust dir: a directory (a symlink only where follow
 * is set: the configured state dir itself), owned by us, writable by
 * nobody else?  Another user who can write in it could plant symlinks. */
int
state_dir_ok(const char *dir, int follow, char *why, size_t n)
{
	struct stat st;

	if ((follow ? stat(dir, &st) : lstat(dir, &st)) < 0) {
		snprintf(why, n, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		snprintf(why, n, "%s is not a directory%s", dir,
		         S_ISLNK(st.st_mode) ? " (a symbolic link)" : "");
	else if (st.st_uid != geteuid())
		snprintf(why, n, "%s is owned by uid %ld, not by this user (uid %ld)", dir,
		         (long)st.st_uid, (long)geteuid());
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		snprintf(why, n, "%s is writable by %s (mode %03o)", dir,
		         st.st_mode & S_IWOTH ? "others" : "its group", (unsigned)(st.st_mode & 07777));
	else
		return 0;
	return -1;
}

int
state_tree_ok(const char *top, const char *dir, char *why, size_t n)
{
	char path[PATH_MAX];
	size_t tl = strlen(top), len = strlen(dir);

	if (len >= sizeof path || strncmp(dir, top, tl) != 0 || (dir[tl] && dir[tl] != '/')) {
		snprintf(why, n, "%s is not below %s", dir, top);
		return -1;
	}
	memcpy(path, dir, len + 1);
	/* top, then each directory below it down to dir */
	for (size_t i = tl; ; i++) {
		char c = path[i];

		if (c == '/' || c == '\0') {
			path[i] = '\0';
			if (state_dir_ok(path, i == tl, why, n) < 0)
				return -1;
			path[i] = c;
		}
		if (c == '\0')
			return 0;
	}
}

void
state_check(const char *sub)
{
	char path[PATH_MAX], why[PATH_MAX + 100];
	const char *top = state_dir();
	int n = snprintf(path, sizeof path, "%s%s%s", top, sub && *sub ? "/" : "", sub ? sub : "");

	if (n < 0 || (size_t)n >= sizeof path)
		log_fatal(WN_EXIT_USAGE, "state path too long: %s/%s", top, sub);
	if (state_mkdir_p(path, 0700) < 0)
		return;   /* the caller's open says why */
	if (state_tree_ok(top, path, why, sizeof why) < 0)
		log_fatal(WN_EXIT_USAGE, "refusing to use the state directory: %s", why);
}

int
state_path(char *buf, size_t size, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", state_dir(), name);
	char *slash;

	if (n < 0 || (size_t)n >= size) {
		log_error("state path too long: %s/%s", state_dir(), name);
		return -1;
	}
	slash = strrchr(buf, '/');
	*slash = '\0';
	if (state_mkdir_p(buf, 0700) < 0) {
		log_error("unable to create %s: %s", buf, strerror(errno));
		*slash = '/';
		return -1;
	}
	*slash = '/';
	if ((size_t)(slash - buf) > strlen(state_dir())) {
		*slash = '\0';
		state_check(buf + strlen(state_dir()) + 1);
		*slash = '/';
	} else
		state_check(NULL);
	return 0;
}

static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

void
state_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

void
state_fsync_dir_of(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), slash == path ? "/" : path);
	state_fsync_dir(dir);
}

int
state_write_renamed(const char *path, const void *buf, size_t len, int sync)
{
	char tmp[PATH_MAX];
	int fd, saved;

	if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp)
		return errno = ENAMETOOLONG, -1;
	/* a name left by a crash is ours to replace; a link planted there
	 * is refused (O_EXCL does not follow it) */
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (write_all(fd, buf, len) < 0 || ((sync & SYNC_FILE) && fsync(fd) < 0)) {
		saved = errno;
		close(fd);
		unlink(tmp);
		return errno = saved, -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		saved = errno;
		unlink(tmp);
		return errno = saved, -1;
	}
	if (sync & SYNC_DIR)
		state_fsync_dir_of(path);
	return 0;
}

int
state_atomic_write(const char *path, const void *buf, size_t len)
{
	return state_write_renamed(path, buf, len, SYNC_FILE | SYNC_DIR);
}


char *
state_read_file(const char *path, size_t max, size_t *lenp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf;
	size_t len = 0, cap;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || (st.st_size > 0 && (size_t)st.st_size > max)) {
		close(fd);
		return errno = EFBIG, NULL;
	}
	cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	if (!(buf = malloc(cap))) {
		close(fd);
		return NULL;
	}
	for (;;) {
		if (len + 1 == cap) {
			if (cap > max) {
				free(buf);
				close(fd);
				return errno = EFBIG, NULL;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				close(fd);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int saved = errno;
			free(buf);
			close(fd);
			return errno = saved, NULL;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}
