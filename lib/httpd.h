/* httpd.h — `wn-status --serve`: a small HTTP server (libmicrohttpd) over
 * the status files.  GET and HEAD only; routes:
 *
 *   /health, /api/health   the health rule (health.h): 200 or 503, JSON
 *   /ready                 the same, and the flow has finished starting
 *   /metrics               the Prometheus text of status_prom.c
 *   /api/status            the notifier's status JSON (status_api.h)
 *   /                      the dashboard (dashboard.c)
 *
 * With a token, /, /api/status and /metrics need "Authorization: Bearer
 * TOKEN" (compared in constant time); the probes stay open.  Bounded: a
 * connection limit, a per-connection memory limit (a request line or
 * headers beyond it get 414 or 431), an idle timeout. */
#ifndef WN_HTTPD_H
#define WN_HTTPD_H

#include <stddef.h>

#define HTTPD_PORT_DEFAULT 4000
#define HTTPD_MAX_CONN_DEFAULT 256
#define HTTPD_TIMEOUT_DEFAULT 10          /* seconds a connection may idle */
#define HTTPD_MEMORY_LIMIT (16 * 1024)    /* per connection: request + headers */

struct httpd_config {
	char addr[64];          /* numeric IPv4 or IPv6 address */
	int port;               /* 0: any free port (logged) */
	const char *token;      /* NULL or "": no authentication */
	const char *status_dir;
	char **stages;          /* the stages judged; n == 0: the default five */
	int nstages;
	long max_age;
	unsigned max_conn;
	unsigned timeout;
	const char *map_name;
};

/* httpd.c */
/* "[ADDR:]PORT", "[V6]:PORT" or "ADDR" into c->addr/c->port (defaults
 * 127.0.0.1 and def_port); -1 with a reason in err if malformed. */
int httpd_parse_listen(const char *s, int def_port, struct httpd_config *c,
    char *err, size_t errlen);
/* Serve until SIGTERM or SIGINT; returns an exit status (0, or 111 when
 * the socket cannot be opened). */
int httpd_serve(const struct httpd_config *c);
/* The whole of --serve LISTEN: configuration from the environment
 * (PORT, NOTIFIER_API_TOKEN, WN_HTTP_*, WN_HEALTH_MAX_AGE), then serve. */
int httpd_main(const char *listen, char **stages, int n);
/* Constant-time check of an Authorization header value against token. */
int httpd_bearer_ok(const char *header, const char *token);

#endif
