/* test_graph_build.c: the snapshot builder, checked by mapping what it
 * wrote and comparing every CSR entry with expectations computed here
 * independently (a literal id order, a naive stable sort of the edges,
 * the Graphalytics file read with fscanf). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "edge_parse.h"
#include "graph_build.h"
#include "graph_file.h"
#include "fixture.h"

static char msg[ALGO_MSG_MAX];

static void make_dir(void)
{
    fixture_make_dir("build");
}

TestSuite(graph_build, .init = make_dir, .fini = remove_dir);

static char *path_in_dir(const char *name)
{
    static char p[4][128];
    static int k;
    char *s = p[k++ % 4];
    snprintf(s, 128, "%s/%s", dir, name);
    return s;
}

/* The id of vertex i, as text, for comparisons and messages. */
static void id_text(const algo_idmap *ids, uint64_t i, char *out, size_t cap)
{
    if (algo_idmap_is_str(ids, i))
        snprintf(out, cap, "s:%.*s", (int)(ids->str_off[i + 1] - ids->str_off[i]),
                 ids->str + ids->str_off[i]);
    else
        snprintf(out, cap, "n:%" PRId64, ids->num[i]);
}

static void vid_text(const algo_vid *v, char *out, size_t cap)
{
    if (v->is_str)
        snprintf(out, cap, "s:%.*s", (int)v->len, v->str);
    else
        snprintf(out, cap, "n:%" PRId64, v->num);
}

typedef struct edge {
    algo_vid s, d;
    int has_w;
    double w;
} edge;

typedef struct xedge { /* an expected edge in final indices */
    uint32_t a, b;
    double w;
    size_t seq;
} xedge;

static int cmp_xedge(const void *p, const void *q)
{
    const xedge *x = p, *y = q;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    if (x->b != y->b)
        return x->b < y->b ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Index of `v` in the expected order `order` (ids as text), or fails. */
static uint32_t expected_index(const char *const *order, size_t n, const algo_vid *v)
{
    char t[128];
    vid_text(v, t, sizeof t);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(order[i], t))
            return (uint32_t)i;
    cr_assert_fail("id %s not in the expected order", t);
    return 0;
}

/* Checks g against the edges and the literal id order: ids, both CSRs
 * entry by entry (lists sorted by neighbour, parallel edges in the order
 * added), weights. */
static void check_graph(const algo_graph *g, const char *const *order, size_t n, const edge *es,
                        size_t m, int weighted)
{
    char t[128];
    cr_assert_eq(g->n, n, "n %" PRIu64 " expected %zu", g->n, n);
    cr_assert_eq(g->m, m);
    for (size_t i = 0; i < n; i++) {
        id_text(&g->ids, i, t, sizeof t);
        cr_assert_str_eq(t, order[i], "vertex %zu", i);
    }
    cr_assert_eq(algo_weights_on(g->out_w), weighted);
    cr_assert_eq(algo_weights_on(g->in_w), weighted);

    xedge *x = calloc(m + 1, sizeof *x);
    for (int dir_ = 0; dir_ < 2; dir_++) {
        for (size_t e = 0; e < m; e++) {
            uint32_t s = expected_index(order, n, &es[e].s), d = expected_index(order, n, &es[e].d);
            x[e] = (xedge){dir_ ? d : s, dir_ ? s : d, es[e].has_w ? es[e].w : 1.0, e};
        }
        qsort(x, m, sizeof *x, cmp_xedge);
        const uint64_t *off = dir_ ? g->in_off : g->out_off;
        const uint32_t *adj = dir_ ? g->in_src : g->out_dst;
        algo_weights w = dir_ ? g->in_w : g->out_w;
        size_t k = 0;
        for (uint32_t v = 0; v < n; v++) {
            for (uint64_t i = off[v]; i < off[v + 1]; i++, k++) {
                cr_assert_lt(k, m);
                cr_assert_eq(x[k].a, v, "%s edge %zu: vertex %u expected %u", dir_ ? "in" : "out",
                             k, v, x[k].a);
                cr_assert_eq(adj[i], x[k].b, "%s edge %zu: neighbour %u expected %u",
                             dir_ ? "in" : "out", k, adj[i], x[k].b);
                if (weighted)
                    cr_assert_eq(algo_weight(w, i), x[k].w, "%s edge %zu: weight %g expected %g",
                                 dir_ ? "in" : "out", k, algo_weight(w, i), x[k].w);
            }
        }
        cr_assert_eq(k, m);
    }
    free(x);
}

