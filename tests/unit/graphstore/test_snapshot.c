/* test_snapshot.c: snapshot folders (snapshot.h) written by the labelled
 * builder (graph_build.h). Records go in through the real parsers (JSON
 * lines, Graphalytics, edge lists); what comes back out of the folder is
 * checked against expectations written here (tables of labels and
 * values, the Graphalytics files read with fscanf), never against the
 * builder's own output. Damaged folders must be refused.
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

/* ---- feeding ------------------------------------------------------------ */

/* Feeds JSON lines in small pieces (records split across feeds); 0 or
 * the parser's error with msg. */
static int feed_jsonl(algo_graph_builder *b, const char *text)
{
    algo_jsonl_parser *p;
    const algo_record_sink *sink = algo_graph_builder_sink(b);
    cr_assert_not_null(sink);
    cr_assert_eq(algo_jsonl_parser_new(&p, sink), 0);
    size_t len = strlen(text);
    int rc = 0;
    for (size_t at = 0; at < len && rc == 0; at += 7)
        rc = algo_jsonl_parser_feed(p, text + at, len - at < 7 ? len - at : 7, msg);
    if (rc == 0)
        rc = algo_jsonl_parser_finish(p, msg);
    algo_jsonl_parser_free(p);
    return rc;
}

static void write_open(algo_graph_builder *b, const char *name, algo_snapshot *s)
{
    cr_assert_eq(algo_graph_builder_write_snapshot(b, in_dir(name), msg), 0, "%s", msg);
    cr_assert_eq(algo_snapshot_open(s, in_dir(name), msg), 0, "%s", msg);
}

/* ---- expectations ------------------------------------------------------- */

typedef struct xval { /* an expected property value */
    const char *key;
    char type; /* 'i' int, 'd' double, 's' string, 'b' bool */
    int64_t i;
    double d;
    const char *s;
} xval;

#define XMAX 6
typedef struct xvertex {
    int is_str;
    int64_t num;
    const char *str;
    const char *label;
    xval p[XMAX];
} xvertex;

typedef struct xedge {
    int src, dst; /* indices into the expected vertex table */
    const char *label;
    xval p[XMAX];
} xedge;

static int64_t find_vertex(const algo_snapshot *s, const xvertex *v)
{
    return v->is_str ? algo_graph_find_str(&s->g, v->str, strlen(v->str))
                     : algo_graph_find_num(&s->g, v->num);
}

/* The value in the snapshot of (kind, label, key) at slot i equals x. */
static void check_value(const algo_snapshot *s, char kind, const char *label, uint64_t slot,
                        const xval *x)
{
    const algo_schema_key *k = algo_snapshot_key(s, kind, label, x->key);
    cr_assert_not_null(k, "no key %c/%s/%s", kind, label, x->key);
    algo_column c;
    algo_prop_value v;
    cr_assert_eq(algo_snapshot_column(s, k, &c, msg), 0, "%s", msg);
    cr_assert(algo_column_has(&c, slot), "%s/%s absent at %" PRIu64, label, x->key, slot);
    algo_column_get(&c, slot, &v);
    switch (x->type) {
    case 'i':
        cr_assert_eq(v.type, ALGO_PROP_INT, "%s", x->key);
        cr_assert_eq(v.i, x->i, "%s: %" PRId64 " expected %" PRId64, x->key, v.i, x->i);
        break;
    case 'b':
        cr_assert_eq(v.type, ALGO_PROP_BOOL, "%s", x->key);
        cr_assert_eq(v.i, x->i, "%s", x->key);
        break;
    case 'd':
        cr_assert_eq(v.type, ALGO_PROP_DOUBLE, "%s", x->key);
        cr_assert_eq(v.d, x->d, "%s: %g expected %g", x->key, v.d, x->d);
        break;
    case 's':
        cr_assert_eq(v.type, ALGO_PROP_STRING, "%s", x->key);
        cr_assert_eq(v.len, strlen(x->s), "%s: length %zu", x->key, v.len);
        cr_assert_eq(memcmp(v.s, x->s, v.len), 0, "%s: '%.*s'", x->key, (int)v.len, v.s);
        break;
    default: cr_assert_fail("bad expectation");
    }
    algo_column_unmap(&c);
}

