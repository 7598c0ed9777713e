/* fuzz.h — shared by the libFuzzer harnesses in tests/fuzz/.  Each harness
 * defines LLVMFuzzerTestOneInput over one parser's pure entry point; the
 * same file links either with libFuzzer (make fuzz, clang) or with
 * replay.c (make check, gcc), which feeds it the corpus and reproducers. */
#ifndef WN_FUZZ_H
#define WN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property the parser must keep; a violation is a crash libFuzzer
 * saves, with the line that failed. */
#define FUZZ_ASSERT(c) do { if (!(c)) { \
	fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

/* Logging stays on (redaction is code under test) but quiet on stderr. */
static inline void
fuzz_quiet(void)
{
	static int done;

	if (!done) {
		log_init("wn-fuzz");
		log_set_level(getenv("WN_FUZZ_LOG") ? LOG_DEBUG : LOG_FATAL);
		done = 1;
	}
}

/* data as a NUL-terminated malloc'd string (embedded NULs kept). */
static inline char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Split the input at the first "\n\n" (headers, then body); without one
 * everything is body. */
static inline void
fuzz_split(const char *s, size_t n, size_t *hlen, const char **body, size_t *blen)
{
	const char *m = NULL;

	for (size_t i = 0; i + 1 < n && !m; i++)
		if (s[i] == '\n' && s[i + 1] == '\n')
			m = s + i;

	*hlen = m ? (size_t)(m - s) + 1 : 0;
	*body = m ? m + 2 : s;
	*blen = n - (size_t)(*body - s);
}

#endif
