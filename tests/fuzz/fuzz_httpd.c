/* fuzz_httpd.c — what `wn-status --serve` answers.  The input is lines:
 * method, path, Authorization value, token, --serve LISTEN, then status
 * files (one per remaining line, the first byte choosing whether each
 * tool counts as running).  Properties: 405 exactly for a method other
 * than GET and HEAD; no 401 without a token, nor with "Bearer TOKEN",
 * nor on a probe; a listen address accepted is numeric with a port in
 * range; the health rule says ok exactly when every stage is, and the
 * served health JSON agrees.  (The served texts are built without the
 * token, so "the token is not in them" says nothing a fuzzed token does
 * not break by chance: finding 22 was the token `":"wn-kills",`, which
 * every status JSON holds.  wn-status-serve.t checks real responses and
 * logs for the real token instead.) */
#include <arpa/inet.h>

#include "fuzz.h"
#include "health.h"
#include "httpd.h"
#include "httpd_route.h"
#include "json.h"
#include "status_api.h"

#define NOW 1773775000

static const char *
field(char **p)
{
	char *s = *p, *nl = strchr(s, '\n');

	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = s + strlen(s);
	}
	return s;
}

static void
check_route(const char *method, const char *url, const char *auth, const char *token)
{
	enum httpd_route r;
	const char *msg;
	char good[700];
	int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
	int st = httpd_route(method, url, *auth ? auth : NULL, *token ? token : NULL, &r, &msg);

	FUZZ_ASSERT(st == 0 || st == 401 || st == 404 || st == 405);
	FUZZ_ASSERT((st == 405) == !get);
	FUZZ_ASSERT(msg && (st == 0) == (r != HR_NONE));
	if (!*token)
		FUZZ_ASSERT(st != 401);
	if (st == 0 && *token && httpd_route_auth(r))
		FUZZ_ASSERT(httpd_bearer_ok(auth, token));
	/* the same request with the right header gets through (a token
	 * that starts with a blank cannot be sent: the blanks after
	 * "Bearer" are skipped, as HTTP trims them anyway) */
	snprintf(good, sizeof good, "Bearer %s", token);
	if (strlen(token) < 600 && token[0] != ' ') {
		enum httpd_route r2;
		int st2 = httpd_route(method, url, good, token, &r2, &msg);
		FUZZ_ASSERT(st2 != 401);
		FUZZ_ASSERT(st2 == 405 || st2 == 404 || r2 != HR_NONE);
		if (st == 0)
			FUZZ_ASSERT(r2 == r);
	}
}

static void
check_listen(const char *s)
{
	struct httpd_config c;
	char err[256] = "", buf[sizeof(struct in6_addr)];

	memset(&c, 0, sizeof c);
	if (httpd_parse_listen(s, HTTPD_PORT_DEFAULT, &c, err, sizeof err) == 0) {
		FUZZ_ASSERT(c.port >= 0 && c.port <= 65535);
		FUZZ_ASSERT(inet_pton(AF_INET, c.addr, buf) == 1 || inet_pton(AF_INET6, c.addr, buf) == 1);
	} else {
		FUZZ_ASSERT(err[0] && strlen(err) < sizeof err);
	}
}

static void
check_served(struct status_api_view *v)
{
	char *txt[3];
	size_t len;
	cJSON *h = status_api_health_json(v), *st = status_api_status_json(v);
	const char *status = json_str(h, "status");

	FUZZ_ASSERT(h && st);
	FUZZ_ASSERT(status && !strcmp(status, v->health.ok ? "ok" : "unhealthy"));
	txt[0] = json_print(h);
	txt[1] = json_print(st);
	txt[2] = dashboard_html(v, &len);
	FUZZ_ASSERT(txt[0] && txt[1] && txt[2] && strlen(txt[2]) == len);
	for (int i = 0; i < 3; i++)
		free(txt[i]);
	cJSON_Delete(h);
	cJSON_Delete(st);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), *p = s, err[256], summary[1024];
	const char *method = field(&p), *url = field(&p), *auth = field(&p);
	const char *token = field(&p), *listen = field(&p);
	struct status_api_view *v = calloc(1, sizeof *v);
	int all = 1;

	fuzz_quiet();
	FUZZ_ASSERT(v);
	check_route(method, url, auth, token);
	check_listen(listen);
	while (*p && v->list.n < STATUS_VIEW_MAX_TOOLS) {
		const char *line = field(&p);
		struct status_view_tool *t = &v->list.tool[v->list.n];
		if (!*line)
			continue;
		if (status_view_parse(line + 1, strlen(line + 1), "wn-kills", t, err, sizeof err) == 0) {
			t->running = line[0] & 1;
			v->list.n++;
		}
	}
	v->now = NOW;
	v->dead_letters = -1;
	v->map_name = "fuzz";
	for (int ready = 0; ready < 2; ready++) {
		int ok = health_judge(&v->list, NULL, 0, NOW, HEALTH_MAX_AGE_DEFAULT, ready, &v->health);
		FUZZ_ASSERT(ok == v->health.ok && v->health.n <= HEALTH_MAX_STAGES);
		for (int i = 0; i < v->health.n; i++)
			all &= v->health.stage[i].ok;
		if (!ready)
			FUZZ_ASSERT(ok == all);
		else if (ok)
			FUZZ_ASSERT(all);
		health_summary(&v->health, summary, sizeof summary);
		FUZZ_ASSERT(!summary[0] == !!ok);
		check_served(v);
	}
	status_api_free(v);
	free(v);
	free(s);
	return 0;
}
