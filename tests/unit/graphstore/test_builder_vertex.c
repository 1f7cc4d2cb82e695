/* test_builder_vertex.c: reading one vertex back from a builder without
 * writing it (algo_graph_builder_vertex_get, algo_column_builder_get),
 * what an update of a vertex is answered with.
 *
 * Each answer is checked against an independent path: a column's lookup
 * against a model of "the last value set wins" and against the column
 * file the same builder writes; a builder's vertices (a snapshot read
 * back, then updates, new vertices, edges that create vertices and a
 * refused record) against the snapshot folder it writes afterwards. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_build.h"
#include "prop_column.h"
#include "records.h"
#include "snapshot.h"
#include "fixture.h"

static char msg[ALGO_MSG_MAX];

static void make_dir(void)
{
    fixture_make_dir("bvert");
}

TestSuite(builder_vertex, .init = make_dir, .fini = remove_dir);

/* ---- one column ----------------------------------------------------------- */

static algo_column_builder *col_new(algo_prop_type t)
{
    algo_column_builder *c = NULL;
    cr_assert_eq(algo_column_builder_new(&c, t), 0);
    return c;
}

static void col_set(algo_column_builder *c, uint64_t i, algo_prop_value v)
{
    cr_assert_eq(algo_column_builder_set(c, i, &v, msg), 0, "%s", msg);
}

static algo_prop_value vint(int64_t x)
{
    return (algo_prop_value){.type = ALGO_PROP_INT, .i = x};
}

static algo_prop_value vstr(const char *s)
{
    return (algo_prop_value){.type = ALGO_PROP_STRING, .s = s, .len = strlen(s)};
}

static int64_t get_int(const algo_column_builder *c, uint64_t i, int *found)
{
    algo_prop_value v;
    *found = algo_column_builder_get(c, i, &v);
    if (*found)
        cr_assert_eq(v.type, ALGO_PROP_INT);
    return *found ? v.i : 0;
}

Test(builder_vertex, column_sorted_prefix_then_newer_values)
{
    algo_column_builder *c = col_new(ALGO_PROP_INT);
    int found;
    get_int(c, 0, &found);
    cr_assert_not(found, "an empty column has no value");
    for (uint64_t i = 0; i < 200; i += 2)
        col_set(c, i, vint((int64_t)i * 10)); /* rising: the prefix */
    for (uint64_t i = 0; i < 201; i++) {
        int64_t x = get_int(c, i, &found);
        cr_assert_eq(found, i % 2 == 0 && i < 200, "index %" PRIu64, i);
        if (found)
            cr_assert_eq(x, (int64_t)i * 10, "index %" PRIu64, i);
    }
    /* Values set out of order after the prefix win over it. */
    col_set(c, 4, vint(-4));
    col_set(c, 7, vint(-7));
    col_set(c, 4, vint(-44));
    col_set(c, 1000, vint(1000)); /* rising again, but after the break */
    cr_assert_eq(get_int(c, 4, &found), -44);
    cr_assert_eq(get_int(c, 7, &found), -7);
    cr_assert_eq(get_int(c, 6, &found), 60);
    cr_assert_eq(get_int(c, 1000, &found), 1000);
    get_int(c, 5, &found);
    cr_assert_not(found);
    algo_column_builder_free(c);
}

Test(builder_vertex, column_strings_replaced_and_empty)
{
    algo_column_builder *c = col_new(ALGO_PROP_STRING);
    algo_prop_value v;
    col_set(c, 3, vstr(""));
    cr_assert_eq(algo_column_builder_get(c, 3, &v), 1);
    cr_assert_eq(v.len, 0, "an empty string is a value");
    col_set(c, 5, vstr("five"));
    col_set(c, 3, vstr("three, longer"));
    col_set(c, 5, vstr("V"));
    cr_assert_eq(algo_column_builder_get(c, 3, &v), 1);
    cr_assert_eq(v.len, strlen("three, longer"));
    cr_assert_eq(memcmp(v.s, "three, longer", v.len), 0);
    cr_assert_eq(algo_column_builder_get(c, 5, &v), 1);
    cr_assert_eq(v.len, 1);
    cr_assert_eq(v.s[0], 'V');
    cr_assert_eq(algo_column_builder_get(c, 4, &v), 0);
    algo_column_builder_free(c);
}

