/* kernel.h: the one interface every algorithm implements.
 *
 * An algorithm is a spec (catalog/specs/<id>.c: names, params classes,
 * options with the fields they fill, output shape) and a kernel
 * (kernels/<id>.c: the function algo_kernel_<id>), joined by one line
 * ALGORITHM(<id>) in algorithms.def. The worker maps the snapshot, builds
 * the view the common input options ask for, fills the typed options,
 * allocates the output the spec's shape calls for, and calls the kernel:
 *
 *   int algo_kernel_<id>(algo_output *out, const algo_kernel_ctx *k,
 *                        char msg[ALGO_MSG_MAX]);
 *
 * 0 on success; ALGO_EINVAL / ALGO_ENOMEM with msg; ALGO_ESTOPPED when the
 * progress hook asked to stop. A kernel must give the same result for any
 * team size (team.h: fixed blocks, block-order sums) and report progress at
 * least once per superstep or share of its sources.
 * docs/architecture.md has the recipe for adding one.
 */
#ifndef ALGO_KERNEL_H
#define ALGO_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "comm.h"
#include "graph_file.h"
#include "graph_view.h"
#include "progress.h"
#include "team.h"

typedef struct algo_kernel_ctx {
    const algo_graph *graph;     /* the snapshot: ids, weights */
    const algo_graph_view *view; /* the effective graph (the common input
                                    options applied) */
    algo_team *team;
    algo_comm *comm;
    const algo_common_opts *common;
    const void *opts;        /* the spec's own options struct, filled */
    algo_progress *progress; /* never NULL; its hook may be */
} algo_kernel_ctx;

/* Rows of vertices (paths, rings, matches, walks), each stored on a vertex. */
typedef struct algo_rows {
    uint64_t n;         /* rows */
    uint32_t *vertex;   /* n: the vertex a row is stored on */
    uint64_t *off;      /* n + 1: row r is items[off[r] .. off[r+1]) */
    uint32_t *items;    /* vertices */
    uint64_t cap, icap; /* private: room in vertex[] (off[] has one more), items[] */
} algo_rows;

#define ALGO_MAX_STATS 16

/* "no vertex" in a vertex-valued output. */
#define ALGO_NO_VERTEX UINT32_MAX

/* A summary field the kernel adds to the task's result ("supersteps": 12). */
typedef struct algo_stat {
    const char *key; /* a string literal */
    enum { ALGO_STAT_INT, ALGO_STAT_DOUBLE, ALGO_STAT_BOOL } type;
    union {
        int64_t i;
        double d;
    };
} algo_stat;

typedef struct algo_output {
    algo_output_shape shape;
    uint64_t n; /* vertices */
    /* per-vertex shapes: n entries, allocated (zeroed) before the call */
    union {
        double *f64;   /* ALGO_OUT_DOUBLE */
        int64_t *i64;  /* ALGO_OUT_INT64 */
        uint32_t *vtx; /* ALGO_OUT_VERTEX: a vertex index */
        void *values;
    };
    uint32_t *pred; /* ALGO_OUT_PATHS: n predecessors (ALGO_NO_VERTEX: none;
                       the source is its own); f64 holds the distances */
    algo_rows rows; /* ALGO_OUT_ROWS: empty before the call */
    algo_stat stats[ALGO_MAX_STATS];
    int n_stats;
} algo_output;

typedef int (*algo_kernel_fn)(algo_output *out, const algo_kernel_ctx *k, char msg[ALGO_MSG_MAX]);

/* Every kernel, declared from the list. */
#define ALGORITHM(id)                                                                              \
    int algo_kernel_##id(algo_output *out, const algo_kernel_ctx *k, char msg[ALGO_MSG_MAX]);
#include "algorithms.def"
#undef ALGORITHM

/* The list as (spec, kernel) pairs, in the catalog's order. */
typedef struct algo_kernel_entry {
    const algo_spec *spec;
    algo_kernel_fn run;
} algo_kernel_entry;

size_t algo_kernel_count(void);
const algo_kernel_entry *algo_kernel_at(size_t i);
/* The kernel of a spec from the catalog, or NULL. */
algo_kernel_fn algo_kernel_for(const algo_spec *spec);

/* The output for n vertices of the given shape: values allocated and
 * zeroed for the per-vertex shapes. 0, or ALGO_ENOMEM with msg. */
int algo_output_init(algo_output *out, algo_output_shape shape, uint64_t n, char msg[ALGO_MSG_MAX]);
void algo_output_release(algo_output *out);

/* Summary fields; past ALGO_MAX_STATS they are dropped. */
void algo_output_stat_int(algo_output *out, const char *key, int64_t v);
void algo_output_stat_double(algo_output *out, const char *key, double v);
void algo_output_stat_bool(algo_output *out, const char *key, int v);

/* Appends a row of len vertices stored on `vertex` (one thread at a time).
 * 0, or ALGO_ENOMEM. */
int algo_rows_add(algo_rows *r, uint32_t vertex, const uint32_t *items, size_t len);
/* Orders the rows by vertex, then by their items (shorter first on a tie
 * of the common part), so output doesn't depend on the order they were
 * found in. 0, or ALGO_ENOMEM (the rows are then as they were). */
int algo_rows_sort(algo_rows *r);

#endif
