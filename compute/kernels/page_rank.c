/* page_rank.c: page-rank (docs/algorithms.md; Page et al. 1999, with the
 * rank of dangling vertices spread evenly, as LDBC Graphalytics' PR and
 * NetworkX's pagerank do; GAPBS pr.cc is the speed reference).
 *
 * Pull-based over the in-CSR of the effective graph (graph_view.h): each
 * superstep first turns ranks into contributions c[u] = r(u)/outdeg(u)
 * (and sums the dangling rank D per block), then every vertex sums the
 * contributions of its in-neighbours:
 *   r'(v) = alpha/N + (1-alpha) * (sum_{u->v} c[u] + D/N)
 * One team region runs all supersteps; each phase is a block loop ending
 * in a barrier. D and the L1 change are kept per block and summed in block
 * order by every member (the same sum, so all take the same decision
 * without another barrier): bit-identical for any thread count.
 *
 * Cost: O(n + m) per superstep; memory 2n doubles beyond rank[] plus
 * 2n/ALGO_BLOCK; no copy of the graph unless folding or a limit is asked for.
 */
#include "page_rank.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "specs/page_rank.h"

typedef struct pr_run {
    const algo_graph_view *v;
    algo_team *team;
    algo_comm *comm;
    algo_progress *progress;
    double alpha, threshold;
    int64_t max_steps;
    uint64_t n, nb;
    double *r, *rn;      /* this step's ranks and the next */
    double *c;           /* contributions */
    double *dang, *diff; /* per-block sums */
    double dn;           /* D/N of the step */
    uint64_t cursor[2];  /* the two phases' block counters */

    /* written by member 0 only, read after a barrier or the run */
    int stop;
    int comm_failed;
    int64_t steps;
    double l1;
    const double *final; /* the buffer holding the last ranks */
} pr_run;

static void contributions(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    pr_run *run = arg;
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
    pr_run *run = arg;
    const algo_graph_view *v = run->v;
    const double *c = run->c, *r = run->r;
    const double base = run->alpha * (1.0 / (double)run->n), damp = 1 - run->alpha, dn = run->dn;
    double *rn = run->rn, dd = 0;
    for (uint64_t x = lo; x < hi; x++) {
        double s = 0;
        for (int p = 0; p < v->parts; p++) {
            const algo_adj *in = &v->in[p];
            for (uint64_t e = in->off[x]; e < in->off[x + 1]; e++)
                s += c[in->nbr[e]];
        }
        double nr = base + damp * (s + dn);
        rn[x] = nr;
        dd += fabs(nr - r[x]);
    }
    run->diff[b] = dd;
}

static void supersteps(void *arg, int tid)
{
    pr_run *run = arg;
    for (int64_t step = 1; step <= run->max_steps; step++) {
        if (tid == 0)
            run->cursor[1] = 0; /* the pull's counter: idle until it starts */
        algo_team_for_in_run(run->team, run->n, &run->cursor[0], contributions, run);
        if (tid == 0) {
            run->cursor[0] = 0;
            if (algo_comm_gather_blocks(run->comm, run->dang, run->nb) != 0)
                run->comm_failed = 1;
            run->dn = algo_sum_blocks(run->dang, run->nb) * (1.0 / (double)run->n);
        }
        algo_team_barrier(run->team);
        algo_team_for_in_run(run->team, run->n, &run->cursor[1], pull, run);
        if (tid == 0) {
            if (algo_comm_gather_blocks(run->comm, run->diff, run->nb) != 0)
                run->comm_failed = 1;
            double *t = run->r;
            run->r = run->rn;
            run->rn = t;
            run->final = run->r;
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

/* The kernel on a view: rank[] holds the result, *st the figures. */
static int pagerank_run(double *rank, algo_pagerank_stats *st, pr_run *run, char msg[ALGO_MSG_MAX])
{
    const algo_graph_view *v = run->v;
    int rc = 0;
    memset(st, 0, sizeof *st);
    st->threads = algo_team_size(run->team);
    st->edges = v->m;
    if (v->n == 0) {
        st->converged = 1;
        return 0;
    }
    run->n = v->n;
    run->nb = algo_blocks(v->n);
    run->r = rank;
    run->rn = malloc(v->n * sizeof *run->rn);
    run->c = malloc(v->n * sizeof *run->c);
    run->dang = malloc(run->nb * sizeof *run->dang);
    run->diff = malloc(run->nb * sizeof *run->diff);
    if (!run->rn || !run->c || !run->dang || !run->diff) {
        snprintf(msg, ALGO_MSG_MAX, "page-rank: out of memory for %llu vertices",
                 (unsigned long long)v->n);
        rc = ALGO_ENOMEM;
        goto done;
    }
    for (uint64_t u = 0; u < v->n; u++)
        rank[u] = 1.0 / (double)v->n;
    algo_team_run(run->team, supersteps, run);

    if (run->final && run->final != rank)
        memcpy(rank, run->final, v->n * sizeof *rank);
    st->supersteps = (int)run->steps;
    st->l1_diff = run->l1;
    st->converged = run->steps > 0 && run->l1 <= run->threshold;
    if (run->comm_failed) {
        snprintf(msg, ALGO_MSG_MAX, "page-rank: the worker processes lost touch");
        rc = ALGO_EINVAL;
    } else if (run->stop) { /* the progress hook asked */
        snprintf(msg, ALGO_MSG_MAX, "page-rank: stopped after superstep %d", st->supersteps);
        rc = ALGO_ESTOPPED;
    }
done:
    /* the buffer that is not rank[] */
    free(run->r == rank ? run->rn : run->r);
    free(run->c);
    free(run->dang);
    free(run->diff);
    return rc;
}

int algo_kernel_page_rank(algo_output *out, const algo_kernel_ctx *k, char msg[ALGO_MSG_MAX])
{
    const algo_page_rank_opts *o = k->opts;
    pr_run run = {.v = k->view,
                  .team = k->team,
                  .comm = k->comm,
                  .progress = k->progress,
                  .alpha = o->alpha,
                  .threshold = o->l1_threshold,
                  .max_steps = k->common->max_super_step};
    algo_pagerank_stats st;
    int rc = pagerank_run(out->f64, &st, &run, msg);
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
    pr_run run = {.v = &view,
                  .team = team,
                  .comm = &comm,
                  .progress = &progress,
                  .alpha = o->alpha,
                  .threshold = o->l1_threshold,
                  .max_steps = o->max_steps};
    rc = pagerank_run(rank, st, &run, msg);
done:
    algo_team_free(team);
    algo_graph_view_release(&view);
    return rc;
}
