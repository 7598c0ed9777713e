/* discord.h — one POST to Discord and what its answer means for the
 * message: delivered, wait (429), try again later (5xx, network), or
 * refused for good — the message (400 and other 4xx) or the whole route
 * (401 bad token, 403 no permission, 404 deleted webhook/channel). */
#ifndef WN_DISCORD_H
#define WN_DISCORD_H

#include <stddef.h>

#include "http.h"
#include "outbox_ratelimit.h"
#include "route.h"

#define DISCORD_USER_AGENT "DiscordBot (https://github.com/wn/wn, " WN_VERSION ") wn-discord"
#define DISCORD_MAX_REPLY (1u << 20)

enum discord_outcome {
	DC_OK,            /* Discord saved the message */
	DC_RATE_LIMITED,  /* 429: wait rl.retry_after, then the same again */
	DC_RETRY,         /* 5xx, network, timeout: back off and retry */
	DC_BAD_MESSAGE,   /* this message can never be posted */
	DC_BAD_ROUTE,     /* nothing can be posted to this target */
};

struct discord_result {
	enum discord_outcome outcome;
	long status;           /* HTTP status, 0 without a response */
	long code;             /* Discord's JSON error code, 0 if none */
	struct outbox_ratelimit_info rl;
	char reason[400];      /* one line for the log, no secrets */
	char message_id[24];   /* id of the created message, if returned */
};

/* discord.c */
/* Pure: what status, headers and body mean (429 bodies, error trees). */
void discord_classify(long status, const char *hdrs, size_t hlen,
                      const char *body, size_t blen, struct discord_result *r);
/* POSTs body (JSON) to the target; auth is the "Authorization: Bot .."
 * header for channels.  Always fills r (network errors are DC_RETRY). */
void discord_post(struct http_client *c, const struct route_target *t,
                  const char *auth, const char *body, size_t len,
                  struct discord_result *r);
/* Bot API nonce (<= 25 characters) derived from a delivery key, so a
 * retry of the same message is recognised by Discord (enforce_nonce). */
void discord_nonce(const char *key, char *out, size_t size);
const char *discord_outcome_name(enum discord_outcome o);

#endif
