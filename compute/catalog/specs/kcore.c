/* kcore.c: kcore's spec (docs/algorithms.md). */
#include <stddef.h>

#include "catalog.h"
#include "kcore.h"

static const char *const CLASSES[] = {
    "community.kcore.KCoreParams",
    "community.kcore.KcoreParams",
    NULL,
};

static const algo_option OPTIONS[] = {
    {.key = "kcore.k",
     .type = ALGO_OPT_INT,
     .def = "3",
     .min = 0,
     .max = 4294967295.0,
     .help = "the core's order: vertices of degree < k are peeled; 0: every vertex's core number",
     .offset = offsetof(algo_kcore_opts, k)},
};

const algo_spec algo_spec_kcore = {
    .name = "kcore",
    .classes = CLASSES,
    .output = "integer",
    .shape = ALGO_OUT_INT64,
    .step_name = "share",
    .metric_name = NULL,
    ALGO_SPEC_OPTIONS(OPTIONS, algo_kcore_opts),
};
