/* enrich_items.c — dropped items of a killmail, the rule that picks the
 * notable ones, and the record member that lists them.  Pure. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "killid.h"
#include "enrich_items.h"

#define QTY_MAX (1LL << 53)   /* exact as a JSON number */

/* quantity_dropped as a whole number > 0, else 0 (absent, 0, junk). */
static long long
dropped_qty(const cJSON *item)
{
	int64_t q;

	if (!json_int64(json_get(item, "quantity_dropped"), &q) || q <= 0)
		return 0;
	return q > QTY_MAX ? QTY_MAX : (long long)q;
}

size_t
enrich_items_dropped(const cJSON *rec, struct enrich_items_entry *out, size_t max)
{
	const cJSON *victim = json_get(rec, "victim"), *it;
	size_t n = 0, k;

	cJSON_ArrayForEach(it, json_get(victim, "items")) {
		int64_t type = json_id(it, "item_type_id");
		long long q = dropped_qty(it);

		if (!cJSON_IsObject(it) || type <= 0 || q <= 0)
			continue;
		for (k = 0; k < n && out[k].type_id != type; k++)
			;
		if (k < n) {
			out[k].quantity = q > QTY_MAX - out[k].quantity ? QTY_MAX
			    : out[k].quantity + q;
			continue;
		}
		if (n == max)
			continue;   /* a type seen earlier may still add up */
		memset(&out[n], 0, sizeof out[n]);
		out[n].type_id = type;
		out[n].quantity = q;
		out[n].unit_price = -1;
		n++;
	}
	return n;
}

int
enrich_items_body_ref(const cJSON *rec, int64_t *id, char hash[41])
{
	const char *h = json_str(rec, "killmail_hash");

	if (!cJSON_IsObject(json_get(rec, "victim")) || cJSON_IsArray(json_get(json_get(rec, "victim"), "items")))
		return 0;
	if (!killid_hash_ok(h))
		h = json_str(json_get(rec, "zkb"), "hash");
	if ((*id = json_id(rec, "killmail_id")) <= 0 || !killid_hash_ok(h))
		return 0;
	memcpy(hash, h, 41);
	return 1;
}

int
enrich_items_is_abyssal(const char *name)
{
	static const char word[] = "abyssal";

	for (const char *p = name; p && *p; p++) {
		size_t k = 0;
		while (word[k] && tolower((unsigned char)p[k]) == word[k])
			k++;
		if (!word[k])
			return 1;
	}
	return 0;
}

static int
by_total_desc(const void *a, const void *b)
{
	const struct enrich_items_entry *x = a, *y = b;

	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return (x->type_id > y->type_id) - (x->type_id < y->type_id);
}

size_t
enrich_items_select(struct enrich_items_entry *it, size_t n, double threshold, size_t limit)
{
	size_t kept = 0, shown = 0;

	for (size_t i = 0; i < n; i++) {
		if (!it[i].name[0] || it[i].unit_price < 0)
			continue;
		it[i].total = it[i].unit_price * (double)it[i].quantity;
		if (enrich_items_is_abyssal(it[i].name) || it[i].total >= threshold)
			it[kept++] = it[i];
	}
	qsort(it, kept, sizeof *it, by_total_desc);
	for (size_t i = 0; i < kept && shown < limit; i++)
		if (it[i].total > threshold)
			it[shown++] = it[i];
	return shown;
}

void
enrich_items_attach(cJSON *rec, const struct enrich_items_entry *it, size_t n)
{
	cJSON *arr;

	cJSON_DeleteItemFromObjectCaseSensitive(rec, "notable_items");
	if (!n || !(arr = cJSON_AddArrayToObject(rec, "notable_items")))
		return;
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			return;
		}
		cJSON_AddNumberToObject(o, "type_id", (double)it[i].type_id);
		cJSON_AddStringToObject(o, "name", it[i].name);
		cJSON_AddNumberToObject(o, "quantity", (double)it[i].quantity);
		cJSON_AddNumberToObject(o, "unit_price", it[i].unit_price);
		cJSON_AddNumberToObject(o, "total_value", it[i].total);
	}
}
