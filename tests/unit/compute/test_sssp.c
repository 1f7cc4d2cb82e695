/* test_sssp.c: sssp (compute/kernels/sssp.c) through the kernel interface,
 * against LDBC Graphalytics' SSSP (weighted, relative 1e-4) and BFS (unit
 * weights: exact hop counts) references, and a plain Bellman-Ford written
 * here for the input options; every predecessor chain is checked to be a
 * path of real edges whose weights sum to the distance.
 *
 * Graphs are built here as plain CSR arrays (no snapshot file).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "specs/sssp.h"

#define GA HGC_TEST_DATA "/graphalytics/"

typedef struct tedge {
    uint32_t a, b;
    double w;
} tedge;

typedef struct tgraph {
    algo_graph g;
    uint64_t *out_off, *in_off;
    uint32_t *out_dst, *in_src;
    double *out_w, *in_w;
    int64_t *ids;
    uint64_t *str_off;
    tedge *edges; /* as given */
    uint64_t m;
} tgraph;

static int cmp_edge(const void *x, const void *y)
{
    const tedge *p = x, *q = y;
    if (p->a != q->a)
        return (p->a > q->a) - (p->a < q->a);
    if (p->b != q->b)
        return (p->b > q->b) - (p->b < q->b);
    return (p->w > q->w) - (p->w < q->w);
}

/* CSR of n vertices (ids 0..n-1 unless ids given) from m weighted edges. */
static void tgraph_build(tgraph *t, uint64_t n, const tedge *edges, uint64_t m, int64_t *ids)
{
    memset(t, 0, sizeof *t);
    tedge *tmp = malloc((m ? m : 1) * sizeof *tmp);
    t->out_off = calloc(n + 1, sizeof *t->out_off);
    t->in_off = calloc(n + 1, sizeof *t->in_off);
    t->out_dst = malloc((m ? m : 1) * sizeof *t->out_dst);
    t->in_src = malloc((m ? m : 1) * sizeof *t->in_src);
    t->out_w = malloc((m ? m : 1) * sizeof *t->out_w);
    t->in_w = malloc((m ? m : 1) * sizeof *t->in_w);
    t->edges = malloc((m ? m : 1) * sizeof *t->edges);
    t->str_off = calloc(n + 1, sizeof *t->str_off);
    cr_assert(tmp && t->out_off && t->in_off && t->out_dst && t->in_src && t->out_w && t->in_w &&
              t->edges && t->str_off);
    memcpy(t->edges, edges, m * sizeof *edges);
    t->m = m;
    for (int dir = 0; dir < 2; dir++) {
        uint64_t *off = dir ? t->in_off : t->out_off;
        uint32_t *nbr = dir ? t->in_src : t->out_dst;
        double *w = dir ? t->in_w : t->out_w;
        for (uint64_t e = 0; e < m; e++)
            tmp[e] =
                (tedge){dir ? edges[e].b : edges[e].a, dir ? edges[e].a : edges[e].b, edges[e].w};
        qsort(tmp, m, sizeof *tmp, cmp_edge);
        for (uint64_t e = 0; e < m; e++) {
            off[tmp[e].a + 1]++;
            nbr[e] = tmp[e].b;
            w[e] = tmp[e].w;
        }
        for (uint64_t v = 0; v < n; v++)
            off[v + 1] += off[v];
    }
    free(tmp);
    if (!ids) {
        ids = malloc((n ? n : 1) * sizeof *ids);
        for (uint64_t v = 0; v < n; v++)
            ids[v] = (int64_t)v;
    }
    t->ids = ids;
    t->g = (algo_graph){.n = n,
                        .m = m,
                        .ids = {.n = n, .num = ids, .str_off = t->str_off, .str = ""},
                        .out_off = t->out_off,
                        .out_dst = t->out_dst,
                        .out_w = {.d = t->out_w},
                        .in_off = t->in_off,
                        .in_src = t->in_src,
                        .in_w = {.d = t->in_w}};
}

