/* gwmap.c — track / untrack a system on the Wanderer map (see gwmap.h). */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "gwmap.h"
#include "http.h"

int
gwmap_init(struct gwmap *m, struct http_client *http)
{
	const char *key = config_secret("MAP_API_KEY");

	m->http = http;
	m->url = config_str("MAP_URL", NULL);
	m->slug = config_str("MAP_NAME", NULL);
	m->auth[0] = '\0';
	if (!m->url || !m->slug || !key || strlen(key) > 500 ||
	    strcspn(m->slug, "/?#% ") != strlen(m->slug))
		return -1;
	snprintf(m->auth, sizeof m->auth, "Authorization: Bearer %s", key);
	return 0;
}

int
gwmap_track(struct gwmap *m, int64_t id, int add, char *err, size_t errlen)
{
	const char *hdrs[] = { "Content-Type: application/json", "Accept: application/json",
	                       m->auth, NULL };
	struct http_response r;
	char url[1200], body[64];
	size_t n = strlen(m->url);
	int rc = -1;

	while (n > 0 && m->url[n - 1] == '/')
		n--;
	if (add) {
		snprintf(url, sizeof url, "%.*s/api/maps/%s/systems", (int)n, m->url, m->slug);
		snprintf(body, sizeof body, "{\"solar_system_id\":%lld}", (long long)id);
	} else {
		snprintf(url, sizeof url, "%.*s/api/maps/%s/systems/%lld", (int)n, m->url, m->slug,
		         (long long)id);
	}
	if (http_request(m->http, add ? "POST" : "DELETE", url, hdrs, add ? body : NULL,
	                 add ? strlen(body) : 0, &r, err, errlen) < 0)
		return -1;
	if (r.status >= 200 && r.status < 300)
		rc = 0;
	else
		snprintf(err, errlen, "the map answered HTTP %ld", r.status);
	http_response_free(&r);
	return rc;
}
