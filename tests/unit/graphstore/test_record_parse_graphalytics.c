/* test_record_parse_graphalytics.c: the Graphalytics parsers: the
 * .properties file (its syntax, its errors, and every shared one compared
 * with what this test reads from it by itself with strstr, and with its .e
 * file), the .v and .e files (every shape, every error with its line, that
 * every split of the input into feeds gives the same records and errors,
 * the shared graphs compared with what this test reads from them by itself
 * with fscanf), and a guard against a slow path per line. The JSON lines
 * parser is in test_record_parse_jsonl.c.
 *
 * Records are written by the test sink (record_parse_fixture.h) as text
 * and compared as text. */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record_parse.h"
#include "record_parse_fixture.h"

/* ---- feeding ------------------------------------------------------------ */

/* Feeds `text` cut at the given offsets (sorted), then finishes. */
static int galy_cuts(rec_log *l, char which, const algo_graphalytics_props *props, const char *text,
                     size_t len, const size_t *cuts, size_t n_cuts, char m[ALGO_MSG_MAX])
{
    algo_record_sink sink = {log_vertex, log_edge, l};
    algo_graphalytics_parser *p;
    cr_assert_eq(algo_graphalytics_parser_new(&p, which, props, &sink), 0);
    size_t before = l->vertices + l->edges;
    int rc = 0;
    size_t at = 0;
    for (size_t i = 0; i <= n_cuts && rc == 0; i++) {
        size_t to = i < n_cuts ? cuts[i] : len;
        rc = algo_graphalytics_parser_feed(p, text + at, to - at, m);
        at = to;
    }
    if (rc == 0)
        rc = algo_graphalytics_parser_finish(p, m);
    if (rc == 0)
        cr_assert_eq(algo_graphalytics_parser_records(p), l->vertices + l->edges - before);
    algo_graphalytics_parser_free(p);
    return rc;
}

static int galy(rec_log *l, char which, const algo_graphalytics_props *props, const char *text,
                char m[ALGO_MSG_MAX])
{
    return galy_cuts(l, which, props, text, strlen(text), NULL, 0, m);
}

static void check_splits_galy(char which, const algo_graphalytics_props *props, const char *text,
                              size_t len)
{
    rec_log whole = {0};
    char m0[ALGO_MSG_MAX] = "", m1[ALGO_MSG_MAX] = "";
    int rc0 = galy_cuts(&whole, which, props, text, len, NULL, 0, m0);
    for (size_t k = 0; k <= len; k++) {
        rec_log l = {0};
        int rc = galy_cuts(&l, which, props, text, len, &k, 1, m1);
        cr_assert_eq(rc, rc0, "cut at %zu: %s", k, m1);
        if (rc0 == 0)
            cr_assert_str_eq(log_text(&l), log_text(&whole), "cut at %zu", k);
        else
            cr_assert_str_eq(m1, m0, "cut at %zu", k);
        log_free(&l);
    }
    log_free(&whole);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return s;
}

/* ---- Graphalytics: .properties ------------------------------------------ */

static algo_graphalytics_props props_of(const char *text)
{
    algo_graphalytics_props p;
    memset(&p, 0x5a, sizeof p);
    cr_assert_eq(algo_graphalytics_props_parse(&p, text, strlen(text), msg), 0, "%s", msg);
    return p;
}

Test(graphalytics_props, syntax)
{
    algo_graphalytics_props p = props_of("# c\n! c\n  graph.my.graph-1.directed=TRUE \r\n"
                                         "graph.my.graph-1.edge-properties.names : w\n"
                                         "graph.my.graph-1.edge-properties.types = long\n"
                                         "graph.my.graph-1.pr.damping-factor = 0.85\n"
                                         "other.key = 1\nno separator line\n");
    cr_assert_eq(p.directed, 1);
    cr_assert_str_eq(p.weight_key, "w");
    cr_assert_eq(p.weight_type, ALGO_PROP_INT);

    p = props_of("graph.g.directed = false\ngraph.g.edge-properties.names = cost\n");
    cr_assert_eq(p.directed, 0);
    cr_assert_str_eq(p.weight_key, "cost");
    cr_assert_eq(p.weight_type, ALGO_PROP_DOUBLE);

    p = props_of("graph.g.directed = true\ngraph.g.directed = false\n"
                 "graph.g.edge-properties.names =\n");
    cr_assert_eq(p.directed, 0, "a later line wins");
    cr_assert_str_eq(p.weight_key, "");
}

