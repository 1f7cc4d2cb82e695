/* test_pagerank_options.c: page-rank's input options (compute/kernels/pagerank.c)
 * against graphs built to mean the same thing: SINGLE (and SINGLE per label) folds
 * parallel edges, IN is OUT on the reversed graph, BOTH is OUT on the doubled graph, the
 * limit keeps the first out-edges; the view that BOTH with SINGLE builds and the one the
 * defaults borrow; the options refused and the empty graph; and page-rank run as a job
 * through the kernel interface (the catalog, the view, a team). The ranks themselves are
 * in test_pagerank.c.
 *
 * Graphs are built here as plain CSR arrays (pagerank_fixture.h; no snapshot file).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "page_rank.h"
#include "specs/page_rank.h"
#include "pagerank_fixture.h"

/* ---- input options --------------------------------------------------- */

static void expect_same(const algo_graph *a, const algo_pagerank_opts *oa, const algo_graph *b,
                        const algo_pagerank_opts *ob, double tol)
{
    cr_assert_eq(a->n, b->n);
    double *ra = malloc(a->n * sizeof *ra), *rb = malloc(a->n * sizeof *rb);
    algo_pagerank_stats sa, sb;
    run_pr(ra, &sa, a, oa);
    run_pr(rb, &sb, b, ob);
    for (uint64_t v = 0; v < a->n; v++)
        cr_expect_leq(fabs(ra[v] - rb[v]), tol, "vertex %llu: %.17g vs %.17g",
                      (unsigned long long)v, ra[v], rb[v]);
    cr_expect_eq(sa.edges, sb.edges);
    free(ra);
    free(rb);
}

Test(pagerank, single_folds_parallel_edges)
{
    /* a random graph, then every edge repeated 1-3 times */
    const uint64_t n = 3000, m = 6000;
    uint32_t *src = malloc(m * sizeof *src), *dst = malloc(m * sizeof *dst);
    uint32_t *s3 = malloc(3 * m * sizeof *s3), *d3 = malloc(3 * m * sizeof *d3);
    uint64_t m1 = 0, m3 = 0;
    for (uint64_t e = 0; e < m; e++) {
        uint32_t a = (uint32_t)(fixture_rng() % n), b = (uint32_t)(fixture_rng() % n);
        int dup = 0;
        for (uint64_t k = 0; k < m1 && !dup; k++) /* keep the base graph simple */
            dup = src[k] == a && dst[k] == b;
        if (dup)
            continue;
        src[m1] = a;
        dst[m1++] = b;
        for (uint64_t r = 0; r < 1 + fixture_rng() % 3; r++) {
            s3[m3] = a;
            d3[m3++] = b;
        }
    }
    tgraph base, multi;
    tgraph_build(&base, n, src, dst, m1);
    tgraph_build(&multi, n, s3, d3, m3);
    cr_assert_gt(m3, m1);
    algo_pagerank_opts o, os;
    algo_pagerank_opts_init(&o);
    o.l1_threshold = 0;
    o.max_steps = 20;
    os = o;
    os.freq = ALGO_FREQ_SINGLE;
    os.threads = 2;
    expect_same(&base.g, &o, &multi.g, &os, 0);
    os.freq = ALGO_FREQ_SINGLE_PER_LABEL;
    expect_same(&base.g, &o, &multi.g, &os, 0);
    os.dir = ALGO_DIR_IN;
    o.dir = ALGO_DIR_IN;
    expect_same(&base.g, &o, &multi.g, &os, 0);
    free(src);
    free(dst);
    free(s3);
    free(d3);
    tgraph_free(&base);
    tgraph_free(&multi);
}

Test(pagerank, in_is_out_on_reversed_graph)
{
    const uint64_t n = 6000, m = 30000;
    uint32_t *src = malloc(m * sizeof *src), *dst = malloc(m * sizeof *dst);
    for (uint64_t e = 0; e < m; e++) {
        src[e] = (uint32_t)(fixture_rng() % n);
        dst[e] = (uint32_t)(fixture_rng() % (n / 2)); /* plenty of vertices without in-edges */
    }
    tgraph g, rev;
    tgraph_build(&g, n, src, dst, m);
    tgraph_build(&rev, n, dst, src, m);
    algo_pagerank_opts oi, oo;
    algo_pagerank_opts_init(&oi);
    oi.l1_threshold = 0;
    oi.max_steps = 12;
    oo = oi;
    oi.dir = ALGO_DIR_IN;
    oi.threads = 3;
    expect_same(&g.g, &oi, &rev.g, &oo, 0);
    /* with folding and a limit too (both built on the heap) */
    oi.freq = oo.freq = ALGO_FREQ_SINGLE;
    oi.limit_edges = oo.limit_edges = 3;
    expect_same(&g.g, &oi, &rev.g, &oo, 0);
    free(src);
    free(dst);
    tgraph_free(&g);
    tgraph_free(&rev);
}

