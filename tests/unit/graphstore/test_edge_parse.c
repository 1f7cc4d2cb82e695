/* test_edge_parse.c: the edge-list parser: accepted syntax, every error
 * with its line number, and that any split of the input into feeds gives
 * the same snapshot bytes and the same errors. Weights are compared with
 * strtod's, ids with values written out by hand. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_parse.h"
#include "graph_build.h"
#include "graph_file.h"
#include "fixture.h"

static char msg[ALGO_MSG_MAX];

static void make_dir(void)
{
    fixture_make_dir("parse");
}

TestSuite(edge_parse, .init = make_dir, .fini = remove_dir);

/* Feeds `text` in pieces of the sizes `next_piece` returns (0 = all at
 * once); 0 and the snapshot at `path`, or negative with msg. */
static int parse_to(const char *text, size_t len, size_t (*next_piece)(void), const char *path,
                    uint64_t *edges)
{
    algo_graph_builder *b;
    algo_edge_parser *p;
    int rc = 0;
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    cr_assert_eq(algo_edge_parser_new(&p, b), 0);
    for (size_t at = 0; at < len && rc == 0;) {
        size_t k = next_piece ? next_piece() : len;
        if (k > len - at)
            k = len - at;
        rc = algo_edge_parser_feed(p, text + at, k, msg);
        at += k;
    }
    if (rc == 0)
        rc = algo_edge_parser_finish(p, msg);
    if (rc == 0 && edges)
        *edges = algo_edge_parser_edges(p);
    if (rc == 0 && path)
        cr_assert_eq(algo_graph_builder_write(b, path, msg), 0, "%s", msg);
    algo_edge_parser_free(p);
    algo_graph_builder_free(b);
    return rc;
}

static void parse_ok(const char *text, algo_graph *g)
{
    cr_assert_eq(parse_to(text, strlen(text), NULL, tmp_path("g"), NULL), 0, "%s", msg);
    cr_assert_eq(algo_graph_map(g, tmp_path("g"), msg), 0, "%s", msg);
}

/* Out-edge k of vertex with numeric id `s`: target id and weight. */
static int64_t out_num(const algo_graph *g, int64_t s, uint64_t k, double *w)
{
    int64_t v = algo_graph_find_num(g, s);
    cr_assert_geq(v, 0, "vertex %" PRId64, s);
    cr_assert_lt(k, g->out_off[v + 1] - g->out_off[v]);
    uint64_t i = g->out_off[v] + k;
    if (w)
        *w = algo_weights_on(g->out_w) ? algo_weight(g->out_w, i) : 1.0;
    return g->ids.num[g->out_dst[i]];
}

static uint64_t out_deg(const algo_graph *g, int64_t v)
{
    return g->out_off[v + 1] - g->out_off[v];
}

Test(edge_parse, syntax_accepted)
{
    algo_graph g;
    double w;
    parse_ok("# a comment\n"
             "\n"
             "1 2\n"
             "   \t\n"
             "  # indented comment 7 8 9 10\n"
             "\t3\t\t4  \n"
             "5 6 0.5\r\n"
             "\r\n"
             "7 8 -2e3 \t\r\n"
             "-9 10 .25\n"
             "11 12 +1.5\n"
             "13 14 7",
             &g);
    cr_assert_eq(g.m, 7);
    cr_assert_eq(g.n, 14);
    cr_assert_eq(out_num(&g, 1, 0, &w), 2);
    cr_assert_eq(w, 1.0);
    cr_assert_eq(out_num(&g, 3, 0, NULL), 4);
    cr_assert_eq(out_num(&g, 5, 0, &w), 6);
    cr_assert_eq(w, 0.5);
    cr_assert_eq(out_num(&g, 7, 0, &w), 8);
    cr_assert_eq(w, -2000.0);
    cr_assert_eq(out_num(&g, -9, 0, &w), 10);
    cr_assert_eq(w, 0.25);
    cr_assert_eq(out_num(&g, 11, 0, &w), 12);
    cr_assert_eq(w, 1.5);
    cr_assert_eq(out_num(&g, 13, 0, &w), 14); /* no trailing newline */
    cr_assert_eq(w, 7.0);
    algo_graph_unmap(&g);
}

