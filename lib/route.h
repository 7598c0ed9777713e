/* route.h — where a message goes: the channel class chosen by format.c
 * (system_kill, character_kill, ...) resolved to a Discord target from
 * the environment, Wanderer Notifier's way: the class's own setting, else
 * the main one.  A class may name a webhook (DISCORD_<CLASS>_WEBHOOK_URL)
 * or a channel (DISCORD_<CLASS>_CHANNEL_ID, posted with DISCORD_BOT_TOKEN);
 * for each class the first set of: its webhook, its channel, the main
 * webhook (DISCORD_WEBHOOK_URL), the main channel (DISCORD_CHANNEL_ID). */
#ifndef WN_ROUTE_H
#define WN_ROUTE_H

#include <stddef.h>

#include "format.h"

#define ROUTE_API_DEFAULT "https://discord.com/api/v10"
#define ROUTE_MAX_TARGETS (2 * ROUTE_COUNT)

enum target_kind { TARGET_CHANNEL, TARGET_WEBHOOK };

struct route_target {
	enum target_kind kind;
	char name[48];   /* "channel:<id>" or "webhook:<class>": safe to print */
	char key[48];    /* rate-limit identity: "channel:<id>" / "webhook:<id>" */
	char url[640];   /* the POST URL; SECRET for webhooks (token inside) */
};

struct routes {
	struct route_target t[ROUTE_MAX_TARGETS];
	int n;
	int by_class[ROUTE_COUNT];   /* index into t, or -1 when unrouted */
	char auth[320];              /* "Authorization: Bot <token>" or "" */
};

/* Where settings come from: config_str in the tool, a table in tests. */
typedef const char *(*route_getenv)(const char *name);

/* route.c */
const char *route_class_name(int cls);      /* "main", "system_kill", ... */
int route_class_from_name(const char *name);   /* -1 if unknown */
/* Reads the variables above plus DISCORD_API_URL; registers every token
 * and webhook URL with the log redactor.  Returns the number of routed
 * classes, or -1 with a reason (never containing a secret) in err. */
int routes_load(struct routes *r, route_getenv get, char *err, size_t errlen);
/* The target for a class, or NULL when nothing is configured. */
const struct route_target *routes_target(const struct routes *r, int cls);
/* Bit (1 << class) for every class posted where cls is (the same channel
 * or webhook), cls included. */
unsigned routes_sharing(const struct routes *r, int cls);
/* Parses a webhook URL (https://discord.com/api[/vN]/webhooks/ID/TOKEN
 * [?thread_id=N]) into id and token; 0 on success. */
int route_parse_webhook(const char *url, char *id, size_t idlen,
                        char *token, size_t toklen, char *thread, size_t thlen);

#endif
