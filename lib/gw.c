/* gw.c — Discord Gateway v10 payloads and rules (see gw.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw.h"
#include "json.h"
#include "numconv.h"
#include "phx.h"

void
gw_session_reset(struct gw_session *s)
{
	s->session_id[0] = '\0';
	s->resume_url[0] = '\0';
	s->seq = -1;
}

void
gw_msg_free(struct gw_msg *m)
{
	cJSON_Delete(m->root);
	m->root = NULL;
	m->d = NULL;
}

static enum gw_ev
bad(struct gw_msg *m, char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return m->ev = GW_EV_BAD;
}

/* READY's session_id and resume_gateway_url, checked before they are
 * trusted: the URL is where the token goes next. */
static enum gw_ev
ready(struct gw_session *s, struct gw_msg *m, char *err, size_t errlen)
{
	const char *id = json_str(m->d, "session_id");
	const char *url = json_str(m->d, "resume_gateway_url");
	char probe[600];

	if (!id || !*id || strlen(id) >= sizeof s->session_id)
		return bad(m, err, errlen, "READY without a usable session_id");
	if (!url || strlen(url) >= sizeof s->resume_url || gw_url(url, probe, sizeof probe) < 0)
		return bad(m, err, errlen, "READY without a usable resume_gateway_url");
	snprintf(s->session_id, sizeof s->session_id, "%s", id);
	snprintf(s->resume_url, sizeof s->resume_url, "%s", url);
	return m->ev = GW_EV_READY;
}

static enum gw_ev
dispatch(struct gw_session *s, struct gw_msg *m, char *err, size_t errlen)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(m->root, "t");
	const cJSON *sq = cJSON_GetObjectItemCaseSensitive(m->root, "s");
	int64_t seq;

	if (!cJSON_IsString(t) || !*t->valuestring || strlen(t->valuestring) >= sizeof m->t)
		return bad(m, err, errlen, "dispatch without an event name");
	if (!cJSON_IsNumber(sq) || !json_int64(sq, &seq) || seq < 0 || seq > (int64_t)1 << 53)
		return bad(m, err, errlen, "dispatch without a valid sequence number");
	snprintf(m->t, sizeof m->t, "%s", t->valuestring);
	if (seq > s->seq)
		s->seq = seq;
	if (!strcmp(m->t, "READY"))
		return ready(s, m, err, errlen);
	if (!strcmp(m->t, "RESUMED"))
		return m->ev = GW_EV_RESUMED;
	return m->ev = GW_EV_DISPATCH;
}

enum gw_ev
gw_parse(struct gw_session *s, const char *buf, size_t len, struct gw_msg *m,
         char *err, size_t errlen)
{
	const cJSON *op;
	double iv;
	int64_t opn;

	memset(m, 0, sizeof *m);
	if (!(m->root = json_parse(buf, len, err, errlen)))
		return m->ev = GW_EV_BAD;
	op = cJSON_GetObjectItemCaseSensitive(m->root, "op");
	m->d = cJSON_GetObjectItemCaseSensitive(m->root, "d");
	if (!cJSON_IsObject(m->root) || !cJSON_IsNumber(op))
		return bad(m, err, errlen, "payload without an opcode");
	/* checked before the cast: {"op":1e300} is a number too */
	switch (num_i64_of_double(op->valuedouble, &opn) && opn >= 0 && opn <= 255 ? (int)opn : -1) {
	case GW_OP_DISPATCH:
		if (!cJSON_IsObject(m->d) && !cJSON_IsNull(m->d))
			return bad(m, err, errlen, "dispatch data is not an object");
		return dispatch(s, m, err, errlen);
	case GW_OP_HEARTBEAT:
		return m->ev = GW_EV_HEARTBEAT_ASKED;
	case GW_OP_RECONNECT:
		return m->ev = GW_EV_RECONNECT;
	case GW_OP_INVALID_SESSION:
		m->resumable = cJSON_IsTrue(m->d);
		return m->ev = GW_EV_INVALID;
	case GW_OP_HELLO:
		iv = json_num(m->d, "heartbeat_interval", -1);
		if (!(iv >= GW_HB_MIN_MS && iv <= GW_HB_MAX_MS))
			return bad(m, err, errlen, "HELLO with a heartbeat_interval out of range");
		m->interval_ms = (long long)iv;
		return m->ev = GW_EV_HELLO;
	case GW_OP_HEARTBEAT_ACK:
		return m->ev = GW_EV_ACK;
	default:
		return m->ev = GW_EV_IGNORED;
	}
}

static char *
payload(int op, cJSON *d)
{
	cJSON *p = cJSON_CreateObject();
	char *s = NULL;

	if (p && d && cJSON_AddNumberToObject(p, "op", op)) {
		cJSON_AddItemToObject(p, "d", d);
		s = json_print(p);
		cJSON_Delete(p);
		return s;
	}
	cJSON_Delete(p);
	cJSON_Delete(d);
	return NULL;
}

char *
gw_identify(const char *token, int intents)
{
	cJSON *d = cJSON_CreateObject(), *props;

	if (!d)
		return NULL;
	cJSON_AddStringToObject(d, "token", token);
	cJSON_AddNumberToObject(d, "intents", intents);
	props = cJSON_AddObjectToObject(d, "properties");
	cJSON_AddStringToObject(props, "os", "linux");
	cJSON_AddStringToObject(props, "browser", "wn");
	cJSON_AddStringToObject(props, "device", "wn");
	return payload(GW_OP_IDENTIFY, d);
}