static void tgraph_free(tgraph *t)
{
    free(t->out_off);
    free(t->in_off);
    free(t->out_dst);
    free(t->in_src);
    free(t->out_w);
    free(t->in_w);
    free(t->ids);
    free(t->str_off);
    free(t->edges);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static uint32_t index_of(const int64_t *ids, uint64_t n, int64_t id)
{
    const int64_t *p = bsearch(&id, ids, n, sizeof id, cmp_i64);
    cr_assert_not_null(p, "unknown vertex %lld", (long long)id);
    return (uint32_t)(p - ids);
}

/* A Graphalytics graph (undirected: both ways); weight 1 without a third
 * column. */
static void ga_load(tgraph *t, const char *name, int undirected)
{
    char path[512], line[256];
    int64_t *ids = NULL, id;
    size_t n = 0, cap = 0, m = 0, mcap = 0;
    snprintf(path, sizeof path, GA "%s.v", name);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    while (fscanf(f, "%lld", (long long *)&id) == 1) {
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            ids = realloc(ids, cap * sizeof *ids);
        }
        ids[n++] = id;
    }
    fclose(f);
    qsort(ids, n, sizeof *ids, cmp_i64);
    tedge *edges = NULL;
    snprintf(path, sizeof path, GA "%s.e", name);
    f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    long long a, b;
    double w;
    while (fgets(line, sizeof line, f)) {
        int k = sscanf(line, "%lld %lld %lf", &a, &b, &w);
        if (k < 2)
            continue;
        if (k == 2)
            w = 1;
        for (int r = 0; r < (undirected ? 2 : 1); r++) {
            if (m == mcap) {
                mcap = mcap ? 2 * mcap : 256;
                edges = realloc(edges, mcap * sizeof *edges);
            }
            edges[m++] = (tedge){index_of(ids, n, r ? b : a), index_of(ids, n, r ? a : b), w};
        }
    }
    fclose(f);
    tgraph_build(t, n, edges, m, ids);
    free(edges);
}

typedef struct run_opts {
    const char *keys[8];
    const char *vals[8];
    size_t n;
    int threads;
    algo_progress *progress;
} run_opts;

/* Runs sssp as the worker does; returns the kernel's code, msg filled. */
static int run_sssp(algo_output *out, const algo_graph *g, const run_opts *ro,
                    char msg[ALGO_MSG_MAX])
{
    const algo_spec *spec = algo_catalog_find("sssp");
    cr_assert_not_null(spec);
    algo_kernel_fn kernel = algo_kernel_for(spec);
    cr_assert_not_null(kernel);
    algo_params p;
    cr_assert_eq(algo_params_check(&p, spec, ro->keys, ro->vals, ro->n, msg), 0, "%s", msg);
    algo_common_opts common;
    algo_sssp_opts opts;
    cr_assert_eq(spec->opts_size, sizeof opts);
    cr_assert_eq(algo_params_fill(&p, &common, &opts, msg), 0, "%s", msg);
    algo_graph_view view;
    cr_assert_eq(algo_graph_view_init(&view, g, (algo_edge_dir)common.edge_direction,
                                      (algo_edge_freq)common.edge_freq, common.limit_edges, msg),
                 0, "%s", msg);
    algo_team *team;
    cr_assert_eq(algo_team_new(&team, ro->threads ? ro->threads : 1, msg), 0, "%s", msg);
    algo_comm comm;
    algo_comm_init_single(&comm);
    algo_progress none = {NULL, NULL, 0};
    cr_assert_eq(algo_output_init(out, spec->shape, g->n, msg), 0, "%s", msg);
    algo_kernel_ctx k = {
        g, &view, team, &comm, &common, &opts, ro->progress ? ro->progress : &none};
    int rc = kernel(out, &k, msg);
    algo_team_free(team);
    algo_graph_view_release(&view);
    algo_params_release(&p);
    return rc;
}

static void run_ok(algo_output *out, const algo_graph *g, const run_opts *ro)
{
    char msg[ALGO_MSG_MAX] = "";
    int rc = run_sssp(out, g, ro, msg);
    cr_assert_eq(rc, 0, "sssp failed (%d): %s", rc, msg);
    cr_assert_eq(out->shape, ALGO_OUT_PATHS);
}

/* The least weight of an edge a -> b among `edges` (dir 0 OUT, 1 IN,
 * 2 BOTH), or INFINITY. */
static double least_edge(const tgraph *t, int dir, uint32_t a, uint32_t b)
{
    double best = INFINITY;
    for (uint64_t e = 0; e < t->m; e++) {
        const tedge *x = &t->edges[e];
        if ((dir != 1 && x->a == a && x->b == b) || (dir != 0 && x->a == b && x->b == a))
            if (x->w < best)
                best = x->w;
    }
    return best;
}

/* Every row's predecessor chain is a path of edges from src whose weights
 * (unit_w > 0: that weight each) sum to its distance. */