/* Random sets, a rising run first as a snapshot gives: every index's
 * lookup equals the model and the slot of the column file written. */
Test(builder_vertex, column_lookup_agrees_with_model_and_file)
{
    enum { N = 500 };
    static int64_t model[N];
    static int has[N];
    uint64_t seed = 42;
    algo_column_builder *c = col_new(ALGO_PROP_INT);
    for (uint64_t i = 0; i < N; i += 3) {
        col_set(c, i, vint((int64_t)i));
        model[i] = (int64_t)i;
        has[i] = 1;
    }
    for (int k = 0; k < 2000; k++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t i = (seed >> 33) % N;
        int64_t x = (int64_t)(seed >> 40) - 1000;
        col_set(c, i, vint(x));
        model[i] = x;
        has[i] = 1;
    }
    cr_assert_eq(algo_column_builder_write(c, tmp_path("col"), N, NULL, N, msg), 0, "%s", msg);
    algo_column f;
    cr_assert_eq(algo_column_map(&f, tmp_path("col"), msg), 0, "%s", msg);
    for (uint64_t i = 0; i < N; i++) {
        int found;
        int64_t x = get_int(c, i, &found);
        cr_assert_eq(found, has[i], "index %" PRIu64, i);
        cr_assert_eq(found, algo_column_has(&f, i), "index %" PRIu64 " vs the file", i);
        if (!found)
            continue;
        algo_prop_value w;
        algo_column_get(&f, i, &w);
        cr_assert_eq(x, model[i], "index %" PRIu64, i);
        cr_assert_eq(x, w.i, "index %" PRIu64 " vs the file", i);
    }
    algo_column_unmap(&f);
    algo_column_builder_free(c);
}

/* ---- one vertex of a builder ---------------------------------------------- */

#define PROPS_MAX 8

/* A vertex's label and properties, copied out. */
typedef struct seen_vertex {
    char label[128];
    size_t n;
    struct {
        char key[128];
        algo_prop_type type;
        int64_t i;
        double d;
        char s[64];
    } p[PROPS_MAX];
} seen_vertex;

static void seen_prop(void *ud, const char *key, size_t key_len, const algo_prop_value *v)
{
    seen_vertex *sv = ud;
    cr_assert_lt(sv->n, PROPS_MAX);
    cr_assert_lt(key_len, sizeof sv->p[0].key);
    for (size_t k = 0; k < sv->n; k++)
        cr_assert(strlen(sv->p[k].key) != key_len || memcmp(sv->p[k].key, key, key_len) != 0,
                  "key '%.*s' handed over twice", (int)key_len, key);
    memcpy(sv->p[sv->n].key, key, key_len);
    sv->p[sv->n].key[key_len] = 0;
    sv->p[sv->n].type = v->type;
    sv->p[sv->n].i = v->i;
    sv->p[sv->n].d = v->d;
    if (v->type == ALGO_PROP_STRING) {
        cr_assert_lt(v->len, sizeof sv->p[0].s);
        memcpy(sv->p[sv->n].s, v->s, v->len);
        sv->p[sv->n].s[v->len] = 0;
    }
    sv->n++;
}

static int builder_vertex(const algo_graph_builder *b, algo_vid id, seen_vertex *out)
{
    const char *label = NULL;
    memset(out, 0, sizeof *out);
    int rc = algo_graph_builder_vertex_get(b, &id, &label, seen_prop, out);
    if (rc == 0)
        snprintf(out->label, sizeof out->label, "%s", label);
    return rc;
}

/* The same vertex read from a snapshot folder. */
static void snapshot_vertex(const algo_snapshot *s, algo_vid id, seen_vertex *out)
{
    memset(out, 0, sizeof *out);
    int64_t at = algo_idmap_find(&s->g.ids, &id);
    cr_assert_geq(at, 0, "vertex not in the snapshot");
    uint16_t label = s->vlabel[at];
    snprintf(out->label, sizeof out->label, "%s", s->vlabel_names[label]);
    for (size_t k = 0; k < s->n_keys; k++) {
        const algo_schema_key *key = &s->keys[k];
        if (key->kind != 'v' || key->label != label)
            continue;
        algo_column c;
        algo_prop_value v;
        cr_assert_eq(algo_snapshot_column(s, key, &c, msg), 0, "%s", msg);
        if (algo_column_has(&c, (uint64_t)at)) {
            algo_column_get(&c, (uint64_t)at, &v);
            seen_prop(out, key->key, strlen(key->key), &v);
        }
        algo_column_unmap(&c);
    }
}