/* Every key of (kind, label) not in x is absent at slot i. */
static void check_absent(const algo_snapshot *s, char kind, const char *label, uint64_t slot,
                         const xval *x)
{
    for (size_t k = 0; k < s->n_keys; k++) {
        const algo_schema_key *sk = &s->keys[k];
        const char *name = (kind == 'v' ? s->vlabel_names : s->elabel_names)[sk->label];
        if (sk->kind != kind || strcmp(name, label) != 0)
            continue;
        int expected = 0;
        for (int j = 0; j < XMAX && x[j].key; j++)
            expected |= !strcmp(x[j].key, sk->key);
        if (expected)
            continue;
        algo_column c;
        cr_assert_eq(algo_snapshot_column(s, sk, &c, msg), 0, "%s", msg);
        cr_assert_not(algo_column_has(&c, slot), "%s/%s present at %" PRIu64, label, sk->key, slot);
        algo_column_unmap(&c);
    }
}

static void check_vertices(const algo_snapshot *s, const xvertex *xv, size_t nv)
{
    cr_assert_eq(s->g.n, nv, "n %" PRIu64 " expected %zu", s->g.n, nv);
    for (size_t i = 0; i < nv; i++) {
        int64_t v = find_vertex(s, &xv[i]);
        cr_assert_geq(v, 0, "vertex %zu missing", i);
        cr_assert_str_eq(s->vlabel_names[s->vlabel[v]], xv[i].label, "vertex %zu", i);
        for (int j = 0; j < XMAX && xv[i].p[j].key; j++)
            check_value(s, 'v', xv[i].label, (uint64_t)v, &xv[i].p[j]);
        check_absent(s, 'v', xv[i].label, (uint64_t)v, xv[i].p);
    }
}

/* The out-CSR position of expected edge k: the occurrence of (src, dst)
 * counting earlier expected edges between the same ends (parallel edges
 * keep the order they were added in). */
static uint64_t out_pos(const algo_snapshot *s, const xvertex *xv, const xedge *xe, size_t k)
{
    int64_t a = find_vertex(s, &xv[xe[k].src]), b = find_vertex(s, &xv[xe[k].dst]);
    size_t nth = 0;
    for (size_t j = 0; j < k; j++)
        nth += xe[j].src == xe[k].src && xe[j].dst == xe[k].dst;
    for (uint64_t i = s->g.out_off[a]; i < s->g.out_off[a + 1]; i++)
        if (s->g.out_dst[i] == (uint32_t)b && nth-- == 0)
            return i;
    cr_assert_fail("edge %zu not in the out-CSR", k);
    return 0;
}

/* The same edge's position in its target's in-list. */
static uint64_t in_pos(const algo_snapshot *s, const xvertex *xv, const xedge *xe, size_t k)
{
    int64_t a = find_vertex(s, &xv[xe[k].src]), b = find_vertex(s, &xv[xe[k].dst]);
    size_t nth = 0;
    for (size_t j = 0; j < k; j++)
        nth += xe[j].src == xe[k].src && xe[j].dst == xe[k].dst;
    for (uint64_t i = s->g.in_off[b]; i < s->g.in_off[b + 1]; i++)
        if (s->g.in_src[i] == (uint32_t)a && nth-- == 0)
            return i;
    cr_assert_fail("edge %zu not in the in-CSR", k);
    return 0;
}

/* Without in_to_out an in-edge has label 0 of the one edge label, and
 * its only properties are the weights graph.hgcg holds, read at its
 * in-CSR position `i` (as the service reads them). */
static void check_in_edge_plain(const algo_snapshot *s, const xedge *x, uint64_t i, size_t k)
{
    cr_assert_eq(s->n_elabels, 1, "edge %zu: no in_to_out but %u edge labels", k, s->n_elabels);
    cr_assert_str_eq(s->elabel_names[0], x->label, "edge %zu", k);
    for (size_t j = 0; j < s->n_keys; j++) {
        const algo_schema_key *sk = &s->keys[j];
        if (sk->kind != 'e')
            continue;
        cr_assert(sk->in_graph, "edge %zu: key %s in a file but no in_to_out", k, sk->key);
        int found = 0;
        for (int p = 0; p < XMAX && x->p[p].key; p++)
            if (!strcmp(x->p[p].key, sk->key)) {
                found = 1;
                cr_assert_eq(x->p[p].type, 'd');
                cr_assert_eq(algo_weight(s->g.in_w, i), x->p[p].d, "edge %zu: in_w %g expected %g",
                             k, algo_weight(s->g.in_w, i), x->p[p].d);
            }
        cr_assert(found, "edge %zu: has %s, none expected", k, sk->key);
    }
}