Test(graphalytics_props, errors)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"graph.g.vertex-file = g.v\n", "no graph.<name>.directed line"},
        {"", "no graph.<name>.directed line"},
        {"# x\ngraph.g.directed = yes\n", "line 2: directed is 'yes'; expected true or false"},
        {"graph.a.directed = true\ngraph.b.edge-properties.names = weight\n",
         "line 2: graph 'b' after graph 'a'; one graph a file"},
        {"graph.g.directed = true\ngraph.g.edge-properties.names = weight, length\n",
         "line 2: 2 edge properties (weight, length); one is supported, the weight column"},
        {"graph.g.directed = true\ngraph.g.edge-properties.names = weight\n"
         "graph.g.edge-properties.types = string\n",
         "line 3: edge property type 'string' is not real, int or long"},
        {"graph.g.directed = true\ngraph.g.edge-properties.names = weight\n"
         "graph.g.edge-properties.types = real, int\n",
         "line 3: 2 edge property types (real, int) for one name"},
        {"graph.g.directed = true\n"
         "graph.g.edge-properties.names = "
         "a123456789012345678901234567890123456789012345678901234567890123\n",
         "line 2: edge property name 'a123456789012345678901234567890123456789...' is longer "
         "than 63 bytes"},
        {"graph.g.directed = true\ngraph.g.edge-properties.names = \xff\n",
         "line 2: edge property name '?' is not valid UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        algo_graphalytics_props p = {1, "keep", ALGO_PROP_INT};
        cr_assert_lt(algo_graphalytics_props_parse(&p, cases[i].text, strlen(cases[i].text), msg),
                     0, "accepted case %zu", i);
        cr_assert_str_eq(msg, cases[i].want, "case %zu", i);
        cr_assert_str_eq(p.weight_key, "keep", "output untouched on error");
    }
}

/* Every .properties file of the shared folder, checked against the same
 * file read here with strstr, and against its .e file: weighted lines iff
 * a weight name. */
Test(graphalytics_props, every_shared_file)
{
    glob_t g;
    cr_assert_eq(glob(HGC_TEST_DATA "/graphalytics/*.properties", 0, NULL, &g), 0);
    cr_assert_geq(g.gl_pathc, 14);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        size_t len;
        char *text = read_file(g.gl_pathv[i], &len);
        algo_graphalytics_props p;
        cr_assert_eq(algo_graphalytics_props_parse(&p, text, len, msg), 0, "%s: %s", g.gl_pathv[i],
                     msg);
        int directed = strstr(text, ".directed = true\n") != NULL;
        cr_assert(directed || strstr(text, ".directed = false\n"), "%s", g.gl_pathv[i]);
        cr_assert_eq(p.directed, directed, "%s", g.gl_pathv[i]);
        const char *names = strstr(text, ".edge-properties.names = ");
        if (names) {
            cr_assert_str_eq(p.weight_key, "weight", "%s", g.gl_pathv[i]);
            cr_assert_not_null(strstr(text, ".edge-properties.types = real\n"));
            cr_assert_eq(p.weight_type, ALGO_PROP_DOUBLE);
        } else {
            cr_assert_str_eq(p.weight_key, "", "%s", g.gl_pathv[i]);
        }
        /* The edge file: every line has a third field iff weighted. */
        char epath[512];
        snprintf(epath, sizeof epath, "%.*s.e", (int)(strlen(g.gl_pathv[i]) - 11), g.gl_pathv[i]);
        size_t elen;
        char *etext = read_file(epath, &elen);
        rec_log l = {0};
        cr_assert_eq(galy_cuts(&l, 'e', &p, etext, elen, NULL, 0, msg), 0, "%s: %s", epath, msg);
        size_t lines = 0;
        for (size_t k = 0; k < elen; k++)
            lines += etext[k] == '\n';
        cr_assert_eq(l.edges, lines, "%s", epath);
        log_free(&l);
        free(etext);
        free(text);
    }
    globfree(&g);

    /* Some by name, written out by hand. */
    static const struct {
        const char *name, *weight;
        int directed;
    } known[] = {{"example-directed", "weight", 1},
                 {"example-undirected", "weight", 0},
                 {"test-pr-directed", "", 1},
                 {"test-sssp-undirected", "weight", 0},
                 {"test-wcc-undirected", "", 0}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        char path[512];
        size_t len;
        snprintf(path, sizeof path, HGC_TEST_DATA "/graphalytics/%s.properties", known[i].name);
        char *text = read_file(path, &len);
        algo_graphalytics_props p;
        cr_assert_eq(algo_graphalytics_props_parse(&p, text, len, msg), 0, "%s", msg);
        cr_assert_eq(p.directed, known[i].directed, "%s", known[i].name);
        cr_assert_str_eq(p.weight_key, known[i].weight, "%s", known[i].name);
        free(text);
    }
}

