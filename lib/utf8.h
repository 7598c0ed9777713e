/* utf8.h — UTF-8 checks and cutting at character boundaries. */
#ifndef WN_UTF8_H
#define WN_UTF8_H

#include <stddef.h>

/* utf8.c */
int utf8_valid(const char *s, size_t len);          /* strict, no overlongs/surrogates */
size_t utf8_chars(const char *s, size_t len);        /* code points */
/* Byte length of the longest prefix with at most max code points. */
size_t utf8_prefix(const char *s, size_t len, size_t max_chars);

#endif
