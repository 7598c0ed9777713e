/* buf.h — the one growable byte buffer: JSON text (json_out), message
 * text (the formatter's sb_*), SSE lines and fields, HTTP bodies, and
 * wn-filter's spliced records.  Always NUL-terminated once it holds
 * anything, so text users can read b->p as a string; a non-zero max
 * bounds it (every buffer has a limit: an append past it fails whole). */
#ifndef WN_BUF_H
#define WN_BUF_H

#include <stddef.h>

struct buf {
	char *p;        /* NULL until the first append */
	size_t len;     /* bytes held, not counting the NUL */
	size_t cap;     /* bytes allocated */
	size_t max;     /* most bytes it may hold; 0: no limit of its own */
};

/* buf.c */
/* Room for n more bytes and a NUL: 0, or -1 (b unchanged) when that
 * would pass b->max or memory is short. */
int buf_reserve(struct buf *b, size_t n);
/* Append n bytes at s (n may be 0); 0 or -1 as buf_reserve. */
int buf_put(struct buf *b, const void *s, size_t n);
int buf_puts(struct buf *b, const char *s);
/* Empty it, keeping the memory for reuse. */
void buf_clear(struct buf *b);
/* The text, malloc'd ("" when empty; NULL only when even that cannot be
 * had); b is left empty, its max kept. */
char *buf_take(struct buf *b);
void buf_free(struct buf *b);

#endif
