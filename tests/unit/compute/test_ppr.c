/* test_ppr.c: personalised page-rank (compute/kernels/ppr.c) through the
 * kernel interface against NetworkX pagerank(G, alpha, personalization=
 * {source: 1}) (nx_oracle.py), with 1 and 2 threads giving the same bits,
 * on a small real graph, a random sparse one and one with self-loops,
 * parallel edges, isolated vertices and sinks; the direction option; the
 * source that is not a vertex; the step limit. */
#include "centrality_oracle.h"

static void check_ppr(const char *oracle_args, const char *source, const char *alpha,
                      const char *dir, const char *what)
{
    tgraph t;
    oracle_load(&t, oracle_args);
    const char *keys[] = {"ppr.source", "ppr.alpha", "ppr.l1DiffThreshold", "bsp.max_super_step",
                          "input.edge_direction"};
    const char *vals[] = {source, alpha, "1e-14", "100000", dir};
    /* vertices the source never reaches keep ~alpha^steps of 1/n: 1e-13 */
    check_both("ppr", &t, keys, vals, 5, 1e-7, 1e-6, what);
    tgraph_free(&t);
}

Test(ppr, karate_club)
{
    check_ppr("ppr karate OUT source=0 alpha=0.85", "0", "0.85", "OUT", "karate, source 0");
    check_ppr("ppr karate OUT source=33 alpha=0.5", "33", "0.5", "OUT", "karate, source 33");
}

Test(ppr, random_sparse_with_sinks)
{
    check_ppr("ppr random OUT source=5 alpha=0.85", "5", "0.85", "OUT", "random, source 5");
}

Test(ppr, self_loops_parallel_edges_isolated_sinks)
{
    check_ppr("ppr messy OUT source=3 alpha=0.85", "3", "0.85", "OUT", "messy, source 3");
    /* an isolated source keeps everything */
    check_ppr("ppr messy OUT source=12 alpha=0.85", "12", "0.85", "OUT", "messy, isolated source");
}

Test(ppr, edge_direction_in_and_both)
{
    check_ppr("ppr messy IN source=5 alpha=0.7", "5", "0.7", "IN", "messy IN");
    check_ppr("ppr random BOTH source=7 alpha=0.85", "7", "0.85", "BOTH", "random BOTH");
}

Test(ppr, unknown_source_is_refused)
{
    tgraph t;
    oracle_load(&t, "ppr messy OUT source=0");
    const char *keys[] = {"ppr.source"};
    const char *bad[] = {"99", "alice", "-1"};
    for (int i = 0; i < 3; i++) {
        algo_output out;
        char msg[ALGO_MSG_MAX];
        const char *vals[] = {bad[i]};
        cr_expect_eq(run_job(&out, "ppr", &t.g, keys, vals, 1, 1, msg), ALGO_EINVAL);
        cr_expect(strstr(msg, "ppr.source") && strstr(msg, bad[i]), "%s", msg);
        algo_output_release(&out);
    }
    tgraph_free(&t);
}

Test(ppr, catalog_requires_a_source)
{
    const algo_spec *s =
        algo_catalog_find_class("com.baidu.hugegraph.computer.algorithm.centrality.ppr."
                                "PersonalPageRankParams");
    cr_assert_eq(s, algo_catalog_find("ppr"));
    algo_params p;
    char msg[ALGO_MSG_MAX] = "";
    cr_expect_neq(algo_params_check(&p, s, NULL, NULL, 0, msg), 0);
    cr_expect(strstr(msg, "ppr.source") && strstr(msg, "required"), "%s", msg);
    const char *keys[] = {"ppr.source"}, *empty[] = {" "};
    cr_expect_neq(algo_params_check(&p, s, keys, empty, 1, msg), 0);
    cr_expect(strstr(msg, "vertex id"), "%s", msg);
    const char *k2[] = {"ppr.source", "ppr.alpha"}, *v2[] = {"1", "1.5"};
    cr_expect_neq(algo_params_check(&p, s, k2, v2, 2, msg), 0);
    cr_expect(strstr(msg, "ppr.alpha"), "%s", msg);
}

Test(ppr, stops_after_max_super_step)
{
    tgraph t;
    oracle_load(&t, "ppr random OUT source=5");
    const char *keys[] = {"ppr.source", "ppr.l1DiffThreshold", "bsp.max_super_step"};
    const char *vals[] = {"5", "0", "3"};
    algo_output out;
    char msg[ALGO_MSG_MAX];
    cr_assert_eq(run_job(&out, "ppr", &t.g, keys, vals, 3, 2, msg), 0, "%s", msg);
    cr_expect_str_eq(out.stats[0].key, "supersteps");
    cr_expect_eq(out.stats[0].i, 3);
    double sum = 0;
    for (uint64_t v = 0; v < t.g.n; v++)
        sum += out.f64[v];
    /* threshold 0 runs in single precision (rank_walk.h): a rank moves by
     * at most a few 1e-7 of itself */
    cr_expect(fabs(sum - 1) < 1e-6, "the ranks sum to %.17g", sum);
    algo_output_release(&out);
    tgraph_free(&t);
}