static void assert_same(const seen_vertex *a, const seen_vertex *w, const char *what)
{
    cr_assert_str_eq(a->label, w->label, "%s: label", what);
    cr_assert_eq(a->n, w->n, "%s: %zu properties, want %zu", what, a->n, w->n);
    for (size_t i = 0; i < w->n; i++) {
        size_t j = 0;
        while (j < a->n && strcmp(a->p[j].key, w->p[i].key) != 0)
            j++;
        cr_assert_lt(j, a->n, "%s: no '%s'", what, w->p[i].key);
        cr_assert_eq(a->p[j].type, w->p[i].type, "%s: '%s' type", what, w->p[i].key);
        switch (w->p[i].type) {
        case ALGO_PROP_INT:
        case ALGO_PROP_BOOL:
            cr_assert_eq(a->p[j].i, w->p[i].i, "%s: '%s'", what, w->p[i].key);
            break;
        case ALGO_PROP_DOUBLE:
            cr_assert_eq(a->p[j].d, w->p[i].d, "%s: '%s'", what, w->p[i].key);
            break;
        case ALGO_PROP_STRING:
            cr_assert_str_eq(a->p[j].s, w->p[i].s, "%s: '%s'", what, w->p[i].key);
            break;
        }
    }
}

static algo_text txt(const char *s)
{
    return (algo_text){.s = s, .len = s ? strlen(s) : 0};
}

static algo_prop pint(const char *k, int64_t x)
{
    return (algo_prop){.key = k, .key_len = strlen(k), .value = vint(x)};
}

static algo_prop pstr(const char *k, const char *s)
{
    return (algo_prop){.key = k, .key_len = strlen(k), .value = vstr(s)};
}

static algo_prop pdbl(const char *k, double d)
{
    return (algo_prop){.key = k, .key_len = strlen(k), .value = {.type = ALGO_PROP_DOUBLE, .d = d}};
}

static algo_prop pbool(const char *k, int x)
{
    return (algo_prop){.key = k, .key_len = strlen(k), .value = {.type = ALGO_PROP_BOOL, .i = x}};
}

static int add_v(algo_graph_builder *b, algo_vid id, const char *label, const algo_prop *ps,
                 size_t n)
{
    algo_vertex_rec r = {.has_id = 1, .id = id, .label = txt(label), .props = ps, .n_props = n};
    return algo_graph_builder_add_vertex_rec(b, &r, NULL, msg);
}

static void add_e(algo_graph_builder *b, algo_vid s, algo_vid d, const char *sl, const char *dl)
{
    algo_edge_rec r = {
        .src = s, .dst = d, .label = txt("knows"), .src_label = txt(sl), .dst_label = txt(dl)};
    cr_assert_eq(algo_graph_builder_add_edge_rec(b, &r, msg), 0, "%s", msg);
}

