/* voicemention.h — wn-discord's use of the voice file written by
 * wn-gateway (gwvoice.h): with VOICE_PARTICIPANT_NOTIFICATIONS_ENABLED,
 * kills bound for the system-kill channel mention the users sitting in
 * voice, and a priority message's @here becomes those users (or stays
 * @here when nobody is known to be in voice and FALLBACK_TO_HERE_ENABLED).
 * The change is made to notify.mention, so format.c puts exactly those
 * users in content and allowed_mentions, and --dry-run shows them. */
#ifndef WN_VOICEMENTION_H
#define WN_VOICEMENTION_H

#include <time.h>
#include <cjson/cJSON.h>

#define VM_MAX_USERS   100    /* Discord's allowed_mentions.users limit */
#define VM_MAX_CHARS   1800   /* of the 2000 content characters */

struct vm_config {
	int enabled;              /* VOICE_PARTICIPANT_NOTIFICATIONS_ENABLED */
	int fallback_here;        /* FALLBACK_TO_HERE_ENABLED (default true) */
	const char *path;         /* the voice file */
};

/* voicemention.c */
/* Rewrites rec's notify.mention as above (reads the voice file only when
 * the record needs it).  Returns how many users were mentioned. */
int voicemention_apply(cJSON *rec, const struct vm_config *c, time_t now);

#endif
