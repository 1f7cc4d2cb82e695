/* rank_walk.c: see rank_walk.h. Each step is two block loops over the
 * team, contributions then the pull, each ending in a barrier; member 0
 * sums the per-block partials between them. */
#include "rank_walk.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/big_alloc.h"

typedef struct walk_run {
    algo_rank_walk *w;
    const algo_graph_view *v;
    algo_team *team;
    algo_comm *comm;
    algo_progress *progress;
    uint64_t n, nb;
    double *r, *rn;      /* this step's ranks and the next */
    double *c;           /* contributions */
    double *dang, *diff; /* per-block sums */
    double dn, back;     /* spread * D and what the target gets on top, this step */
    uint64_t cursor[2];  /* the two phases' block counters */
    int stop;            /* written by member 0, read after a barrier */
} walk_run;

static void contributions(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    walk_run *run = arg;
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
    walk_run *run = arg;
    const algo_graph_view *v = run->v;
    const double *c = run->c, *r = run->r;
    const double base = run->w->base, damp = run->w->damp, dn = run->dn;
    const uint64_t target = run->w->target;
    double *rn = run->rn, dd = 0;
    for (uint64_t x = lo; x < hi; x++) {
        double s = 0;
        for (int p = 0; p < v->parts; p++) {
            const algo_adj *in = &v->in[p];
            for (uint64_t e = in->off[x]; e < in->off[x + 1]; e++)
                s += c[in->nbr[e]];
        }
        double nr = base + damp * (s + dn);
        if (x == target)
            nr += run->back;
        rn[x] = nr;
        dd += fabs(nr - r[x]);
    }
    run->diff[b] = dd;
}

static void steps(void *arg, int tid)
{
    walk_run *run = arg;
    algo_rank_walk *w = run->w;
    for (int64_t step = 1; step <= w->max_steps; step++) {
        if (tid == 0)
            run->cursor[1] = 0; /* the pull's counter: idle until it starts */
        algo_team_for_in_run(run->team, run->n, &run->cursor[0], contributions, run);
        if (tid == 0) {
            run->cursor[0] = 0;
            if (algo_comm_gather_blocks(run->comm, run->dang, run->nb) != 0)
                w->comm_failed = 1;
            double d = algo_sum_blocks(run->dang, run->nb);
            run->dn = d * w->spread;
            run->back = w->back + w->back_dangling * d;
        }
        algo_team_barrier(run->team);
        algo_team_for_in_run(run->team, run->n, &run->cursor[1], pull, run);
        if (tid == 0) {
            if (algo_comm_gather_blocks(run->comm, run->diff, run->nb) != 0)
                w->comm_failed = 1;
            double *t = run->r;
            run->r = run->rn;
            run->rn = t;
            w->steps = step;
            w->l1 = algo_sum_blocks(run->diff, run->nb);
            if (w->comm_failed)
                run->stop = 1;
            else if (algo_progress_step(run->progress, (uint64_t)step, (uint64_t)w->max_steps,
                                        w->l1))
                run->stop = w->stopped = 1;
        }
        algo_team_barrier(run->team);
        if (run->stop || w->l1 <= w->threshold)
            break;
    }
}

int algo_rank_walk_run(double *rank, algo_rank_walk *w, const algo_graph_view *v, algo_team *team,
                       algo_comm *comm, algo_progress *progress)
{
    walk_run run = {.w = w,
                    .v = v,
                    .team = team,
                    .comm = comm,
                    .progress = progress,
                    .n = v->n,
                    .nb = algo_blocks(v->n),
                    .r = rank};
    int rc = ALGO_ENOMEM;
    w->steps = 0;
    w->l1 = 0;
    w->stopped = w->comm_failed = 0;
    if (v->n == 0)
        return 0;
    /* n-sized, written every step: on 2 MiB pages (base/big_alloc.h) */
    run.rn = hgc_big_calloc(v->n, sizeof *run.rn);
    run.c = hgc_big_calloc(v->n, sizeof *run.c);
    run.dang = malloc(run.nb * sizeof *run.dang);
    run.diff = malloc(run.nb * sizeof *run.diff);
    if (!run.rn || !run.c || !run.dang || !run.diff)
        goto done;
    algo_team_run(team, steps, &run);
    if (run.r != rank)
        memcpy(rank, run.r, v->n * sizeof *rank);
    rc = 0;
done:
    /* the buffer that is not rank[] */
    hgc_big_free(run.r == rank ? run.rn : run.r, v->n, sizeof *run.rn);
    hgc_big_free(run.c, v->n, sizeof *run.c);
    free(run.dang);
    free(run.diff);
    return rc;
}