Test(pagerank, both_is_out_on_doubled_graph)
{
    const uint64_t n = 2000, m = 9000;
    uint32_t *src = malloc(2 * m * sizeof *src), *dst = malloc(2 * m * sizeof *dst);
    for (uint64_t e = 0; e < m; e++) {
        src[e] = dst[m + e] = (uint32_t)(fixture_rng() % n);
        dst[e] = src[m + e] = (uint32_t)(fixture_rng() % n);
    }
    tgraph g, dbl;
    tgraph_build(&g, n, src, dst, m);
    tgraph_build(&dbl, n, src, dst, 2 * m);
    algo_pagerank_opts ob, oo;
    algo_pagerank_opts_init(&ob);
    ob.l1_threshold = 0;
    ob.max_steps = 10;
    oo = ob;
    ob.dir = ALGO_DIR_BOTH;
    expect_same(&g.g, &ob, &dbl.g, &oo, 1e-15);
    ob.freq = oo.freq = ALGO_FREQ_SINGLE;
    expect_same(&g.g, &ob, &dbl.g, &oo, 0);
    free(src);
    free(dst);
    tgraph_free(&g);
    tgraph_free(&dbl);
}

Test(pagerank, limit_keeps_first_out_edges)
{
    const uint64_t n = 3000, m = 20000;
    uint32_t *src = malloc(m * sizeof *src), *dst = malloc(m * sizeof *dst);
    for (uint64_t e = 0; e < m; e++) {
        src[e] = (uint32_t)(fixture_rng() % n);
        dst[e] = (uint32_t)(fixture_rng() % n);
    }
    tgraph g;
    tgraph_build(&g, n, src, dst, m);
    /* the same graph cut by hand: the first 4 out-edges (lowest targets) */
    const int64_t L = 4;
    uint32_t *cs = malloc(m * sizeof *cs), *cd = malloc(m * sizeof *cd);
    uint64_t mc = 0;
    for (uint64_t v = 0; v < n; v++)
        for (uint64_t e = g.out_off[v]; e < g.out_off[v + 1] && e < g.out_off[v] + L; e++) {
            cs[mc] = (uint32_t)v;
            cd[mc++] = g.out_dst[e];
        }
    tgraph cut;
    tgraph_build(&cut, n, cs, cd, mc);
    algo_pagerank_opts ol, oo;
    algo_pagerank_opts_init(&ol);
    ol.l1_threshold = 0;
    ol.max_steps = 10;
    oo = ol;
    ol.limit_edges = L;
    expect_same(&g.g, &ol, &cut.g, &oo, 0);
    /* a limit above every degree changes nothing (and copies nothing) */
    ol.limit_edges = 1000;
    expect_same(&g.g, &ol, &g.g, &oo, 0);
    free(src);
    free(dst);
    free(cs);
    free(cd);
    tgraph_free(&g);
    tgraph_free(&cut);
}

Test(pagerank, view_both_single_is_sorted_and_folded)
{
    /* 0->1 0->1 1->0 1->2 2->2 */
    const uint32_t src[] = {0, 0, 1, 1, 2}, dst[] = {1, 1, 0, 2, 2};
    tgraph t;
    tgraph_build(&t, 3, src, dst, 5);
    algo_graph_view v;
    char msg[ALGO_MSG_MAX];
    cr_assert_eq(algo_graph_view_init(&v, &t.g, ALGO_DIR_BOTH, ALGO_FREQ_SINGLE, -1, msg), 0);
    cr_assert_eq(v.parts, 1);
    cr_assert_not_null(v.heap_);
    /* out: 0:{1} 1:{0,2} 2:{1,2} */
    const uint64_t want_off[] = {0, 1, 3, 5};
    const uint32_t want_nbr[] = {1, 0, 2, 1, 2};
    cr_expect_eq(v.m, 5);
    for (int i = 0; i < 4; i++)
        cr_expect_eq(v.out[0].off[i], want_off[i]);
    for (int i = 0; i < 5; i++)
        cr_expect_eq(v.out[0].nbr[i], want_nbr[i]);
    /* symmetric, so the in-lists are the same */
    for (int i = 0; i < 4; i++)
        cr_expect_eq(v.in[0].off[i], want_off[i]);
    for (int i = 0; i < 5; i++)
        cr_expect_eq(v.in[0].nbr[i], want_nbr[i]);
    algo_graph_view_release(&v);
    algo_graph_view_release(&v);

    /* the defaults borrow the snapshot */
    cr_assert_eq(algo_graph_view_init(&v, &t.g, ALGO_DIR_OUT, ALGO_FREQ_MULTIPLE, -1, msg), 0);
    cr_expect_null(v.heap_);
    cr_expect_eq(v.out[0].nbr, t.g.out_dst);
    cr_expect_eq(v.in[0].nbr, t.g.in_src);
    algo_graph_view_release(&v);
    tgraph_free(&t);
}

