/* test_degree_centrality.c: degree-centrality
 * (compute/kernels/degree_centrality.c) through the kernel interface:
 * out/in/both degrees counted by hand, weights summed, the input options
 * (IN reverses, BOTH adds the reverse, SINGLE folds, a limit cuts), the
 * refusals for weights that aren't there, 1 and 2 threads alike. */
#include "kernel_fixture.h"

/* 0->1 (0.5), 0->1 (0.25), 0->2 (2), 1->2 (1), 2->2 (4, a self-loop), 3 alone */
static void small(tgraph *t, int weighted)
{
    uint32_t src[] = {0, 0, 0, 1, 2}, dst[] = {1, 1, 2, 2, 2};
    double w[] = {0.5, 0.25, 2, 1, 4};
    tgraph_build_w(t, 4, src, dst, weighted ? w : NULL, 5);
}

static void expect(const tgraph *t, const char *const *keys, const char *const *vals, size_t n,
                   const double *want)
{
    algo_output one, two;
    run_job(&one, &t->g, "degree-centrality", keys, vals, n, 1);
    run_job(&two, &t->g, "degree-centrality", keys, vals, n, 2);
    cr_assert_eq(one.shape, ALGO_OUT_DOUBLE);
    for (uint64_t v = 0; v < t->g.n; v++)
        cr_expect_eq(one.f64[v], want[v], "%s=%s ...: vertex %llu: %g, want %g", n ? keys[0] : "-",
                     n ? vals[0] : "-", (unsigned long long)v, one.f64[v], want[v]);
    cr_expect_eq(memcmp(one.f64, two.f64, t->g.n * sizeof(double)), 0);
    algo_output_release(&one);
    algo_output_release(&two);
}

Test(degree_centrality, counts_each_direction)
{
    tgraph t;
    small(&t, 0);
    const char *k1[] = {"degree_centrality.direction"};
    const char *out_[] = {"out"}, *in_[] = {"IN"}, *both[] = {"both"};
    expect(&t, NULL, NULL, 0, (double[]){3, 1, 1, 0});
    expect(&t, k1, out_, 1, (double[]){3, 1, 1, 0});
    expect(&t, k1, in_, 1, (double[]){0, 2, 3, 0});
    expect(&t, k1, both, 1, (double[]){3, 3, 4, 0});
    /* input.edge_direction IN reverses first: out-degree there is the in-degree */
    const char *k2[] = {"input.edge_direction", "degree_centrality.direction"};
    expect(&t, k2, (const char *[]){"IN", "out"}, 2, (double[]){0, 2, 3, 0});
    /* BOTH adds the reverse of each edge: out-degree is in + out */
    expect(&t, k2, (const char *[]){"BOTH", "out"}, 2, (double[]){3, 3, 4, 0});
    /* SINGLE folds 0->1 twice into one (the self-loop stays) */
    const char *k3[] = {"input.edge_freq"};
    expect(&t, k3, (const char *[]){"SINGLE"}, 1, (double[]){2, 1, 1, 0});
    /* a limit of 1 keeps 0's first out-edge */
    const char *k4[] = {"input.limit_edges_in_one_vertex"};
    expect(&t, k4, (const char *[]){"1"}, 1, (double[]){1, 1, 1, 0});
    tgraph_free(&t);
}

Test(degree_centrality, sums_weights)
{
    tgraph t;
    small(&t, 1);
    const char *k[] = {"degree_centrality.weight_property", "degree_centrality.direction"};
    expect(&t, k, (const char *[]){"weight", "out"}, 2, (double[]){2.75, 1, 4, 0});
    expect(&t, k, (const char *[]){"weight", "in"}, 2, (double[]){0, 0.75, 7, 0});
    expect(&t, k, (const char *[]){"weight", "both"}, 2, (double[]){2.75, 1.75, 11, 0});
    const char *k2[] = {"degree_centrality.weight_property", "input.edge_direction"};
    expect(&t, k2, (const char *[]){"weight", "IN"}, 2, (double[]){0, 0.75, 7, 0});
    expect(&t, k2, (const char *[]){"weight", "BOTH"}, 2, (double[]){2.75, 1.75, 11, 0});
    /* empty: every edge counts 1, weights or not */
    expect(&t, k, (const char *[]){"", "out"}, 2, (double[]){3, 1, 1, 0});
    tgraph_free(&t);
}

static void refused(const tgraph *t, const char *const *keys, const char *const *vals, size_t n,
                    const char *says)
{
    algo_output out;
    char msg[ALGO_MSG_MAX] = "";
    cr_expect_eq(run_job_rc(&out, &t->g, "degree-centrality", keys, vals, n, 1, NULL, msg),
                 ALGO_EINVAL);
    cr_expect(strstr(msg, says) != NULL, "message '%s' should say '%s'", msg, says);
    algo_output_release(&out);
}

Test(degree_centrality, refuses_weights_it_cannot_sum)
{
    tgraph plain, weighted;
    small(&plain, 0);
    small(&weighted, 1);
    const char *k[] = {"degree_centrality.weight_property"};
    refused(&plain, k, (const char *[]){"weight"}, 1, "has no edge weights");
    refused(&weighted, k, (const char *[]){"cost"}, 1, "'cost' is not an edge weight");
    const char *k2[] = {"degree_centrality.weight_property", "input.edge_freq"};
    refused(&weighted, k2, (const char *[]){"weight", "SINGLE"}, 2, "folded edge");
    tgraph_free(&plain);
    tgraph_free(&weighted);
}

Test(degree_centrality, bad_options_are_refused_by_the_catalog)
{
    const algo_spec *spec = algo_catalog_find("DegreeCentrality");
    cr_assert_not_null(spec);
    cr_expect_eq(
        algo_catalog_find_class(
            "org.apache.hugegraph.computer.algorithm.centrality.degree.DegreeCentralityParams"),
        spec);
    algo_params p;
    char msg[ALGO_MSG_MAX] = "";
    const char *k[] = {"degree_centrality.direction"}, *v[] = {"sideways"};
    cr_expect_lt(algo_params_check(&p, spec, k, v, 1, msg), 0);
    cr_expect(strstr(msg, "out, in, both") != NULL, "%s", msg);
}
