/* closeness_centrality.h: closeness's own options, as the catalog fills
 * them (specs/closeness_centrality.c; docs/algorithms.md). */
#ifndef ALGO_SPEC_CLOSENESS_CENTRALITY_H
#define ALGO_SPEC_CLOSENESS_CENTRALITY_H

typedef struct algo_closeness_centrality_opts {
    const char *weight_property; /* empty: hop counts; "weight": the edge list's weights */
    double sample_rate;          /* (0, 1]: the share of sources */
} algo_closeness_centrality_opts;

#endif
