/* killid.c — the killmail id rule (see killid.h). */
#include "killid.h"

#include <stdio.h>

#include "jsonutil.h"
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
