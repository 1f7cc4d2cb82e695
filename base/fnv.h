/* fnv.h: 64-bit FNV-1a, the checksum of the graph store's file headers
 * (changing it changes the files: the values are fixed). */
#ifndef HGC_BASE_FNV_H
#define HGC_BASE_FNV_H

#include <stddef.h>
#include <stdint.h>

#define HGC_FNV1A_INIT  14695981039346656037ull /* the offset basis */
#define HGC_FNV1A_PRIME 1099511628211ull

/* Folds the n bytes at p into the hash h (start with HGC_FNV1A_INIT). */
uint64_t hgc_fnv1a(uint64_t h, const void *p, size_t n);

#endif
