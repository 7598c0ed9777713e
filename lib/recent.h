/* recent.h — short on-disk lists of what a tool did lately (the kills it
 * notified, the messages it posted), for the dashboard and /api/status.
 *
 * state_dir()/status/<name>.recent holds one JSON object a line, newest
 * last.  Lines are appended with one write(2) each; when the file passes
 * RECENT_MAX_BYTES it is rewritten with its newer half (temp + rename, no
 * sync: losing the list in a machine crash costs nothing).  Readers take
 * the newest lines only, so the file never has to be read whole. */
#ifndef WN_RECENT_H
#define WN_RECENT_H

#include <stddef.h>
#include <cjson/cJSON.h>

#define RECENT_MAX_BYTES (256 * 1024)
#define RECENT_MAX_LINE 2048          /* longer entries are not recorded */

/* recent.c */
/* Append obj (compact JSON) to <name>.recent in dir; -1 (errno) on error. */
int recent_add(const char *dir, const char *name, const cJSON *obj);
/* The newest `max` entries of <name>.recent, newest first, as a JSON
 * array (empty when the file is missing); bad lines are skipped. */
cJSON *recent_read(const char *dir, const char *name, int max);

/* The two lists wn-discord keeps in state_dir()/status: "kills" (a kill
 * it accepted for delivery: id, system, victim, ship, value, "seen") and
 * "posted" (a message Discord confirmed: its key, target name, "at"). */
/* Until called (by wn-discord, beside status_init), both do nothing. */
void recent_enable(void);
void recent_note_kill(const cJSON *rec);
void recent_note_posted(const char *dkey, const char *target);

#endif
