/* test_betweenness_centrality.c: Brandes betweenness
 * (compute/kernels/betweenness_centrality.c) through the kernel interface
 * against NetworkX betweenness_centrality(G, normalized=False)
 * (nx_oracle.py), 1 and 2 threads giving the same bits: a small real
 * graph, a random sparse one, one with self-loops, parallel edges (which
 * don't make more shortest paths), isolated vertices and sinks, the
 * directions, and sampling. */
#include "centrality_oracle.h"

static void check(const char *oracle_args, const char *dir, const char *freq, const char *what)
{
    tgraph t;
    oracle_load(&t, oracle_args);
    const char *keys[] = {"input.edge_direction", "input.edge_freq"};
    const char *vals[] = {dir, freq};
    check_both("betweenness-centrality", &t, keys, vals, 2, 1e-9, 1e-9, what);
    tgraph_free(&t);
}

Test(betweenness, karate_club)
{
    check("betweenness karate OUT", "OUT", "MULTIPLE", "karate");
}

Test(betweenness, random_sparse_all_directions)
{
    check("betweenness random OUT", "OUT", "MULTIPLE", "random OUT");
    check("betweenness random IN", "IN", "MULTIPLE", "random IN");
    /* BOTH: every pair in both directions, 2x NetworkX's undirected value */
    check("betweenness random BOTH", "BOTH", "MULTIPLE", "random BOTH");
}

Test(betweenness, self_loops_parallel_edges_isolated_sinks)
{
    check("betweenness messy OUT", "OUT", "MULTIPLE", "messy OUT");
    check("betweenness messy OUT", "OUT", "SINGLE", "messy OUT, folded");
    check("betweenness messy BOTH", "BOTH", "MULTIPLE", "messy BOTH");
}

Test(betweenness, sampled_is_repeatable_and_scaled)
{
    tgraph t;
    oracle_load(&t, "betweenness random OUT");
    const char *keys[] = {"betweenness_centrality.sample_rate"};
    const char *vals[] = {"0.25"};
    algo_output a, b, c;
    char msg[ALGO_MSG_MAX];
    cr_assert_eq(run_job(&a, "betweenness-centrality", &t.g, keys, vals, 1, 1, msg), 0, "%s", msg);
    cr_assert_eq(run_job(&b, "betweenness-centrality", &t.g, keys, vals, 1, 2, msg), 0, "%s", msg);
    cr_assert_eq(run_job(&c, "betweenness-centrality", &t.g, keys, vals, 1, 1, msg), 0, "%s", msg);
    cr_expect_eq(memcmp(a.f64, b.f64, t.g.n * sizeof(double)), 0, "1 and 2 threads differ");
    cr_expect_eq(memcmp(a.f64, c.f64, t.g.n * sizeof(double)), 0, "two runs differ");
    cr_expect_eq(a.stats[0].i, 200, "25%% of 800 sources, got %lld", (long long)a.stats[0].i);
    double got = 0, want = 0;
    for (uint64_t v = 0; v < t.g.n; v++) {
        got += a.f64[v];
        want += t.want[v];
    }
    cr_expect(fabs(got - want) <= 0.1 * want, "sampled total %g, exact %g", got, want);
    algo_output_release(&a);
    algo_output_release(&b);
    algo_output_release(&c);
    tgraph_free(&t);
}

Test(betweenness, a_full_rate_equals_exact)
{
    tgraph t;
    oracle_load(&t, "betweenness karate OUT");
    const char *keys[] = {"betweenness_centrality.sample_rate"};
    const char *vals[] = {"1.0"};
    check_both("BetweennessCentrality", &t, keys, vals, 1, 1e-9, 1e-9, "karate, rate 1.0");
    tgraph_free(&t);
}
