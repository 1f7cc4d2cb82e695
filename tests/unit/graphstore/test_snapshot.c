/* test_snapshot.c: snapshot folders (snapshot.h) written by the labelled
 * builder (graph_build.h). Records go in through the real parsers (JSON
 * lines, Graphalytics, edge lists); what comes back out of the folder is
 * checked against expectations written by hand (snapshot_expect.h's
 * tables of labels and values, the Graphalytics files read with fscanf),
 * never against the builder's own output. What the folder holds on disk,
 * damaged folders among it, is test_snapshot_layout.c's.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "edge_parse.h"
#include "graph_build.h"
#include "record_parse.h"
#include "snapshot.h"
#include "store_internal.h"
#include "fixture.h"
#include "snapshot_fixture.h"

static void make_dir(void)
{
    fixture_make_dir("snap");
}

TestSuite(snapshot, .init = make_dir, .fini = remove_dir);

#include "snapshot_expect.h"

Test(snapshot, labels_and_every_type_through_jsonl)
{
    algo_graph_builder *b = new_builder();
    algo_snapshot s;
    cr_assert_eq(feed_jsonl(b, people), 0, "%s", msg);
    write_open(b, "v1", &s);
    algo_graph_builder_free(b);

    check_vertices(&s, people_v, COUNT(people_v));
    check_edges(&s, people_v, people_e, COUNT(people_e));
    cr_assert_eq(label_count(&s, 'v', "person"), 3);
    cr_assert_eq(label_count(&s, 'v', "software"), 2);
    cr_assert_eq(label_count(&s, 'v', "vertex"), 1);
    cr_assert_eq(label_count(&s, 'e', "knows"), 2);
    cr_assert_eq(label_count(&s, 'e', "created"), 2);
    cr_assert_eq(label_count(&s, 'e', "edge"), 2);
    /* Types as the first values fixed them. */
    cr_assert_eq(algo_snapshot_key(&s, 'v', "person", "age")->type, ALGO_PROP_INT);
    cr_assert_eq(algo_snapshot_key(&s, 'v', "person", "score")->type, ALGO_PROP_DOUBLE);
    cr_assert_eq(algo_snapshot_key(&s, 'v', "person", "active")->type, ALGO_PROP_BOOL);
    cr_assert_eq(algo_snapshot_key(&s, 'e', "knows", "note")->type, ALGO_PROP_STRING);
    cr_assert_null(algo_snapshot_key(&s, 'v', "software", "age"));
    /* The plain "weight" of label "edge" is also the graph's weight. */
    cr_assert(algo_weights_on(s.g.out_w));
    int64_t one = algo_graph_find_num(&s.g, 1);
    uint64_t self = s.g.out_off[one];
    while (s.g.out_dst[self] != (uint32_t)one)
        self++;
    cr_assert_eq(algo_weight(s.g.out_w, self), 2.5);
    cr_assert_gt(algo_snapshot_size(&s), 1000);
    algo_snapshot_close(&s);
}

/* ---- refusals ----------------------------------------------------------- */

Test(snapshot, label_clash_refused)
{
    algo_graph_builder *b = new_builder();
    cr_assert_eq(one(b, "{\"label\": \"person\", \"id\": 1}"), 0, "%s", msg);
    cr_assert_lt(one(b, "{\"label\": \"software\", \"id\": 1}"), 0);
    cr_assert(strstr(msg, "'person'") && strstr(msg, "'software'"), "%s", msg);
    cr_assert_lt(one(b, "{\"outV\": 1, \"inV\": 2, \"outVLabel\": \"software\"}"), 0);
    cr_assert(strstr(msg, "vertex 1 has label 'person'"), "%s", msg);
    /* Nothing of the refused edge stays: neither the edge nor vertex 2. */
    cr_assert_eq(algo_graph_builder_vertices(b), 1);
    cr_assert_eq(algo_graph_builder_edges(b), 0);
    /* Not naming a label, or naming the right one, is fine. */
    cr_assert_eq(one(b, "{\"id\": 1, \"properties\": {\"x\": 1}}"), 0, "%s", msg);
    cr_assert_eq(one(b, "{\"outV\": 1, \"inV\": 2, \"outVLabel\": \"person\"}"), 0, "%s", msg);
    algo_graph_builder_free(b);
}

