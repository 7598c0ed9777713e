/* killmail.c — every killmail shape found in the wild to the canonical
 * record of wn-records(5).  Works on the parsed tree: unwrap the envelope
 * (RedisQ package, R2Z2 file), rename aliases in place, turn ids given as
 * strings into numbers and the time into UTC, then put "type" and the
 * identifying keys first.  Anything it does not know passes through. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "killid.h"
#include "killmail.h"
#include "killmail_fields.h"


static const char *const shape_names[] = {
	"unknown", "canonical", "esi", "esi+zkb", "r2z2", "redisq",
	"wanderer-kills",
};

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (err != NULL && errlen > 0)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

const char *
killmail_shape_name(enum killmail_shape s)
{
	if ((unsigned)s >= sizeof shape_names / sizeof *shape_names)
		return shape_names[KM_UNKNOWN];
	return shape_names[s];
}

/* WandererKills renames ESI's keys and flattens names into the parties. */
static int
wk_like(const cJSON *in)
{
	const cJSON *zkb = json_get(in, "zkb"), *v = json_get(in, "victim");

	return json_get(in, "kill_time") || json_get(in, "system_id") ||
	    json_get(in, "total_value") || json_get(zkb, "location_id") ||
	    json_get(zkb, "total_value") || json_get(zkb, "fitted_value") ||
	    json_get(v, "ship_name") || json_get(v, "victim_name");
}

enum killmail_shape
killmail_shape(const cJSON *in)
{
	const cJSON *t;

	if (!cJSON_IsObject(in))
		return KM_UNKNOWN;
	if ((t = json_get(in, "type")) != NULL)
		return cJSON_IsString(t) && strcmp(t->valuestring, "killmail") == 0 ?
		    KM_CANONICAL : KM_UNKNOWN;
	if (json_get(in, "package") != NULL)
		return KM_REDISQ;
	if (cJSON_IsObject(json_get(in, "esi")))
		return KM_R2Z2;
	if (json_get(in, "killmail_id") == NULL && json_get(in, "killID") == NULL)
		return KM_UNKNOWN;
	if (wk_like(in))
		return KM_WANDERER_KILLS;
	return json_get(in, "zkb") != NULL ? KM_ESI_ZKB : KM_ESI;
}

/* Move every member of src that dst lacks into dst, in order; frees src.
 * On a clash dst wins: the ESI body is the authority over its envelope. */
static void
merge(cJSON *dst, cJSON *src)
{
	cJSON *it;

	while ((it = src->child) != NULL) {
		cJSON_DetachItemViaPointer(src, it);
		if (json_get(dst, it->string) != NULL ||
		    !cJSON_AddItemToObject(dst, it->string, it))
			cJSON_Delete(it);
	}
	cJSON_Delete(src);
}

static int64_t
envelope_id(const cJSON *env)
{
	int64_t id;

	if (json_int64(json_get(env, "killmail_id"), &id) ||
	    json_int64(json_get(env, "killID"), &id))
		return id;
	return 0;
}

/* RedisQ {"package":{killID,killmail,zkb}} and R2Z2 {killmail_id,hash,
 * esi,zkb,...}: the ESI body becomes the record, the envelope's other
 * members join it.  Consumes in; NULL with err on failure. */
static cJSON *
unwrap(cJSON *in, enum killmail_shape shape, char *err, size_t errlen)
{
	const char *what = shape == KM_REDISQ ? "RedisQ package" : "R2Z2 file";
	cJSON *env = in, *body;
	int64_t eid, bid;

	if (shape != KM_REDISQ && shape != KM_R2Z2)
		return in;
	if (shape == KM_REDISQ) {
		env = json_get(in, "package");
		if (!cJSON_IsObject(env) || env->child == NULL) {
			fail(err, errlen, "empty RedisQ package");
			goto bad;
		}
	}
	body = json_get(env, shape == KM_REDISQ ? "killmail" : "esi");
	eid = envelope_id(env);
	if (!cJSON_IsObject(body)) {
		fail(err, errlen, "%s for kill %lld has no killmail body "
		    "(only id and hash: fetch it from ESI)", what, (long long)eid);
		goto bad;
	}
	if (eid != 0 && json_int64(json_get(body, "killmail_id"), &bid) && bid != eid) {
		fail(err, errlen, "%s id %lld does not match its killmail %lld",
		    what, (long long)eid, (long long)bid);
		goto bad;
	}
	cJSON_DetachItemViaPointer(env, body);
	if (env != in) {
		cJSON_DetachItemViaPointer(in, env);
		merge(body, env);
	}
	merge(body, in);
	return body;
bad:
	cJSON_Delete(in);
	return NULL;
}

