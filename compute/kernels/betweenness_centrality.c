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
 * a stamp per vertex skips a parallel edge's second copy. Sources are
 * spread over the team in fixed chunks, each member summing into its own
 * accumulator, added in chunk order (runtime/sources.h): the same bits
 * for any thread count.
 *
 * Cost: O(k (n + m)); memory beyond the output, per member: the
 * accumulator (8n), distances, path counts, dependencies, the BFS order and
 * the stamps (28n), plus the sources (4n while picking).
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

int algo_kernel_betweenness_centrality(algo_output *out, const algo_kernel_ctx *k,
                                       char msg[ALGO_MSG_MAX])
{
    const algo_betweenness_centrality_opts *o = k->opts;
    const algo_graph_view *v = k->view;
    int threads = algo_team_size(k->team);
    uint32_t *sources = NULL;
    uint64_t n_src = 0, n = v->n;
    bc_run run = {.v = v};
    int rc = 0;

    if ((rc = algo_sources_pick(&sources, &n_src, n, o->sample_rate, msg)) != 0)
        return rc;
    run.s = calloc((size_t)threads, sizeof *run.s);
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
    if (rc == ALGO_ESTOPPED)
        snprintf(msg, ALGO_MSG_MAX, "betweenness-centrality: stopped");
    if (rc != 0)
        goto done;
    algo_output_stat_int(out, "sources", (int64_t)n_src);
    algo_output_stat_int(out, "threads", threads);
    if (v->m != k->graph->m)
        algo_output_stat_int(out, "effective_edges", (int64_t)v->m);
    goto done;
oom:
    rc = ALGO_ENOMEM;
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
    free(sources);
    return rc;
}
