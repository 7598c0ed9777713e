/* outbox.c — spool, per-target queues, pacing and outcomes (outbox.h). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "outbox_delivered.h"
#include "discord.h"
#include "json.h"
#include "log.h"
#include "outbox.h"
#include "outbox_ratelimit.h"
#include "recent.h"
#include "outbox_spool.h"
#include "status.h"
#include "wn.h"
#include "fnv.h"

#define SPOOL_FILE_MAX (1u << 20)   /* a message is at most ~30 KB */
#define REFILL_BATCH 1024

struct node {
	uint64_t seq;
	uint64_t kh;              /* hash of the delivery key */
	int next;                 /* index in nodes, -1 ends */
};

struct queue {
	int head, tail;           /* -1 when empty */
	int dead;                 /* Discord refused the route for good */
	char why[512];
};

struct outbox {
	struct outbox_config cfg;
	struct outbox_spool spool;
	struct outbox_delivered *dlog;
	struct outbox_ratelimit *rl;
	struct node *nodes;
	int free_list;
	size_t queued;
	struct queue q[ROUTE_MAX_TARGETS];
	uint64_t backlog_end;     /* spool numbers below this predate this run */
	uint64_t backlog_seen;
	int backlog_done;
};

double
outbox_now(void)
{
	return wn_mono();
}

struct outbox *
outbox_new(const struct outbox_config *cfg)
{
	struct outbox *ob = calloc(1, sizeof *ob);
	char path[PATH_MAX];

	if (!ob)
		return NULL;
	ob->cfg = *cfg;
	if (ob->cfg.max_queue == 0)
		ob->cfg.max_queue = OUTBOX_QUEUE_DEFAULT;
	snprintf(path, sizeof path, "%s/delivered.log", cfg->dir);
	if (outbox_spool_open(&ob->spool, cfg->dir) != 0 ||
	    !(ob->dlog = outbox_delivered_open(path, cfg->dedup_seconds, OUTBOX_DLOG_MAX, time(NULL))) ||
	    !(ob->rl = outbox_ratelimit_new(cfg->global_per_sec)) ||
	    !(ob->nodes = malloc(ob->cfg.max_queue * sizeof *ob->nodes))) {
		log_error("cannot open the spool in %s: %s", cfg->dir, strerror(errno));
		outbox_free(ob);
		return NULL;
	}
	for (size_t i = 0; i < ob->cfg.max_queue; i++)
		ob->nodes[i].next = i + 1 < ob->cfg.max_queue ? (int)i + 1 : -1;
	for (int t = 0; t < ROUTE_MAX_TARGETS; t++)
		ob->q[t].head = ob->q[t].tail = -1;
	ob->backlog_end = ob->spool.next_seq;
	return ob;
}

void
outbox_free(struct outbox *ob)
{
	if (!ob)
		return;
	outbox_delivered_close(ob->dlog);
	outbox_ratelimit_free(ob->rl);
	free(ob->nodes);
	free(ob);
}

/* Keeps key-safe characters only: keys are one line in delivered.log. */
static void
append_clean(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);

	for (; s && *s && n + 1 < size && n < 200; s++)
		if ((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= 'a' && *s <= 'z') || strchr("-_.:+", *s))
			buf[n++] = *s;
	buf[n] = '\0';
}

void
outbox_record_key(const cJSON *rec, char *buf, size_t size)
{
	const char *type = json_str(rec, "type"), *ev = json_str(rec, "event_id");
	static const char *const ids[] = { "solar_system_id", "character_id",
	                                   "rally_point_id", "map_character_id" };
	int64_t id;

	buf[0] = '\0';
	if (type && strcmp(type, "killmail") == 0 && (id = json_id(rec, "killmail_id")) > 0) {
		snprintf(buf, size, "killmail:%" PRId64, id);
		return;
	}
	append_clean(buf, size, type ? type : "record");
	if (ev && *ev) {
		append_clean(buf, size, ":event:");
		append_clean(buf, size, ev);
		return;
	}
	append_clean(buf, size, ":");
	append_clean(buf, size, json_str(rec, "action"));
	for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, ids[i]);
		char num[32];
		if (json_int64(v, &id)) {
			snprintf(num, sizeof num, ":%" PRId64, id);
			append_clean(buf, size, num);
		} else if (cJSON_IsString(v)) {
			append_clean(buf, size, ":");
			append_clean(buf, size, v->valuestring);
		}
	}
	append_clean(buf, size, ":");
	append_clean(buf, size, json_str(rec, "time") ? json_str(rec, "time") :
	             json_str(rec, "created_at"));
}