static void check_edges(const algo_snapshot *s, const xvertex *xv, const xedge *xe, size_t ne)
{
    cr_assert_eq(s->g.m, ne, "m %" PRIu64 " expected %zu", s->g.m, ne);
    for (size_t k = 0; k < ne; k++) {
        uint64_t o = out_pos(s, xv, xe, k), i = in_pos(s, xv, xe, k);
        if (!s->in_to_out) {
            check_in_edge_plain(s, &xe[k], i, k);
            cr_assert_str_eq(s->elabel_names[s->elabel[o]], xe[k].label, "edge %zu", k);
            for (int j = 0; j < XMAX && xe[k].p[j].key; j++)
                check_value(s, 'e', xe[k].label, o, &xe[k].p[j]);
            check_absent(s, 'e', xe[k].label, o, xe[k].p);
            continue;
        }
        uint64_t via_in = s->in_to_out[i];
        cr_assert_eq(via_in, o, "edge %zu: in_to_out gives %" PRIu64 ", out position %" PRIu64, k,
                     via_in, o);
        for (int pass = 0; pass < 2; pass++) {
            uint64_t pos = pass ? via_in : o;
            cr_assert_str_eq(s->elabel_names[s->elabel[pos]], xe[k].label, "edge %zu", k);
            for (int j = 0; j < XMAX && xe[k].p[j].key; j++)
                check_value(s, 'e', xe[k].label, pos, &xe[k].p[j]);
            check_absent(s, 'e', xe[k].label, pos, xe[k].p);
        }
    }
}

static uint64_t label_count(const algo_snapshot *s, char kind, const char *name)
{
    uint32_t n = kind == 'v' ? s->n_vlabels : s->n_elabels;
    for (uint32_t i = 0; i < n; i++)
        if (!strcmp((kind == 'v' ? s->vlabel_names : s->elabel_names)[i], name))
            return (kind == 'v' ? s->vlabel_count : s->elabel_count)[i];
    return UINT64_MAX;
}

/* ---- labels and every property type through JSON lines ------------------ */

static const char *people =
    "{\"label\": \"person\", \"id\": 1, \"properties\": {\"name\": \"marko\", \"age\": 29, "
    "\"score\": 0.5, \"active\": true}}\n"
    "{\"label\": \"person\", \"id\": \"\xc3\xbcn\xc3\xaf c\xc3\xb4"
    "de id \xe2\x9c\x93\", "
    "\"properties\": {\"name\": \"Jos\\u00e9 \xf0\x9f\x98\x80\", \"age\": -3, \"active\": false}}\n"
    "{\"label\": \"software\", \"id\": 9223372036854775807, \"properties\": {\"lang\": \"java\"}}\n"
    "\n"
    "{\"label\": \"knows\", \"outV\": 1, \"inV\": \"\xc3\xbcn\xc3\xaf c\xc3\xb4"
    "de id \xe2\x9c\x93\", "
    "\"outVLabel\": \"person\", \"inVLabel\": \"person\", \"properties\": {\"since\": 2010, "
    "\"weight\": 0.75, \"note\": \"hi there\", \"close\": true}}\n"
    "{\"label\": \"created\", \"outV\": 1, \"inV\": 9223372036854775807, \"outVLabel\": "
    "\"person\", "
    "\"inVLabel\": \"software\", \"properties\": {\"weight\": 0.25}}\n"
    "{\"label\": \"created\", \"outV\": \"a b c\", \"inV\": -9223372036854775000, "
    "\"outVLabel\": \"person\", \"inVLabel\": \"software\"}\n"
    "{\"label\": \"knows\", \"outV\": 1, \"inV\": \"\xc3\xbcn\xc3\xaf c\xc3\xb4"
    "de id \xe2\x9c\x93\", "
    "\"properties\": {\"since\": 2015}}\n"
    "{\"outV\": 1, \"inV\": 1, \"properties\": {\"weight\": 2.5}}\n"
    "{\"outV\": \"a b c\", \"inV\": 77}\n";

