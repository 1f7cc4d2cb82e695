/* degree_centrality.c: degree-centrality's spec (docs/algorithms.md). */
#include <stddef.h>

#include "catalog.h"
#include "degree_centrality.h"

static const char *const CLASSES[] = {
    "centrality.degree.DegreeCentralityParams",
    NULL,
};

static const algo_option OPTIONS[] = {
    {.key = "degree_centrality.weight_property",
     .type = ALGO_OPT_STRING,
     .def = "",
     .help = "the edge property whose values are summed ('weight': the graph's edge weights); "
             "empty: every edge counts 1",
     .offset = offsetof(algo_degree_centrality_opts, weight_property)},
    {.key = "degree_centrality.direction",
     .type = ALGO_OPT_ENUM,
     .def = "out",
     .choices = "out|in|both",
     .help = "which edges of the effective graph a vertex counts",
     .offset = offsetof(algo_degree_centrality_opts, direction)},
};

const algo_spec algo_spec_degree_centrality = {
    .name = "degree-centrality",
    .classes = CLASSES,
    .output = "double",
    .shape = ALGO_OUT_DOUBLE,
    .step_name = "step",
    .metric_name = NULL,
    ALGO_SPEC_OPTIONS(OPTIONS, algo_degree_centrality_opts),
};
