/* snapshot_expect.h: what test_snapshot.c and test_snapshot_layout.c
 * share: JSON lines fed in small pieces, a snapshot written and opened,
 * the expected vertices and edges written out by hand (labels, ids,
 * values) with their checks, and the "people" graph they describe.
 * Include after snapshot_fixture.h. */
#ifndef TEST_ALGO_SNAPSHOT_EXPECT_H
#define TEST_ALGO_SNAPSHOT_EXPECT_H

#include <string.h>

#include "edge_parse.h"
#include "record_parse.h"

/* ---- feeding ------------------------------------------------------------ */

/* Feeds JSON lines in small pieces (records split across feeds); 0 or
 * the parser's error with msg. */
static inline int feed_jsonl(algo_graph_builder *b, const char *text)
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

static inline void write_open(algo_graph_builder *b, const char *name, algo_snapshot *s)
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

static inline int64_t find_vertex(const algo_snapshot *s, const xvertex *v)
{
    return v->is_str ? algo_graph_find_str(&s->g, v->str, strlen(v->str))
                     : algo_graph_find_num(&s->g, v->num);
}

/* The value in the snapshot of (kind, label, key) at slot i equals x. */
static inline void check_value(const algo_snapshot *s, char kind, const char *label, uint64_t slot,
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
static inline void check_absent(const algo_snapshot *s, char kind, const char *label, uint64_t slot,
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

static inline void check_vertices(const algo_snapshot *s, const xvertex *xv, size_t nv)
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
static inline uint64_t out_pos(const algo_snapshot *s, const xvertex *xv, const xedge *xe, size_t k)
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
static inline uint64_t in_pos(const algo_snapshot *s, const xvertex *xv, const xedge *xe, size_t k)
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
static inline void check_in_edge_plain(const algo_snapshot *s, const xedge *x, uint64_t i, size_t k)
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

static inline void check_edges(const algo_snapshot *s, const xvertex *xv, const xedge *xe,
                               size_t ne)
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

static inline uint64_t label_count(const algo_snapshot *s, char kind, const char *name)
{
    uint32_t n = kind == 'v' ? s->n_vlabels : s->n_elabels;
    for (uint32_t i = 0; i < n; i++)
        if (!strcmp((kind == 'v' ? s->vlabel_names : s->elabel_names)[i], name))
            return (kind == 'v' ? s->vlabel_count : s->elabel_count)[i];
    return UINT64_MAX;
}

/* ---- labels and every property type through JSON lines ------------------ */

static const char people[] =
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

/* One JSON record, whole. */
static inline int one(algo_graph_builder *b, const char *json)
{
    return algo_jsonl_parse_one(algo_graph_builder_sink(b), json, strlen(json), msg);
}

/* Two parts of one labelled property graph: a snapshot of the first with
 * the second added must equal one build of both. */
static const char part_a[] =
    "{\"label\": \"person\", \"id\": 1, \"properties\": {\"name\": \"ann\", \"age\": 30}}\n"
    "{\"label\": \"person\", \"id\": \"bob b\", \"properties\": {\"age\": 41, \"ok\": true}}\n"
    "{\"label\": \"city\", \"id\": 500, \"properties\": {\"pop\": 1.5e6}}\n"
    "{\"label\": \"knows\", \"outV\": 1, \"inV\": \"bob b\", \"properties\": {\"since\": 1999}}\n"
    "{\"label\": \"lives\", \"outV\": \"bob b\", \"inV\": 500}\n"
    "{\"outV\": 1, \"inV\": 500, \"properties\": {\"weight\": 0.5}}\n"
    "{\"outV\": 500, \"inV\": 1}\n"
    "{\"outV\": 7, \"inV\": 8, \"properties\": {\"weight\": 4.0}}\n";

static const char part_b[] =
    "{\"label\": \"person\", \"id\": 1, \"properties\": {\"age\": 31}}\n"
    "{\"label\": \"person\", \"id\": \"\xc3\xa9ve\", \"properties\": {\"name\": \"eve\"}}\n"
    "{\"label\": \"knows\", \"outV\": 1, \"inV\": \"bob b\", \"properties\": {\"since\": 2001}}\n"
    "{\"label\": \"knows\", \"outV\": \"\xc3\xa9ve\", \"inV\": 1}\n"
    "{\"label\": \"likes\", \"outV\": \"\xc3\xa9ve\", \"inV\": 900, \"inVLabel\": \"food\", "
    "\"properties\": {\"how\": \"much\"}}\n"
    "{\"outV\": 1, \"inV\": 500, \"properties\": {\"weight\": 0.25}}\n"
    "{\"outV\": 8, \"inV\": 7}\n";

/* A builder fed a plain edge list. */
static inline algo_graph_builder *from_edge_list(const char *text)
{
    algo_graph_builder *b = new_builder();
    algo_edge_parser *p;
    cr_assert_eq(algo_edge_parser_new(&p, b), 0);
    cr_assert_eq(algo_edge_parser_feed(p, text, strlen(text), msg), 0, "%s", msg);
    cr_assert_eq(algo_edge_parser_finish(p, msg), 0, "%s", msg);
    algo_edge_parser_free(p);
    return b;
}

/* A file of up to 1 MiB, whole (the caller frees it). */
static inline char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

#endif
