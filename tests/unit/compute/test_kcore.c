/* test_kcore.c: kcore (compute/kernels/kcore.c) through the kernel
 * interface against the definition written out plainly (peel vertices of
 * degree < k until none is left; core numbers as the largest k whose core
 * holds the vertex), on graphs with self-loops, parallel edges and
 * isolated vertices, for each direction, 1 and 2 threads, and a stop;
 * core numbers on graphs big enough for the team to share the peeling
 * against Batagelj and Zaversnik's sequential algorithm. */
#include "undirected_fixture.h"

/* in[v] = 1 when v is in the k-core; deg[v] its degree there. */
static void naive_core(const unsigned char *adj, uint64_t n, uint64_t k, unsigned char *in,
                       int64_t *deg)
{
    memset(in, 1, n);
    for (int changed = 1; changed;) {
        changed = 0;
        for (uint64_t v = 0; v < n; v++) {
            if (!in[v])
                continue;
            uint64_t d = 0;
            for (uint64_t u = 0; u < n; u++)
                d += in[u] && adj[v * n + u];
            if (d < k) {
                in[v] = 0;
                changed = 1;
            }
        }
    }
    for (uint64_t v = 0; v < n; v++) {
        deg[v] = 0;
        if (in[v])
            for (uint64_t u = 0; u < n; u++)
                deg[v] += in[u] && adj[v * n + u];
    }
}

static void check_graph(const tgraph *t, const char *dir)
{
    uint64_t n = t->g.n;
    unsigned char *adj = adjacency(t), *in = malloc(n);
    int64_t *deg = malloc(n * sizeof *deg), *core = calloc(n, sizeof *core);
    for (uint64_t k = 1; k <= n; k++) {
        naive_core(adj, n, k, in, deg);
        int any = 0;
        for (uint64_t v = 0; v < n; v++)
            if (in[v]) {
                core[v] = (int64_t)k;
                any = 1;
            }
        if (k > 6 && !any)
            break;
        if (k > 6)
            continue;
        char kv[16];
        snprintf(kv, sizeof kv, "%llu", (unsigned long long)k);
        const char *keys[] = {"kcore.k", "input.edge_direction"}, *vals[] = {kv, dir};
        algo_output one, two;
        run_job(&one, &t->g, "kcore", keys, vals, 2, 1);
        run_job(&two, &t->g, "kcore", keys, vals, 2, 2);
        cr_assert_eq(one.shape, ALGO_OUT_INT64);
        for (uint64_t v = 0; v < n; v++)
            cr_expect_eq(one.i64[v], deg[v], "k=%llu vertex %llu: %lld, want %lld",
                         (unsigned long long)k, (unsigned long long)v, (long long)one.i64[v],
                         (long long)deg[v]);
        cr_expect_eq(memcmp(one.i64, two.i64, n * sizeof *deg), 0);
        algo_output_release(&one);
        algo_output_release(&two);
    }
    const char *keys[] = {"kcore.k", "input.edge_direction"}, *vals[] = {"0", dir};
    algo_output one, two;
    run_job(&one, &t->g, "kcore", keys, vals, 2, 1);
    run_job(&two, &t->g, "kcore", keys, vals, 2, 2);
    for (uint64_t v = 0; v < n; v++)
        cr_expect_eq(one.i64[v], core[v], "core number of %llu: %lld, want %lld",
                     (unsigned long long)v, (long long)one.i64[v], (long long)core[v]);
    cr_expect_eq(memcmp(one.i64, two.i64, n * sizeof *deg), 0);
    algo_output_release(&one);
    algo_output_release(&two);
    free(adj);
    free(in);
    free(deg);
    free(core);
}

Test(kcore, definition_on_random_graphs)
{
    const uint64_t sizes[][2] = {{1, 1}, {10, 30}, {120, 600}, {300, 2400}};
    const char *dirs[] = {"OUT", "IN", "BOTH"};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        tgraph t;
        random_graph(&t, sizes[i][0], sizes[i][1]);
        check_graph(&t, dirs[i % 3]);
        tgraph_free(&t);
    }
}

Test(kcore, a_triangle_with_a_tail)
{
    /* 0-1-2 triangle (one edge doubled, a self-loop on 0), 2-3 tail, 4 alone */
    uint32_t src[] = {0, 1, 2, 1, 0, 2}, dst[] = {1, 2, 0, 2, 0, 3};
    tgraph t;
    tgraph_build(&t, 5, src, dst, 6);
    const char *keys[] = {"kcore.k"}, *two[] = {"2"}, *zero[] = {"0"}, *three[] = {"3"};
    algo_output out;
    run_job(&out, &t.g, "kcore", keys, two, 1, 1);
    int64_t want2[] = {2, 2, 2, 0, 0};
    cr_expect_eq(memcmp(out.i64, want2, sizeof want2), 0);
    cr_expect_eq(out_stat(&out, "core_vertices")->i, 3);
    algo_output_release(&out);
    run_job(&out, &t.g, "kcore", keys, zero, 1, 2);
    int64_t want0[] = {2, 2, 2, 1, 0};
    cr_expect_eq(memcmp(out.i64, want0, sizeof want0), 0);
    cr_expect_eq(out_stat(&out, "max_core")->i, 2);
    algo_output_release(&out);
    run_job(&out, &t.g, "kcore", keys, three, 1, 2);
    int64_t want3[] = {0, 0, 0, 0, 0};
    cr_expect_eq(memcmp(out.i64, want3, sizeof want3), 0);
    algo_output_release(&out);
    /* the default k is 3 */
    run_job(&out, &t.g, "kcore", NULL, NULL, 0, 1);
    cr_expect_eq(memcmp(out.i64, want3, sizeof want3), 0);
    algo_output_release(&out);
    tgraph_free(&t);
}