static int
top_id(cJSON *rec, const char *key, const char *alias, char *err, size_t errlen)
{
	int64_t v;
	int ok;

	if (km_alias(rec, key, alias) == NULL)
		return fail(err, errlen, "no %s", key);
	ok = km_fix_id(rec, key) == 0 && json_int64(json_get(rec, key), &v) && v > 0;
	if (!strcmp(key, "killmail_id") && !(ok && killid_ok(v)))
		return fail(err, errlen, "%s", KILLID_RULE);    /* every tool's words */
	if (!ok)
		return fail(err, errlen, "%s is not a positive whole number", key);
	return 0;
}

static int
top_time(cJSON *rec, char *err, size_t errlen)
{
	char canon[KM_TIME_LEN + 1];
	cJSON *t = km_alias(rec, "killmail_time", "kill_time");

	if (t == NULL)
		return fail(err, errlen, "no killmail_time");
	if (!cJSON_IsString(t))
		return fail(err, errlen, "killmail_time is not a string");
	if (km_time_canon(t->valuestring, canon) < 0)
		return fail(err, errlen, "killmail_time \"%.40s\" is not an ISO 8601 time",
		    t->valuestring);
	if (strcmp(t->valuestring, canon) != 0 &&
	    !cJSON_ReplaceItemInObjectCaseSensitive(rec, "killmail_time",
	    cJSON_CreateString(canon)))
		return fail(err, errlen, "out of memory");
	return 0;
}

/* killmail_hash from itself, R2Z2's "hash" or zkb.hash. */
static const char *
top_hash(cJSON *rec)
{
	cJSON *h = km_alias(rec, "killmail_hash", "hash");
	const char *z;

	if (h != NULL && !cJSON_IsString(h)) {
		cJSON_Delete(cJSON_DetachItemViaPointer(rec, h));
		h = NULL;
	}
	if (h == NULL && (z = json_str(json_get(rec, "zkb"), "hash")) != NULL)
		h = cJSON_AddStringToObject(rec, "killmail_hash", z);
	return h != NULL ? h->valuestring : NULL;
}

/* The v1.5 preload shape repeats total_value and npc at the top level. */
static int
fold_into_zkb(cJSON *rec, cJSON **zkb, const char *key, const char *top)
{
	cJSON *it = json_get(rec, top);

	if (it == NULL || !(cJSON_IsNumber(it) || cJSON_IsBool(it)))
		return 0;
	cJSON_DetachItemViaPointer(rec, it);
	if (*zkb == NULL && (*zkb = cJSON_AddObjectToObject(rec, "zkb")) == NULL) {
		cJSON_Delete(it);
		return -1;
	}
	if (json_get(*zkb, key) != NULL || !cJSON_AddItemToObject(*zkb, key, it))
		cJSON_Delete(it);
	return 0;
}

static int
top_zkb(cJSON *rec, const char *hash, char *err, size_t errlen)
{
	cJSON *zkb = json_get(rec, "zkb");

	if (cJSON_IsNull(zkb)) {
		cJSON_Delete(cJSON_DetachItemViaPointer(rec, zkb));
		zkb = NULL;
	}
	if (zkb != NULL && !cJSON_IsObject(zkb))
		return fail(err, errlen, "zkb is not an object");
	/* fold first, so that a zkb made of the folded values gets the hash
	 * and the checks too: the output then normalises to itself */
	if (fold_into_zkb(rec, &zkb, "totalValue", "total_value") < 0 ||
	    fold_into_zkb(rec, &zkb, "npc", "npc") < 0)
		return fail(err, errlen, "out of memory");
	if (zkb != NULL && km_zkb(zkb, hash, err, errlen) < 0)
		return -1;
	return 0;
}

