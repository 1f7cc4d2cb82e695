/* ppr.c: personalised page-rank's spec (docs/algorithms.md). */
#include <math.h>
#include <stddef.h>

#include "catalog.h"
#include "ppr.h"

static const char *const CLASSES[] = {
    "centrality.ppr.PersonalPageRankParams",
    NULL,
};

static const algo_option OPTIONS[] = {
    {.key = "ppr.source",
     .type = ALGO_OPT_STRING,
     .flags = ALGO_OPT_F_REQUIRED | ALGO_OPT_F_VERTEX,
     .help = "the id of the vertex the walks start from and teleport back to",
     .offset = offsetof(algo_ppr_opts, source)},
    {.key = "ppr.alpha",
     .type = ALGO_OPT_DOUBLE,
     .def = "0.85",
     .min = 0,
     .max = 1,
     .help = "the probability of following an edge (1 - alpha: back to the source)",
     .offset = offsetof(algo_ppr_opts, alpha)},
    {.key = "ppr.l1DiffThreshold",
     .type = ALGO_OPT_DOUBLE,
     .def = "1e-05",
     .min = 0,
     .max = INFINITY,
     .help = "stop once the L1 change of the ranks in a step is at most this",
     .offset = offsetof(algo_ppr_opts, l1_threshold)},
};

const algo_spec algo_spec_ppr = {
    .name = "ppr",
    .classes = CLASSES,
    .output = "double",
    .shape = ALGO_OUT_DOUBLE,
    .step_name = "superstep",
    .metric_name = "l1",
    ALGO_SPEC_OPTIONS(OPTIONS, algo_ppr_opts),
};