Test(snapshot, type_clash_refused_naming_both_types)
{
    algo_graph_builder *b = new_builder();
    cr_assert_eq(one(b, "{\"label\": \"person\", \"id\": 1, \"properties\": {\"age\": 29}}"), 0,
                 "%s", msg);
    cr_assert_lt(one(b, "{\"label\": \"person\", \"id\": 2, \"properties\": {\"age\": \"old\"}}"),
                 0);
    cr_assert(strstr(msg, "property 'age' of vertex label 'person' is int; got string"), "%s", msg);
    cr_assert_eq(algo_graph_builder_vertices(b), 1);
    /* The same key under another label is another key. */
    cr_assert_eq(one(b, "{\"label\": \"dog\", \"id\": 3, \"properties\": {\"age\": \"old\"}}"), 0,
                 "%s", msg);
    cr_assert_eq(one(b, "{\"label\": \"e1\", \"outV\": 1, \"inV\": 3, \"properties\": "
                        "{\"w\": true}}"),
                 0, "%s", msg);
    cr_assert_lt(one(b, "{\"label\": \"e1\", \"outV\": 1, \"inV\": 3, \"properties\": "
                        "{\"w\": 1.5}}"),
                 0);
    cr_assert(strstr(msg, "property 'w' of edge label 'e1' is bool; got double"), "%s", msg);
    cr_assert_eq(algo_graph_builder_edges(b), 1);
    /* Two values of one new key in one record must agree too. */
    cr_assert_lt(one(b, "{\"id\": 9, \"properties\": {\"k\": 1, \"k\": \"x\"}}"), 0);

    /* A plain weight fixes (edge, "edge", "weight") as a double ... */
    algo_vid x = {.num = 5}, y = {.num = 6};
    cr_assert_eq(algo_graph_builder_add_edge(b, &x, &y, 1, 0.5, msg), 0, "%s", msg);
    cr_assert_lt(one(b, "{\"outV\": 5, \"inV\": 6, \"properties\": {\"weight\": 3}}"), 0);
    cr_assert(strstr(msg, "property 'weight' of edge label 'edge' is double; got int"), "%s", msg);
    algo_graph_builder_free(b);

    /* ... and an int weight from a record refuses plain weights. */
    b = new_builder();
    cr_assert_eq(one(b, "{\"outV\": 5, \"inV\": 6, \"properties\": {\"weight\": 3}}"), 0, "%s",
                 msg);
    cr_assert_lt(algo_graph_builder_add_edge(b, &x, &y, 1, 0.5, msg), 0);
    cr_assert(strstr(msg, "property 'weight' of edge label 'edge' is int; got double"), "%s", msg);
    cr_assert_eq(algo_graph_builder_add_edge(b, &x, &y, 0, 0, msg), 0, "%s", msg);
    algo_graph_builder_free(b);
}

Test(snapshot, label_limit)
{
    algo_graph_builder *b = new_builder();
    char json[128];
    /* "vertex" is one label already: 65534 more fit, the next does not. */
    for (int i = 0; i < 65534; i++) {
        snprintf(json, sizeof json, "{\"label\": \"l%d\", \"id\": %d}", i, i);
        cr_assert_eq(one(b, json), 0, "%d: %s", i, msg);
    }
    cr_assert_lt(one(b, "{\"label\": \"one too many\", \"id\": -1}"), 0);
    cr_assert(strstr(msg, "more than 65535 vertex labels"), "%s", msg);
    /* Existing labels still work. */
    cr_assert_eq(one(b, "{\"label\": \"l7\", \"id\": -2}"), 0, "%s", msg);
    algo_graph_builder_free(b);
}