static const xvertex people_v[] = {
    {0,
     1,
     NULL,
     "person",
     {{"name", 's', .s = "marko"},
      {"age", 'i', .i = 29},
      {"score", 'd', .d = 0.5},
      {"active", 'b', .i = 1}}},
    {1,
     0,
     "\xc3\xbcn\xc3\xaf c\xc3\xb4"
     "de id \xe2\x9c\x93",
     "person",
     {{"name", 's', .s = "Jos\xc3\xa9 \xf0\x9f\x98\x80"},
      {"age", 'i', .i = -3},
      {"active", 'b', .i = 0}}},
    {0, INT64_MAX, NULL, "software", {{"lang", 's', .s = "java"}}},
    {1, 0, "a b c", "person", {{0}}}, /* created by an edge */
    {0, -9223372036854775000LL, NULL, "software", {{0}}},
    {0, 77, NULL, "vertex", {{0}}}, /* no end label named */
};

static const xedge people_e[] = {
    {0,
     1,
     "knows",
     {{"since", 'i', .i = 2010},
      {"weight", 'd', .d = 0.75},
      {"note", 's', .s = "hi there"},
      {"close", 'b', .i = 1}}},
    {0, 2, "created", {{"weight", 'd', .d = 0.25}}},
    {3, 4, "created", {{0}}},
    {0, 1, "knows", {{"since", 'i', .i = 2015}}},
    {0, 0, "edge", {{"weight", 'd', .d = 2.5}}},
    {3, 5, "edge", {{0}}},
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

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

static int one(algo_graph_builder *b, const char *json)
{
    return algo_jsonl_parse_one(algo_graph_builder_sink(b), json, strlen(json), msg);
}

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

static const char *part_a =
    "{\"label\": \"person\", \"id\": 1, \"properties\": {\"name\": \"ann\", \"age\": 30}}\n"
    "{\"label\": \"person\", \"id\": \"bob b\", \"properties\": {\"age\": 41, \"ok\": true}}\n"
    "{\"label\": \"city\", \"id\": 500, \"properties\": {\"pop\": 1.5e6}}\n"
    "{\"label\": \"knows\", \"outV\": 1, \"inV\": \"bob b\", \"properties\": {\"since\": 1999}}\n"
    "{\"label\": \"lives\", \"outV\": \"bob b\", \"inV\": 500}\n"
    "{\"outV\": 1, \"inV\": 500, \"properties\": {\"weight\": 0.5}}\n"
    "{\"outV\": 500, \"inV\": 1}\n"
    "{\"outV\": 7, \"inV\": 8, \"properties\": {\"weight\": 4.0}}\n";

static const char *part_b =
    "{\"label\": \"person\", \"id\": 1, \"properties\": {\"age\": 31}}\n"
    "{\"label\": \"person\", \"id\": \"\xc3\xa9ve\", \"properties\": {\"name\": \"eve\"}}\n"
    "{\"label\": \"knows\", \"outV\": 1, \"inV\": \"bob b\", \"properties\": {\"since\": 2001}}\n"
    "{\"label\": \"knows\", \"outV\": \"\xc3\xa9ve\", \"inV\": 1}\n"
    "{\"label\": \"likes\", \"outV\": \"\xc3\xa9ve\", \"inV\": 900, \"inVLabel\": \"food\", "
    "\"properties\": {\"how\": \"much\"}}\n"
    "{\"outV\": 1, \"inV\": 500, \"properties\": {\"weight\": 0.25}}\n"
    "{\"outV\": 8, \"inV\": 7}\n";

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

static algo_graph_builder *from_edge_list(const char *text)
{
    algo_graph_builder *b = new_builder();
    algo_edge_parser *p;
    cr_assert_eq(algo_edge_parser_new(&p, b), 0);
    cr_assert_eq(algo_edge_parser_feed(p, text, strlen(text), msg), 0, "%s", msg);
    cr_assert_eq(algo_edge_parser_finish(p, msg), 0, "%s", msg);
    algo_edge_parser_free(p);
    return b;
}

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

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
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

/* ---- damaged folders ---------------------------------------------------- */

static void poke(const char *path, long at, const void *bytes, size_t len)
{
    FILE *f = fopen(path, "r+b");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fseek(f, at, at < 0 ? SEEK_END : SEEK_SET), 0);
    cr_assert_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
}

