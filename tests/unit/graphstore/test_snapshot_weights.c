/* test_snapshot_weights.c: a plain weighted graph (every edge of label
 * "edge" with a weight, no other edge key) keeps its weights once, in
 * graph.hgcg: the schema marks the key "in": "graph", there is no column
 * file and no in_to_out, and the key's column is a view of out_w
 * (snapshot.h). Every other graph keeps a real weight column. Expected
 * values come from the edge lists the tests make themselves; a builder
 * fed a version back must give what a builder fed every record gives.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
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
    fixture_make_dir("snapw");
}

TestSuite(snapshot_weights, .init = make_dir, .fini = remove_dir);

/* ---- feeding ------------------------------------------------------------ */

static void feed_edges(algo_graph_builder *b, const char *text)
{
    algo_edge_parser *p;
    cr_assert_eq(algo_edge_parser_new(&p, b), 0);
    cr_assert_eq(algo_edge_parser_feed(p, text, strlen(text), msg), 0, "%s", msg);
    cr_assert_eq(algo_edge_parser_finish(p, msg), 0, "%s", msg);
    algo_edge_parser_free(p);
}

static void feed_jsonl(algo_graph_builder *b, const char *text)
{
    algo_jsonl_parser *p;
    const algo_record_sink *sink = algo_graph_builder_sink(b);
    cr_assert_not_null(sink);
    cr_assert_eq(algo_jsonl_parser_new(&p, sink), 0);
    cr_assert_eq(algo_jsonl_parser_feed(p, text, strlen(text), msg), 0, "%s", msg);
    cr_assert_eq(algo_jsonl_parser_finish(p, msg), 0, "%s", msg);
    algo_jsonl_parser_free(p);
}

static void write_open(algo_graph_builder *b, const char *name, algo_snapshot *s)
{
    cr_assert_eq(algo_graph_builder_write_snapshot(b, in_dir(name), msg), 0, "%s", msg);
    algo_graph_builder_free(b);
    cr_assert_eq(algo_snapshot_open(s, in_dir(name), msg), 0, "%s", msg);
}

/* ---- a weighted edge list of distinct pairs ----------------------------- */

#define NE 400
typedef struct xe {
    int64_t src, dst;
    double w;
    int has_w;
} xe;

/* NE distinct pairs over 80 vertices, weights exact in binary. */
static size_t make_edges(xe *e, uint64_t seed)
{
    static uint8_t used[80][80];
    memset(used, 0, sizeof used);
    size_t n = 0;
    uint64_t x = seed;
    while (n < NE) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        int64_t s = (int64_t)((x >> 33) % 80), d = (int64_t)((x >> 17) % 80);
        if (used[s][d])
            continue;
        used[s][d] = 1;
        e[n++] = (xe){s, d, (double)(int64_t)((x >> 40) % 4001) * 0.125 - 250.0, 1};
    }
    return n;
}

static char *edge_text(const xe *e, size_t n)
{
    char *t = malloc(n * 64 + 1), *at = t;
    t[0] = 0;
    for (size_t i = 0; i < n; i++)
        at += e[i].has_w
                  ? sprintf(at, "%" PRId64 " %" PRId64 " %.17g\n", e[i].src, e[i].dst, e[i].w)
                  : sprintf(at, "%" PRId64 " %" PRId64 "\n", e[i].src, e[i].dst);
    return t;
}

/* The out-CSR and in-CSR positions of the (only) edge src -> dst. */
static void positions(const algo_snapshot *s, const xe *e, uint64_t *out, uint64_t *in)
{
    int64_t a = algo_graph_find_num(&s->g, e->src), b = algo_graph_find_num(&s->g, e->dst);
    cr_assert(a >= 0 && b >= 0);
    *out = *in = UINT64_MAX;
    for (uint64_t i = s->g.out_off[a]; i < s->g.out_off[a + 1]; i++)
        if (s->g.out_dst[i] == (uint32_t)b)
            *out = i;
    for (uint64_t i = s->g.in_off[b]; i < s->g.in_off[b + 1]; i++)
        if (s->g.in_src[i] == (uint32_t)a)
            *in = i;
    cr_assert(*out != UINT64_MAX && *in != UINT64_MAX, "edge %" PRId64 " %" PRId64, e->src, e->dst);
}

