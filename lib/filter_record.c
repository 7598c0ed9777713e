/* filter_record.c — one line through the decision stage (see
 * filter_record.h).  Canonical killmails and map events are decided from
 * the scan alone; only records that pass get the full parse. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_record.h"
#include "json.h"
#include "killid.h"
#include "killmail.h"
#include "log.h"
#include "map_state.h"
#include "status.h"
#include "utf8.h"
#include "wn.h"

void
filter_record_init(struct filter_record *r, struct filter *f)
{
	memset(r, 0, sizeof *r);
	r->f = f;
	killmail_facts_init(&r->k);
}

void
filter_record_free(struct filter_record *r)
{
	killmail_facts_free(&r->k);
	buf_free(&r->out);
}

/* The original bytes up to the closing '}', then ,"notify":{...}}. */
static int
emit_splice(struct filter_record *r, const char *line, const struct notify *n)
{
	char nj[2048];
	int nl = notify_json(n, nj, sizeof nj);
	struct buf *o = &r->out;

	buf_clear(o);
	if (buf_put(o, line, r->k.close) < 0 ||
	    buf_puts(o, r->k.members ? ",\"notify\":" : "\"notify\":") < 0 ||
	    buf_put(o, nj, (size_t)nl) < 0 || buf_put(o, "}", 1) < 0)
		log_fatal(WN_EXIT_TEMP, "out of memory");
	return 1;
}

/* For records rebuilt as a tree (normalised, or with an old notify). */
static int
emit_tree(struct filter_record *r, cJSON *rec, const struct notify *n, char *err, size_t errlen)
{
	char nj[2048];
	cJSON *obj;
	char *text;
	size_t len;

	notify_json(n, nj, sizeof nj);
	if (!(obj = cJSON_Parse(nj)))
		return snprintf(err, errlen, "out of memory"), -1;
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "notify");
	cJSON_AddItemToObject(rec, "notify", obj);
	if (!(text = json_print(rec)))
		return snprintf(err, errlen, "out of memory"), -1;
	len = strlen(text);
	buf_clear(&r->out);
	if (buf_put(&r->out, text, len) < 0)
		log_fatal(WN_EXIT_TEMP, "out of memory");
	cJSON_free(text);
	return 1;
}

/* The map's own name for the kill's system (its custom name, else its
 * temporary one): Wanderer Notifier titles kills with it (#112).  At
 * most 63 characters, whole UTF-8 sequences: it fits notify's buffer. */
static void
name_from_map(const struct filter_record *r, struct notify *n)
{
	const cJSON *sys = r->map ? map_state_system(r->map, r->k.solar_system_id) : NULL;
	const char *name = json_str(sys, "custom_name");
	size_t len;

	if (!name || !*name)
		name = json_str(sys, "temporary_name");
	if (!name || !*name)
		return;
	len = utf8_prefix(name, strlen(name), 63);
	memcpy(n->system_name, name, len);
	n->system_name[len] = '\0';
}

static enum drop
decide_kill(struct filter_record *r, time_t now, double uptime, struct notify *n)
{
	enum drop d = filter_kill(r->f, &r->k, now, uptime, n);

	if (d == DROP_NONE)
		name_from_map(r, n);
	return d;
}

/* A killmail in another shape: normalise, decide, print the canonical
 * record.  0/1, or -1 with err for a record that is not a killmail. */
static int
kill_slow(struct filter_record *r, const char *line, size_t len, time_t now, double uptime,
          char *err, size_t errlen)
{
	struct notify n;
	enum drop d;
	cJSON *rec = json_parse(line, len, err, errlen);
	int rc = 0;

	if (!rec)
		return -1;
	if (!(rec = killmail_normalize(rec, err, errlen)))
		return -1;
	if (killid_check_json(rec, err, errlen) < 0) {
		cJSON_Delete(rec);
		return -1;
	}
	status_add("normalized", 1);
	if (killmail_facts_from_json(&r->k, rec) < 0) {
		cJSON_Delete(rec);
		return snprintf(err, errlen, "out of memory"), -1;
	}
	if ((d = decide_kill(r, now, uptime, &n)) == DROP_NONE)
		rc = emit_tree(r, rec, &n, err, errlen);
	else
		r->drops[d]++;
	cJSON_Delete(rec);
	return rc;
}

