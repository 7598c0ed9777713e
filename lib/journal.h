/* journal.h — the records a source wrote lately, kept on disk so that a
 * restart writes them again.  A record written into a pipe is not yet
 * delivered: the stage that would have read it may die with it unread,
 * while the source has already moved its cursor past the event.  Sending
 * the recent records again on start closes that gap; wn-discord's
 * delivered log drops the copies that were posted already.
 *
 * File format, one entry a line: "<unix seconds>\t<record>\n". */
#ifndef WN_JOURNAL_H
#define WN_JOURNAL_H

#include <stddef.h>
#include <time.h>

struct journal;

/* journal.c */
/* Keeps at most max_records entries, none older than max_age seconds.
 * A missing file is an empty journal; unreadable lines are skipped. */
struct journal *journal_open(const char *path, size_t max_records, long max_age, time_t now);
void journal_close(struct journal *j);
/* Calls fn for each entry still within max_age, oldest first. */
size_t journal_replay(const struct journal *j, void (*fn)(void *ud, const char *rec), void *ud);
/* Append (a write: it survives a crash of the process); rewrites the
 * file compacted when it has grown to JOURNAL_SLACK times the bound
 * (rarely: each rewrite costs an fsync).  0, or -1 (errno). */
#define JOURNAL_SLACK 8
int journal_add(struct journal *j, const char *rec, time_t now);
/* Make what was added durable (fdatasync), before the source's cursor
 * moves past it; one sync for a whole burst.  0, or -1 (errno). */
int journal_sync(struct journal *j);
size_t journal_count(const struct journal *j);

#endif