/* FNV-1a of a delivery key, to spot a second copy still queued. */
static uint64_t
key_hash(const char *k)
{
	return fnv_hash64(k);
}

static int
queued_already(const struct outbox *ob, int t, uint64_t kh)
{
	for (int i = ob->q[t].head; i >= 0; i = ob->nodes[i].next)
		if (ob->nodes[i].kh == kh)
			return 1;
	return 0;
}

static void
push(struct outbox *ob, int t, uint64_t seq, uint64_t kh)
{
	int i = ob->free_list;

	ob->free_list = ob->nodes[i].next;
	ob->nodes[i] = (struct node){ seq, kh, -1 };
	if (ob->q[t].tail >= 0)
		ob->nodes[ob->q[t].tail].next = i;
	else
		ob->q[t].head = i;
	ob->q[t].tail = i;
	ob->queued++;
	status_set("queued", (long long)ob->queued);
}

static void
pop(struct outbox *ob, int t)
{
	int i = ob->q[t].head;

	ob->q[t].head = ob->nodes[i].next;
	if (ob->q[t].head < 0)
		ob->q[t].tail = -1;
	ob->nodes[i].next = ob->free_list;
	ob->free_list = i;
	ob->queued--;
	status_set("queued", (long long)ob->queued);
}

static int
target_index(const struct outbox *ob, int cls)
{
	const struct route_target *t = routes_target(ob->cfg.routes, cls);

	return t ? (int)(t - ob->cfg.routes->t) : -1;
}

static void
delivery_key(char *buf, size_t size, const char *key, const struct route_target *t)
{
	snprintf(buf, size, "%s %s", key, t->name);
}

int
outbox_accept(struct outbox *ob, const char *key, int cls, const cJSON *payload,
              char *err, size_t errlen)
{
	int t = target_index(ob, cls);
	char dkey[320];
	cJSON *msg;
	char *text;
	uint64_t seq;
	int rc;

	if (t < 0 || ob->queued >= ob->cfg.max_queue) {
		snprintf(err, errlen, t < 0 ? "no Discord route for %s messages" : "queue full",
		         route_class_name(cls));
		return -1;
	}
	delivery_key(dkey, sizeof dkey, key, &ob->cfg.routes->t[t]);
	/* a replay after a restart re-sends what is queued or delivered */
	if (outbox_delivered_has(ob->dlog, dkey, time(NULL)) || queued_already(ob, t, key_hash(dkey)))
		return 0;
	if (!(msg = cJSON_CreateObject()) || !cJSON_AddStringToObject(msg, "key", key) ||
	    !cJSON_AddStringToObject(msg, "class", route_class_name(cls)) ||
	    !cJSON_AddItemReferenceToObject(msg, "payload", (cJSON *)payload) ||
	    !(text = json_print(msg))) {
		cJSON_Delete(msg);
		snprintf(err, errlen, "out of memory");
		return -2;
	}
	cJSON_Delete(msg);
	rc = outbox_spool_add_lazy(&ob->spool, text, strlen(text), &seq);
	cJSON_free(text);
	if (rc != 0) {
		snprintf(err, errlen, "cannot write to %s: %s", ob->spool.dir, strerror(errno));
		return -2;
	}
	push(ob, t, seq, key_hash(dkey));
	return 1;
}

/* The spooled message, parsed; NULL when missing (errno ENOENT), unreadable
 * or corrupt (errno EINVAL). */
static cJSON *
load(struct outbox *ob, uint64_t seq)
{
	size_t len;
	char err[128], *data = outbox_spool_read(&ob->spool, seq, SPOOL_FILE_MAX, &len);
	cJSON *msg;

	if (!data)
		return NULL;
	msg = json_parse(data, len, err, sizeof err);
	free(data);
	if (!msg || !json_str(msg, "key") || !json_str(msg, "class") ||
	    !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(msg, "payload"))) {
		cJSON_Delete(msg);
		errno = EINVAL;
		return NULL;
	}
	return msg;
}

static void
bury(struct outbox *ob, uint64_t seq, const char *reason)
{
	if (outbox_spool_bury(&ob->spool, seq, reason) != 0)
		log_error("cannot move spooled message %" PRIu64 " to %s: %s", seq,
		          ob->spool.dead, strerror(errno));
	status_add("dead", 1);
}

