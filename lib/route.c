/* route.c — channel classes to Discord targets (see route.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "kind.h"
#include "log.h"
#include "route.h"

const char *
route_class_name(int cls)
{
	return cls >= 0 && cls < ROUTE_COUNT ? kind_route_name(cls) : "unknown";
}

int
route_class_from_name(const char *name)
{
	return kind_route_from_name(name);
}

static int
all_digits(const char *s, size_t n)
{
	if (n == 0 || n > 20)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Copies s[0..n) into dst when it fits; 0 on success. */
static int
copy_span(char *dst, size_t size, const char *s, size_t n)
{
	if (n >= size)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static int
token_char(int c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.';
}

int
route_parse_webhook(const char *url, char *id, size_t idlen,
                    char *token, size_t toklen, char *thread, size_t thlen)
{
	const char *p, *slash, *q;
	size_t n;

	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
		return -1;
	if (!(p = strstr(url, "/webhooks/")))
		return -1;
	p += strlen("/webhooks/");
	if (!(slash = strchr(p, '/')) || !all_digits(p, (size_t)(slash - p)))
		return -1;
	if (copy_span(id, idlen, p, (size_t)(slash - p)) != 0)
		return -1;
	p = slash + 1;
	for (n = 0; token_char((unsigned char)p[n]); n++)
		;
	if (n < 8 || (p[n] && p[n] != '?' && p[n] != '/'))
		return -1;
	if (copy_span(token, toklen, p, n) != 0)
		return -1;
	if (p[n] == '/' && p[n + 1] && p[n + 1] != '?')
		return -1;
	thread[0] = '\0';
	if ((q = strstr(p + n, "thread_id="))) {
		q += strlen("thread_id=");
		size_t m = strspn(q, "0123456789");
		if (!all_digits(q, m) || copy_span(thread, thlen, q, m) != 0)
			return -1;
	}
	return 0;
}

/* Index of a target with this key, adding it if new; -1 when full. */
static int
target_slot(struct routes *r, const struct route_target *t)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->t[i].key, t->key) == 0 && strcmp(r->t[i].url, t->url) == 0)
			return i;
	if (r->n == ROUTE_MAX_TARGETS)
		return -1;
	r->t[r->n] = *t;
	return r->n++;
}

static int
make_webhook(struct route_target *t, const char *api, int cls,
             const char *url, char *err, size_t errlen)
{
	char id[24], tok[160], th[24];

	if (route_parse_webhook(url, id, sizeof id, tok, sizeof tok, th, sizeof th) != 0) {
		snprintf(err, errlen, "DISCORD_%sWEBHOOK_URL is not a Discord webhook URL "
		         "(https://discord.com/api/webhooks/ID/TOKEN)", kind_route_infix(cls));
		return -1;
	}
	log_add_secret(tok);
	t->kind = TARGET_WEBHOOK;
	snprintf(t->name, sizeof t->name, "webhook:%s", kind_route_name(cls));
	snprintf(t->key, sizeof t->key, "webhook:%s", id);
	/* wait=true: Discord answers only after the message is saved, so a 200
	 * really means delivered (wait=false may drop it silently). */
	if (snprintf(t->url, sizeof t->url, "%s/webhooks/%s/%s?wait=true%s%s", api, id,
	             tok, th[0] ? "&thread_id=" : "", th) >= (int)sizeof t->url) {
		snprintf(err, errlen, "DISCORD_API_URL too long");
		return -1;
	}
	return 0;
}

static int
make_channel(struct route_target *t, const char *api, int cls,
             const char *id, char *err, size_t errlen)
{
	if (!all_digits(id, strlen(id))) {
		snprintf(err, errlen, "DISCORD_%sCHANNEL_ID=%.40s is not a channel id (digits only, "
		         "as Discord's Copy Channel ID gives)", kind_route_infix(cls), id);
		return -1;
	}
	t->kind = TARGET_CHANNEL;
	snprintf(t->name, sizeof t->name, "channel:%s", id);
	snprintf(t->key, sizeof t->key, "channel:%s", id);
	if (snprintf(t->url, sizeof t->url, "%s/channels/%s/messages", api, id)
	    >= (int)sizeof t->url) {
		snprintf(err, errlen, "DISCORD_API_URL too long");
		return -1;
	}
	return 0;
}

