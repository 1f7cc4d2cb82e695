/* degree_centrality.c: the (weighted) degree of every vertex in the
 * effective graph (docs/algorithms.md; NetworkX `degree`, igraph
 * `igraph_strength` is the speed reference): degree_centrality.direction
 * `out` counts the effective out-edges, `in` the in-edges, `both` both
 * (a self-loop then counts twice, as NetworkX counts it).
 *
 * degree_centrality.weight_property: empty counts every edge 1; `weight`
 * sums the graph's edge weights (a weighted edge list's third column, or
 * the edge property `weight` of label `edge`), which the snapshot keeps
 * beside its edges. Any other name, or `weight` on a graph without
 * weights, is refused with a message saying so; so are weights with
 * input.edge_freq SINGLE (a folded edge has no one weight) or a limit
 * that cuts lists (the cut order among parallel edges is the view's).
 *
 * Each vertex's sum is taken in adjacency order by one thread: the same
 * bits for any team size.
 *
 * Cost: O(n) unweighted, O(n + m) weighted; no memory beyond the output.
 */
#include <stdio.h>
#include <string.h>

#include "kernel.h"
#include "specs/degree_centrality.h"

typedef struct dc_run {
    const algo_graph_view *v;
    const algo_graph *g;
    int direction;
    double *deg;
} dc_run;

static double weighted(const algo_graph *g, const algo_adj *a, int parts, uint64_t x)
{
    double s = 0;
    for (int p = 0; p < parts; p++) {
        algo_weights w = algo_adj_weights(g, &a[p]);
        for (uint64_t e = a[p].off[x]; e < a[p].off[x + 1]; e++)
            s += algo_weight(w, e);
    }
    return s;
}

static void count_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    dc_run *r = arg;
    for (uint64_t x = lo; x < hi; x++) {
        uint64_t d = 0;
        if (r->direction != ALGO_DEGREE_IN)
            d += algo_view_out_degree(r->v, x);
        if (r->direction != ALGO_DEGREE_OUT)
            d += algo_view_in_degree(r->v, x);
        r->deg[x] = (double)d;
    }
}

static void weight_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    dc_run *r = arg;
    for (uint64_t x = lo; x < hi; x++) {
        double s = 0;
        if (r->direction != ALGO_DEGREE_IN)
            s += weighted(r->g, r->v->out, r->v->parts, x);
        if (r->direction != ALGO_DEGREE_OUT)
            s += weighted(r->g, r->v->in, r->v->parts, x);
        r->deg[x] = s;
    }
}

int algo_kernel_degree_centrality(algo_output *out, const algo_kernel_ctx *k,
                                  char msg[ALGO_MSG_MAX])
{
    const algo_degree_centrality_opts *o = k->opts;
    const char *wp = o->weight_property ? o->weight_property : "";
    dc_run r = {.v = k->view, .g = k->graph, .direction = o->direction, .deg = out->f64};
    if (*wp) {
        if (strcmp(wp, "weight") != 0) {
            snprintf(msg, ALGO_MSG_MAX,
                     "degree-centrality: degree_centrality.weight_property '%.60s' is not an edge "
                     "weight of this graph: only 'weight' (the graph's edge weights) or empty "
                     "(every edge counts 1)",
                     wp);
            return ALGO_EINVAL;
        }
        if (!algo_weights_on(k->graph->out_w) || !algo_weights_on(k->graph->in_w)) {
            snprintf(msg, ALGO_MSG_MAX,
                     "degree-centrality: degree_centrality.weight_property is 'weight' but this "
                     "graph has no edge weights (load 'src dst weight' lines, or edges with the "
                     "property 'weight'); leave it empty to count every edge 1");
            return ALGO_EINVAL;
        }
        if (k->view->heap_) {
            snprintf(msg, ALGO_MSG_MAX,
                     "degree-centrality: edge weights can't be summed with input.edge_freq "
                     "SINGLE or SINGLE_PER_LABEL (a folded edge has no one weight) or with "
                     "input.limit_edges_in_one_vertex cutting lists; use MULTIPLE and -1");
            return ALGO_EINVAL;
        }
        algo_team_for(k->team, k->view->n, weight_block, &r);
    } else {
        algo_team_for(k->team, k->view->n, count_block, &r);
    }
    algo_progress_step(k->progress, 1, 1, 0);
    algo_output_stat_bool(out, "weighted", *wp != 0);
    algo_output_stat_int(out, "threads", algo_team_size(k->team));
    if (k->view->m != k->graph->m)
        algo_output_stat_int(out, "effective_edges", (int64_t)k->view->m);
    return 0;
}
