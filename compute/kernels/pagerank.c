/* pagerank.c: page-rank (docs/algorithms.md; Page et al. 1999, with the
 * rank of dangling vertices spread evenly, as LDBC Graphalytics' PR and
 * NetworkX's pagerank do).
 *
 * Pull-based over the in-CSR of the effective graph (graph_view.h): each
 * superstep first turns ranks into contributions c[u] = r(u)/outdeg(u)
 * (and sums the dangling rank D), then every vertex sums the contributions
 * of its in-neighbours:
 *   r'(v) = alpha/N + (1-alpha) * (sum_{u->v} c[u] + D/N)
 * Threads own ranges of whole blocks of BLOCK vertices, balanced by
 * in-edges + vertices; two barriers per superstep. D and the L1 change are
 * summed per block, then over blocks in block order by every thread (the
 * same sum, so every thread takes the same decision without a third
 * barrier): results are bit-identical for any thread count.
 *
 * Cost: O(n + m) per superstep; memory 2n doubles beyond rank[] plus
 * 2n/BLOCK; no copy of the graph unless folding or a limit is asked for.
 */
#include "pagerank.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Vertices per summation block. Fixed (not derived from the thread count)
 * so that floating-point sums are the same whatever the thread count. */
#define BLOCK 4096

typedef struct pr_run {
    const algo_graph_view *v;
    const algo_pagerank_opts *o;
    uint64_t n, nb;      /* vertices, blocks */
    double *r0, *r1;     /* the two rank buffers */
    double *c;           /* contributions */
    double *dang, *diff; /* per-block sums */
    uint64_t *bounds;    /* thread t owns blocks [bounds[t], bounds[t+1]) */
    int nthreads;
    pthread_barrier_t bar;

    /* start gate: threads wait until every thread was created */
    pthread_mutex_t gate_mu;
    pthread_cond_t gate_cv;
    int gate; /* 0 wait, 1 go, -1 give up */

    /* written by thread 0 only, read after a barrier or the joins */
    int stop; /* the callback asked to stop */
    int steps;
    double l1;
    const double *final; /* the buffer holding the last ranks */
} pr_run;

typedef struct pr_thread {
    pr_run *run;
    int tid;
} pr_thread;

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

static double sum_blocks(const double *a, uint64_t nb)
{
    double s = 0;
    for (uint64_t b = 0; b < nb; b++)
        s += a[b];
    return s;
}