Test(edge_parse, ids_numbers_and_strings)
{
    algo_graph g;
    parse_ok("9223372036854775807 -9223372036854775808\n"
             "007 -0\n"
             "alice bob\n"
             "- +5\n"
             "1a \xc3\xa9t\xc3\xa9\n"
             "\xf0\x9f\x98\x80 12345678901234567890x\n",
             &g);
    cr_assert_eq(g.m, 6);
    cr_assert_eq(out_num(&g, INT64_MAX, 0, NULL), INT64_MIN);
    cr_assert_eq(out_num(&g, 7, 0, NULL), 0); /* "007" is 7, "-0" is 0 */
    cr_assert_geq(algo_graph_find_str(&g, "alice", 5), 0);
    cr_assert_geq(algo_graph_find_str(&g, "-", 1), 0);
    cr_assert_geq(algo_graph_find_str(&g, "+5", 2), 0);
    cr_assert_geq(algo_graph_find_str(&g, "1a", 2), 0);
    cr_assert_geq(algo_graph_find_str(&g, "\xc3\xa9t\xc3\xa9", 5), 0);
    cr_assert_geq(algo_graph_find_str(&g, "\xf0\x9f\x98\x80", 4), 0);
    cr_assert_geq(algo_graph_find_str(&g, "12345678901234567890x", 21), 0);
    cr_assert_eq(algo_graph_find_num(&g, 5), -1);
    cr_assert_eq(g.n, 12);
    algo_graph_unmap(&g);
}

Test(edge_parse, vid_parse)
{
    algo_vid v;
    cr_assert_eq(algo_vid_parse(&v, "42", 2), 0);
    cr_assert(!v.is_str && v.num == 42);
    cr_assert_eq(algo_vid_parse(&v, "-42x", 3), 0); /* only len bytes count */
    cr_assert(!v.is_str && v.num == -42);
    cr_assert_eq(algo_vid_parse(&v, "-9223372036854775808", 20), 0);
    cr_assert(!v.is_str && v.num == INT64_MIN);
    cr_assert_eq(algo_vid_parse(&v, "x1", 2), 0);
    cr_assert(v.is_str && v.len == 2 && !memcmp(v.str, "x1", 2));
    cr_assert_eq(algo_vid_parse(&v, "-", 1), 0);
    cr_assert(v.is_str);
    cr_assert_lt(algo_vid_parse(&v, "", 0), 0);
    cr_assert_lt(algo_vid_parse(&v, "\xff", 1), 0);
    cr_assert_lt(algo_vid_parse(&v, "9223372036854775808", 19), 0);
    cr_assert_lt(algo_vid_parse(&v, "-9223372036854775809", 20), 0);
}

/* Each bad input: the message names the line and the problem. */
static void expect_error(const char *text, size_t len, const char *line, const char *what)
{
    cr_assert_lt(parse_to(text, len, NULL, NULL, NULL), 0, "accepted: %.60s", text);
    cr_assert(strncmp(msg, line, strlen(line)) == 0, "message '%s' lacks '%s'", msg, line);
    cr_assert(strstr(msg, what), "message '%s' lacks '%s'", msg, what);
}

#define ERR(text, line, what) expect_error(text, sizeof text - 1, line, what)

Test(edge_parse, errors_name_line_and_problem)
{
    ERR("1 2\n3\n", "line 2: ", "one field");
    ERR("# c\n\n1 2 3 4\n", "line 3: ", "more than 3 fields");
    ERR("1 2 x\n", "line 1: ", "weight 'x' is not a number");
    ERR("1 2\n1 2 0x10\n", "line 2: ", "weight '0x10' is not a number");
    ERR("1 2 1.5.5\n", "line 1: ", "not a number");
    ERR("1 2 -\n", "line 1: ", "not a number");
    ERR("1 2 inf\n", "line 1: ", "not a number");
    ERR("1 2 nan\n", "line 1: ", "not a number");
    ERR("1 2 1e999\n", "line 1: ", "weight '1e999' is not finite");
    ERR("1 2 -1e400", "line 1: ", "not finite");
    ERR("1 2\n99999999999999999999 1\n",
        "line 2: ", "id 99999999999999999999 is out of the 64-bit range");
    ERR("1 9223372036854775808\n", "line 1: ", "out of the 64-bit range");
    ERR("1 -9223372036854775809\n", "line 1: ", "out of the 64-bit range");
    ERR("a \xff\n", "line 1: ", "not valid UTF-8");
    ERR("\xc0\xaf b\n", "line 1: ", "not valid UTF-8");         /* overlong '/' */
    ERR("\xed\xa0\x80 b\n", "line 1: ", "not valid UTF-8");     /* surrogate */
    ERR("a \xe2\x82\n", "line 1: ", "not valid UTF-8");         /* cut short */
    ERR("a \xf4\x90\x80\x80\n", "line 1: ", "not valid UTF-8"); /* > U+10FFFF */
    ERR("1 2\r3\n", "line 1: ", "control character 0x0d");
    ERR("1 2\n\n1 a\0b\n", "line 3: ", "control character 0x00");
    ERR("1\t2\v\n", "line 1: ", "control character 0x0b");
}