/* Every edge's weight property, by out position through the key's
 * column and by in position (in_to_out, or in_w when the weights are in
 * the graph), is the expected one; an edge without has none. */
static void check_weights(const algo_snapshot *s, const xe *e, size_t n)
{
    const algo_schema_key *k = algo_snapshot_key(s, 'e', "edge", "weight");
    cr_assert_not_null(k);
    cr_assert_eq(k->type, ALGO_PROP_DOUBLE);
    algo_column c;
    cr_assert_eq(algo_snapshot_column(s, k, &c, msg), 0, "%s", msg);
    cr_assert_eq(c.n, s->g.m);
    for (size_t i = 0; i < n; i++) {
        uint64_t o, in;
        positions(s, &e[i], &o, &in);
        uint64_t via = s->in_to_out ? s->in_to_out[in] : UINT64_MAX;
        cr_assert(!s->in_to_out || via == o, "edge %zu: in_to_out", i);
        cr_assert_eq(algo_column_has(&c, o), e[i].has_w, "edge %zu", i);
        if (!e[i].has_w)
            continue;
        algo_prop_value v;
        algo_column_get(&c, o, &v);
        cr_assert_eq(v.type, ALGO_PROP_DOUBLE);
        cr_assert_eq(v.d, e[i].w, "edge %zu: %g expected %g", i, v.d, e[i].w);
        cr_assert_eq(algo_weight(s->g.out_w, o), e[i].w);
        cr_assert_eq(algo_weight(s->g.in_w, in), e[i].w);
    }
    algo_column_unmap(&c);
    cr_assert_null(c.doubles); /* unmap clears the view */
}

/* ---- what is on disk ---------------------------------------------------- */

static int count_col_files(const char *folder)
{
    DIR *d = opendir(folder);
    cr_assert_not_null(d, "%s", folder);
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d)) != NULL)
        n += strlen(de->d_name) > 4 && !strcmp(de->d_name + strlen(de->d_name) - 4, ".col");
    closedir(d);
    return n;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char *buf = calloc(1, 1 << 16);
    size_t len = fread(buf, 1, (1 << 16) - 1, f);
    buf[len] = 0;
    fclose(f);
    return buf;
}

static uint64_t in_to_out_len(const char *folder)
{
    char path[300];
    snprintf(path, sizeof path, "%s/labels.bin", folder);
    store_labels_header h;
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fread(&h, sizeof h, 1, f), 1);
    fclose(f);
    return h.sec[LS_IN_TO_OUT].len;
}

static off_t file_size(const char *folder, const char *name)
{
    char path[300];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", folder, name);
    cr_assert_eq(stat(path, &st), 0, "%s", path);
    return st.st_size;
}

/* The layout of a plain weighted folder: weights in graph.hgcg only. */
static void check_in_graph_layout(const char *name, const algo_snapshot *s)
{
    const algo_schema_key *k = algo_snapshot_key(s, 'e', "edge", "weight");
    cr_assert_not_null(k);
    cr_assert(k->in_graph, "%s: weight key not in the graph", name);
    cr_assert_null(s->in_to_out);
    cr_assert_eq(count_col_files(in_dir(name)), 0, "%s: a column file", name);
    cr_assert_eq(in_to_out_len(in_dir(name)), 0);
    char path[300];
    snprintf(path, sizeof path, "%s/schema.json", in_dir(name));
    char *schema = slurp(path);
    cr_assert(strstr(schema, "\"in\": \"graph\""), "%s", schema);
    cr_assert_null(strstr(schema, "\"file\": \"e."), "%s", schema);
    free(schema);
}

