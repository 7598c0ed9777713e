/* enrich_status.c — wn-enrich's counters into lib/status.c. */
#include "cache.h"
#include "enrich.h"
#include "enrich_notable.h"
#include "enrich_recent.h"
#include "enrich_status.h"
#include "esi.h"
#include "janice.h"
#include "status.h"
#include "wn.h"

static void
push(struct enrich_status *c, int i, const char *name, long long now)
{
	if (now != c->pushed[i])
		status_add(name, now - c->pushed[i]);
	c->pushed[i] = now;
}

static void
push_notable(struct enrich_status *c, int *i)
{
	static const struct enrich_notable_counters none;
	static const struct janice_counters jnone;
	const struct enrich_notable_counters *n =
	    c->notable ? enrich_notable_counters(c->notable) : &none;
	const struct janice_counters *j = c->janice ? janice_counters(c->janice) : &jnone;

	push(c, (*i)++, "notable_attached", n->attached);
	push(c, (*i)++, "notable_failed", n->failed);
	push(c, (*i)++, "notable_bodies", n->bodies);
	push(c, (*i)++, "janice_requests", j->requests);
	push(c, (*i)++, "janice_errors", j->errors);
	push(c, (*i)++, "janice_429", j->limited_429);
}

static void
push_recent(struct enrich_status *c, int *i)
{
	static const struct enrich_recent_counters none;
	const struct enrich_recent_counters *r =
	    c->recent ? enrich_recent_counters(c->recent) : &none;

	push(c, (*i)++, "recent_kills_added", r->added);
	push(c, (*i)++, "recent_kills_failed", r->failed);
	push(c, (*i)++, "recent_kills_skipped", r->skipped);
	push(c, (*i)++, "recent_kills_details_missing", r->details_missing);
	push(c, (*i)++, "recent_kills_details_cached", r->details_cached);
	push(c, (*i)++, "wk_requests", r->requests);
}

void
enrich_status_push(struct enrich_status *c, int force)
{
	const struct enrich_counters *n = enrich_counters(c->en);
	const struct esi_counters *e = esi_counters(c->esi);
	struct cache_stats cs;
	int i = 0;

	cache_get_stats(c->cache, &cs);
	push(c, i++, "received", c->received);
	push(c, i++, "written", c->written);
	push(c, i++, "killmails", n->records);
	push(c, i++, "enriched", n->enriched);
	push(c, i++, "partial", n->partial);
	push(c, i++, "names_missing", n->names_missing);
	push(c, i++, "bodies_fetched", n->bodies_fetched);
	push(c, i++, "bodies_missing", n->bodies_missing);
	push(c, i++, "bodies_invalid", n->bodies_invalid);
	push(c, i++, "esi_requests", e->requests);
	push(c, i++, "esi_errors", e->errors);
	push(c, i++, "esi_retries", e->retries);
	push(c, i++, "esi_not_modified", e->not_modified);
	push(c, i++, "esi_420", e->limited_420);
	push(c, i++, "esi_429", e->limited_429);
	push(c, i++, "esi_paused", e->paused);
	push(c, i++, "esi_gave_up", e->gave_up);
	push(c, i++, "esi_names_splits", e->names_split);
	/* per name or answer looked up, not per internal cache probe */
	push(c, i++, "cache_hits", n->name_hits + e->cache_hits);
	push(c, i++, "cache_misses", n->name_misses + e->cache_misses);
	push_recent(c, &i);
	push_notable(c, &i);
	status_set("cache_entries", (long long)cs.entries);
	status_set("cache_file_bytes", (long long)cs.file_bytes);
	status_set_str("esi", esi_is_down(c->esi, wn_mono()) ? "down" : "up");
	status_flush(force);
}

