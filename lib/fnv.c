/* fnv.c — FNV-1a (Fowler, Noll, Vo); see fnv.h. */
#include "fnv.h"

uint64_t
fnv_hash64(const char *s)
{
	uint64_t h = FNV64_OFFSET;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * FNV64_PRIME;
	return h;
}

uint64_t
fnv_hash64_mem(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = FNV64_OFFSET;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * FNV64_PRIME;
	return h;
}

uint32_t
fnv_hash32(const char *s)
{
	uint32_t h = FNV32_OFFSET;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * FNV32_PRIME;
	return h;
}

uint64_t
fnv_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}
