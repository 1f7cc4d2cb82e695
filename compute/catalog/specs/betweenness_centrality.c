/* betweenness_centrality.c: Brandes betweenness's spec (docs/algorithms.md). */
#include <stddef.h>

#include "betweenness_centrality.h"
#include "catalog.h"

static const char *const CLASSES[] = {
    "centrality.betweenness.BetweennessCentralityParams",
    NULL,
};

static const algo_option OPTIONS[] = {
    {.key = "betweenness_centrality.sample_rate",
     .type = ALGO_OPT_DOUBLE,
     .def = "1",
     .min = 0,
     .max = 1,
     .flags = ALGO_OPT_F_NOT_ZERO,
     .help = "the share of vertices used as sources (a fixed seed picks them; the sums are "
             "scaled up)",
     .offset = offsetof(algo_betweenness_centrality_opts, sample_rate)},
};

const algo_spec algo_spec_betweenness_centrality = {
    .name = "betweenness-centrality",
    .classes = CLASSES,
    .output = "double",
    .shape = ALGO_OUT_DOUBLE,
    .step_name = "sources",
    ALGO_SPEC_OPTIONS(OPTIONS, algo_betweenness_centrality_opts),
};