static void build(const edge *es, size_t m, const algo_vid *extra, size_t nextra, const char *path)
{
    algo_graph_builder *b;
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    for (size_t e = 0; e < m; e++)
        cr_assert_eq(algo_graph_builder_add_edge(b, &es[e].s, &es[e].d, es[e].has_w, es[e].w, msg),
                     0, "%s", msg);
    for (size_t i = 0; i < nextra; i++)
        cr_assert_eq(algo_graph_builder_add_vertex(b, &extra[i], msg), 0, "%s", msg);
    cr_assert_eq(algo_graph_builder_write(b, path, msg), 0, "%s", msg);
    algo_graph_builder_free(b);
}

/* Mixed ids: the order is numbers by value, then strings bytewise with
 * the shorter first; parallel edges and self-loops stay. */
static const edge mixed_edges[] = {
    {{.is_str = 1, .str = "b", .len = 1}, {.num = 5}, 1, 0.5},
    {{.num = 5}, {.num = -3}, 1, 2.0},
    {{.num = INT64_MIN}, {.num = INT64_MAX}, 0, 0},
    {{.num = 5}, {.num = -3}, 1, 7.25}, /* parallel, later: stays after */
    {{.num = 0}, {.num = 0}, 1, 3.0},   /* self-loop */
    {{.is_str = 1, .str = "ab", .len = 2}, {.is_str = 1, .str = "a", .len = 1}, 1, -1.5},
    {{.is_str = 1, .str = "\xc3\xa9t\xc3\xa9", .len = 5}, {.num = 5}, 1, 4.0}, /* "été" */
    {{.is_str = 1, .str = "Z", .len = 1}, {.is_str = 1, .str = "b", .len = 1}, 1, 1e-9},
    {{.num = INT64_MAX}, {.num = INT64_MIN}, 1, 6.0},
    {{.num = 5}, {.num = -3}, 1, 0.125}, /* a third parallel */
    {{.num = -3}, {.num = 5}, 1, 9.0},
    {{.is_str = 1, .str = "a", .len = 1}, {.is_str = 1, .str = "a", .len = 1}, 1, 8.0},
};

static const char *const mixed_order[] = {
    "n:-9223372036854775808",
    "n:-3",
    "n:0",
    "n:5",
    "n:9223372036854775807",
    "s:Z",
    "s:a",
    "s:ab",
    "s:b",
    "s:\xc3\xa9t\xc3\xa9",
};

Test(graph_build, mixed_ids_round_trip)
{
    size_t m = sizeof mixed_edges / sizeof *mixed_edges;
    algo_graph g;
    build(mixed_edges, m, NULL, 0, path_in_dir("g"));
    cr_assert_eq(algo_graph_map(&g, path_in_dir("g"), msg), 0, "%s", msg);
    check_graph(&g, mixed_order, 10, mixed_edges, m, 1);
    /* Spot checks written out by hand: vertex 5 (index 3) has out-edges
     * to -3 (index 1) three times, in the order added. */
    cr_assert_eq(g.out_off[4] - g.out_off[3], 3);
    cr_assert_eq(g.out_dst[g.out_off[3]], 1);
    cr_assert_eq(algo_weight(g.out_w, g.out_off[3]), 2.0);
    cr_assert_eq(algo_weight(g.out_w, g.out_off[3] + 1), 7.25);
    cr_assert_eq(algo_weight(g.out_w, g.out_off[3] + 2), 0.125);
    /* The unweighted INT64_MIN -> INT64_MAX edge weighs 1. */
    cr_assert_eq(g.out_dst[g.out_off[0]], 4);
    cr_assert_eq(algo_weight(g.out_w, g.out_off[0]), 1.0);
    algo_graph_unmap(&g);
    cr_assert_null(g.map_);
}

