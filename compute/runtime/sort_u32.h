/* sort_u32.h: sorting 32-bit vertex numbers in place, ascending.
 *
 * An introsort: quicksort on a median of three, insertion sort below 24
 * entries, heapsort past 2 log2(n) levels (O(n log n) at worst). Inlined
 * comparisons make it about three times glibc's qsort on neighbour lists,
 * which the kernels sort often (triangle-count's orientation on kron20:
 * 0.6 of 5.7 s single-threaded under qsort). */
#ifndef ALGO_SORT_U32_H
#define ALGO_SORT_U32_H

#include <stdint.h>

void algo_sort_u32(uint32_t *a, uint64_t n);

#endif
