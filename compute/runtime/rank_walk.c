/* rank_walk.c: see rank_walk.h. One block loop over the team per step:
 * each vertex pulls this step's contributions, takes its new rank in
 * place, and at once writes its contribution to the next step (and adds
 * its rank to the block's dangling sum when it has no out-edges). So a
 * step streams the ranks, contributions and degrees once, where a
 * separate contributions pass streamed them twice (kron20: 3 x 8 MB a
 * step less). Contributions are double-buffered: a step reads c[cur]
 * while it writes c[cur ^ 1]. Member 0 sums the per-block partials
 * between steps. The contributions are floats or doubles (rank_walk.h);
 * each loop is written once and specialised for both. */
#include "rank_walk.h"

#include <math.h>
#include <stdlib.h>

#include "base/big_alloc.h"

typedef struct walk_run {
    algo_rank_walk *w;
    const algo_graph_view *v;
    algo_team *team;
    algo_comm *comm;
    algo_progress *progress;
    uint64_t n, nb;
    double *r;           /* the ranks, updated in place */
    void *c[2];          /* contributions: this step's, the next step's */
    int single;          /* c holds floats, else doubles */
    int cur;             /* which of c this step reads */
    double *dang, *diff; /* per-block sums: the next step's D, this step's L1 */
    double dn, back;     /* spread * D and what the target gets on top, this step */
    uint64_t cursor;     /* the step's block counter */
    int stop;            /* written by member 0, read after a barrier */
} walk_run;

/* The contribution of u with rank ru; adds ru to *d when u has none. */
static inline double contribution(const algo_graph_view *v, uint64_t u, double ru, double *d)
{
    uint64_t deg = algo_view_out_degree(v, u);
    if (deg)
        return ru / (double)deg;
    *d += ru;
    return 0;
}

/* c[i] of contributions held as floats (single) or doubles. Inlined into
 * loops whose `single` is a constant, each test folds away. */
#define WALK_INLINE static inline __attribute__((always_inline))

/* How far ahead the pull asks for a contribution (kron20, 20 steps,
 * medians of 8 interleaved runs at 2 threads: none 0.476 s, 32 edges
 * 0.416 s, 64 edges 0.406 s; 1 thread 0.66 -> 0.59 s). */
#define PULL_AHEAD 64

WALK_INLINE double get_c(const void *c, uint64_t i, int single)
{
    return single ? (double)((const float *)c)[i] : ((const double *)c)[i];
}

WALK_INLINE void prefetch_c(const void *c, uint64_t i, int single)
{
    if (single)
        __builtin_prefetch((const float *)c + i);
    else
        __builtin_prefetch((const double *)c + i);
}

WALK_INLINE void set_c(void *c, uint64_t i, double x, int single)
{
    if (single)
        ((float *)c)[i] = (float)x;
    else
        ((double *)c)[i] = x;
}

/* The first step's contributions, from the starting ranks. */
WALK_INLINE void first_contributions_as(walk_run *run, uint64_t b, uint64_t lo, uint64_t hi,
                                        int single)
{
    void *c = run->c[0];
    double d = 0;
    for (uint64_t u = lo; u < hi; u++)
        set_c(c, u, contribution(run->v, u, run->r[u], &d), single);
    run->dang[b] = d;
}

WALK_INLINE void pull_as(walk_run *run, uint64_t b, uint64_t lo, uint64_t hi, int single)
{
    const algo_graph_view *v = run->v;
    const void *c = run->c[run->cur];
    void *cn = run->c[run->cur ^ 1];
    double *r = run->r;
    const double base = run->w->base, damp = run->w->damp, dn = run->dn;
    const uint64_t target = run->w->target;
    double dd = 0, d = 0;
    /* each part's edge count, the bound of the reads ahead */
    uint64_t last[2] = {0, 0};
    for (int p = 0; p < v->parts; p++)
        last[p] = v->in[p].off[v->n];
    for (uint64_t x = lo; x < hi; x++) {
        double s = 0;
        for (int p = 0; p < v->parts; p++) {
            const algo_adj *in = &v->in[p];
            for (uint64_t e = in->off[x]; e < in->off[x + 1]; e++) {
                /* the contributions are read at random: ask for the one
                 * PULL_AHEAD edges on, across lists */
                if (e + PULL_AHEAD < last[p])
                    prefetch_c(c, in->nbr[e + PULL_AHEAD], single);
                s += get_c(c, in->nbr[e], single);
            }
        }
        double nr = base + damp * (s + dn);
        if (x == target)
            nr += run->back;
        dd += fabs(nr - r[x]);
        r[x] = nr;
        set_c(cn, x, contribution(v, x, nr, &d), single);
    }
    run->diff[b] = dd;
    run->dang[b] = d;
}

static void first_contributions(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    walk_run *run = arg;
    if (run->single)
        first_contributions_as(run, b, lo, hi, 1);
    else
        first_contributions_as(run, b, lo, hi, 0);
}

static void pull(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    walk_run *run = arg;
    if (run->single)
        pull_as(run, b, lo, hi, 1);
    else
        pull_as(run, b, lo, hi, 0);
}

/* Member 0, after a loop: D of the step that follows it. */
static void take_dangling(walk_run *run)
{
    algo_rank_walk *w = run->w;
    if (algo_comm_gather_blocks(run->comm, run->dang, run->nb) != 0)
        w->comm_failed = 1;
    double d = algo_sum_blocks(run->dang, run->nb);
    run->dn = d * w->spread;
    run->back = w->back + w->back_dangling * d;
}

static void steps(void *arg, int tid)
{
    walk_run *run = arg;
    algo_rank_walk *w = run->w;
    algo_team_for_in_run(run->team, run->n, &run->cursor, first_contributions, run);
    if (tid == 0) {
        run->cursor = 0;
        take_dangling(run);
    }
    algo_team_barrier(run->team);
    for (int64_t step = 1; step <= w->max_steps; step++) {
        algo_team_for_in_run(run->team, run->n, &run->cursor, pull, run);
        if (tid == 0) {
            run->cursor = 0;
            run->cur ^= 1;
            if (algo_comm_gather_blocks(run->comm, run->diff, run->nb) != 0)
                w->comm_failed = 1;
            take_dangling(run);
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

int algo_rank_walk_single(const algo_rank_walk *w)
{
    const double bound = w->damp < 1 ? 0x1p-24 * w->damp / (1 - w->damp) : INFINITY;
    return bound <= ALGO_WALK_SINGLE_MIN &&
           (w->threshold == 0 || w->threshold >= ALGO_WALK_SINGLE_MIN);
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
                    .r = rank,
                    .single = algo_rank_walk_single(w)};
    size_t size = run.single ? sizeof(float) : sizeof(double);
    int rc = ALGO_ENOMEM;
    w->steps = 0;
    w->l1 = 0;
    w->stopped = w->comm_failed = 0;
    if (v->n == 0)
        return 0;
    /* n-sized, written every step: on 2 MiB pages (base/big_alloc.h) */
    run.c[0] = hgc_big_calloc(v->n, size);
    run.c[1] = hgc_big_calloc(v->n, size);
    run.dang = malloc(run.nb * sizeof *run.dang);
    run.diff = malloc(run.nb * sizeof *run.diff);
    if (!run.c[0] || !run.c[1] || !run.dang || !run.diff)
        goto done;
    algo_team_run(team, steps, &run);
    rc = 0;
done:
    hgc_big_free(run.c[0], v->n, size);
    hgc_big_free(run.c[1], v->n, size);
    free(run.dang);
    free(run.diff);
    return rc;
}
