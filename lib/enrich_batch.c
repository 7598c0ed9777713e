/* enrich_batch.c — the window of records waiting for their names. */
#include <stdlib.h>
#include <string.h>

#include "enrich_batch.h"

static int
grow(struct enrich_batch *b)
{
	size_t cap = b->cap ? b->cap * 2 : 64;
	struct enrich_item *it = realloc(b->items, cap * sizeof *it);
	char **nm;
	unsigned long *ln;

	if (!it)
		return -1;
	b->items = it;
	if (!(nm = realloc(b->names, cap * sizeof *nm)))
		return -1;
	b->names = nm;
	if (!(ln = realloc(b->linenos, cap * sizeof *ln)))
		return -1;
	b->linenos = ln;
	b->cap = cap;
	return 0;
}

int
enrich_batch_add(struct enrich_batch *b, cJSON *rec, const char *line, size_t len,
                 const char *name, unsigned long lineno)
{
	struct enrich_item *it;

	if (b->n == b->cap && grow(b) < 0)
		return -1;
	it = &b->items[b->n];
	memset(it, 0, sizeof *it);
	if (!(it->line = strndup(line, len)))
		return -1;
	if (!(b->names[b->n] = strdup(name))) {
		free((char *)it->line);
		return -1;
	}
	it->rec = rec;
	it->len = len;
	b->linenos[b->n++] = lineno;
	b->bytes += len;
	return 0;
}

int
enrich_batch_full(const struct enrich_batch *b, size_t max_records)
{
	return b->n >= max_records || b->bytes >= ENRICH_BATCH_MAX_BYTES;
}

static void
free_item(struct enrich_batch *b, size_t i)
{
	cJSON_Delete(b->items[i].rec);
	free((char *)b->items[i].line);
	free(b->names[i]);
}

void
enrich_batch_run(struct enrich_batch *b, struct enrich *en, double deadline,
                 enrich_batch_out out, void *ud)
{
	if (!b->n)
		return;
	enrich_window(en, b->items, b->n, deadline);
	for (size_t i = 0; i < b->n; i++) {
		out(ud, &b->items[i], b->names[i], b->linenos[i]);
		free_item(b, i);
	}
	b->n = b->bytes = 0;
}

void
enrich_batch_free(struct enrich_batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		free_item(b, i);
	free(b->items);
	free(b->names);
	free(b->linenos);
	memset(b, 0, sizeof *b);
}
