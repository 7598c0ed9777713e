/* seen.h — a bounded memory of keys already seen, to drop repeats:
 * wn-filter's dedup of notifications and wn-kills' of killmail ids.
 * Two generations of open-addressing slots; when the current one is half
 * full it becomes the old one and the oldest is dropped, so a set
 * remembers at least slots/2 and at most `slots` of the latest keys, in
 * fixed memory (2 * slots * 8 bytes, allocated on first use). */
#ifndef WN_SEEN_H
#define WN_SEEN_H

#include <stddef.h>
#include <stdint.h>

#define SEEN_SLOTS (1u << 18)     /* default per generation: >= 128 Ki keys */

struct seen {
	uint64_t *cur, *old;
	size_t n;
	size_t slots;             /* a power of two; 0 means SEEN_SLOTS */
};

/* seen.c */
/* 1 seen before, 0 new (now remembered).  Keys are probed by their low
 * bits: spread them first (seen_mix) when they are not random. */
int seen_check_set(struct seen *s, uint64_t key);
void seen_forget(struct seen *s, uint64_t key);
void seen_free(struct seen *s);
uint64_t seen_mix(uint64_t x);   /* splitmix64's finaliser */

#endif