Test(graph_build, unweighted_has_no_weights_and_isolated_vertices_stay)
{
    edge es[] = {
        {num(3), num(1), 0, 0},
        {num(1), num(3), 0, 0},
        {num(3), num(1), 0, 0},
    };
    algo_vid extra[] = {num(2), str("x"), num(1), num(-7)};
    const char *order[] = {"n:-7", "n:1", "n:2", "n:3", "s:x"};
    algo_graph g;
    build(es, 3, extra, 4, path_in_dir("g"));
    cr_assert_eq(algo_graph_map(&g, path_in_dir("g"), msg), 0, "%s", msg);
    check_graph(&g, order, 5, es, 3, 0);
    cr_assert(!algo_weights_on(g.out_w));
    cr_assert_eq(g.out_off[1], 0);
    cr_assert_eq(g.out_off[5], 3);
    cr_assert_eq(g.out_off[2] - g.out_off[1], 1); /* vertex 2 isolated */
    cr_assert_eq(g.out_off[3], g.out_off[2]);
    algo_graph_unmap(&g);
}

Test(graph_build, empty_graph)
{
    algo_graph g;
    build(NULL, 0, NULL, 0, path_in_dir("g"));
    cr_assert_eq(algo_graph_map(&g, path_in_dir("g"), msg), 0, "%s", msg);
    cr_assert_eq(g.n, 0);
    cr_assert_eq(g.m, 0);
    cr_assert_eq(g.out_off[0], 0);
    cr_assert_eq(algo_graph_find_num(&g, 0), -1);
    cr_assert_eq(algo_graph_find_str(&g, "a", 1), -1);
    algo_graph_unmap(&g);
}

/* Ids in several regimes in one graph: small, past the dense range,
 * negative and strings, arriving in random order, so every way of
 * numbering vertices (and switching between them) is exercised. */
Test(graph_build, random_mixed_against_naive)
{
    enum { M = 5000 };
    static edge es[M];
    static char strs[300][16];
    static const char *order_store[2000];
    static char order_text[2000][40];
    srand(7);
    for (int i = 0; i < 300; i++)
        snprintf(strs[i], sizeof strs[i], "v%d", rand() % 100000);
    int64_t pool[600];
    for (int i = 0; i < 600; i++) {
        switch (i % 4) {
        case 0: pool[i] = rand() % 1000; break;
        case 1: pool[i] = -(int64_t)(rand() % 1000) - 1; break;
        case 2: pool[i] = ((int64_t)rand() << 31) + rand(); break;
        default: pool[i] = rand() % 50000; break;
        }
    }
    for (int e = 0; e < M; e++) {
        algo_vid ends[2];
        for (int k = 0; k < 2; k++) {
            /* Start with small numbers only, so the builder begins in its
             * direct mode and has to leave it. */
            if (e > 1000 && rand() % 5 == 0)
                ends[k] = str(strs[rand() % 300]);
            else
                ends[k] = num(e < 1000 ? pool[(rand() % 150) * 4] : pool[rand() % 600]);
        }
        es[e] = (edge){ends[0], ends[1], rand() % 2, (double)(rand() % 1000) / 8};
    }
    /* Expected order: distinct ids, sorted naively. */
    size_t n = 0;
    char t[128];
    for (int e = 0; e < M; e++)
        for (int k = 0; k < 2; k++) {
            vid_text(k ? &es[e].d : &es[e].s, t, sizeof t);
            size_t i;
            for (i = 0; i < n && strcmp(order_text[i], t); i++)
                ;
            if (i == n)
                strcpy(order_text[n++], t);
        }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            const char *a = order_text[i], *b = order_text[j];
            int swap;
            if (a[0] != b[0])
                swap = a[0] == 's';
            else if (a[0] == 'n')
                swap = strtoll(a + 2, NULL, 10) > strtoll(b + 2, NULL, 10);
            else
                swap = strcmp(a + 2, b + 2) > 0;
            if (swap) {
                char tmp[40];
                strcpy(tmp, order_text[i]);
                strcpy(order_text[i], order_text[j]);
                strcpy(order_text[j], tmp);
            }
        }
    for (size_t i = 0; i < n; i++)
        order_store[i] = order_text[i];

    algo_graph g;
    build(es, M, NULL, 0, path_in_dir("g"));
    cr_assert_eq(algo_graph_map(&g, path_in_dir("g"), msg), 0, "%s", msg);
    check_graph(&g, order_store, n, es, M, 1);
    for (size_t i = 0; i < 600; i++) {
        int64_t v = algo_graph_find_num(&g, pool[i]);
        if (v >= 0)
            cr_assert_eq(g.ids.num[v], pool[i]);
    }
    algo_graph_unmap(&g);
}

