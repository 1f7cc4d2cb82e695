/* page_rank.c: page-rank's spec (docs/algorithms.md). */
#include <math.h>
#include <stddef.h>

#include "catalog.h"
#include "page_rank.h"

static const char *const CLASSES[] = {
    "centrality.pagerank.PageRankParams",
    "rank.pagerank.PageRankParams",
    NULL,
};

static const algo_option OPTIONS[] = {
    {.key = "page_rank.alpha",
     .alias = "pagerank.alpha",
     .type = ALGO_OPT_DOUBLE,
     .def = "0.15",
     .min = 0,
     .max = 1,
     .help = "teleport probability: the share of rank spread evenly each step",
     .offset = offsetof(algo_page_rank_opts, alpha)},
    {.key = "pagerank.l1DiffThreshold",
     .type = ALGO_OPT_DOUBLE,
     .def = "1e-05",
     .min = 0,
     .max = INFINITY,
     .help = "stop once the L1 change of the ranks in a step is at most this",
     .offset = offsetof(algo_page_rank_opts, l1_threshold)},
};

const algo_spec algo_spec_page_rank = {
    .name = "page-rank",
    .classes = CLASSES,
    .output = "double",
    .shape = ALGO_OUT_DOUBLE,
    .step_name = "superstep",
    .metric_name = "l1",
    ALGO_SPEC_OPTIONS(OPTIONS, algo_page_rank_opts),
};