/* ---- Graphalytics: .v and .e -------------------------------------------- */

static const algo_graphalytics_props weighted = {1, "weight", ALGO_PROP_DOUBLE};
static const algo_graphalytics_props unweighted = {1, "", ALGO_PROP_DOUBLE};

/* The records a .v/.e pair gives, read here with fscanf. */
static char *expected_from_files(const char *v_path, const char *e_path, const char *key)
{
    rec_log l = {0};
    FILE *f = fopen(v_path, "r");
    cr_assert_not_null(f);
    long long id, a, b;
    while (fscanf(f, "%lld", &id) == 1)
        put(&l, "V n%lld label=6:vertex\n", id);
    fclose(f);
    f = fopen(e_path, "r");
    cr_assert_not_null(f);
    char line[256];
    while (fgets(line, sizeof line, f)) {
        double w;
        int n = sscanf(line, "%lld %lld %lf", &a, &b, &w);
        cr_assert_geq(n, 2);
        put(&l, "E n%lld n%lld label=4:edge src_label=6:vertex dst_label=6:vertex", a, b);
        if (n == 3)
            put(&l, " %zu:%s=d%a", strlen(key), key, w);
        put(&l, "\n");
    }
    fclose(f);
    return l.s;
}

static void check_graph(const char *name)
{
    char vp[512], ep[512], pp[512];
    snprintf(vp, sizeof vp, HGC_TEST_DATA "/graphalytics/%s.v", name);
    snprintf(ep, sizeof ep, HGC_TEST_DATA "/graphalytics/%s.e", name);
    snprintf(pp, sizeof pp, HGC_TEST_DATA "/graphalytics/%s.properties", name);
    size_t vlen, elen, plen;
    char *v = read_file(vp, &vlen), *e = read_file(ep, &elen), *pt = read_file(pp, &plen);
    algo_graphalytics_props props;
    cr_assert_eq(algo_graphalytics_props_parse(&props, pt, plen, msg), 0, "%s", msg);
    rec_log l = {0};
    cr_assert_eq(galy_cuts(&l, 'v', &props, v, vlen, NULL, 0, msg), 0, "%s", msg);
    cr_assert_eq(galy_cuts(&l, 'e', &props, e, elen, NULL, 0, msg), 0, "%s", msg);
    char *want = expected_from_files(vp, ep, props.weight_key);
    cr_assert_str_eq(log_text(&l), want, "%s", name);
    check_splits_galy('v', &props, v, vlen);
    check_splits_galy('e', &props, e, elen);
    free(want);
    log_free(&l);
    free(v);
    free(e);
    free(pt);
}

Test(graphalytics, example_directed)
{
    check_graph("example-directed");
}
Test(graphalytics, test_pr_directed)
{
    check_graph("test-pr-directed");
}
Test(graphalytics, test_sssp_directed)
{
    check_graph("test-sssp-directed");
}