/* An id too large for the dense array at first goes to the hash table;
 * once the graph is big enough the dense array grows over it and must
 * take it along. */
Test(graph_build, hashed_id_moves_into_dense_range)
{
    algo_graph_builder *b;
    algo_vid big = num(5000000), bigger = num(5000001), s = str("s");
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    cr_assert_eq(algo_graph_builder_add_vertex(b, &s, msg), 0); /* leave direct mode */
    cr_assert_eq(algo_graph_builder_add_edge(b, &big, &s, 0, 0, msg), 0);
    for (int e = 0; e < 1300000; e++) {
        algo_vid x = num(e % 1000), y = num((e * 7) % 1000);
        cr_assert_eq(algo_graph_builder_add_edge(b, &x, &y, 0, 0, msg), 0);
    }
    cr_assert_eq(algo_graph_builder_add_edge(b, &bigger, &big, 0, 0, msg), 0);
    cr_assert_eq(algo_graph_builder_add_edge(b, &big, &bigger, 0, 0, msg), 0);
    cr_assert_eq(algo_graph_builder_vertices(b), 1003);
    cr_assert_eq(algo_graph_builder_edges(b), 1300003);
    cr_assert_eq(algo_graph_builder_write(b, path_in_dir("g"), msg), 0, "%s", msg);
    algo_graph_builder_free(b);

    algo_graph g;
    cr_assert_eq(algo_graph_map(&g, path_in_dir("g"), msg), 0, "%s", msg);
    cr_assert_eq(g.n, 1003);
    cr_assert_eq(algo_graph_find_num(&g, 5000000), 1000);
    cr_assert_eq(algo_graph_find_num(&g, 5000001), 1001);
    cr_assert_eq(algo_graph_find_str(&g, "s", 1), 1002);
    /* 5000000 -> "s" and -> 5000001, in neighbour order. */
    cr_assert_eq(g.out_off[1001] - g.out_off[1000], 2);
    cr_assert_eq(g.out_dst[g.out_off[1000]], 1001);
    cr_assert_eq(g.out_dst[g.out_off[1000] + 1], 1002);
    cr_assert_eq(g.in_off[1001] - g.in_off[1000], 1);
    cr_assert_eq(g.in_src[g.in_off[1000]], 1001);
    algo_graph_unmap(&g);
}

Test(graph_build, weight_arrives_late)
{
    edge es[] = {
        {num(1), num(2), 0, 0},
        {num(2), num(3), 0, 0},
        {num(3), num(1), 1, 0.25},
        {num(1), num(3), 0, 0},
    };
    const char *order[] = {"n:1", "n:2", "n:3"};
    algo_graph g;
    build(es, 4, NULL, 0, path_in_dir("g"));
    cr_assert_eq(algo_graph_map(&g, path_in_dir("g"), msg), 0, "%s", msg);
    check_graph(&g, order, 3, es, 4, 1);
    algo_graph_unmap(&g);
}

Test(graph_build, errors)
{
    algo_graph_builder *b;
    algo_vid a = num(1), c = num(2), e = {.is_str = 1, .str = "", .len = 0};
    char cmd[512];
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    cr_assert_lt(algo_graph_builder_add_vertex(b, &e, msg), 0);
    cr_assert_eq(algo_graph_builder_add_edge(b, &a, &a, 0, 0, msg), 0);
    cr_assert_eq(algo_graph_builder_add_edge(b, &c, &a, 1, 2.5, msg), 0);
    cr_assert_lt(algo_graph_builder_write(b, "/nonexistent-dir/x/g", msg), 0);
    cr_assert(strstr(msg, "/nonexistent-dir/x/g"), "%s", msg);
    cr_assert_eq(access("/nonexistent-dir/x/g", F_OK), -1);
    cr_assert_eq(algo_graph_builder_write(b, path_in_dir("g"), msg), 0, "%s", msg);
    cr_assert_eq(access(path_in_dir("g.tmp"), F_OK), -1); /* renamed away */
    /* A second write gives the same file. */
    cr_assert_eq(algo_graph_builder_write(b, path_in_dir("g2"), msg), 0, "%s", msg);
    cr_assert_eq(system(strcat(strcat(strcat(strcpy(cmd, "cmp -s "), path_in_dir("g")), " "),
                               path_in_dir("g2"))),
                 0);
    /* Writing renumbers the edges in place: adding after it is refused. */
    cr_assert_lt(algo_graph_builder_add_edge(b, &a, &a, 0, 0, msg), 0);
    cr_assert(strstr(msg, "already written"), "%s", msg);
    algo_graph_builder_free(b);
}