Test(pagerank, bad_options_and_empty_graph)
{
    tgraph t;
    const uint32_t src[] = {0}, dst[] = {1};
    tgraph_build(&t, 2, src, dst, 1);
    double r[2];
    algo_pagerank_stats st;
    char msg[ALGO_MSG_MAX];
    algo_pagerank_opts o;
    algo_pagerank_opts_init(&o);
    o.alpha = 1.5;
    cr_expect_eq(algo_pagerank(r, &st, &t.g, &o, msg), ALGO_EINVAL);
    cr_expect_not_null(strstr(msg, "alpha"), "%s", msg);
    o.alpha = NAN;
    cr_expect_eq(algo_pagerank(r, &st, &t.g, &o, msg), ALGO_EINVAL);
    algo_pagerank_opts_init(&o);
    o.l1_threshold = -1;
    cr_expect_eq(algo_pagerank(r, &st, &t.g, &o, msg), ALGO_EINVAL);
    algo_pagerank_opts_init(&o);
    o.max_steps = 0;
    cr_expect_eq(algo_pagerank(r, &st, &t.g, &o, msg), ALGO_EINVAL);
    algo_pagerank_opts_init(&o);
    o.threads = 0;
    cr_expect_eq(algo_pagerank(r, &st, &t.g, &o, msg), ALGO_EINVAL);
    algo_pagerank_opts_init(&o);
    cr_expect_eq(algo_pagerank(r, &st, &t.g, NULL, msg), ALGO_EINVAL);
    cr_expect_str_eq(algo_kernel_strerror(ALGO_ESTOPPED), "stopped on request");

    /* alpha 1: uniform after one step; alpha 0 on a cycle: stays uniform */
    o.alpha = 1;
    run_pr(r, &st, &t.g, &o);
    cr_expect_eq(r[0], 0.5);
    cr_expect_eq(r[1], 0.5);

    uint64_t off0 = 0;
    algo_graph empty = {.n = 0, .out_off = &off0, .in_off = &off0};
    algo_pagerank_opts_init(&o);
    cr_expect_eq(algo_pagerank(NULL, &st, &empty, &o, msg), 0);
    cr_expect_eq(st.supersteps, 0);
    tgraph_free(&t);
}

/* ---- through the kernel interface ------------------------------------ */

/* page-rank as a job runs it: the spec's options filled by the catalog,
 * the view, a team of `threads`, the output the spec's shape asks for. */
static void run_as_job(algo_output *out, const algo_graph *g, const char *const *keys,
                       const char *const *vals, size_t n, int threads)
{
    const algo_spec *spec = algo_catalog_find("PageRank");
    cr_assert_not_null(spec);
    algo_kernel_fn kernel = algo_kernel_for(spec);
    cr_assert_not_null(kernel);
    char msg[ALGO_MSG_MAX] = "";
    algo_params p;
    cr_assert_eq(algo_params_check(&p, spec, keys, vals, n, msg), 0, "%s", msg);
    algo_common_opts common;
    algo_page_rank_opts opts;
    cr_assert_eq(spec->opts_size, sizeof opts);
    cr_assert_eq(algo_params_fill(&p, &common, &opts, msg), 0, "%s", msg);
    algo_graph_view view;
    cr_assert_eq(algo_graph_view_init(&view, g, (algo_edge_dir)common.edge_direction,
                                      (algo_edge_freq)common.edge_freq, common.limit_edges, msg),
                 0, "%s", msg);
    algo_team *team;
    cr_assert_eq(algo_team_new(&team, threads, msg), 0, "%s", msg);
    algo_comm comm;
    algo_comm_init_single(&comm);
    algo_progress progress = {NULL, NULL, 0};
    cr_assert_eq(algo_output_init(out, spec->shape, g->n, msg), 0, "%s", msg);
    algo_kernel_ctx k = {g, &view, team, &comm, &common, &opts, &progress};
    cr_assert_eq(kernel(out, &k, msg), 0, "%s", msg);
    algo_team_free(team);
    algo_graph_view_release(&view);
    algo_params_release(&p);
}

Test(pagerank, as_a_job_through_the_kernel_interface)
{
    tgraph t;
    ga_load(&t, "test-pr-directed", 0);
    const char *keys[] = {"page_rank.alpha", "pagerank.l1DiffThreshold", "bsp.max_super_step"};
    const char *vals[] = {"0.15", "0", "14"};
    algo_output one, two;
    run_as_job(&one, &t.g, keys, vals, 3, 1);
    run_as_job(&two, &t.g, keys, vals, 3, 2);
    cr_assert_eq(one.shape, ALGO_OUT_DOUBLE);
    ga_compare(&t, "test-pr-directed", one.f64, 1e-5);
    cr_expect_eq(memcmp(one.f64, two.f64, t.g.n * sizeof(double)), 0, "1 and 2 threads differ");
    cr_expect_str_eq(one.stats[0].key, "supersteps");
    cr_expect_eq(one.stats[0].i, 14);
    algo_output_release(&one);
    algo_output_release(&two);
    tgraph_free(&t);
}
