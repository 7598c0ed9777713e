/* map_sync.c — REST resync and SSE event application (see map_sync.h and
 * the wanderer-map spec §2–§4, §6). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "json_out.h"
#include "json.h"
#include "log.h"
#include "map_api.h"
#include "map_sync.h"
#include "wn.h"

#define REST_MAX_BODY (32u << 20)
#define STATIC_CACHE_MAX 20000   /* systems; far more than any map holds */

struct map_sync {
	struct map_sync_config cfg;
	struct http_client *http;
	char *auth;                 /* "Authorization: Bearer ..." */
	cJSON *doc;
	cJSON *statics;             /* "sid" → static info data, or null (404) */
	map_sync_emit_fn emit;
	void *ud;
	struct buf out;             /* record text, reused */
	struct map_sync_stats st;
};

struct map_sync *
map_sync_new(const struct map_sync_config *cfg, map_sync_emit_fn emit, void *ud)
{
	struct map_sync *s = calloc(1, sizeof *s);
	char ua[64];
	size_t n = strlen(cfg->key) + 32;

	if (!s)
		return NULL;
	snprintf(ua, sizeof ua, "wn-mapsse/%s", WN_VERSION);
	s->cfg = *cfg;
	s->emit = emit;
	s->ud = ud;
	s->http = http_client_new(ua, cfg->timeout_ms, REST_MAX_BODY);
	s->statics = cJSON_CreateObject();
	if ((s->auth = malloc(n)))
		snprintf(s->auth, n, "Authorization: Bearer %s", cfg->key);
	if (!s->http || !s->statics || !s->auth) {
		map_sync_free(s);
		return NULL;
	}
	return s;
}

void
map_sync_free(struct map_sync *s)
{
	if (!s)
		return;
	http_client_free(s->http);
	cJSON_Delete(s->doc);
	cJSON_Delete(s->statics);
	buf_free(&s->out);
	free(s->auth);
	free(s);
}

const cJSON *
map_sync_doc(const struct map_sync *s)
{
	return s->doc;
}

const struct map_sync_stats *
map_sync_stats(const struct map_sync *s)
{
	return &s->st;
}

static void
cache_static(struct map_sync *s, int64_t sid, cJSON *st)
{
	char k[24];

	if (cJSON_GetArraySize(s->statics) >= STATIC_CACHE_MAX) {
		cJSON_Delete(s->statics);
		s->statics = cJSON_CreateObject();
	}
	snprintf(k, sizeof k, "%" PRId64, sid);
	cJSON_DeleteItemFromObjectCaseSensitive(s->statics, k);
	cJSON_AddItemToObject(s->statics, k, st ? st : cJSON_CreateNull());
}

void
map_sync_adopt(struct map_sync *s, cJSON *doc)
{
	const cJSON *sys;

	cJSON_Delete(s->doc);
	s->doc = doc;
	cJSON_ArrayForEach(sys, cJSON_GetObjectItemCaseSensitive(doc, "systems")) {
		cJSON *st = map_api_static_from_system(sys);
		if (st)
			cache_static(s, json_id(sys, "solar_system_id"), st);
	}
}

/* "401 Unauthorized (invalid token for map)" from the status and body. */
static void
describe(const struct http_response *r, char *err, size_t errlen)
{
	char perr[64], text[160];
	cJSON *j = r->body ? json_parse(r->body, r->body_len, perr, sizeof perr) : NULL;
	const char *code = json_str(j, "code"), *msg = json_str(j, "error");

	snprintf(text, sizeof text, "%s", msg ? msg : r->body && !j ? r->body : "");
	text[strcspn(text, "\r\n")] = '\0';
	snprintf(err, errlen, "HTTP %ld%s%s%s%s", r->status, *text ? ": " : "", text,
	         code ? " " : "", code ? code : "");
	log_redact(err, errlen);
	cJSON_Delete(j);
}

/* GET base+path; on 200 the response is left in *r. */
static enum map_sync_rc
rest_get(struct map_sync *s, const char *path, struct http_response *r,
         char *err, size_t errlen)
{
	const char *hdrs[] = { s->auth, "Accept: application/json", NULL };
	char url[2048], herr[256];

	snprintf(url, sizeof url, "%s%s", s->cfg.base, path);
	s->st.rest++;
	if (http_request(s->http, "GET", url, hdrs, NULL, 0, r, herr, sizeof herr) < 0) {
		s->st.rest_failed++;
		snprintf(err, errlen, "%s", herr);   /* it names the URL already */
		return MAP_SYNC_TEMP;
	}
	if (r->status == 200)
		return MAP_SYNC_OK;
	s->st.rest_failed++;
	{
		char why[256];
		long status = r->status;

		describe(r, why, sizeof why);
		snprintf(err, errlen, "GET %s: %s", path, why);
		http_response_free(r);
		r->status = status;
		return status == 401 ? MAP_SYNC_AUTH : status == 404 ? MAP_SYNC_NOTFOUND
		                                                    : MAP_SYNC_TEMP;
	}
}

