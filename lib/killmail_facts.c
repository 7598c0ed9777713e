/* killmail_facts.c — what the filter rules read from a record, without parsing
 * all of it.  The top level, the victim and zkb are walked member by
 * member; items and positions are skipped in blocks; attackers are read
 * only when some rule looks at them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_scan.h"
#include "json.h"
#include "killmail_facts.h"
#include "wntime.h"

void
killmail_facts_init(struct killmail_facts *f)
{
	memset(f, 0, sizeof *f);
}

void
killmail_facts_free(struct killmail_facts *f)
{
	free(f->attackers);
	killmail_facts_init(f);
}

static void
reset(struct killmail_facts *f)
{
	struct killmail_facts_party *a = f->attackers;
	size_t cap = f->cap_attackers;

	memset(f, 0, sizeof *f);
	f->attackers = a;
	f->cap_attackers = cap;
	f->npc = -1;
}

enum rec_type
killmail_facts_type(const char *s, size_t len)
{
	if (json_scan_key_is(s, len, "killmail"))
		return REC_KILLMAIL;
	if (json_scan_key_is(s, len, "system"))
		return REC_SYSTEM;
	if (json_scan_key_is(s, len, "character"))
		return REC_CHARACTER;
	if (json_scan_key_is(s, len, "rally_point"))
		return REC_RALLY;
	return REC_OTHER;
}

/* Unix seconds (up to 12 digits, for --now) or an ISO 8601 time. */
int
killmail_facts_parse_time(const char *s, size_t len, time_t *t)
{
	int64_t v = 0;

	if (len > 0 && len <= 12 && strspn(s, "0123456789") >= len) {
		for (size_t i = 0; i < len; i++)
			v = v * 10 + (s[i] - '0');
		*t = (time_t)v;
		return 0;
	}
	if (wntime_iso_parse(s, len, 0, &v) < 0)
		return -1;
	*t = (time_t)v;
	return 0;
}

static int
grow_attackers(struct killmail_facts *f)
{
	if (f->n_attackers < f->cap_attackers)
		return 0;
	size_t cap = f->cap_attackers ? f->cap_attackers * 2 : 64;
	struct killmail_facts_party *a = realloc(f->attackers, cap * sizeof *a);
	if (!a)
		return -1;
	f->attackers = a;
	f->cap_attackers = cap;
	return 0;
}

/* Duplicate keys: the first occurrence wins, as cJSON's getters (and so
 * killmail_facts_from_json, the formatter and every other tree reader) take it.
 * Each reader below keeps a bit per key it reads and skips a repeat. */
static int
first_time(unsigned *seen, unsigned bit)
{
	if (*seen & bit)
		return 0;
	*seen |= bit;
	return 1;
}

/* One victim/attacker object: the three ids, the rest skipped. */
static int
scan_party(struct json_scan *s, struct killmail_facts_party *p)
{
	const char *k;
	size_t kl;
	int n = 0, r;
	unsigned seen = 0;

	memset(p, 0, sizeof *p);
	if ((r = json_scan_object(s)) <= 0)
		return r < 0 ? -1 : json_scan_skip(s);
	while ((r = json_scan_member(s, &n, &k, &kl)) == 1) {
		int64_t *dst = NULL;
		if (kl > 10 && k[kl - 3] == '_' && k[kl - 2] == 'i' && k[kl - 1] == 'd') {
			if (json_scan_key_is(k, kl, "character_id"))
				dst = first_time(&seen, 1) ? &p->character_id : NULL;
			else if (json_scan_key_is(k, kl, "corporation_id"))
				dst = first_time(&seen, 2) ? &p->corporation_id : NULL;
			else if (json_scan_key_is(k, kl, "alliance_id"))
				dst = first_time(&seen, 4) ? &p->alliance_id : NULL;
		}
		r = dst ? json_scan_int(s, dst) : json_scan_skip(s);
		if (r < 0)
			return -1;
	}
	return r;
}

static int
scan_attackers(struct json_scan *s, struct killmail_facts *f)
{
	int n = 0, r;

	if ((r = json_scan_array(s)) <= 0)
		return r < 0 ? -1 : json_scan_skip(s);
	while ((r = json_scan_element(s, &n)) == 1) {
		if (grow_attackers(f) < 0)
			return -1;
		if (scan_party(s, &f->attackers[f->n_attackers++]) < 0)
			return -1;
	}
	f->attackers_read = 1;
	return r;
}