Test(kcore, stops_when_asked)
{
    tgraph t;
    random_graph(&t, 100000, 400000);
    const char *keys[] = {"kcore.k"}, *vals[] = {"0"};
    stop_after stop = {0, 3};
    algo_output out;
    char msg[ALGO_MSG_MAX] = "";
    cr_expect_eq(run_job_rc(&out, &t.g, "kcore", keys, vals, 1, 2, &stop, msg), ALGO_ESTOPPED);
    cr_expect_eq(stop.calls, 3);
    algo_output_release(&out);
    tgraph_free(&t);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Core numbers by Batagelj and Zaversnik's sequential bucket algorithm on
 * the undirected lists built here from the edges (each pair once, no
 * self-loops): the reference for the kernel's level peeling. */
static void bz_cores(const tgraph *t, int64_t *core)
{
    uint64_t n = t->g.n, m = t->g.m, k = 0;
    uint64_t *pairs = malloc((2 * m + 1) * sizeof *pairs);
    for (uint64_t u = 0; u < n; u++)
        for (uint64_t e = t->out_off[u]; e < t->out_off[u + 1]; e++)
            if (t->out_dst[e] != u) {
                pairs[k++] = u << 32 | t->out_dst[e];
                pairs[k++] = (uint64_t)t->out_dst[e] << 32 | u;
            }
    qsort(pairs, k, sizeof *pairs, cmp_u64);
    uint64_t *off = calloc(n + 1, sizeof *off), len = 0;
    uint32_t *nbr = malloc((k + 1) * sizeof *nbr);
    for (uint64_t i = 0; i < k; i++)
        if (i == 0 || pairs[i] != pairs[i - 1]) {
            nbr[len++] = (uint32_t)pairs[i];
            off[(pairs[i] >> 32) + 1]++;
        }
    for (uint64_t v = 0; v < n; v++)
        off[v + 1] += off[v];
    uint64_t md = 0, *deg = malloc(n * sizeof *deg), *vert = malloc(n * sizeof *vert),
             *pos = malloc(n * sizeof *pos);
    for (uint64_t v = 0; v < n; v++) {
        deg[v] = off[v + 1] - off[v];
        md = deg[v] > md ? deg[v] : md;
    }
    uint64_t *bin = calloc(md + 2, sizeof *bin);
    for (uint64_t v = 0; v < n; v++)
        bin[deg[v] + 1]++;
    for (uint64_t d = 1; d <= md + 1; d++)
        bin[d] += bin[d - 1];
    for (uint64_t v = 0; v < n; v++) {
        pos[v] = bin[deg[v]]++;
        vert[pos[v]] = v;
    }
    for (uint64_t d = md + 1; d > 0; d--)
        bin[d] = bin[d - 1];
    bin[0] = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t v = vert[i];
        core[v] = (int64_t)deg[v];
        for (uint64_t e = off[v]; e < off[v + 1]; e++) {
            uint64_t w = nbr[e];
            if (deg[w] > deg[v]) {
                uint64_t dw = deg[w], pw = pos[w], ps = bin[dw], s = vert[ps];
                pos[w] = ps;
                vert[ps] = w;
                pos[s] = pw;
                vert[pw] = s;
                bin[dw]++;
                deg[w]--;
            }
        }
    }
    free(pairs);
    free(off);
    free(nbr);
    free(deg);
    free(vert);
    free(pos);
    free(bin);
}

/* Graphs big enough that the team shares the peeling (many levels, wide
 * frontiers): the same core numbers as the sequential reference, for 1, 2
 * and 3 threads. A sparse random part, a denser one and a few hubs. */
Test(kcore, level_peeling_equals_the_sequential_reference)
{
    enum { N = 400000, M = 2400000, DENSE = 3000 }; /* above kcore.c's SOLO_BELOW */
    uint32_t *src = malloc(M * sizeof *src), *dst = malloc(M * sizeof *dst);
    for (uint64_t e = 0; e < M; e++) {
        uint64_t r = fixture_rng() % 10;
        uint64_t span = r < 6 ? N : r < 9 ? DENSE : 40;
        src[e] = (uint32_t)(fixture_rng() % span);
        dst[e] = (uint32_t)(r == 9 ? fixture_rng() % N : fixture_rng() % span);
    }
    tgraph t;
    tgraph_build(&t, N, src, dst, M);
    int64_t *want = malloc(N * sizeof *want), max = 0;
    bz_cores(&t, want);
    for (uint64_t v = 0; v < N; v++)
        max = want[v] > max ? want[v] : max;
    cr_assert_gt(max, 20, "the set-up should give many levels");
    const char *keys[] = {"kcore.k"}, *vals[] = {"0"};
    for (int threads = 1; threads <= 3; threads++) {
        algo_output out;
        run_job(&out, &t.g, "kcore", keys, vals, 1, threads);
        uint64_t bad = 0;
        for (uint64_t v = 0; v < N; v++)
            bad += out.i64[v] != want[v];
        cr_expect_eq(bad, 0, "%d threads: %llu core numbers differ", threads,
                     (unsigned long long)bad);
        cr_expect_eq(out_stat(&out, "max_core")->i, max);
        algo_output_release(&out);
    }
    free(want);
    free(src);
    free(dst);
    tgraph_free(&t);
}
