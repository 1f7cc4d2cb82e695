/* sssp.h: sssp's own options, as the catalog fills them
 * (specs/sssp.c; docs/algorithms.md). */
#ifndef ALGO_SPEC_SSSP_H
#define ALGO_SPEC_SSSP_H

typedef struct algo_sssp_opts {
    const char *source_id;       /* .source_id: the id paths start from */
    const char *target_id;       /* .target_id: ids separated by commas, or "*" */
    const char *weight_property; /* .weight_property: "" or "weight" */
    double default_weight;       /* .default_weight: > 0 */
} algo_sssp_opts;

#endif