static int
scan_labels(struct json_scan *s, struct killmail_facts *f)
{
	int n = 0, r;

	if ((r = json_scan_array(s)) <= 0)
		return r < 0 ? -1 : json_scan_skip(s);
	while ((r = json_scan_element(s, &n)) == 1) {
		struct killmail_facts_span *l = &f->labels[f->n_labels];
		if (f->n_labels < KILLMAIL_FACTS_MAX_LABELS) {
			if ((r = json_scan_str(s, &l->s, &l->len)) < 0)
				return -1;
			f->n_labels += (size_t)r;
		} else if (json_scan_skip(s) < 0) {
			return -1;
		}
	}
	return r;
}

static int
scan_zkb(struct json_scan *s, struct killmail_facts *f, int want_labels)
{
	const char *k;
	size_t kl;
	int n = 0, r;
	unsigned seen = 0;

	if ((r = json_scan_object(s)) <= 0)
		return r < 0 ? -1 : json_scan_skip(s);
	f->has_zkb = 1;
	while ((r = json_scan_member(s, &n, &k, &kl)) == 1) {
		if (json_scan_key_is(k, kl, "totalValue") && first_time(&seen, 1))
			f->has_value = (r = json_scan_num(s, &f->total_value)) == 1;
		else if (json_scan_key_is(k, kl, "npc") && first_time(&seen, 2))
			r = json_scan_bool(s, &f->npc) == 0 ? (f->npc = -1, 0) : 1;
		else if (want_labels && json_scan_key_is(k, kl, "labels") && first_time(&seen, 4))
			r = scan_labels(s, f);
		else
			r = json_scan_skip(s);
		if (r < 0 || s->err)
			return -1;
	}
	return r;
}

/* The top-level keys read, each with its bit in the seen mask. */
static const char *const top_keys[] = {
	"solar_system_id", "killmail_id", "type", "killmail_time", "victim",
	"attackers", "zkb", "notify",
};

/* One top-level member; -1 on malformed input. */
static int
scan_member(struct json_scan *s, struct killmail_facts *f, const char *k, size_t kl,
            int want_attackers, int want_labels, unsigned *seen)
{
	const char *v;
	size_t vl;
	int r;

	for (unsigned i = 0; i < sizeof top_keys / sizeof *top_keys; i++)
		if (json_scan_key_is(k, kl, top_keys[i]) && !first_time(seen, 1u << i))
			return json_scan_skip(s);
	if (json_scan_key_is(k, kl, "solar_system_id"))
		return json_scan_int(s, &f->solar_system_id);
	if (json_scan_key_is(k, kl, "killmail_id")) {
		/* present but no integer (1e999, "x", null): -1, which no
		 * tool takes for an id (killid.h), never 0 (= absent) */
		if ((r = json_scan_int(s, &f->killmail_id)) == 0)
			f->killmail_id = -1;
		return r;
	}
	if (json_scan_key_is(k, kl, "type")) {
		if ((r = json_scan_str(s, &v, &vl)) == 1)
			f->type = killmail_facts_type(v, vl);
		else if (r == 0)
			f->type = REC_OTHER;
		return r;
	}
	if (json_scan_key_is(k, kl, "killmail_time")) {
		if ((r = json_scan_str(s, &v, &vl)) == 1)
			f->has_time = killmail_facts_parse_time(v, vl, &f->kill_time) == 0;
		return r;
	}
	if (json_scan_key_is(k, kl, "victim")) {
		f->has_victim = 1;
		return scan_party(s, &f->victim);
	}
	if (json_scan_key_is(k, kl, "attackers")) {
		f->has_attackers = 1;
		return want_attackers ? scan_attackers(s, f) : json_scan_skip(s);
	}
	if (json_scan_key_is(k, kl, "zkb"))
		return scan_zkb(s, f, want_labels);
	if (json_scan_key_is(k, kl, "notify"))
		f->has_notify = 1;
	return json_scan_skip(s);
}

