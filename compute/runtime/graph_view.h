/* graph_view.h: the graph as a kernel sees it, after the common input
 * options (docs/algorithms.md): `input.edge_direction`, `input.edge_freq`
 * and `input.limit_edges_in_one_vertex`.
 *
 * A view gives, for every vertex, its out-neighbours and in-neighbours in
 * the "effective" graph, each as one or two CSR ranges. With the defaults
 * (and for IN and BOTH without folding or a limit) the ranges point into
 * the mapped snapshot: no copy. Folding or a limit builds a CSR on the heap
 * (O(n + m) time and memory).
 *
 * Effective out-edges of v, in this order of rules:
 *   OUT: v's out-edges; IN: v's in-edges reversed; BOTH: both (self-loops
 *   then appear twice);
 *   SINGLE / SINGLE_PER_LABEL (no labels yet: the same): one edge per
 *   distinct neighbour;
 *   limit L >= 0: the first L in neighbour order.
 * In-edges are the transpose of the out-edges. Neighbour lists of a heap
 * view are sorted by neighbour index.
 */
#ifndef ALGO_GRAPH_VIEW_H
#define ALGO_GRAPH_VIEW_H

#include <stdint.h>
#include "graph_file.h"

/* Return codes of the kernels (0 is success). */
#define ALGO_EINVAL   (-1) /* bad argument or option */
#define ALGO_ENOMEM   (-2) /* out of memory */
#define ALGO_ESTOPPED (-3) /* the progress callback asked to stop */

const char *algo_kernel_strerror(int code);

typedef enum algo_edge_dir {
    ALGO_DIR_OUT = 0,
    ALGO_DIR_IN,
    ALGO_DIR_BOTH,
} algo_edge_dir;

typedef enum algo_edge_freq {
    ALGO_FREQ_MULTIPLE = 0,
    ALGO_FREQ_SINGLE,
    ALGO_FREQ_SINGLE_PER_LABEL,
} algo_edge_freq;

/* "OUT" / "in" ... -> 0 and *out; -1 for anything else. */
int algo_edge_dir_parse(algo_edge_dir *out, const char *s);
int algo_edge_freq_parse(algo_edge_freq *out, const char *s);

/* Neighbours of v: nbr[off[v] .. off[v+1]). */
typedef struct algo_adj {
    const uint64_t *off; /* n + 1 */
    const uint32_t *nbr;
    int simple; /* known without a pass: each list strictly ascending, without its vertex */
} algo_adj;

typedef struct algo_graph_view {
    uint64_t n; /* vertices (as the graph) */
    uint64_t m; /* effective edges */
    int parts;  /* 1 or 2: ranges per vertex in out[] and in[] */
    algo_adj out[2];
    algo_adj in[2];
    void *heap_; /* private: the arrays of a heap view */
} algo_graph_view;

/* Builds the view of `g`; the view borrows `g`, which must outlive it.
 * limit < 0: all edges. 0, or negative with msg. */
int algo_graph_view_init(algo_graph_view *v, const algo_graph *g, algo_edge_dir dir,
                         algo_edge_freq freq, int64_t limit, char msg[ALGO_MSG_MAX]);

/* Frees what the view owns; the struct is zeroed. Safe on a zeroed struct. */
void algo_graph_view_release(algo_graph_view *v);

/* The weights lined up with a's entries: g's own when a is one of g's
 * lists (a borrowed range), else none (a heap view, or no weights). */
static inline algo_weights algo_adj_weights(const algo_graph *g, const algo_adj *a)
{
    algo_weights none = {NULL, NULL};
    return a->nbr == g->out_dst ? g->out_w : a->nbr == g->in_src ? g->in_w : none;
}

static inline uint64_t algo_view_out_degree(const algo_graph_view *v, uint64_t u)
{
    uint64_t d = v->out[0].off[u + 1] - v->out[0].off[u];
    if (v->parts > 1)
        d += v->out[1].off[u + 1] - v->out[1].off[u];
    return d;
}

static inline uint64_t algo_view_in_degree(const algo_graph_view *v, uint64_t u)
{
    uint64_t d = v->in[0].off[u + 1] - v->in[0].off[u];
    if (v->parts > 1)
        d += v->in[1].off[u + 1] - v->in[1].off[u];
    return d;
}

#endif
