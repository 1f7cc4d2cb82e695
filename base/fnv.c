/* fnv.c: 64-bit FNV-1a (see fnv.h). */
#include "base/fnv.h"

uint64_t hgc_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * HGC_FNV1A_PRIME;
    return h;
}
