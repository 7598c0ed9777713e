/* gwrest.h — the REST calls wn-gateway makes beside the Gateway:
 * GET /gateway/bot, the bulk overwrite of its commands, interaction
 * callbacks (no bot token on that route), a channel message, and ESI's
 * POST /universe/ids for names not on the map.  Blocking, over http.c. */
#ifndef WN_GWREST_H
#define WN_GWREST_H

#include <stddef.h>

struct http_client;

struct gwrest {
	struct http_client *http;
	struct http_client *quick;  /* ESI, while an interaction waits (3 s) */
	const char *api;          /* DISCORD_API_URL, no trailing slash */
	const char *auth;         /* "Authorization: Bot ..." */
	const char *esi;          /* ESI_URL */
};

/* gwrest.c */
/* Pure: GET /gateway/bot's answer.  0, or -1 with a reason. */
int gwrest_parse_gateway(const char *body, size_t len, char *url, size_t size,
                         long long *remaining, long long *reset_ms, char *err, size_t errlen);
/* 0 ok, -1 try later, -2 the token is refused (401). */
int gwrest_gateway_bot(struct gwrest *r, char *url, size_t size, long long *remaining,
                       long long *reset_ms, char *err, size_t errlen);
/* PUT the commands (guild_id NULL: global).  Up to 3 tries (429:
 * retry_after; 5xx: 1 s, 2 s).  0 ok, -1 failed, -2 refused (401/403). */
int gwrest_register(struct gwrest *r, const char *app_id, const char *guild_id,
                    const char *body, char *err, size_t errlen);
/* POST the interaction response.  0 ok, -1 failed (no token in err). */
int gwrest_callback(struct gwrest *r, const char *id, const char *token,
                    const char *body, char *err, size_t errlen);
/* POST content (plain text, no mentions) to a channel.  0 ok, -1. */
int gwrest_message(struct gwrest *r, const char *channel, const char *content,
                   const char *nonce, char *err, size_t errlen);
/* ESI ids of a system name: >0 found, 0 unknown, -1 ESI down. */
long long gwrest_system_id(struct gwrest *r, const char *name, char *eve, size_t evesize,
                           char *err, size_t errlen);

#endif
