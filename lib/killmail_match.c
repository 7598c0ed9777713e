/* killmail_match.c — is a canonical killmail about what we follow? */
#include "idset.h"
#include "json.h"
#include "killmail.h"

int
killmail_involves(const cJSON *rec, const struct idset *sys, const struct idset *chr)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "victim"), *a;

	if (idset_has(sys, json_id(rec, "solar_system_id")) ||
	    idset_has(chr, json_id(v, "character_id")))
		return 1;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(rec, "attackers"))
		if (idset_has(chr, json_id(a, "character_id")))
			return 1;
	return 0;
}