/* ---- updates and ids ---------------------------------------------------- */

Test(snapshot, vertex_readd_updates_properties)
{
    algo_graph_builder *b = new_builder();
    algo_snapshot s;
    cr_assert_eq(feed_jsonl(b,
                            "{\"label\": \"person\", \"id\": \"p\", \"properties\": {\"age\": 29, "
                            "\"name\": \"a\"}}\n"
                            "{\"id\": \"p\", \"properties\": {\"age\": 30}}\n"
                            "{\"label\": \"person\", \"id\": \"p\", \"properties\": {\"city\": "
                            "\"Rome\"}}\n"
                            "{\"label\": \"person\", \"id\": \"q\", \"properties\": {\"age\": 1}}\n"
                            "{\"label\": \"person\", \"id\": \"q\"}\n"),
                 0, "%s", msg);
    write_open(b, "v", &s);
    static const xvertex xv[] = {
        {1,
         0,
         "p",
         "person",
         {{"age", 'i', .i = 30}, {"name", 's', .s = "a"}, {"city", 's', .s = "Rome"}}},
        {1, 0, "q", "person", {{"age", 'i', .i = 1}}},
    };
    check_vertices(&s, xv, COUNT(xv));
    algo_snapshot_close(&s);
    algo_graph_builder_free(b);
}

Test(snapshot, id_assignment)
{
    algo_graph_builder *b = new_builder();
    algo_vid got;
    algo_vertex_rec v = {.has_id = 0, .label = {"thing", 5}};
    /* Nothing numeric yet: 0. */
    cr_assert_eq(algo_graph_builder_add_vertex_rec(b, &v, &got, msg), 0, "%s", msg);
    cr_assert(!got.is_str && got.num == 0);
    cr_assert_eq(one(b, "{\"id\": 41}"), 0, "%s", msg);
    cr_assert_eq(one(b, "{\"id\": \"zz\"}"), 0, "%s", msg);
    cr_assert_eq(one(b, "{\"outV\": -5, \"inV\": 7}"), 0, "%s", msg);
    cr_assert_eq(algo_graph_builder_add_vertex_rec(b, &v, &got, msg), 0, "%s", msg);
    cr_assert(!got.is_str && got.num == 42, "%" PRId64, got.num);
    /* Through the parser, a vertex without "id". */
    cr_assert_eq(one(b, "{\"label\": \"thing\"}"), 0, "%s", msg);
    cr_assert_eq(algo_graph_builder_add_vertex_rec(b, &v, &got, msg), 0, "%s", msg);
    cr_assert_eq(got.num, 44);
    algo_snapshot s;
    write_open(b, "v", &s);
    algo_graph_builder_free(b);
    static const int64_t things[] = {0, 42, 43, 44};
    for (size_t i = 0; i < COUNT(things); i++) {
        int64_t x = algo_graph_find_num(&s.g, things[i]);
        cr_assert_geq(x, 0, "%" PRId64, things[i]);
        cr_assert_str_eq(s.vlabel_names[s.vlabel[x]], "thing");
    }
    cr_assert_eq(s.g.n, 8);

    /* Ids from a previous snapshot count. */
    b = new_builder();
    cr_assert_eq(algo_graph_builder_add_snapshot(b, &s, msg), 0, "%s", msg);
    cr_assert_eq(algo_graph_builder_add_vertex_rec(b, &v, &got, msg), 0, "%s", msg);
    cr_assert_eq(got.num, 45);
    algo_graph_builder_free(b);
    algo_snapshot_close(&s);
}

/* ---- a snapshot plus more records = one build of everything ------------- */

/* Two snapshots hold the same labelled property graph: ids, both CSRs
 * entry by entry, weights, labels by name, in_to_out, the schema and
 * every column slot. */