Test(edge_parse, refuses_after_error)
{
    algo_graph_builder *b;
    algo_edge_parser *p;
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    cr_assert_eq(algo_edge_parser_new(&p, b), 0);
    cr_assert_lt(algo_edge_parser_feed(p, "1 2\nx\n", 6, msg), 0);
    cr_assert_lt(algo_edge_parser_feed(p, "1 2\n", 4, msg), 0);
    cr_assert_lt(algo_edge_parser_finish(p, msg), 0);
    cr_assert_eq(algo_edge_parser_edges(p), 1);
    algo_edge_parser_free(p);
    algo_graph_builder_free(b);
}

/* 64 KiB of line is the limit, whatever the pieces. */
Test(edge_parse, long_lines)
{
    size_t lim = 64 * 1024;
    char *t = malloc(lim + 64);
    uint64_t edges;
    /* "1" + blanks + "2" = exactly the limit, then with "\r\n". */
    memset(t, ' ', lim);
    t[0] = '1';
    t[lim - 1] = '2';
    memcpy(t + lim, "\r\n3 4\n", 6);
    cr_assert_eq(parse_to(t, lim + 6, NULL, NULL, &edges), 0, "%s", msg);
    cr_assert_eq(edges, 2);
    /* One byte more. */
    memset(t, ' ', lim + 1);
    t[0] = '1';
    t[lim] = '2';
    memcpy(t + lim + 1, "\n", 1);
    expect_error(t, lim + 2, "line 1: ", "longer than 65536 bytes");
    /* Same as a string id, in pieces, and as a comment. */
    memset(t, 'a', lim + 1);
    t[1] = ' ';
    memcpy(t + lim + 1, "\n", 1);
    expect_error(t, lim + 2, "line 1: ", "longer than 65536 bytes");
    t[0] = '#';
    expect_error(t, lim + 2, "line 1: ", "longer than 65536 bytes");
    free(t);
}

