/* betweenness_centrality.c: betweenness (docs/algorithms.md), not
 * normalised:
 *   B(v) = sum over s != v != t of sigma_st(v) / sigma_st
 * sigma_st the number of shortest directed paths from s to t (as vertex
 * sequences: parallel edges don't make more paths), sigma_st(v) those
 * through v, along the effective graph's edges (input.edge_direction).
 * Brandes 2001, "A faster algorithm for betweenness centrality": a BFS
 * from each source counts the paths, a pass in reverse BFS order adds up
 * the dependencies delta(u) = sum over successors w of
 * sigma(u)/sigma(w) * (1 + delta(w)). Equals NetworkX
 * betweenness_centrality(G, normalized=False) at sample_rate 1; a smaller
 * rate uses a seeded sample of k sources and scales the sums by n/k
 * (Brandes & Pich 2007). GAPBS bc.cc (from 4 sources) is the speed peer.
 *
 * Successors are found again in the reverse pass from d(w) = d(u) + 1
 * instead of stored predecessor lists (as GAPBS does with its bitmap), and
 * a stamp per vertex skips a parallel edge's second copy. Below
 * TEAM_MIN_VERTICES, sources are spread over the team in fixed chunks,
 * each member summing into its own accumulator, added in chunk order
 * (runtime/sources.h); from there on, the whole team works on one source
 * at a time (below), summing into one accumulator in the same chunks. The
 * same bits for any thread count either way.
 *
 * Cost: O(k (n + m)); memory beyond the output, one source per member:
 * per member the accumulator (8n), distances, path counts, dependencies,
 * the BFS order and the stamps (28n); the team on one source: one
 * accumulator (8n), one set of distances, path counts, dependencies and
 * BFS order (24n), a bit per edge (m / 8) and the levels' bounds (8 bytes
 * a level), and per member the stamps (8n). Plus the sources (4n while
 * picking).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/big_alloc.h"
#include "kernel.h"
#include "sources.h"
#include "specs/betweenness_centrality.h"

#define NONE UINT32_MAX

typedef struct scratch {
    int32_t *d;      /* -1: not reached */
    double *sigma;   /* shortest paths from the source */
    double *delta;   /* dependency of the source on the vertex */
    uint32_t *order; /* BFS order */
    uint32_t *stamp; /* the last vertex that counted this one: NONE between passes */
} scratch;

typedef struct bc_run {
    const algo_graph_view *v;
    scratch *s; /* per member */
} bc_run;

static void brandes(void *arg, int tid, uint32_t src, double *acc)
{
    bc_run *run = arg;
    const algo_graph_view *v = run->v;
    scratch *s = &run->s[tid];
    int32_t *d = s->d;
    double *sigma = s->sigma, *delta = s->delta;
    uint32_t *q = s->order, *stamp = s->stamp;
    uint64_t head = 0, tail = 1;

    d[src] = 0;
    sigma[src] = 1;
    q[0] = src;
    while (head < tail) {
        uint32_t u = q[head++];
        int32_t du = d[u] + 1;
        for (int p = 0; p < v->parts; p++) {
            const algo_adj *a = &v->out[p];
            for (uint64_t e = a->off[u]; e < a->off[u + 1]; e++) {
                uint32_t w = a->nbr[e];
                if (d[w] < 0) {
                    d[w] = du;
                    q[tail++] = w;
                }
                if (d[w] == du && stamp[w] != u) {
                    stamp[w] = u;
                    sigma[w] += sigma[u];
                }
            }
        }
    }
    for (uint64_t i = 0; i < tail; i++)
        stamp[q[i]] = NONE;

    for (uint64_t i = tail; i-- > 0;) {
        uint32_t u = q[i];
        int32_t du = d[u] + 1;
        double c = 0;
        for (int p = 0; p < v->parts; p++) {
            const algo_adj *a = &v->out[p];
            for (uint64_t e = a->off[u]; e < a->off[u + 1]; e++) {
                uint32_t w = a->nbr[e];
                if (d[w] == du && stamp[w] != u) {
                    stamp[w] = u;
                    c += (1 + delta[w]) / sigma[w];
                }
            }
        }
        delta[u] = sigma[u] * c;
        if (u != src)
            acc[u] += delta[u];
    }
    for (uint64_t i = 0; i < tail; i++) {
        uint32_t u = q[i];
        d[u] = -1;
        sigma[u] = 0;
        delta[u] = 0;
        stamp[u] = NONE;
    }
}

