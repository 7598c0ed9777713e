/* utf8.c — strict UTF-8 validation and character-boundary cutting. */
#include <stddef.h>

#include "utf8.h"

/* Length of the valid sequence at s (1..4), or 0 if invalid. */
static size_t
seq_len(const unsigned char *s, size_t left)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return left >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (left < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0;	/* overlong */
		if (c == 0xED && s[1] >= 0xA0)
			return 0;	/* surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (left < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0;	/* overlong */
		if (c == 0xF4 && s[1] >= 0x90)
			return 0;	/* above U+10FFFF */
		return 4;
	}
	return 0;
}

int
utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		if (s[i] < 0x80) {	/* fast path for ASCII runs */
			i++;
			continue;
		}
		size_t n = seq_len(s + i, len - i);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

size_t
utf8_chars(const char *str, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)str[i] & 0xC0) != 0x80)
			n++;
	return n;
}

size_t
utf8_prefix(const char *str, size_t len, size_t max_chars)
{
	size_t chars = 0, i = 0;

	while (i < len) {
		if (((unsigned char)str[i] & 0xC0) != 0x80) {
			if (chars == max_chars)
				return i;
			chars++;
		}
		i++;
	}
	return len;
}
