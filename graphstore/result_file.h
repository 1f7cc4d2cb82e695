/* result_file.h: one task's per-vertex output, self-contained (it carries
 * the vertex ids, so it outlives the snapshot it was computed on).
 *
 * File results/<graph>/<task_id>/result.bin: header (value kind, n,
 * algorithm, property name), the id map in graph_file.h's encoding, the
 * values in vertex order (= id order), and for paths the predecessors. Written to a temporary name
 * and renamed, so it is whole or absent.
 */
#ifndef ALGO_RESULT_FILE_H
#define ALGO_RESULT_FILE_H

#include <stdint.h>
#include "graph_file.h"

typedef enum algo_value_kind {
    ALGO_VALUE_DOUBLE = 1, /* double[n] */
    ALGO_VALUE_INT64 = 2,  /* int64_t[n] */
    ALGO_VALUE_VERTEX = 3, /* uint32_t[n]: a vertex index, shown as its id */
    ALGO_VALUE_PATHS = 5,  /* double[n] distances (infinite: no row) and
                              uint32_t[n] predecessors: shortest paths from
                              one source, rebuilt as they are read */
} algo_value_kind;

/* A predecessor that is no vertex (kernel.h's ALGO_NO_VERTEX). */
#define ALGO_RESULT_NO_VERTEX UINT32_MAX

typedef struct algo_result {
    algo_value_kind kind;
    uint64_t n;
    char algorithm[64];
    char property[128];
    algo_idmap ids;
    const void *values;   /* per kind, n entries */
    const uint32_t *pred; /* ALGO_VALUE_PATHS: n predecessors, else NULL */
    void *map_;
    size_t map_len_;
} algo_result;

/* Writes the result for the vertices of `g`. `values` holds n entries of
 * the kind's type. */
int algo_result_write(const char *path, const algo_graph *g, algo_value_kind kind,
                      const void *values, const char *algorithm, const char *property,
                      char msg[ALGO_MSG_MAX]);

/* Paths: n distances (infinite: no row) and n predecessors (a vertex or
 * ALGO_RESULT_NO_VERTEX; the source is its own). */
int algo_result_write_paths(const char *path, const algo_graph *g, const double *dist,
                            const uint32_t *pred, const char *algorithm, const char *property,
                            char msg[ALGO_MSG_MAX]);

int algo_result_map(algo_result *r, const char *path, char msg[ALGO_MSG_MAX]);
void algo_result_unmap(algo_result *r);

#endif
