/* test_triangle_count.c: triangle-count (compute/kernels/triangle_count.c)
 * through the kernel interface against every triple of an adjacency
 * matrix, on graphs with self-loops, parallel edges, edges both ways and
 * isolated vertices; 1, 2 and 3 threads alike; the input options; a stop. */
#include "triangle_count.h"
#include "undirected_fixture.h"

static void check(const tgraph *t, const char *const *keys, const char *const *vals, size_t nk)
{
    uint64_t n = t->g.n;
    unsigned char *adj = adjacency(t);
    int64_t *want = calloc(n ? n : 1, sizeof *want), total = 0;
    brute_triangles(adj, n, want);
    for (uint64_t v = 0; v < n; v++)
        total += want[v];
    for (int threads = 1; threads <= 3; threads++) {
        algo_output out;
        run_job(&out, &t->g, "triangle-count", keys, vals, nk, threads);
        cr_assert_eq(out.shape, ALGO_OUT_INT64);
        for (uint64_t v = 0; v < n; v++)
            cr_expect_eq(out.i64[v], want[v], "n=%llu, %d threads, vertex %llu: %lld, want %lld",
                         (unsigned long long)n, threads, (unsigned long long)v,
                         (long long)out.i64[v], (long long)want[v]);
        cr_expect_eq(out_stat(&out, "triangles")->i, total / 3);
        algo_output_release(&out);
    }
    free(adj);
    free(want);
}

Test(triangle_count, every_triple_on_random_graphs)
{
    const uint64_t sizes[][2] = {{0, 0}, {1, 2}, {3, 3}, {50, 400}, {400, 6000}, {9000, 60000}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        tgraph t;
        if (sizes[i][0] == 0) {
            tgraph_build(&t, 0, NULL, NULL, 0);
        } else {
            random_graph(&t, sizes[i][0], sizes[i][1]);
        }
        if (sizes[i][0] <= 400) {
            check(&t, NULL, NULL, 0);
        } else { /* too big for the matrix: 1 and 2 threads alike */
            algo_output one, two;
            run_job(&one, &t.g, "triangle-count", NULL, NULL, 0, 1);
            run_job(&two, &t.g, "triangle-count", NULL, NULL, 0, 2);
            cr_expect_eq(memcmp(one.i64, two.i64, t.g.n * sizeof(int64_t)), 0);
            int64_t sum = 0;
            for (uint64_t v = 0; v < t.g.n; v++)
                sum += one.i64[v];
            cr_expect_eq(sum, 3 * out_stat(&one, "triangles")->i);
            algo_output_release(&one);
            algo_output_release(&two);
        }
        tgraph_free(&t);
    }
}

Test(triangle_count, direction_and_folding_change_nothing_a_limit_does)
{
    /* K4 on 0..3 one way, doubled edges, self-loops; 4-5 a lone edge */
    uint32_t src[] = {0, 0, 0, 1, 1, 2, 1, 3, 3, 4}, dst[] = {1, 2, 3, 2, 3, 3, 0, 3, 0, 5};
    tgraph t;
    tgraph_build(&t, 6, src, dst, 10);
    int64_t k4[] = {3, 3, 3, 3, 0, 0};
    const char *keys[] = {"input.edge_direction", "input.edge_freq"};
    const char *combos[][2] = {{"OUT", "MULTIPLE"}, {"IN", "MULTIPLE"}, {"BOTH", "SINGLE"}};
    for (int c = 0; c < 3; c++) {
        algo_output out;
        run_job(&out, &t.g, "triangle-count", keys, combos[c], 2, 2);
        cr_expect_eq(memcmp(out.i64, k4, sizeof k4), 0, "%s %s", combos[c][0], combos[c][1]);
        algo_output_release(&out);
    }
    check(&t, NULL, NULL, 0);
    /* one out-edge a vertex (OUT): 0->1, 1->0, 2->3, 3->0, 4->5: no triangle */
    const char *lk[] = {"input.limit_edges_in_one_vertex"}, *lv[] = {"1"};
    algo_output out;
    run_job(&out, &t.g, "triangle-count", lk, lv, 1, 1);
    int64_t none[6] = {0};
    cr_expect_eq(memcmp(out.i64, none, sizeof none), 0);
    algo_output_release(&out);
    tgraph_free(&t);
}

Test(triangle_count, stops_when_asked)
{
    tgraph t;
    random_graph(&t, 200000, 800000);
    stop_after stop = {0, 2};
    algo_output out;
    char msg[ALGO_MSG_MAX] = "";
    cr_expect_eq(run_job_rc(&out, &t.g, "triangle-count", NULL, NULL, 0, 2, &stop, msg),
                 ALGO_ESTOPPED);
    cr_expect_eq(stop.calls, 2);
    cr_expect(strstr(msg, "triangle-count: stopped") == msg, "%s", msg);
    algo_output_release(&out);
    tgraph_free(&t);
}

/* The shared count array (atomic adds, used when per-member arrays would
 * be too big) gives what per-member arrays give, for 1 to 3 threads. A
 * sparse graph (counts bigger than the orientation) with a dense part (so
 * there are triangles to count). */
