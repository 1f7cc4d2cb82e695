/* test_clustering_coefficient.c: clustering-coefficient
 * (compute/kernels/clustering_coefficient.c) through the kernel interface
 * against LDBC Graphalytics' LCC on undirected graphs (relative 1e-4, its
 * own tolerance) and 2T/(d(d-1)) from an adjacency matrix; 1 and 2
 * threads alike. */
#include "undirected_fixture.h"

static void ga_case(const char *name, int threads)
{
    tgraph t;
    ga_load(&t, name, 1);
    algo_output out;
    run_job(&out, &t.g, "clustering-coefficient", NULL, NULL, 0, threads);
    cr_assert_eq(out.shape, ALGO_OUT_DOUBLE);
    double *want = malloc(t.g.n * sizeof *want);
    ga_reference(&t, name, "LCC", want);
    for (uint64_t v = 0; v < t.g.n; v++)
        cr_expect_leq(fabs(out.f64[v] - want[v]), 1e-4 * fabs(want[v]) + 1e-15,
                      "%s vertex %lld: %.17g, want %.17g", name, (long long)t.ids[v], out.f64[v],
                      want[v]);
    free(want);
    algo_output_release(&out);
    tgraph_free(&t);
}

Test(clustering_coefficient, graphalytics_lcc_undirected)
{
    for (int threads = 1; threads <= 2; threads++) {
        ga_case("example-undirected", threads);
        ga_case("test-lcc-undirected", threads);
    }
}

Test(clustering_coefficient, definition_on_random_graphs)
{
    const uint64_t sizes[][2] = {{1, 1}, {4, 10}, {80, 500}, {400, 5000}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        tgraph t;
        random_graph(&t, sizes[i][0], sizes[i][1]);
        uint64_t n = t.g.n;
        unsigned char *adj = adjacency(&t);
        int64_t *tri = malloc(n * sizeof *tri);
        brute_triangles(adj, n, tri);
        algo_output one, two;
        run_job(&one, &t.g, "clustering-coefficient", NULL, NULL, 0, 1);
        run_job(&two, &t.g, "clustering-coefficient", NULL, NULL, 0, 2);
        for (uint64_t v = 0; v < n; v++) {
            double d = (double)adj_degree(adj, n, v);
            double want = d < 2 ? 0 : 2.0 * (double)tri[v] / (d * (d - 1));
            cr_expect_leq(fabs(one.f64[v] - want), 1e-15, "vertex %llu: %.17g, want %.17g",
                          (unsigned long long)v, one.f64[v], want);
        }
        cr_expect_eq(memcmp(one.f64, two.f64, n * sizeof(double)), 0);
        free(adj);
        free(tri);
        algo_output_release(&one);
        algo_output_release(&two);
        tgraph_free(&t);
    }
}

Test(clustering_coefficient, stops_when_asked)
{
    tgraph t;
    random_graph(&t, 200000, 800000);
    stop_after stop = {0, 1};
    algo_output out;
    char msg[ALGO_MSG_MAX] = "";
    cr_expect_eq(run_job_rc(&out, &t.g, "clustering-coefficient", NULL, NULL, 0, 2, &stop, msg),
                 ALGO_ESTOPPED);
    cr_expect(strstr(msg, "clustering-coefficient: stopped") == msg, "%s", msg);
    algo_output_release(&out);
    tgraph_free(&t);
}
