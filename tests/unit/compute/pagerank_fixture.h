/* pagerank_fixture.h: what the page-rank tests share (test_pagerank.c,
 * test_pagerank_options.c): graphs built from edge arrays as plain CSR
 * (no snapshot file), LDBC Graphalytics graphs (undirected ones both ways
 * or one way) and their -PR reference files, run_pr, and seeded random
 * numbers. kernel_fixture.h has relatives of these (its ga_load has no
 * one-way choice, its random_graph no dangling vertices); these are the
 * ones the page-rank tests call. */
#ifndef HGC_TEST_PAGERANK_FIXTURE_H
#define HGC_TEST_PAGERANK_FIXTURE_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "page_rank.h"

#define GA HGC_TEST_DATA "/graphalytics/"

/* ---- a graph from edge arrays --------------------------------------- */

typedef struct tgraph {
    algo_graph g;
    uint64_t *out_off, *in_off;
    uint32_t *out_dst, *in_src;
    int64_t *ids; /* ids[i]: the file's id of vertex i */
} tgraph;

static inline int cmp_pair(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    if (x[0] != y[0])
        return (x[0] > y[0]) - (x[0] < y[0]);
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* CSR from m (src, dst) pairs; lists sorted by neighbour. */
static inline void tgraph_build(tgraph *t, uint64_t n, const uint32_t *src, const uint32_t *dst,
                                uint64_t m)
{
    memset(t, 0, sizeof *t);
    uint32_t *pairs = malloc((m ? m : 1) * 2 * sizeof *pairs);
    t->out_off = calloc(n + 1, sizeof *t->out_off);
    t->in_off = calloc(n + 1, sizeof *t->in_off);
    t->out_dst = malloc((m ? m : 1) * sizeof *t->out_dst);
    t->in_src = malloc((m ? m : 1) * sizeof *t->in_src);
    cr_assert(pairs && t->out_off && t->in_off && t->out_dst && t->in_src);

    for (int dir = 0; dir < 2; dir++) {
        uint64_t *off = dir ? t->in_off : t->out_off;
        uint32_t *nbr = dir ? t->in_src : t->out_dst;
        for (uint64_t e = 0; e < m; e++) {
            pairs[2 * e] = dir ? dst[e] : src[e];
            pairs[2 * e + 1] = dir ? src[e] : dst[e];
        }
        qsort(pairs, m, 2 * sizeof *pairs, cmp_pair);
        for (uint64_t e = 0; e < m; e++) {
            off[pairs[2 * e] + 1]++;
            nbr[e] = pairs[2 * e + 1];
        }
        for (uint64_t v = 0; v < n; v++)
            off[v + 1] += off[v];
    }
    free(pairs);
    t->g.n = n;
    t->g.m = m;
    t->g.out_off = t->out_off;
    t->g.out_dst = t->out_dst;
    t->g.in_off = t->in_off;
    t->g.in_src = t->in_src;
}

static inline void tgraph_free(tgraph *t)
{
    free(t->out_off);
    free(t->in_off);
    free(t->out_dst);
    free(t->in_src);
    free(t->ids);
}

static inline int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static inline uint32_t index_of(const tgraph *t, int64_t id)
{
    int64_t *p = bsearch(&id, t->ids, t->g.n, sizeof id, cmp_i64);
    cr_assert_not_null(p, "unknown vertex %lld", (long long)id);
    return (uint32_t)(p - t->ids);
}

/* A Graphalytics graph; undirected ones get every edge both ways unless
 * `one_way`. Vertices are numbered in id order, as snapshots are. */
static inline void ga_load(tgraph *t, const char *name, int undirected, int one_way)
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
    qsort(ids, n, sizeof *ids, cmp_i64);

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
        for (int k = 0; k < ((undirected && !one_way) ? 2 : 1); k++) {
            if (m == mcap) {
                mcap = mcap ? 2 * mcap : 256;
                src = realloc(src, mcap * sizeof *src);
                dst = realloc(dst, mcap * sizeof *dst);
            }
            src[m] = index_of(&tmp, k ? b : a);
            dst[m] = index_of(&tmp, k ? a : b);
            m++;
        }
    }
    fclose(f);
    tgraph_build(t, n, src, dst, m);
    t->ids = ids;
    free(src);
    free(dst);
}

/* Compares ranks with the file <name>-PR, relative error <= tol. */
static inline void ga_compare(const tgraph *t, const char *name, const double *rank, double tol)
{
    char path[512];
    snprintf(path, sizeof path, GA "%s-PR", name);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    long long id;
    double want;
    size_t seen = 0;
    while (fscanf(f, "%lld %lf", &id, &want) == 2) {
        uint32_t v = index_of(t, id);
        cr_expect_leq(fabs(rank[v] - want), tol * fabs(want),
                      "%s vertex %lld: got %.17g want %.17g", name, id, rank[v], want);
        seen++;
    }
    fclose(f);
    cr_expect_eq(seen, t->g.n, "%s: %zu reference values for %llu vertices", name, seen,
                 (unsigned long long)t->g.n);
}

static inline void run_pr(double *rank, algo_pagerank_stats *st, const algo_graph *g,
                          const algo_pagerank_opts *o)
{
    char msg[ALGO_MSG_MAX] = "";
    int rc = algo_pagerank(rank, st, g, o, msg);
    cr_assert_eq(rc, 0, "page-rank failed (%d): %s", rc, msg);
}

/* ---- seeded random numbers ------------------------------------------ */

static uint64_t rng_state = 88172645463325252ull;

static inline uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

#endif