/* Reads the .e file with fscanf (independent of our parser). */
static size_t read_edges(const char *path, int64_t (*ends)[2], double *w, size_t cap)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    size_t m = 0;
    while (m < cap &&
           fscanf(f, "%" SCNd64 " %" SCNd64 " %lf", &ends[m][0], &ends[m][1], &w[m]) == 3)
        m++;
    fclose(f);
    return m;
}

static void parse_file(algo_graph_builder *b, const char *path)
{
    algo_edge_parser *p;
    char buf[4096];
    size_t r;
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(algo_edge_parser_new(&p, b), 0);
    while ((r = fread(buf, 1, sizeof buf, f)) > 0)
        cr_assert_eq(algo_edge_parser_feed(p, buf, r, msg), 0, "%s", msg);
    cr_assert_eq(algo_edge_parser_finish(p, msg), 0, "%s", msg);
    algo_edge_parser_free(p);
    fclose(f);
}

Test(graph_build, graphalytics_example_directed)
{
    static int64_t ends[1000][2];
    static double w[1000];
    const char *efile = HGC_TEST_DATA "/graphalytics/example-directed.e";
    const char *vfile = HGC_TEST_DATA "/graphalytics/example-directed.v";
    size_t m = read_edges(efile, ends, w, 1000);
    cr_assert_gt(m, 0);

    algo_graph_builder *b;
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    parse_file(b, efile);
    FILE *vf = fopen(vfile, "r");
    int64_t id, vids[1000];
    size_t nv = 0;
    cr_assert_not_null(vf);
    while (nv < 1000 && fscanf(vf, "%" SCNd64, &id) == 1) {
        algo_vid v = num(id);
        vids[nv++] = id;
        cr_assert_eq(algo_graph_builder_add_vertex(b, &v, msg), 0, "%s", msg);
    }
    fclose(vf);
    cr_assert_eq(algo_graph_builder_write(b, path_in_dir("g"), msg), 0, "%s", msg);
    algo_graph_builder_free(b);

    algo_graph g;
    cr_assert_eq(algo_graph_map(&g, path_in_dir("g"), msg), 0, "%s", msg);
    cr_assert_eq(g.n, nv);
    cr_assert_eq(g.m, m);
    cr_assert(algo_weights_on(g.out_w));
    for (size_t i = 0; i + 1 < g.n; i++)
        cr_assert_lt(g.ids.num[i], g.ids.num[i + 1]);
    for (size_t i = 0; i < nv; i++)
        cr_assert_geq(algo_graph_find_num(&g, vids[i]), 0);
    /* Every edge of the file once in each direction with its weight:
     * count matches, as the file has no parallel edges. */
    for (size_t e = 0; e < m; e++) {
        int64_t s = algo_graph_find_num(&g, ends[e][0]), d = algo_graph_find_num(&g, ends[e][1]);
        cr_assert_geq(s, 0);
        cr_assert_geq(d, 0);
        int found = 0;
        for (uint64_t i = g.out_off[s]; i < g.out_off[s + 1]; i++)
            found += g.out_dst[i] == (uint32_t)d && algo_weight(g.out_w, i) == w[e];
        cr_assert_eq(found, 1, "edge %zu out", e);
        found = 0;
        for (uint64_t i = g.in_off[d]; i < g.in_off[d + 1]; i++)
            found += g.in_src[i] == (uint32_t)s && algo_weight(g.in_w, i) == w[e];
        cr_assert_eq(found, 1, "edge %zu in", e);
    }
    algo_graph_unmap(&g);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc(*len + 1);
    cr_assert_eq(fread(p, 1, *len, f), *len);
    fclose(f);
    return p;
}

/* Loading more edges onto a snapshot gives the same file as building
 * everything at once. */
