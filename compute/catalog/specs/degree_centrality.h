/* degree_centrality.h: degree-centrality's own options, as the catalog
 * fills them (specs/degree_centrality.c; docs/algorithms.md). */
#ifndef ALGO_SPEC_DEGREE_CENTRALITY_H
#define ALGO_SPEC_DEGREE_CENTRALITY_H

/* degree_centrality.direction, the index in "out|in|both" */
enum { ALGO_DEGREE_OUT = 0, ALGO_DEGREE_IN = 1, ALGO_DEGREE_BOTH = 2 };

typedef struct algo_degree_centrality_opts {
    const char *weight_property; /* "": every edge counts 1 */
    int direction;               /* ALGO_DEGREE_* */
} algo_degree_centrality_opts;

#endif
