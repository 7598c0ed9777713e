/* fuzz_mapapi.c — map REST replies: the first byte picks systems or
 * tracked characters; every entry read is turned into a record, and the
 * state document built from them diffs against itself as empty. */
#include "fuzz.h"
#include "json.h"
#include "map_api.h"

static void
no_change(void *ud, const char *kind, const char *action, const cJSON *entry)
{
	(void)ud; (void)kind; (void)action; (void)entry;
	FUZZ_ASSERT(!"a document differs from itself");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1;
	char err[256];
	cJSON *sys = NULL, *chr = NULL, *it, *doc;
	int skipped = 0;

	fuzz_quiet();
	if (size < 1)
		return 0;
	if (data[0] & 1)
		chr = map_api_characters(s, size - 1, &skipped, err, sizeof err);
	else
		sys = map_api_systems(s, size - 1, err, sizeof err);
	cJSON_ArrayForEach(it, sys) {
		cJSON *e = map_api_system(json_id(it, "solar_system_id"), it, NULL);
		char *r = e ? map_api_record("system", "added", e, NULL, "2026-03-17T19:20:03Z") : NULL;
		free(r);
		cJSON_Delete(e);
		cJSON_Delete(map_api_static_from_system(it));
	}
	cJSON_ArrayForEach(it, chr) {
		cJSON *e = map_api_character(it);
		char *r = e ? map_api_record("character", "added", e, "01KKYKWFSA7QZCH0DW95C2F54G",
		                            "2026-03-17T19:20:03Z") : NULL;
		free(r);
		cJSON_Delete(e);
	}
	doc = map_api_document("my-map", sys ? sys : cJSON_CreateArray(),
	                      chr ? chr : cJSON_CreateArray(), 1773775000);
	if (doc) {
		map_api_diff(doc, doc, no_change, NULL);
		(void)map_api_find(doc, "systems", "solar_system_id", 31001503);
	}
	cJSON_Delete(doc);
	return 0;
}
