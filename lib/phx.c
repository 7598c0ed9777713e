/* phx.c — Phoenix v2 messages and the killmails:lobby client logic. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idset.h"
#include "json.h"
#include "phx.h"

/* A ref slot: string as is, a number as text, null as NULL. */
static int
ref_text(const cJSON *v, char *buf, size_t size, const char **out)
{
	if (cJSON_IsNull(v)) {
		*out = NULL;
		return 0;
	}
	if (cJSON_IsString(v)) {
		*out = v->valuestring;
		return 0;
	}
	if (cJSON_IsNumber(v)) {
		snprintf(buf, size, "%.0f", v->valuedouble);
		*out = buf;
		return 0;
	}
	return -1;
}

/* Elements after the payload are ignored (Phoenix's clients and server
 * do the same); they are dropped here so that the payload is last and
 * can be wrapped by an append, never a middle insert (which some cJSON
 * versions refuse).  cJSON_Delete frees the whole sibling chain. */
static void
drop_after_payload(cJSON *a, cJSON *payload)
{
	cJSON *rest = payload->next;

	if (!rest)
		return;
	payload->next = NULL;
	a->child->prev = payload;     /* the child's prev is the last element */
	rest->prev = NULL;
	cJSON_Delete(rest);
}

int
phx_decode(const char *buf, size_t len, struct phx_msg *m, char *err, size_t errlen)
{
	cJSON *a, *topic, *event, *payload;

	memset(m, 0, sizeof *m);
	if (!(a = json_parse(buf, len, err, errlen)))
		return -1;
	m->root = a;
	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) < 5) {
		snprintf(err, errlen, "not a Phoenix v2 message (an array of 5)");
		goto bad;
	}
	topic = cJSON_GetArrayItem(a, 2);
	event = cJSON_GetArrayItem(a, 3);
	payload = cJSON_GetArrayItem(a, 4);
	if (ref_text(cJSON_GetArrayItem(a, 0), m->refbuf[0], sizeof m->refbuf[0], &m->join_ref) < 0 ||
	    ref_text(cJSON_GetArrayItem(a, 1), m->refbuf[1], sizeof m->refbuf[1], &m->ref) < 0) {
		snprintf(err, errlen, "Phoenix message: bad join_ref or ref");
		goto bad;
	}
	if (!cJSON_IsString(topic) || !cJSON_IsString(event)) {
		snprintf(err, errlen, "Phoenix message: topic and event must be strings");
		goto bad;
	}
	drop_after_payload(a, payload);
	m->topic = topic->valuestring;
	m->event = event->valuestring;
	if (!cJSON_IsObject(payload)) {
		/* Phoenix payloads are objects; keep a bare value under "value". */
		cJSON *o = cJSON_CreateObject();
		cJSON *p = cJSON_DetachItemFromArray(a, 4);
		/* payload is the last element now, so the wrapper is appended
		 * where it was; each step that can fail leaves one owner */
		if (!o || !p || !cJSON_AddItemToObject(o, "value", p)) {
			cJSON_Delete(o);
			cJSON_Delete(p);
			snprintf(err, errlen, "out of memory");
			goto bad;
		}
		if (!cJSON_AddItemToArray(a, o)) {
			cJSON_Delete(o);
			snprintf(err, errlen, "out of memory");
			goto bad;
		}
		payload = o;
	}
	m->payload = payload;
	return 0;
bad:
	phx_msg_free(m);
	return -1;
}

void
phx_msg_free(struct phx_msg *m)
{
	cJSON_Delete(m->root);
	memset(m, 0, sizeof *m);
}

static cJSON *
ref_json(const char *r)
{
	return r ? cJSON_CreateString(r) : cJSON_CreateNull();
}

char *
phx_encode(const char *join_ref, const char *ref, const char *topic, const char *event,
           const cJSON *payload)
{
	cJSON *a = cJSON_CreateArray();
	cJSON *p = payload ? cJSON_Duplicate(payload, 1) : cJSON_CreateObject();
	char *s = NULL;

	if (a && p) {
		cJSON_AddItemToArray(a, ref_json(join_ref));
		cJSON_AddItemToArray(a, ref_json(ref));
		cJSON_AddItemToArray(a, cJSON_CreateString(topic));
		cJSON_AddItemToArray(a, cJSON_CreateString(event));
		cJSON_AddItemToArray(a, p);
		p = NULL;
		s = cJSON_PrintUnformatted(a);
	}
	cJSON_Delete(p);
	cJSON_Delete(a);
	return s;
}

