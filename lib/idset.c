/* idset.c — sorted array of EVE ids with binary search.  Sets are small
 * (tracked systems and characters number in the hundreds), rebuilt rarely
 * and probed on every record. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idset.h"

void
idset_init(struct idset *s)
{
	memset(s, 0, sizeof *s);
}

void
idset_free(struct idset *s)
{
	free(s->v);
	idset_init(s);
}

void
idset_clear(struct idset *s)
{
	s->n = 0;
	s->dirty = 0;
}

int
idset_add(struct idset *s, int64_t id)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		int64_t *v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = id;
	s->dirty = 1;
	return 0;
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

void
idset_finish(struct idset *s)
{
	size_t w = 0;

	if (!s->dirty)
		return;
	qsort(s->v, s->n, sizeof *s->v, cmp_id);
	for (size_t r = 0; r < s->n; r++)
		if (w == 0 || s->v[w - 1] != s->v[r])
			s->v[w++] = s->v[r];
	s->n = w;
	s->dirty = 0;
}

int
idset_has(const struct idset *s, int64_t id)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid] == id)
			return 1;
		if (s->v[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int
idset_parse(struct idset *s, const char *csv)
{
	const char *p = csv;
	int rc = 0;

	while (*p) {
		char *end;
		p += strspn(p, ", \t\n");
		if (!*p)
			break;
		errno = 0;
		long long v = strtoll(p, &end, 10);
		if (end == p || errno || v <= 0 || (*end && !strchr(", \t\n", *end))) {
			rc = -1;
			break;
		}
		if (idset_add(s, v) < 0) {
			rc = -1;
			break;
		}
		p = end;
	}
	idset_finish(s);
	return rc;
}

int
idset_format(const struct idset *s, char *buf, size_t size)
{
	size_t off = 0;

	if (size == 0)
		return -1;
	buf[0] = '\0';
	for (size_t i = 0; i < s->n; i++) {
		int n = snprintf(buf + off, size - off, "%s%lld", i ? "," : "",
		                 (long long)s->v[i]);
		if (n < 0 || (size_t)n >= size - off)
			return -1;
		off += (size_t)n;
	}
	return (int)off;
}

static int
add_all(struct idset *dst, const struct idset *src, const struct idset *except)
{
	for (size_t i = 0; src && i < src->n; i++)
		if (!(except && idset_has(except, src->v[i])) && idset_add(dst, src->v[i]) < 0)
			return -1;
	return 0;
}

int
idset_copy(struct idset *dst, const struct idset *src)
{
	return idset_union(dst, src, NULL);
}

int
idset_union(struct idset *dst, const struct idset *a, const struct idset *b)
{
	int rc;

	idset_clear(dst);
	rc = add_all(dst, a, NULL) < 0 || add_all(dst, b, NULL) < 0 ? -1 : 0;
	idset_finish(dst);
	return rc;
}

int
idset_minus(struct idset *dst, const struct idset *a, const struct idset *b)
{
	int rc;

	idset_clear(dst);
	rc = add_all(dst, a, b);
	idset_finish(dst);
	return rc;
}

int
idset_equal(const struct idset *a, const struct idset *b)
{
	return a->n == b->n && (a->n == 0 || memcmp(a->v, b->v, a->n * sizeof *a->v) == 0);
}
