/* centrality_oracle.h: what the centrality tests share (test_ppr.c,
 * test_closeness_centrality.c, test_betweenness_centrality.c): a graph and
 * NetworkX's answer on it from nx_oracle.py (run with /usr/bin/python3, which
 * sees Debian's python3-networkx), and a kernel run as a job runs it (the
 * catalog's typed options, the view, a team, the spec's output).
 * Static functions in a header: each test is one executable.
 */
#ifndef TEST_CENTRALITY_ORACLE_H
#define TEST_CENTRALITY_ORACLE_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

typedef struct tgraph {
    algo_graph g;
    uint64_t *out_off, *in_off;
    uint32_t *out_dst, *in_src;
    double *out_w, *in_w;
    int64_t *ids;
    double *want; /* NetworkX's answer, n */
} tgraph;

typedef struct tedge {
    uint32_t a, b; /* sorted by (a, b), then weight */
    double w;
} tedge;

static int cmp_tedge(const void *x, const void *y)
{
    const tedge *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return (p->w > q->w) - (p->w < q->w);
}

/* CSR of both directions from m edges; weights kept when `weighted`. */
static void tgraph_build(tgraph *t, uint64_t n, const tedge *e, uint64_t m, int weighted)
{
    tedge *s = malloc((m ? m : 1) * sizeof *s);
    t->out_off = calloc(n + 1, sizeof *t->out_off);
    t->in_off = calloc(n + 1, sizeof *t->in_off);
    t->out_dst = malloc((m ? m : 1) * sizeof *t->out_dst);
    t->in_src = malloc((m ? m : 1) * sizeof *t->in_src);
    t->out_w = weighted ? malloc((m ? m : 1) * sizeof *t->out_w) : NULL;
    t->in_w = weighted ? malloc((m ? m : 1) * sizeof *t->in_w) : NULL;
    cr_assert(s && t->out_off && t->in_off && t->out_dst && t->in_src);
    for (int dir = 0; dir < 2; dir++) {
        uint64_t *off = dir ? t->in_off : t->out_off;
        uint32_t *nbr = dir ? t->in_src : t->out_dst;
        double *w = dir ? t->in_w : t->out_w;
        for (uint64_t k = 0; k < m; k++)
            s[k] = dir ? (tedge){e[k].b, e[k].a, e[k].w} : e[k];
        qsort(s, m, sizeof *s, cmp_tedge);
        for (uint64_t k = 0; k < m; k++) {
            off[s[k].a + 1]++;
            nbr[k] = s[k].b;
            if (w)
                w[k] = s[k].w;
        }
        for (uint64_t v = 0; v < n; v++)
            off[v + 1] += off[v];
    }
    free(s);
    /* numeric ids 0..n-1, so ids are indices */
    t->ids = malloc((n ? n : 1) * sizeof *t->ids);
    cr_assert_not_null(t->ids);
    for (uint64_t v = 0; v < n; v++)
        t->ids[v] = (int64_t)v;
    t->g.n = n;
    t->g.m = m;
    t->g.ids.n = n;
    t->g.ids.num = t->ids;
    t->g.ids.str_off = NULL;
    t->g.ids.str = "";
    t->g.out_off = t->out_off;
    t->g.out_dst = t->out_dst;
    t->g.out_w.d = t->out_w;
    t->g.in_off = t->in_off;
    t->g.in_src = t->in_src;
    t->g.in_w.d = t->in_w;
}

static void tgraph_free(tgraph *t)
{
    free(t->out_off);
    free(t->in_off);
    free(t->out_dst);
    free(t->in_src);
    free(t->out_w);
    free(t->in_w);
    free(t->ids);
    free(t->want);
    free((void *)t->g.ids.str_off);
}