/* ---- one source at a time, the whole team on it (large graphs).
 *
 * Level by level, as GAPBS bc.cc does: the members take a level's vertices
 * in runs, claim their unreached out-neighbours for the next level (a
 * compare-and-swap on d) and add their path counts into the neighbours'
 * (an atomic add), marking the edge in a bit per edge (its first copy
 * only) as GAPBS marks its successors; the reverse pass takes the levels
 * deepest first, each vertex pulling from the successors its bits mark,
 * in its list's order (no distance read per edge). The path counts
 * are whole numbers, so below 2^53 their sums are exact in any order and
 * the result has the same bits as one member per source would give. A
 * count of 2^53 or more has been rounded, in an order the threads'
 * timing chose: then the counts are made again, each vertex pulling from
 * its in-neighbours in list order, so that the bits never depend on the
 * threads. A member's stamps skip a parallel edge's second copy; they
 * carry the pass's number, so they never need clearing.
 *
 * Why: with one source per member, each member walks its own 36 bytes per
 * vertex at random; two such sets outgrow the cache of one kind of
 * machine here (AMD EPYC, 1 MiB of L2 a core, 32 MiB L3). On kron20 (4 sources, 2
 * threads, interleaved runs) one source per member took 1.36-1.39 s and
 * the team on each source 1.21-1.30 s, GAPBS 1.05-1.22 s; at 1 thread the
 * two ways took alike (2.67-2.87 s and 2.73-3.00 s). The successor bits
 * took another 8-10% off (1.44-1.59 s against 1.62-1.75 s, GAPBS
 * 1.41-1.54 s, on a slower hour). The team way runs for any thread count
 * from TEAM_MIN_VERTICES on, so that 1 and N threads run the same sums. */

#define TEAM_MIN_VERTICES (1u << 17) /* from here, the team on one source at a time */
#define CLAIM_BUF         256
#define LEVEL_BLOCK       64 /* a level's vertices handed out in runs of */

typedef struct member_state {
    uint64_t *stamp; /* per vertex: (pass << 32) | the vertex that last counted it */
    uint64_t pass;
} __attribute__((aligned(ALGO_APART))) member_state;

typedef struct bc_team {
    const algo_graph_view *v;
    algo_team *team;
    int32_t *d;
    double *sigma, *delta;
    uint32_t *q;
    uint64_t *level;   /* level l is q[level[l] .. level[l + 1]) */
    uint64_t tail;     /* q's length while a level is claimed */
    uint64_t cursor;   /* the next run of the level being worked on */
    int big;           /* a path count reached 2^53 (this source) */
    uint64_t *succ[2]; /* per part, a bit per edge: it leads to a successor (first copy) */
    uint64_t succ_words[2];
    member_state *m;
} bc_team;

/* The next run [*lo, *hi) of q[from, to), or 0 when none is left. */
static int next_run(bc_team *t, uint64_t from, uint64_t to, uint64_t *lo, uint64_t *hi)
{
    uint64_t at = from + __atomic_fetch_add(&t->cursor, LEVEL_BLOCK, __ATOMIC_RELAXED);
    if (at >= to)
        return 0;
    *lo = at;
    *hi = at + LEVEL_BLOCK < to ? at + LEVEL_BLOCK : to;
    return 1;
}

static void flush_claims(bc_team *t, const uint32_t *buf, size_t nb)
{
    uint64_t at = __atomic_fetch_add(&t->tail, nb, __ATOMIC_RELAXED);
    memcpy(&t->q[at], buf, nb * sizeof *buf);
}

/* Level l + 1: the unreached out-neighbours of level l's vertices, and
 * their path counts, pushed from level l (added atomically: exact, so in
 * any order the same, while below 2^53; t->big is set otherwise). */
