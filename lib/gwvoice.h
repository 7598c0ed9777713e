/* gwvoice.h — who sits in voice in one guild, from the Gateway's
 * GUILD_CREATE (channels, afk_channel_id, voice_states), GUILD_UPDATE,
 * CHANNEL_CREATE/UPDATE/DELETE and VOICE_STATE_UPDATE; and the voice
 * file (state_dir()/voice.json) that carries it to wn-discord:
 *
 *   {"version":1,"guild_id":"..","alive_at":1765000000,"down_since":null,
 *    "users":["80351110224678912",...]}
 *
 * alive_at is refreshed while the Gateway session is up; down_since is
 * set when it goes down.  A reader trusts the list only while the later
 * of the two is at most GWV_TRUST_SECONDS old. */
#ifndef WN_GWVOICE_H
#define WN_GWVOICE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cjson/cJSON.h>

#define GWV_MAX_CHANNELS 2000     /* Discord allows 500 per guild */
#define GWV_MAX_USERS    25000    /* a voice channel holds at most 99 (stage 10000) */
#define GWV_TRUST_SECONDS 300
#define GWV_CH_VOICE 2
#define GWV_CH_STAGE 13

struct gwv_chan { int64_t id; int type; };
struct gwv_user { int64_t user, channel; };

struct gwvoice {
	int64_t guild, afk;
	int known;                       /* GUILD_CREATE seen */
	struct gwv_chan *ch;
	size_t nch;
	struct gwv_user *u;
	size_t nu;
	long long dropped;               /* entries past the limits */
};

/* gwvoice.c */
void gwvoice_init(struct gwvoice *v, int64_t guild);
void gwvoice_free(struct gwvoice *v);
/* One dispatch: 1 the voice list may have changed, 0 not ours or not
 * about voice, -1 malformed (reason in err). */
int gwvoice_event(struct gwvoice *v, const char *t, const cJSON *d, char *err, size_t errlen);
/* Users in a voice or stage channel other than the AFK one, ascending,
 * at most max; returns how many. */
size_t gwvoice_users(const struct gwvoice *v, int64_t *out, size_t max);
/* The voice file's text (malloc'd). */
char *gwvoice_file(const struct gwvoice *v, time_t alive_at, time_t down_since);

/* Reader side: parse a voice file.  Returns the number of users put in
 * out (at most max), or -1 when the list is not to be trusted at now
 * (absent, malformed, never known, or older than GWV_TRUST_SECONDS). */
int gwvoice_read(const char *buf, size_t len, time_t now, int64_t *out, size_t max);

#endif