static void compare_snapshots(const algo_snapshot *x, const algo_snapshot *y)
{
    const algo_graph *g = &x->g, *h = &y->g;
    cr_assert_eq(g->n, h->n);
    cr_assert_eq(g->m, h->m);
    cr_assert_eq(g->ids.str_off[g->n], h->ids.str_off[h->n]);
    cr_assert_eq(memcmp(g->ids.num, h->ids.num, g->n * 8), 0);
    cr_assert_eq(memcmp(g->ids.str_off, h->ids.str_off, (g->n + 1) * 8), 0);
    cr_assert_eq(memcmp(g->ids.str, h->ids.str, g->ids.str_off[g->n]), 0);
    cr_assert_eq(memcmp(g->out_off, h->out_off, (g->n + 1) * 8), 0);
    cr_assert_eq(memcmp(g->in_off, h->in_off, (g->n + 1) * 8), 0);
    cr_assert_eq(memcmp(g->out_dst, h->out_dst, g->m * 4), 0);
    cr_assert_eq(memcmp(g->in_src, h->in_src, g->m * 4), 0);
    cr_assert_eq(x->in_to_out != NULL, y->in_to_out != NULL);
    if (x->in_to_out)
        cr_assert_eq(memcmp(x->in_to_out, y->in_to_out, g->m * 8), 0);
    cr_assert(same_weights(g->out_w, h->out_w, g->m));
    cr_assert(same_weights(g->in_w, h->in_w, g->m));
    for (uint64_t v = 0; v < g->n; v++)
        cr_assert_str_eq(x->vlabel_names[x->vlabel[v]], y->vlabel_names[y->vlabel[v]]);
    for (uint64_t e = 0; e < g->m; e++)
        cr_assert_str_eq(x->elabel_names[x->elabel[e]], y->elabel_names[y->elabel[e]]);
    cr_assert_eq(x->n_keys, y->n_keys);
    for (size_t k = 0; k < x->n_keys; k++) {
        const algo_schema_key *a = &x->keys[k];
        const char *label = (a->kind == 'v' ? x->vlabel_names : x->elabel_names)[a->label];
        const algo_schema_key *b = algo_snapshot_key(y, a->kind, label, a->key);
        cr_assert_not_null(b, "%c/%s/%s", a->kind, label, a->key);
        cr_assert_eq(a->type, b->type);
        cr_assert_eq(a->in_graph, b->in_graph, "%c/%s/%s", a->kind, label, a->key);
        algo_column c, d;
        cr_assert_eq(algo_snapshot_column(x, a, &c, msg), 0, "%s", msg);
        cr_assert_eq(algo_snapshot_column(y, b, &d, msg), 0, "%s", msg);
        for (uint64_t i = 0; i < c.n; i++) {
            algo_prop_value p, q;
            cr_assert_eq(algo_column_has(&c, i), algo_column_has(&d, i), "%s slot %" PRIu64, a->key,
                         i);
            algo_column_get(&c, i, &p);
            algo_column_get(&d, i, &q);
            cr_assert(p.i == q.i && p.len == q.len && !memcmp(&p.d, &q.d, 8) &&
                          (p.len == 0 || !memcmp(p.s, q.s, p.len)),
                      "%s slot %" PRIu64, a->key, i);
        }
        algo_column_unmap(&c);
        algo_column_unmap(&d);
    }
}

