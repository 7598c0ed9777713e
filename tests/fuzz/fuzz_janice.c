/* fuzz_janice.c — Janice's answers: the appraisal body (its pure reader,
 * what judge() uses on a 200) and the Retry-After of a 429. */
#include <math.h>

#include "fuzz.h"
#include "janice.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct janice_line lines[4] = {
		{ 34, "Tritanium", 100, -1 }, { 587, "Rifter", 1, -1 },
		{ 2048, "Damage Control I", 2, -1 }, { 34, "Tritanium", 5, -1 },
	};
	char err[256], *s;

	fuzz_quiet();
	s = fuzz_str(data, size);
	if (janice_parse(s, size, lines, 4, err, sizeof err) >= 0)
		for (int i = 0; i < 4; i++)
			FUZZ_ASSERT(lines[i].unit_price < 0 || isfinite(lines[i].unit_price));
	double ra = janice_retry_after(s, 1);
	FUZZ_ASSERT(ra >= 0 && ra <= 3600);
	free(s);
	return 0;
}
