/* test_sssp_parallel.c: sssp's parallel searches (compute/kernels/
 * sssp_bfs.c for one weight everywhere, sssp_delta.c for the edges' own
 * weights, on integer labels or on doubles) against a plain Dijkstra
 * written here, on random graphs of several shapes (uniform, hub-heavy,
 * long and thin; with isolated vertices, self-loops, parallel edges and
 * sinks), and 1, 2 and 3 threads giving the same distances and
 * predecessors bit for bit. The `integer_weights` stat must say the
 * integer search gave the result exactly when every edge out of a reached
 * vertex weighs a whole number and every distance it offers is below
 * 2^32 - 1: small whole weights take it, a fraction met on the way or
 * sums past 2^32 make it give way to the doubles.
 *
 * The reference: Dijkstra with a binary heap, sums in double along the
 * path (so delta-stepping must give exactly these doubles), and the
 * predecessor of v the smallest p with an edge p -> v, dist(p) < dist(v)
 * and dist(p) + w == dist(v), found by looking at every edge.
 */
#include "kernel_fixture.h"

#define SRC   "single_source_shortest_path.source_id"
#define TGT   "single_source_shortest_path.target_id"
#define WPROP "single_source_shortest_path.weight_property"
#define DEFW  "single_source_shortest_path.default_weight"
#define DIR   "input.edge_direction"

typedef struct wedges {
    uint32_t *src, *dst;
    double *w;
    uint64_t n, m;
} wedges;

static uint64_t rng_below(uint64_t k)
{
    return fixture_rng() % k;
}

enum shape { UNIFORM, HUBS, THIN };
enum weights {
    UNIT,
    SMALL_INT, /* 1..8 */
    BIG_INT,   /* 2^31 .. 2^31 + 2^20: two edges add past 2^32 */
    MIXED,     /* 1..8, and every 50th edge half more */
    REAL,
};

/* n vertices of which the last tenth are isolated (no edges at all) and
 * another tenth sinks (no out-edges); self-loops and parallel edges mixed
 * in. */
static void make_edges(wedges *e, uint64_t n, uint64_t m, enum shape shape, enum weights wk)
{
    e->n = n;
    e->m = m;
    e->src = malloc(m * sizeof *e->src);
    e->dst = malloc(m * sizeof *e->dst);
    e->w = malloc(m * sizeof *e->w);
    cr_assert(e->src && e->dst && e->w);
    uint64_t live = n - n / 10, has_out = live - n / 10;
    for (uint64_t i = 0; i < m; i++) {
        uint64_t a, b;
        if (shape == HUBS) { /* skewed both ways: a few vertices hold most edges */
            double r1 = (double)rng_below(1u << 30) / (1u << 30);
            double r2 = (double)rng_below(1u << 30) / (1u << 30);
            a = (uint64_t)((double)has_out * r1 * r1 * r1);
            b = (uint64_t)((double)live * r2 * r2);
        } else if (shape == THIN) { /* mostly to a near successor: many levels */
            a = rng_below(has_out);
            b = a + 1 + rng_below(3);
            if (rng_below(50) == 0)
                b = rng_below(live);
            if (b >= live)
                b = rng_below(live);
        } else {
            a = rng_below(has_out);
            b = rng_below(live);
        }
        if (i % 53 == 0)
            b = a; /* a self-loop */
        if (i % 41 == 0 && i > 0) {
            a = e->src[i - 1]; /* a parallel edge */
            b = e->dst[i - 1];
        }
        e->src[i] = (uint32_t)a;
        e->dst[i] = (uint32_t)b;
        if (wk == UNIT)
            e->w[i] = 1;
        else if (wk == SMALL_INT)
            e->w[i] = (double)(1 + rng_below(8)); /* many ties */
        else if (wk == BIG_INT)
            e->w[i] = (double)((1ull << 31) + rng_below(1u << 20));
        else if (wk == MIXED)
            e->w[i] = (double)(1 + rng_below(8)) + (i % 50 == 25 ? 0.5 : 0);
        else
            e->w[i] = (double)(1 + rng_below(1u << 20)) / 3e5; /* inexact sums */
    }
}