/* Queues one message of an earlier run. */
static void
requeue(struct outbox *ob, uint64_t seq)
{
	cJSON *msg = load(ob, seq);
	int cls, t = -1;

	if (!msg && errno == ENOENT)
		return;
	cls = msg ? route_class_from_name(json_str(msg, "class")) : -1;
	if (cls >= 0)
		t = target_index(ob, cls);
	if (t >= 0) {
		char dkey[320];
		delivery_key(dkey, sizeof dkey, json_str(msg, "key"), &ob->cfg.routes->t[t]);
		push(ob, t, seq, key_hash(dkey));
	} else {
		log_error("spooled message %" PRIu64 ": %s; moved to %s", seq,
		          msg ? "no route for its class" : "unreadable", ob->spool.dead);
		bury(ob, seq, msg ? "no route configured for its class" : "unreadable spool file");
	}
	cJSON_Delete(msg);
}

int
outbox_refill(struct outbox *ob)
{
	uint64_t seqs[REFILL_BATCH];
	size_t room = ob->cfg.max_queue - ob->queued;
	long n;

	if (ob->backlog_done)
		return 1;
	if (room == 0)
		return 0;
	n = outbox_spool_list(&ob->spool, ob->backlog_seen, seqs, room < REFILL_BATCH ? room : REFILL_BATCH);
	if (n < 0) {
		log_error("cannot list %s: %s", ob->spool.dir, strerror(errno));
		return -1;
	}
	for (long i = 0; i < n; i++) {
		if (seqs[i] >= ob->backlog_end)
			break;
		requeue(ob, seqs[i]);
		ob->backlog_seen = seqs[i];
	}
	if (n == 0 || seqs[n - 1] >= ob->backlog_end || ob->backlog_seen + 1 >= ob->backlog_end) {
		if (ob->queued)
			log_info("%zu message(s) from the spool queued for delivery", ob->queued);
		ob->backlog_done = 1;
	}
	return ob->backlog_done;
}

size_t
outbox_room(const struct outbox *ob)
{
	return ob->backlog_done ? ob->cfg.max_queue - ob->queued : 0;
}

size_t
outbox_queued(const struct outbox *ob)
{
	return ob->queued;
}

static double
due(struct outbox *ob, int t, double now)
{
	if (ob->q[t].head < 0)
		return INFINITY;
	if (ob->q[t].dead)
		return now;
	return outbox_ratelimit_ready_at(ob->rl, ob->cfg.routes->t[t].key, now);
}

/* The queue whose head may go first; ties go to the older message. */
static int
pick(struct outbox *ob, double now, double *when)
{
	int best = -1;

	*when = INFINITY;
	for (int t = 0; t < ob->cfg.routes->n; t++) {
		double d = due(ob, t, now);
		if (d < *when || (d == *when && best >= 0 && d < INFINITY &&
		    ob->nodes[ob->q[t].head].seq < ob->nodes[ob->q[best].head].seq)) {
			*when = d;
			best = t;
		}
	}
	return best;
}

double
outbox_next_due(struct outbox *ob, double now)
{
	double when;

	pick(ob, now, &when);
	return when;
}

/* Discord refused the whole route: no more requests to it this run.  A
 * bad bot token (401 on a channel) refuses every channel at once. */
static void
kill_route(struct outbox *ob, int t, const struct discord_result *r)
{
	const struct route_target *tg = &ob->cfg.routes->t[t];
	int all = tg->kind == TARGET_CHANNEL && r->status == 401;

	log_error("%s: %s: %s; no more requests to %s until restart, its messages go to %s",
	          tg->name, r->reason,
	          r->status == 401 ? "bad token" : r->status == 403 ? "missing permission" :
	          "unknown webhook or channel", all ? "any channel" : "it", ob->spool.dead);
	for (int i = 0; i < ob->cfg.routes->n; i++)
		if (i == t || (all && ob->cfg.routes->t[i].kind == TARGET_CHANNEL)) {
			ob->q[i].dead = 1;
			snprintf(ob->q[i].why, sizeof ob->q[i].why, "%s: %s", tg->name, r->reason);
		}
}

/* Confirmed: remember, then forget the spool file (in this order). */
static int
delivered(struct outbox *ob, int t, uint64_t seq, const char *dkey,
          const struct discord_result *r)
{
	if (outbox_delivered_add(ob->dlog, dkey, time(NULL)) != 0) {
		log_error("cannot record delivery in the delivered log: %s", strerror(errno));
		return -1;
	}
	if (outbox_spool_remove(&ob->spool, seq) != 0)
		log_warn("cannot remove spooled message %" PRIu64 ": %s", seq, strerror(errno));
	pop(ob, t);
	status_add("delivered", 1);
	status_set_time("last_delivered", time(NULL));
	recent_note_posted(dkey, ob->cfg.routes->t[t].name);
	log_debug("delivered %s (message %s)", dkey, r->message_id[0] ? r->message_id : "?");
	return 0;
}

