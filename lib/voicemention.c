/* voicemention.c — voice participants into notify.mention (see
 * voicemention.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gwvoice.h"
#include "json.h"
#include "state.h"
#include "voicemention.h"

/* "<@a> <@b> ..." within VM_MAX_USERS and VM_MAX_CHARS; n = how many. */
static void
user_list(const int64_t *ids, int nids, char *buf, size_t size, int *n)
{
	size_t off = 0;

	buf[0] = '\0';
	*n = 0;
	for (int i = 0; i < nids && *n < VM_MAX_USERS; i++) {
		char one[32];
		int w = snprintf(one, sizeof one, "%s<@%lld>", off ? " " : "", (long long)ids[i]);
		if (off + (size_t)w >= size || off + (size_t)w > VM_MAX_CHARS)
			break;
		memcpy(buf + off, one, (size_t)w + 1);
		off += (size_t)w;
		(*n)++;
	}
}

/* mention without its @here tokens, into out */
static int
strip_here(const char *m, char *out, size_t size)
{
	size_t off = 0;
	int had = 0;

	out[0] = '\0';
	while (m && *m) {
		m += strspn(m, " ");
		size_t n = strcspn(m, " ");
		if (n == 5 && !memcmp(m, "@here", 5))
			had = 1;
		else if (n && off + n + 2 < size) {
			off += (size_t)snprintf(out + off, size - off, "%s%.*s", off ? " " : "", (int)n, m);
		}
		m += n;
	}
	return had;
}

static int
load(const struct vm_config *c, time_t now, int64_t *ids, size_t max)
{
	size_t len;
	char *buf = c->path ? state_read_file(c->path, 1u << 20, &len) : NULL;
	int n = buf ? gwvoice_read(buf, len, now, ids, max) : -1;

	free(buf);
	return n;
}

int
voicemention_apply(cJSON *rec, const struct vm_config *c, time_t now)
{
	cJSON *notify = cJSON_GetObjectItemCaseSensitive(rec, "notify");
	const char *kind = json_str(notify, "kind"), *old = json_str(notify, "mention");
	int priority = json_bool(notify, "priority", 0), nids, nused = 0;
	int kill = kind && !strcmp(kind, "system_kill");
	int64_t ids[VM_MAX_USERS];
	char users[VM_MAX_CHARS + 64], rest[1024], out[VM_MAX_CHARS + 1200];
	int here = strip_here(old, rest, sizeof rest);

	if (!c->enabled || !cJSON_IsObject(notify) || !(kill || (here && priority)))
		return 0;
	nids = load(c, now, ids, VM_MAX_USERS);
	user_list(ids, nids, users, sizeof users, &nused);
	if (here && priority) {
		if (nused > 0)
			snprintf(out, sizeof out, "%s%s%s", users, *rest ? " " : "", rest);
		else if (c->fallback_here)
			return 0;           /* nobody known in voice: @here stays */
		else
			snprintf(out, sizeof out, "%s", rest);
	} else if (nused > 0) {
		snprintf(out, sizeof out, "%s%s%s", users, old && *old ? " " : "", old ? old : "");
	} else {
		return 0;
	}
	json_set_str(notify, "mention", out);
	return nused;
}