void
phx_init(struct phx *p, long long hb_interval_ms, long long hb_timeout_ms)
{
	memset(p, 0, sizeof *p);
	p->hb_interval_ms = hb_interval_ms;
	p->hb_timeout_ms = hb_timeout_ms;
}

void
phx_reset(struct phx *p, long long now_ms)
{
	p->state = PHX_IDLE;
	p->join_ref[0] = p->hb_ref[0] = 0;
	p->hb_sent_ms = 0;
	p->last_hb_ms = now_ms;
}

/* Only ids the server accepts: one bad id would fail the whole join. */
static cJSON *
id_array(const struct idset *s, size_t max, int64_t lo, int64_t hi)
{
	cJSON *a = cJSON_CreateArray();
	size_t n = 0;

	for (size_t i = 0; a && s && i < s->n && n < max; i++)
		if (s->v[i] >= lo && s->v[i] <= hi) {
			cJSON_AddItemToArray(a, cJSON_CreateNumber((double)s->v[i]));
			n++;
		}
	return a;
}

char *
phx_join(struct phx *p, const struct idset *systems, const struct idset *chars, int since_hours)
{
	cJSON *pl = cJSON_CreateObject(), *pre;
	char *s;

	if (!pl)
		return NULL;
	cJSON_AddItemToObject(pl, "systems", id_array(systems, PHX_MAX_SYSTEMS,
	                                              PHX_SYSTEM_MIN, PHX_SYSTEM_MAX));
	cJSON_AddItemToObject(pl, "character_ids", id_array(chars, PHX_MAX_CHARACTERS,
	                                                    PHX_CHARACTER_MIN, PHX_CHARACTER_MAX));
	pre = cJSON_AddObjectToObject(pl, "preload");
	cJSON_AddBoolToObject(pre, "enabled", since_hours > 0);
	if (since_hours > 0) {
		cJSON_AddNumberToObject(pre, "limit_per_system", 100);
		cJSON_AddNumberToObject(pre, "since_hours", since_hours);
	}
	snprintf(p->join_ref, sizeof p->join_ref, "%lu", ++p->next_ref);
	s = phx_encode(p->join_ref, p->join_ref, PHX_TOPIC, "phx_join", pl);
	cJSON_Delete(pl);
	p->state = PHX_JOINING;
	return s;
}

static int
same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static enum phx_event
handle_reply(struct phx *p, struct phx_msg *m, char *err, size_t errlen)
{
	const char *status = json_str(m->payload, "status");
	const cJSON *resp = cJSON_GetObjectItemCaseSensitive(m->payload, "response");

	if (strcmp(m->topic, "phoenix") == 0 && p->hb_ref[0] && same(m->ref, p->hb_ref)) {
		p->hb_ref[0] = 0;
		p->hb_sent_ms = 0;
		return PHX_EV_HEARTBEAT_OK;
	}
	if (strcmp(m->topic, PHX_TOPIC) != 0 || p->state != PHX_JOINING ||
	    !same(m->ref, p->join_ref))
		return PHX_EV_IGNORED;
	if (status && strcmp(status, "ok") == 0) {
		p->state = PHX_JOINED;
		return PHX_EV_JOINED;
	}
	const char *reason = json_str(resp, "reason");
	snprintf(err, errlen, "join refused: %s", reason ? reason : status ? status : "no status");
	p->state = PHX_IDLE;
	return PHX_EV_JOIN_ERROR;
}

enum phx_event
phx_handle(struct phx *p, const char *buf, size_t len, struct phx_msg *m, char *err, size_t errlen)
{
	if (phx_decode(buf, len, m, err, errlen) < 0)
		return PHX_EV_BAD;
	if (strcmp(m->event, "phx_reply") == 0)
		return handle_reply(p, m, err, errlen);
	if (strcmp(m->topic, PHX_TOPIC) != 0)
		return PHX_EV_IGNORED;
	if (strcmp(m->event, "phx_close") == 0 || strcmp(m->event, "phx_error") == 0) {
		/* After a re-join the old channel's close arrives: not ours. */
		if (p->state == PHX_IDLE || !same(m->join_ref, p->join_ref))
			return PHX_EV_IGNORED;
		snprintf(err, errlen, "channel %s", m->event + 4);
		p->state = PHX_IDLE;
		return PHX_EV_CHANNEL_DOWN;
	}
	if (strcmp(m->event, "killmail_update") == 0 || strcmp(m->event, "preload_batch") == 0 ||
	    strcmp(m->event, "new_kill") == 0)
		return PHX_EV_KILLS;
	return PHX_EV_IGNORED;
}