static void superstep_loop(pr_run *run, int tid)
{
    const algo_graph_view *v = run->v;
    const algo_pagerank_opts *o = run->o;
    const uint64_t n = run->n, nb = run->nb;
    const double inv_n = 1.0 / (double)n, alpha = o->alpha;
    const uint64_t b_lo = run->bounds[tid], b_hi = run->bounds[tid + 1];
    double *r = run->r0, *rn = run->r1, *c = run->c;

    for (int step = 1; step <= o->max_steps; step++) {
        /* contributions; dangling rank per block */
        for (uint64_t b = b_lo; b < b_hi; b++) {
            uint64_t hi = (b + 1) * BLOCK < n ? (b + 1) * BLOCK : n;
            double d = 0;
            for (uint64_t u = b * BLOCK; u < hi; u++) {
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
        pthread_barrier_wait(&run->bar);
        if (run->stop)
            break;
        const double dn = sum_blocks(run->dang, nb) * inv_n;

        /* pull */
        for (uint64_t b = b_lo; b < b_hi; b++) {
            uint64_t hi = (b + 1) * BLOCK < n ? (b + 1) * BLOCK : n;
            double dd = 0;
            for (uint64_t x = b * BLOCK; x < hi; x++) {
                double s = 0;
                for (int p = 0; p < v->parts; p++) {
                    const algo_adj *in = &v->in[p];
                    for (uint64_t e = in->off[x]; e < in->off[x + 1]; e++)
                        s += c[in->nbr[e]];
                }
                double nr = alpha * inv_n + (1 - alpha) * (s + dn);
                rn[x] = nr;
                dd += fabs(nr - r[x]);
            }
            run->diff[b] = dd;
        }
        pthread_barrier_wait(&run->bar);
        const double l1 = sum_blocks(run->diff, nb);
        double *t = r;
        r = rn;
        rn = t;

        if (tid == 0) {
            run->steps = step;
            run->l1 = l1;
            run->final = r;
            /* read by the others after the next first barrier */
            if (o->progress && o->progress(o->user, step, o->max_steps, l1) != 0)
                run->stop = 1;
        }
        if (l1 <= o->l1_threshold)
            break;
    }
}

static void *thread_main(void *arg)
{
    pr_thread *pt = arg;
    pr_run *run = pt->run;
    pthread_mutex_lock(&run->gate_mu);
    while (run->gate == 0)
        pthread_cond_wait(&run->gate_cv, &run->gate_mu);
    int go = run->gate > 0;
    pthread_mutex_unlock(&run->gate_mu);
    if (go)
        superstep_loop(run, pt->tid);
    return NULL;
}

static void open_gate(pr_run *run, int value)
{
    pthread_mutex_lock(&run->gate_mu);
    run->gate = value;
    pthread_cond_broadcast(&run->gate_cv);
    pthread_mutex_unlock(&run->gate_mu);
}

/* Splits the blocks into `t` ranges of about equal in-edges + vertices. */
static void partition(pr_run *run, int t)
{
    const algo_graph_view *v = run->v;
    uint64_t n = run->n, nb = run->nb;
    uint64_t total = n;
    for (int p = 0; p < v->parts; p++)
        total += v->in[p].off[n] - v->in[p].off[0];

    run->bounds[0] = 0;
    uint64_t cost = 0, b = 0;
    for (int k = 1; k < t; k++) {
        /* first block whose start has at least k/t of the cost before it */
        uint64_t goal = (uint64_t)((double)total * k / t);
        while (b < nb && cost < goal) {
            uint64_t lo = b * BLOCK, hi = (b + 1) * BLOCK < n ? (b + 1) * BLOCK : n;
            cost += hi - lo;
            for (int p = 0; p < v->parts; p++)
                cost += v->in[p].off[hi] - v->in[p].off[lo];
            b++;
        }
        run->bounds[k] = b;
    }
    run->bounds[t] = nb;
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

int algo_pagerank_view(double *rank, algo_pagerank_stats *st, const algo_graph_view *v,
                       const algo_pagerank_opts *o, char msg[ALGO_MSG_MAX])
{
    int rc = check_opts(o, msg);
    pr_run run;
    pr_thread pts[ALGO_PAGERANK_MAX_THREADS];
    pthread_t tids[ALGO_PAGERANK_MAX_THREADS];
    int created = 0, sync_init = 0;

    memset(&run, 0, sizeof run);
    if (rc != 0)
        goto done;
    if (!v || !st || (v->n && !rank)) {
        snprintf(msg, ALGO_MSG_MAX, "page-rank: no graph, ranks or stats");
        rc = ALGO_EINVAL;
        goto done;
    }
    if (v->n == 0) {
        memset(st, 0, sizeof *st);
        st->converged = 1;
        st->threads = 1;
        goto done;
    }

    run.v = v;
    run.o = o;
    run.n = v->n;
    run.nb = (v->n + BLOCK - 1) / BLOCK;
    int t = o->threads < ALGO_PAGERANK_MAX_THREADS ? o->threads : ALGO_PAGERANK_MAX_THREADS;
    if ((uint64_t)t > run.nb)
        t = (int)run.nb;
    run.nthreads = t;

    run.r1 = malloc(v->n * sizeof *run.r1);
    run.c = malloc(v->n * sizeof *run.c);
    run.dang = malloc(run.nb * sizeof *run.dang);
    run.diff = malloc(run.nb * sizeof *run.diff);
    run.bounds = malloc(((size_t)t + 1) * sizeof *run.bounds);
    if (!run.r1 || !run.c || !run.dang || !run.diff || !run.bounds) {
        snprintf(msg, ALGO_MSG_MAX, "page-rank: out of memory for %llu vertices",
                 (unsigned long long)v->n);
        rc = ALGO_ENOMEM;
        goto done;
    }
    run.r0 = rank;
    for (uint64_t u = 0; u < v->n; u++)
        rank[u] = 1.0 / (double)v->n;
    partition(&run, t);

    if (pthread_barrier_init(&run.bar, NULL, (unsigned)t) != 0) {
        snprintf(msg, ALGO_MSG_MAX, "page-rank: cannot set up a barrier for %d threads", t);
        rc = ALGO_ENOMEM;
        goto done;
    }
    pthread_mutex_init(&run.gate_mu, NULL);
    pthread_cond_init(&run.gate_cv, NULL);
    sync_init = 1;

    for (int k = 1; k < t; k++) {
        pts[k] = (pr_thread){&run, k};
        if (pthread_create(&tids[k], NULL, thread_main, &pts[k]) != 0) {
            open_gate(&run, -1);
            snprintf(msg, ALGO_MSG_MAX, "page-rank: cannot start thread %d of %d", k + 1, t);
            rc = ALGO_ENOMEM;
            goto done;
        }
        created++;
    }
    open_gate(&run, 1);
    superstep_loop(&run, 0);

    if (run.final && run.final != rank)
        memcpy(rank, run.final, v->n * sizeof *rank);
    memset(st, 0, sizeof *st);
    st->supersteps = run.steps;
    st->l1_diff = run.l1;
    st->converged = run.steps > 0 && run.l1 <= o->l1_threshold;
    st->edges = v->m;
    st->threads = t;
    if (run.stop) {
        snprintf(msg, ALGO_MSG_MAX, "page-rank: stopped after superstep %d", run.steps);
        rc = ALGO_ESTOPPED;
    }
done:
    for (int k = 1; k <= created; k++)
        pthread_join(tids[k], NULL);
    if (sync_init) {
        pthread_barrier_destroy(&run.bar);
        pthread_mutex_destroy(&run.gate_mu);
        pthread_cond_destroy(&run.gate_cv);
    }
    free(run.r1);
    free(run.c);
    free(run.dang);
    free(run.diff);
    free(run.bounds);
    return rc;
}

int algo_pagerank(double *rank, algo_pagerank_stats *st, const algo_graph *g,
                  const algo_pagerank_opts *o, char msg[ALGO_MSG_MAX])
{
    algo_graph_view view;
    int rc = check_opts(o, msg);
    memset(&view, 0, sizeof view);
    if (rc != 0)
        goto done;
    rc = algo_graph_view_init(&view, g, o->dir, o->freq, o->limit_edges, msg);
    if (rc != 0)
        goto done;
    rc = algo_pagerank_view(rank, st, &view, o, msg);
done:
    algo_graph_view_release(&view);
    return rc;
}
