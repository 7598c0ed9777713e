/* kind.h — the one table of notification kinds (notify.kind in
 * wn-records(5), chosen by wn-filter) and the Discord channel classes
 * they are posted to (format.c picks the class, route.c finds its
 * DISCORD_<INFIX>CHANNEL_ID / _WEBHOOK_URL).  Kept in one place so a
 * new kind cannot be known to one stage and not to the next. */
#ifndef WN_KIND_H
#define WN_KIND_H

enum notify_kind {
	N_SYSTEM_KILL, N_CHARACTER_KILL, N_SYSTEM, N_CHARACTER, N_RALLY, N_KIND_COUNT
};

/* The channel class a message belongs to. */
enum fmt_route {
	ROUTE_MAIN = 0, ROUTE_SYSTEM_KILL, ROUTE_CHARACTER_KILL, ROUTE_SYSTEM,
	ROUTE_CHARACTER, ROUTE_RALLY, ROUTE_COUNT
};

/* kind.c */
const char *kind_name(enum notify_kind k);     /* "system_kill", ...; "?" */
int kind_from_name(const char *name);          /* enum notify_kind, or -1 */
enum fmt_route kind_route(enum notify_kind k); /* its class; ROUTE_MAIN if bad */
const char *kind_route_name(int route);        /* "main", "system_kill", ... */
int kind_route_from_name(const char *name);    /* -1 if unknown */
/* The class's part of its environment names: "" for main, else e.g.
 * "SYSTEM_KILL_" (DISCORD_SYSTEM_KILL_CHANNEL_ID); NULL if bad. */
const char *kind_route_infix(int route);

#endif