cJSON *
phx_take_kills(struct phx_msg *m)
{
	cJSON *k;

	if (strcmp(m->event, "new_kill") == 0) {
		cJSON *a = cJSON_CreateArray();
		if (a)
			cJSON_AddItemToArray(a, cJSON_Duplicate(m->payload, 1));
		return a;
	}
	k = cJSON_DetachItemFromObjectCaseSensitive(m->payload, "killmails");
	if (!k)
		k = cJSON_DetachItemFromObjectCaseSensitive(m->payload, "kills");
	if (k && !cJSON_IsArray(k)) {
		cJSON_Delete(k);
		k = NULL;
	}
	return k ? k : cJSON_CreateArray();
}

char *
phx_tick(struct phx *p, long long now_ms, int *dead)
{
	*dead = p->hb_ref[0] && now_ms - p->hb_sent_ms >= p->hb_timeout_ms;
	if (*dead || p->hb_ref[0] || now_ms - p->last_hb_ms < p->hb_interval_ms)
		return NULL;
	snprintf(p->hb_ref, sizeof p->hb_ref, "%lu", ++p->next_ref);
	p->hb_sent_ms = p->last_hb_ms = now_ms;
	return phx_encode(NULL, p->hb_ref, "phoenix", "heartbeat", NULL);
}

void
phx_forget_heartbeat(struct phx *p)
{
	p->hb_ref[0] = 0;
	p->hb_sent_ms = 0;
}

long long
phx_next_ms(const struct phx *p, long long now_ms)
{
	long long at = p->hb_ref[0] ? p->hb_sent_ms + p->hb_timeout_ms
	                            : p->last_hb_ms + p->hb_interval_ms;
	return at > now_ms ? at - now_ms : 0;
}

int
phx_url_parse(const char *url, struct phx_url *u, char *err, size_t errlen)
{
	const char *p, *hs, *he, *ps;
	char path[900];
	size_t n;

	memset(u, 0, sizeof *u);
	if (strncmp(url, "wss://", 6) == 0 || strncmp(url, "https://", 8) == 0)
		u->tls = 1;
	else if (strncmp(url, "ws://", 5) != 0 && strncmp(url, "http://", 7) != 0) {
		snprintf(err, errlen, "WebSocket URL must start with ws://, wss://, http:// or https://");
		return -1;
	}
	p = strstr(url, "://") + 3;
	ps = p + strcspn(p, "/?#");
	if (*p == '[') {
		hs = p + 1;
		if (!(he = memchr(hs, ']', (size_t)(ps - hs)))) {
			snprintf(err, errlen, "WebSocket URL: bad IPv6 host");
			return -1;
		}
		p = he + 1;
	} else {
		hs = p;
		he = memchr(hs, ':', (size_t)(ps - hs));
		if (!he)
			he = ps;
		p = he;
	}
	n = (size_t)(he - hs);
	if (n == 0 || n >= sizeof u->host) {
		snprintf(err, errlen, "WebSocket URL: no host");
		return -1;
	}
	memcpy(u->host, hs, n);
	if (*p == ':' && p + 1 < ps) {
		n = (size_t)(ps - p - 1);
		if (n >= sizeof u->port || strspn(p + 1, "0123456789") < n) {
			snprintf(err, errlen, "WebSocket URL: bad port");
			return -1;
		}
		memcpy(u->port, p + 1, n);
	} else
		strcpy(u->port, u->tls ? "443" : "80");
	snprintf(u->hostport, sizeof u->hostport, "%s%s%s:%s", strchr(u->host, ':') ? "[" : "",
	         u->host, strchr(u->host, ':') ? "]" : "", u->port);
	n = strcspn(ps, "?#");
	if (n >= sizeof path - 32) {
		snprintf(err, errlen, "WebSocket URL: path too long");
		return -1;
	}
	memcpy(path, ps, n);
	path[n] = 0;
	while (n && path[n - 1] == '/')
		path[--n] = 0;
	if (n >= 17 && strcmp(path + n - 17, PHX_SOCKET_PATH) == 0)
		;
	else if (n >= 7 && strcmp(path + n - 7, "/socket") == 0)
		strcat(path, "/websocket");
	else
		strcat(path, PHX_SOCKET_PATH);
	const char *q = ps[n] == '?' ? ps + n + 1 : NULL;
	size_t ql = q ? strcspn(q, "#") : 0;
	if (snprintf(u->path, sizeof u->path, "%s?%.*s%svsn=" PHX_VSN, path, (int)ql,
	             q ? q : "", ql ? "&" : "") >= (int)sizeof u->path) {
		snprintf(err, errlen, "WebSocket URL: too long");
		return -1;
	}
	return 0;
}