static int
kill_fast(struct filter_record *r, const char *line, size_t len, time_t now, double uptime,
          char *err, size_t errlen)
{
	struct notify n;
	enum drop d = decide_kill(r, now, uptime, &n);
	cJSON *rec;

	if (d != DROP_NONE) {
		r->drops[d]++;
		return 0;
	}
	/* only records that pass get the full parse: UTF-8, numbers, all */
	if (!(rec = json_parse(line, len, err, errlen)))
		return -1;
	if (r->k.type == REC_KILLMAIL && !r->k.has_notify) {
		cJSON_Delete(rec);
		return emit_splice(r, line, &n);
	}
	if (r->k.type != REC_KILLMAIL) {	/* ESI shape: print it canonical */
		if (!(rec = killmail_normalize(rec, err, errlen)))
			return -1;
		status_add("normalized", 1);
	}
	int rc = emit_tree(r, rec, &n, err, errlen);
	cJSON_Delete(rec);
	return rc;
}

/* rally_point_id may be a string or a number */
static const char *
id_text(const cJSON *v, char *buf, size_t size)
{
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsNumber(v)) {
		snprintf(buf, size, "%.0f", v->valuedouble);
		return buf;
	}
	return NULL;
}

static int
map_event(struct filter_record *r, const char *line, size_t len, double uptime, char *err,
          size_t errlen)
{
	struct notify n;
	enum drop d;
	char idbuf[32];
	cJSON *rec = json_parse(line, len, err, errlen);
	const char *action;
	int rc = 0;

	if (!rec)
		return -1;
	action = json_str(rec, "action");
	if (r->k.type == REC_SYSTEM)
		d = filter_system(r->f, action, json_id(rec, "solar_system_id"), uptime, &n);
	else if (r->k.type == REC_CHARACTER)
		d = filter_character(r->f, action, json_id(rec, "character_id"), uptime, &n);
	else
		d = filter_rally(r->f, action,
		                 id_text(cJSON_GetObjectItemCaseSensitive(rec, "rally_point_id"),
		                         idbuf, sizeof idbuf),
		                 json_str(rec, "system_name"), uptime, &n);
	if (d == DROP_INVALID) {
		snprintf(err, errlen, "%s", r->k.type == REC_SYSTEM ? "system record without solar_system_id" :
		         r->k.type == REC_CHARACTER ? "character record without character_id" :
		         "rally_point record without system_name");
		rc = -1;
	} else if (d != DROP_NONE) {
		r->drops[d]++;
	} else if (r->k.has_notify) {
		rc = emit_tree(r, rec, &n, err, errlen);
	} else {
		rc = emit_splice(r, line, &n);
	}
	cJSON_Delete(rec);
	return rc;
}

int
filter_record(struct filter_record *r, const char *line, size_t len, time_t now,
              double uptime, char *err, size_t errlen)
{
	struct killmail_facts *k = &r->k;

	if (killmail_facts_scan(k, line, len, filter_wants_attackers(r->f),
	                 filter_wants_labels(r->f), err, errlen) < 0)
		return -1;
	if (k->killmail_id && !killid_ok(k->killmail_id))
		return snprintf(err, errlen, "%s", KILLID_RULE), -1;
	switch (k->type) {
	case REC_SYSTEM: case REC_CHARACTER: case REC_RALLY:
		return map_event(r, line, len, uptime, err, errlen);
	case REC_OTHER:
		status_add("other_events", 1);
		return 0;
	default:
		break;
	}
	/* canonical (or plain ESI) killmails are decided from the scan */
	if (k->killmail_id && k->solar_system_id && (k->type == REC_KILLMAIL || k->has_time))
		return kill_fast(r, line, len, now, uptime, err, errlen);
	return kill_slow(r, line, len, now, uptime, err, errlen);
}