static const char *
var(route_getenv get, const char *infix, const char *suffix)
{
	char name[64];
	const char *v;

	snprintf(name, sizeof name, "DISCORD_%s%s", infix, suffix);
	v = get(name);
	return v && *v ? v : NULL;
}

/* The class's own setting: webhook first, then channel. 1 if set. */
static int
own_target(struct route_target *t, route_getenv get, const char *api, int cls,
           int have_token, char *err, size_t errlen)
{
	const char *w = var(get, kind_route_infix(cls), "WEBHOOK_URL");
	const char *c = var(get, kind_route_infix(cls), "CHANNEL_ID");

	memset(t, 0, sizeof *t);
	if (w) {
		log_add_secret(w);
		return make_webhook(t, api, cls, w, err, errlen) == 0 ? 1 : -1;
	}
	if (c && !have_token) {
		snprintf(err, errlen, "DISCORD_%sCHANNEL_ID is set but DISCORD_BOT_TOKEN is not: a "
		         "channel is posted to with the bot token (or use DISCORD_%sWEBHOOK_URL)",
		         kind_route_infix(cls), kind_route_infix(cls));
		return -1;
	}
	if (c)
		return make_channel(t, api, cls, c, err, errlen) == 0 ? 1 : -1;
	return 0;
}

static int
load_api(char *api, size_t size, route_getenv get, char *err, size_t errlen)
{
	const char *a = get("DISCORD_API_URL");
	size_t n;

	if (!a || !*a)
		a = ROUTE_API_DEFAULT;
	n = strlen(a);
	while (n > 0 && a[n - 1] == '/')
		n--;
	if ((strncmp(a, "https://", 8) != 0 && strncmp(a, "http://", 7) != 0) ||
	    copy_span(api, size, a, n) != 0) {
		snprintf(err, errlen, "DISCORD_API_URL=%.80s must be an http:// or https:// URL", a);
		return -1;
	}
	if (strncmp(api, "http://", 7) == 0 && strncmp(api + 7, "127.", 4) != 0 &&
	    strncmp(api + 7, "localhost", 9) != 0 && strncmp(api + 7, "[::1]", 5) != 0)
		log_warn("DISCORD_API_URL is plain http: tokens would cross the network unencrypted");
	return 0;
}

int
routes_load(struct routes *r, route_getenv get, char *err, size_t errlen)
{
	char api[256];
	const char *tok = get("DISCORD_BOT_TOKEN");
	int own[ROUTE_COUNT], routed = 0;

	memset(r, 0, sizeof *r);
	if (load_api(api, sizeof api, get, err, errlen) != 0)
		return -1;
	if (tok && *tok) {
		log_add_secret(tok);
		if (strpbrk(tok, "\r\n")) {   /* it would split the header it goes into */
			snprintf(err, errlen, "DISCORD_BOT_TOKEN holds a CR or LF: refusing it");
			return -1;
		}
		snprintf(r->auth, sizeof r->auth, "Authorization: Bot %s", tok);
	}
	for (int c = 0; c < ROUTE_COUNT; c++) {
		struct route_target t;
		int got = own_target(&t, get, api, c, r->auth[0] != 0, err, errlen);

		if (got < 0)
			return -1;
		own[c] = got ? target_slot(r, &t) : -1;
	}
	for (int c = 0; c < ROUTE_COUNT; c++) {
		r->by_class[c] = own[c] >= 0 ? own[c] : own[ROUTE_MAIN];
		routed += r->by_class[c] >= 0;
	}
	return routed;
}

const struct route_target *
routes_target(const struct routes *r, int cls)
{
	if (cls < 0 || cls >= ROUTE_COUNT || r->by_class[cls] < 0)
		return NULL;
	return &r->t[r->by_class[cls]];
}

/* Same destination: one channel or one webhook (its id, not the class
 * that named it), or both unrouted. */
static int
same_target(const struct route_target *a, const struct route_target *b)
{
	return a == b || (a && b && !strcmp(a->key, b->key));
}

unsigned
routes_sharing(const struct routes *r, int cls)
{
	const struct route_target *t = routes_target(r, cls);
	unsigned bits = 0;

	for (int i = 0; i < ROUTE_COUNT; i++)
		if (same_target(routes_target(r, i), t))
			bits |= 1u << i;
	return bits;
}
