/* page_rank.h: page-rank's own options, as the catalog fills them
 * (specs/page_rank.c; docs/algorithms.md). */
#ifndef ALGO_SPEC_PAGE_RANK_H
#define ALGO_SPEC_PAGE_RANK_H

typedef struct algo_page_rank_opts {
    double alpha;        /* page_rank.alpha: teleport probability, [0, 1] */
    double l1_threshold; /* pagerank.l1DiffThreshold: >= 0 */
} algo_page_rank_opts;

#endif
