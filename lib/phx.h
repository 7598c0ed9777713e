/* phx.h — Phoenix channels, serializer v2 ([join_ref, ref, topic, event,
 * payload] arrays), and the client side of the WandererKills channel
 * killmails:lobby: join with the tracked lists, heartbeats on "phoenix"
 * with a reply deadline, join errors, re-join to change the subscription,
 * a channel that closed or crashed.  Pure: messages in and out are
 * buffers, time is passed in; no I/O here. */
#ifndef WN_PHX_H
#define WN_PHX_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

struct idset;

#define PHX_TOPIC "killmails:lobby"
#define PHX_SOCKET_PATH "/socket/websocket"
#define PHX_VSN "2.0.0"
/* A v1.5 server drops client frames over 128 KiB: cap each list so a
 * join stays below that (ids are at most 11 bytes with the comma). */
#define PHX_MAX_SYSTEMS 5000
#define PHX_MAX_CHARACTERS 5000
/* The id ranges the channel validates (others fail the join). */
#define PHX_SYSTEM_MIN 1
#define PHX_SYSTEM_MAX 50000000LL
#define PHX_CHARACTER_MIN 90000000LL
#define PHX_CHARACTER_MAX 3000000000LL

struct phx_msg {
	cJSON *root;              /* owns everything below */
	const char *join_ref;     /* NULL for JSON null */
	const char *ref;
	const char *topic;
	const char *event;
	cJSON *payload;           /* an object (never NULL after decode) */
	char refbuf[2][32];       /* numeric refs turned into text */
};

enum phx_state { PHX_IDLE, PHX_JOINING, PHX_JOINED };

struct phx {
	enum phx_state state;
	unsigned long next_ref;
	char join_ref[24];        /* of the current (or pending) join */
	char hb_ref[24];          /* outstanding heartbeat, "" if none */
	long long hb_sent_ms, last_hb_ms;
	long long hb_interval_ms, hb_timeout_ms;
};

enum phx_event {
	PHX_EV_IGNORED = 0,       /* unknown event, old channel, stray reply */
	PHX_EV_JOINED,
	PHX_EV_JOIN_ERROR,        /* err holds the server's reason */
	PHX_EV_KILLS,             /* msg holds killmails: see phx_take_kills */
	PHX_EV_CHANNEL_DOWN,      /* our channel closed or crashed: re-join */
	PHX_EV_HEARTBEAT_OK,
	PHX_EV_BAD,               /* not a v2 message: err says why */
};

/* phx.c */
int phx_decode(const char *buf, size_t len, struct phx_msg *m, char *err, size_t errlen);
void phx_msg_free(struct phx_msg *m);
/* One v2 frame; payload NULL means {}.  join_ref/ref NULL → null. */
char *phx_encode(const char *join_ref, const char *ref, const char *topic,
                 const char *event, const cJSON *payload);

void phx_init(struct phx *p, long long hb_interval_ms, long long hb_timeout_ms);
/* A fresh connection: forget the channel and heartbeats. */
void phx_reset(struct phx *p, long long now_ms);
/* The join (also used to change the subscription: a full re-join).
 * since_hours > 0 asks for a preload of that many hours.  Ids outside
 * the ranges the server accepts are left out. */
char *phx_join(struct phx *p, const struct idset *systems, const struct idset *chars,
               int since_hours);
enum phx_event phx_handle(struct phx *p, const char *buf, size_t len,
                          struct phx_msg *m, char *err, size_t errlen);
/* Detach the array of killmails of a PHX_EV_KILLS message (caller frees). */
cJSON *phx_take_kills(struct phx_msg *m);
/* Heartbeat due → the frame to send (caller frees), else NULL.  *dead is
 * set when the last heartbeat went unanswered past its deadline. */
char *phx_tick(struct phx *p, long long now_ms, int *dead);
/* Give up waiting for the outstanding heartbeat's reply (we are not
 * reading), so the next tick sends a fresh one to keep the server's idle
 * timer fed; the late reply is then ignored. */
void phx_forget_heartbeat(struct phx *p);
/* Milliseconds until phx_tick has something to do. */
long long phx_next_ms(const struct phx *p, long long now_ms);

/* WEBSOCKET_URL the way Wanderer Notifier reads it: http(s) → ws(s),
 * /socket/websocket appended unless present, vsn=2.0.0 added. */
struct phx_url {
	int tls;
	char host[256];      /* without brackets */
	char port[8];
	char hostport[300];  /* for the Host header */
	char path[1024];     /* path and query */
};
/* phx.c */
int phx_url_parse(const char *url, struct phx_url *u, char *err, size_t errlen);

#endif
