/* test_lpa.c: lpa (compute/kernels/lpa.c) through the kernel interface:
 * LDBC Graphalytics' CDLP references (lpa with BOTH, exact), the
 * definition written out plainly on random graphs for OUT and IN, 1 and 2
 * threads alike, the step count, and a stop; over many steps, that
 * recomputing only the vertices whose in-neighbours changed is the definition. */
#include "kernel_fixture.h"

/* The definition: labels flow along edge_dir (0 OUT: u->v gives v u's
 * label; 1 IN: against; 2 BOTH: both), most frequent, ties smallest. */
static int64_t naive_lpa(const tgraph *t, int dir, int steps, uint32_t *label)
{
    uint64_t n = t->g.n;
    uint32_t *next = malloc(n * sizeof *next);
    uint64_t *count = calloc(n, sizeof *count);
    int64_t done = 0;
    for (uint64_t v = 0; v < n; v++)
        label[v] = (uint32_t)v;
    for (int s = 0; s < steps; s++) {
        uint64_t changed = 0;
        for (uint64_t v = 0; v < n; v++) {
            /* count labels of the vertices whose label flows into v */
            for (int k = 0; k < 2; k++) {
                if ((dir == 0 && k == 1) || (dir == 1 && k == 0))
                    continue;
                const uint64_t *off = k ? t->out_off : t->in_off;
                const uint32_t *nbr = k ? t->out_dst : t->in_src;
                for (uint64_t e = off[v]; e < off[v + 1]; e++)
                    count[label[nbr[e]]]++;
            }
            uint32_t best = label[v];
            uint64_t best_count = 0;
            for (uint64_t l = 0; l < n; l++)
                if (count[l] > best_count) {
                    best = (uint32_t)l;
                    best_count = count[l];
                }
            memset(count, 0, n * sizeof *count);
            next[v] = best;
            changed += best != label[v];
        }
        memcpy(label, next, n * sizeof *next);
        done = s + 1;
        if (!changed)
            break;
    }
    free(next);
    free(count);
    return done;
}

static void ga_case(const char *name, int undirected, const char *steps, int threads)
{
    tgraph t;
    ga_load(&t, name, undirected);
    const char *keys[] = {"input.edge_direction", "bsp.max_super_step"};
    const char *vals[] = {"BOTH", steps};
    algo_output out;
    run_job(&out, &t.g, "lpa", keys, vals, 2, threads);
    cr_assert_eq(out.shape, ALGO_OUT_VERTEX);
    double *want = malloc(t.g.n * sizeof *want);
    ga_reference(&t, name, "CDLP", want);
    for (uint64_t v = 0; v < t.g.n; v++)
        cr_expect_eq((double)t.ids[out.vtx[v]], want[v], "%s vertex %lld: label %lld, want %.0f",
                     name, (long long)t.ids[v], (long long)t.ids[out.vtx[v]], want[v]);
    free(want);
    algo_output_release(&out);
    tgraph_free(&t);
}

Test(lpa, graphalytics_cdlp_references)
{
    for (int threads = 1; threads <= 2; threads++) {
        ga_case("example-directed", 0, "2", threads);
        ga_case("example-undirected", 1, "2", threads);
        ga_case("test-cdlp-directed", 0, "5", threads);
        ga_case("test-cdlp-undirected", 1, "5", threads);
    }
}

Test(lpa, definition_on_random_graphs_each_direction)
{
    const char *dirs[] = {"OUT", "IN", "BOTH"};
    tgraph t;
    random_graph(&t, 600, 1500); /* with self-loops and parallel edges */
    uint32_t *want = malloc(t.g.n * sizeof *want);
    for (int d = 0; d < 3; d++) {
        int64_t steps = naive_lpa(&t, d, 7, want);
        const char *keys[] = {"input.edge_direction", "bsp.max_super_step"};
        const char *vals[] = {dirs[d], "7"};
        algo_output one, two;
        run_job(&one, &t.g, "lpa", keys, vals, 2, 1);
        run_job(&two, &t.g, "lpa", keys, vals, 2, 2);
        cr_expect_eq(memcmp(one.vtx, want, t.g.n * sizeof *want), 0,
                     "%s: differs from the definition", dirs[d]);
        cr_expect_eq(memcmp(one.vtx, two.vtx, t.g.n * sizeof *want), 0,
                     "%s: 1 and 2 threads differ", dirs[d]);
        cr_expect_eq(out_stat(&one, "supersteps")->i, steps);
        algo_output_release(&one);
        algo_output_release(&two);
    }
    free(want);
    tgraph_free(&t);
}

