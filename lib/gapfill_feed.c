/* gapfill_feed.c — the gap fill wired into wn-kills: its start from the
 * last run's state, when the feed counts as up, and the records let out
 * while the output has room and only if their id was not written. */
#include <limits.h>
#include <time.h>

#include "config.h"
#include "gapfill.h"
#include "json.h"
#include "kfeed.h"
#include "log.h"
#include "outbox_queue.h"
#include "status.h"
#include "wn.h"
#include "wset.h"

void
gapfill_start(struct gapfill *g, time_t newest)
{
	struct gapfill_cfg gc;

	gapfill_config(&gc);
	if (gapfill_init(g, &gc, config_str("WANDERER_KILLS_URL", NULL),
	                 "wn-kills/" WN_VERSION " (gap fill)") < 0)
		log_fatal(WN_EXIT_TEMP, "cannot start the HTTP client");
	gapfill_load(g);
	if (!g->open_start && newest)
		gapfill_down(g, newest);   /* stopped without saying */
}

/* A join sent counts as up, so a re-join for new lists on the same
 * connection is no gap; a refused join or a crashed channel (idle
 * again) is. */
void
gapfill_watch(struct gapfill *g, const struct kfeed *f, long long now)
{
	int up = f->c.conn == WSC_OPEN && f->phx.state != PHX_IDLE;

	if (up && !g->feed_up)
		gapfill_up(g, now);
	else if (!up && g->feed_up)
		gapfill_down(g, time(NULL));
	g->feed_up = up;
}

long long
gapfill_wait_room(const struct gapfill *g, const struct outbox_queue *q, long long now)
{
	return outbox_queue_full(q) ? LLONG_MAX / 4 : gapfill_wait_ms(g, now);
}

/* An id-and-hash record goes out as it is (wn-enrich fetches the body),
 * a whole killmail through the caller's normaliser. */
void
gapfill_emit(struct gapfill *g, const struct outbox_queue *q, const struct wset *written,
             const struct gapfill_out *out, void *ud)
{
	cJSON *rec;

	while (!outbox_queue_full(q) && (rec = gapfill_take(g))) {
		int64_t id = json_id(rec, "killmail_id");
		if (wset_has(written, id)) {
			status_add("repeats", 1);
			cJSON_Delete(rec);
		} else if (cJSON_GetObjectItemCaseSensitive(rec, "victim")) {
			out->kill(ud, rec);
			status_add("gap_kills", wset_has(written, id));
		} else {
			out->line(ud, json_print(rec), id, 0);
			cJSON_Delete(rec);
			status_add("gap_kills", 1);
		}
	}
}