Test(snapshot, damaged_folders_refused)
{
    algo_graph_builder *b = new_builder();
    algo_snapshot s;
    cr_assert_eq(feed_jsonl(b, part_a), 0, "%s", msg);
    write_open(b, "good", &s);
    algo_graph_builder_free(b);
    uint64_t n = s.g.n, m = s.g.m;
    algo_snapshot_close(&s);
    char *good = in_dir("good"), *bad = in_dir("bad"), *f = in_dir("bad/labels.bin");
    char *schema = in_dir("bad/schema.json");
    /* labels.bin: 192-byte header, vertex labels at 192, edge labels at
     * the next 64-byte boundary, then in_to_out. */
    long vlab = 192, elab = (long)((192 + n * 2 + 63) / 64 * 64);
    long i2o = (long)((elab + m * 2 + 63) / 64 * 64);
    uint16_t big = 999;
    uint64_t far = m + 5;
    char x = 'X';

    copy_folder(good, bad);
    poke(f, 20, &x, 1);
    refused(bad, "header byte");
    copy_folder(good, bad);
    poke(f, vlab + 2, &big, 2);
    refused(bad, "vertex label id");
    copy_folder(good, bad);
    poke(f, elab, &big, 2);
    refused(bad, "edge label id");
    copy_folder(good, bad);
    poke(f, i2o + 8, &far, 8);
    refused(bad, "in_to_out");
    copy_folder(good, bad);
    cr_assert_eq(truncate(f, i2o), 0);
    refused(bad, "truncated labels.bin");
    copy_folder(good, bad);
    cr_assert_eq(unlink(f), 0);
    refused(bad, "no labels.bin");

    size_t len;
    char *text = slurp(in_dir("good/schema.json"), &len);
    text[len] = 0;
    static const struct {
        const char *from, *to;
    } edits[] = {
        {"\"count\": 3", "\"count\": 4"},
        {"\"type\": \"int\"", "\"type\": \"float\""},
        {"\"file\": \"v.0.col\"", "\"file\": \"../../etc/passwd\""},
        {"\"file\": \"v.0.col\"", "\"file\": \"e.0.col\""},
        {"\"label\": \"person\"", "\"label\": \"nobody\""},
        {"\"kind\": \"v\"", "\"kind\": \"x\""},
        {"\"name\": \"city\"", "\"name\": \"town\""},
        {"{", "["},
    };
    for (size_t k = 0; k < COUNT(edits); k++) {
        char *at = strstr(text, edits[k].from), out[8192];
        cr_assert_not_null(at, "schema.json has no %s:\n%s", edits[k].from, text);
        snprintf(out, sizeof out, "%.*s%s%s", (int)(at - text), text, edits[k].to,
                 at + strlen(edits[k].from));
        copy_folder(good, bad);
        put_text(schema, out);
        refused(bad, edits[k].to);
    }
    copy_folder(good, bad);
    put_text(schema, "not json");
    refused(bad, "not json");
    copy_folder(good, bad);
    cr_assert_eq(unlink(schema), 0);
    refused(bad, "no schema.json");
    free(text);

    /* A column of the wrong type or size is refused when mapped. */
    copy_folder(good, bad);
    cr_assert_eq(algo_snapshot_open(&s, bad, msg), 0, "%s", msg);
    const algo_schema_key *age = algo_snapshot_key(&s, 'v', "person", "age");
    const algo_schema_key *name = algo_snapshot_key(&s, 'v', "person", "name");
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cp %s/%s %s/%s", bad, name->file, bad, age->file);
    cr_assert_eq(system(cmd), 0);
    algo_column c;
    cr_assert_lt(algo_snapshot_column(&s, age, &c, msg), 0);
    cr_assert(strstr(msg, "string column"), "%s", msg);
    algo_snapshot_close(&s);

    /* The folder is whole or absent: writing over an existing one fails. */
    b = new_builder();
    cr_assert_eq(feed_jsonl(b, part_b), 0, "%s", msg);
    cr_assert_lt(algo_graph_builder_write_snapshot(b, good, msg), 0);
    cr_assert(strstr(msg, "exists"), "%s", msg);
    algo_graph_builder_free(b);
}

