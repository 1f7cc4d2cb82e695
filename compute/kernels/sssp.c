/* sssp.c: single-source shortest paths (docs/algorithms.md): the distance
 * from one source to every vertex along the effective out-edges
 * (input.edge_direction, edge_freq, limit applied by graph_view.h), and a
 * predecessor per vertex from which the result reader rebuilds each
 * target's path. Dijkstra (1959) with a binary heap of (distance, vertex);
 * GAPBS sssp.cc (delta-stepping) and bfs.cc are the speed references.
 *
 * Weights: `.weight_property` empty: every edge weighs `.default_weight`;
 * "weight": the snapshot's edge weights (the third column of an edge list).
 * An edge the view took from the snapshot has its own weight; an edge of a
 * folded or limited view (a heap CSR) weighs the least of the snapshot's
 * edges it stands for. A weight that is not > 0 is refused.
 *
 * Determinism: Dijkstra runs on one thread (its order is fixed: the heap
 * breaks ties by vertex index). The predecessors are then chosen in
 * parallel over fixed blocks: for v, the smallest in-neighbour p with
 * dist(p) < dist(v) and dist(p) + w(p, v) == dist(v), the same for any
 * team size. Targets not in `.target_id` keep their predecessor (paths run
 * through them) but get an infinite distance: no row.
 *
 * Cost: O((n + m) log n) time; memory beyond the output (a double and a
 * vertex per vertex): the heap, at most m + 1 entries of 16 bytes (lazy
 * deletion), and a byte per vertex for the targets.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "specs/sssp.h"

/* Vertices settled between progress reports. */
#define SSSP_REPORT_EVERY 65536u

typedef struct heap_item {
    double d;
    uint32_t v;
} heap_item;

typedef struct sssp_run {
    const algo_graph *g;
    const algo_graph_view *view;
    int weighted;
    int dir;   /* the view's algo_edge_dir */
    double w0; /* the weight of every edge when not weighted */
    double *dist;
    uint32_t *pred;
    heap_item *heap;
    uint64_t hn, hcap;
} sssp_run;

static int item_less(heap_item a, heap_item b)
{
    return a.d < b.d || (a.d == b.d && a.v < b.v);
}

static int heap_push(sssp_run *r, double d, uint32_t v)
{
    if (r->hn == r->hcap) {
        uint64_t cap = r->hcap ? r->hcap * 2 : 1024;
        heap_item *h = realloc(r->heap, cap * sizeof *h);
        if (!h)
            return -1;
        r->heap = h;
        r->hcap = cap;
    }
    heap_item it = {d, v};
    uint64_t i = r->hn++;
    while (i > 0) {
        uint64_t p = (i - 1) / 2;
        if (!item_less(it, r->heap[p]))
            break;
        r->heap[i] = r->heap[p];
        i = p;
    }
    r->heap[i] = it;
    return 0;
}

static heap_item heap_pop(sssp_run *r)
{
    heap_item top = r->heap[0], last = r->heap[--r->hn];
    uint64_t i = 0, n = r->hn;
    for (;;) {
        uint64_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && item_less(r->heap[c + 1], r->heap[c]))
            c++;
        if (!item_less(r->heap[c], last))
            break;
        r->heap[i] = r->heap[c];
        i = c;
    }
    if (n)
        r->heap[i] = last;
    return top;
}

