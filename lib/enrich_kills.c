/* enrich_kills.c — WandererKills' answers for "Recent Kills" into entries
 * (enrich_kills.h).  Pure: no I/O.  Names are looked up under every alias
 * the server's versions use (wanderer-kills-detail.md 2.3), so the v1.1
 * flattened store, the v1.5 preload map with nested ESI objects, the
 * documented snake_case shape and zKillboard rows all give one entry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "enrich_kills.h"

#define ENRICH_KILLS_LIST_MAX 1000   /* the server's own limit; more is not looked at */

static const char *const victim_keys[] = {
	"character_id", "character_name", "corporation_id", "corporation_ticker",
	"ship_type_id", "ship_type_name", NULL,
};
static const char *const zkb_keys[] = {
	"totalValue", "points", "npc", "solo", "awox", "locationID", NULL,
};

static const char *
text(const cJSON *o, const char *k)
{
	const char *s = json_str(o, k);
	return s && *s ? s : NULL;
}

static int64_t
pos_id(const cJSON *o, const char *k)
{
	int64_t v;
	return json_int64(json_get(o, k), &v) && v > 0 ? v : 0;
}

static const char *
either(const char *a, const char *b)
{
	return a ? a : b;
}

static void
add_id(cJSON *o, const char *k, int64_t v)
{
	if (v > 0)
		json_set_id(o, k, v);
}

static void
add_str(cJSON *o, const char *k, const char *s)
{
	if (s)
		json_set_str(o, k, s);
}

