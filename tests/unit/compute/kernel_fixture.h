/* kernel_fixture.h: what the kernel tests share (test_<id>.c): graphs
 * built from edge arrays (plain CSR, optional weights, no snapshot file),
 * LDBC Graphalytics graphs and reference files, seeded random graphs, and
 * run_job, which runs any kernel as a job does: the catalog checks and
 * fills the options, the view applies the input options, a team of the
 * given size, the output of the spec's shape.
 *
 * Everything is static inline so that each test uses what it needs.
 */
#ifndef HGC_TEST_KERNEL_FIXTURE_H
#define HGC_TEST_KERNEL_FIXTURE_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

#define GA HGC_TEST_DATA "/graphalytics/"

typedef struct tgraph {
    algo_graph g;
    uint64_t *out_off, *in_off;
    uint32_t *out_dst, *in_src;
    double *out_w, *in_w;
    int64_t *ids; /* ids[i]: the file's id of vertex i (Graphalytics graphs) */
} tgraph;

typedef struct tedge {
    uint32_t a, b;
    double w;
} tedge;

static inline int tedge_cmp(const void *x, const void *y)
{
    const tedge *p = x, *q = y;
    if (p->a != q->a)
        return (p->a > q->a) - (p->a < q->a);
    if (p->b != q->b)
        return (p->b > q->b) - (p->b < q->b);
    return (p->w > q->w) - (p->w < q->w);
}

/* CSR from m edges src[e] -> dst[e] (weights w[e] if w); lists sorted by
 * neighbour, as snapshots are. */
static inline void tgraph_build_w(tgraph *t, uint64_t n, const uint32_t *src, const uint32_t *dst,
                                  const double *w, uint64_t m)
{
    memset(t, 0, sizeof *t);
    tedge *es = malloc((m ? m : 1) * sizeof *es);
    t->out_off = calloc(n + 1, sizeof *t->out_off);
    t->in_off = calloc(n + 1, sizeof *t->in_off);
    t->out_dst = malloc((m ? m : 1) * sizeof *t->out_dst);
    t->in_src = malloc((m ? m : 1) * sizeof *t->in_src);
    if (w) {
        t->out_w = malloc((m ? m : 1) * sizeof *t->out_w);
        t->in_w = malloc((m ? m : 1) * sizeof *t->in_w);
    }
    cr_assert(es && t->out_off && t->in_off && t->out_dst && t->in_src);
    for (int dir = 0; dir < 2; dir++) {
        uint64_t *off = dir ? t->in_off : t->out_off;
        uint32_t *nbr = dir ? t->in_src : t->out_dst;
        double *ws = dir ? t->in_w : t->out_w;
        for (uint64_t e = 0; e < m; e++) {
            cr_assert(src[e] < n && dst[e] < n);
            es[e] = (tedge){dir ? dst[e] : src[e], dir ? src[e] : dst[e], w ? w[e] : 1};
        }
        qsort(es, m, sizeof *es, tedge_cmp);
        for (uint64_t e = 0; e < m; e++) {
            off[es[e].a + 1]++;
            nbr[e] = es[e].b;
            if (ws)
                ws[e] = es[e].w;
        }
        for (uint64_t v = 0; v < n; v++)
            off[v + 1] += off[v];
    }
    free(es);
    t->g.n = n;
    t->g.m = m;
    t->g.out_off = t->out_off;
    t->g.out_dst = t->out_dst;
    t->g.out_w.d = t->out_w;
    t->g.in_off = t->in_off;
    t->g.in_src = t->in_src;
    t->g.in_w.d = t->in_w;
}

static inline void tgraph_build(tgraph *t, uint64_t n, const uint32_t *src, const uint32_t *dst,
                                uint64_t m)
{
    tgraph_build_w(t, n, src, dst, NULL, m);
}

static inline void tgraph_free(tgraph *t)
{
    free(t->out_off);
    free(t->in_off);
    free(t->out_dst);
    free(t->in_src);
    free(t->out_w);
    free(t->in_w);
    free(t->ids);
    memset(t, 0, sizeof *t);
}

static inline int fixture_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static inline uint32_t tgraph_index_of(const tgraph *t, int64_t id)
{
    int64_t *p = bsearch(&id, t->ids, t->g.n, sizeof id, fixture_cmp_i64);
    cr_assert_not_null(p, "unknown vertex %lld", (long long)id);
    return (uint32_t)(p - t->ids);
}

/* A Graphalytics graph; an undirected one gets every edge both ways, as
 * hgc loads it, unless `one_way`. Vertices numbered in id order, as
 * snapshots are. */
static inline void ga_load_ways(tgraph *t, const char *name, int undirected, int one_way)
{
    char path[512];
    int64_t *ids = NULL, id;
    size_t n = 0, cap = 0;
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
    qsort(ids, n, sizeof *ids, fixture_cmp_i64);
    tgraph tmp = {.ids = ids, .g = {.n = n}};
    uint32_t *src = NULL, *dst = NULL;
    size_t m = 0, mcap = 0;
    long long a, b;
    char line[256];
    snprintf(path, sizeof path, GA "%s.e", name);
    f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lld %lld", &a, &b) != 2)
            continue;
        for (int k = 0; k < (undirected && !one_way ? 2 : 1); k++) {
            if (m == mcap) {
                mcap = mcap ? 2 * mcap : 256;
                src = realloc(src, mcap * sizeof *src);
                dst = realloc(dst, mcap * sizeof *dst);
            }
            src[m] = tgraph_index_of(&tmp, k ? b : a);
            dst[m] = tgraph_index_of(&tmp, k ? a : b);
            m++;
        }
    }
    fclose(f);
    tgraph_build(t, n, src, dst, m);
    t->ids = ids;
    free(src);
    free(dst);
}

