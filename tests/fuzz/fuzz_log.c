/* fuzz_log.c — the redactor on any line in a buffer of any size (the
 * first byte picks it, the buffer is exactly that size): nothing written
 * past it, always a string, and no byte of a registered secret left. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	size_t cap;
	char *b;

	fuzz_quiet();
	if (!once) {
		log_add_secret("s3cr3t-map-key");
		once = 1;
	}
	if (size < 1)
		return 0;
	cap = 1 + data[0];
	b = malloc(cap);          /* exact size: ASan sees one byte too far */
	FUZZ_ASSERT(b);
	size_t k = size - 1 < cap - 1 ? size - 1 : cap - 1;
	memcpy(b, data + 1, k);
	b[k] = '\0';
	log_redact(b, cap);
	FUZZ_ASSERT(memchr(b, '\0', cap) != NULL);
	FUZZ_ASSERT(strstr(b, "s3cr3t-map-key") == NULL);
	free(b);
	return 0;
}
