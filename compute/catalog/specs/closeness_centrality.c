/* closeness_centrality.c: harmonic closeness's spec (docs/algorithms.md). */
#include <stddef.h>

#include "catalog.h"
#include "closeness_centrality.h"

static const char *const CLASSES[] = {
    "centrality.closeness.ClosenessCentralityParams",
    NULL,
};

static const algo_option OPTIONS[] = {
    {.key = "closeness_centrality.weight_property",
     .type = ALGO_OPT_STRING,
     .def = "",
     .help = "empty: distances in hops; 'weight': along the weights of a weighted edge list",
     .offset = offsetof(algo_closeness_centrality_opts, weight_property)},
    {.key = "closeness_centrality.sample_rate",
     .type = ALGO_OPT_DOUBLE,
     .def = "1",
     .min = 0,
     .max = 1,
     .flags = ALGO_OPT_F_NOT_ZERO,
     .help = "the share of vertices used as sources (a fixed seed picks them; the sums are "
             "scaled up)",
     .offset = offsetof(algo_closeness_centrality_opts, sample_rate)},
};

const algo_spec algo_spec_closeness_centrality = {
    .name = "closeness-centrality",
    .classes = CLASSES,
    .output = "double",
    .shape = ALGO_OUT_DOUBLE,
    .step_name = "sources",
    ALGO_SPEC_OPTIONS(OPTIONS, algo_closeness_centrality_opts),
};
