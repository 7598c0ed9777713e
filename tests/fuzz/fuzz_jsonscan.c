/* fuzz_jsonscan.c — the forward-only JSON scanner checked against cJSON:
 * every value json_parse() accepts the scanner accepts too, and the facts
 * killmail_facts_scan reads off the bytes equal those read off the tree (ids,
 * time, parties, zkb), duplicate and escaped keys included. */
#include "fuzz.h"
#include "json_scan.h"
#include "json.h"
#include "killmail_facts.h"

static void
same_facts(const struct killmail_facts *a, const struct killmail_facts *b)
{
	FUZZ_ASSERT(a->type == b->type);
	FUZZ_ASSERT(a->killmail_id == b->killmail_id);
	FUZZ_ASSERT(a->solar_system_id == b->solar_system_id);
	FUZZ_ASSERT(a->has_time == b->has_time);
	FUZZ_ASSERT(!a->has_time || a->kill_time == b->kill_time);
	FUZZ_ASSERT(a->has_notify == b->has_notify);
	FUZZ_ASSERT(a->victim.character_id == b->victim.character_id);
	FUZZ_ASSERT(a->victim.corporation_id == b->victim.corporation_id);
	FUZZ_ASSERT(a->victim.alliance_id == b->victim.alliance_id);
	FUZZ_ASSERT(a->npc == b->npc);
	FUZZ_ASSERT(a->has_value == b->has_value);
	FUZZ_ASSERT(!a->has_value || a->total_value == b->total_value ||
	            (a->total_value != a->total_value && b->total_value != b->total_value));
	FUZZ_ASSERT(a->n_attackers == b->n_attackers);
	for (size_t i = 0; i < a->n_attackers; i++) {
		FUZZ_ASSERT(a->attackers[i].character_id == b->attackers[i].character_id);
		FUZZ_ASSERT(a->attackers[i].corporation_id == b->attackers[i].corporation_id);
		FUZZ_ASSERT(a->attackers[i].alliance_id == b->attackers[i].alliance_id);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char err[256];
	struct json_scan sc;
	cJSON *j;

	fuzz_quiet();
	j = json_parse(s, size, err, sizeof err);
	json_scan_init(&sc, s, size);
	int skipped = json_scan_skip(&sc) == 0 && json_scan_end(&sc) == 0;
	if (j)
		FUZZ_ASSERT(skipped);
	if (j && cJSON_IsObject(j)) {
		struct killmail_facts a, b;
		killmail_facts_init(&a);
		killmail_facts_init(&b);
		FUZZ_ASSERT(killmail_facts_scan(&a, s, size, 1, 1, err, sizeof err) == 0);
		FUZZ_ASSERT(killmail_facts_from_json(&b, j) == 0);
		same_facts(&a, &b);
		killmail_facts_free(&a);
		killmail_facts_free(&b);
	}
	cJSON_Delete(j);
	return 0;
}
