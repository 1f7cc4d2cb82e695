/* ppr.c: personalised page-rank (docs/algorithms.md): the stationary
 * distribution of a walk that follows an edge with probability alpha and
 * jumps back to the source s otherwise, and from a vertex without
 * out-edges always jumps back to s (Page et al. 1999, Jeh & Widom 2003;
 * what NetworkX pagerank(G, alpha, personalization={s: 1}) computes).
 *
 * Power iteration from r = 1/N, pulled over the in-CSR of the effective
 * graph by the walk page_rank.c uses too (runtime/rank_walk.h; GAPBS
 * pr.cc is the speed reference):
 *   c[u]  = r(u)/outdeg(u),  D = rank held by vertices without out-edges
 *   r'(v) = alpha * sum_{u->v} c[u] + [v = s] * ((1 - alpha) + alpha * D)
 * until sum |r' - r| <= ppr.l1DiffThreshold or bsp.max_super_step steps.
 * D and the L1 change are per-block partials summed in block order: the
 * same bits for any thread count.
 *
 * Cost: O(n + m) per superstep; memory 2n floats beyond the output
 * (doubles when rank_walk.h asks for them) plus 2n/ALGO_BLOCK; no
 * copy of the graph unless folding or a limit is asked for.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "id_text.h"
#include "kernel.h"
#include "rank_walk.h"
#include "specs/ppr.h"

int algo_kernel_ppr(algo_output *out, const algo_kernel_ctx *k, char msg[ALGO_MSG_MAX])
{
    const algo_ppr_opts *o = k->opts;
    const algo_graph_view *v = k->view;
    int64_t s = algo_idmap_find_text(&k->graph->ids, o->source);
    if (s < 0) {
        snprintf(msg, ALGO_MSG_MAX, "ppr.source '%.60s' is not a vertex of the graph",
                 o->source ? o->source : "");
        return ALGO_EINVAL;
    }
    algo_rank_walk w = {.base = 0,
                        .damp = o->alpha,
                        .spread = 0,
                        .target = (uint64_t)s,
                        .back = 1 - o->alpha,
                        .back_dangling = o->alpha,
                        .threshold = o->l1_threshold,
                        .max_steps = k->common->max_super_step};
    for (uint64_t u = 0; u < v->n; u++)
        out->f64[u] = 1.0 / (double)v->n;
    if (algo_rank_walk_run(out->f64, &w, v, k->team, k->comm, k->progress) != 0) {
        snprintf(msg, ALGO_MSG_MAX, "ppr: out of memory for %llu vertices",
                 (unsigned long long)v->n);
        return ALGO_ENOMEM;
    }
    int rc = 0;
    if (w.comm_failed) {
        snprintf(msg, ALGO_MSG_MAX, "ppr: the worker processes lost touch");
        rc = ALGO_EINVAL;
    } else if (w.stopped) {
        snprintf(msg, ALGO_MSG_MAX, "ppr: stopped after superstep %lld", (long long)w.steps);
        rc = ALGO_ESTOPPED;
    }
    algo_output_stat_int(out, "supersteps", w.steps);
    algo_output_stat_bool(out, "converged", w.steps > 0 && w.l1 <= o->l1_threshold);
    algo_output_stat_double(out, "l1_diff", w.l1);
    algo_output_stat_int(out, "threads", algo_team_size(k->team));
    if (v->m != k->graph->m)
        algo_output_stat_int(out, "effective_edges", (int64_t)v->m);
    return rc;
}