/* The least weight of the snapshot's edges a -> b in a sorted list. */
static double least_in_list(const uint64_t *off, const uint32_t *nbr, const double *w, uint32_t a,
                            uint32_t b)
{
    uint64_t lo = off[a], hi = off[a + 1];
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (nbr[mid] < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    double best = INFINITY;
    for (; lo < off[a + 1] && nbr[lo] == b; lo++)
        if (!(w[lo] >= best))
            best = w[lo];
    return best;
}

/* The weight of effective edge a -> b found at nbr[e] of a view range. */
static double edge_weight(const sssp_run *r, const uint32_t *nbr, uint64_t e, uint32_t a,
                          uint32_t b)
{
    const algo_graph *g = r->g;
    if (!r->weighted)
        return r->w0;
    if (nbr == g->out_dst)
        return g->out_w[e];
    if (nbr == g->in_src)
        return g->in_w[e];
    /* a heap view: the least of the snapshot's edges the edge stands for */
    double w = INFINITY, x;
    if (r->dir != ALGO_DIR_IN) { /* the snapshot's a -> b */
        x = least_in_list(g->out_off, g->out_dst, g->out_w, a, b);
        if (!(x >= w))
            w = x;
    }
    if (r->dir != ALGO_DIR_OUT) { /* the snapshot's b -> a, reversed */
        x = least_in_list(g->in_off, g->in_src, g->in_w, a, b);
        if (!(x >= w))
            w = x;
    }
    return w;
}

static void id_text(const algo_graph *g, uint32_t v, char *buf, size_t cap)
{
    const algo_idmap *ids = &g->ids;
    if (algo_idmap_is_str(ids, v)) {
        uint64_t len = ids->str_off[v + 1] - ids->str_off[v];
        snprintf(buf, cap, "%.*s", (int)(len < 60 ? len : 60), ids->str + ids->str_off[v]);
    } else {
        snprintf(buf, cap, "%lld", (long long)ids->num[v]);
    }
}

static int dijkstra(sssp_run *r, uint32_t src, algo_progress *progress, char msg[ALGO_MSG_MAX])
{
    const algo_graph_view *v = r->view;
    uint64_t settled = 0;
    r->dist[src] = 0;
    if (heap_push(r, 0, src) != 0)
        goto nomem;
    while (r->hn) {
        heap_item it = heap_pop(r);
        if (it.d > r->dist[it.v])
            continue; /* a stale entry */
        if (++settled % SSSP_REPORT_EVERY == 0 &&
            algo_progress_step(progress, settled, v->n, (double)it.d)) {
            snprintf(msg, ALGO_MSG_MAX, "sssp: stopped after %llu vertices",
                     (unsigned long long)settled);
            return ALGO_ESTOPPED;
        }
        for (int p = 0; p < v->parts; p++) {
            const algo_adj *a = &v->out[p];
            for (uint64_t e = a->off[it.v]; e < a->off[it.v + 1]; e++) {
                uint32_t x = a->nbr[e];
                double w = edge_weight(r, a->nbr, e, it.v, x);
                if (!(w > 0) || isinf(w)) {
                    char s[64], t[64];
                    id_text(r->g, it.v, s, sizeof s);
                    id_text(r->g, x, t, sizeof t);
                    snprintf(msg, ALGO_MSG_MAX,
                             "sssp: the edge %s -> %s weighs %g; weights must be finite and > 0", s,
                             t, w);
                    return ALGO_EINVAL;
                }
                double nd = it.d + w;
                if (nd < r->dist[x]) {
                    r->dist[x] = nd;
                    if (heap_push(r, nd, x) != 0)
                        goto nomem;
                }
            }
        }
    }
    algo_progress_step(progress, v->n, v->n, 0);
    return algo_progress_stopped(progress) ? ALGO_ESTOPPED : 0;
nomem:
    snprintf(msg, ALGO_MSG_MAX, "sssp: out of memory for the queue of %llu vertices",
             (unsigned long long)v->n);
    return ALGO_ENOMEM;
}

/* For each reached v: the smallest in-neighbour on a shortest path. */
static void choose_pred(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    const sssp_run *r = arg;
    const algo_graph_view *v = r->view;
    for (uint64_t x = lo; x < hi; x++) {
        double dx = r->dist[x];
        if (r->pred[x] != ALGO_NO_VERTEX || isinf(dx))
            continue; /* the source, or not reached */
        uint32_t best = ALGO_NO_VERTEX;
        for (int p = 0; p < v->parts; p++) {
            const algo_adj *a = &v->in[p];
            for (uint64_t e = a->off[x]; e < a->off[x + 1]; e++) {
                uint32_t u = a->nbr[e];
                if (u >= best || !(r->dist[u] < dx))
                    continue;
                /* the in-edge u -> x: its weight as u's out-edge */
                const uint32_t *nb = a->nbr;
                double w;
                if (!r->weighted)
                    w = r->w0;
                else if (nb == r->g->in_src)
                    w = r->g->in_w[e];
                else if (nb == r->g->out_dst)
                    w = r->g->out_w[e];
                else
                    w = edge_weight(r, NULL, 0, u, (uint32_t)x);
                if (r->dist[u] + w == dx)
                    best = u;
            }
        }
        r->pred[x] = best;
    }
}

/* A vertex by the id text `s` (len bytes): its index, or -1. */
static int64_t find_id(const algo_graph *g, const char *s, size_t len)
{
    char buf[64], *end;
    if (len > 0 && len < sizeof buf) {
        memcpy(buf, s, len);
        buf[len] = '\0';
        long long x = strtoll(buf, &end, 10);
        if (*end == '\0' && end != buf) {
            int64_t i = algo_graph_find_num(g, (int64_t)x);
            if (i >= 0)
                return i;
        }
    }
    return algo_graph_find_str(g, s, len);
}

static void trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* Marks the targets of `list` in is_target[]; 0, or ALGO_EINVAL with msg. */
static int mark_targets(const algo_graph *g, const char *list, unsigned char *is_target,
                        char msg[ALGO_MSG_MAX])
{
    const char *p = list;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *s = p;
        trim(&s, &len);
        if (len == 0) {
            snprintf(msg, ALGO_MSG_MAX,
                     "sssp: single_source_shortest_path.target_id has an empty id; give ids "
                     "separated by commas, or *");
            return ALGO_EINVAL;
        }
        int64_t i = find_id(g, s, len);
        if (i < 0) {
            snprintf(msg, ALGO_MSG_MAX, "sssp: target id '%.*s' is not in the graph",
                     (int)(len < 60 ? len : 60), s);
            return ALGO_EINVAL;
        }
        is_target[i] = 1;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

int algo_kernel_sssp(algo_output *out, const algo_kernel_ctx *k, char msg[ALGO_MSG_MAX])
{
    const algo_sssp_opts *o = k->opts;
    const algo_graph *g = k->graph;
    sssp_run r = {.g = g,
                  .view = k->view,
                  .dir = k->common->edge_direction,
                  .dist = out->f64,
                  .pred = out->pred};
    unsigned char *is_target = NULL;
    int rc = 0;

    if (o->weight_property[0] == '\0') {
        r.w0 = o->default_weight;
    } else if (strcmp(o->weight_property, "weight") == 0) {
        if (!g->out_w || !g->in_w) {
            snprintf(msg, ALGO_MSG_MAX,
                     "sssp: the graph has no edge weights (load an edge list with a third "
                     "column), so single_source_shortest_path.weight_property must be empty");
            return ALGO_EINVAL;
        }
        r.weighted = 1;
    } else {
        snprintf(msg, ALGO_MSG_MAX,
                 "sssp: unknown weight property '%.60s'; edge weights are named \"weight\" "
                 "(or leave it empty for default_weight)",
                 o->weight_property);
        return ALGO_EINVAL;
    }
    size_t slen = strlen(o->source_id);
    const char *s = o->source_id;
    trim(&s, &slen);
    int64_t src = find_id(g, s, slen);
    if (src < 0) {
        snprintf(msg, ALGO_MSG_MAX, "sssp: source id '%.*s' is not in the graph",
                 (int)(slen < 60 ? slen : 60), s);
        return ALGO_EINVAL;
    }
    int all = strcmp(o->target_id, "*") == 0;
    if (!all) {
        is_target = calloc(g->n ? g->n : 1, 1);
        if (!is_target) {
            snprintf(msg, ALGO_MSG_MAX, "sssp: out of memory for the targets");
            return ALGO_ENOMEM;
        }
        rc = mark_targets(g, o->target_id, is_target, msg);
        if (rc != 0)
            goto done;
    }

    for (uint64_t x = 0; x < g->n; x++) {
        r.dist[x] = INFINITY;
        r.pred[x] = ALGO_NO_VERTEX;
    }
    rc = dijkstra(&r, (uint32_t)src, k->progress, msg);
    if (rc != 0)
        goto done;
    r.pred[src] = (uint32_t)src;
    algo_team_for(k->team, g->n, choose_pred, &r);

    uint64_t reached = 0, rows = 0;
    for (uint64_t x = 0; x < g->n; x++) {
        if (isinf(r.dist[x]))
            continue;
        reached++;
        if (!all && !is_target[x])
            r.dist[x] = INFINITY; /* no row; the predecessor stays for paths */
        else
            rows++;
    }
    algo_output_stat_int(out, "reached", (int64_t)reached);
    algo_output_stat_int(out, "paths", (int64_t)rows);
    algo_output_stat_int(out, "threads", algo_team_size(k->team));
    if (k->view->m != g->m)
        algo_output_stat_int(out, "effective_edges", (int64_t)k->view->m);
done:
    free(r.heap);
    free(is_target);
    return rc;
}
