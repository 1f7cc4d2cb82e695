/* graph_file.h: a graph snapshot as one file that a worker maps without
 * parsing.
 *
 * Layout (little-endian, sections 64-byte or 2 MiB aligned; graph_file.c):
 * header, then the id map, the CSR of out-edges and the CSR of in-edges,
 * each with an optional weight array (doubles, or 32-bit whole numbers
 * when every weight is one).
 *
 * Vertices are numbered 0..n-1 in id order: numeric ids first by value,
 * then string ids byte by byte. So "the smallest vertex id" of a set is
 * its smallest index, and results written in index order are in id order.
 * Parallel edges and self-loops are kept as loaded.
 */
#ifndef ALGO_GRAPH_FILE_H
#define ALGO_GRAPH_FILE_H

#include <stddef.h>
#include <stdint.h>
#include "base/limits.h"

#define ALGO_MSG_MAX HGC_MSG_MAX

/* The ids of n vertices: vertex i has the string id
 * str[str_off[i] .. str_off[i+1]) when that range is not empty, else the
 * numeric id num[i]. (The empty string is not a valid id.) */
typedef struct algo_idmap {
    uint64_t n;
    const int64_t *num;      /* n */
    const uint64_t *str_off; /* n + 1 */
    const char *str;         /* str_off[n] bytes, not NUL-terminated */
} algo_idmap;

static inline int algo_idmap_is_str(const algo_idmap *ids, uint64_t i)
{
    return ids->str_off[i + 1] > ids->str_off[i];
}

/* The weights of a CSR's edges, in list order: doubles, or whole numbers
 * when every weight is a whole number from 0 to 2^32 - 1 (the snapshot
 * then stores 4 bytes an edge: the same values, half the pages to map and
 * stream, and a search on integers needs no check of its own per edge).
 * At most one of d, u is set; neither: unweighted. */
typedef struct algo_weights {
    const double *d;
    const uint32_t *u;
} algo_weights;

static inline int algo_weights_on(algo_weights w)
{
    return w.d != NULL || w.u != NULL;
}

static inline double algo_weight(algo_weights w, uint64_t e)
{
    return w.u ? (double)w.u[e] : w.d[e];
}

/* A mapped snapshot. Read-only; every pointer points into the mapping. */
typedef struct algo_graph {
    uint64_t n; /* vertices */
    uint64_t m; /* edges */
    algo_idmap ids;
    const uint64_t *out_off; /* n + 1: out-edges of v are [out_off[v], out_off[v+1]) */
    const uint32_t *out_dst; /* m */
    algo_weights out_w;      /* m, or none for an unweighted graph */
    const uint64_t *in_off;  /* n + 1 */
    const uint32_t *in_src;  /* m */
    algo_weights in_w;       /* m, or none */
    /* Set by algo_graph_map (0 elsewhere): the in-lists are the out-lists,
     * same pointers (a graph whose every edge is there both ways, stored
     * once); each direction's lists strictly ascending without their own
     * vertex (no parallel edge, no self-loop). */
    int in_is_out;
    int out_simple, in_simple;
    void *map_;      /* private */
    size_t map_len_; /* private */
} algo_graph;

/* Maps the snapshot at `path` and checks its header and section bounds.
 * 0 on success; negative with msg filled otherwise (g untouched). */
int algo_graph_map(algo_graph *g, const char *path, char msg[ALGO_MSG_MAX]);

/* Unmaps; the struct is zeroed. Safe on a zeroed struct. */
void algo_graph_unmap(algo_graph *g);

/* Finds a vertex by id: its index, or -1. O(log n). */
int64_t algo_graph_find_num(const algo_graph *g, int64_t id);
int64_t algo_graph_find_str(const algo_graph *g, const char *id, size_t len);

#endif
