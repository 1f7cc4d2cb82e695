/* wcc.c: wcc's spec (docs/algorithms.md): no options of its own. */
#include <stddef.h>

#include "catalog.h"

static const char *const CLASSES[] = {
    "community.wcc.WccParams",
    NULL,
};

const algo_spec algo_spec_wcc = {
    .name = "wcc",
    .classes = CLASSES,
    .output = "vertex id",
    .shape = ALGO_OUT_VERTEX,
    .step_name = "phase",
    .metric_name = NULL,
};