static void check_paths(const tgraph *t, const algo_output *out, uint32_t src, int dir,
                        double unit_w)
{
    for (uint64_t v = 0; v < t->g.n; v++) {
        if (isinf(out->f64[v]))
            continue;
        double sum = 0;
        uint64_t x = v, hops = 0;
        while (x != src) {
            uint32_t p = out->pred[x];
            cr_assert_neq(p, ALGO_NO_VERTEX, "vertex %llu on a path has no predecessor",
                          (unsigned long long)x);
            double w = least_edge(t, dir, p, (uint32_t)x);
            cr_assert(!isinf(w), "no edge %u -> %llu", p, (unsigned long long)x);
            sum += unit_w > 0 ? unit_w : w;
            x = p;
            cr_assert_leq(++hops, t->g.n, "a cycle in the predecessors");
        }
        cr_expect_leq(fabs(sum - out->f64[v]), 1e-9 * (1 + out->f64[v]),
                      "vertex %llu: path weighs %g, distance %g", (unsigned long long)v, sum,
                      out->f64[v]);
    }
    cr_expect_eq(out->pred[src], src);
}

/* Compares distances with <name>-SSSP or -BFS. */
static void ga_compare(const tgraph *t, const char *file, const double *dist, double tol)
{
    char path[512];
    snprintf(path, sizeof path, GA "%s", file);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    long long id;
    char val[64];
    size_t seen = 0;
    while (fscanf(f, "%lld %63s", &id, val) == 2) {
        uint32_t v = index_of(t->ids, t->g.n, id);
        if (strcmp(val, "infinity") == 0 || strcmp(val, "9223372036854775807") == 0) {
            cr_expect(isinf(dist[v]), "%s vertex %lld: got %g, want unreached", file, id, dist[v]);
        } else {
            double want = strtod(val, NULL);
            cr_expect_leq(fabs(dist[v] - want), tol * fabs(want),
                          "%s vertex %lld: got %.17g want %s", file, id, dist[v], val);
        }
        seen++;
    }
    fclose(f);
    cr_expect_eq(seen, t->g.n);
}

#define SRC   "single_source_shortest_path.source_id"
#define TGT   "single_source_shortest_path.target_id"
#define WPROP "single_source_shortest_path.weight_property"
#define DEFW  "single_source_shortest_path.default_weight"

static void ga_case(const char *name, int undirected, int weighted, const char *ref, int src)
{
    char src_id[32];
    snprintf(src_id, sizeof src_id, "%d", src);
    tgraph t;
    ga_load(&t, name, undirected);
    run_opts ro = {.keys = {SRC, TGT, WPROP},
                   .vals = {src_id, "*", weighted ? "weight" : ""},
                   .n = 3,
                   .threads = 2};
    algo_output out;
    run_ok(&out, &t.g, &ro);
    ga_compare(&t, ref, out.f64, weighted ? 1e-4 : 0);
    check_paths(&t, &out, index_of(t.ids, t.g.n, src), 0, weighted ? 0 : 1);
    algo_output_release(&out);
    tgraph_free(&t);
}

Test(sssp, graphalytics_sssp_weighted)
{
    ga_case("example-directed", 0, 1, "example-directed-SSSP", 1);
    ga_case("example-undirected", 1, 1, "example-undirected-SSSP", 2);
    ga_case("test-sssp-directed", 0, 1, "test-sssp-directed-SSSP", 1);
    ga_case("test-sssp-undirected", 1, 1, "test-sssp-undirected-SSSP", 1);
}

Test(sssp, graphalytics_bfs_is_unit_weight_sssp)
{
    ga_case("example-directed", 0, 0, "example-directed-BFS", 1);
    ga_case("example-undirected", 1, 0, "example-undirected-BFS", 2);
    ga_case("test-bfs-directed", 0, 0, "test-bfs-directed-BFS", 1);
    ga_case("test-bfs-undirected", 1, 0, "test-bfs-undirected-BFS", 1);
}

/* Bellman-Ford over the edges as `dir` presents them, each a -> b weighing
 * the least of its parallel copies (the same for MULTIPLE). */
