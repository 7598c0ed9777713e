/* gwsys.c — system names for slash commands (see gwsys.h). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gwsys.h"
#include "json.h"

static const char *const name_keys[] = { "name", "custom_name", "temporary_name" };

int64_t
gwsys_find(const cJSON *map, const char *name, char *eve, size_t evesize)
{
	const cJSON *s, *systems = cJSON_GetObjectItemCaseSensitive(map, "systems");

	cJSON_ArrayForEach(s, systems) {
		for (size_t k = 0; k < sizeof name_keys / sizeof *name_keys; k++) {
			const char *n = json_str(s, name_keys[k]);
			int64_t id = json_id(s, "solar_system_id");
			if (n && *n && id > 0 && !strcasecmp(n, name)) {
				snprintf(eve, evesize, "%s", json_str(s, "name") ? json_str(s, "name") : n);
				return id;
			}
		}
	}
	return 0;
}

/* case-insensitive strstr: 0 prefix, 1 inside, -1 not there */
static int
where(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; hay[i]; i++)
		if (!strncasecmp(hay + i, needle, n))
			return i == 0 ? 0 : 1;
	return n == 0 ? 0 : -1;
}

size_t
gwsys_complete(const cJSON *map, const char *typed, const char **out, size_t max)
{
	const cJSON *s, *systems = cJSON_GetObjectItemCaseSensitive(map, "systems");
	size_t n = 0;

	for (int pass = 0; pass < 2; pass++)
		cJSON_ArrayForEach(s, systems)
			for (size_t k = 0; k < sizeof name_keys / sizeof *name_keys && n < max; k++) {
				const char *nm = json_str(s, name_keys[k]);
				if (nm && *nm && strlen(nm) <= 100 && where(nm, typed) == pass)
					out[n++] = nm;
			}
	return n;
}

int64_t
gwsys_from_ids(const char *body, size_t len, const char *name, char *eve, size_t evesize)
{
	char err[128];
	cJSON *root = json_parse(body, len, err, sizeof err), *s;
	int64_t id = 0;

	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(root, "systems")) {
		const char *n = json_str(s, "name");
		int64_t v = json_id(s, "id");
		/* EVE system ids: 30000000-33999999 */
		if (n && !strcasecmp(n, name) && v >= 30000000 && v < 34000000) {
			snprintf(eve, evesize, "%s", n);
			id = v;
			break;
		}
	}
	cJSON_Delete(root);
	return id;
}
