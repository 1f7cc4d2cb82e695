/* rank_walk.h: the power iteration page-rank and ppr share: a random walk
 * pulled over the in-edges of a view (graph_view.h), one superstep per
 * step, all steps in one team region.
 *
 *   c[u]  = r(u) / outdeg(u),   D = the rank held by vertices without
 *           out-edges (summed per block, blocks in order)
 *   r'(v) = base + damp * (sum over u->v of c[u] + spread * D)
 *           + [v = target] * (back + back_dangling * D)
 *
 * page-rank: base alpha/N, damp 1 - alpha, spread 1/N, no target.
 * ppr: base 0, damp alpha, spread 0, target the source, back 1 - alpha,
 * back_dangling alpha. Steps run until the L1 change is <= threshold or
 * max_steps ran, or the progress hook asks to stop. Every vertex sums in
 * adjacency order and D and the L1 change are summed in block order, so
 * any team size gives the same bits.
 *
 * Precision: ranks, sums and D are doubles. The contributions, which the
 * pull reads at random and which are most of a step's cost, are floats
 * (as GAPBS's pr keeps its scores), so that a cache line holds 16 of them
 * instead of 8 (kron20, 20 steps, 2 threads: 0.397 -> 0.339 s). Rounding
 * one takes at most a float's 2^-24 of it; a step's rounding thus moves
 * the ranks by at most 2^-24 in L1 (they sum to 1 or less), and a step
 * shrinks earlier errors by damp in L1: the ranks end within
 * 2^-24 damp / (1 - damp) in L1 of the double walk's, 3.4e-7 at
 * page-rank's damp 0.85. A single rank moves by about a float's rounding
 * (the roundings cancel); at worst by 2^-24 of itself a step (kron20, 50
 * steps: 7e-8 of itself at most, 2.4e-9 in L1, measured). A walk runs in
 * single precision only when that L1 bound is at most ALGO_WALK_SINGLE_MIN
 * (damp up to 0.94) and its threshold is 0 (a fixed number of steps) or at
 * least ALGO_WALK_SINGLE_MIN; any other keeps its contributions in double.
 *
 * Cost: O(n + m) per step; memory 2n floats (2n doubles in double
 * precision: this step's and the next step's contributions; the ranks
 * change in place) plus 2n/ALGO_BLOCK.
 */
#ifndef ALGO_RANK_WALK_H
#define ALGO_RANK_WALK_H

#include <stdint.h>

#include "comm.h"
#include "graph_view.h"
#include "progress.h"
#include "team.h"

#define ALGO_WALK_NO_TARGET UINT64_MAX

/* The largest L1 error single precision may add to the ranks (which sum
 * to 1 or less), and the smallest threshold a walk in single precision is
 * asked to meet. */
#define ALGO_WALK_SINGLE_MIN 1e-6

typedef struct algo_rank_walk {
    /* the step, as above */
    double base, damp, spread;
    uint64_t target; /* a vertex, or ALGO_WALK_NO_TARGET */
    double back, back_dangling;
    /* when to stop */
    double threshold;
    int64_t max_steps;
    /* filled by the run */
    int64_t steps;   /* steps run */
    double l1;       /* the last step's L1 change */
    int stopped;     /* the progress hook asked to stop */
    int comm_failed; /* a gather across processes failed */
} algo_rank_walk;

/* Whether w runs with its contributions in single precision (above). */
int algo_rank_walk_single(const algo_rank_walk *w);

/* rank[v->n] holds the starting ranks and gets the last step's. 0, or
 * ALGO_ENOMEM (rank unchanged). Check w->stopped and w->comm_failed. */
int algo_rank_walk_run(double *rank, algo_rank_walk *w, const algo_graph_view *v, algo_team *team,
                       algo_comm *comm, algo_progress *progress);

#endif
