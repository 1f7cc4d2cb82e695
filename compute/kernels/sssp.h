/* sssp.h: what sssp.c (options, targets, weights) hands to its two
 * searches: sssp_bfs.c when every effective edge weighs the same,
 * sssp_delta.c otherwise.
 *
 * Both fill dist[] (INFINITY: not reached) and pred[] (ALGO_NO_VERTEX: not
 * reached; the source is its own) for every vertex, the same for any team
 * size: a reached v's predecessor is its smallest in-neighbour p on a
 * shortest path (p one level closer; weighted: dist(p) < dist(v) and
 * dist(p) + w(p, v) == dist(v)). Effective edge lists (graph_view.h) are
 * sorted by neighbour, which both rely on to stop at the first such p.
 */
#ifndef ALGO_KERNEL_SSSP_H
#define ALGO_KERNEL_SSSP_H

#include "kernel.h"

typedef struct sssp_search {
    const algo_graph *g; /* for ids in messages */
    const algo_graph_view *view;
    algo_team *team;
    algo_progress *progress;
    uint32_t src;
    double w0;             /* sssp_bfs: the weight of every edge */
    algo_weights out_w[2]; /* sssp_delta: weight of view->out[p].nbr[e] at [p], e */
    algo_weights in_w[2];  /* sssp_delta: weight of view->in[p].nbr[e] (the edge u -> v) */
    double *dist;          /* n, out */
    uint32_t *pred;        /* n, out */
} sssp_search;

/* Direction-optimising BFS; distance = level × w0. 0, ALGO_ENOMEM or
 * ALGO_ESTOPPED, with msg. */
int sssp_bfs_run(const sssp_search *s, char msg[ALGO_MSG_MAX]);

/* Delta-stepping; distances exactly Dijkstra's. 0, ALGO_EINVAL (an edge
 * on the way weighs <= 0, NaN or infinity), ALGO_ENOMEM or ALGO_ESTOPPED,
 * with msg. On success *integer says whether the integer search gave the
 * result (every edge met weighed a whole number, every distance < 2^32). */
int sssp_delta_run(const sssp_search *s, int *integer, char msg[ALGO_MSG_MAX]);

/* The text of v's id (at most 60 bytes of it), for messages. */
void sssp_id_text(const algo_graph *g, uint32_t v, char *buf, size_t cap);

/* Whether to report progress now: `done` grew by a 256th of n (or the
 * search is over) since *last. */
static inline int sssp_report_due(uint64_t done, uint64_t n, uint64_t *last)
{
    uint64_t step = n / 256 ? n / 256 : 1;
    if (done < *last + step && done < n)
        return 0;
    *last = done;
    return 1;
}

#endif