/* ---- what labels.bin leaves out ----------------------------------------- */

static store_labels_header read_header(const char *path)
{
    store_labels_header h;
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fread(&h, sizeof h, 1, f), 1);
    fclose(f);
    return h;
}

static off_t file_size(const char *path)
{
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "%s", path);
    return st.st_size;
}

/* Rewrites the header with a fresh checksum: damage that passes it. */
static void put_header(const char *path, store_labels_header h)
{
    h.check = store_labels_check(&h);
    poke(path, 0, &h, sizeof h);
}

Test(snapshot, plain_graph_leaves_out_labels_and_in_to_out)
{
    algo_snapshot s;
    algo_graph_builder *b = from_edge_list("1 2\n2 3\n3 1\n1 3\nx 1\n");
    write_open(b, "plain", &s);
    algo_graph_builder_free(b);
    cr_assert_eq(s.g.n, 4);
    cr_assert_eq(s.g.m, 5);
    cr_assert_null(s.in_to_out);
    cr_assert_eq(s.n_vlabels, 1);
    cr_assert_eq(s.n_elabels, 1);
    cr_assert_eq(s.n_keys, 0);
    /* Absent arrays read as label 0 everywhere. */
    for (uint64_t v = 0; v < s.g.n; v++)
        cr_assert_eq(s.vlabel[v], 0);
    for (uint64_t e = 0; e < s.g.m; e++)
        cr_assert_eq(s.elabel[e], 0);
    cr_assert_eq(label_count(&s, 'v', "vertex"), 4);
    cr_assert_eq(label_count(&s, 'e', "edge"), 5);
    algo_snapshot_close(&s);

    const char *f = in_dir("plain/labels.bin");
    store_labels_header h = read_header(f);
    cr_assert_eq(h.version, STORE_LABELS_VERSION);
    cr_assert_eq(h.sec[LS_VLABEL].len, 0);
    cr_assert_eq(h.sec[LS_ELABEL].len, 0);
    cr_assert_eq(h.sec[LS_IN_TO_OUT].len, 0);
    /* Header and the two names only: no per-vertex or per-edge bytes. */
    cr_assert_lt(file_size(f), 192 + 3 * 64);

    /* A plain snapshot feeds a builder like any other. */
    cr_assert_eq(algo_snapshot_open(&s, in_dir("plain"), msg), 0, "%s", msg);
    b = new_builder();
    cr_assert_eq(algo_graph_builder_add_snapshot(b, &s, msg), 0, "%s", msg);
    cr_assert_eq(feed_jsonl(b, "{\"label\": \"knows\", \"outV\": 2, \"inV\": 1}\n"), 0, "%s", msg);
    algo_snapshot_close(&s);
    write_open(b, "plain2", &s);
    algo_graph_builder_free(b);
    cr_assert_eq(s.g.m, 6);
    cr_assert_eq(s.n_elabels, 2);
    cr_assert_not_null(s.in_to_out);
    cr_assert_eq(label_count(&s, 'e', "knows"), 1);
    cr_assert_eq(label_count(&s, 'e', "edge"), 5);
    cr_assert_eq(s.g.n, 4);
    algo_snapshot_close(&s);
    h = read_header(in_dir("plain2/labels.bin"));
    cr_assert_eq(h.sec[LS_VLABEL].len, 0);
    cr_assert_eq(h.sec[LS_ELABEL].len, 6 * 2);
    cr_assert_eq(h.sec[LS_IN_TO_OUT].len, 6 * 8);
}