Test(graph_build, add_graph_then_more_equals_one_build)
{
    size_t m0 = sizeof mixed_edges / sizeof *mixed_edges;
    edge more[] = {
        {num(5), num(-3), 1, 11.0}, /* parallel to old edges: after them */
        {str("new"), num(42), 0, 0},         {num(42), str("a"), 1, 0.5},
        {num(-100), num(INT64_MAX), 1, 2.0}, {num(3), num(3), 0, 0},
    };
    size_t m1 = sizeof more / sizeof *more;
    edge all[64];
    memcpy(all, mixed_edges, sizeof mixed_edges);
    memcpy(all + m0, more, sizeof more);

    build(mixed_edges, m0, NULL, 0, path_in_dir("v1"));
    build(all, m0 + m1, NULL, 0, path_in_dir("all"));

    algo_graph g;
    algo_graph_builder *b;
    cr_assert_eq(algo_graph_map(&g, path_in_dir("v1"), msg), 0, "%s", msg);
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    cr_assert_eq(algo_graph_builder_add_graph(b, &g, msg), 0, "%s", msg);
    for (size_t e = 0; e < m1; e++)
        cr_assert_eq(
            algo_graph_builder_add_edge(b, &more[e].s, &more[e].d, more[e].has_w, more[e].w, msg),
            0, "%s", msg);
    cr_assert_eq(algo_graph_builder_write(b, path_in_dir("v2"), msg), 0, "%s", msg);
    algo_graph_builder_free(b);
    algo_graph_unmap(&g);

    size_t la, lb;
    char *fa = slurp(path_in_dir("all"), &la), *fb = slurp(path_in_dir("v2"), &lb);
    cr_assert_eq(la, lb);
    cr_assert_eq(memcmp(fa, fb, la), 0);
    free(fa);
    free(fb);

    const char *order[] = {
        "n:-9223372036854775808", "n:-100", "n:-3", "n:0",  "n:3", "n:5",   "n:42",
        "n:9223372036854775807",  "s:Z",    "s:a",  "s:ab", "s:b", "s:new", "s:\xc3\xa9t\xc3\xa9",
    };
    cr_assert_eq(algo_graph_map(&g, path_in_dir("v2"), msg), 0, "%s", msg);
    check_graph(&g, order, 14, all, m0 + m1, 1);
    algo_graph_unmap(&g);
}

/* add_graph of a snapshot with only small numeric ids, into a builder
 * that then sees a string: the direct numbering must be redone. */
Test(graph_build, add_graph_numeric_then_string)
{
    edge es[] = {{num(4), num(2), 0, 0}, {num(2), num(9), 0, 0}};
    edge all[] = {{num(4), num(2), 0, 0}, {num(2), num(9), 0, 0}, {num(9), str("q"), 0, 0}};
    const char *order[] = {"n:2", "n:4", "n:9", "s:q"};
    algo_graph g;
    algo_graph_builder *b;
    build(es, 2, NULL, 0, path_in_dir("v1"));
    cr_assert_eq(algo_graph_map(&g, path_in_dir("v1"), msg), 0, "%s", msg);
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    cr_assert_eq(algo_graph_builder_add_graph(b, &g, msg), 0, "%s", msg);
    algo_graph_unmap(&g);
    cr_assert_eq(algo_graph_builder_add_edge(b, &all[2].s, &all[2].d, 0, 0, msg), 0, "%s", msg);
    cr_assert_eq(algo_graph_builder_write(b, path_in_dir("v2"), msg), 0, "%s", msg);
    algo_graph_builder_free(b);
    cr_assert_eq(algo_graph_map(&g, path_in_dir("v2"), msg), 0, "%s", msg);
    check_graph(&g, order, 4, all, 3, 0);
    algo_graph_unmap(&g);
}

/* Big enough for the two-thread passes (they start at 65536 edges):
 * every entry of both CSRs against a stable sort done here. Ids 0..2999
 * all present, so the index of id x is x. */