static void claim_level(bc_team *t, member_state *ms, int32_t l)
{
    const algo_graph_view *v = t->v;
    uint32_t buf[CLAIM_BUF];
    size_t nb = 0;
    uint64_t lo, hi, key = ++ms->pass << 32;
    double most = 0;
    while (next_run(t, t->level[l], t->level[l + 1], &lo, &hi)) {
        for (uint64_t i = lo; i < hi; i++) {
            uint32_t u = t->q[i];
            double su = t->sigma[u];
            for (int p = 0; p < v->parts; p++) {
                const algo_adj *a = &v->out[p];
                for (uint64_t e = a->off[u]; e < a->off[u + 1]; e++) {
                    uint32_t w = a->nbr[e];
                    int32_t dw = __atomic_load_n(&t->d[w], __ATOMIC_RELAXED);
                    if (dw < 0) {
                        if (__atomic_compare_exchange_n(&t->d[w], &dw, l + 1, 0, __ATOMIC_RELAXED,
                                                        __ATOMIC_RELAXED)) {
                            dw = l + 1;
                            buf[nb++] = w;
                            if (nb == CLAIM_BUF) {
                                flush_claims(t, buf, nb);
                                nb = 0;
                            }
                        }
                    }
                    if (dw != l + 1 || ms->stamp[w] == (key | u))
                        continue;
                    ms->stamp[w] = key | u;
                    __atomic_fetch_or(&t->succ[p][e >> 6], (uint64_t)1 << (e & 63),
                                      __ATOMIC_RELAXED);
                    double old, sum;
                    __atomic_load(&t->sigma[w], &old, __ATOMIC_RELAXED);
                    do
                        sum = old + su;
                    while (!__atomic_compare_exchange(&t->sigma[w], &old, &sum, 1, __ATOMIC_RELAXED,
                                                      __ATOMIC_RELAXED));
                    if (sum > most)
                        most = sum;
                }
            }
        }
    }
    if (nb)
        flush_claims(t, buf, nb);
    if (most >= 9007199254740992.0)
        __atomic_store_n(&t->big, 1, __ATOMIC_RELAXED);
}

/* Path counts of level l's vertices, from their in-neighbours at l - 1. */
static void count_level(bc_team *t, member_state *ms, int32_t l)
{
    const algo_graph_view *v = t->v;
    uint64_t lo, hi, key = ++ms->pass << 32;
    while (next_run(t, t->level[l], t->level[l + 1], &lo, &hi)) {
        for (uint64_t i = lo; i < hi; i++) {
            uint32_t w = t->q[i];
            double s = 0;
            for (int p = 0; p < v->parts; p++) {
                const algo_adj *a = &v->in[p];
                for (uint64_t e = a->off[w]; e < a->off[w + 1]; e++) {
                    uint32_t u = a->nbr[e];
                    if (t->d[u] == l - 1 && ms->stamp[u] != (key | w)) {
                        ms->stamp[u] = key | w;
                        s += t->sigma[u];
                    }
                }
            }
            t->sigma[w] = s;
        }
    }
}

/* Dependencies of level l's vertices, from their successors at l + 1. */
static void depend_level(bc_team *t, int32_t l, uint32_t src, double *acc)
{
    const algo_graph_view *v = t->v;
    uint64_t lo, hi;
    while (next_run(t, t->level[l], t->level[l + 1], &lo, &hi)) {
        for (uint64_t i = lo; i < hi; i++) {
            uint32_t u = t->q[i];
            double c = 0;
            for (int p = 0; p < v->parts; p++) {
                const algo_adj *a = &v->out[p];
                const uint64_t *succ = t->succ[p];
                for (uint64_t e = a->off[u]; e < a->off[u + 1]; e++) {
                    if (succ[e >> 6] >> (e & 63) & 1) {
                        uint32_t w = a->nbr[e];
                        c += (1 + t->delta[w]) / t->sigma[w];
                    }
                }
            }
            t->delta[u] = t->sigma[u] * c;
            if (u != src)
                acc[u] += t->delta[u];
        }
    }
}

/* Member tid's share [*lo, *hi) of [0, n), split evenly. */
static void share(uint64_t n, int tid, int size, uint64_t *lo, uint64_t *hi)
{
    uint64_t per = (n + (uint64_t)size - 1) / (uint64_t)size;
    *lo = (uint64_t)tid * per < n ? (uint64_t)tid * per : n;
    *hi = *lo + per < n ? *lo + per : n;
}

