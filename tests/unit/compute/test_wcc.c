/* test_wcc.c: wcc (compute/kernels/wcc.c) through the kernel interface:
 * LDBC Graphalytics' WCC references (the same partition; our label the
 * smallest vertex), a plain BFS labelling on random graphs, 1 and 2
 * threads alike, the input options, and a stop. */
#include "kernel_fixture.h"

/* Components by BFS over both directions: the smallest vertex of each. */
static void bfs_labels(const tgraph *t, uint32_t *label)
{
    uint64_t n = t->g.n;
    uint32_t *queue = malloc((n ? n : 1) * sizeof *queue);
    for (uint64_t v = 0; v < n; v++)
        label[v] = UINT32_MAX;
    for (uint64_t s = 0; s < n; s++) {
        if (label[s] != UINT32_MAX)
            continue;
        uint64_t head = 0, tail = 0;
        label[s] = (uint32_t)s;
        queue[tail++] = (uint32_t)s;
        while (head < tail) {
            uint32_t x = queue[head++];
            for (int dir = 0; dir < 2; dir++) {
                const uint64_t *off = dir ? t->in_off : t->out_off;
                const uint32_t *nbr = dir ? t->in_src : t->out_dst;
                for (uint64_t e = off[x]; e < off[x + 1]; e++)
                    if (label[nbr[e]] == UINT32_MAX) {
                        label[nbr[e]] = (uint32_t)s;
                        queue[tail++] = nbr[e];
                    }
            }
        }
    }
    free(queue);
}

static void ga_case(const char *name, int undirected, int threads)
{
    tgraph t;
    ga_load(&t, name, undirected);
    algo_output out;
    run_job(&out, &t.g, "wcc", NULL, NULL, 0, threads);
    cr_assert_eq(out.shape, ALGO_OUT_VERTEX);
    double *want = malloc(t.g.n * sizeof *want);
    ga_reference(&t, name, "WCC", want);
    uint64_t n = t.g.n;
    for (uint64_t v = 0; v < n; v++) {
        /* the smallest vertex with v's reference label */
        uint64_t first = v;
        for (uint64_t u = 0; u < n; u++)
            if (want[u] == want[v]) {
                first = u;
                break;
            }
        cr_expect_eq(out.vtx[v], first, "%s vertex %lld: label %u, want %llu", name,
                     (long long)t.ids[v], out.vtx[v], (unsigned long long)first);
    }
    free(want);
    algo_output_release(&out);
    tgraph_free(&t);
}

Test(wcc, graphalytics_references)
{
    for (int threads = 1; threads <= 2; threads++) {
        ga_case("example-directed", 0, threads);
        ga_case("example-undirected", 1, threads);
        ga_case("test-wcc-directed", 0, threads);
        ga_case("test-wcc-undirected", 1, threads);
    }
}

Test(wcc, random_graphs_against_bfs_for_any_thread_count)
{
    /* around the giant component's threshold (m ~ n/2 .. 2n), many sizes */
    const uint64_t sizes[][2] = {{1, 0}, {7, 3}, {5000, 2000}, {20000, 10000}, {50000, 60000}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        tgraph t;
        random_graph(&t, sizes[i][0], sizes[i][1]);
        uint32_t *want = malloc(t.g.n * sizeof *want);
        bfs_labels(&t, want);
        algo_output one, two, three;
        run_job(&one, &t.g, "wcc", NULL, NULL, 0, 1);
        run_job(&two, &t.g, "wcc", NULL, NULL, 0, 2);
        run_job(&three, &t.g, "wcc", NULL, NULL, 0, 3);
        cr_expect_eq(memcmp(one.vtx, want, t.g.n * sizeof *want), 0, "n=%llu: differs from BFS",
                     (unsigned long long)t.g.n);
        cr_expect_eq(memcmp(one.vtx, two.vtx, t.g.n * sizeof *want), 0, "1 and 2 threads differ");
        cr_expect_eq(memcmp(one.vtx, three.vtx, t.g.n * sizeof *want), 0, "1 and 3 threads differ");
        uint64_t comps = 0;
        for (uint64_t v = 0; v < t.g.n; v++)
            comps += want[v] == v;
        cr_expect_eq(out_stat(&one, "components")->i, (int64_t)comps);
        free(want);
        algo_output_release(&one);
        algo_output_release(&two);
        algo_output_release(&three);
        tgraph_free(&t);
    }
}

Test(wcc, direction_does_not_matter_but_a_limit_does)
{
    /* 0->1, 0->2, 3->2, 4 alone: one component {0,1,2,3} and {4} */
    uint32_t src[] = {0, 0, 3}, dst[] = {1, 2, 2};
    tgraph t;
    tgraph_build(&t, 5, src, dst, 3);
    const char *dirs[] = {"OUT", "IN", "BOTH"};
    for (int d = 0; d < 3; d++) {
        const char *keys[] = {"input.edge_direction"}, *vals[] = {dirs[d]};
        algo_output out;
        run_job(&out, &t.g, "wcc", keys, vals, 1, 2);
        uint32_t want[] = {0, 0, 0, 0, 4};
        cr_expect_eq(memcmp(out.vtx, want, sizeof want), 0, "direction %s", dirs[d]);
        algo_output_release(&out);
    }
    /* one out-edge a vertex: 0->2 is cut, so 1 and 0 stay apart from 2, 3 */
    const char *keys[] = {"input.limit_edges_in_one_vertex"}, *vals[] = {"1"};
    algo_output out;
    run_job(&out, &t.g, "wcc", keys, vals, 1, 1);
    uint32_t want[] = {0, 0, 2, 2, 4};
    cr_expect_eq(memcmp(out.vtx, want, sizeof want), 0, "limit 1: %u %u %u %u %u", out.vtx[0],
                 out.vtx[1], out.vtx[2], out.vtx[3], out.vtx[4]);
    algo_output_release(&out);
    tgraph_free(&t);
}

Test(wcc, stops_when_asked)
{
    tgraph t;
    random_graph(&t, 10000, 20000);
    stop_after stop = {0, 1};
    algo_output out;
    char msg[ALGO_MSG_MAX] = "";
    cr_expect_eq(run_job_rc(&out, &t.g, "wcc", NULL, NULL, 0, 2, &stop, msg), ALGO_ESTOPPED);
    cr_expect_eq(stop.calls, 1, "no work after the stop");
    cr_expect(strstr(msg, "stopped") != NULL, "%s", msg);
    algo_output_release(&out);
    tgraph_free(&t);
}
