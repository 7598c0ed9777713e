/* fuzz_enrichreply.c — what wn-enrich does with the answers of its two
 * enrichments.  Recent kills: the list and the killmail replies
 * (enrich_recent_list_reply, enrich_recent_detail_reply); notable items:
 * an ESI killmail body's dropped items (enrich_items_dropped), named and
 * priced from the input, selected and attached.  The first byte picks
 * the status and which reply; the rest is the body.  Properties: a 404
 * list is empty, not a failure; a failure always says why, and an HTTP
 * one names its status; a list has at most ENRICH_KILLS_MAX entries; details
 * survive the cache's print-and-parse round trip (else they would be
 * asked for again each time); dropped items are distinct with positive
 * quantities; the selection is ordered by value, within the limit. */
#include <math.h>

#include "enrich_recent.h"
#include "fuzz.h"
#include "json.h"
#include "enrich_items.h"
#include "enrich_kills.h"

static void
recent(long status, int which, const char *body, size_t len)
{
	char why[240] = "", prefix[32], err[64];
	cJSON *d;

	snprintf(prefix, sizeof prefix, "HTTP %ld", status);
	if (which == 0) {
		cJSON *l = enrich_recent_list_reply(status, body, len, why, sizeof why);
		if (status == 404)
			FUZZ_ASSERT(cJSON_IsArray(l) && cJSON_GetArraySize(l) == 0);
		if (l)
			FUZZ_ASSERT(cJSON_IsArray(l) && cJSON_GetArraySize(l) <= ENRICH_KILLS_MAX);
		else
			FUZZ_ASSERT(why[0] && (status == 200 || !strncmp(why, prefix, strlen(prefix))));
		FUZZ_ASSERT(status == 200 || status == 404 || !l);
		cJSON_Delete(l);
		return;
	}
	int rc = enrich_recent_detail_reply(status, body, len, &d, why, sizeof why);
	FUZZ_ASSERT(rc >= -1 && rc <= 1 && (rc == 1) == (d != NULL));
	FUZZ_ASSERT((rc == 0) == (status == 404));
	if (rc < 0)
		FUZZ_ASSERT(why[0] && (status == 200 || !strncmp(why, prefix, strlen(prefix))));
	if (d) {
		char *text = json_print(d);
		cJSON *back;
		FUZZ_ASSERT(text);
		back = json_parse(text, strlen(text), err, sizeof err);
		FUZZ_ASSERT(back && enrich_kills_has_detail(back));
		cJSON_Delete(back);
		free(text);
		cJSON_Delete(d);
	}
}

static void
notable(const char *body, size_t len, unsigned sel)
{
	static struct enrich_items_entry it[ENRICH_ITEMS_MAX];
	char err[64];
	cJSON *rec = json_parse(body, len, err, sizeof err);
	size_t n, k;

	if (!rec)
		return;
	n = enrich_items_dropped(rec, it, ENRICH_ITEMS_MAX);
	FUZZ_ASSERT(n <= ENRICH_ITEMS_MAX);
	for (size_t i = 0; i < n; i++) {
		FUZZ_ASSERT(it[i].quantity > 0);
		for (size_t j = 0; j < i; j++)
			FUZZ_ASSERT(it[j].type_id != it[i].type_id);
		/* names and prices as the caches would give them */
		snprintf(it[i].name, sizeof it[i].name, "%s%lld", (i + sel) % 3 ? "Item " : "Abyssal ",
		         (long long)it[i].type_id);
		it[i].unit_price = (i + sel) % 4 ? (double)((it[i].type_id % 1000) * 1e5) : -1;
	}
	k = enrich_items_select(it, n, 5e7, sel % 8);
	FUZZ_ASSERT(k <= n && k <= sel % 8);
	for (size_t i = 0; i < k; i++) {
		FUZZ_ASSERT(it[i].unit_price >= 0 && isfinite(it[i].total));
		if (i)
			FUZZ_ASSERT(it[i - 1].total >= it[i].total);
	}
	enrich_items_attach(rec, it, k);
	FUZZ_ASSERT(k ? cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(rec, "notable_items")) == (int)k
	              : !cJSON_GetObjectItemCaseSensitive(rec, "notable_items"));
	cJSON_Delete(rec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long status[] = { 200, 200, 200, 404, 500, 429, 0, 503 };
	char *s;

	fuzz_quiet();
	if (size < 1)
		return 0;
	s = fuzz_str(data + 1, size - 1);
	if (data[0] & 0x80)
		notable(s, size - 1, data[0]);
	else
		recent(status[data[0] % 8], data[0] >> 3 & 1, s, size - 1);
	free(s);
	return 0;
}