/* ---- comparing two versions --------------------------------------------- */

/* The same graph: ids, both CSRs, weights, labels, the schema and every
 * column slot; `layout` also the weights' place and in_to_out. */
static void compare(const algo_snapshot *x, const algo_snapshot *y, int layout)
{
    const algo_graph *g = &x->g, *h = &y->g;
    cr_assert_eq(g->n, h->n);
    cr_assert_eq(g->m, h->m);
    cr_assert_eq(memcmp(g->ids.num, h->ids.num, g->n * 8), 0);
    cr_assert_eq(memcmp(g->ids.str_off, h->ids.str_off, (g->n + 1) * 8), 0);
    cr_assert_eq(memcmp(g->out_off, h->out_off, (g->n + 1) * 8), 0);
    cr_assert_eq(memcmp(g->in_off, h->in_off, (g->n + 1) * 8), 0);
    cr_assert_eq(memcmp(g->out_dst, h->out_dst, g->m * 4), 0);
    cr_assert_eq(memcmp(g->in_src, h->in_src, g->m * 4), 0);
    cr_assert(same_weights(g->out_w, h->out_w, g->m));
    cr_assert(same_weights(g->in_w, h->in_w, g->m));
    if (layout) {
        cr_assert_eq(x->in_to_out != NULL, y->in_to_out != NULL);
        if (x->in_to_out)
            cr_assert_eq(memcmp(x->in_to_out, y->in_to_out, g->m * 8), 0);
    }
    for (uint64_t e = 0; e < g->m; e++)
        cr_assert_str_eq(x->elabel_names[x->elabel[e]], y->elabel_names[y->elabel[e]]);
    cr_assert_eq(x->n_keys, y->n_keys);
    for (size_t k = 0; k < x->n_keys; k++) {
        const algo_schema_key *a = &x->keys[k];
        const char *label = (a->kind == 'v' ? x->vlabel_names : x->elabel_names)[a->label];
        const algo_schema_key *b = algo_snapshot_key(y, a->kind, label, a->key);
        cr_assert_not_null(b, "%c/%s/%s", a->kind, label, a->key);
        cr_assert_eq(a->type, b->type);
        if (layout)
            cr_assert_eq(a->in_graph, b->in_graph, "%s", a->key);
        algo_column c, d;
        cr_assert_eq(algo_snapshot_column(x, a, &c, msg), 0, "%s", msg);
        cr_assert_eq(algo_snapshot_column(y, b, &d, msg), 0, "%s", msg);
        cr_assert_eq(c.n, d.n);
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

/* ---- tests -------------------------------------------------------------- */

Test(snapshot_weights, plain_weighted_keeps_weights_in_the_graph_only)
{
    static xe e[NE];
    size_t n = make_edges(e, 1);
    char *text = edge_text(e, n);
    algo_graph_builder *b = new_builder();
    feed_edges(b, text);
    algo_snapshot s;
    write_open(b, "w", &s);
    check_in_graph_layout("w", &s);
    cr_assert_eq(s.n_keys, 1);
    cr_assert_eq(s.n_elabels, 1);
    cr_assert_eq(s.g.m, n);
    check_weights(&s, e, n);

    /* The view: every slot present, the values out_w's, nothing owned. */
    algo_column c;
    cr_assert_eq(algo_snapshot_column(&s, &s.keys[0], &c, msg), 0, "%s", msg);
    cr_assert_null(c.present);
    cr_assert_null(c.map_);
    cr_assert_eq(c.n, s.g.m);
    for (uint64_t i = 0; i < c.n; i++)
        cr_assert(algo_column_has(&c, i) && algo_column_double(&c, i) == algo_weight(s.g.out_w, i));
    cr_assert_not(algo_column_has(&c, c.n));
    algo_column_unmap(&c);
    /* Still readable after the view is gone: it owned nothing. */
    cr_assert_eq(algo_weight(s.g.out_w, 0), algo_weight(s.g.out_w, 0));
    cr_assert_eq(algo_snapshot_size(&s), (uint64_t)(file_size(in_dir("w"), "graph.hgcg") +
                                                    file_size(in_dir("w"), "labels.bin") +
                                                    file_size(in_dir("w"), "schema.json")));
    algo_snapshot_close(&s);

    /* Vertex labels and keys do not matter: still in the graph. */
    b = new_builder();
    feed_edges(b, text);
    feed_jsonl(b, "{\"label\": \"person\", \"id\": 1000, \"properties\": {\"age\": 3}}\n");
    write_open(b, "wv", &s);
    cr_assert(algo_snapshot_key(&s, 'e', "edge", "weight")->in_graph);
    cr_assert_null(s.in_to_out);
    cr_assert_eq(count_col_files(in_dir("wv")), 1); /* the vertex key's */
    check_weights(&s, e, n);
    algo_snapshot_close(&s);
    free(text);
}

Test(snapshot_weights, other_graphs_keep_a_weight_column)
{
    static xe e[NE];
    size_t n = make_edges(e, 2);
    e[17].has_w = 0;
    char *text = edge_text(e, n);
    algo_snapshot s;

    /* One edge without a weight: a real column, that edge absent. */
    algo_graph_builder *b = new_builder();
    feed_edges(b, text);
    write_open(b, "mixed", &s);
    const algo_schema_key *k = algo_snapshot_key(&s, 'e', "edge", "weight");
    cr_assert_not(k->in_graph);
    cr_assert_str_eq(k->file, "e.0.col");
    cr_assert_not_null(s.in_to_out);
    cr_assert_eq(count_col_files(in_dir("mixed")), 1);
    check_weights(&s, e, n);
    uint64_t o, in;
    positions(&s, &e[17], &o, &in);
    cr_assert_eq(algo_weight(s.g.out_w, o), 1.0); /* weighs 1 in the CSR */
    algo_snapshot_close(&s);

    /* A second edge label. */
    e[17].has_w = 1;
    free(text);
    text = edge_text(e, n);
    b = new_builder();
    feed_edges(b, text);
    feed_jsonl(b, "{\"label\": \"knows\", \"outV\": 1000, \"inV\": 1001}\n");
    write_open(b, "label", &s);
    cr_assert_not(algo_snapshot_key(&s, 'e', "edge", "weight")->in_graph);
    cr_assert_not_null(s.in_to_out);
    cr_assert_eq(count_col_files(in_dir("label")), 1);
    check_weights(&s, e, n);
    algo_snapshot_close(&s);

    /* Another edge key. */
    b = new_builder();
    feed_edges(b, text);
    feed_jsonl(b, "{\"outV\": 1000, \"inV\": 1001, \"properties\": {\"weight\": 2.5, \"c\": 1}}\n");
    write_open(b, "key", &s);
    cr_assert_not(algo_snapshot_key(&s, 'e', "edge", "weight")->in_graph);
    cr_assert_not_null(s.in_to_out);
    cr_assert_eq(count_col_files(in_dir("key")), 2);
    check_weights(&s, e, n);
    algo_snapshot_close(&s);
    free(text);
}

/* A version of the plain weighted edges fed back, then `more` (edge list
 * or JSON lines), equals one builder fed everything. */
static void readd_then(const char *name, const char *base, const char *more, int jsonl,
                       algo_snapshot *got)
{
    char v1[64], v2[64], all[64];
    snprintf(v1, sizeof v1, "%s-v1", name);
    snprintf(v2, sizeof v2, "%s-v2", name);
    snprintf(all, sizeof all, "%s-all", name);
    algo_snapshot s1, s3;
    algo_graph_builder *b = new_builder();
    feed_edges(b, base);
    write_open(b, v1, &s1);
    check_in_graph_layout(v1, &s1);

    b = new_builder();
    cr_assert_eq(algo_graph_builder_add_snapshot(b, &s1, msg), 0, "%s", msg);
    if (jsonl)
        feed_jsonl(b, more);
    else
        feed_edges(b, more);
    write_open(b, v2, got);

    b = new_builder();
    feed_edges(b, base);
    if (jsonl)
        feed_jsonl(b, more);
    else
        feed_edges(b, more);
    write_open(b, all, &s3);
    compare(got, &s3, 1);
    algo_snapshot_close(&s1);
    algo_snapshot_close(&s3);
}

Test(snapshot_weights, add_snapshot_then_more_equals_one_build)
{
    static xe e[NE + 1];
    size_t n = make_edges(e, 3);
    char *base = edge_text(e, n - 20), *rest = edge_text(e + n - 20, 20);
    algo_snapshot s;

    /* (a) more weighted edges: still plain weighted. */
    readd_then("a", base, rest, 0, &s);
    check_in_graph_layout("a-v2", &s);
    check_weights(&s, e, n);
    algo_snapshot_close(&s);

    /* (b) an edge without a weight: a real column, that edge absent. */
    e[n] = (xe){500, 501, 0, 0};
    char *unweighted = edge_text(e + n - 20, 21);
    readd_then("b", base, unweighted, 0, &s);
    cr_assert_not(algo_snapshot_key(&s, 'e', "edge", "weight")->in_graph);
    cr_assert_not_null(s.in_to_out);
    cr_assert_eq(count_col_files(in_dir("b-v2")), 1);
    check_weights(&s, e, n + 1);
    algo_snapshot_close(&s);

    /* (c) a labelled edge with a property. */
    readd_then("c", base,
               "{\"label\": \"knows\", \"outV\": 3, \"inV\": 4, \"properties\": {\"since\": 7}}\n"
               "{\"outV\": 600, \"inV\": 601, \"properties\": {\"weight\": 0.75}}\n",
               1, &s);
    cr_assert_not(algo_snapshot_key(&s, 'e', "edge", "weight")->in_graph);
    cr_assert_not_null(s.in_to_out);
    cr_assert_eq(count_col_files(in_dir("c-v2")), 2);
    cr_assert_eq(s.g.m, n - 20 + 2);
    check_weights(&s, e, n - 20);
    xe extra = {600, 601, 0.75, 1};
    check_weights(&s, &extra, 1);
    algo_snapshot_close(&s);
    free(base);
    free(rest);
    free(unweighted);
}

Test(snapshot_weights, old_style_weight_column_still_opens)
{
    /* Made the old way: the weight column forced by a second key, whose
     * file and schema entry are then taken out, leaving exactly what a
     * plain weighted edge list used to give (a column and in_to_out). */
    algo_graph_builder *b = new_builder();
    feed_jsonl(b, "{\"outV\": 1, \"inV\": 2, \"properties\": {\"weight\": 0.5, \"c\": 1}}\n"
                  "{\"outV\": 2, \"inV\": 3, \"properties\": {\"weight\": -1.5}}\n"
                  "{\"outV\": 3, \"inV\": 1, \"properties\": {\"weight\": 8.25}}\n");
    algo_snapshot s;
    write_open(b, "old", &s);
    const algo_schema_key *w = algo_snapshot_key(&s, 'e', "edge", "weight");
    const algo_schema_key *c = algo_snapshot_key(&s, 'e', "edge", "c");
    cr_assert_not(w->in_graph);
    char wfile[32], cpath[300], schema[1024];
    snprintf(wfile, sizeof wfile, "%s", w->file);
    snprintf(cpath, sizeof cpath, "%s/%s", in_dir("old"), c->file);
    algo_snapshot_close(&s);
    cr_assert_eq(unlink(cpath), 0);
    snprintf(schema, sizeof schema,
             "{\"vertex_labels\": [{\"name\": \"vertex\", \"count\": 3}], "
             "\"edge_labels\": [{\"name\": \"edge\", \"count\": 3}], "
             "\"keys\": [{\"kind\": \"e\", \"label\": \"edge\", \"key\": \"weight\", "
             "\"type\": \"double\", \"file\": \"%s\"}]}",
             wfile);
    put_text(in_dir("old/schema.json"), schema);
    cr_assert_eq(algo_snapshot_open(&s, in_dir("old"), msg), 0, "%s", msg);
    cr_assert_not_null(s.in_to_out);
    cr_assert_not(s.keys[0].in_graph);
    static const xe x[] = {{1, 2, 0.5, 1}, {2, 3, -1.5, 1}, {3, 1, 8.25, 1}};
    check_weights(&s, x, 3);

    /* Fed back and written again: the new layout, the same values. */
    b = new_builder();
    cr_assert_eq(algo_graph_builder_add_snapshot(b, &s, msg), 0, "%s", msg);
    algo_snapshot t;
    write_open(b, "new", &t);
    check_in_graph_layout("new", &t);
    check_weights(&t, x, 3);
    compare(&s, &t, 0);
    algo_snapshot_close(&s);
    algo_snapshot_close(&t);
}

Test(snapshot_weights, weights_in_the_graph_only_where_the_writer_puts_them)
{
    algo_snapshot s;
    algo_graph_builder *b = new_builder();
    feed_edges(b, "1 2 0.5\n2 3 1.5\n");
    write_open(b, "w", &s);
    algo_snapshot_close(&s);
    b = new_builder();
    feed_edges(b, "1 2\n2 3\n");
    write_open(b, "u", &s);
    algo_snapshot_close(&s);
    b = new_builder();
    feed_edges(b, "1 2 0.5\n2 3\n");
    write_open(b, "mixed", &s);
    algo_snapshot_close(&s);
    char w[256], bad[256], cmd[700];
    snprintf(w, sizeof w, "%s", in_dir("w"));
    snprintf(bad, sizeof bad, "%s", in_dir("bad"));

    /* The structure must be weighted. */
    copy_folder(w, bad);
    snprintf(cmd, sizeof cmd, "cp %s/graph.hgcg %s/graph.hgcg", in_dir("u"), bad);
    cr_assert_eq(system(cmd), 0);
    refused(bad, "unweighted structure");
    /* No in_to_out beside it. */
    copy_folder(w, bad);
    snprintf(cmd, sizeof cmd, "cp %s/labels.bin %s/labels.bin", in_dir("mixed"), bad);
    cr_assert_eq(system(cmd), 0);
    refused(bad, "in_to_out without a need");

    char *text = slurp(in_dir("w/schema.json"));
    static const struct {
        const char *from, *to;
    } edits[] = {
        {"\"in\": \"graph\"", "\"in\": \"disk\""},
        {"\"in\": \"graph\"", "\"in\": 1"},
        {"\"in\": \"graph\"", "\"in\": \"graph\", \"file\": \"e.0.col\""},
        {",\n   \"in\": \"graph\"", ""},
        {"\"type\": \"double\"", "\"type\": \"int\""},
        {"\"key\": \"weight\"", "\"key\": \"w\""},
        {"\"kind\": \"e\"", "\"kind\": \"v\""},
    };
    for (size_t k = 0; k < sizeof edits / sizeof edits[0]; k++) {
        char *at = strstr(text, edits[k].from), out[8192];
        cr_assert_not_null(at, "schema.json has no %s:\n%s", edits[k].from, text);
        snprintf(out, sizeof out, "%.*s%s%s", (int)(at - text), text, edits[k].to,
                 at + strlen(edits[k].from));
        copy_folder(w, bad);
        put_text(in_dir("bad/schema.json"), out);
        refused(bad, edits[k].to);
    }
    free(text);
}
