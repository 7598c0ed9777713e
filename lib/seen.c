/* seen.c — two generations of open-addressing slots (see seen.h). */
#include <stdlib.h>
#include <string.h>

#include "seen.h"

#define SLOT_EMPTY 0
#define SLOT_GONE 1

uint64_t
seen_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static size_t
slots(const struct seen *s)
{
	return s->slots ? s->slots : SEEN_SLOTS;
}

/* Slot holding key, or the empty slot ending its probe run. */
static size_t
probe(const uint64_t *t, size_t mask, uint64_t key)
{
	size_t i = (size_t)key & mask;
	while (t[i] != SLOT_EMPTY && t[i] != key)
		i = (i + 1) & mask;
	return i;
}

static uint64_t
norm_key(uint64_t key)
{
	return key <= SLOT_GONE ? key + 2 : key;
}

int
seen_check_set(struct seen *s, uint64_t key)
{
	size_t n = slots(s), mask = n - 1;

	key = norm_key(key);
	if (!s->cur && !(s->cur = calloc(n, sizeof *s->cur)))
		return 0;	/* no memory: treat as new rather than lose it */
	size_t i = probe(s->cur, mask, key);
	if (s->cur[i] == key || (s->old && s->old[probe(s->old, mask, key)] == key))
		return 1;
	s->cur[i] = key;
	if (++s->n >= n / 2) {
		free(s->old);
		s->old = s->cur;
		s->cur = NULL;
		s->n = 0;
	}
	return 0;
}

void
seen_forget(struct seen *s, uint64_t key)
{
	uint64_t *t[2] = { s->cur, s->old };
	size_t mask = slots(s) - 1;

	key = norm_key(key);
	for (int g = 0; g < 2; g++) {
		if (!t[g])
			continue;
		size_t i = probe(t[g], mask, key);
		if (t[g][i] == key)
			t[g][i] = SLOT_GONE;	/* keeps later probe runs intact */
	}
}

void
seen_free(struct seen *s)
{
	size_t n = s->slots;

	free(s->cur);
	free(s->old);
	memset(s, 0, sizeof *s);
	s->slots = n;
}
