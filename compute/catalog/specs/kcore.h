/* kcore.h: kcore's own options, as the catalog fills them
 * (specs/kcore.c; docs/algorithms.md). */
#ifndef ALGO_SPEC_KCORE_H
#define ALGO_SPEC_KCORE_H

#include <stdint.h>

typedef struct algo_kcore_opts {
    int64_t k; /* kcore.k: >= 0; 0 asks for every vertex's core number */
} algo_kcore_opts;

#endif