Test(lpa, same_labels_for_any_thread_count_on_a_big_graph)
{
    tgraph t;
    random_graph(&t, 60000, 300000);
    const char *keys[] = {"bsp.max_super_step"}, *vals[] = {"6"};
    algo_output one, two;
    run_job(&one, &t.g, "lpa", keys, vals, 1, 1);
    run_job(&two, &t.g, "lpa", keys, vals, 1, 2);
    cr_expect_eq(memcmp(one.vtx, two.vtx, t.g.n * sizeof(uint32_t)), 0);
    algo_output_release(&one);
    algo_output_release(&two);
    tgraph_free(&t);
}

Test(lpa, max_super_step_bounds_the_steps)
{
    /* a directed cycle never settles: labels rotate every step */
    uint32_t src[] = {0, 1, 2, 3}, dst[] = {1, 2, 3, 0};
    tgraph t;
    tgraph_build(&t, 4, src, dst, 4);
    const char *keys[] = {"bsp.max_super_step"}, *vals[] = {"3"};
    algo_output out;
    run_job(&out, &t.g, "lpa", keys, vals, 1, 2);
    uint32_t want[] = {1, 2, 3, 0}; /* after 3 steps v holds (v - 3) mod 4 */
    cr_expect_eq(memcmp(out.vtx, want, sizeof want), 0, "%u %u %u %u", out.vtx[0], out.vtx[1],
                 out.vtx[2], out.vtx[3]);
    cr_expect_eq(out_stat(&out, "supersteps")->i, 3);
    cr_expect_eq(out_stat(&out, "converged")->i, 0);
    algo_output_release(&out);
    tgraph_free(&t);
}

Test(lpa, stops_when_asked)
{
    tgraph t;
    random_graph(&t, 10000, 40000);
    const char *keys[] = {"bsp.max_super_step"}, *vals[] = {"50"};
    stop_after stop = {0, 2};
    algo_output out;
    char msg[ALGO_MSG_MAX] = "";
    cr_expect_eq(run_job_rc(&out, &t.g, "lpa", keys, vals, 1, 2, &stop, msg), ALGO_ESTOPPED);
    cr_expect_eq(stop.calls, 2);
    cr_expect(strstr(msg, "superstep 2") != NULL, "%s", msg);
    algo_output_release(&out);
    tgraph_free(&t);
}

Test(lpa, definition_on_a_dense_graph)
{
    /* in-degrees around 40 (BOTH: 80): the hash-counted path, many ties */
    tgraph t;
    random_graph(&t, 200, 8000);
    uint32_t *want = malloc(t.g.n * sizeof *want);
    const char *dirs[] = {"OUT", "BOTH"};
    for (int d = 0; d < 2; d++) {
        naive_lpa(&t, d == 0 ? 0 : 2, 5, want);
        const char *keys[] = {"input.edge_direction", "bsp.max_super_step"};
        const char *vals[] = {dirs[d], "5"};
        algo_output one, two;
        run_job(&one, &t.g, "lpa", keys, vals, 2, 1);
        run_job(&two, &t.g, "lpa", keys, vals, 2, 2);
        cr_expect_eq(memcmp(one.vtx, want, t.g.n * sizeof *want), 0,
                     "%s: differs from the definition", dirs[d]);
        cr_expect_eq(memcmp(one.vtx, two.vtx, t.g.n * sizeof *want), 0);
        algo_output_release(&one);
        algo_output_release(&two);
    }
    free(want);
    tgraph_free(&t);
}

/* After the first step only vertices with an in-neighbour whose label
 * changed are recomputed: over many steps, as parts of the graph settle
 * and others keep flipping, the labels stay those of the definition
 * (which recomputes every vertex every step), for 1 to 3 threads. */
Test(lpa, recomputing_only_what_changed_is_the_definition)
{
    const uint64_t sizes[][2] = {{2000, 3000}, {5000, 20000}, {9000, 12000}};
    const char *dirs[] = {"OUT", "IN", "BOTH"};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        tgraph t;
        random_graph(&t, sizes[i][0], sizes[i][1]);
        uint32_t *want = malloc(t.g.n * sizeof *want);
        for (int d = 0; d < 3; d++) {
            int64_t steps = naive_lpa(&t, d, 25, want);
            const char *keys[] = {"input.edge_direction", "bsp.max_super_step"};
            const char *vals[] = {dirs[d], "25"};
            for (int threads = 1; threads <= 3; threads++) {
                algo_output out;
                run_job(&out, &t.g, "lpa", keys, vals, 2, threads);
                cr_expect_eq(memcmp(out.vtx, want, t.g.n * sizeof *want), 0,
                             "n=%llu %s, %d threads: differs from the definition",
                             (unsigned long long)t.g.n, dirs[d], threads);
                cr_expect_eq(out_stat(&out, "supersteps")->i, steps);
                algo_output_release(&out);
            }
        }
        free(want);
        tgraph_free(&t);
    }
}