char *
gw_resume(const char *token, const struct gw_session *s)
{
	cJSON *d = cJSON_CreateObject();

	if (!d)
		return NULL;
	cJSON_AddStringToObject(d, "token", token);
	cJSON_AddStringToObject(d, "session_id", s->session_id);
	cJSON_AddNumberToObject(d, "seq", (double)(s->seq < 0 ? 0 : s->seq));
	return payload(GW_OP_RESUME, d);
}

char *
gw_heartbeat(const struct gw_session *s)
{
	return payload(GW_OP_HEARTBEAT, s->seq < 0 ? cJSON_CreateNull()
	                                           : cJSON_CreateNumber((double)s->seq));
}

/* Discord's table: 4004 and 4010-4014 must not be retried; 4007 (bad
 * seq) and 4009 (timed out) end the session; the rest may resume. */
enum gw_close
gw_close_kind(int code)
{
	if (code == 4004 || (code >= 4010 && code <= 4014))
		return GW_CLOSE_FATAL;
	if (code == 4007 || code == 4009)
		return GW_CLOSE_NEW_SESSION;
	return GW_CLOSE_RESUME;
}

const char *
gw_close_name(int code)
{
	static const struct { int code; const char *name; } names[] = {
		{4000, "unknown error"}, {4001, "unknown opcode"}, {4002, "decode error"},
		{4003, "not authenticated"}, {4004, "authentication failed (bad bot token)"},
		{4005, "already authenticated"}, {4007, "invalid sequence"},
		{4008, "rate limited"}, {4009, "session timed out"},
		{4010, "invalid shard"}, {4011, "sharding required"},
		{4012, "invalid API version"}, {4013, "invalid intents"},
		{4014, "disallowed intents (a privileged intent is not enabled)"},
	};

	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (names[i].code == code)
			return names[i].name;
	return "closed";
}

int
gw_url(const char *base, char *out, size_t size)
{
	size_t n = strlen(base);
	int w;

	if (strncmp(base, "wss://", 6) != 0 && strncmp(base, "ws://", 5) != 0)
		return -1;
	if (strcspn(base, "?# \t\r\n") != n)
		return -1;
	while (n > 0 && base[n - 1] == '/')
		n--;
	w = snprintf(out, size, "%.*s/?v=10&encoding=json", (int)n, base);
	return w < 0 || (size_t)w >= size ? -1 : 0;
}

void
gw_heart_start(struct gw_heart *h, long long interval_ms, long long now, double jitter)
{
	h->interval_ms = interval_ms;
	h->next_ms = now + (long long)((double)interval_ms * jitter);
	h->awaiting = 0;
	h->sent_ms = 0;
}

int
gw_heart_tick(const struct gw_heart *h, long long now)
{
	if (!h->interval_ms || now < h->next_ms)
		return 0;
	return h->awaiting ? -1 : 1;
}

/* scheduled: the regular beat (the next one an interval on); an
 * answer to the server's op 1 leaves the schedule alone. */
void
gw_heart_sent(struct gw_heart *h, long long now, int scheduled)
{
	h->awaiting = 1;
	h->sent_ms = now;
	if (scheduled)
		h->next_ms = now + h->interval_ms;
}

void
gw_heart_ack(struct gw_heart *h, long long now)
{
	if (h->awaiting && h->sent_ms)
		h->latency_ms = now - h->sent_ms;
	h->awaiting = 0;
}

long long
gw_heart_wait(const struct gw_heart *h, long long now)
{
	if (!h->interval_ms)
		return 1000;
	return h->next_ms > now ? h->next_ms - now : 0;
}

int
gw_url_split(const char *base, struct phx_url *u)
{
	const char *h, *end, *colon;
	size_t hn;

	memset(u, 0, sizeof *u);
	if (gw_url(base, u->path, sizeof u->path) < 0)
		return -1;
	u->tls = base[2] == 's';
	h = base + (u->tls ? 6 : 5);
	end = h + strcspn(h, "/");
	if (*h == '[') {
		const char *rb = memchr(h, ']', (size_t)(end - h));
		if (!rb)
			return -1;
		hn = (size_t)(rb - h - 1);
		memcpy(u->host, h + 1, hn < sizeof u->host ? hn : 0);
		colon = rb[1] == ':' ? rb + 1 : NULL;
	} else {
		colon = memchr(h, ':', (size_t)(end - h));
		hn = (size_t)((colon ? colon : end) - h);
		if (hn >= sizeof u->host)
			return -1;
		memcpy(u->host, h, hn);
	}
	if (!hn || hn >= sizeof u->host)
		return -1;
	if (colon) {
		size_t pn = (size_t)(end - colon - 1);
		if (!pn || pn >= sizeof u->port || strspn(colon + 1, "0123456789") < pn)
			return -1;
		memcpy(u->port, colon + 1, pn);
	} else {
		strcpy(u->port, u->tls ? "443" : "80");
	}
	snprintf(u->hostport, sizeof u->hostport, "%s%s%s:%s", strchr(u->host, ':') ? "[" : "",
	         u->host, strchr(u->host, ':') ? "]" : "", u->port);
	/* the path of the base is dropped: Discord's gateway is at / */
	snprintf(u->path, sizeof u->path, "/?v=10&encoding=json");
	return 0;
}