static int
handle(struct outbox *ob, int t, uint64_t seq, const char *dkey,
       const struct discord_result *r, double now)
{
	const struct route_target *tg = &ob->cfg.routes->t[t];
	double wait;

	if (r->outcome != DC_RATE_LIMITED)
		outbox_ratelimit_on_response(ob->rl, tg->key, r->status, &r->rl, now);
	switch (r->outcome) {
	case DC_OK:
		return delivered(ob, t, seq, dkey, r);
	case DC_RATE_LIMITED:
		wait = outbox_ratelimit_on_429(ob->rl, tg->key, &r->rl, now);
		status_add("rate_limited", 1);
		if (!r->rl.has_retry_after)   /* most likely a Cloudflare ban */
			log_warn("%s: %s, no retry_after; cooling down %.0f s", tg->name,
			         r->reason, wait);
		else
			log_warn("%s: rate limited (%s), waiting %.3f s", tg->name,
			         r->rl.global ? "global" : r->rl.scope[0] ? r->rl.scope : "route",
			         wait);
		return 0;
	case DC_RETRY:
		wait = outbox_ratelimit_on_error(ob->rl, tg->key, now);
		status_add("retries", 1);
		log_warn("%s: %s; retrying in %.1f s", tg->name, r->reason, wait);
		return 0;
	case DC_BAD_MESSAGE:
		log_error("%s: message %s refused: %s; moved to %s", tg->name, dkey,
		          r->reason, ob->spool.dead);
		break;
	case DC_BAD_ROUTE:
		kill_route(ob, t, r);
		break;
	}
	char why[600];
	snprintf(why, sizeof why, "%s: %s", tg->name, r->reason);
	bury(ob, seq, why);
	pop(ob, t);
	return 0;
}

/* Bot API: a nonce from the delivery key with enforce_nonce, so a message
 * re-sent after a lost answer or a crash is not created twice. */
static int
add_nonce(cJSON *payload, const char *dkey)
{
	char nonce[32];

	discord_nonce(dkey, nonce, sizeof nonce);
	cJSON_DeleteItemFromObjectCaseSensitive(payload, "nonce");
	cJSON_DeleteItemFromObjectCaseSensitive(payload, "enforce_nonce");
	return cJSON_AddStringToObject(payload, "nonce", nonce) &&
	       cJSON_AddBoolToObject(payload, "enforce_nonce", 1) ? 0 : -1;
}

static int
post(struct outbox *ob, int t, uint64_t seq, cJSON *msg, double now)
{
	const struct route_target *tg = &ob->cfg.routes->t[t];
	cJSON *payload = cJSON_GetObjectItemCaseSensitive(msg, "payload");
	struct discord_result r;
	char dkey[320], *body;

	delivery_key(dkey, sizeof dkey, json_str(msg, "key"), tg);
	if (outbox_delivered_has(ob->dlog, dkey, time(NULL))) {
		/* delivered before a crash, or a second copy queued meanwhile */
		outbox_spool_remove(&ob->spool, seq);
		pop(ob, t);
		status_add("duplicates", 1);
		return 0;
	}
	if (ob->q[t].dead) {
		log_debug("%s: dropping %s to %s", ob->q[t].why, dkey, ob->spool.dead);
		bury(ob, seq, ob->q[t].why);
		pop(ob, t);
		return 0;
	}
	if ((tg->kind == TARGET_CHANNEL && add_nonce(payload, dkey) != 0) ||
	    !(body = json_print(payload)))
		return log_error("out of memory"), -1;
	(void)now;
	status_add("requests", 1);
	discord_post(ob->cfg.http, tg, ob->cfg.routes->auth, body, strlen(body), &r);
	cJSON_free(body);
	/* Counted when the answer is in: Discord saw the request at some
	 * point before that, so our window never starts earlier than theirs. */
	now = outbox_now();
	outbox_ratelimit_on_send(ob->rl, tg->key, now);
	return handle(ob, t, seq, dkey, &r, now);
}

int
outbox_send_next(struct outbox *ob, double now)
{
	double when;
	int t = pick(ob, now, &when), rc;
	uint64_t seq;
	cJSON *msg;

	if (t < 0 || when > now)
		return 0;
	seq = ob->nodes[ob->q[t].head].seq;
	if (!(msg = load(ob, seq))) {
		if (errno != ENOENT) {
			log_error("spooled message %" PRIu64 " unreadable; moved to %s", seq,
			          ob->spool.dead);
			bury(ob, seq, "unreadable spool file");
		}
		pop(ob, t);
		return 0;
	}
	rc = post(ob, t, seq, msg, now);
	cJSON_Delete(msg);
	status_flush(0);
	return rc;
}

int
outbox_sync(struct outbox *ob)
{
	return outbox_spool_sync(&ob->spool);
}
