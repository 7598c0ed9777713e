/* kind.c — notification kinds and channel classes; see kind.h. */
#include <string.h>

#include "kind.h"

static const struct {
	const char *name;
	enum fmt_route route;
} kinds[N_KIND_COUNT] = {
	[N_SYSTEM_KILL] = { "system_kill", ROUTE_SYSTEM_KILL },
	[N_CHARACTER_KILL] = { "character_kill", ROUTE_CHARACTER_KILL },
	[N_SYSTEM] = { "system", ROUTE_SYSTEM },
	[N_CHARACTER] = { "character", ROUTE_CHARACTER },
	[N_RALLY] = { "rally_point", ROUTE_RALLY },
};

static const struct {
	const char *name, *infix;
} routes[ROUTE_COUNT] = {
	[ROUTE_MAIN] = { "main", "" },
	[ROUTE_SYSTEM_KILL] = { "system_kill", "SYSTEM_KILL_" },
	[ROUTE_CHARACTER_KILL] = { "character_kill", "CHARACTER_KILL_" },
	[ROUTE_SYSTEM] = { "system", "SYSTEM_" },
	[ROUTE_CHARACTER] = { "character", "CHARACTER_" },
	[ROUTE_RALLY] = { "rally", "RALLY_" },
};

const char *
kind_name(enum notify_kind k)
{
	return (unsigned)k < N_KIND_COUNT ? kinds[k].name : "?";
}

int
kind_from_name(const char *name)
{
	for (int i = 0; name && i < N_KIND_COUNT; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return i;
	return -1;
}

enum fmt_route
kind_route(enum notify_kind k)
{
	return (unsigned)k < N_KIND_COUNT ? kinds[k].route : ROUTE_MAIN;
}

const char *
kind_route_name(int route)
{
	return route >= 0 && route < ROUTE_COUNT ? routes[route].name : "unknown";
}

int
kind_route_from_name(const char *name)
{
	for (int i = 0; name && i < ROUTE_COUNT; i++)
		if (strcmp(routes[i].name, name) == 0)
			return i;
	return -1;
}

const char *
kind_route_infix(int route)
{
	return route >= 0 && route < ROUTE_COUNT ? routes[route].infix : NULL;
}
