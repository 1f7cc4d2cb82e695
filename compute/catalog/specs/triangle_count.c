/* triangle_count.c: triangle-count's spec (docs/algorithms.md): no
 * options of its own. */
#include <stddef.h>

#include "catalog.h"

static const char *const CLASSES[] = {
    "community.trianglecount.TriangleCountParams",
    NULL,
};

const algo_spec algo_spec_triangle_count = {
    .name = "triangle-count",
    .classes = CLASSES,
    .output = "integer",
    .shape = ALGO_OUT_INT64,
    .step_name = "share",
    .metric_name = NULL,
};