static cJSON *
nonempty(cJSON *o)
{
	if (o && !o->child) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* victim: the nested form, or the flattened columns of some list rows */
static cJSON *
victim_of(const cJSON *km)
{
	const cJSON *v = json_get(km, "victim");
	cJSON *out = cJSON_CreateObject();

	if (!out)
		return NULL;
	if (cJSON_IsObject(v)) {
		const cJSON *ch = json_get(v, "character"), *co = json_get(v, "corporation");
		int64_t cid = pos_id(v, "character_id"), corp = pos_id(v, "corporation_id");
		add_id(out, "character_id", cid ? cid : pos_id(ch, "character_id"));
		add_str(out, "character_name", either(either(text(v, "character_name"),
		        text(v, "victim_name")), text(ch, "name")));
		add_id(out, "corporation_id", corp ? corp : pos_id(co, "corporation_id"));
		add_str(out, "corporation_ticker",
		        either(text(v, "corporation_ticker"), text(co, "ticker")));
		add_id(out, "ship_type_id", pos_id(v, "ship_type_id"));
		add_str(out, "ship_type_name",
		        either(text(v, "ship_name"), text(v, "ship_type_name")));
	} else {
		add_id(out, "character_id", pos_id(km, "victim_char_id"));
		add_str(out, "character_name", text(km, "victim_char_name"));
		add_id(out, "corporation_id", pos_id(km, "victim_corp_id"));
		add_str(out, "corporation_ticker", text(km, "victim_corp_ticker"));
		add_id(out, "ship_type_id", pos_id(km, "victim_ship_type_id"));
		add_str(out, "ship_type_name", text(km, "victim_ship_name"));
	}
	return nonempty(out);
}

static const cJSON *
number(const cJSON *a, const cJSON *b, const cJSON *c)
{
	return cJSON_IsNumber(a) ? a : cJSON_IsNumber(b) ? b : cJSON_IsNumber(c) ? c : NULL;
}

static void
add_bool(cJSON *out, const char *k, const cJSON *a, const cJSON *b)
{
	const cJSON *v = cJSON_IsBool(a) ? a : cJSON_IsBool(b) ? b : NULL;

	if (v)
		cJSON_AddBoolToObject(out, k, cJSON_IsTrue(v));
}

static cJSON *
zkb_of(const cJSON *km)
{
	const cJSON *z = json_get(km, "zkb"), *v;
	cJSON *out = cJSON_CreateObject();
	int64_t loc;

	if (!out)
		return NULL;
	if ((v = number(json_get(z, "totalValue"), json_get(z, "total_value"), json_get(km, "total_value"))))
		cJSON_AddNumberToObject(out, "totalValue", v->valuedouble);
	if ((v = number(json_get(z, "points"), NULL, NULL)))
		cJSON_AddNumberToObject(out, "points", v->valuedouble);
	add_bool(out, "npc", json_get(z, "npc"), json_get(km, "npc"));
	add_bool(out, "solo", json_get(z, "solo"), NULL);
	add_bool(out, "awox", json_get(z, "awox"), NULL);
	loc = pos_id(z, "locationID");
	add_id(out, "locationID", loc ? loc : pos_id(z, "location_id"));
	return nonempty(out);
}

static cJSON *
id_entry(int64_t id)
{
	cJSON *e = cJSON_CreateObject();

	if (e)
		json_set_id(e, "killmail_id", id);
	return e;
}

cJSON *
enrich_kills_entry(const cJSON *km)
{
	int64_t id = 0;
	cJSON *e, *part;
	const char *t;

	if (cJSON_IsNumber(km) || cJSON_IsString(km)) {   /* v1.1 lists of ids */
		return json_int64(km, &id) && id > 0 ? id_entry(id) : NULL;
	}
	if (!cJSON_IsObject(km) || (!(id = pos_id(km, "killmail_id")) &&
	                            !(id = pos_id(km, "killID"))))
		return NULL;
	if (!(e = id_entry(id)))
		return NULL;
	if ((t = either(text(km, "kill_time"), text(km, "killmail_time"))))
		json_set_str(e, "kill_time", t);
	if ((part = victim_of(km)))
		cJSON_AddItemToObject(e, "victim", part);
	if ((part = zkb_of(km)))
		cJSON_AddItemToObject(e, "zkb", part);
	return e;
}

/* --- merge and order --- */

static cJSON *
merge_keys(const cJSON *a, const cJSON *b, const char *const *keys)
{
	cJSON *out = cJSON_CreateObject();

	for (size_t i = 0; out && keys[i]; i++) {
		const cJSON *v = json_get(a, keys[i]);
		if (!v)
			v = json_get(b, keys[i]);
		if (v)
			cJSON_AddItemToObject(out, keys[i], cJSON_Duplicate(v, 1));
	}
	return nonempty(out);
}

cJSON *
enrich_kills_merge(const cJSON *a, const cJSON *b)
{
	int64_t id = pos_id(a, "killmail_id");
	const char *t = either(text(a, "kill_time"), text(b, "kill_time"));
	cJSON *e = id_entry(id ? id : pos_id(b, "killmail_id")), *part;

	if (!e)
		return NULL;
	if (t)
		json_set_str(e, "kill_time", t);
	if ((part = merge_keys(json_get(a, "victim"), json_get(b, "victim"), victim_keys)))
		cJSON_AddItemToObject(e, "victim", part);
	if ((part = merge_keys(json_get(a, "zkb"), json_get(b, "zkb"), zkb_keys)))
		cJSON_AddItemToObject(e, "zkb", part);
	return e;
}

int
enrich_kills_has_detail(const cJSON *entry)
{
	return cJSON_IsObject(json_get(entry, "victim"));
}

static int
newer_id(const cJSON *a, const cJSON *b)
{
	int64_t ia = pos_id(a, "killmail_id"), ib = pos_id(b, "killmail_id");

	return ia < ib ? 1 : ia > ib ? -1 : 0;
}

static int
newer_by_id(const void *pa, const void *pb)
{
	return newer_id(*(const cJSON *const *)pa, *(const cJSON *const *)pb);
}

/* kill_time has second precision: "YYYY-MM-DDTHH:MM:SS" compares as text */
static int
newer_by_time(const void *pa, const void *pb)
{
	const cJSON *a = *(const cJSON *const *)pa, *b = *(const cJSON *const *)pb;
	int c = strncmp(text(b, "kill_time"), text(a, "kill_time"), 19);

	return c ? c : newer_id(a, b);
}

/* Newest first: by kill_time when every entry has one, else by id, which
 * CCP hands out in order.  One key for the whole list keeps the order
 * total. */
void
enrich_kills_sort(cJSON *entries)
{
	int n = cJSON_GetArraySize(entries), k = 0, by_time = 1;
	cJSON **v, *it;

	if (n < 2 || !(v = malloc((size_t)n * sizeof *v)))
		return;
	cJSON_ArrayForEach(it, entries) {
		const char *t = text(it, "kill_time");
		if (!t || strlen(t) < 19)
			by_time = 0;
		v[k++] = it;
	}
	qsort(v, (size_t)n, sizeof *v, by_time ? newer_by_time : newer_by_id);
	for (k = 0; k < n; k++)
		cJSON_DetachItemViaPointer(entries, v[k]);
	for (k = 0; k < n; k++)
		cJSON_AddItemToArray(entries, v[k]);
	free(v);
}

/* --- answers --- */

static const cJSON *
find_list(const cJSON *root)
{
	const cJSON *d;

	if (cJSON_IsArray(root))
		return root;
	d = json_get(root, "data");
	if (cJSON_IsObject(d) && cJSON_IsArray(json_get(d, "kills")))
		return json_get(d, "kills");
	if (cJSON_IsArray(d))
		return d;
	return cJSON_IsArray(json_get(root, "kills")) ? json_get(root, "kills") : NULL;
}

static int
has_id(const cJSON *entries, int64_t id, size_t upto)
{
	const cJSON *it;
	size_t k = 0;

	cJSON_ArrayForEach(it, entries) {
		if (k++ >= upto)
			break;
		if (pos_id(it, "killmail_id") == id)
			return 1;
	}
	return 0;
}

/* The first max distinct ids of a sorted list; the rest deleted. */
static void
keep_first(cJSON *entries, size_t max)
{
	cJSON *it = entries->child, *next;
	size_t kept = 0;

	for (; it; it = next) {
		next = it->next;
		if (kept < max && !has_id(entries, pos_id(it, "killmail_id"), kept))
			kept++;
		else
			cJSON_Delete(cJSON_DetachItemViaPointer(entries, it));
	}
}

cJSON *
enrich_kills_parse_list(const char *buf, size_t len, size_t max, char *err, size_t errlen)
{
	cJSON *root = json_parse(buf, len, err, errlen), *out;
	const cJSON *list, *it;
	size_t seen = 0;

	if (!root)
		return NULL;
	if (!(list = find_list(root))) {
		snprintf(err, errlen, "no kills list in the answer");
		cJSON_Delete(root);
		return NULL;
	}
	if (!(out = cJSON_CreateArray())) {
		snprintf(err, errlen, "out of memory");
		cJSON_Delete(root);
		return NULL;
	}
	cJSON_ArrayForEach(it, list) {
		cJSON *e;
		if (seen++ >= ENRICH_KILLS_LIST_MAX)
			break;
		if ((e = enrich_kills_entry(it)))
			cJSON_AddItemToArray(out, e);
	}
	cJSON_Delete(root);
	enrich_kills_sort(out);
	keep_first(out, max);
	return out;
}

cJSON *
enrich_kills_parse_detail(const char *buf, size_t len, char *err, size_t errlen)
{
	cJSON *root = json_parse(buf, len, err, errlen), *e = NULL;
	const cJSON *km;

	if (!root)
		return NULL;
	km = cJSON_IsObject(json_get(root, "data")) ? json_get(root, "data") : root;
	if (!cJSON_IsObject(km) || !(e = enrich_kills_entry(km))) {
		snprintf(err, errlen, "no killmail_id in the answer");
	} else if (!enrich_kills_has_detail(e)) {   /* v1.1 answers a zKillboard row */
		snprintf(err, errlen, "no victim in the answer");
		cJSON_Delete(e);
		e = NULL;
	}
	cJSON_Delete(root);
	return e;
}

static void
clean_copy(char *out, size_t size, const char *s)
{
	size_t k = 0;

	for (; s && *s && k + 1 < size; s++)
		out[k++] = (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s;
	out[k] = '\0';
}

void
enrich_kills_error_text(const char *buf, size_t len, char *out, size_t size)
{
	char err[64], msg[160], code[48], why[160];
	cJSON *root;

	out[0] = '\0';
	if (!size || !buf || !(root = json_parse(buf, len, err, sizeof err)))
		return;
	clean_copy(code, sizeof code, text(root, "code"));
	clean_copy(msg, sizeof msg, text(root, "error"));
	clean_copy(why, sizeof why, text(json_get(root, "details"), "reason"));
	if (code[0] || msg[0])
		snprintf(out, size, "%s%s%s%s%s%s", code, code[0] && msg[0] ? ": " : "", msg,
		         why[0] ? " (" : "", why, why[0] ? ")" : "");
	cJSON_Delete(root);
}
