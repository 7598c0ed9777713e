/* fnv.h — FNV-1a, the one string hash wn uses: cache and delivered-log
 * tables, the outbox's queued-copy check, seen-sets, event cursors and
 * Discord nonces (whose value is on the wire and in logs, so it must
 * never change: FNV-1a 64 of the delivery key). */
#ifndef WN_FNV_H
#define WN_FNV_H

#include <stddef.h>
#include <stdint.h>

#define FNV64_OFFSET 0xcbf29ce484222325ull
#define FNV64_PRIME  0x100000001b3ull
#define FNV32_OFFSET 2166136261u
#define FNV32_PRIME  16777619u

/* fnv.c */
/* 64-bit FNV-1a of the NUL-terminated s, and of n bytes at p. */
uint64_t fnv_hash64(const char *s);
uint64_t fnv_hash64_mem(const void *p, size_t n);
/* 32-bit FNV-1a of s. */
uint32_t fnv_hash32(const char *s);
/* FNV's low bits see only the low bits of each byte: a table indexed by
 * the low bits mixes the high ones down first (murmur3's finaliser). */
uint64_t fnv_mix(uint64_t h);

#endif
