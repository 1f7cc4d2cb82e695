/* closeness_centrality.c: harmonic closeness (docs/algorithms.md):
 *   C(v) = sum over sources u != v that reach v of 1 / d(u, v)
 * along the effective graph's edges (input.edge_direction), d in hops, or
 * along the weights of a weighted edge list with weight_property "weight"
 * (Dijkstra). Marchiori & Latora 2000, Boldi & Vigna 2014; equals NetworkX
 * harmonic_centrality(G[, distance="weight"]) at sample_rate 1. A smaller
 * rate uses a seeded sample of k sources and scales the sums by n/k
 * (Eppstein & Wang 2004).
 *
 * One direction-optimising BFS (or Dijkstra with an indexed binary heap)
 * per source, sources
 * spread over the team in fixed chunks, each member summing into its own
 * accumulator, accumulators added in chunk order (runtime/sources.h): the
 * same bits for any thread count. igraph's closeness is the speed peer.
 *
 * Cost: O(k (n + m)) hops, O(k (n + m) log n) weighted; memory beyond the
 * output, per member: the accumulator (8n) and a distance and a queue
 * (8n hops; 20n weighted), plus the sources (4n while picking).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/big_alloc.h"
#include "kernel.h"
#include "sources.h"
#include "specs/closeness_centrality.h"

#define NONE UINT32_MAX

typedef struct scratch {
    int32_t *hops;   /* -1: not reached */
    uint32_t *queue; /* BFS order; the reached set for Dijkstra */
    double *dist;    /* weighted: INFINITY when not reached */
    uint32_t *heap, *pos;
} scratch;

typedef struct cl_run {
    const algo_graph_view *v;
    algo_weights w[2]; /* per view part: edge weights, or none for hops */
    scratch *s;        /* per member */
} cl_run;

/* Direction-optimising BFS (Beamer, Asanovic, Patterson, SC 2012; GAPBS
 * bfs.cc): top-down steps scan the frontier's out-edges; once the frontier
 * has more out-edges than the unvisited vertices' in-edges / ALPHA, steps
 * go bottom-up (every unvisited vertex looks for a parent in the frontier
 * among its in-edges, stopping at the first), and back when the frontier
 * shrinks under n / BETA vertices. Each reached vertex adds 1/d once, so
 * the order of discovery does not change the sums. */
#define ALPHA 15
#define BETA  18

static uint64_t out_degree(const algo_graph_view *v, uint32_t u)
{
    return algo_view_out_degree(v, u);
}

static void bfs(void *arg, int tid, uint32_t src, double *acc)
{
    cl_run *run = arg;
    const algo_graph_view *v = run->v;
    int32_t *hops = run->s[tid].hops;
    uint32_t *q = run->s[tid].queue;
    const uint64_t n = v->n;
    uint64_t head = 0, tail = 1, unexplored = v->m, frontier_edges = out_degree(v, src);
    int32_t depth = 0;
    int bottom_up = 0;
    hops[src] = 0;
    q[0] = src;
    while (head < tail) {
        uint64_t level_end = tail;
        double inv = 1.0 / (double)(depth + 1);
        if (!bottom_up && frontier_edges > unexplored / ALPHA)
            bottom_up = 1;
        else if (bottom_up && level_end - head < n / BETA)
            bottom_up = 0;
        unexplored = unexplored > frontier_edges ? unexplored - frontier_edges : 0;
        frontier_edges = 0;
        if (bottom_up) {
            for (uint64_t x = 0; x < n; x++) {
                if (hops[x] >= 0)
                    continue;
                for (int p = 0; p < v->parts; p++) {
                    const algo_adj *a = &v->in[p];
                    uint64_t e = a->off[x], end = a->off[x + 1];
                    for (; e < end; e++)
                        if (hops[a->nbr[e]] == depth)
                            break;
                    if (e < end) {
                        hops[x] = depth + 1;
                        q[tail++] = (uint32_t)x;
                        acc[x] += inv;
                        frontier_edges += out_degree(v, (uint32_t)x);
                        break;
                    }
                }
            }
            head = level_end;
        } else {
            for (; head < level_end; head++) {
                uint32_t u = q[head];
                for (int p = 0; p < v->parts; p++) {
                    const algo_adj *a = &v->out[p];
                    for (uint64_t e = a->off[u]; e < a->off[u + 1]; e++) {
                        uint32_t x = a->nbr[e];
                        if (hops[x] < 0) {
                            hops[x] = depth + 1;
                            q[tail++] = x;
                            acc[x] += inv;
                            frontier_edges += out_degree(v, x);
                        }
                    }
                }
            }
        }
        depth++;
    }
    for (uint64_t i = 0; i < tail; i++)
        hops[q[i]] = -1;
}

