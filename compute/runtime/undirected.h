/* undirected.h: the undirected view of an effective graph
 * (docs/algorithms.md: "every edge taken in both directions, self-loops
 * dropped and parallel edges folded"), as one CSR on the heap.
 *
 * Built from a graph_view.h view (so the common input options apply
 * first: a limit cuts edges before they are mirrored): the neighbours of v
 * are the union of its effective out- and in-neighbours, without v itself,
 * each once, sorted by index. Used by wcc-like and triangle kernels
 * (kcore, triangle-count, clustering-coefficient).
 *
 * When the view's out- and in-lists are one list twice (sorted, no
 * repeat, no self-loop: a graph loaded with every edge in both
 * directions), that list is the undirected one and the view borrows it:
 * no copy, no memory (the view, and the snapshot under it, must outlive
 * it).
 *
 * Cost: O(n + m) time over the team (a scan that compares the two ranges,
 * which ends early when they differ, and is skipped when they are one
 * snapshot list stored once; then one that finds the view's lists
 * sorted, and two passes of a two-way merge, counting then writing; a
 * list that is not sorted is sorted in a scratch copy, and merged k-way),
 * and 8 (n + 1) + 4 m' bytes, m' the undirected edges counted both ways;
 * borrowed: the first scan alone.
 */
#ifndef ALGO_UNDIRECTED_H
#define ALGO_UNDIRECTED_H

#include <stdint.h>

#include "graph_view.h"
#include "team.h"

typedef struct algo_undirected {
    uint64_t n;          /* vertices */
    uint64_t m;          /* entries of nbr: each undirected edge twice */
    const uint64_t *off; /* n + 1, from 0 */
    const uint32_t *nbr; /* neighbours of v: nbr[off[v] .. off[v+1]), ascending */
    int borrowed;        /* off and nbr are the view's own (see above) */
} algo_undirected;

/* Builds *u from v with the team (outside a team run). 0, or ALGO_ENOMEM
 * with msg (u is then zeroed). */
int algo_undirected_init(algo_undirected *u, const algo_graph_view *v, algo_team *team,
                         char msg[ALGO_MSG_MAX]);

/* Frees what u owns; zeroes it. Safe on a zeroed struct. */
void algo_undirected_release(algo_undirected *u);

static inline uint64_t algo_undirected_degree(const algo_undirected *u, uint64_t v)
{
    return u->off[v + 1] - u->off[v];
}

#endif