/* Static info for sid: cached, else fetched (a 404 is cached as null;
 * other failures are not, and the system goes on without it). */
static const cJSON *
static_info(struct map_sync *s, int64_t sid)
{
	char k[24], path[96], err[300];
	const cJSON *c;
	struct http_response r;
	cJSON *root, *data;

	snprintf(k, sizeof k, "%" PRId64, sid);
	if ((c = cJSON_GetObjectItemCaseSensitive(s->statics, k)))
		return cJSON_IsObject(c) ? c : NULL;
	snprintf(path, sizeof path, "/api/common/system-static-info?id=%" PRId64, sid);
	memset(&r, 0, sizeof r);
	s->st.static_fetched++;
	if (rest_get(s, path, &r, err, sizeof err) != MAP_SYNC_OK) {
		log_warn("static info for %s: %s", k, err);
		if (r.status == 404)
			cache_static(s, sid, NULL);
		return NULL;
	}
	root = json_parse(r.body, r.body_len, err, sizeof err);
	http_response_free(&r);
	data = cJSON_DetachItemFromObjectCaseSensitive(root, "data");
	cJSON_Delete(root);
	if (!cJSON_IsObject(data)) {
		log_warn("static info for %s: no data object", k);
		cJSON_Delete(data);
		return NULL;
	}
	cache_static(s, sid, data);
	return data;
}

static enum map_sync_rc
fetch_systems(struct map_sync *s, cJSON **out, char *err, size_t errlen)
{
	char path[512], why[256];
	struct http_response r;
	enum map_sync_rc rc;
	cJSON *rest, *sys;
	const cJSON *e;

	memset(&r, 0, sizeof r);
	snprintf(path, sizeof path, "/api/maps/%s/systems", s->cfg.map);
	if ((rc = rest_get(s, path, &r, err, errlen)) != MAP_SYNC_OK)
		return rc;
	rest = map_api_systems(r.body, r.body_len, why, sizeof why);
	http_response_free(&r);
	if (!rest) {
		snprintf(err, errlen, "GET %s: %s", path, why);
		return MAP_SYNC_TEMP;
	}
	sys = cJSON_CreateArray();
	cJSON_ArrayForEach(e, rest) {
		int64_t sid = json_id(e, "solar_system_id");
		if (sid > 0 && !map_api_find_in(sys, "solar_system_id", sid))
			cJSON_AddItemToArray(sys, map_api_system(sid, e, static_info(s, sid)));
	}
	cJSON_Delete(rest);
	*out = sys;
	return MAP_SYNC_OK;
}

static enum map_sync_rc
fetch_characters(struct map_sync *s, cJSON **out, char *err, size_t errlen)
{
	char path[512], why[256];
	struct http_response r;
	enum map_sync_rc rc;
	int skipped;

	memset(&r, 0, sizeof r);
	snprintf(path, sizeof path, "/api/maps/%s/tracked-characters", s->cfg.map);
	if ((rc = rest_get(s, path, &r, err, errlen)) != MAP_SYNC_OK)
		return rc;
	*out = map_api_characters(r.body, r.body_len, &skipped, why, sizeof why);
	http_response_free(&r);
	if (!*out) {
		snprintf(err, errlen, "GET %s: %s", path, why);
		return MAP_SYNC_TEMP;
	}
	if (skipped)
		log_warn("%d tracked character(s) without an EVE id skipped", skipped);
	return MAP_SYNC_OK;
}

static void
emit_entry(void *ud, const char *kind, const char *action, const cJSON *entry)
{
	struct map_sync *s = ud;
	char *line = map_api_record(kind, action, entry, NULL, NULL);

	if (line) {
		s->emit(s->ud, line);
		free(line);
	}
}

enum map_sync_rc
map_sync_resync(struct map_sync *s, int quiet, char *err, size_t errlen)
{
	cJSON *sys = NULL, *chars = NULL, *doc;
	enum map_sync_rc rc;

	if ((rc = fetch_systems(s, &sys, err, errlen)) != MAP_SYNC_OK)
		return rc;
	if ((rc = fetch_characters(s, &chars, err, errlen)) != MAP_SYNC_OK) {
		cJSON_Delete(sys);
		return rc;
	}
	doc = map_api_document(s->cfg.map, sys, chars, time(NULL));
	if (!quiet)
		map_api_diff(s->doc, doc, emit_entry, s);
	cJSON_Delete(s->doc);
	s->doc = doc;
	return MAP_SYNC_OK;
}

