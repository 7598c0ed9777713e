/* fuzz_killmail.c — killmail normalisation of every shape: whatever comes
 * out normalises to itself (idempotent), is a canonical record, and
 * kmfacts agree on it whether read from its bytes or its tree. */
#include "fuzz.h"
#include "json.h"
#include "killmail.h"
#include "killmail_facts.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	cJSON *in, *out, *again;
	char *once, *twice;

	fuzz_quiet();
	if (!(in = json_parse((const char *)data, size, err, sizeof err)))
		return 0;
	(void)killmail_shape(in);
	if (!(out = killmail_normalize(in, err, sizeof err)))
		return 0;
	FUZZ_ASSERT(killmail_shape(out) == KM_CANONICAL);
	once = json_print(out);
	FUZZ_ASSERT(once);
	in = json_parse(once, strlen(once), err, sizeof err);
	FUZZ_ASSERT(in);
	again = killmail_normalize(in, err, sizeof err);
	if (!again) {
		fprintf(stderr, "fuzz: normalised record refused: %s\n%s\n", err, once);
		abort();
	}
	twice = json_print(again);
	if (strcmp(once, twice) != 0) {
		fprintf(stderr, "fuzz: not idempotent\n%s\n%s\n", once, twice);
		abort();
	}
	struct killmail_facts a, b;
	killmail_facts_init(&a);
	killmail_facts_init(&b);
	FUZZ_ASSERT(killmail_facts_scan(&a, once, strlen(once), 1, 1, err, sizeof err) == 0);
	FUZZ_ASSERT(killmail_facts_from_json(&b, again) == 0);
	FUZZ_ASSERT(a.killmail_id == b.killmail_id && a.killmail_id > 0);
	FUZZ_ASSERT(a.solar_system_id == b.solar_system_id && a.solar_system_id > 0);
	FUZZ_ASSERT(a.has_time && b.has_time && a.kill_time == b.kill_time);
	killmail_facts_free(&a);
	killmail_facts_free(&b);
	cJSON_free(once);
	cJSON_free(twice);
	cJSON_Delete(out);
	cJSON_Delete(again);
	return 0;
}
