/* betweenness_centrality.h: betweenness's own options, as the catalog
 * fills them (specs/betweenness_centrality.c; docs/algorithms.md). */
#ifndef ALGO_SPEC_BETWEENNESS_CENTRALITY_H
#define ALGO_SPEC_BETWEENNESS_CENTRALITY_H

typedef struct algo_betweenness_centrality_opts {
    double sample_rate; /* (0, 1]: the share of sources */
} algo_betweenness_centrality_opts;

#endif