/* ---- weighted: Dijkstra on an indexed binary heap ordered by (dist, vertex) */

static int before(const double *d, uint32_t a, uint32_t b)
{
    return d[a] < d[b] || (d[a] == d[b] && a < b);
}

static void sift_up(scratch *s, uint64_t i)
{
    uint32_t x = s->heap[i];
    while (i > 0) {
        uint64_t up = (i - 1) / 2;
        if (!before(s->dist, x, s->heap[up]))
            break;
        s->heap[i] = s->heap[up];
        s->pos[s->heap[i]] = (uint32_t)i;
        i = up;
    }
    s->heap[i] = x;
    s->pos[x] = (uint32_t)i;
}

static void sift_down(scratch *s, uint64_t i, uint64_t len)
{
    uint32_t x = s->heap[i];
    for (;;) {
        uint64_t c = 2 * i + 1;
        if (c >= len)
            break;
        if (c + 1 < len && before(s->dist, s->heap[c + 1], s->heap[c]))
            c++;
        if (!before(s->dist, s->heap[c], x))
            break;
        s->heap[i] = s->heap[c];
        s->pos[s->heap[i]] = (uint32_t)i;
        i = c;
    }
    s->heap[i] = x;
    s->pos[x] = (uint32_t)i;
}

static void dijkstra(void *arg, int tid, uint32_t src, double *acc)
{
    cl_run *run = arg;
    const algo_graph_view *v = run->v;
    scratch *s = &run->s[tid];
    double *d = s->dist;
    uint64_t len = 0, touched = 0;
    d[src] = 0;
    s->queue[touched++] = src;
    s->heap[len++] = src;
    s->pos[src] = 0;
    while (len > 0) {
        uint32_t u = s->heap[0];
        s->pos[u] = NONE;
        if (--len > 0) {
            s->heap[0] = s->heap[len];
            sift_down(s, 0, len);
        }
        if (d[u] > 0) /* NetworkX skips d == 0: the source, zero-weight edges */
            acc[u] += 1.0 / d[u];
        for (int p = 0; p < v->parts; p++) {
            const algo_adj *a = &v->out[p];
            algo_weights w = run->w[p];
            for (uint64_t e = a->off[u]; e < a->off[u + 1]; e++) {
                uint32_t x = a->nbr[e];
                double nd = d[u] + algo_weight(w, e);
                if (!(nd < d[x]))
                    continue;
                if (isinf(d[x]))
                    s->queue[touched++] = x;
                d[x] = nd;
                if (s->pos[x] == NONE) {
                    s->heap[len] = x;
                    sift_up(s, len++);
                } else {
                    sift_up(s, s->pos[x]);
                }
            }
        }
    }
    for (uint64_t i = 0; i < touched; i++)
        d[s->queue[i]] = INFINITY;
}

