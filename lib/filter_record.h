/* filter_record.h — wn-filter's work on one input line: scan it
 * (kmfacts), decide (filter.c), and build the line to write: the
 * original bytes up to the final '}' with ,"notify":{...} spliced in, or
 * the canonical record rebuilt when the input was in another shape or
 * already carried a notify.  The map state names a kill's system the way
 * the map does.  No I/O: the caller writes rec->out. */
#ifndef WN_FILTER_RECORD_H
#define WN_FILTER_RECORD_H

#include <stddef.h>
#include <time.h>

#include "filter.h"
#include "killmail_facts.h"

#include "buf.h"

struct map_state;

struct filter_record {
	struct filter *f;               /* the rules (caller owns) */
	const struct map_state *map;     /* NULL: no map (replays with --systems) */
	struct killmail_facts k;
	struct buf out;                 /* the line to write, without '\n';
	                                 * bounded by the input line + notify */
	long long drops[DROP_COUNT];    /* counted here; the caller reports them */
};

/* filter_record.c */
void filter_record_init(struct filter_record *r, struct filter *f);
void filter_record_free(struct filter_record *r);
/* 1: write r->out (r->out.len bytes at r->out.p); 0: dropped (counted in r->drops) or
 * not a notification type; -1: a bad record, with err. */
int filter_record(struct filter_record *r, const char *line, size_t len, time_t now,
                  double uptime, char *err, size_t errlen);

#endif