static void free_edges(wedges *e)
{
    free(e->src);
    free(e->dst);
    free(e->w);
}

/* Builds t from e (weights unless UNIT) with ids 0..n-1; *str_off is the
 * (empty) string part of the id map, the caller frees it. */
static void build(tgraph *t, const wedges *e, enum weights wk, uint64_t **str_off)
{
    tgraph_build_w(t, e->n, e->src, e->dst, wk == UNIT ? NULL : e->w, e->m);
    t->ids = malloc(e->n * sizeof *t->ids);
    *str_off = calloc(e->n + 1, sizeof **str_off);
    cr_assert(t->ids && *str_off);
    for (uint64_t v = 0; v < e->n; v++)
        t->ids[v] = (int64_t)v;
    t->g.ids = (algo_idmap){.n = e->n, .num = t->ids, .str_off = *str_off, .str = ""};
}

typedef struct hitem {
    double d;
    uint32_t v;
} hitem;

/* The reference: Dijkstra over the edges (both ways when `both`), then the
 * smallest predecessor on a shortest path by a look at every edge. */
static void reference(const wedges *e, int both, uint32_t src, double *dist, uint32_t *pred)
{
    uint64_t n = e->n, m2 = both ? 2 * e->m : e->m;
    uint64_t *off = calloc(n + 1, sizeof *off);
    uint32_t *to = malloc(m2 * sizeof *to);
    double *w = malloc(m2 * sizeof *w);
    hitem *heap = malloc((m2 + 1) * sizeof *heap);
    cr_assert(off && to && w && heap);
    for (uint64_t i = 0; i < m2; i++)
        off[(i < e->m ? e->src[i] : e->dst[i - e->m]) + 1]++;
    for (uint64_t v = 0; v < n; v++)
        off[v + 1] += off[v];
    uint64_t *fill = malloc(n * sizeof *fill);
    memcpy(fill, off, n * sizeof *fill);
    for (uint64_t i = 0; i < m2; i++) {
        uint64_t j = i < e->m ? i : i - e->m;
        uint32_t a = i < e->m ? e->src[j] : e->dst[j], b = i < e->m ? e->dst[j] : e->src[j];
        to[fill[a]] = b;
        w[fill[a]++] = e->w[j];
    }
    for (uint64_t v = 0; v < n; v++) {
        dist[v] = INFINITY;
        pred[v] = ALGO_NO_VERTEX;
    }
    uint64_t hn = 0;
    dist[src] = 0;
    heap[hn++] = (hitem){0, src};
    while (hn) {
        hitem top = heap[0], last = heap[--hn];
        uint64_t i = 0;
        for (;;) { /* sift `last` down from the root */
            uint64_t c = 2 * i + 1;
            if (c >= hn)
                break;
            if (c + 1 < hn && heap[c + 1].d < heap[c].d)
                c++;
            if (!(heap[c].d < last.d))
                break;
            heap[i] = heap[c];
            i = c;
        }
        if (hn)
            heap[i] = last;
        if (top.d > dist[top.v])
            continue;
        for (uint64_t k = off[top.v]; k < off[top.v + 1]; k++) {
            double nd = top.d + w[k];
            if (nd < dist[to[k]]) {
                dist[to[k]] = nd;
                uint64_t j = hn++;
                while (j > 0 && nd < heap[(j - 1) / 2].d) {
                    heap[j] = heap[(j - 1) / 2];
                    j = (j - 1) / 2;
                }
                heap[j] = (hitem){nd, to[k]};
            }
        }
    }
    for (uint64_t a = 0; a < n; a++)
        for (uint64_t k = off[a]; k < off[a + 1]; k++) {
            uint32_t b = to[k];
            if (b != src && dist[a] < dist[b] && dist[a] + w[k] == dist[b] && a < pred[b])
                pred[b] = (uint32_t)a;
        }
    pred[src] = src;
    free(off);
    free(to);
    free(w);
    free(heap);
    free(fill);
}