Test(snapshot, edge_labels_without_properties_keep_in_to_out)
{
    algo_snapshot s;
    algo_graph_builder *b = new_builder();
    cr_assert_eq(feed_jsonl(b, "{\"label\": \"a\", \"outV\": 1, \"inV\": 2}\n"
                               "{\"label\": \"b\", \"outV\": 3, \"inV\": 2}\n"
                               "{\"label\": \"a\", \"outV\": 2, \"inV\": 1}\n"),
                 0, "%s", msg);
    write_open(b, "el", &s);
    algo_graph_builder_free(b);
    static const xvertex xv[] = {
        {0, 1, NULL, "vertex", {{0}}},
        {0, 2, NULL, "vertex", {{0}}},
        {0, 3, NULL, "vertex", {{0}}},
    };
    static const xedge xe[] = {
        {0, 1, "a", {{0}}},
        {2, 1, "b", {{0}}},
        {1, 0, "a", {{0}}},
    };
    cr_assert_eq(s.n_keys, 0);
    cr_assert_not_null(s.in_to_out);
    check_vertices(&s, xv, COUNT(xv));
    check_edges(&s, xv, xe, COUNT(xe));
    algo_snapshot_close(&s);
    store_labels_header h = read_header(in_dir("el/labels.bin"));
    cr_assert_eq(h.sec[LS_VLABEL].len, 0);
    cr_assert_eq(h.sec[LS_ELABEL].len, 3 * 2);
    cr_assert_eq(h.sec[LS_IN_TO_OUT].len, 3 * 8);
}

Test(snapshot, labelled_and_propertied_graphs_keep_every_array)
{
    algo_snapshot s;
    algo_graph_builder *b = new_builder();
    cr_assert_eq(feed_jsonl(b, people), 0, "%s", msg);
    write_open(b, "people", &s);
    algo_graph_builder_free(b);
    cr_assert_not_null(s.in_to_out);
    check_vertices(&s, people_v, COUNT(people_v));
    check_edges(&s, people_v, people_e, COUNT(people_e));
    algo_snapshot_close(&s);
    store_labels_header h = read_header(in_dir("people/labels.bin"));
    cr_assert_eq(h.sec[LS_VLABEL].len, COUNT(people_v) * 2);
    cr_assert_eq(h.sec[LS_ELABEL].len, COUNT(people_e) * 2);
    cr_assert_eq(h.sec[LS_IN_TO_OUT].len, COUNT(people_e) * 8);

    /* One label of each kind, and weights on some edges: a weight column
     * with in_to_out. */
    b = from_edge_list("1 2 0.5\n2 3\n");
    write_open(b, "weighted", &s);
    algo_graph_builder_free(b);
    cr_assert_not_null(s.in_to_out);
    cr_assert_eq(s.n_keys, 1);
    algo_snapshot_close(&s);
    h = read_header(in_dir("weighted/labels.bin"));
    cr_assert_eq(h.sec[LS_VLABEL].len, 0);
    cr_assert_eq(h.sec[LS_ELABEL].len, 0);
    cr_assert_eq(h.sec[LS_IN_TO_OUT].len, 2 * 8);
}

Test(snapshot, damaged_plain_folders_refused)
{
    algo_snapshot s;
    /* Weighted with one edge lacking a weight: a weight column file. */
    algo_graph_builder *b = from_edge_list("1 2 0.5\n2 3\n");
    write_open(b, "w", &s);
    algo_graph_builder_free(b);
    algo_snapshot_close(&s);
    b = from_edge_list("1 2\n2 3\n");
    write_open(b, "u", &s);
    algo_graph_builder_free(b);
    algo_snapshot_close(&s);
    char *w = in_dir("w"), *u = in_dir("u"), *bad = in_dir("bad");
    char *f = in_dir("bad/labels.bin"), *uf = in_dir("u/labels.bin"), *wf = in_dir("w/labels.bin");
    char cmd[700];

    /* An edge key without in_to_out, and in_to_out without any need. */
    copy_folder(w, bad);
    snprintf(cmd, sizeof cmd, "cp %s %s", uf, f);
    cr_assert_eq(system(cmd), 0);
    refused(bad, "weights without in_to_out");
    copy_folder(u, bad);
    snprintf(cmd, sizeof cmd, "cp %s %s", wf, f);
    cr_assert_eq(system(cmd), 0);
    refused(bad, "in_to_out without edge keys");

    /* Headers with a good checksum that lie about the sections. */
    store_labels_header h = read_header(uf);
    store_labels_header x = h;
    x.version = STORE_LABELS_VERSION_FULL; /* version 1 has every array */
    copy_folder(u, bad);
    put_header(f, x);
    refused(bad, "version 1 without the arrays");
    x = h;
    x.version = 3;
    copy_folder(u, bad);
    put_header(f, x);
    refused(bad, "version 3");
    x = h;
    x.n_elabels = 2; /* two labels need the edge labels */
    copy_folder(u, bad);
    put_header(f, x);
    refused(bad, "two edge labels, no array");
    x = h;
    x.n_vlabels = 2;
    copy_folder(u, bad);
    put_header(f, x);
    refused(bad, "two vertex labels, no array");
    x = h;
    x.sec[LS_IN_TO_OUT].len = 2 * 8; /* past the end of the file */
    copy_folder(u, bad);
    put_header(f, x);
    refused(bad, "in_to_out past the end");
    copy_folder(u, bad);
    poke(f, 20, "X", 1);
    refused(bad, "header byte");
    copy_folder(u, bad);
    cr_assert_eq(truncate(f, (off_t)(file_size(f) - 1)), 0);
    refused(bad, "truncated labels.bin");

    /* A weighted graph's in_to_out is still checked. */
    h = read_header(wf);
    uint64_t far = 99;
    copy_folder(w, bad);
    poke(f, (long)h.sec[LS_IN_TO_OUT].off + 8, &far, 8);
    refused(bad, "in_to_out entry");
}