Test(graph_build, large_two_thread_build_against_sort)
{
    enum { N = 3000, M = 300000 };
    xedge *x = malloc(M * sizeof *x);
    algo_graph_builder *b;
    algo_graph g;
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    srand(3);
    for (int v = N - 1; v >= 0; v--) {
        algo_vid id = num(v);
        cr_assert_eq(algo_graph_builder_add_vertex(b, &id, msg), 0);
    }
    for (size_t e = 0; e < M; e++) {
        /* Skewed ends, so the halves split by edge count, not by vertex. */
        uint32_t s = (uint32_t)(rand() % 8 == 0 ? rand() % N : rand() % 40);
        uint32_t d = (uint32_t)(rand() % N);
        double w = (double)(rand() % 100000) / 64;
        algo_vid vs = num(s), vd = num(d);
        cr_assert_eq(algo_graph_builder_add_edge(b, &vs, &vd, 1, w, msg), 0);
        x[e] = (xedge){s, d, w, e};
    }
    cr_assert_eq(algo_graph_builder_write(b, path_in_dir("g"), msg), 0, "%s", msg);
    algo_graph_builder_free(b);
    cr_assert_eq(algo_graph_map(&g, path_in_dir("g"), msg), 0, "%s", msg);
    cr_assert_eq(g.n, N);
    cr_assert_eq(g.m, M);
    for (int dir_ = 0; dir_ < 2; dir_++) {
        if (dir_)
            for (size_t e = 0; e < M; e++) {
                uint32_t t = x[e].a;
                x[e].a = x[e].b;
                x[e].b = t;
            }
        qsort(x, M, sizeof *x, cmp_xedge);
        const uint64_t *off = dir_ ? g.in_off : g.out_off;
        const uint32_t *adj = dir_ ? g.in_src : g.out_dst;
        algo_weights w = dir_ ? g.in_w : g.out_w;
        size_t bad = 0, k = 0;
        for (uint32_t v = 0; v < N; v++)
            for (uint64_t i = off[v]; i < off[v + 1]; i++, k++)
                bad += x[k].a != v || adj[i] != x[k].b || algo_weight(w, i) != x[k].w;
        cr_assert_eq(k, M);
        cr_assert_eq(bad, 0, "%zu entries differ (%s)", bad, dir_ ? "in" : "out");
    }
    algo_graph_unmap(&g);
    free(x);
}

/* Ids up to 60M keep the builder in direct mode on a tiny graph; a
 * string then moves the ids past the dense array's reach to the hash
 * table. Numbering and lookups must survive the move. */
Test(graph_build, wide_direct_ids_then_string)
{
    edge es[] = {
        {num(60000000), num(5), 1, 1.0},
        {num(0), num(30000000), 1, 2.0},
        {num(30000000), num(60000000), 1, 3.0},
        {num(5), str("k"), 1, 4.0},
        {num(60000000), num(30000000), 1, 5.0},
        {str("k"), num(70000000), 1, 6.0}, /* beyond the direct range too */
    };
    const char *order[] = {"n:0", "n:5", "n:30000000", "n:60000000", "n:70000000", "s:k"};
    algo_graph g;
    build(es, 6, NULL, 0, path_in_dir("g"));
    cr_assert_eq(algo_graph_map(&g, path_in_dir("g"), msg), 0, "%s", msg);
    check_graph(&g, order, 6, es, 6, 1);
    algo_graph_unmap(&g);
}

/* Issue 8: every load holds the id limit (the service's too), so that
 * whatever is stored can be read back by id. */
Test(graph_build, string_ids_over_the_limit_are_refused)
{
    static char id[ALGO_ID_MAX_BYTES + 1];
    algo_graph_builder *b;
    memset(id, 'k', sizeof id);
    algo_vid at = {.is_str = 1, .str = id, .len = ALGO_ID_MAX_BYTES};
    algo_vid over = {.is_str = 1, .str = id, .len = ALGO_ID_MAX_BYTES + 1};
    algo_vid one = {.is_str = 0, .num = 1};
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    cr_expect_eq(algo_graph_builder_add_vertex(b, &at, msg), 0, "%s", msg);
    cr_expect_eq(algo_graph_builder_add_vertex(b, &over, msg), -1);
    cr_expect(strstr(msg, "at most 512 bytes") != NULL, "%s", msg);
    cr_expect_eq(algo_graph_builder_add_edge(b, &over, &one, 0, 0, msg), -1);
    cr_expect_eq(algo_graph_builder_vertices(b), 1);
    algo_graph_builder_free(b);
}