/* A source among the edges' that reaches at least a third of the vertices. */
static uint32_t good_source(const wedges *e, int both)
{
    double *d = malloc(e->n * sizeof *d);
    uint32_t *p = malloc(e->n * sizeof *p);
    cr_assert(d && p);
    for (uint64_t i = 1; i < e->m && i < 200; i += 7) {
        reference(e, both, e->src[i], d, p);
        uint64_t reached = 0;
        for (uint64_t v = 0; v < e->n; v++)
            reached += !isinf(d[v]);
        if (reached >= e->n / 3) {
            free(d);
            free(p);
            return e->src[i];
        }
    }
    cr_assert_fail("no source reaches a third of the graph");
    return 0;
}

/* Whether the integer search should give the result: every edge out of a
 * reached vertex (either end when `both`) whole, and what it offers, the
 * tail's distance + its weight, below 2^32 - 1. */
static int integer_search_expected(const wedges *e, enum weights wk, int both, const double *dist)
{
    if (wk == UNIT)
        return 0; /* the BFS runs */
    for (uint64_t i = 0; i < e->m; i++)
        for (int end = 0; end <= both; end++) {
            double d = dist[end ? e->dst[i] : e->src[i]];
            if (!isinf(d) && (e->w[i] != floor(e->w[i]) || d + e->w[i] >= 4294967295.0))
                return 0;
        }
    return 1;
}

/* sssp on the graph with 1, 2 and 3 threads: each equal to the reference
 * (distances as doubles, exactly) and to each other. Returns whether the
 * integer search gave the result. */
static int check_case(const char *what, const wedges *e, enum weights wk, int both, uint32_t src)
{
    tgraph t;
    uint64_t *str_off;
    build(&t, e, wk, &str_off);
    double *want = malloc(e->n * sizeof *want);
    uint32_t *want_pred = malloc(e->n * sizeof *want_pred);
    reference(e, both, src, want, want_pred);
    char src_id[32];
    snprintf(src_id, sizeof src_id, "%u", src);
    const char *keys[] = {SRC, TGT, DIR, WPROP};
    const char *vals[] = {src_id, "*", both ? "BOTH" : "OUT", wk == UNIT ? "" : "weight"};
    algo_output first;
    uint64_t reached = 0;
    for (uint64_t v = 0; v < e->n; v++)
        reached += !isinf(want[v]);
    cr_assert_gt(reached, e->n / 4, "%s: the source reaches %llu of %llu", what,
                 (unsigned long long)reached, (unsigned long long)e->n);
    int integer = integer_search_expected(e, wk, both, want);
    for (int threads = 1; threads <= 3; threads++) {
        algo_output out;
        run_job(&out, &t.g, "sssp", keys, vals, 4, threads);
        cr_assert_eq(out_stat(&out, "bfs")->i, wk == UNIT, "%s: the search chosen", what);
        cr_assert_eq(out_stat(&out, "integer_weights")->i, integer,
                     "%s, %d threads: integer labels %d, want %d", what, threads,
                     (int)out_stat(&out, "integer_weights")->i, integer);
        for (uint64_t v = 0; v < e->n; v++) {
            cr_assert(out.f64[v] == want[v] || (isinf(out.f64[v]) && isinf(want[v])),
                      "%s, %d threads, vertex %llu: distance %.17g, Dijkstra %.17g", what, threads,
                      (unsigned long long)v, out.f64[v], want[v]);
            cr_assert_eq(out.pred[v], want_pred[v],
                         "%s, %d threads, vertex %llu: predecessor %u, want %u", what, threads,
                         (unsigned long long)v, out.pred[v], want_pred[v]);
        }
        if (threads == 1) {
            first = out;
        } else {
            cr_assert_eq(memcmp(first.f64, out.f64, e->n * sizeof *out.f64), 0, "%s", what);
            cr_assert_eq(memcmp(first.pred, out.pred, e->n * sizeof *out.pred), 0, "%s", what);
            algo_output_release(&out);
        }
    }
    algo_output_release(&first);
    free(want);
    free(want_pred);
    tgraph_free(&t);
    free(str_off);
    return integer;
}

