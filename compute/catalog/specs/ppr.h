/* ppr.h: personalised page-rank's own options, as the catalog fills them
 * (specs/ppr.c; docs/algorithms.md). */
#ifndef ALGO_SPEC_PPR_H
#define ALGO_SPEC_PPR_H

typedef struct algo_ppr_opts {
    const char *source;  /* ppr.source: the vertex id, as text (required) */
    double alpha;        /* ppr.alpha: probability of following an edge, [0, 1] */
    double l1_threshold; /* ppr.l1DiffThreshold: >= 0 */
} algo_ppr_opts;

#endif
