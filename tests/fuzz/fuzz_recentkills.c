/* fuzz_recentkills.c — WandererKills' recent-kill answers: a list (first
 * byte even) or one killmail's detail, entries merged and sorted, and the
 * error text of an error answer. */
#include "fuzz.h"
#include "recentkills.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1;
	char err[256], text[200];
	cJSON *l, *it;

	fuzz_quiet();
	if (size < 1)
		return 0;
	rk_error_text(s, size - 1, text, sizeof text);
	FUZZ_ASSERT(strlen(text) < sizeof text);
	if (data[0] & 1) {
		cJSON *d = rk_parse_detail(s, size - 1, err, sizeof err);
		if (d) {
			cJSON *m = rk_merge(d, d);
			(void)rk_has_detail(m);
			cJSON_Delete(m);
		}
		cJSON_Delete(d);
		return 0;
	}
	if (!(l = rk_parse_list(s, size - 1, RK_MAX, err, sizeof err)))
		return 0;
	FUZZ_ASSERT(cJSON_GetArraySize(l) <= RK_MAX);
	cJSON_ArrayForEach(it, l) {
		cJSON *e = rk_entry(it);
		cJSON_Delete(e);
	}
	rk_sort(l);
	cJSON_Delete(l);
	return 0;
}
