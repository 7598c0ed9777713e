/* gwvoice.c — voice participants of one guild (see gwvoice.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gwvoice.h"
#include "json.h"

void
gwvoice_init(struct gwvoice *v, int64_t guild)
{
	memset(v, 0, sizeof *v);
	v->guild = guild;
}

void
gwvoice_free(struct gwvoice *v)
{
	free(v->ch);
	free(v->u);
	v->ch = NULL;
	v->u = NULL;
	v->nch = v->nu = 0;
}

/* A snowflake: a decimal string (or number) in (0, 2^63). */
static int
snowflake(const cJSON *o, const char *key, int64_t *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	return it && json_int64(it, out) && *out > 0;
}

static int
fail(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -1;
}

static struct gwv_chan *
chan(const struct gwvoice *v, int64_t id)
{
	for (size_t i = 0; i < v->nch; i++)
		if (v->ch[i].id == id)
			return &v->ch[i];
	return NULL;
}

static void
set_chan(struct gwvoice *v, int64_t id, int type)
{
	struct gwv_chan *c = chan(v, id);

	if (c) {
		c->type = type;
		return;
	}
	if (v->nch >= GWV_MAX_CHANNELS) {
		v->dropped++;
		return;
	}
	v->ch[v->nch++] = (struct gwv_chan){ id, type };
}

static void
del_chan(struct gwvoice *v, int64_t id)
{
	struct gwv_chan *c = chan(v, id);

	if (c)
		*c = v->ch[--v->nch];
}

/* user in channel (0: left voice) */
static void
set_user(struct gwvoice *v, int64_t user, int64_t channel)
{
	for (size_t i = 0; i < v->nu; i++)
		if (v->u[i].user == user) {
			if (channel)
				v->u[i].channel = channel;
			else
				v->u[i] = v->u[--v->nu];
			return;
		}
	if (!channel)
		return;
	if (v->nu >= GWV_MAX_USERS) {
		v->dropped++;
		return;
	}
	v->u[v->nu++] = (struct gwv_user){ user, channel };
}

static int
alloc(struct gwvoice *v)
{
	if (!v->ch && !(v->ch = calloc(GWV_MAX_CHANNELS, sizeof *v->ch)))
		return -1;
	if (!v->u && !(v->u = calloc(GWV_MAX_USERS, sizeof *v->u)))
		return -1;
	return 0;
}

static int
afk_of(const cJSON *d, int64_t *afk)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(d, "afk_channel_id");

	*afk = 0;
	return !a || cJSON_IsNull(a) || (json_int64(a, afk) && *afk > 0);
}

static int
guild_create(struct gwvoice *v, const cJSON *d, char *err, size_t errlen)
{
	const cJSON *it, *chans = cJSON_GetObjectItemCaseSensitive(d, "channels");
	const cJSON *states = cJSON_GetObjectItemCaseSensitive(d, "voice_states");
	int64_t id, ch;
	int64_t afk;

	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "unavailable")))
		return 0;                /* an outage: keep what we had */
	if (!cJSON_IsArray(chans) || !afk_of(d, &afk))
		return fail(err, errlen, "GUILD_CREATE without channels");
	v->nch = v->nu = 0;
	v->afk = afk;
	cJSON_ArrayForEach(it, chans) {
		const cJSON *ty = cJSON_GetObjectItemCaseSensitive(it, "type");
		if (snowflake(it, "id", &id) && cJSON_IsNumber(ty))
			set_chan(v, id, ty->valuedouble >= 0 && ty->valuedouble < 100 ? (int)ty->valuedouble : -1);
	}
	cJSON_ArrayForEach(it, states)
		if (snowflake(it, "user_id", &id) && snowflake(it, "channel_id", &ch))
			set_user(v, id, ch);
	v->known = 1;
	return 1;
}

static int
channel_event(struct gwvoice *v, const cJSON *d, int deleted)
{
	const cJSON *ty = cJSON_GetObjectItemCaseSensitive(d, "type");
	int64_t id;

	if (!snowflake(d, "id", &id) || !cJSON_IsNumber(ty))
		return -1;
	if (deleted)
		del_chan(v, id);
	else
		set_chan(v, id, ty->valuedouble >= 0 && ty->valuedouble < 100 ? (int)ty->valuedouble : -1);
	return 1;
}