static void bellman_ford(const tgraph *t, int dir, uint32_t src, double *d)
{
    for (uint64_t v = 0; v < t->g.n; v++)
        d[v] = INFINITY;
    d[src] = 0;
    for (uint64_t it = 0; it < t->g.n; it++) {
        int changed = 0;
        for (uint64_t e = 0; e < t->m; e++)
            for (int r = 0; r < 2; r++) {
                if ((r == 0 && dir == 1) || (r == 1 && dir == 0))
                    continue;
                uint32_t a = r ? t->edges[e].b : t->edges[e].a;
                uint32_t b = r ? t->edges[e].a : t->edges[e].b;
                if (d[a] + t->edges[e].w < d[b]) {
                    d[b] = d[a] + t->edges[e].w;
                    changed = 1;
                }
            }
        if (!changed)
            break;
    }
}

/* A random sparse weighted graph with parallel edges, self-loops and
 * vertices without out-edges. */
static void random_graph(tgraph *t, uint64_t n, uint64_t m, unsigned seed)
{
    tedge *e = malloc(m * sizeof *e);
    uint64_t x = seed * 2654435761u + 1;
    for (uint64_t i = 0; i < m; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint32_t a = (uint32_t)(x % (n - n / 10)); /* the last tenth: no out-edges */
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint32_t b = (uint32_t)(x % n);
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        e[i] = (tedge){a, b, 0.5 + (double)(x % 16)}; /* ties are common */
        if (i % 97 == 0 && i)
            e[i] = (tedge){e[i - 1].a, e[i - 1].b, e[i - 1].w + 3}; /* a heavier parallel edge */
        if (i % 101 == 0)
            e[i].b = e[i].a; /* a self-loop */
    }
    tgraph_build(t, n, e, m, NULL);
    free(e);
}

Test(sssp, directions_and_folding_match_bellman_ford)
{
    tgraph t;
    random_graph(&t, 3000, 9000, 7);
    double *want = malloc(t.g.n * sizeof *want);
    const char *dirs[] = {"OUT", "IN", "BOTH"};
    for (int dir = 0; dir < 3; dir++)
        for (int fold = 0; fold < 2; fold++) {
            run_opts ro = {.keys = {SRC, TGT, WPROP, "input.edge_direction", "input.edge_freq"},
                           .vals = {"0", "*", "weight", dirs[dir], fold ? "SINGLE" : "MULTIPLE"},
                           .n = 5,
                           .threads = 2};
            algo_output out;
            run_ok(&out, &t.g, &ro);
            bellman_ford(&t, dir, 0, want);
            for (uint64_t v = 0; v < t.g.n; v++)
                cr_assert(out.f64[v] == want[v] || fabs(out.f64[v] - want[v]) < 1e-9,
                          "%s fold %d vertex %llu: got %g want %g", dirs[dir], fold,
                          (unsigned long long)v, out.f64[v], want[v]);
            check_paths(&t, &out, 0, dir, 0);
            algo_output_release(&out);
        }
    free(want);
    tgraph_free(&t);
}

Test(sssp, one_and_two_threads_agree)
{
    tgraph t;
    random_graph(&t, 20000, 60000, 3);
    run_opts ro = {.keys = {SRC, TGT, WPROP}, .vals = {"5", "*", "weight"}, .n = 3, .threads = 1};
    algo_output one, two;
    run_ok(&one, &t.g, &ro);
    ro.threads = 2;
    run_ok(&two, &t.g, &ro);
    cr_expect_eq(memcmp(one.f64, two.f64, t.g.n * sizeof(double)), 0);
    cr_expect_eq(memcmp(one.pred, two.pred, t.g.n * sizeof(uint32_t)), 0);
    algo_output_release(&one);
    algo_output_release(&two);
    tgraph_free(&t);
}

/* Whole-number weights held as uint32 (a snapshot stores them so when
 * every weight is one) give the same distances and paths as the same
 * weights held as doubles, borrowed lists and folded ones; a weight 0 is
 * refused the same way, and weights whose sums pass 2^32 move to the real
 * search the same way. */
static void expect_refused(const tgraph *t, const char *w, const char *src, const char *tgt,
                           const char *want);

/* A stat's integer value; fails the test if missing. */
static int64_t int_stat(const algo_output *out, const char *key)
{
    for (int i = 0; i < out->n_stats; i++)
        if (strcmp(out->stats[i].key, key) == 0)
            return out->stats[i].i;
    cr_assert_fail("no stat %s", key);
    return -1;
}

