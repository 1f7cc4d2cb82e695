/* sssp.c: single-source shortest paths (docs/algorithms.md): the distance
 * from one source to every vertex along the effective out-edges
 * (input.edge_direction, edge_freq, limit applied by graph_view.h), and a
 * predecessor per vertex from which the result reader rebuilds each
 * target's path. This file reads the options, finds the source and the
 * targets, resolves the weights and picks the search (sssp.h):
 *   - no weight property, every edge weighs `.default_weight`: a
 *     direction-optimising BFS (sssp_bfs.c; GAPBS bfs.cc the reference);
 *   - `.weight_property` "weight", the snapshot's edge weights (the third
 *     column of an edge list): delta-stepping (sssp_delta.c; GAPBS sssp.cc).
 * An edge the view took from the snapshot has its own weight; an edge of a
 * folded or limited view (a heap CSR) weighs the least of the snapshot's
 * edges it stands for. A weight that is not > 0 (or not finite) on an edge
 * out of a reached vertex is refused.
 *
 * Determinism: both searches give the same distances and predecessors for
 * any team size (sssp.h: the smallest in-neighbour on a shortest path).
 * Targets not in `.target_id` keep their predecessor (paths run through
 * them) but get an infinite distance: no row.
 *
 * Cost: the search's (see each file), plus a byte per vertex for the
 * targets when they are listed, and for a heap view with weights, a weight
 * per effective edge each way (16 m bytes, O(m log d) to fill).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sssp.h"
#include "specs/sssp.h"

typedef struct weights_job {
    const algo_graph *g;
    int dir; /* the view's algo_edge_dir */
    const algo_adj *adj;
    int in;    /* adj lists in-neighbours: the edge is nbr -> x */
    double *w; /* out: one per entry of adj */
} weights_job;

/* The least weight of the snapshot's edges a -> b in a sorted list. */
static double least_in_list(const uint64_t *off, const uint32_t *nbr, algo_weights w, uint32_t a,
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
        if (!(algo_weight(w, lo) >= best))
            best = algo_weight(w, lo);
    return best;
}

/* The weight of the effective edge a -> b of a heap view: the least of the
 * snapshot's edges it stands for. */
static double heap_edge_weight(const algo_graph *g, int dir, uint32_t a, uint32_t b)
{
    double w = INFINITY, x;
    if (dir != ALGO_DIR_IN) { /* the snapshot's a -> b */
        x = least_in_list(g->out_off, g->out_dst, g->out_w, a, b);
        if (!(x >= w))
            w = x;
    }
    if (dir != ALGO_DIR_OUT) { /* the snapshot's b -> a, reversed */
        x = least_in_list(g->in_off, g->in_src, g->in_w, a, b);
        if (!(x >= w))
            w = x;
    }
    return w;
}

static void weights_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    const weights_job *j = arg;
    for (uint64_t x = lo; x < hi; x++)
        for (uint64_t e = j->adj->off[x]; e < j->adj->off[x + 1]; e++) {
            uint32_t y = j->adj->nbr[e];
            j->w[e] = j->in ? heap_edge_weight(j->g, j->dir, y, (uint32_t)x)
                            : heap_edge_weight(j->g, j->dir, (uint32_t)x, y);
        }
}

/* The weights of adj's entries: the snapshot's own when adj is one of its
 * lists, else computed into *owned. None when out of memory. */
static algo_weights weights_for(const algo_kernel_ctx *k, const algo_adj *adj, int in,
                                double **owned)
{
    const algo_graph *g = k->graph;
    algo_weights w = algo_adj_weights(g, adj);
    if (algo_weights_on(w))
        return w;
    uint64_t m = adj->off[g->n];
    if (!(*owned = malloc((m ? m : 1) * sizeof **owned)))
        return w;
    weights_job j = {g, k->common->edge_direction, adj, in, *owned};
    algo_team_for(k->team, g->n, weights_block, &j);
    return (algo_weights){.d = *owned};
}

void sssp_id_text(const algo_graph *g, uint32_t v, char *buf, size_t cap)
{
    const algo_idmap *ids = &g->ids;
    if (algo_idmap_is_str(ids, v)) {
        uint64_t len = ids->str_off[v + 1] - ids->str_off[v];
        snprintf(buf, cap, "%.*s", (int)(len < 60 ? len : 60), ids->str + ids->str_off[v]);
    } else {
        snprintf(buf, cap, "%lld", (long long)ids->num[v]);
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
    const algo_graph_view *v = k->view;
    sssp_search s = {.g = g,
                     .view = v,
                     .team = k->team,
                     .progress = k->progress,
                     .dist = out->f64,
                     .pred = out->pred};
    unsigned char *is_target = NULL;
    double *owned[4] = {NULL, NULL, NULL, NULL};
    int weighted = 0, integer = 0, rc = 0;

    if (o->weight_property[0] == '\0') {
        s.w0 = o->default_weight;
    } else if (strcmp(o->weight_property, "weight") == 0) {
        if (!algo_weights_on(g->out_w) || !algo_weights_on(g->in_w)) {
            snprintf(msg, ALGO_MSG_MAX,
                     "sssp: the graph has no edge weights (load an edge list with a third "
                     "column), so single_source_shortest_path.weight_property must be empty");
            return ALGO_EINVAL;
        }
        weighted = 1;
    } else {
        snprintf(msg, ALGO_MSG_MAX,
                 "sssp: unknown weight property '%.60s'; edge weights are named \"weight\" "
                 "(or leave it empty for default_weight)",
                 o->weight_property);
        return ALGO_EINVAL;
    }
    size_t slen = strlen(o->source_id);
    const char *src_text = o->source_id;
    trim(&src_text, &slen);
    int64_t src = find_id(g, src_text, slen);
    if (src < 0) {
        snprintf(msg, ALGO_MSG_MAX, "sssp: source id '%.*s' is not in the graph",
                 (int)(slen < 60 ? slen : 60), src_text);
        return ALGO_EINVAL;
    }
    s.src = (uint32_t)src;
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

    if (weighted) {
        for (int p = 0; p < v->parts; p++) {
            s.out_w[p] = weights_for(k, &v->out[p], 0, &owned[2 * p]);
            s.in_w[p] = weights_for(k, &v->in[p], 1, &owned[2 * p + 1]);
            if (!algo_weights_on(s.out_w[p]) || !algo_weights_on(s.in_w[p])) {
                snprintf(msg, ALGO_MSG_MAX, "sssp: out of memory for the weights of %llu edges",
                         (unsigned long long)v->m);
                rc = ALGO_ENOMEM;
                goto done;
            }
        }
        rc = sssp_delta_run(&s, &integer, msg);
    } else {
        rc = sssp_bfs_run(&s, msg);
    }
    if (rc != 0)
        goto done;

    uint64_t reached = 0, rows = 0;
    for (uint64_t x = 0; x < g->n; x++) {
        if (isinf(s.dist[x]))
            continue;
        reached++;
        if (!all && !is_target[x])
            s.dist[x] = INFINITY; /* no row; the predecessor stays for paths */
        else
            rows++;
    }
    algo_output_stat_int(out, "reached", (int64_t)reached);
    algo_output_stat_int(out, "paths", (int64_t)rows);
    algo_output_stat_int(out, "threads", algo_team_size(k->team));
    algo_output_stat_bool(out, "bfs", !weighted);
    algo_output_stat_bool(out, "integer_weights", integer);
    if (v->m != g->m)
        algo_output_stat_int(out, "effective_edges", (int64_t)v->m);
done:
    for (int i = 0; i < 4; i++)
        free(owned[i]);
    free(is_target);
    return rc;
}