Test(triangle_count, shared_counts_equal_per_member_counts)
{
    enum { N = 6000, DENSE = 120 };
    uint32_t src[12000], dst[12000];
    size_t m = 0;
    for (; m < 4000; m++) {
        src[m] = (uint32_t)(fixture_rng() % N);
        dst[m] = (uint32_t)(fixture_rng() % N);
    }
    for (; m < 12000; m++) {
        src[m] = (uint32_t)(fixture_rng() % DENSE);
        dst[m] = (uint32_t)(fixture_rng() % DENSE);
    }
    tgraph t;
    tgraph_build(&t, N, src, dst, m);
    algo_graph_view view;
    char msg[ALGO_MSG_MAX] = "";
    cr_assert_eq(algo_graph_view_init(&view, &t.g, ALGO_DIR_OUT, ALGO_FREQ_MULTIPLE, -1, msg), 0,
                 "%s", msg);
    int64_t *want = calloc(N, sizeof *want), *got = calloc(N, sizeof *got);
    uint64_t want_total = 0, got_total = 0;
    for (int threads = 1; threads <= 3; threads++) {
        algo_team *team = NULL;
        algo_undirected u;
        cr_assert_eq(algo_team_new(&team, threads, msg), 0, "%s", msg);
        cr_assert_eq(algo_undirected_init(&u, &view, team, msg), 0, "%s", msg);
        /* shared only if the counts outgrow the orientation: check the set-up does */
        cr_assert_gt((uint64_t)threads * N * 8, u.m / 2 * 4);
        const algo_triangles_tuning shared = {0, ALGO_TRIANGLES_HUBS, ALGO_TRIANGLES_WORD_COST};
        cr_assert_eq(algo_triangles_with(got, &got_total, &u, team, NULL, &shared, msg), 0, "%s",
                     msg);
        if (threads == 1) {
            cr_assert_eq(algo_triangles(want, &want_total, &u, team, NULL, msg), 0, "%s", msg);
            cr_assert_gt(want_total, 100, "the dense part should hold triangles");
        }
        cr_expect_eq(got_total, want_total, "%d threads", threads);
        cr_expect_eq(memcmp(got, want, N * sizeof *got), 0, "%d threads: counts differ", threads);
        algo_undirected_release(&u);
        algo_team_free(team);
    }
    free(want);
    free(got);
    algo_graph_view_release(&view);
    tgraph_free(&t);
}

/* Every split of the work counts every triple: no hubs (bitmap probes
 * only), a few, half, all (the hub matrix wherever it is shorter); per
 * member and shared counts; 1 to 3 threads. Graphs dense enough that both
 * sides of a pair get chosen. */
Test(triangle_count, every_split_counts_every_triple)
{
    const uint64_t sizes[][2] = {{50, 400}, {300, 6000}, {400, 1500}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        tgraph t;
        random_graph(&t, sizes[s][0], sizes[s][1]);
        const uint64_t n = t.g.n;
        unsigned char *adj = adjacency(&t);
        int64_t *want = calloc(n, sizeof *want), *got = calloc(n, sizeof *got), total = 0;
        brute_triangles(adj, n, want);
        for (uint64_t v = 0; v < n; v++)
            total += want[v];
        algo_graph_view view;
        char msg[ALGO_MSG_MAX] = "";
        cr_assert_eq(algo_graph_view_init(&view, &t.g, ALGO_DIR_OUT, ALGO_FREQ_MULTIPLE, -1, msg),
                     0, "%s", msg);
        const uint64_t hubs[] = {0, 1, 7, n / 2, n, n + 5};
        for (int threads = 1; threads <= 3; threads++) {
            algo_team *team = NULL;
            algo_undirected u;
            cr_assert_eq(algo_team_new(&team, threads, msg), 0, "%s", msg);
            cr_assert_eq(algo_undirected_init(&u, &view, team, msg), 0, "%s", msg);
            for (size_t h = 0; h < sizeof hubs / sizeof hubs[0]; h++) {
                for (int split = 0; split < 4; split++) {
                    /* counts per member taking words always, by default
                     * and never; then shared counts (probes only) where
                     * more than one member and the orientation allow */
                    const uint64_t costs[] = {0, ALGO_TRIANGLES_WORD_COST, UINT64_MAX, 0};
                    const int shared = split == 3;
                    algo_triangles_tuning tuning = {shared ? 0 : ALGO_TRIANGLES_LOCAL_MAX, hubs[h],
                                                    costs[split]};
                    uint64_t got_total = 0;
                    cr_assert_eq(algo_triangles_with(got, &got_total, &u, team, NULL, &tuning, msg),
                                 0, "%s", msg);
                    cr_expect_eq((int64_t)got_total, total / 3, "n=%llu hubs=%llu %d threads",
                                 (unsigned long long)n, (unsigned long long)hubs[h], threads);
                    cr_expect_eq(memcmp(got, want, n * sizeof *got), 0,
                                 "n=%llu hubs=%llu split %d, %d threads: counts differ",
                                 (unsigned long long)n, (unsigned long long)hubs[h], split,
                                 threads);
                }
            }
            algo_undirected_release(&u);
            algo_team_free(team);
        }
        algo_graph_view_release(&view);
        free(adj);
        free(want);
        free(got);
        tgraph_free(&t);
    }
}
