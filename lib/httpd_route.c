/* httpd_route.c — the routing and authentication decision of `wn-status
 * --serve`, apart from libmicrohttpd (httpd.c). */
#include <string.h>

#include "httpd.h"
#include "httpd_route.h"

static const struct {
	const char *path;
	enum httpd_route r;
	int auth;
} routes[] = {
	{ "/health", HR_HEALTH, 0 }, { "/api/health", HR_HEALTH, 0 }, { "/ready", HR_READY, 0 },
	{ "/metrics", HR_METRICS, 1 }, { "/api/status", HR_STATUS, 1 }, { "/", HR_DASHBOARD, 1 },
};

int
httpd_route_auth(enum httpd_route r)
{
	return r == HR_METRICS || r == HR_STATUS || r == HR_DASHBOARD;
}

int
httpd_route(const char *method, const char *url, const char *authorization,
    const char *token, enum httpd_route *r, const char **msg)
{
	*r = HR_NONE;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		*msg = "only GET and HEAD";
		return 405;
	}
	for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
		if (strcmp(url, routes[i].path) != 0)
			continue;
		if (routes[i].auth && !httpd_bearer_ok(authorization, token)) {
			*msg = "Unauthorized";
			return 401;
		}
		*r = routes[i].r;
		*msg = "";
		return 0;
	}
	*msg = "Not found";
	return 404;
}
