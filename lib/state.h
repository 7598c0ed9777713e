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
int mkdir_p(const char *path, int mode);
/* temp file in the same dir + write + fsync + rename + fsync(dir). */
int atomic_write(const char *path, const void *buf, size_t len);
/* The same without the fsyncs: whole or absent after a crash of the
 * process, not after a crash of the machine (fsync it later for that). */
int replace_file(const char *path, const void *buf, size_t len);
/* Whole file, NUL-terminated, at most max bytes (else -1, errno EFBIG). */
char *read_file(const char *path, size_t max, size_t *len);

#endif