int
killmail_facts_scan(struct killmail_facts *f, const char *line, size_t len,
             int want_attackers, int want_labels, char *err, size_t errlen)
{
	struct json_scan s;
	const char *k;
	size_t kl;
	int n = 0, r;
	unsigned seen = 0;

	reset(f);
	json_scan_init(&s, line, len);
	if ((r = json_scan_object(&s)) <= 0) {
		snprintf(err, errlen, "not a JSON object");
		return -1;
	}
	while ((r = json_scan_member(&s, &n, &k, &kl)) == 1)
		if (scan_member(&s, f, k, kl, want_attackers, want_labels, &seen) < 0 || s.err)
			break;
	if (r == 0) {
		f->close = (size_t)(s.p - 1 - line);
		f->members = n;
	}
	if (r < 0 || s.err || json_scan_end(&s) < 0) {
		snprintf(err, errlen, "malformed JSON at byte %zu: %s", s.errpos,
		         s.err ? s.err : "out of memory");
		return -1;
	}
	return 0;
}

/* --- the same from a tree --- */

static void
party_from_json(struct killmail_facts_party *p, const cJSON *o)
{
	p->character_id = json_id(o, "character_id");
	p->corporation_id = json_id(o, "corporation_id");
	p->alliance_id = json_id(o, "alliance_id");
}

static void
zkb_from_json(struct killmail_facts *f, const cJSON *zkb)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(zkb, "totalValue"), *l;

	f->has_zkb = cJSON_IsObject(zkb);
	if (cJSON_IsNumber(v)) {
		f->has_value = 1;
		f->total_value = v->valuedouble;
	} else if (cJSON_IsString(v)) {
		char *e;
		f->total_value = strtod(v->valuestring, &e);
		f->has_value = *v->valuestring && !*e;
	}
	v = cJSON_GetObjectItemCaseSensitive(zkb, "npc");
	f->npc = cJSON_IsBool(v) ? cJSON_IsTrue(v) : -1;
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(zkb, "labels")) {
		if (cJSON_IsString(l) && f->n_labels < KILLMAIL_FACTS_MAX_LABELS) {
			f->labels[f->n_labels].s = l->valuestring;
			f->labels[f->n_labels++].len = strlen(l->valuestring);
		}
	}
}

int
killmail_facts_from_json(struct killmail_facts *f, const cJSON *rec)
{
	const cJSON *v, *a;
	const char *t;

	reset(f);
	if (!cJSON_IsObject(rec))
		return -1;
	t = json_str(rec, "type");
	f->type = t ? killmail_facts_type(t, strlen(t)) :
	          cJSON_GetObjectItemCaseSensitive(rec, "type") ? REC_OTHER : REC_NONE;
	/* as the scanner: present but no integer is -1, absent is 0 */
	if ((v = cJSON_GetObjectItemCaseSensitive(rec, "killmail_id")) &&
	    !json_int64(v, &f->killmail_id))
		f->killmail_id = -1;
	else if (!v)
		f->killmail_id = 0;
	f->solar_system_id = json_id(rec, "solar_system_id");
	if ((t = json_str(rec, "killmail_time")))
		f->has_time = killmail_facts_parse_time(t, strlen(t), &f->kill_time) == 0;
	v = cJSON_GetObjectItemCaseSensitive(rec, "victim");
	if ((f->has_victim = cJSON_IsObject(v)))
		party_from_json(&f->victim, v);
	v = cJSON_GetObjectItemCaseSensitive(rec, "attackers");
	f->has_attackers = cJSON_IsArray(v);
	cJSON_ArrayForEach(a, v) {
		if (grow_attackers(f) < 0)
			return -1;
		party_from_json(&f->attackers[f->n_attackers++], a);
	}
	f->attackers_read = 1;
	zkb_from_json(f, cJSON_GetObjectItemCaseSensitive(rec, "zkb"));
	f->has_notify = cJSON_GetObjectItemCaseSensitive(rec, "notify") != NULL;   /* cJSON_HasObjectItem ignores case */
	f->members = cJSON_GetArraySize(rec);
	return 0;
}

char *
killmail_facts_print(cJSON *rec, int64_t *id, time_t *t)
{
	const char *when = json_str(rec, "killmail_time");
	char *text;

	*t = 0;
	if (when)
		killmail_facts_parse_time(when, strlen(when), t);
	*id = json_id(rec, "killmail_id");
	text = json_print(rec);
	cJSON_Delete(rec);
	return text;
}
