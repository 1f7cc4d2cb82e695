/* sssp.c: single-source shortest paths' spec (docs/algorithms.md). */
#include <float.h>
#include <stddef.h>

#include "catalog.h"
#include "sssp.h"

static const char *const CLASSES[] = {
    "path.shortest.SingleSourceShortestPathParams",
    "path.sssp.SsspParams",
    NULL,
};

static const algo_option OPTIONS[] = {
    {.key = "single_source_shortest_path.source_id",
     .type = ALGO_OPT_STRING,
     .def = "",
     .flags = ALGO_OPT_F_REQUIRED,
     .help = "the id of the vertex paths start from",
     .offset = offsetof(algo_sssp_opts, source_id)},
    {.key = "single_source_shortest_path.target_id",
     .type = ALGO_OPT_STRING,
     .def = "",
     .flags = ALGO_OPT_F_REQUIRED,
     .help = "the ids paths go to, separated by commas, or * for every vertex",
     .offset = offsetof(algo_sssp_opts, target_id)},
    {.key = "single_source_shortest_path.weight_property",
     .type = ALGO_OPT_STRING,
     .def = "",
     .help = "the edge property that holds weights (\"weight\": the third column of an edge "
             "list); empty: every edge weighs default_weight",
     .offset = offsetof(algo_sssp_opts, weight_property)},
    {.key = "single_source_shortest_path.default_weight",
     .type = ALGO_OPT_DOUBLE,
     .def = "1",
     .min = DBL_MIN,
     .max = DBL_MAX,
     .help = "the weight of every edge when no weight property is named; > 0",
     .offset = offsetof(algo_sssp_opts, default_weight)},
};

const algo_spec algo_spec_sssp = {
    .name = "sssp",
    .classes = CLASSES,
    .output = "path",
    .shape = ALGO_OUT_PATHS,
    .step_name = "vertex settled",
    ALGO_SPEC_OPTIONS(OPTIONS, algo_sssp_opts),
};