/* --- events --- */

struct ev {
	const char *type, *id, *time;
	const cJSON *payload;
};

static void
emit_record(struct map_sync *s, const char *kind, const char *action,
            const cJSON *entry, const struct ev *e)
{
	char *line = map_api_record(kind, action, entry, e->id, e->time);

	if (line) {
		s->emit(s->ud, line);
		free(line);
	}
}

/* Types without a state change of their own: {"type","event_id","time","payload"}.
 * The payload (a map_kill can be large) is referenced, not copied, and
 * written by json_out, which spares cJSON's printf per number. */
static void
pass_through(struct map_sync *s, const struct ev *e)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "type", e->type);
	cJSON_AddStringToObject(r, "event_id", e->id);
	if (e->time)
		cJSON_AddStringToObject(r, "time", e->time);
	else
		cJSON_AddNullToObject(r, "time");
	cJSON_AddItemReferenceToObject(r, "payload", (cJSON *)e->payload);
	if (json_out(r, &s->out) == 0)
		s->emit(s->ud, s->out.p);
	cJSON_Delete(r);
}

static int
same_field(const cJSON *a, const cJSON *b, const char *k)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(a, k);
	const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, k);

	if (!x || cJSON_IsNull(x))
		return !y || cJSON_IsNull(y);
	return y && cJSON_Compare(x, y, 1);
}

/* A change worth a record: names and status, not canvas positions. */
static int
system_changed(const cJSON *a, const cJSON *b)
{
	return !same_field(a, b, "name") || !same_field(a, b, "custom_name") ||
	       !same_field(a, b, "temporary_name") || !same_field(a, b, "status");
}

static int
on_add_system(struct map_sync *s, int64_t sid, const struct ev *e)
{
	cJSON *sys;

	/* already tracked (a resync or a replay got there first): what REST
	 * said is newer than a replayed add, and it was announced once */
	if (map_api_find(s->doc, "systems", "solar_system_id", sid))
		return 0;
	sys = map_api_system(sid, e->payload, static_info(s, sid));
	emit_record(s, "system", "added", sys, e);
	map_api_put(s->doc, "systems", "solar_system_id", sys);
	return 1;
}

/* A payload without the key says nothing about the field: keep the old value. */
static void
keep_missing(cJSON *sys, const cJSON *old, const cJSON *payload, const char *pkey,
             const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(old, key);

	if (!cJSON_GetObjectItemCaseSensitive(payload, pkey) && v)
		cJSON_ReplaceItemInObjectCaseSensitive(sys, key, cJSON_Duplicate(v, 1));
}

static int
on_deleted_system(struct map_sync *s, int64_t sid, const struct ev *e)
{
	cJSON *old = map_api_find(s->doc, "systems", "solar_system_id", sid);

	if (!old)
		return 0;
	emit_record(s, "system", "removed", old, e);
	map_api_remove(s->doc, "systems", "solar_system_id", sid);
	return 1;
}

static int
on_metadata(struct map_sync *s, int64_t sid, const struct ev *e)
{
	cJSON *old = map_api_find(s->doc, "systems", "solar_system_id", sid), *sys;

	if (!old)    /* a hidden system: not tracked */
		return 0;
	sys = map_api_system(sid, e->payload, static_info(s, sid));
	keep_missing(sys, old, e->payload, "temporary_name", "temporary_name");
	keep_missing(sys, old, e->payload, "status", "status");
	keep_missing(sys, old, e->payload, "system_id", "map_system_id");
	/* the payload shows a rename only as a name unlike the EVE name; a
	 * custom name REST had from its own column is not visible in it */
	if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(sys, "custom_name")) &&
	    json_str(old, "custom_name"))
		json_set_str(sys, "custom_name", json_str(old, "custom_name"));
	if (!system_changed(old, sys)) {
		cJSON_Delete(sys);
		return 0;
	}
	emit_record(s, "system", "updated", sys, e);
	map_api_put(s->doc, "systems", "solar_system_id", sys);
	return 1;
}

/* The tracked-characters entry for a map character UUID, fetched afresh
 * (character events carry no EVE id). Caller owns it; NULL if unknown. */
static cJSON *
resolve_character(struct map_sync *s, const char *uuid)
{
	cJSON *list = NULL, *found;
	char err[300];

	if (fetch_characters(s, &list, err, sizeof err) != MAP_SYNC_OK) {
		log_warn("cannot resolve map character %s: %s", uuid, err);
		return NULL;
	}
	{
		cJSON *wrap = cJSON_CreateObject();
		cJSON_AddItemToObject(wrap, "characters", list);
		found = map_api_find_str(wrap, "characters", "map_character_id", uuid);
		found = found ? cJSON_Duplicate(found, 1) : NULL;
		cJSON_Delete(wrap);
	}
	return found;
}

