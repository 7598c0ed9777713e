/* status_record.c — see status_record.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "json_out.h"
#include "state.h"
#include "status_record.h"

static int
valid_key(const char *k, size_t n)
{
	if (n == 0 || n > 47)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || k[i] == '_'))
			return 0;
	return !(n == 4 && !strncmp(k, "tool", 4)) && !(n == 7 && !strncmp(k, "updated", 7));
}

/* Digits only, at most 15 of them: a JSON number a double holds exactly. */
static int
is_count(const char *v)
{
	size_t n = strspn(v, "0123456789");
	return n > 0 && n <= 15 && v[n] == '\0';
}

static int
add_pair(cJSON *o, const char *pair, char *err, size_t errlen)
{
	const char *eq = strchr(pair, '=');
	char key[48];
	size_t n;

	if (!eq || !valid_key(pair, (size_t)(eq - pair))) {
		snprintf(err, errlen, "%.60s: expected key=value, the key in a-z and _", pair);
		return -1;
	}
	n = (size_t)(eq - pair);
	memcpy(key, pair, n);
	key[n] = '\0';
	if (cJSON_GetObjectItemCaseSensitive(o, key)) {
		snprintf(err, errlen, "%s given twice", key);
		return -1;
	}
	if (strlen(eq + 1) > STATUS_RECORD_VALUE) {
		snprintf(err, errlen, "%s: value longer than %d bytes", key, STATUS_RECORD_VALUE);
		return -1;
	}
	if (!(is_count(eq + 1) ? cJSON_AddNumberToObject(o, key, strtod(eq + 1, NULL))
	                       : cJSON_AddStringToObject(o, key, eq + 1))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int
status_record(const char *tool, char *const *kv, int n, char *err, size_t errlen)
{
	char name[64], path[4096], now[32];
	time_t t = time(NULL);
	struct tm tm;
	struct buf b = { 0 };
	cJSON *o;
	int rc = -1;

	size_t tl = strlen(tool);

	if (tl == 0 || tl > 40 || tool[strspn(tool, "abcdefghijklmnopqrstuvwxyz0123456789-")]) {
		snprintf(err, errlen, "%.60s: not a tool name (a-z, 0-9 and -)", tool);
		return -1;
	}
	if (n > STATUS_RECORD_MAX) {
		snprintf(err, errlen, "more than %d key=value pairs", STATUS_RECORD_MAX);
		return -1;
	}
	snprintf(name, sizeof name, "status/%s.json", tool);
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!(o = cJSON_CreateObject()) || !cJSON_AddStringToObject(o, "tool", tool) ||
	    !cJSON_AddStringToObject(o, "updated", now)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (int i = 0; i < n; i++)
		if (add_pair(o, kv[i], err, errlen) < 0)
			goto out;
	rc = -2;
	if (state_path(path, sizeof path, name) < 0 || json_out(o, &b) < 0)
		snprintf(err, errlen, "unable to prepare %s", name);
	else if (b.p[b.len] = '\n', state_atomic_write(path, b.p, b.len + 1) < 0)
		snprintf(err, errlen, "unable to write %s: %s", path, strerror(errno));
	else
		rc = 0;
out:
	buf_free(&b);
	cJSON_Delete(o);
	return rc;
}
