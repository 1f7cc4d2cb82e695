/* pagerank_fixture.h: what the page-rank tests share (test_pagerank.c,
 * test_pagerank_options.c) beyond kernel_fixture.h's graphs and random
 * numbers: the Graphalytics -PR reference files (ga_compare) and run_pr,
 * which calls the kernel directly. */
#ifndef HGC_TEST_PAGERANK_FIXTURE_H
#define HGC_TEST_PAGERANK_FIXTURE_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "kernel_fixture.h"
#include "page_rank.h"

/* Compares ranks with the file <name>-PR, relative error <= tol. */
static inline void ga_compare(const tgraph *t, const char *name, const double *rank, double tol)
{
    char path[512];
    snprintf(path, sizeof path, GA "%s-PR", name);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    long long id;
    double want;
    size_t seen = 0;
    while (fscanf(f, "%lld %lf", &id, &want) == 2) {
        uint32_t v = tgraph_index_of(t, id);
        cr_expect_leq(fabs(rank[v] - want), tol * fabs(want),
                      "%s vertex %lld: got %.17g want %.17g", name, id, rank[v], want);
        seen++;
    }
    fclose(f);
    cr_expect_eq(seen, t->g.n, "%s: %zu reference values for %llu vertices", name, seen,
                 (unsigned long long)t->g.n);
}

static inline void run_pr(double *rank, algo_pagerank_stats *st, const algo_graph *g,
                          const algo_pagerank_opts *o)
{
    char msg[ALGO_MSG_MAX] = "";
    int rc = algo_pagerank(rank, st, g, o, msg);
    cr_assert_eq(rc, 0, "page-rank failed (%d): %s", rc, msg);
}

#endif