static int
on_character(struct map_sync *s, const struct ev *e)
{
	const char *uuid = json_str(e->payload, "id");
	int added = strcmp(e->type, "character_added") == 0;
	int updated = strcmp(e->type, "character_updated") == 0;
	cJSON *c, *old;

	if (!uuid) {
		pass_through(s, e);
		return 0;
	}
	old = map_api_find_str(s->doc, "characters", "map_character_id", uuid);
	if (!added && !updated) {            /* character_removed */
		if (!old) {
			pass_through(s, e);
			return 0;
		}
		emit_record(s, "character", "removed", old, e);
		map_api_remove(s->doc, "characters", "character_id", json_id(old, "character_id"));
		return 1;
	}
	if (added && old)
		return 0;                    /* known already: announced once */
	if (!(c = resolve_character(s, uuid))) {
		s->st.unresolved++;
		log_warn("map character %s (%s) is not among the tracked characters: "
		         "no EVE id, passed through", uuid,
		         json_str(e->payload, "name") ? json_str(e->payload, "name") : "?");
		pass_through(s, e);
		return 0;
	}
	if (old && cJSON_Compare(old, c, 1)) {
		cJSON_Delete(c);
		return 0;
	}
	emit_record(s, "character", old ? "updated" : "added", c, e);
	map_api_put(s->doc, "characters", "character_id", c);
	return 1;
}

/* rally_point_added types solar_system_id as a string, _removed as a
 * number, and names the ping id differently (spec §2.3). */
static void
on_rally(struct map_sync *s, const struct ev *e)
{
	const cJSON *p = e->payload;
	int added = strcmp(e->type, "rally_point_added") == 0;
	cJSON *r = cJSON_CreateObject();
	int64_t v;
	const char *rid = json_str(p, added ? "rally_point_id" : "id");

	if (!rid)
		rid = json_str(p, added ? "id" : "rally_point_id");
	cJSON_AddStringToObject(r, "rally_point_id", rid ? rid : "");
	if (json_int64(cJSON_GetObjectItemCaseSensitive(p, "solar_system_id"), &v))
		cJSON_AddNumberToObject(r, "solar_system_id", (double)v);
	else
		cJSON_AddNullToObject(r, "solar_system_id");
	json_set_str(r, "system_name", json_str(p, "system_name"));
	if (json_int64(cJSON_GetObjectItemCaseSensitive(p, "character_eve_id"), &v))
		cJSON_AddNumberToObject(r, "character_id", (double)v);
	else
		cJSON_AddNullToObject(r, "character_id");
	json_set_str(r, "character_name", json_str(p, "character_name"));
	json_set_str(r, "message", json_str(p, "message"));
	json_set_str(r, "created_at", json_str(p, "created_at"));
	json_set_str(r, "map_character_id", json_str(p, "character_id"));
	emit_record(s, "rally_point", added ? "added" : "removed", r, e);
	cJSON_Delete(r);
}

int
map_sync_apply(struct map_sync *s, const char *type, const char *id,
              const cJSON *env, char *err, size_t errlen)
{
	struct ev e = { type, id, json_str(env, "timestamp"),
	                cJSON_GetObjectItemCaseSensitive(env, "payload") };
	int64_t sid = 0;

	if (!cJSON_IsObject(e.payload)) {
		snprintf(err, errlen, "%s %s: no payload object", type, id);
		return -1;
	}
	if (!s->doc)
		s->doc = map_api_document(s->cfg.map, NULL, NULL, time(NULL));
	json_int64(cJSON_GetObjectItemCaseSensitive(e.payload, "solar_system_id"), &sid);
	if (!strcmp(type, "add_system") || !strcmp(type, "deleted_system") ||
	    !strcmp(type, "system_metadata_changed") || !strcmp(type, "system_renamed")) {
		if (sid <= 0) {
			snprintf(err, errlen, "%s %s: no solar_system_id", type, id);
			return -1;
		}
		if (!strcmp(type, "add_system"))
			return on_add_system(s, sid, &e);
		if (!strcmp(type, "deleted_system"))
			return on_deleted_system(s, sid, &e);
		return on_metadata(s, sid, &e);
	}
	if (!strncmp(type, "character_", 10) &&
	    (!strcmp(type + 10, "added") || !strcmp(type + 10, "removed") ||
	     !strcmp(type + 10, "updated")))
		return on_character(s, &e);
	if (!strcmp(type, "rally_point_added") || !strcmp(type, "rally_point_removed"))
		on_rally(s, &e);
	else
		pass_through(s, &e);
	return 0;
}
