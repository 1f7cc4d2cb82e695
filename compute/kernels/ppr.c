/* ppr.c: personalised page-rank (docs/algorithms.md): the stationary
 * distribution of a walk that follows an edge with probability alpha and
 * jumps back to the source s otherwise, and from a vertex without
 * out-edges always jumps back to s (Page et al. 1999, Jeh & Widom 2003;
 * what NetworkX pagerank(G, alpha, personalization={s: 1}) computes).
 *
 * Power iteration from r = 1/N, pulled over the in-CSR of the effective
 * graph like page_rank.c (GAPBS pr.cc is the speed reference):
 *   c[u]  = r(u)/outdeg(u),  D = rank held by vertices without out-edges
 *   r'(v) = alpha * sum_{u->v} c[u] + [v = s] * ((1 - alpha) + alpha * D)
 * until sum |r' - r| <= ppr.l1DiffThreshold or bsp.max_super_step steps.
 * D and the L1 change are per-block partials summed in block order: the
 * same bits for any thread count.
 *
 * Cost: O(n + m) per superstep; memory 2n doubles beyond the output plus
 * 2n/ALGO_BLOCK; no copy of the graph unless folding or a limit is asked for.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "id_text.h"
#include "kernel.h"
#include "specs/ppr.h"

typedef struct ppr_run {
    const algo_graph_view *v;
    algo_team *team;
    algo_comm *comm;
    algo_progress *progress;
    double alpha, threshold;
    int64_t max_steps;
    uint64_t n, nb, source;
    double *r, *rn, *c;
    double *dang, *diff; /* per-block sums */
    double back;         /* what s gets on top of its pull this step */
    uint64_t cursor[2];

    /* written by member 0 only, read after a barrier or the run */
    int stop, comm_failed;
    int64_t steps;
    double l1;
} ppr_run;

static void contributions(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    ppr_run *run = arg;
    const algo_graph_view *v = run->v;
    const double *r = run->r;
    double *c = run->c, d = 0;
    for (uint64_t u = lo; u < hi; u++) {
        uint64_t deg = algo_view_out_degree(v, u);
        if (deg) {
            c[u] = r[u] / (double)deg;
        } else {
            c[u] = 0;
            d += r[u];
        }
    }
    run->dang[b] = d;
}

static void pull(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    ppr_run *run = arg;
    const algo_graph_view *v = run->v;
    const double *c = run->c, *r = run->r;
    const double alpha = run->alpha;
    double *rn = run->rn, dd = 0;
    for (uint64_t x = lo; x < hi; x++) {
        double s = 0;
        for (int p = 0; p < v->parts; p++) {
            const algo_adj *in = &v->in[p];
            for (uint64_t e = in->off[x]; e < in->off[x + 1]; e++)
                s += c[in->nbr[e]];
        }
        double nr = alpha * s;
        if (x == run->source)
            nr += run->back;
        rn[x] = nr;
        dd += fabs(nr - r[x]);
    }
    run->diff[b] = dd;
}

static void supersteps(void *arg, int tid)
{
    ppr_run *run = arg;
    for (int64_t step = 1; step <= run->max_steps; step++) {
        if (tid == 0)
            run->cursor[1] = 0;
        algo_team_for_in_run(run->team, run->n, &run->cursor[0], contributions, run);
        if (tid == 0) {
            run->cursor[0] = 0;
            if (algo_comm_gather_blocks(run->comm, run->dang, run->nb) != 0)
                run->comm_failed = 1;
            run->back = (1 - run->alpha) + run->alpha * algo_sum_blocks(run->dang, run->nb);
        }
        algo_team_barrier(run->team);
        algo_team_for_in_run(run->team, run->n, &run->cursor[1], pull, run);
        if (tid == 0) {
            if (algo_comm_gather_blocks(run->comm, run->diff, run->nb) != 0)
                run->comm_failed = 1;
            double *t = run->r;
            run->r = run->rn;
            run->rn = t;
            run->steps = step;
            run->l1 = algo_sum_blocks(run->diff, run->nb);
            if (run->comm_failed || algo_progress_step(run->progress, (uint64_t)step,
                                                       (uint64_t)run->max_steps, run->l1))
                run->stop = 1;
        }
        algo_team_barrier(run->team);
        if (run->stop || run->l1 <= run->threshold)
            break;
    }
}

int algo_kernel_ppr(algo_output *out, const algo_kernel_ctx *k, char msg[ALGO_MSG_MAX])
{
    const algo_ppr_opts *o = k->opts;
    const algo_graph_view *v = k->view;
    int rc = ALGO_ENOMEM;
    ppr_run run = {.v = v,
                   .team = k->team,
                   .comm = k->comm,
                   .progress = k->progress,
                   .alpha = o->alpha,
                   .threshold = o->l1_threshold,
                   .max_steps = k->common->max_super_step,
                   .n = v->n,
                   .nb = algo_blocks(v->n)};
    int64_t s = algo_idmap_find_text(&k->graph->ids, o->source);
    if (s < 0) {
        snprintf(msg, ALGO_MSG_MAX, "ppr.source '%.60s' is not a vertex of the graph",
                 o->source ? o->source : "");
        return ALGO_EINVAL;
    }
    run.source = (uint64_t)s;
    run.r = out->f64;
    run.rn = malloc(v->n * sizeof *run.rn);
    run.c = malloc(v->n * sizeof *run.c);
    run.dang = malloc(run.nb * sizeof *run.dang);
    run.diff = malloc(run.nb * sizeof *run.diff);
    if (!run.rn || !run.c || !run.dang || !run.diff) {
        snprintf(msg, ALGO_MSG_MAX, "ppr: out of memory for %llu vertices",
                 (unsigned long long)v->n);
        goto done;
    }
    for (uint64_t u = 0; u < v->n; u++)
        out->f64[u] = 1.0 / (double)v->n;
    algo_team_run(k->team, supersteps, &run);
    if (run.r != out->f64)
        memcpy(out->f64, run.r, v->n * sizeof *out->f64);
    rc = 0;
    if (run.comm_failed) {
        snprintf(msg, ALGO_MSG_MAX, "ppr: the worker processes lost touch");
        rc = ALGO_EINVAL;
    } else if (run.stop) {
        snprintf(msg, ALGO_MSG_MAX, "ppr: stopped after superstep %lld", (long long)run.steps);
        rc = ALGO_ESTOPPED;
    }
    algo_output_stat_int(out, "supersteps", run.steps);
    algo_output_stat_bool(out, "converged", run.steps > 0 && run.l1 <= run.threshold);
    algo_output_stat_double(out, "l1_diff", run.l1);
    algo_output_stat_int(out, "threads", algo_team_size(k->team));
    if (v->m != k->graph->m)
        algo_output_stat_int(out, "effective_edges", (int64_t)v->m);
done:
    free(run.r == out->f64 ? run.rn : run.r);
    free(run.c);
    free(run.dang);
    free(run.diff);
    return rc;
}
