/* fuzz_filter.c — wn-filter's decision on one record: taken from the
 * fast scanner's facts and from the tree's, it is the same decision with
 * the same notice (two filters with the same state see the same input). */
#include "filter.h"
#include "fuzz.h"
#include "idset.h"
#include "json.h"
#include "killmail_facts.h"

#define NOW 1773770600   /* 2026-03-17T18:03:20Z, a minute after the fixtures */

static struct filter fa, fb;
static struct idset sys, chr;

static void
setup(void)
{
	static int done;
	struct filter *f[2] = { &fa, &fb };

	if (done)
		return;
	idset_init(&sys);
	idset_init(&chr);
	idset_parse(&sys, "31001503,30000142,31002229");
	idset_parse(&chr, "2001,2002,95465499");
	for (int i = 0; i < 2; i++) {
		filter_init(f[i]);
		f[i]->systems = &sys;
		f[i]->characters = &chr;
		f[i]->c.max_age = 3600;
	}
	done = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct killmail_facts a, b;
	struct notify na, nb;
	char err[256], ja[2048], jb[2048];
	cJSON *j;

	fuzz_quiet();
	setup();
	if (!(j = json_parse(s, size, err, sizeof err)) || !cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return 0;
	}
	killmail_facts_init(&a);
	killmail_facts_init(&b);
	FUZZ_ASSERT(killmail_facts_scan(&a, s, size, filter_wants_attackers(&fa),
	                         filter_wants_labels(&fa), err, sizeof err) == 0);
	FUZZ_ASSERT(killmail_facts_from_json(&b, j) == 0);
	memset(&na, 0, sizeof na);
	memset(&nb, 0, sizeof nb);
	enum drop da = filter_kill(&fa, &a, NOW, 100.0, &na);
	enum drop db = filter_kill(&fb, &b, NOW, 100.0, &nb);
	FUZZ_ASSERT(da == db);
	FUZZ_ASSERT(filter_drop_name(da) != NULL);
	if (da == DROP_NONE) {
		FUZZ_ASSERT(notify_json(&na, ja, sizeof ja) >= 0);
		FUZZ_ASSERT(notify_json(&nb, jb, sizeof jb) >= 0);
		FUZZ_ASSERT(strcmp(ja, jb) == 0);
	}
	killmail_facts_free(&a);
	killmail_facts_free(&b);
	cJSON_Delete(j);
	return 0;
}