/* The graph and NetworkX's answer: nx_oracle.py ALGO SHAPE DIR [KEY=VALUE...]. */
static void oracle_load(tgraph *t, const char *args)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/tests/unit/compute/nx_oracle.py %s",
             HGC_SOURCE_DIR, args);
    FILE *f = popen(cmd, "r");
    cr_assert_not_null(f, "cannot run %s", cmd);
    unsigned long long n, m;
    int weighted;
    cr_assert_eq(fscanf(f, "%llu %llu %d", &n, &m, &weighted), 3, "no answer from %s", cmd);
    tedge *e = malloc((m ? m : 1) * sizeof *e);
    cr_assert_not_null(e);
    for (uint64_t k = 0; k < m; k++) {
        e[k].w = 1;
        cr_assert_eq(fscanf(f, "%u %u", &e[k].a, &e[k].b), 2);
        if (weighted)
            cr_assert_eq(fscanf(f, "%lf", &e[k].w), 1);
    }
    memset(t, 0, sizeof *t);
    tgraph_build(t, n, e, m, weighted);
    free(e);
    t->want = malloc((n ? n : 1) * sizeof *t->want);
    cr_assert_not_null(t->want);
    for (uint64_t v = 0; v < n; v++)
        cr_assert_eq(fscanf(f, "%lf", &t->want[v]), 1, "short answer from %s", cmd);
    cr_assert_eq(pclose(f), 0, "%s failed", cmd);
    /* str_off: every id numeric */
    uint64_t *so = calloc(n + 1, sizeof *so);
    cr_assert_not_null(so);
    t->g.ids.str_off = so;
}

/* Runs algorithm `name` on g as a job would, with `threads`; returns the
 * kernel's code (msg says why when not 0) and leaves the output in *out. */
static int run_job(algo_output *out, const char *name, const algo_graph *g, const char *const *keys,
                   const char *const *vals, size_t n, int threads, char msg[ALGO_MSG_MAX])
{
    const algo_spec *spec = algo_catalog_find(name);
    cr_assert_not_null(spec, "no algorithm %s", name);
    algo_kernel_fn kernel = algo_kernel_for(spec);
    cr_assert_not_null(kernel);
    msg[0] = '\0';
    algo_params p;
    cr_assert_eq(algo_params_check(&p, spec, keys, vals, n, msg), 0, "%s", msg);
    algo_common_opts common;
    void *opts = calloc(1, spec->opts_size);
    cr_assert_not_null(opts);
    cr_assert_eq(algo_params_fill(&p, &common, opts, msg), 0, "%s", msg);
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
    algo_kernel_ctx k = {g, &view, team, &comm, &common, opts, &progress};
    int rc = kernel(out, &k, msg);
    algo_team_free(team);
    algo_graph_view_release(&view);
    algo_params_release(&p);
    free(opts);
    return rc;
}

/* |got - want| <= rel * max(|want|, floor) for every vertex. */
static void expect_close(const double *got, const double *want, uint64_t n, double rel,
                         double floor, const char *what)
{
    uint64_t bad = 0;
    for (uint64_t v = 0; v < n; v++) {
        double tol = rel * fmax(fabs(want[v]), floor);
        if (!(fabs(got[v] - want[v]) <= tol)) {
            if (bad++ < 5)
                cr_log_error("%s: vertex %llu: got %.17g, want %.17g", what, (unsigned long long)v,
                             got[v], want[v]);
        }
    }
    cr_expect_eq(bad, 0, "%s: %llu of %llu vertices differ", what, (unsigned long long)bad,
                 (unsigned long long)n);
}

/* Runs with 1 and 2 threads, checks both against want and that they are
 * the same bits. */
static void check_both(const char *name, const tgraph *t, const char *const *keys,
                       const char *const *vals, size_t n, double rel, double floor,
                       const char *what)
{
    algo_output one, two;
    char msg[ALGO_MSG_MAX];
    cr_assert_eq(run_job(&one, name, &t->g, keys, vals, n, 1, msg), 0, "%s: %s", what, msg);
    cr_assert_eq(run_job(&two, name, &t->g, keys, vals, n, 2, msg), 0, "%s: %s", what, msg);
    expect_close(one.f64, t->want, t->g.n, rel, floor, what);
    cr_expect_eq(memcmp(one.f64, two.f64, t->g.n * sizeof(double)), 0, "%s: 1 and 2 threads differ",
                 what);
    algo_output_release(&one);
    algo_output_release(&two);
}

#endif
