/* utf8.h: strict UTF-8 (RFC 3629): no overlong forms, no surrogates,
 * nothing above U+10FFFF. NUL bytes are valid UTF-8; callers that refuse
 * them check for them themselves. Cost: linear in the length.
 */
#ifndef HGC_BASE_UTF8_H
#define HGC_BASE_UTF8_H

#include <stddef.h>

/* The length (1 to 4) of the valid UTF-8 sequence at s, of which n >= 1
 * bytes may be read; 0 if the bytes there are not one. */
size_t hgc_utf8_seq(const unsigned char *s, size_t n);
/* 1 if the len bytes at s are valid UTF-8, else 0. */
int hgc_utf8_valid(const char *s, size_t len);

#endif
