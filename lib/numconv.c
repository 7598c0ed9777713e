/* numconv.c — checked conversions of outside numbers to integers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "numconv.h"

int
num_i64_of_double(double d, int64_t *out)
{
	/* Strictly below 2^53: 2^53 itself may be a rounded 2^53 + 1.  The
	 * comparisons are false for NaN, so it is refused too. */
	if (!(d > -NUM_EXACT_MAX && d < NUM_EXACT_MAX) || d != floor(d))
		return 0;
	*out = (int64_t)d;
	return 1;
}

int64_t
num_clamp_double(double d, int64_t lo, int64_t hi)
{
	/* compare as doubles first: only a value known to fit is cast */
	if (isnan(d) || d <= (double)lo)
		return lo;
	if (d >= (double)hi)
		return hi;
	int64_t v = (int64_t)d;   /* lo < d < hi, so within int64 */
	return v < lo ? lo : v > hi ? hi : v;
}

int
num_i64_of_text(const char *p, size_t len, int64_t *out)
{
	int neg = len > 0 && *p == '-';
	uint64_t x = 0;

	p += neg;
	len -= (size_t)neg;
	if (len == 0 || len > 19)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		x = x * 10 + (uint64_t)(p[i] - '0');   /* 19 digits fit uint64 */
	}
	if (x > (uint64_t)INT64_MAX)
		return 0;
	*out = neg ? -(int64_t)x : (int64_t)x;
	return 1;
}

int64_t
num_clamp_text(const char *s, int64_t lo, int64_t hi, int64_t dflt)
{
	uint64_t x = 0;
	int any = 0;

	if (!s)
		return dflt;
	while (*s == ' ' || *s == '\t')
		s++;
	for (; *s >= '0' && *s <= '9'; s++, any = 1)
		if (x <= (uint64_t)INT64_MAX / 10)
			x = x * 10 + (uint64_t)(*s - '0');
		else
			x = (uint64_t)INT64_MAX;   /* saturate; the clamp does the rest */
	if (!any)
		return dflt;
	if (x > (uint64_t)INT64_MAX)
		x = (uint64_t)INT64_MAX;
	int64_t v = (int64_t)x;
	return v < lo ? lo : v > hi ? hi : v;
}

int
num_json_ok(const char *p, size_t len)
{
	char buf[NUM_JSON_TEXT_MAX + 1];

	if (len == 0 || len > NUM_JSON_TEXT_MAX)
		return 0;
	/* Without an exponent 63 digits stay below 1e63: only an exponent
	 * can leave the doubles, so only then is the value read. */
	if (!memchr(p, 'e', len) && !memchr(p, 'E', len))
		return 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return isfinite(strtod(buf, NULL));
}