Test(snapshot, add_snapshot_then_more_equals_one_build)
{
    algo_graph_builder *b = new_builder();
    algo_snapshot s1, s2, s3;
    cr_assert_eq(feed_jsonl(b, part_a), 0, "%s", msg);
    write_open(b, "v1", &s1);
    algo_graph_builder_free(b);

    b = new_builder();
    cr_assert_eq(algo_graph_builder_add_snapshot(b, &s1, msg), 0, "%s", msg);
    cr_assert_eq(feed_jsonl(b, part_b), 0, "%s", msg);
    write_open(b, "v2", &s2);
    algo_graph_builder_free(b);

    b = new_builder();
    cr_assert_eq(feed_jsonl(b, part_a), 0, "%s", msg);
    cr_assert_eq(feed_jsonl(b, part_b), 0, "%s", msg);
    write_open(b, "v3", &s3);
    algo_graph_builder_free(b);

    compare_snapshots(&s2, &s3);
    /* And against the expectations, for what both could get wrong alike. */
    static const xvertex xv[] = {
        {0, 1, NULL, "person", {{"name", 's', .s = "ann"}, {"age", 'i', .i = 31}}},
        {1, 0, "bob b", "person", {{"age", 'i', .i = 41}, {"ok", 'b', .i = 1}}},
        {0, 500, NULL, "city", {{"pop", 'd', .d = 1.5e6}}},
        {0, 7, NULL, "vertex", {{0}}},
        {0, 8, NULL, "vertex", {{0}}},
        {1, 0, "\xc3\xa9ve", "person", {{"name", 's', .s = "eve"}}},
        {0, 900, NULL, "food", {{0}}},
    };
    static const xedge xe[] = {
        {0, 1, "knows", {{"since", 'i', .i = 1999}}},
        {1, 2, "lives", {{0}}},
        {0, 2, "edge", {{"weight", 'd', .d = 0.5}}},
        {2, 0, "edge", {{0}}},
        {3, 4, "edge", {{"weight", 'd', .d = 4.0}}},
        {0, 1, "knows", {{"since", 'i', .i = 2001}}},
        {5, 0, "knows", {{0}}},
        {5, 6, "likes", {{"how", 's', .s = "much"}}},
        {0, 2, "edge", {{"weight", 'd', .d = 0.25}}},
        {4, 3, "edge", {{0}}},
    };
    check_vertices(&s2, xv, COUNT(xv));
    check_edges(&s2, xv, xe, COUNT(xe));

    /* The schema carries over: a key's type can't change in a later version. */
    b = new_builder();
    cr_assert_eq(algo_graph_builder_add_snapshot(b, &s1, msg), 0, "%s", msg);
    cr_assert_lt(one(b, "{\"label\": \"city\", \"id\": 501, \"properties\": {\"pop\": 3}}"), 0);
    cr_assert(strstr(msg, "is double; got int"), "%s", msg);
    cr_assert_lt(one(b, "{\"label\": \"city\", \"id\": 1}"), 0); /* 1 is a person */
    algo_graph_builder_free(b);

    algo_snapshot_close(&s1);
    algo_snapshot_close(&s2);
    algo_snapshot_close(&s3);
}

/* ---- plain edge lists and Graphalytics ---------------------------------- */

Test(snapshot, plain_weights_are_the_weight_property)
{
    algo_snapshot s;
    algo_graph_builder *b = from_edge_list("1 2 0.5\n2 3 1.5\n3 1 2\nx 1 -4.25\n");
    write_open(b, "w", &s);
    algo_graph_builder_free(b);
    static const xvertex xv[] = {
        {0, 1, NULL, "vertex", {{0}}},
        {0, 2, NULL, "vertex", {{0}}},
        {0, 3, NULL, "vertex", {{0}}},
        {1, 0, "x", "vertex", {{0}}},
    };
    static const xedge xe[] = {
        {0, 1, "edge", {{"weight", 'd', .d = 0.5}}},
        {1, 2, "edge", {{"weight", 'd', .d = 1.5}}},
        {2, 0, "edge", {{"weight", 'd', .d = 2}}},
        {3, 0, "edge", {{"weight", 'd', .d = -4.25}}},
    };
    check_vertices(&s, xv, COUNT(xv));
    check_edges(&s, xv, xe, COUNT(xe));
    cr_assert_eq(s.n_keys, 1);
    cr_assert(s.keys[0].in_graph); /* every edge weighted: the weights are graph.hgcg's */
    cr_assert_null(s.in_to_out);
    cr_assert_eq(s.n_vlabels, 1);
    cr_assert_eq(s.n_elabels, 1);
    algo_snapshot_close(&s);

    /* Unweighted: no key; the first weighted edge leaves the earlier
     * ones without the property (weighing 1 in the CSR). */
    b = from_edge_list("1 2\n2 3\n");
    write_open(b, "u", &s);
    algo_graph_builder_free(b);
    cr_assert_eq(s.n_keys, 0);
    cr_assert(!algo_weights_on(s.g.out_w));
    cr_assert_eq(label_count(&s, 'e', "edge"), 2);
    algo_snapshot_close(&s);

    b = from_edge_list("1 2\n2 3 7.5\n3 1\n");
    write_open(b, "mixed", &s);
    algo_graph_builder_free(b);
    static const xedge xm[] = {
        {0, 1, "edge", {{0}}},
        {1, 2, "edge", {{"weight", 'd', .d = 7.5}}},
        {2, 0, "edge", {{0}}},
    };
    check_edges(&s, xv, xm, COUNT(xm));
    cr_assert_eq(algo_weight(s.g.out_w, s.g.out_off[0]), 1.0);
    cr_assert_not(s.keys[0].in_graph); /* an edge without weight: a real column */
    cr_assert_not_null(s.in_to_out);
    algo_snapshot_close(&s);
}

