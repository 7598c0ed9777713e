/* killid.c — the killmail id rule (see killid.h). */
#include "killid.h"

#include <stdio.h>

#include "json.h"
#include "numconv.h"

int
killid_ok(int64_t id)
{
	return id > 0 && (double)id < NUM_EXACT_MAX;
}

int
killid_check_json(const cJSON *rec, char *err, size_t errlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "killmail_id");
	int64_t id;

	if (!v)
		return 0;
	if (json_int64(v, &id) && killid_ok(id))
		return 0;
	snprintf(err, errlen, "%s", KILLID_RULE);
	return -1;
}

int
killid_hash_ok(const char *s)
{
	size_t i;

	if (!s)
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	return i == 40;
}
