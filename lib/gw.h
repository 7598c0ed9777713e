/* gw.h — the Discord Gateway v10 protocol without sockets: payloads
 * parsed into events (the sequence number, session_id and
 * resume_gateway_url kept on the way), the payloads a client sends
 * (IDENTIFY, RESUME, heartbeat), what a close code means, and the
 * heartbeat clock with its zombie check.  gwconn.c moves the bytes. */
#ifndef WN_GW_H
#define WN_GW_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

enum gw_op {
	GW_OP_DISPATCH = 0, GW_OP_HEARTBEAT = 1, GW_OP_IDENTIFY = 2,
	GW_OP_RESUME = 6, GW_OP_RECONNECT = 7, GW_OP_INVALID_SESSION = 9,
	GW_OP_HELLO = 10, GW_OP_HEARTBEAT_ACK = 11,
};

/* Only what wn needs, and no privileged intent (so no approval). */
#define GW_INTENT_GUILDS             (1 << 0)
#define GW_INTENT_GUILD_VOICE_STATES (1 << 7)
#define GW_INTENTS (GW_INTENT_GUILDS | GW_INTENT_GUILD_VOICE_STATES)

#define GW_MAX_MESSAGE   (8u << 20)   /* a GUILD_CREATE of a big guild */
#define GW_HB_MIN_MS     1000         /* HELLO intervals outside are refused */
#define GW_HB_MAX_MS     600000

enum gw_ev {
	GW_EV_HELLO,            /* m.interval_ms */
	GW_EV_ACK,
	GW_EV_HEARTBEAT_ASKED,  /* server op 1: answer at once */
	GW_EV_RECONNECT,        /* op 7 */
	GW_EV_INVALID,          /* op 9, m.resumable */
	GW_EV_READY,            /* session kept in the gw_session */
	GW_EV_RESUMED,
	GW_EV_DISPATCH,         /* any other event: m.t, m.d */
	GW_EV_IGNORED,          /* an opcode a client never gets */
	GW_EV_BAD,              /* err says why */
};

struct gw_session {
	char session_id[128];     /* "" when there is no session to resume */
	char resume_url[512];     /* wss://host from READY, without query */
	int64_t seq;              /* last sequence number, -1 for none */
};

struct gw_msg {
	enum gw_ev ev;
	char t[64];               /* dispatch name */
	const cJSON *d;           /* inside root */
	cJSON *root;
	int resumable;
	long long interval_ms;
};

struct gw_heart {
	long long interval_ms, next_ms, sent_ms, latency_ms;
	int awaiting;             /* a heartbeat not yet ACKed */
};

enum gw_close { GW_CLOSE_RESUME, GW_CLOSE_NEW_SESSION, GW_CLOSE_FATAL };

/* gw.c */
void gw_session_reset(struct gw_session *s);
/* Parses one text message; updates s (seq, READY's session).  Returns
 * m->ev; GW_EV_BAD with a reason in err.  gw_msg_free after. */
enum gw_ev gw_parse(struct gw_session *s, const char *buf, size_t len,
                    struct gw_msg *m, char *err, size_t errlen);
void gw_msg_free(struct gw_msg *m);
/* Payloads to send; malloc'd, NULL when out of memory. */
char *gw_identify(const char *token, int intents);
char *gw_resume(const char *token, const struct gw_session *s);
char *gw_heartbeat(const struct gw_session *s);
enum gw_close gw_close_kind(int code);
const char *gw_close_name(int code);
/* The URL to connect to: base (wss://host[/]) + "/?v=10&encoding=json".
 * -1 when base is not ws:// or wss:// or does not fit. */
int gw_url(const char *base, char *out, size_t size);
/* The same URL split for tls.c and ws.c: tls, host, port, hostport
 * (Host header) and path "/?v=10&encoding=json".  0 or -1. */
struct phx_url;
int gw_url_split(const char *base, struct phx_url *u);

/* The heartbeat clock.  start: the first beat after interval x jitter
 * (jitter in [0,1)).  tick: 1 a beat is due (send it, then call sent),
 * -1 the last one was never ACKed (a zombie connection), 0 nothing. */
void gw_heart_start(struct gw_heart *h, long long interval_ms, long long now, double jitter);
int gw_heart_tick(const struct gw_heart *h, long long now);
void gw_heart_sent(struct gw_heart *h, long long now, int scheduled);
void gw_heart_ack(struct gw_heart *h, long long now);
long long gw_heart_wait(const struct gw_heart *h, long long now);

#endif