static void feed_graphalytics(algo_graph_builder *b, const algo_graphalytics_props *gp, char which,
                              const char *path)
{
    size_t len;
    char *text = slurp(path, &len);
    algo_graphalytics_parser *p;
    cr_assert_eq(algo_graphalytics_parser_new(&p, which, gp, algo_graph_builder_sink(b)), 0);
    cr_assert_eq(algo_graphalytics_parser_feed(p, text, len, msg), 0, "%s", msg);
    cr_assert_eq(algo_graphalytics_parser_finish(p, msg), 0, "%s", msg);
    algo_graphalytics_parser_free(p);
    free(text);
}

Test(snapshot, graphalytics_example_directed)
{
    const char *base = HGC_TEST_DATA "/graphalytics/example-directed";
    char path[512];
    size_t len;
    algo_graphalytics_props gp;
    snprintf(path, sizeof path, "%s.properties", base);
    char *text = slurp(path, &len);
    cr_assert_eq(algo_graphalytics_props_parse(&gp, text, len, msg), 0, "%s", msg);
    free(text);
    cr_assert_str_eq(gp.weight_key, "weight");

    algo_graph_builder *b = new_builder();
    snprintf(path, sizeof path, "%s.v", base);
    feed_graphalytics(b, &gp, 'v', path);
    snprintf(path, sizeof path, "%s.e", base);
    feed_graphalytics(b, &gp, 'e', path);
    algo_snapshot s;
    write_open(b, "ga", &s);
    algo_graph_builder_free(b);

    /* The files, read independently. */
    xvertex xv[64];
    xedge xe[128];
    double w[128];
    size_t nv = 0, ne = 0;
    long long a, c;
    snprintf(path, sizeof path, "%s.v", base);
    FILE *f = fopen(path, "r");
    while (nv < 64 && fscanf(f, "%lld", &a) == 1)
        xv[nv++] = (xvertex){0, a, NULL, "vertex", {{0}}};
    fclose(f);
    snprintf(path, sizeof path, "%s.e", base);
    f = fopen(path, "r");
    while (ne < 128 && fscanf(f, "%lld %lld %lf", &a, &c, &w[ne]) == 3) {
        int si = -1, di = -1;
        for (size_t i = 0; i < nv; i++) {
            if (xv[i].num == a)
                si = (int)i;
            if (xv[i].num == c)
                di = (int)i;
        }
        cr_assert(si >= 0 && di >= 0);
        xe[ne] = (xedge){si, di, "edge", {{"weight", 'd', .d = w[ne]}}};
        ne++;
    }
    fclose(f);
    cr_assert_eq(nv, 10);
    cr_assert_eq(ne, 17);
    check_vertices(&s, xv, nv);
    check_edges(&s, xv, xe, ne);
    for (size_t k = 0; k < ne; k++)
        cr_assert_eq(algo_weight(s.g.out_w, out_pos(&s, xv, xe, k)), w[k]);
    algo_snapshot_close(&s);
}