Test(graphalytics, syntax)
{
    rec_log l = {0};
    const char *e = "# comment\n\n  \t\n1\t2 0.5\r\n"
                    "  -3 9223372036854775807\t1e-3 \n"
                    "a\xc3\xa9 1a 7\n"
                    "4 5 .25\n"
                    "6 7 -0\n"
                    "8 9 0.1000000000000000055511151231257827\n"
                    "8 9 123456789012345678\n";
    cr_assert_eq(galy(&l, 'e', &weighted, e, msg), 0, "%s", msg);
    char want[1024];
    snprintf(want, sizeof want,
             "E n1 n2 label=4:edge src_label=6:vertex dst_label=6:vertex 6:weight=d%a\n"
             "E n-3 n9223372036854775807 label=4:edge src_label=6:vertex dst_label=6:vertex "
             "6:weight=d%a\n"
             "E s3:a\xc3\xa9 s2:1a label=4:edge src_label=6:vertex "
             "dst_label=6:vertex 6:weight=d%a\n"
             "E n4 n5 label=4:edge src_label=6:vertex dst_label=6:vertex 6:weight=d%a\n"
             "E n6 n7 label=4:edge src_label=6:vertex dst_label=6:vertex 6:weight=d%a\n"
             "E n8 n9 label=4:edge src_label=6:vertex dst_label=6:vertex 6:weight=d%a\n"
             "E n8 n9 label=4:edge src_label=6:vertex dst_label=6:vertex 6:weight=d%a\n",
             0.5, 1e-3, 7.0, 0.25, -0.0, 0.1000000000000000055511151231257827,
             123456789012345678.0);
    cr_assert_str_eq(log_text(&l), want);
    check_splits_galy('e', &weighted, e, strlen(e));
    log_free(&l);

    /* Without a weight: no property, whatever weight_key says. */
    cr_assert_eq(galy(&l, 'e', &weighted, "1 2\n", msg), 0, "%s", msg);
    cr_assert_eq(galy(&l, 'e', &unweighted, "1 2\n", msg), 0, "%s", msg);
    cr_assert_str_eq(log_text(&l), "E n1 n2 label=4:edge src_label=6:vertex dst_label=6:vertex\n"
                                   "E n1 n2 label=4:edge src_label=6:vertex dst_label=6:vertex\n");
    log_free(&l);

    algo_graphalytics_props ints = {0, "cost", ALGO_PROP_INT};
    cr_assert_eq(galy(&l, 'e', &ints, "1 2 -9223372036854775808\n3 4 17", msg), 0, "%s", msg);
    cr_assert_str_eq(log_text(&l),
                     "E n1 n2 label=4:edge src_label=6:vertex dst_label=6:vertex "
                     "4:cost=i-9223372036854775808\n"
                     "E n3 n4 label=4:edge src_label=6:vertex dst_label=6:vertex 4:cost=i17\n");
    log_free(&l);

    cr_assert_eq(galy(&l, 'v', &unweighted, "1\n  x y\xc3\xa9\n\n# c\n-5", msg), -1);
    cr_assert_str_eq(msg, "line 2: more than 1 field (expected 'id')");
    log_free(&l);
    cr_assert_eq(galy(&l, 'v', &unweighted, "1\n  y\xc3\xa9 \r\n\n# c\n-5", msg), 0, "%s", msg);
    cr_assert_str_eq(log_text(&l),
                     "V n1 label=6:vertex\nV s3:y\xc3\xa9 label=6:vertex\nV n-5 label=6:vertex\n");
    log_free(&l);
}

