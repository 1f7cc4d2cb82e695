/* lpa.c: lpa's spec (docs/algorithms.md): no options of its own; the
 * steps are bsp.max_super_step, the direction input.edge_direction. */
#include <stddef.h>

#include "catalog.h"

static const char *const CLASSES[] = {
    "community.lpa.LpaParams",
    NULL,
};

const algo_spec algo_spec_lpa = {
    .name = "lpa",
    .classes = CLASSES,
    .output = "vertex id",
    .shape = ALGO_OUT_VERTEX,
    .step_name = "superstep",
    .metric_name = "changed",
};
