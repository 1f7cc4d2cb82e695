/* test_closeness_centrality.c: harmonic closeness
 * (compute/kernels/closeness_centrality.c) through the kernel interface
 * against NetworkX harmonic_centrality (nx_oracle.py), 1 and 2 threads
 * giving the same bits: a small real graph, a random sparse one, one with
 * self-loops, parallel edges, isolated vertices and sinks, the directions,
 * weighted graphs (Dijkstra), and sampling (the same seed, the same
 * result; scaled to the right size). */
#include "centrality_oracle.h"

static void check(const char *oracle_args, const char *dir, const char *weight, const char *what)
{
    tgraph t;
    oracle_load(&t, oracle_args);
    const char *keys[] = {"input.edge_direction", "closeness_centrality.weight_property"};
    const char *vals[] = {dir, weight};
    check_both("closeness-centrality", &t, keys, vals, 2, 1e-12, 1e-12, what);
    tgraph_free(&t);
}

Test(closeness, karate_club)
{
    check("closeness karate OUT", "OUT", "", "karate");
}

Test(closeness, random_sparse_all_directions)
{
    check("closeness random OUT", "OUT", "", "random OUT");
    check("closeness random IN", "IN", "", "random IN");
    check("closeness random BOTH", "BOTH", "", "random BOTH");
}

Test(closeness, self_loops_parallel_edges_isolated_sinks)
{
    check("closeness messy OUT", "OUT", "", "messy OUT");
    check("closeness messy BOTH", "BOTH", "", "messy BOTH");
}

Test(closeness, weighted)
{
    check("closeness lesmis OUT weighted=1", "OUT", "weight", "les miserables, weighted");
    check("closeness wrandom OUT weighted=1", "OUT", "weight", "random, weighted");
    check("closeness wrandom IN weighted=1", "IN", "weight", "random IN, weighted");
    check("closeness wrandom BOTH weighted=1", "BOTH", "weight", "random BOTH, weighted");
    /* hops on the same graph: the weights are ignored */
    check("closeness wrandom OUT", "OUT", "", "random, hops");
}

Test(closeness, weights_that_are_not_there_are_refused)
{
    tgraph t;
    oracle_load(&t, "closeness messy OUT");
    const char *keys[] = {"closeness_centrality.weight_property", "input.edge_freq"};
    const char *vals[] = {"weight", "SINGLE"};
    algo_output out;
    char msg[ALGO_MSG_MAX];
    cr_expect_eq(run_job(&out, "closeness-centrality", &t.g, keys, vals, 1, 1, msg), ALGO_EINVAL);
    cr_expect(strstr(msg, "no edge weights"), "%s", msg);
    algo_output_release(&out);
    const char *other[] = {"length"};
    cr_expect_eq(run_job(&out, "closeness-centrality", &t.g, keys, other, 1, 1, msg), ALGO_EINVAL);
    cr_expect(strstr(msg, "'length'"), "%s", msg);
    algo_output_release(&out);
    tgraph_free(&t);
    oracle_load(&t, "closeness wrandom OUT weighted=1");
    cr_expect_eq(run_job(&out, "closeness-centrality", &t.g, keys, vals, 2, 1, msg), ALGO_EINVAL);
    cr_expect(strstr(msg, "input.edge_freq"), "%s", msg);
    algo_output_release(&out);
    tgraph_free(&t);
}

Test(closeness, sampled_is_repeatable_and_scaled)
{
    tgraph t;
    oracle_load(&t, "closeness random BOTH");
    const char *keys[] = {"input.edge_direction", "closeness_centrality.sample_rate"};
    const char *vals[] = {"BOTH", "0.2"};
    algo_output a, b, c;
    char msg[ALGO_MSG_MAX];
    cr_assert_eq(run_job(&a, "closeness-centrality", &t.g, keys, vals, 2, 1, msg), 0, "%s", msg);
    cr_assert_eq(run_job(&b, "closeness-centrality", &t.g, keys, vals, 2, 2, msg), 0, "%s", msg);
    cr_assert_eq(run_job(&c, "closeness-centrality", &t.g, keys, vals, 2, 1, msg), 0, "%s", msg);
    cr_expect_eq(memcmp(a.f64, b.f64, t.g.n * sizeof(double)), 0, "1 and 2 threads differ");
    cr_expect_eq(memcmp(a.f64, c.f64, t.g.n * sizeof(double)), 0, "two runs differ");
    cr_expect_eq(a.stats[0].i, 160, "20%% of 800 sources, got %lld", (long long)a.stats[0].i);
    /* an estimate of the exact values: the totals within 5% */
    double got = 0, want = 0;
    for (uint64_t v = 0; v < t.g.n; v++) {
        got += a.f64[v];
        want += t.want[v];
    }
    cr_expect(fabs(got - want) <= 0.05 * want, "sampled total %g, exact %g", got, want);
    algo_output_release(&a);
    algo_output_release(&b);
    algo_output_release(&c);
    tgraph_free(&t);
}

Test(closeness, sample_rate_out_of_range_is_refused)
{
    const algo_spec *s = algo_catalog_find("closeness_centrality");
    cr_assert_not_null(s);
    cr_expect_eq(s, algo_catalog_find_class("org.apache.hugegraph.computer.algorithm.centrality."
                                            "closeness.ClosenessCentralityParams"));
    const char *keys[] = {"closeness_centrality.sample_rate"};
    const char *bad[] = {"0", "-0.1", "1.01", "nan", "x"};
    for (int i = 0; i < 5; i++) {
        algo_params p;
        char msg[ALGO_MSG_MAX] = "";
        const char *vals[] = {bad[i]};
        cr_expect_neq(algo_params_check(&p, s, keys, vals, 1, msg), 0, "%s accepted", bad[i]);
        cr_expect(strstr(msg, "above 0 and at most 1"), "%s", msg);
    }
}
