/* big_alloc.h: zeroed arrays of 2 MiB or more (a value per vertex of a
 * large graph) that are written soon after: anonymous mappings on 2 MiB
 * pages where the kernel gives them (madvise MADV_HUGEPAGE), so filling
 * one costs a page fault per 2 MiB instead of one per 4 KiB. Page faults
 * are dear in virtual machines: a 5 MiB array of doubles took 1,300 of
 * them, about 12 ms, in a degree pass whose work is 1 ms. Arrays under
 * 2 MiB come from calloc. */
#ifndef HGC_BASE_BIG_ALLOC_H
#define HGC_BASE_BIG_ALLOC_H

#include <stddef.h>

/* n * size zeroed bytes, or NULL (overflow, out of memory). */
void *hgc_big_calloc(size_t n, size_t size);
/* Frees what hgc_big_calloc(n, size) returned, with the same n and size.
 * NULL is fine. */
void hgc_big_free(void *p, size_t n, size_t size);

#endif
