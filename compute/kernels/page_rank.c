/* page_rank.c: page-rank (docs/algorithms.md; Page et al. 1999, with the
 * rank of dangling vertices spread evenly, as LDBC Graphalytics' PR and
 * NetworkX's pagerank do; GAPBS pr.cc is the speed reference).
 *
 * Pull-based over the in-CSR of the effective graph (graph_view.h), by the
 * walk it shares with ppr (runtime/rank_walk.h): each superstep first
 * turns ranks into contributions c[u] = r(u)/outdeg(u) (and sums the
 * dangling rank D per block), then every vertex sums the contributions of
 * its in-neighbours:
 *   r'(v) = alpha/N + (1-alpha) * (sum_{u->v} c[u] + D/N)
 * One team region runs all supersteps; D and the L1 change are summed in
 * block order: bit-identical for any thread count.
 *
 * Cost: O(n + m) per superstep; memory 2n floats beyond rank[] (doubles
 * when rank_walk.h asks for them) plus 2n/ALGO_BLOCK; no copy of
 * the graph unless folding or a limit is asked for.
 */
#include "page_rank.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "rank_walk.h"
#include "specs/page_rank.h"

/* Ranks from 1/N by the shared walk (rank_walk.h) with page-rank's terms:
 * rank[] holds the result, *st the figures. */
static int pagerank_run(double *rank, algo_pagerank_stats *st, const algo_graph_view *v,
                        algo_team *team, algo_comm *comm, algo_progress *progress, double alpha,
                        double threshold, int64_t max_steps, char msg[ALGO_MSG_MAX])
{
    memset(st, 0, sizeof *st);
    st->threads = algo_team_size(team);
    st->edges = v->m;
    if (v->n == 0) {
        st->converged = 1;
        return 0;
    }
    algo_rank_walk w = {.base = alpha * (1.0 / (double)v->n),
                        .damp = 1 - alpha,
                        .spread = 1.0 / (double)v->n,
                        .target = ALGO_WALK_NO_TARGET,
                        .threshold = threshold,
                        .max_steps = max_steps};
    for (uint64_t u = 0; u < v->n; u++)
        rank[u] = 1.0 / (double)v->n;
    if (algo_rank_walk_run(rank, &w, v, team, comm, progress) != 0) {
        snprintf(msg, ALGO_MSG_MAX, "page-rank: out of memory for %llu vertices",
                 (unsigned long long)v->n);
        return ALGO_ENOMEM;
    }
    st->supersteps = (int)w.steps;
    st->l1_diff = w.l1;
    st->converged = w.steps > 0 && w.l1 <= threshold;
    if (w.comm_failed) {
        snprintf(msg, ALGO_MSG_MAX, "page-rank: the worker processes lost touch");
        return ALGO_EINVAL;
    }
    if (w.stopped) { /* the progress hook asked */
        snprintf(msg, ALGO_MSG_MAX, "page-rank: stopped after superstep %d", st->supersteps);
        return ALGO_ESTOPPED;
    }
    return 0;
}

int algo_kernel_page_rank(algo_output *out, const algo_kernel_ctx *k, char msg[ALGO_MSG_MAX])
{
    const algo_page_rank_opts *o = k->opts;
    algo_pagerank_stats st;
    int rc = pagerank_run(out->f64, &st, k->view, k->team, k->comm, k->progress, o->alpha,
                          o->l1_threshold, k->common->max_super_step, msg);
    if (rc != 0)
        return rc;
    algo_output_stat_int(out, "supersteps", st.supersteps);
    algo_output_stat_bool(out, "converged", st.converged);
    algo_output_stat_double(out, "l1_diff", st.l1_diff);
    algo_output_stat_int(out, "threads", st.threads);
    if (st.edges != k->graph->m)
        algo_output_stat_int(out, "effective_edges", (int64_t)st.edges);
    return 0;
}

/* ---- the direct call ------------------------------------------------- */

void algo_pagerank_opts_init(algo_pagerank_opts *o)
{
    memset(o, 0, sizeof *o);
    o->alpha = 0.15;
    o->l1_threshold = 1e-5;
    o->max_steps = 10;
    o->threads = 1;
    o->dir = ALGO_DIR_OUT;
    o->freq = ALGO_FREQ_MULTIPLE;
    o->limit_edges = -1;
}

static int check_opts(const algo_pagerank_opts *o, char msg[ALGO_MSG_MAX])
{
    if (!o) {
        snprintf(msg, ALGO_MSG_MAX, "page-rank: no options");
        return ALGO_EINVAL;
    }
    if (!(o->alpha >= 0 && o->alpha <= 1)) {
        snprintf(msg, ALGO_MSG_MAX, "page-rank: alpha must be from 0 to 1, got %g", o->alpha);
        return ALGO_EINVAL;
    }
    if (!(o->l1_threshold >= 0) || isinf(o->l1_threshold)) {
        snprintf(msg, ALGO_MSG_MAX, "page-rank: l1 threshold must be a number >= 0, got %g",
                 o->l1_threshold);
        return ALGO_EINVAL;
    }
    if (o->max_steps < 1) {
        snprintf(msg, ALGO_MSG_MAX, "page-rank: max supersteps must be >= 1, got %d", o->max_steps);
        return ALGO_EINVAL;
    }
    if (o->threads < 1) {
        snprintf(msg, ALGO_MSG_MAX, "page-rank: threads must be >= 1, got %d", o->threads);
        return ALGO_EINVAL;
    }
    return 0;
}

/* The old per-step callback through the progress hook. */
static int step_hook(void *user, uint64_t done, uint64_t total, double metric)
{
    const algo_pagerank_opts *o = user;
    return o->progress(o->user, (int)done, (int)total, metric);
}

int algo_pagerank(double *rank, algo_pagerank_stats *st, const algo_graph *g,
                  const algo_pagerank_opts *o, char msg[ALGO_MSG_MAX])
{
    algo_graph_view view;
    algo_team *team = NULL;
    algo_comm comm;
    algo_progress progress = {o && o->progress ? step_hook : NULL, (void *)o, 0};
    int rc = check_opts(o, msg);
    memset(&view, 0, sizeof view);
    if (rc != 0)
        goto done;
    if (!g || !st || (g->n && !rank)) {
        snprintf(msg, ALGO_MSG_MAX, "page-rank: no graph, ranks or stats");
        rc = ALGO_EINVAL;
        goto done;
    }
    rc = algo_graph_view_init(&view, g, o->dir, o->freq, o->limit_edges, msg);
    if (rc != 0)
        goto done;
    /* more threads than blocks would only wait at the barriers */
    uint64_t nb = algo_blocks(g->n);
    int t = o->threads < ALGO_PAGERANK_MAX_THREADS ? o->threads : ALGO_PAGERANK_MAX_THREADS;
    if ((uint64_t)t > nb)
        t = nb ? (int)nb : 1;
    if (algo_team_new(&team, t, msg) != 0) {
        rc = ALGO_ENOMEM;
        goto done;
    }
    algo_comm_init_single(&comm);
    rc = pagerank_run(rank, st, &view, team, &comm, &progress, o->alpha, o->l1_threshold,
                      o->max_steps, msg);
done:
    algo_team_free(team);
    algo_graph_view_release(&view);
    return rc;
}