/* Tid 0 restarts the run cursor, then all meet: before each level's work. */
static void level_begin(bc_team *t, int tid)
{
    if (tid == 0)
        t->cursor = 0;
    algo_team_barrier(t->team);
}

/* Every member runs this for each source (algo_sources_sweep_together);
 * the team meets at a barrier after each step, and at the end. */
static void brandes_team(void *arg, int tid, uint32_t src, double *acc)
{
    bc_team *t = arg;
    member_state *ms = &t->m[tid];
    int size = algo_team_size(t->team);
    if (tid == 0) {
        t->d[src] = 0;
        t->sigma[src] = 1;
        t->q[0] = src;
        t->level[0] = 0;
        t->level[1] = 1;
        t->tail = 1;
        t->big = 0;
    }
    uint64_t levels = 1; /* levels 0 .. levels - 1 hold vertices */
    for (;; levels++) {
        level_begin(t, tid);
        claim_level(t, ms, (int32_t)levels - 1);
        algo_team_barrier(t->team);
        if (tid == 0)
            t->level[levels + 1] = t->tail;
        algo_team_barrier(t->team);
        if (t->level[levels + 1] == t->level[levels])
            break;
    }
    if (t->big) {
        /* Sums past 2^53 round, so their order matters: count again, each
         * vertex pulling from its in-neighbours in list order. */
        for (uint64_t l = 1; l < levels; l++) {
            level_begin(t, tid);
            count_level(t, ms, (int32_t)l);
            algo_team_barrier(t->team);
        }
    }
    for (uint64_t l = levels; l-- > 0;) {
        level_begin(t, tid);
        depend_level(t, (int32_t)l, src, acc);
        algo_team_barrier(t->team);
    }
    /* back to unreached, and the successor bits cleared: a share each */
    uint64_t lo, hi;
    share(t->tail, tid, size, &lo, &hi);
    for (uint64_t i = lo; i < hi; i++) {
        uint32_t u = t->q[i];
        t->d[u] = -1;
        t->sigma[u] = 0;
        t->delta[u] = 0;
    }
    for (int p = 0; p < t->v->parts; p++) {
        share(t->succ_words[p], tid, size, &lo, &hi);
        memset(&t->succ[p][lo], 0, (hi - lo) * sizeof *t->succ[p]);
    }
    algo_team_barrier(t->team);
}

/* The sweep with the team on each source: one set of state (24n bytes),
 * the successor bits (m / 8) and the levels' bounds, plus 8n of stamps
 * per member. */
static int team_sweep(algo_output *out, const algo_kernel_ctx *k, const uint32_t *sources,
                      uint64_t n_src, char msg[ALGO_MSG_MAX])
{
    const algo_graph_view *v = k->view;
    uint64_t n = v->n;
    int threads = algo_team_size(k->team), rc = ALGO_ENOMEM;
    bc_team t = {.v = v, .team = k->team};
    t.d = hgc_big_calloc(n, sizeof *t.d);
    t.sigma = hgc_big_calloc(n, sizeof *t.sigma);
    t.delta = hgc_big_calloc(n, sizeof *t.delta);
    t.q = hgc_big_calloc(n, sizeof *t.q);
    t.level = hgc_big_calloc(n + 2, sizeof *t.level);
    t.m = algo_calloc_apart((size_t)threads, sizeof *t.m);
    if (!t.d || !t.sigma || !t.delta || !t.q || !t.level || !t.m)
        goto oom;
    for (int p = 0; p < v->parts; p++) {
        t.succ_words[p] = (v->out[p].off[n] + 63) / 64;
        if (!(t.succ[p] = hgc_big_calloc(t.succ_words[p] ? t.succ_words[p] : 1, sizeof(uint64_t))))
            goto oom;
    }
    for (int i = 0; i < threads; i++)
        if (!(t.m[i].stamp = hgc_big_calloc(n, sizeof *t.m[i].stamp)))
            goto oom;
    memset(t.d, 0xff, n * sizeof *t.d);
    rc = algo_sources_sweep_together(out->f64, n, sources, n_src, k->team, k->progress,
                                     brandes_team, &t, msg);
    goto done;
oom:
    snprintf(msg, ALGO_MSG_MAX, "betweenness-centrality: out of memory for the team's state");
done:
    for (int i = 0; t.m && i < threads; i++)
        hgc_big_free(t.m[i].stamp, n, sizeof *t.m[i].stamp);
    free(t.m);
    hgc_big_free(t.d, n, sizeof *t.d);
    hgc_big_free(t.sigma, n, sizeof *t.sigma);
    hgc_big_free(t.delta, n, sizeof *t.delta);
    hgc_big_free(t.q, n, sizeof *t.q);
    hgc_big_free(t.level, n + 2, sizeof *t.level);
    for (int p = 0; p < 2; p++)
        hgc_big_free(t.succ[p], t.succ_words[p] ? t.succ_words[p] : 1, sizeof(uint64_t));
    return rc;
}

