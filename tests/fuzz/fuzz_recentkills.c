/* fuzz_recentkills.c — WandererKills' recent-kill answers: a list (first
 * byte even) or one killmail's detail, entries merged and sorted, and the
 * error text of an error answer. */
#include "fuzz.h"
#include "enrich_kills.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1;
	char err[256], text[200];
	cJSON *l, *it;

	fuzz_quiet();
	if (size < 1)
		return 0;
	enrich_kills_error_text(s, size - 1, text, sizeof text);
	FUZZ_ASSERT(strlen(text) < sizeof text);
	if (data[0] & 1) {
		cJSON *d = enrich_kills_parse_detail(s, size - 1, err, sizeof err);
		if (d) {
			cJSON *m = enrich_kills_merge(d, d);
			(void)enrich_kills_has_detail(m);
			cJSON_Delete(m);
		}
		cJSON_Delete(d);
		return 0;
	}
	if (!(l = enrich_kills_parse_list(s, size - 1, ENRICH_KILLS_MAX, err, sizeof err)))
		return 0;
	FUZZ_ASSERT(cJSON_GetArraySize(l) <= ENRICH_KILLS_MAX);
	cJSON_ArrayForEach(it, l) {
		cJSON *e = enrich_kills_entry(it);
		cJSON_Delete(e);
	}
	enrich_kills_sort(l);
	cJSON_Delete(l);
	return 0;
}
