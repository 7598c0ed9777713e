/* state.h — the state directory and crash-safe files.
 * WN_STATE_DIR, else $XDG_STATE_HOME/wn, else $HOME/.local/state/wn. */
#ifndef WN_STATE_H
#define WN_STATE_H

#include <stddef.h>

/* state.c */
const char *state_dir(void);
/* dir/name into buf; creates the state dir (and sub-dirs in name) on demand.
 * Returns 0, or -1 (logged) if it cannot. */
int state_path(char *buf, size_t size, const char *name);
int state_mkdir_p(const char *path, int mode);
/* The state dir, and each directory below it down to sub (NULL: none),
 * made if missing and checked: owned by us, writable by nobody else, no
 * symbolic link below the top.  Anything else is fatal (exit 100, one
 * line): another user could plant links there.  state_path checks too. */
void state_check(const char *sub);
/* One directory: 0 when trusted, else -1 with the reason in why. */
int state_dir_ok(const char *dir, int follow, char *why, size_t n);
/* top (followed) and each directory below it down to dir, which must be
 * top or below it: 0 when all are trusted, else -1 with the reason. */
int state_tree_ok(const char *top, const char *dir, char *why, size_t n);
/* temp file in the same dir + write + fsync + rename + fsync(dir). */
int state_atomic_write(const char *path, const void *buf, size_t len);
/* temp + rename, with the fsyncs asked for: SYNC_FILE before the rename
 * (the name never points at a file not yet on disk), SYNC_DIR after it
 * (the rename itself is on disk).  With neither, the file is whole or
 * absent after a crash of the process, not of the machine. */
enum { SYNC_FILE = 1, SYNC_DIR = 2 };
int state_write_renamed(const char *path, const void *buf, size_t len, int sync);
/* fsync a directory (a rename or unlink in it), or the one path is in. */
void state_fsync_dir(const char *dir);
void state_fsync_dir_of(const char *path);
/* Whole file, NUL-terminated, at most max bytes (else -1, errno EFBIG). */
char *state_read_file(const char *path, size_t max, size_t *len);

#endif