Test(graphalytics, errors)
{
    static const algo_graphalytics_props ints = {1, "cost", ALGO_PROP_INT};
    static const struct {
        char which;
        const algo_graphalytics_props *props;
        const char *text, *want;
    } cases[] = {
        {'e', &unweighted, "1 2\n3 4 0.5\n",
         "line 2: a weight ('0.5') but the .properties file names no edge property"},
        {'e', &weighted, "1 2 x\n", "line 1: weight 'x' is not a number"},
        {'e', &weighted, "1 2 1e999\n", "line 1: weight '1e999' is not finite"},
        {'e', &weighted, "1 2 0x10\n", "line 1: weight '0x10' is not a number"},
        {'e', &weighted, "1 2 1.2.3\n", "line 1: weight '1.2.3' is not a number"},
        {'e', &ints, "1 2 0.5\n", "line 1: weight '0.5' is not an integer in the 64-bit range"},
        {'e', &ints, "1 2 9223372036854775808\n",
         "line 1: weight '9223372036854775808' is not an integer in the 64-bit range"},
        {'e', &weighted, "1 2 3 4\n", "line 1: more than 3 fields (expected 'src dst [weight]')"},
        {'e', &weighted, "\n\n1\n", "line 3: one field only (expected 'src dst [weight]')"},
        {'e', &weighted, "1 \xff\n", "line 1: id is not valid UTF-8"},
        {'e', &weighted, "99999999999999999999 1\n",
         "line 1: id 99999999999999999999 is out of the 64-bit range"},
        {'e', &weighted, "1 -9223372036854775809\n",
         "line 1: id -9223372036854775809 is out of the 64-bit range"},
        {'e', &weighted, "1 2\x01\n", "line 1: control character 0x01"},
        {'v', &weighted, "1\n2\n\xc0\xaf\n", "line 3: id is not valid UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rec_log l = {0};
        cr_assert_lt(galy(&l, cases[i].which, cases[i].props, cases[i].text, msg), 0,
                     "accepted case %zu", i);
        cr_assert_str_eq(msg, cases[i].want, "case %zu", i);
        log_free(&l);
        check_splits_galy(cases[i].which, cases[i].props, cases[i].text, strlen(cases[i].text));
    }

    rec_log l = {.fail_at = 2};
    cr_assert_lt(galy(&l, 'e', &weighted, "1 2\n3 4\n", msg), 0);
    cr_assert_str_eq(msg, "line 2: sink says no");
    log_free(&l);

    /* 64 KiB lines: the limit passes, one more byte does not. */
    size_t limit = 64 * 1024;
    char *in = malloc(limit + 8);
    memset(in, 'a', limit);
    memcpy(in + limit - 2, " 1\n", 4);
    cr_assert_eq(galy(&l, 'e', &weighted, in, msg), 0, "%s", msg);
    log_free(&l);
    memcpy(in + limit - 1, " 1\n", 4);
    cr_assert_lt(galy(&l, 'e', &weighted, in, msg), 0);
    cr_assert_str_eq(msg, "line 1: longer than 65536 bytes");
    size_t cut = 10;
    cr_assert_lt(galy_cuts(&l, 'e', &weighted, in, strlen(in), &cut, 1, msg), 0);
    cr_assert_str_eq(msg, "line 1: longer than 65536 bytes");
    log_free(&l);
    /* Over the limit and with other faults: the length is reported,
     * whole or cut, as a cut line is checked for length first. */
    memcpy(in, "1 2 3 4\x01", 8);
    cr_assert_lt(galy(&l, 'e', &weighted, in, msg), 0);
    cr_assert_str_eq(msg, "line 1: longer than 65536 bytes");
    cr_assert_lt(galy_cuts(&l, 'e', &weighted, in, strlen(in), &cut, 1, msg), 0);
    cr_assert_str_eq(msg, "line 1: longer than 65536 bytes");
    log_free(&l);
    free(in);

    algo_graphalytics_parser *p;
    algo_record_sink sink = {log_vertex, log_edge, &l};
    cr_assert_lt(algo_graphalytics_parser_new(&p, 'x', &weighted, &sink), 0);
}

Test(graphalytics, speed)
{
    /* Guard against a slow path per line: 1M weighted edges. */
    size_t n = 1000000, cap = n * 32, len = 0;
    char *in = malloc(cap);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(in + len, cap - len, "%zu %zu 0.%zu\n", i, i * 7 % n, i % 1000);
    /* A sink that counts only, so the parser is what is timed. */
    uint64_t count = 0;
    algo_record_sink sink = {count_vertex, count_edge, &count};
    struct timespec t0, t1;
    algo_graphalytics_parser *p;
    cr_assert_eq(algo_graphalytics_parser_new(&p, 'e', &weighted, &sink), 0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t at = 0; at < len; at += 65536) {
        size_t k = len - at < 65536 ? len - at : 65536;
        cr_assert_eq(algo_graphalytics_parser_feed(p, in + at, k, msg), 0, "%s", msg);
    }
    cr_assert_eq(algo_graphalytics_parser_finish(p, msg), 0, "%s", msg);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    cr_log_info("graphalytics .e: %.1f M edges/s", (double)n / s / 1e6);
    cr_assert_eq(algo_graphalytics_parser_records(p), n);
    cr_assert_eq(count, n);
    algo_graphalytics_parser_free(p);
    free(in);
}
