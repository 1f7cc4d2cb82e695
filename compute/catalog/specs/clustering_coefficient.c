/* clustering_coefficient.c: clustering-coefficient's spec
 * (docs/algorithms.md): no options of its own. */
#include <stddef.h>

#include "catalog.h"

static const char *const CLASSES[] = {
    "community.cc.ClusteringCoefficientParams",
    NULL,
};

const algo_spec algo_spec_clustering_coefficient = {
    .name = "clustering-coefficient",
    .classes = CLASSES,
    .output = "double",
    .shape = ALGO_OUT_DOUBLE,
    .step_name = "share",
    .metric_name = NULL,
};