static inline void ga_load(tgraph *t, const char *name, int undirected)
{
    ga_load_ways(t, name, undirected, 0);
}

/* The reference <name>-<ALGO> as a value per vertex index (want[n]). */
static inline void ga_reference(const tgraph *t, const char *name, const char *algo, double *want)
{
    char path[512];
    snprintf(path, sizeof path, GA "%s-%s", name, algo);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    long long id;
    double val;
    size_t seen = 0;
    while (fscanf(f, "%lld %lf", &id, &val) == 2) {
        want[tgraph_index_of(t, id)] = val;
        seen++;
    }
    fclose(f);
    cr_assert_eq(seen, t->g.n, "%s: %zu reference values for %llu vertices", path, seen,
                 (unsigned long long)t->g.n);
}

static uint64_t fixture_rng_state = 88172645463325252ull;

static inline uint64_t fixture_rng(void)
{
    uint64_t x = fixture_rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return fixture_rng_state = x;
}

/* n vertices, m random edges (self-loops and parallel edges included),
 * none out of the last `dangling` vertices. */
static inline void random_graph_dangling(tgraph *t, uint64_t n, uint64_t m, uint64_t dangling)
{
    uint32_t *src = malloc(m * sizeof *src), *dst = malloc(m * sizeof *dst);
    for (uint64_t e = 0; e < m; e++) {
        src[e] = (uint32_t)(fixture_rng() % (n - dangling));
        dst[e] = (uint32_t)(fixture_rng() % n);
    }
    tgraph_build(t, n, src, dst, m);
    free(src);
    free(dst);
}

static inline void random_graph(tgraph *t, uint64_t n, uint64_t m)
{
    random_graph_dangling(t, n, m, 0);
}

typedef struct stop_after {
    uint64_t calls, stop_at; /* the hook answers stop on call stop_at */
} stop_after;

static inline int fixture_stop_hook(void *user, uint64_t done, uint64_t total, double metric)
{
    (void)done;
    (void)total;
    (void)metric;
    stop_after *s = user;
    return ++s->calls >= s->stop_at;
}

/* Runs `algorithm` on g as a job does; the kernel's return code, with
 * msg. `stop` (may be NULL) drives the progress hook. *out holds the
 * result (release it). */
static inline int run_job_rc(algo_output *out, const algo_graph *g, const char *algorithm,
                             const char *const *keys, const char *const *vals, size_t n,
                             int threads, stop_after *stop, char msg[ALGO_MSG_MAX])
{
    const algo_spec *spec = algo_catalog_find(algorithm);
    cr_assert_not_null(spec, "no algorithm %s", algorithm);
    algo_kernel_fn kernel = algo_kernel_for(spec);
    cr_assert_not_null(kernel);
    algo_params p;
    cr_assert_eq(algo_params_check(&p, spec, keys, vals, n, msg), 0, "%s", msg);
    algo_common_opts common;
    void *opts = calloc(1, spec->opts_size ? spec->opts_size : 1);
    cr_assert_eq(algo_params_fill(&p, &common, opts, msg), 0, "%s", msg);
    algo_graph_view view;
    cr_assert_eq(algo_graph_view_init(&view, g, (algo_edge_dir)common.edge_direction,
                                      (algo_edge_freq)common.edge_freq, common.limit_edges, msg),
                 0, "%s", msg);
    algo_team *team;
    cr_assert_eq(algo_team_new(&team, threads, msg), 0, "%s", msg);
    algo_comm comm;
    algo_comm_init_single(&comm);
    algo_progress progress = {stop ? fixture_stop_hook : NULL, stop, 0};
    cr_assert_eq(algo_output_init(out, spec->shape, g->n, msg), 0, "%s", msg);
    algo_kernel_ctx k = {g, &view, team, &comm, &common, opts, &progress};
    int rc = kernel(out, &k, msg);
    algo_team_free(team);
    algo_graph_view_release(&view);
    algo_params_release(&p);
    free(opts);
    return rc;
}

/* The same, asserting success. */
static inline void run_job(algo_output *out, const algo_graph *g, const char *algorithm,
                           const char *const *keys, const char *const *vals, size_t n, int threads)
{
    char msg[ALGO_MSG_MAX] = "";
    int rc = run_job_rc(out, g, algorithm, keys, vals, n, threads, NULL, msg);
    cr_assert_eq(rc, 0, "%s failed (%d): %s", algorithm, rc, msg);
}

/* The value of a stat by key; fails the test if missing. */
static inline const algo_stat *out_stat(const algo_output *out, const char *key)
{
    for (int i = 0; i < out->n_stats; i++)
        if (strcmp(out->stats[i].key, key) == 0)
            return &out->stats[i];
    cr_assert_fail("no stat %s", key);
    return NULL;
}

#endif
