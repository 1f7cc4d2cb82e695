/* test_snapshot_layout.c: what a snapshot folder holds on disk
 * (snapshot.h): damaged folders refused, what labels.bin leaves out for a
 * plain graph and keeps for a labelled one, and the plain path mixed with
 * records. The expectations are written by hand (snapshot_expect.h),
 * never taken from the builder's own output.
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
#include "snapshot_expect.h"

static void make_dir(void)
{
    fixture_make_dir("snap-layout");
}

TestSuite(snapshot_layout, .init = make_dir, .fini = remove_dir);

/* ---- damaged folders ---------------------------------------------------- */

static void poke(const char *path, long at, const void *bytes, size_t len)
{
    FILE *f = fopen(path, "r+b");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fseek(f, at, at < 0 ? SEEK_END : SEEK_SET), 0);
    cr_assert_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
}

Test(snapshot_layout, damaged_folders_refused)
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

Test(snapshot_layout, plain_graph_leaves_out_labels_and_in_to_out)
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

Test(snapshot_layout, edge_labels_without_properties_keep_in_to_out)
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

Test(snapshot_layout, labelled_and_propertied_graphs_keep_every_array)
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

Test(snapshot_layout, damaged_plain_folders_refused)
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

Test(snapshot_layout, edge_list_then_records)
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

Test(snapshot_layout, empty_graph_and_one_write)
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
