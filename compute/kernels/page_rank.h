/* page_rank.h: page-rank as docs/algorithms.md defines it.
 *
 *   r0(v) = 1/N
 *   r'(v) = alpha/N + (1-alpha) * (sum over effective edges u->v of
 *           r(u)/outdeg(u) + D/N),   D = rank held by vertices without
 *           effective out-edges
 *
 * until sum |r' - r| <= l1_threshold or max_steps steps. The effective
 * edges follow input.edge_direction / edge_freq / limit (graph_view.h).
 *
 * The job's entry is algo_kernel_page_rank (kernel.h). algo_pagerank below
 * is the same kernel called directly on a graph, with its own team: for
 * tests and benchmarks.
 *
 * Results do not depend on the thread count: every vertex's sum is taken
 * in adjacency order and the global sums (D, the L1 change) over fixed
 * blocks of vertices in block order (team.h).
 */
#ifndef ALGO_PAGE_RANK_H
#define ALGO_PAGE_RANK_H

#include <stdint.h>
#include "graph_file.h"
#include "graph_view.h"

/* Called once per superstep by one thread, after step `step` (1-based) of
 * at most `max_steps`, with that step's L1 change. Non-zero asks the
 * kernel to stop: it returns ALGO_ESTOPPED with the ranks of that step. */
typedef int (*algo_pagerank_step_fn)(void *user, int step, int max_steps, double l1_diff);

#define ALGO_PAGERANK_MAX_THREADS 64

typedef struct algo_pagerank_opts {
    double alpha;        /* teleport probability, [0, 1] */
    double l1_threshold; /* >= 0 */
    int max_steps;       /* >= 1 */
    int threads;         /* >= 1; capped at ALGO_PAGERANK_MAX_THREADS */
    algo_edge_dir dir;
    algo_edge_freq freq;
    int64_t limit_edges;            /* < 0: all */
    algo_pagerank_step_fn progress; /* may be NULL */
    void *user;
} algo_pagerank_opts;

/* The documented defaults: alpha 0.15, threshold 1e-5, 10 steps, 1 thread,
 * OUT, MULTIPLE, no limit, no callback. */
void algo_pagerank_opts_init(algo_pagerank_opts *o);

typedef struct algo_pagerank_stats {
    int supersteps; /* steps run */
    double l1_diff; /* the last step's L1 change (0 if none ran) */
    int converged;  /* l1_diff <= threshold */
    uint64_t edges; /* effective edges */
    int threads;    /* threads used */
} algo_pagerank_stats;

/* Ranks of the n vertices of g into rank[n] (caller-owned). 0 on success;
 * ALGO_EINVAL / ALGO_ENOMEM with msg; ALGO_ESTOPPED if the callback asked
 * to stop (rank and *st then hold the last finished step). Reaching
 * max_steps without converging is success (converged = 0).
 * Cost: O(n + m) per superstep, O(n) memory beyond rank (plus a heap view
 * of O(n + m) when folding or a limit is asked for). */
int algo_pagerank(double *rank, algo_pagerank_stats *st, const algo_graph *g,
                  const algo_pagerank_opts *o, char msg[ALGO_MSG_MAX]);

#endif