/* The sweep with a source per member: its state (28n bytes) each. */
static int member_sweep(algo_output *out, const algo_kernel_ctx *k, const uint32_t *sources,
                        uint64_t n_src, char msg[ALGO_MSG_MAX])
{
    const algo_graph_view *v = k->view;
    uint64_t n = v->n;
    int threads = algo_team_size(k->team), rc = ALGO_ENOMEM;
    bc_run run = {.v = v, .s = calloc((size_t)threads, sizeof *run.s)};
    if (!run.s)
        goto oom;
    for (int t = 0; t < threads && n; t++) {
        scratch *s = &run.s[t];
        s->d = hgc_big_calloc(n, sizeof *s->d);
        s->sigma = hgc_big_calloc(n, sizeof *s->sigma);
        s->delta = hgc_big_calloc(n, sizeof *s->delta);
        s->order = hgc_big_calloc(n, sizeof *s->order);
        s->stamp = hgc_big_calloc(n, sizeof *s->stamp);
        if (!s->d || !s->sigma || !s->delta || !s->order || !s->stamp)
            goto oom;
        memset(s->d, 0xff, n * sizeof *s->d);
        memset(s->stamp, 0xff, n * sizeof *s->stamp);
    }
    rc = algo_sources_sweep(out->f64, n, sources, n_src, k->team, k->progress, brandes, &run, msg);
    goto done;
oom:
    snprintf(msg, ALGO_MSG_MAX, "betweenness-centrality: out of memory for %d threads' state",
             threads);
done:
    for (int t = 0; run.s && t < threads; t++) {
        hgc_big_free(run.s[t].d, n, sizeof *run.s[t].d);
        hgc_big_free(run.s[t].sigma, n, sizeof *run.s[t].sigma);
        hgc_big_free(run.s[t].delta, n, sizeof *run.s[t].delta);
        hgc_big_free(run.s[t].order, n, sizeof *run.s[t].order);
        hgc_big_free(run.s[t].stamp, n, sizeof *run.s[t].stamp);
    }
    free(run.s);
    return rc;
}

int algo_kernel_betweenness_centrality(algo_output *out, const algo_kernel_ctx *k,
                                       char msg[ALGO_MSG_MAX])
{
    const algo_betweenness_centrality_opts *o = k->opts;
    const algo_graph_view *v = k->view;
    uint32_t *sources = NULL;
    uint64_t n_src = 0;
    int rc = algo_sources_pick(&sources, &n_src, v->n, o->sample_rate, msg);
    if (rc != 0)
        return rc;
    rc = v->n >= TEAM_MIN_VERTICES ? team_sweep(out, k, sources, n_src, msg)
                                   : member_sweep(out, k, sources, n_src, msg);
    free(sources);
    if (rc == ALGO_ESTOPPED)
        snprintf(msg, ALGO_MSG_MAX, "betweenness-centrality: stopped");
    if (rc != 0)
        return rc;
    algo_output_stat_int(out, "sources", (int64_t)n_src);
    algo_output_stat_int(out, "threads", algo_team_size(k->team));
    if (v->m != k->graph->m)
        algo_output_stat_int(out, "effective_edges", (int64_t)v->m);
    return 0;
}