static int
top_parties(cJSON *rec, char *err, size_t errlen)
{
	cJSON *v = json_get(rec, "victim"), *a, *it;
	char what[32];
	int i = 0;

	if (v == NULL || cJSON_IsNull(v))
		return fail(err, errlen, "no victim");
	if (km_party(v, "victim", err, errlen) < 0)
		return -1;
	if (cJSON_IsNull(a = json_get(rec, "attackers")))
		cJSON_Delete(cJSON_DetachItemViaPointer(rec, a));
	if ((a = json_get(rec, "attackers")) == NULL &&
	    (a = cJSON_AddArrayToObject(rec, "attackers")) == NULL)
		return fail(err, errlen, "out of memory");
	if (!cJSON_IsArray(a))
		return fail(err, errlen, "attackers is not an array");
	cJSON_ArrayForEach(it, a) {
		snprintf(what, sizeof what, "attackers[%d]", i++);
		if (km_party(it, what, err, errlen) < 0)
			return -1;
	}
	return 0;
}

static int
canonicalize(cJSON *rec, char *err, size_t errlen)
{
	const char *hash;

	if (top_id(rec, "killmail_id", "killID", err, errlen) < 0 ||
	    top_time(rec, err, errlen) < 0 ||
	    top_id(rec, "solar_system_id", "system_id", err, errlen) < 0)
		return -1;
	if (km_fix_id(rec, "moon_id") < 0 || km_fix_id(rec, "war_id") < 0)
		return fail(err, errlen, "moon_id or war_id is not an id");
	km_alias(rec, "solar_system_name", "system_name");
	hash = top_hash(rec);
	if (top_zkb(rec, hash, err, errlen) < 0)
		return -1;
	return top_parties(rec, err, errlen);
}

/* "type" and the identifying keys first, the rest in their order. */
static cJSON *
reorder(cJSON *rec, char *err, size_t errlen)
{
	static const char *const first[] = {
		"killmail_id", "killmail_hash", "killmail_time", "solar_system_id",
	};
	cJSON *out = cJSON_CreateObject(), *it;

	if (out == NULL || !cJSON_AddStringToObject(out, "type", "killmail")) {
		fail(err, errlen, "out of memory");
		cJSON_Delete(out);
		cJSON_Delete(rec);
		return NULL;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "type");
	for (size_t i = 0; i < sizeof first / sizeof *first; i++) {
		it = cJSON_DetachItemFromObjectCaseSensitive(rec, first[i]);
		if (it != NULL && !cJSON_AddItemToObject(out, first[i], it))
			cJSON_Delete(it);
	}
	merge(out, rec);
	return out;
}

cJSON *
killmail_normalize(cJSON *in, char *err, size_t errlen)
{
	enum killmail_shape shape = killmail_shape(in);
	const char *s;

	if (!cJSON_IsObject(in)) {
		fail(err, errlen, "not a JSON object");
		cJSON_Delete(in);
		return NULL;
	}
	if (shape == KM_UNKNOWN && json_get(in, "type") != NULL) {
		s = json_str(in, "type");
		fail(err, errlen, "not a killmail (type \"%.40s\")", s ? s : "?");
		cJSON_Delete(in);
		return NULL;
	}
	if (shape == KM_UNKNOWN && (s = json_str(in, "error")) != NULL) {
		fail(err, errlen, "an error response, not a killmail: %.80s", s);
		cJSON_Delete(in);
		return NULL;
	}
	if ((in = unwrap(in, shape, err, errlen)) == NULL)
		return NULL;
	if (canonicalize(in, err, errlen) < 0) {
		cJSON_Delete(in);
		return NULL;
	}
	return reorder(in, err, errlen);
}
