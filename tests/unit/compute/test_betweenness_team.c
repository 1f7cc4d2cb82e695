/* test_betweenness_team.c: betweenness on graphs of 2^17 vertices or
 * more, where the whole team works on one source at a time
 * (compute/kernels/betweenness_centrality.c, TEAM_MIN_VERTICES): against
 * a plain sequential Brandes written here over the same sampled sources,
 * and 1, 2 and 3 threads giving the same bits. NetworkX's own check of
 * the kernel (test_betweenness_centrality.c) runs on small graphs, which
 * take the one-source-per-member path. Two graphs: a random sparse one
 * with self-loops and parallel edges, and a layered one whose path counts
 * pass 2^53 (rounded sums: the team counts them again in a fixed order). */
#include "kernel_fixture.h"
#include "sources.h"

#define BIG_N ((1u << 17) + 1000)

/* Brandes from each source of `src` over g's out-edges, a parallel edge
 * counted once; the sums scaled by n / k as a sample's are. */
static void reference(const algo_graph *g, const uint32_t *src, uint64_t k, double *out)
{
    uint64_t n = g->n;
    int32_t *d = malloc(n * sizeof *d);
    double *sigma = malloc(n * sizeof *sigma), *delta = malloc(n * sizeof *delta);
    uint32_t *q = malloc(n * sizeof *q), *seen = malloc(n * sizeof *seen);
    memset(out, 0, n * sizeof *out);
    for (uint64_t i = 0; i < k; i++) {
        for (uint64_t v = 0; v < n; v++) {
            d[v] = -1;
            sigma[v] = delta[v] = 0;
            seen[v] = UINT32_MAX;
        }
        uint64_t head = 0, tail = 0;
        d[src[i]] = 0;
        sigma[src[i]] = 1;
        q[tail++] = src[i];
        while (head < tail) {
            uint32_t u = q[head++];
            for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++) {
                uint32_t w = g->out_dst[e];
                if (d[w] < 0) {
                    d[w] = d[u] + 1;
                    q[tail++] = w;
                }
                if (d[w] == d[u] + 1 && seen[w] != u) {
                    seen[w] = u;
                    sigma[w] += sigma[u];
                }
            }
        }
        for (uint64_t j = tail; j-- > 0;) {
            uint32_t u = q[j];
            double c = 0;
            for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++) {
                uint32_t w = g->out_dst[e];
                if (d[w] == d[u] + 1 && seen[w] != u + (uint32_t)n) {
                    seen[w] = u + (uint32_t)n;
                    c += (1 + delta[w]) / sigma[w];
                }
            }
            delta[u] = sigma[u] * c;
            if (u != src[i])
                out[u] += delta[u];
        }
    }
    if (k < n)
        for (uint64_t v = 0; v < n; v++)
            out[v] *= (double)n / (double)k;
    free(d);
    free(sigma);
    free(delta);
    free(q);
    free(seen);
}

static void check(const tgraph *t, const char *rate, const char *what)
{
    const char *keys[] = {"betweenness_centrality.sample_rate"};
    const char *vals[] = {rate};
    uint64_t n = t->g.n, k;
    uint32_t *src;
    char msg[ALGO_MSG_MAX];
    cr_assert_eq(algo_sources_pick(&src, &k, n, strtod(rate, NULL), msg), 0, "%s", msg);
    double *want = malloc(n * sizeof *want);
    reference(&t->g, src, k, want);
    algo_output one, two, three;
    run_job(&one, &t->g, "betweenness-centrality", keys, vals, 1, 1);
    run_job(&two, &t->g, "betweenness-centrality", keys, vals, 1, 2);
    run_job(&three, &t->g, "betweenness-centrality", keys, vals, 1, 3);
    cr_expect_eq(memcmp(one.f64, two.f64, n * sizeof(double)), 0, "%s: 1 and 2 threads differ",
                 what);
    cr_expect_eq(memcmp(one.f64, three.f64, n * sizeof(double)), 0, "%s: 1 and 3 threads differ",
                 what);
    uint64_t bad = 0, nonzero = 0;
    for (uint64_t v = 0; v < n; v++) {
        nonzero += want[v] != 0;
        if (fabs(two.f64[v] - want[v]) > 1e-9 * fabs(want[v]) + 1e-9 && bad++ < 5)
            cr_log_error("%s: vertex %llu: %.17g, want %.17g", what, (unsigned long long)v,
                         two.f64[v], want[v]);
    }
    cr_expect_eq(bad, 0, "%s: %llu of %llu vertices differ from the reference", what,
                 (unsigned long long)bad, (unsigned long long)n);
    cr_expect_gt(nonzero, 100, "%s: the sources reached too little to test", what);
    algo_output_release(&one);
    algo_output_release(&two);
    algo_output_release(&three);
    free(want);
    free(src);
}

Test(betweenness_team, random_sparse_with_loops_and_parallel_edges)
{
    tgraph t;
    fixture_rng_state = 0x1234567;
    random_graph(&t, BIG_N, 5 * (uint64_t)BIG_N);
    check(&t, "0.00003", "random"); /* 4 sources */
    tgraph_free(&t);
}

Test(betweenness_team, path_counts_past_2_to_53)
{
    /* 9 layers of 300 vertices (wider than a run a member takes at once),
     * each joined to about 70% of the next layer, at random: some 210^8
     * (about 4e18) shortest paths from a vertex of the first layer to one
     * of the last, different counts for different vertices (so that
     * rounded sums depend on their order). The first layer holds the
     * sample's sources; the other vertices are isolated. */
    enum { LAYERS = 9, WIDTH = 300 };
    const char *rate = "0.00003";
    uint64_t k;
    uint32_t *src;
    char msg[ALGO_MSG_MAX];
    fixture_rng_state = 0x5151;
    cr_assert_eq(algo_sources_pick(&src, &k, BIG_N, strtod(rate, NULL), msg), 0, "%s", msg);
    cr_assert_leq(k, WIDTH);
    uint32_t *perm = malloc(BIG_N * sizeof *perm);
    uint8_t *taken = calloc(BIG_N, 1);
    uint64_t np = 0;
    for (uint64_t i = 0; i < k; i++) {
        perm[np++] = src[i];
        taken[src[i]] = 1;
    }
    for (uint32_t v = 0; v < BIG_N; v++)
        if (!taken[v])
            perm[np++] = v;
    uint64_t m = (uint64_t)(LAYERS - 1) * WIDTH * WIDTH;
    uint32_t *a = malloc(m * sizeof *a), *b = malloc(m * sizeof *b);
    uint64_t e = 0;
    for (uint32_t l = 0; l + 1 < LAYERS; l++)
        for (uint32_t i = 0; i < WIDTH; i++)
            for (uint32_t j = 0; j < WIDTH; j++) {
                if (fixture_rng() % 10 >= 7)
                    continue;
                a[e] = perm[l * WIDTH + i];
                b[e] = perm[(l + 1) * WIDTH + j];
                e++;
            }
    tgraph t;
    tgraph_build(&t, BIG_N, a, b, e);
    free(a);
    free(b);
    free(perm);
    free(taken);
    free(src);
    check(&t, rate, "layered");
    tgraph_free(&t);
}