static void expect_same_as_doubles(const tgraph *t, const algo_graph *gu, int integer,
                                   const char *what)
{
    for (int c = 0; c < 3; c++) {
        const char *dir = c == 2 ? "BOTH" : "OUT", *freq = c == 1 ? "SINGLE" : "MULTIPLE";
        run_opts ro = {.keys = {SRC, TGT, WPROP, "input.edge_direction", "input.edge_freq"},
                       .vals = {"3", "*", "weight", dir, freq},
                       .n = 5,
                       .threads = 2};
        algo_output d, u;
        run_ok(&d, &t->g, &ro);
        run_ok(&u, gu, &ro);
        uint64_t reached = 0;
        for (uint64_t v = 0; v < t->g.n; v++)
            reached += !isinf(d.f64[v]);
        cr_assert_gt(reached, t->g.n / 2, "%s case %d", what, c);
        cr_expect_eq(memcmp(d.f64, u.f64, t->g.n * sizeof(double)), 0, "%s case %d", what, c);
        cr_expect_eq(memcmp(d.pred, u.pred, t->g.n * sizeof(uint32_t)), 0, "%s case %d", what, c);
        cr_expect_eq(int_stat(&d, "integer_weights"), integer, "%s case %d", what, c);
        cr_expect_eq(int_stat(&u, "integer_weights"), integer, "%s case %d", what, c);
        algo_output_release(&d);
        algo_output_release(&u);
    }
}

Test(sssp, whole_number_weights_give_what_double_weights_give)
{
    tgraph t;
    random_graph(&t, 5000, 15000, 11);
    uint32_t *uo = malloc(t.m * sizeof *uo), *ui = malloc(t.m * sizeof *ui);
    algo_graph gu = t.g;
    gu.out_w = (algo_weights){.u = uo};
    gu.in_w = (algo_weights){.u = ui};
    for (int big = 0; big < 2; big++) {
        for (uint64_t e = 0; e < t.m; e++) { /* 0.5 + k -> 1 + k, or 2^29 + k */
            t.out_w[e] = big ? 536870912.0 + floor(t.out_w[e]) : t.out_w[e] + 0.5;
            t.in_w[e] = big ? 536870912.0 + floor(t.in_w[e]) : t.in_w[e] + 0.5;
            uo[e] = (uint32_t)t.out_w[e];
            ui[e] = (uint32_t)t.in_w[e];
        }
        expect_same_as_doubles(&t, &gu, !big, big ? "sums past 2^32" : "whole");
    }

    /* a weight 0 on the way: refused, named, as with doubles */
    for (uint64_t e = 0; e < t.m; e++)
        uo[e] = ui[e] = 0;
    tgraph tu = t;
    tu.g = gu;
    expect_refused(&tu, "weight", "3", "*", "weighs 0");
    free(uo);
    free(ui);
    tgraph_free(&t);
}

Test(sssp, ties_take_the_smallest_predecessor)
{
    /* 0 -> 1, 0 -> 2, 1 -> 3, 2 -> 3: two shortest paths to 3 */
    tedge e[] = {{0, 2, 1}, {0, 1, 1}, {2, 3, 1}, {1, 3, 1}};
    tgraph t;
    tgraph_build(&t, 4, e, 4, NULL);
    run_opts ro = {.keys = {SRC, TGT}, .vals = {"0", "*"}, .n = 2, .threads = 2};
    algo_output out;
    run_ok(&out, &t.g, &ro);
    cr_expect_eq(out.pred[3], 1);
    cr_expect_eq(out.f64[3], 2);
    algo_output_release(&out);
    tgraph_free(&t);
}

Test(sssp, targets_and_default_weight)
{
    /* a chain 0 -> 1 -> 2 -> 3, and 4 alone */
    tedge e[] = {{0, 1, 9}, {1, 2, 9}, {2, 3, 9}};
    tgraph t;
    tgraph_build(&t, 5, e, 3, NULL);
    run_opts ro = {.keys = {SRC, TGT, DEFW}, .vals = {" 0 ", "3, 4", "2.5"}, .n = 3, .threads = 1};
    algo_output out;
    run_ok(&out, &t.g, &ro);
    cr_expect_eq(out.f64[3], 7.5); /* the default weight, not the stored 9 */
    cr_expect(isinf(out.f64[0]) && isinf(out.f64[1]) && isinf(out.f64[2]), "not targets: no row");
    cr_expect(isinf(out.f64[4]), "unreached: no row");
    cr_expect_eq(out.pred[3], 2);
    cr_expect_eq(out.pred[2], 1); /* kept so the path to 3 can be rebuilt */
    cr_expect_eq(out.pred[4], ALGO_NO_VERTEX);
    algo_output_release(&out);
    tgraph_free(&t);
}

