/* gwcmd.h — the /notifier slash command: its definition for a bulk
 * overwrite, INTERACTION_CREATE parsed into what was asked, and the
 * interaction responses (ephemeral message, autocomplete choices).
 * Pure: no network, no files. */
#ifndef WN_GWCMD_H
#define WN_GWCMD_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* Interaction types and response types (Discord's numbers). */
enum { GWI_PING = 1, GWI_COMMAND = 2, GWI_COMPONENT = 3, GWI_AUTOCOMPLETE = 4 };
enum { GWR_MESSAGE = 4, GWR_CHOICES = 8 };
#define GWR_EPHEMERAL 64
#define GW_CHOICES_MAX 25
/* MANAGE_GUILD: members who may manage the server change priorities. */
#define GW_DEFAULT_PERMISSIONS "32"

struct gwi {
	char id[24];             /* interaction id (snowflake) */
	char token[600];         /* a secret: never logged */
	int type;
	char application_id[24], guild_id[24], channel_id[24], user_id[24];
	char command[40];        /* "notifier" */
	char sub[40];            /* "system" / "status" / other */
	char system_name[128];   /* raw value, or the focused text */
	char action[40];         /* add_priority ...; "track" when absent */
	int focused;             /* autocomplete: system_name is partial */
};

/* gwcmd.c */
/* The JSON array for PUT .../commands (malloc'd). */
char *gwcmd_definition(void);
/* 0 ok; -1 malformed (reason in err, never the token). */
int gwcmd_parse(const cJSON *d, struct gwi *i, char *err, size_t errlen);
/* {"type":4,"data":{"content":text,"flags":64,"allowed_mentions":{"parse":[]}}} */
char *gwcmd_reply(const char *text);
/* {"type":8,"data":{"choices":[{"name":n,"value":n},...]}} (at most 25) */
char *gwcmd_choices(const char *const *names, size_t n);
/* The notifier's texts for a priority change. */
void gwcmd_priority_text(char *buf, size_t size, int add, int changed, const char *name);

#endif