static int
voice_state(struct gwvoice *v, const cJSON *d, char *err, size_t errlen)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(d, "channel_id");
	int64_t user, ch = 0;

	if (!snowflake(d, "user_id", &user))
		return fail(err, errlen, "VOICE_STATE_UPDATE without user_id");
	if (c && !cJSON_IsNull(c) && !(json_int64(c, &ch) && ch > 0))
		return fail(err, errlen, "VOICE_STATE_UPDATE with a bad channel_id");
	set_user(v, user, ch);
	return 1;
}

int
gwvoice_event(struct gwvoice *v, const char *t, const cJSON *d, char *err, size_t errlen)
{
	int64_t g = 0, afk;
	const char *gkey = "guild_id";

	if (!v->guild || !cJSON_IsObject(d))
		return 0;
	if (!strcmp(t, "GUILD_CREATE") || !strcmp(t, "GUILD_UPDATE"))
		gkey = "id";
	else if (strcmp(t, "VOICE_STATE_UPDATE") && strncmp(t, "CHANNEL_", 8))
		return 0;
	if (!snowflake(d, gkey, &g) || g != v->guild)
		return 0;
	if (alloc(v) < 0)
		return fail(err, errlen, "out of memory");
	if (!strcmp(t, "GUILD_CREATE"))
		return guild_create(v, d, err, errlen);
	if (!strcmp(t, "GUILD_UPDATE")) {
		if (!afk_of(d, &afk))
			return fail(err, errlen, "GUILD_UPDATE with a bad afk_channel_id");
		v->afk = afk;
		return 1;
	}
	if (!strcmp(t, "VOICE_STATE_UPDATE"))
		return voice_state(v, d, err, errlen);
	if (!strcmp(t, "CHANNEL_CREATE") || !strcmp(t, "CHANNEL_UPDATE") ||
	    !strcmp(t, "CHANNEL_DELETE")) {
		if (channel_event(v, d, t[8] == 'D') < 0)
			return fail(err, errlen, "channel event without id or type");
		return 1;
	}
	return 0;
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

size_t
gwvoice_users(const struct gwvoice *v, int64_t *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < v->nu && n < max; i++) {
		const struct gwv_chan *c = chan(v, v->u[i].channel);
		if (c && (c->type == GWV_CH_VOICE || c->type == GWV_CH_STAGE) &&
		    c->id != v->afk)
			out[n++] = v->u[i].user;
	}
	qsort(out, n, sizeof *out, cmp64);
	return n;
}

char *
gwvoice_file(const struct gwvoice *v, time_t alive_at, time_t down_since)
{
	cJSON *o = cJSON_CreateObject(), *a;
	int64_t *ids = malloc(sizeof *ids * (v->nu + 1));
	char buf[24], *s = NULL;
	size_t n;

	if (o && ids) {
		n = gwvoice_users(v, ids, v->nu);
		cJSON_AddNumberToObject(o, "version", 1);
		snprintf(buf, sizeof buf, "%lld", (long long)v->guild);
		cJSON_AddStringToObject(o, "guild_id", buf);
		cJSON_AddNumberToObject(o, "alive_at", (double)alive_at);
		if (down_since)
			cJSON_AddNumberToObject(o, "down_since", (double)down_since);
		else
			cJSON_AddNullToObject(o, "down_since");
		a = cJSON_AddArrayToObject(o, "users");
		for (size_t i = 0; i < n; i++) {
			snprintf(buf, sizeof buf, "%lld", (long long)ids[i]);
			cJSON_AddItemToArray(a, cJSON_CreateString(buf));
		}
		s = json_print(o);
	}
	free(ids);
	cJSON_Delete(o);
	return s;
}

int
gwvoice_read(const char *buf, size_t len, time_t now, int64_t *out, size_t max)
{
	char err[128];
	cJSON *o = json_parse(buf, len, err, sizeof err), *it;
	const cJSON *users = cJSON_GetObjectItemCaseSensitive(o, "users");
	double alive = json_num(o, "alive_at", -1), down = json_num(o, "down_since", 0);
	double last = down > 0 ? down : alive;
	int n = 0;

	if (!cJSON_IsArray(users) || !(last > 0 && last < 1e11) ||
	    (double)now - last > GWV_TRUST_SECONDS) {
		cJSON_Delete(o);
		return -1;
	}
	cJSON_ArrayForEach(it, users) {
		int64_t id;
		if ((size_t)n < max && json_int64(it, &id) && id > 0)
			out[n++] = id;
	}
	cJSON_Delete(o);
	return n;
}
