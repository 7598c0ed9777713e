/* httpd.c — the HTTP side of `wn-status --serve`, over libmicrohttpd: it
 * parses HTTP, we route, authenticate and render.  One internal polling
 * thread serves every connection, so handlers never run concurrently; the
 * main thread only waits for a signal. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "config.h"
#include "httpd.h"
#include "httpd_route.h"
#include "json.h"
#include "log.h"
#include "state.h"
#include "status_api.h"

int
httpd_parse_listen(const char *s, int def_port, struct httpd_config *c, char *err,
    size_t errlen)
{
	const char *colon, *host = "127.0.0.1", *port = NULL;
	char hbuf[64], *end;
	struct in6_addr a6;
	struct in_addr a4;
	long p;

	if (s[0] == '[') {	/* [v6]:port */
		const char *close = strchr(s, ']');
		if (!close || (close[1] && close[1] != ':') || (size_t)(close - s - 1) >= sizeof hbuf)
			goto bad;
		snprintf(hbuf, sizeof hbuf, "%.*s", (int)(close - s - 1), s + 1);
		host = hbuf;
		port = close[1] ? close + 2 : NULL;
	} else if ((colon = strrchr(s, ':'))) {
		if ((size_t)(colon - s) >= sizeof hbuf)
			goto bad;
		snprintf(hbuf, sizeof hbuf, "%.*s", (int)(colon - s), s);
		host = hbuf;
		port = colon + 1;
	} else if (strspn(s, "0123456789") == strlen(s)) {
		port = s;
	} else {
		host = s;
	}
	if (inet_pton(AF_INET, host, &a4) != 1 && inet_pton(AF_INET6, host, &a6) != 1) {
		snprintf(err, errlen, "%.64s is not a numeric IPv4 or IPv6 address", host);
		return -1;
	}
	snprintf(c->addr, sizeof c->addr, "%s", host);
	c->port = def_port;
	if (port) {
		errno = 0;
		p = strtol(port, &end, 10);
		if (!*port || *end || errno || p < 0 || p > 65535)
			goto bad;
		c->port = (int)p;
	}
	return 0;
bad:
	snprintf(err, errlen, "%.80s is not [ADDR:]PORT", s);
	return -1;
}

int
httpd_bearer_ok(const char *header, const char *token)
{
	unsigned char want[SHA256_DIGEST_LENGTH], got[SHA256_DIGEST_LENGTH];
	const char *v;

	if (!token || !*token)
		return 1;
	if (!header || strncasecmp(header, "Bearer ", 7) != 0)
		return 0;
	for (v = header + 7; *v == ' '; v++)
		;
	/* digests of both: equal length, so the time says nothing about
	 * how much of the token matched, nor how long it is */
	SHA256((const unsigned char *)token, strlen(token), want);
	SHA256((const unsigned char *)v, strlen(v), got);
	return CRYPTO_memcmp(want, got, sizeof want) == 0;
}

/* Queue body (malloc'd, taken over) with status and content type. */
static enum MHD_Result
reply(struct MHD_Connection *conn, unsigned status, const char *type, char *body, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result rc;

	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy", "default-src 'none'; "
	    "style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; "
	    "frame-ancestors 'none'");
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"wn\"");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result
reply_json(struct MHD_Connection *conn, unsigned status, cJSON *o)
{
	char *s = o ? json_print(o) : NULL, *body;
	size_t n;

	cJSON_Delete(o);
	if (!s)
		return MHD_NO;
	n = strlen(s);
	if (!(body = malloc(n + 2))) {	/* json_print's memory is cJSON's */
		cJSON_free(s);
		return MHD_NO;
	}
	memcpy(body, s, n);
	body[n++] = '\n';
	cJSON_free(s);
	return reply(conn, status, "application/json", body, n);
}

static enum MHD_Result
reply_error(struct MHD_Connection *conn, unsigned status, const char *msg)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "error", msg);
	return reply_json(conn, status, o);
}