/* ---- mixing the plain path and records; empty graphs -------------------- */

Test(snapshot, edge_list_then_records)
{
    /* Small numeric ids keep the builder in its direct mode until the
     * first label: the switch must keep every edge, weight and label. */
    algo_graph_builder *b = from_edge_list("1 2 0.5\n3 1 0.25\n");
    algo_snapshot s;
    cr_assert_eq(feed_jsonl(b, "{\"label\": \"person\", \"id\": 5, \"properties\": {\"n\": 1}}\n"
                               "{\"label\": \"knows\", \"outV\": 5, \"inV\": 2}\n"
                               "{\"outV\": 2, \"inV\": 5}\n"
                               "{\"outV\": 5, \"inV\": 3, \"inVLabel\": \"vertex\", "
                               "\"properties\": {\"weight\": 9.5}}\n"),
                 0, "%s", msg);
    algo_vid x = {.num = 3}, y = {.num = 5};
    cr_assert_eq(algo_graph_builder_add_edge(b, &x, &y, 1, 1.25, msg), 0, "%s", msg);
    write_open(b, "mix", &s);
    algo_graph_builder_free(b);
    static const xvertex xv[] = {
        {0, 1, NULL, "vertex", {{0}}},
        {0, 2, NULL, "vertex", {{0}}},
        {0, 3, NULL, "vertex", {{0}}},
        {0, 5, NULL, "person", {{"n", 'i', .i = 1}}},
    };
    static const xedge xe[] = {
        {0, 1, "edge", {{"weight", 'd', .d = 0.5}}},
        {2, 0, "edge", {{"weight", 'd', .d = 0.25}}},
        {3, 1, "knows", {{0}}},
        {1, 3, "edge", {{0}}},
        {3, 2, "edge", {{"weight", 'd', .d = 9.5}}},
        {2, 3, "edge", {{"weight", 'd', .d = 1.25}}},
    };
    check_vertices(&s, xv, COUNT(xv));
    check_edges(&s, xv, xe, COUNT(xe));
    algo_snapshot_close(&s);
}

Test(snapshot, empty_graph_and_one_write)
{
    algo_graph_builder *b = new_builder();
    algo_snapshot s;
    write_open(b, "empty", &s);
    cr_assert_eq(s.g.n, 0);
    cr_assert_eq(s.g.m, 0);
    cr_assert_eq(s.n_vlabels, 0);
    cr_assert_eq(s.n_keys, 0);
    algo_snapshot_close(&s);
    /* The write consumed the builder. */
    cr_assert_lt(algo_graph_builder_write_snapshot(b, in_dir("again"), msg), 0);
    cr_assert_lt(one(b, "{\"id\": 1}"), 0);
    cr_assert(strstr(msg, "already written"), "%s", msg);
    algo_graph_builder_free(b);
}