static int check_weights(cl_run *run, const algo_kernel_ctx *k, char msg[ALGO_MSG_MAX])
{
    const algo_graph *g = k->graph;
    const algo_graph_view *v = k->view;
    const char *prop = ((const algo_closeness_centrality_opts *)k->opts)->weight_property;
    if (strcmp(prop, "weight") != 0) {
        snprintf(msg, ALGO_MSG_MAX,
                 "closeness_centrality.weight_property '%.60s' is not supported: 'weight' (the "
                 "weights of a weighted edge list) or empty (hops)",
                 prop);
        return ALGO_EINVAL;
    }
    if (!algo_weights_on(g->out_w) || !algo_weights_on(g->in_w)) {
        snprintf(msg, ALGO_MSG_MAX,
                 "the graph has no edge weights: load 'src dst weight' lines, or leave "
                 "closeness_centrality.weight_property empty to count hops");
        return ALGO_EINVAL;
    }
    for (int p = 0; p < v->parts; p++)
        if (!algo_weights_on(run->w[p] = algo_adj_weights(g, &v->out[p]))) {
            snprintf(msg, ALGO_MSG_MAX,
                     "closeness_centrality.weight_property can't be combined with "
                     "input.edge_freq SINGLE or input.limit_edges_in_one_vertex yet");
            return ALGO_EINVAL;
        }
    for (uint64_t e = 0; e < g->m; e++)
        if (!(algo_weight(g->out_w, e) >= 0)) {
            snprintf(msg, ALGO_MSG_MAX, "closeness-centrality: edge weights must be >= 0, got %g",
                     algo_weight(g->out_w, e));
            return ALGO_EINVAL;
        }
    return 0;
}

int algo_kernel_closeness_centrality(algo_output *out, const algo_kernel_ctx *k,
                                     char msg[ALGO_MSG_MAX])
{
    const algo_closeness_centrality_opts *o = k->opts;
    const algo_graph_view *v = k->view;
    int threads = algo_team_size(k->team), weighted = o->weight_property[0] != '\0';
    uint32_t *sources = NULL;
    uint64_t n_src = 0, n = v->n;
    cl_run run = {.v = v};
    int rc = 0;

    if (weighted && (rc = check_weights(&run, k, msg)) != 0)
        return rc;
    if ((rc = algo_sources_pick(&sources, &n_src, n, o->sample_rate, msg)) != 0)
        return rc;
    run.s = calloc((size_t)threads, sizeof *run.s);
    if (!run.s)
        goto oom;
    for (int t = 0; t < threads && n; t++) {
        scratch *s = &run.s[t];
        s->queue = hgc_big_calloc(n, sizeof *s->queue);
        if (!s->queue)
            goto oom;
        if (weighted) {
            s->dist = hgc_big_calloc(n, sizeof *s->dist);
            s->heap = hgc_big_calloc(n, sizeof *s->heap);
            s->pos = hgc_big_calloc(n, sizeof *s->pos);
            if (!s->dist || !s->heap || !s->pos)
                goto oom;
            for (uint64_t x = 0; x < n; x++) {
                s->dist[x] = INFINITY;
                s->pos[x] = NONE;
            }
        } else {
            s->hops = hgc_big_calloc(n, sizeof *s->hops);
            if (!s->hops)
                goto oom;
            memset(s->hops, 0xff, n * sizeof *s->hops);
        }
    }
    rc = algo_sources_sweep(out->f64, n, sources, n_src, k->team, k->progress,
                            weighted ? dijkstra : bfs, &run, msg);
    if (rc == ALGO_ESTOPPED)
        snprintf(msg, ALGO_MSG_MAX, "closeness-centrality: stopped");
    if (rc != 0)
        goto done;
    algo_output_stat_int(out, "sources", (int64_t)n_src);
    algo_output_stat_bool(out, "weighted", weighted);
    algo_output_stat_int(out, "threads", threads);
    if (v->m != k->graph->m)
        algo_output_stat_int(out, "effective_edges", (int64_t)v->m);
    goto done;
oom:
    rc = ALGO_ENOMEM;
    snprintf(msg, ALGO_MSG_MAX, "closeness-centrality: out of memory for %d threads' state",
             threads);
done:
    for (int t = 0; run.s && t < threads; t++) {
        hgc_big_free(run.s[t].hops, n, sizeof *run.s[t].hops);
        hgc_big_free(run.s[t].queue, n, sizeof *run.s[t].queue);
        hgc_big_free(run.s[t].dist, n, sizeof *run.s[t].dist);
        hgc_big_free(run.s[t].heap, n, sizeof *run.s[t].heap);
        hgc_big_free(run.s[t].pos, n, sizeof *run.s[t].pos);
    }
    free(run.s);
    free(sources);
    return rc;
}
