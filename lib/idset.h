/* idset.h — a set of 64-bit EVE ids: sorted array, binary search. */
#ifndef WN_IDSET_H
#define WN_IDSET_H

#include <stddef.h>
#include <stdint.h>

struct idset {
	int64_t *v;
	size_t n, cap;
	int dirty;      /* added to since last idset_finish */
};

/* idset.c */
void idset_init(struct idset *s);
void idset_free(struct idset *s);
void idset_clear(struct idset *s);
int  idset_add(struct idset *s, int64_t id);          /* -1 on ENOMEM */
void idset_finish(struct idset *s);                   /* sort + dedupe */
int  idset_has(const struct idset *s, int64_t id);    /* needs finish */
/* "1,2, 3" → set (appends, then finishes).  -1 on a bad token. */
int  idset_parse(struct idset *s, const char *csv);
/* Writes "1,2,3" into buf; returns length or -1 if it does not fit. */
int  idset_format(const struct idset *s, char *buf, size_t size);
/* Set algebra over finished sets; dst ends finished and may not be an
 * operand.  A NULL operand is the empty set.  -1 on ENOMEM. */
int  idset_copy(struct idset *dst, const struct idset *src);
int  idset_union(struct idset *dst, const struct idset *a, const struct idset *b);
int  idset_minus(struct idset *dst, const struct idset *a, const struct idset *b);
int  idset_equal(const struct idset *a, const struct idset *b);

#endif
