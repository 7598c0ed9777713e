/* wset.h — the killmail ids wn-kills wrote recently, kept across
 * restarts, so neither a re-join's preload nor a gap fill sends a kill
 * downstream twice (and wn-enrich never asks ESI for it again).
 *
 * Two parts share one hash table: the written ids (a ring of at most
 * `max`, the oldest forgotten first) and the ids queued for stdout but
 * not yet written (a FIFO in the order of the output queue, so the n-th
 * record written is the n-th id queued).  The file is "ID UNIXTIME" a
 * line, appended as ids are written and rewritten with the newest `max`
 * when it has grown to twice that.  No fsync: after a crash of the
 * machine (not of the process) the last ids can be missing, and those
 * kills can come once more.
 *
 * Written is not delivered: when a stage after wn-kills dies, what was
 * in the pipes is lost.  So a load forgets the ids written in the last
 * resend_s seconds of the previous run; their kills may be sent again
 * (the delivered log of wn-discord drops what did get through). */
#ifndef WN_WSET_H
#define WN_WSET_H

#include <stddef.h>
#include <stdint.h>

struct wset {
	int64_t *ring;              /* written, oldest at ring_head when full */
	int64_t *ring_t;            /* when each was written */
	size_t max, ring_n, ring_head;
	int64_t *fifo;              /* queued, oldest at fifo_head */
	size_t fifo_max, fifo_n, fifo_head;
	int64_t *tab;               /* open addressing, 0 = empty */
	size_t tab_size;            /* a power of two, > 2 * (max + fifo_max) */
	char path[4096];            /* "" until wset_load */
	char *pending;              /* ids written but not yet appended */
	size_t pending_len, pending_cap;
	size_t file_lines;
	size_t forgotten;           /* by the last load, as too recent */
};

/* wset.c */
/* max written ids remembered, fifo_max queued at once.  -1 on ENOMEM. */
int wset_init(struct wset *s, size_t max, size_t fifo_max);
void wset_free(struct wset *s);
/* Reads path (missing: empty set), but not the ids written in the last
 * resend_s seconds before its newest line (0: all); bad lines are
 * skipped and counted in *bad.  The file is written to from now on.
 * 0, or -1 if unreadable. */
int wset_load(struct wset *s, const char *path, int64_t resend_s, size_t *bad);
/* Written or queued now? */
int wset_has(const struct wset *s, int64_t id);
/* Queue an id that is going out (not already had).  -1 when the FIFO
 * is full or the id is not positive. */
int wset_queue(struct wset *s, int64_t id);
/* The oldest queued id reached stdout: it moves to the written ring.
 * Returns it, or 0 when nothing was queued. */
int64_t wset_written(struct wset *s, int64_t now);
/* Appends the ids written since the last call to the file (and
 * compacts it when due).  0, or -1 (logged) on a write error. */
int wset_save(struct wset *s);
/* wset_init and wset_load of state_dir/file, the bad lines and the ids
 * forgotten as too recent logged; fatal on ENOMEM. */
void wset_open(struct wset *s, const char *file, size_t max, size_t fifo_max,
               int64_t resend_s);

#endif