static unsigned piece_seed;
static size_t piece_one(void)
{
    return 1;
}
static size_t piece_random(void)
{
    return (size_t)(rand_r(&piece_seed) % 23) + 1;
}
static size_t piece_big(void)
{
    return (size_t)(rand_r(&piece_seed) % 5000) + 1;
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

/* A text with every kind of line, repeated with variations. */
static char *varied_text(size_t *len)
{
    size_t cap = 1 << 20, at = 0;
    char *t = malloc(cap);
    srand(11);
    for (int i = 0; i < 3000; i++) {
        int a = rand() % 100, b = rand() % 100, c = rand() % 30, d = rand() % 10;
        char *o = t + at;
        size_t room = cap - at;
        int k;
        switch (rand() % 12) {
        case 0: k = snprintf(o, room, "%d %d\n", a, b); break;
        case 1: k = snprintf(o, room, "%d\t%d\t%d.%d\n", a, b, c, d); break;
        case 2: k = snprintf(o, room, "# comment %d %d\n", a, b); break;
        case 3: k = snprintf(o, room, "\n"); break;
        case 4: k = snprintf(o, room, "s%d t%d 1e%d\r\n", a, b, c); break;
        case 5: k = snprintf(o, room, "%d %d \r\n", a, b); break;
        case 6: k = snprintf(o, room, "  %d  %d  -%d.5  \n", a, b, c); break;
        case 7: k = snprintf(o, room, "\xc3\xa9%d %d\n", a, b); break;
        case 8: k = snprintf(o, room, "%d -%d 0.%d%d\n", a, b, c, d); break;
        case 9: k = snprintf(o, room, "x%d x%d 12345678901234567.%d\n", a, b, c); break;
        case 10: k = snprintf(o, room, "\t\n"); break;
        default: k = snprintf(o, room, "%d0000000000 %d\n", a, b); break;
        }
        at += (size_t)k;
    }
    at += (size_t)snprintf(t + at, cap - at, "77 88 9.75"); /* no newline at the end */
    *len = at;
    return t;
}

Test(edge_parse, any_split_gives_the_same_snapshot)
{
    size_t len, la, lb;
    char *t = varied_text(&len);
    uint64_t e0, e1;
    cr_assert_eq(parse_to(t, len, NULL, tmp_path("whole"), &e0), 0, "%s", msg);
    cr_assert_gt(e0, 2000);
    char *whole = slurp(tmp_path("whole"), &la);

    size_t (*const splits[])(void) = {piece_one, piece_random, piece_big};
    for (int s = 0; s < 3; s++)
        for (unsigned seed = 1; seed <= (s ? 5u : 1u); seed++) {
            piece_seed = seed;
            cr_assert_eq(parse_to(t, len, splits[s], tmp_path("split"), &e1), 0, "%s", msg);
            cr_assert_eq(e1, e0);
            char *split = slurp(tmp_path("split"), &lb);
            cr_assert_eq(lb, la);
            cr_assert_eq(memcmp(split, whole, la), 0, "split %d seed %u differs", s, seed);
            free(split);
        }
    free(whole);
    free(t);
}

Test(edge_parse, any_split_gives_the_same_error)
{
    static const char *const bad[] = {
        "1 2\n3 4 x\n5 6\n",
        "1 2\r\n# c\r\nab\xff cd\r\n",
        "1 2\n\n\n99999999999999999999 3\n",
        "1 2 3\n4 5 6 7",
        "1 2\n1 2\r3\n",
    };
    char whole_msg[ALGO_MSG_MAX];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        size_t len = strlen(bad[i]);
        cr_assert_lt(parse_to(bad[i], len, NULL, NULL, NULL), 0);
        strcpy(whole_msg, msg);
        cr_assert_lt(parse_to(bad[i], len, piece_one, NULL, NULL), 0);
        cr_assert_str_eq(msg, whole_msg);
        piece_seed = 3;
        cr_assert_lt(parse_to(bad[i], len, piece_random, NULL, NULL), 0);
        cr_assert_str_eq(msg, whole_msg);
    }
    /* A too-long line cut into pieces. */
    size_t big = 70000;
    char *t = malloc(big + 8);
    memset(t, '7', big);
    memcpy(t, "1 2\n5 ", 6);
    t[big] = '\n';
    cr_assert_lt(parse_to(t, big + 1, NULL, NULL, NULL), 0);
    strcpy(whole_msg, msg);
    cr_assert(strstr(whole_msg, "line 2: longer than 65536"), "%s", whole_msg);
    piece_seed = 9;
    cr_assert_lt(parse_to(t, big + 1, piece_big, NULL, NULL), 0);
    cr_assert_str_eq(msg, whole_msg);
    free(t);
}

/* Weights through the parser equal strtod's reading, bit for bit, on
 * forms of the fast path and beyond it. */
Test(edge_parse, weights_match_strtod)
{
    enum { N = 3000 };
    static char ws[N][40];
    size_t cap = N * 64, at = 0;
    char *t = malloc(cap);
    srand(5);
    for (int i = 0; i < N; i++) {
        long long a = ((long long)rand() << 20) ^ rand();
        switch (i % 6) {
        case 0: snprintf(ws[i], sizeof ws[i], "%d.%d", rand() % 1000, rand()); break;
        case 1: snprintf(ws[i], sizeof ws[i], "-0.%06d", rand() % 1000000); break;
        case 2: snprintf(ws[i], sizeof ws[i], "%lld", a % 1000000000000000LL); break;
        case 3: snprintf(ws[i], sizeof ws[i], "%.17g", (double)rand() / 7.0); break;
        case 4: snprintf(ws[i], sizeof ws[i], "%lld.%lld", a % 100000000, a % 10000000); break;
        default: snprintf(ws[i], sizeof ws[i], "%de-%d", rand() % 100000, rand() % 300); break;
        }
        at += (size_t)snprintf(t + at, cap - at, "%d %d %s\n", i, i + 1, ws[i]);
    }
    algo_graph g;
    cr_assert_eq(parse_to(t, at, NULL, tmp_path("g"), NULL), 0, "%s", msg);
    cr_assert_eq(algo_graph_map(&g, tmp_path("g"), msg), 0, "%s", msg);
    for (int i = 0; i < N; i++) {
        double w, want = strtod(ws[i], NULL);
        cr_assert_eq(out_num(&g, i, 0, &w), i + 1);
        cr_assert(memcmp(&w, &want, sizeof w) == 0, "weight %s read as %.17g, strtod %.17g", ws[i],
                  w, want);
    }
    cr_assert_eq(out_deg(&g, algo_graph_find_num(&g, N)), 0);
    algo_graph_unmap(&g);
    free(t);
}