Test(sssp, limit_changes_the_paths)
{
    /* 0 -> 1 (weight 1) -> 3, and 0 -> 2 -> 3; with one edge per vertex 0
     * keeps only 0 -> 1 */
    tedge e[] = {{0, 1, 1}, {0, 2, 1}, {2, 3, 1}};
    tgraph t;
    tgraph_build(&t, 4, e, 3, NULL);
    run_opts ro = {.keys = {SRC, TGT, "input.limit_edges_in_one_vertex"},
                   .vals = {"0", "*", "1"},
                   .n = 3,
                   .threads = 1};
    algo_output out;
    run_ok(&out, &t.g, &ro);
    cr_expect_eq(out.f64[1], 1);
    cr_expect(isinf(out.f64[2]) && isinf(out.f64[3]));
    algo_output_release(&out);
    tgraph_free(&t);
}

static void expect_refused(const tgraph *t, const char *w, const char *src, const char *tgt,
                           const char *want)
{
    run_opts ro = {.keys = {SRC, TGT, WPROP}, .vals = {src, tgt, w}, .n = 3, .threads = 1};
    algo_output out;
    char msg[ALGO_MSG_MAX] = "";
    cr_expect_eq(run_sssp(&out, &t->g, &ro, msg), ALGO_EINVAL);
    cr_expect(strstr(msg, want) != NULL, "message '%s' should say '%s'", msg, want);
    algo_output_release(&out);
}

Test(sssp, bad_input_is_refused_with_what_to_fix)
{
    tedge e[] = {{0, 1, 1}, {1, 2, 0}};
    tgraph t;
    tgraph_build(&t, 3, e, 2, NULL);
    expect_refused(&t, "weight", "0", "*", "weighs 0");
    expect_refused(&t, "", "7", "*", "source id '7' is not in the graph");
    expect_refused(&t, "", "0", "1,x", "target id 'x' is not in the graph");
    expect_refused(&t, "", "0", "1,,2", "empty id");
    expect_refused(&t, "cost", "0", "*", "unknown weight property 'cost'");
    t.g.out_w.d = NULL;
    expect_refused(&t, "weight", "0", "*", "no edge weights");
    tgraph_free(&t);

    /* before any kernel: the catalog */
    const algo_spec *spec = algo_catalog_find("sssp");
    algo_params p;
    char msg[ALGO_MSG_MAX] = "";
    const char *k1[] = {TGT};
    const char *v1[] = {"*"};
    cr_expect_neq(algo_params_check(&p, spec, k1, v1, 1, msg), 0);
    cr_expect(strstr(msg, SRC) != NULL, "%s", msg);
    const char *k2[] = {SRC, TGT, DEFW};
    const char *v2[] = {"1", "*", "0"};
    cr_expect_neq(algo_params_check(&p, spec, k2, v2, 3, msg), 0);
    cr_expect(strstr(msg, DEFW) != NULL, "%s", msg);
    const char *v3[] = {"", "*", "1"};
    cr_expect_neq(algo_params_check(&p, spec, k2, v3, 3, msg), 0);
    cr_expect(strstr(msg, "non-empty") != NULL, "%s", msg);
}

static int stop_hook(void *user, uint64_t done, uint64_t total, double metric)
{
    (void)total;
    (void)metric;
    int *calls = user;
    ++*calls;
    return done > 0;
}

Test(sssp, stops_when_the_progress_hook_asks)
{
    uint64_t n = 300000;
    tedge *e = malloc((n - 1) * sizeof *e);
    for (uint64_t i = 0; i + 1 < n; i++)
        e[i] = (tedge){(uint32_t)i, (uint32_t)i + 1, 1};
    tgraph t;
    tgraph_build(&t, n, e, n - 1, NULL);
    free(e);
    int calls = 0;
    algo_progress progress = {stop_hook, &calls, 0};
    run_opts ro = {
        .keys = {SRC, TGT}, .vals = {"0", "*"}, .n = 2, .threads = 2, .progress = &progress};
    algo_output out;
    char msg[ALGO_MSG_MAX] = "";
    cr_expect_eq(run_sssp(&out, &t.g, &ro, msg), ALGO_ESTOPPED, "%s", msg);
    cr_expect_eq(calls, 1, "the first report stops it");
    algo_output_release(&out);
    tgraph_free(&t);
}