Test(builder_vertex, a_builder_answers_as_the_snapshot_it_writes)
{
    algo_graph_builder *b;
    algo_snapshot s;
    char v1[256], v2[256];
    snprintf(v1, sizeof v1, "%s", tmp_path("v1"));
    snprintf(v2, sizeof v2, "%s", tmp_path("v2"));

    /* Version 1: forty people and a city, with every type. */
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    for (int64_t i = 0; i < 40; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%" PRId64, i);
        algo_prop ps[] = {pint("age", 20 + i), pstr("name", name), pdbl("score", i * 0.25),
                          pbool("active", (int)(i % 2))};
        cr_assert_eq(add_v(b, num(i), "person", ps, i % 5 == 0 ? 2 : 4), 0, "%s", msg);
    }
    algo_prop city[] = {pstr("name", "Rome")};
    cr_assert_eq(add_v(b, str("rome"), "city", city, 1), 0, "%s", msg);
    add_e(b, num(1), str("rome"), NULL, NULL);
    cr_assert_eq(algo_graph_builder_write_snapshot(b, v1, msg), 0, "%s", msg);
    algo_graph_builder_free(b);

    /* The next builder reads it back, then takes updates as small loads do. */
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    cr_assert_eq(algo_snapshot_open(&s, v1, msg), 0, "%s", msg);
    cr_assert_eq(algo_graph_builder_add_snapshot(b, &s, msg), 0, "%s", msg);
    algo_snapshot_close(&s);
    algo_prop up1[] = {pint("age", 99)};
    algo_prop up2[] = {pstr("name", "renamed"), pbool("active", 1)};
    algo_prop up3[] = {pint("age", 7), pint("age", 8)}; /* a repeated key: the last wins */
    algo_prop up4[] = {pdbl("score", -1.5), pstr("city", "Oslo")};
    algo_prop bad[] = {pint("name", 1)};
    cr_assert_eq(add_v(b, num(3), NULL, up1, 1), 0, "%s", msg);
    cr_assert_eq(add_v(b, num(5), "person", up2, 2), 0, "%s", msg);
    cr_assert_eq(add_v(b, num(3), NULL, up3, 2), 0, "%s", msg);
    cr_assert_eq(add_v(b, num(10), NULL, up4, 2), 0, "%s", msg);
    cr_assert_eq(add_v(b, str("rome"), NULL, up1, 1), 0, "%s", msg); /* a key new to 'city' */
    cr_assert_lt(add_v(b, num(11), NULL, bad, 1), 0, "a type clash is refused");
    cr_assert_lt(add_v(b, num(12), "city", up1, 1), 0, "another label is refused");
    algo_prop fresh[] = {pint("age", 1)};
    cr_assert_eq(add_v(b, num(1000), "person", fresh, 1), 0, "%s", msg);
    add_e(b, str("made"), num(1), "city", NULL); /* an edge makes a vertex */
    cr_assert_eq(add_v(b, str("made"), NULL, city, 1), 0, "%s", msg);

    /* Each vertex as the builder answers, before it is written. */
    algo_vid ids[44];
    seen_vertex before[44];
    size_t n = 0;
    for (int64_t i = 0; i < 40; i++)
        ids[n++] = num(i);
    ids[n++] = str("rome");
    ids[n++] = num(1000);
    ids[n++] = str("made");
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(builder_vertex(b, ids[i], &before[i]), 0, "vertex %zu", i);
    seen_vertex x;
    cr_assert_lt(builder_vertex(b, num(4000), &x), 0, "an unknown vertex");
    cr_assert_lt(builder_vertex(b, str("nope"), &x), 0, "an unknown vertex");
    /* Spot checks against what was sent. */
    cr_assert_eq(before[3].n, 4);
    cr_assert_str_eq(before[40].label, "city");
    cr_assert_str_eq(before[42].label, "city");

    cr_assert_eq(algo_graph_builder_write_snapshot(b, v2, msg), 0, "%s", msg);
    cr_assert_lt(builder_vertex(b, num(1), &x), 0, "a written builder answers nothing");
    algo_graph_builder_free(b);

    cr_assert_eq(algo_snapshot_open(&s, v2, msg), 0, "%s", msg);
    cr_assert_eq(s.g.n, n);
    for (size_t i = 0; i < n; i++) {
        char what[32];
        snprintf(what, sizeof what, "vertex %zu", i);
        snapshot_vertex(&s, ids[i], &x);
        assert_same(&before[i], &x, what);
    }
    algo_snapshot_close(&s);
}

Test(builder_vertex, a_plain_edge_list_vertex)
{
    algo_graph_builder *b;
    seen_vertex x;
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    algo_vid a = num(3), c = num(70);
    cr_assert_eq(algo_graph_builder_add_edge(b, &a, &c, 0, 0, msg), 0, "%s", msg);
    cr_assert_eq(builder_vertex(b, num(70), &x), 0);
    cr_assert_str_eq(x.label, "vertex");
    cr_assert_eq(x.n, 0);
    cr_assert_lt(builder_vertex(b, num(4), &x), 0);
    cr_assert_lt(builder_vertex(b, num(-1), &x), 0);
    algo_graph_builder_free(b);
}