/* Every shape; how many of them the integer search gave. */
static int shapes(enum weights wk)
{
    static const struct {
        const char *name;
        enum shape shape;
        uint64_t n, m;
        int both;
    } cases[] = {
        {"uniform", UNIFORM, 3000, 12000, 0},
        {"uniform, both ways", UNIFORM, 3000, 9000, 1},
        {"hubs", HUBS, 40000, 400000, 0},
        {"hubs, both ways", HUBS, 20000, 150000, 1},
        {"thin", THIN, 20000, 40000, 0},
        {"tiny", UNIFORM, 12, 30, 0},
        {"bigger uniform", UNIFORM, 30000, 240000, 0},
    };
    int integer = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        wedges e;
        make_edges(&e, cases[i].n, cases[i].m, cases[i].shape, wk);
        integer += check_case(cases[i].name, &e, wk, cases[i].both, good_source(&e, cases[i].both));
        free_edges(&e);
    }
    return integer;
}

Test(sssp_parallel, unit_weights_bfs_matches_dijkstra)
{
    shapes(UNIT);
}

Test(sssp_parallel, small_integer_weights_match_dijkstra)
{
    cr_expect_eq(shapes(SMALL_INT), 7, "every shape on integer labels");
}

Test(sssp_parallel, sums_past_2_to_the_32_give_way_to_doubles)
{
    cr_expect_eq(shapes(BIG_INT), 0, "no shape on integer labels");
}

Test(sssp_parallel, a_fraction_on_the_way_gives_way_to_doubles)
{
    cr_expect_eq(shapes(MIXED), 0, "no shape on integer labels");
}

Test(sssp_parallel, real_weights_give_dijkstras_doubles)
{
    cr_expect_eq(shapes(REAL), 0, "no shape on integer labels");
}

Test(sssp_parallel, default_weight_scales_levels)
{
    wedges e;
    make_edges(&e, 5000, 20000, UNIFORM, UNIT);
    tgraph t;
    uint64_t *str_off;
    build(&t, &e, UNIT, &str_off);
    const char *keys[] = {SRC, TGT, DEFW};
    const char *vals[] = {"0", "*", "0.25"};
    double *want = malloc(e.n * sizeof *want);
    uint32_t *want_pred = malloc(e.n * sizeof *want_pred);
    uint32_t src = good_source(&e, 0);
    char src_id[32];
    snprintf(src_id, sizeof src_id, "%u", src);
    vals[0] = src_id;
    reference(&e, 0, src, want, want_pred);
    algo_output out;
    run_job(&out, &t.g, "sssp", keys, vals, 3, 2);
    for (uint64_t v = 0; v < e.n; v++) {
        cr_assert(isinf(want[v]) ? isinf(out.f64[v]) : out.f64[v] == want[v] * 0.25,
                  "vertex %llu: %g, want %g levels", (unsigned long long)v, out.f64[v], want[v]);
        cr_assert_eq(out.pred[v], want_pred[v]);
    }
    algo_output_release(&out);
    free(want);
    free(want_pred);
    tgraph_free(&t);
    free(str_off);
    free_edges(&e);
}

Test(sssp_parallel, a_bad_weight_is_refused_with_threads)
{
    wedges e;
    make_edges(&e, 4000, 40000, UNIFORM, SMALL_INT);
    e.w[e.m / 2] = -1; /* one negative edge out of a reached vertex */
    for (uint64_t i = 0; i < e.m; i++)
        if (e.src[i] == e.src[e.m / 2])
            e.w[i] = -1;
    tgraph t;
    uint64_t *str_off;
    build(&t, &e, SMALL_INT, &str_off);
    char src_id[32];
    snprintf(src_id, sizeof src_id, "%u", e.src[e.m / 2]);
    const char *keys[] = {SRC, TGT, WPROP};
    const char *vals[] = {src_id, "*", "weight"};
    for (int threads = 1; threads <= 3; threads++) {
        algo_output out;
        char msg[ALGO_MSG_MAX] = "";
        cr_expect_eq(run_job_rc(&out, &t.g, "sssp", keys, vals, 3, threads, NULL, msg),
                     ALGO_EINVAL);
        cr_expect(strstr(msg, "weighs -1") != NULL, "%s", msg);
        algo_output_release(&out);
    }
    tgraph_free(&t);
    free(str_off);
    free_edges(&e);
}