static enum MHD_Result
render(struct MHD_Connection *conn, const struct httpd_config *c, enum httpd_route r)
{
	struct status_api_view *v = calloc(1, sizeof *v);
	enum MHD_Result rc;
	size_t len;
	char *text;

	if (!v)
		return MHD_NO;
	v->map_name = c->map_name;
	if (status_api_load(v, c->status_dir, c->stages, c->nstages, c->max_age,
	    r == HR_READY ? STATUS_API_READY : r == HR_STATUS || r == HR_DASHBOARD ? STATUS_API_DETAILS : 0) < 0) {
		log_warn("unable to read %s: %s", c->status_dir, strerror(errno));
		free(v);
		return reply_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "status files unreadable");
	}
	switch (r) {
	case HR_HEALTH:
	case HR_READY:
		rc = reply_json(conn, v->health.ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE,
		    status_api_health_json(v));
		break;
	case HR_STATUS:
		rc = reply_json(conn, MHD_HTTP_OK, status_api_status_json(v));
		break;
	case HR_METRICS:
		text = status_view_render_prometheus(&v->list, v->now, &len);
		rc = text ? reply(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
		    text, len) : MHD_NO;
		break;
	default:
		text = dashboard_html(v, &len);
		rc = text ? reply(conn, MHD_HTTP_OK, "text/html; charset=utf-8", text, len) : MHD_NO;
		break;
	}
	status_api_free(v);
	free(v);
	return rc;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **state)
{
	const struct httpd_config *c = cls;
	enum httpd_route r;
	const char *msg;
	int status;

	(void)version, (void)upload;
	if (!*state) {	/* first call: headers only; answer on the second */
		*state = (void *)1;
		return MHD_YES;
	}
	if (*upload_size) {	/* GET and HEAD have no body: drop it */
		*upload_size = 0;
		return MHD_YES;
	}
	status = httpd_route(method, url, MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION), c->token, &r, &msg);
	return status ? reply_error(conn, (unsigned)status, msg) : render(conn, c, r);
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];
	size_t n;

	(void)cls;
	vsnprintf(buf, sizeof buf, fmt, ap);
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	log_debug("libmicrohttpd: %s", buf);
}

/* The address into ss; its length, 0 when not numeric. */
static socklen_t
sockaddr_of(const struct httpd_config *c, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, c->addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)c->port);
		return sizeof *s4;
	}
	if (inet_pton(AF_INET6, c->addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)c->port);
		return sizeof *s6;
	}
	return 0;
}

int
httpd_serve(const struct httpd_config *c)
{
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	sigset_t set;
	int sig;
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;

	if (!sockaddr_of(c, &ss))
		return log_error("%s is not a numeric address", c->addr), 100;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* the server thread inherits this mask: signals come to sigwait */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	d = MHD_start_daemon(flags, (uint16_t)c->port, NULL, NULL, on_request, (void *)c,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_LIMIT, c->max_conn,
	    MHD_OPTION_CONNECTION_TIMEOUT, c->timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTPD_MEMORY_LIMIT,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, c->max_conn,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_END);
	if (!d) {
		log_error("unable to listen on %s port %d: %s", c->addr, c->port, strerror(errno));
		return 111;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	log_info("listening on http://%s%s%s:%u/%s", ss.ss_family == AF_INET6 ? "[" : "",
	    c->addr, ss.ss_family == AF_INET6 ? "]" : "", info ? info->port : (unsigned)c->port,
	    c->token && *c->token ? " (bearer token required for /, /api/status, /metrics)" : "");
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig != SIGHUP)
			break;
		log_info("SIGHUP: nothing to reload (every request reads the files afresh)");
	}
	log_info("SIG%s: stopping", sig == SIGTERM ? "TERM" : "INT");
	MHD_stop_daemon(d);
	return 0;
}

/* A configured number in [min, max], else a fatal configuration error. */
static long long
env_range(const char *name, long long def, long long min, long long max)
{
	long long v = config_int(name, def);

	if (v < min || v > max)
		log_fatal(100, "%s must be between %lld and %lld (got %lld)", name, min, max, v);
	return v;
}

static char status_dir[PATH_MAX];

int
httpd_main(const char *listen, char **stages, int n)
{
	struct httpd_config c;
	char err[160];
	int port = (int)env_range("PORT", HTTPD_PORT_DEFAULT, 0, 65535);

	memset(&c, 0, sizeof c);
	if (httpd_parse_listen(listen, port, &c, err, sizeof err) < 0)
		log_fatal(100, "--serve: %s", err);
	c.token = config_secret("NOTIFIER_API_TOKEN");
	/* registered with the redactor, so no response can carry them */
	config_secret("DISCORD_BOT_TOKEN");
	config_secret("MAP_API_KEY");
	config_secret("LICENSE_KEY");
	c.map_name = config_str("MAP_NAME", NULL);
	c.max_conn = (unsigned)env_range("WN_HTTP_MAX_CONNECTIONS", HTTPD_MAX_CONN_DEFAULT, 1, 4096);
	c.timeout = (unsigned)env_range("WN_HTTP_TIMEOUT", HTTPD_TIMEOUT_DEFAULT, 1, 3600);
	c.max_age = (long)env_range("WN_HEALTH_MAX_AGE", HEALTH_MAX_AGE_DEFAULT, 1, 86400);
	c.stages = stages;
	c.nstages = n;
	if (snprintf(status_dir, sizeof status_dir, "%s/status", state_dir()) >=
	    (int)sizeof status_dir)
		log_fatal(100, "state directory name too long");
	c.status_dir = status_dir;
	return httpd_serve(&c);
}
