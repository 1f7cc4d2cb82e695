/* test_record_parse.c: the JSON lines and Graphalytics parsers: every
 * record shape, every error with its line and column, that every split of
 * the input into feeds gives the same records and errors, and the shared
 * Graphalytics files compared with what this test reads from them by
 * itself (fscanf and strstr, not the parser's code).
 *
 * Records are written by the test sink as text (doubles as %a, so exact;
 * strings with their length, so unambiguous) and compared as text. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <glob.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record_parse.h"

static char msg[ALGO_MSG_MAX];

/* ---- the recording sink ------------------------------------------------- */

typedef struct rec_log {
    char *s;
    size_t len, cap;
    size_t vertices, edges;
    int fail_at; /* refuse the n-th record (from 1); 0: never */
} rec_log;

__attribute__((format(printf, 2, 3))) static void put(rec_log *l, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(l->s ? l->s + l->len : NULL, l->s ? l->cap - l->len : 0, fmt, ap);
        va_end(ap);
        cr_assert_geq(n, 0);
        if (l->s && l->len + (size_t)n < l->cap) {
            l->len += (size_t)n;
            return;
        }
        l->cap = (l->cap + (size_t)n + 1) * 2;
        l->s = realloc(l->s, l->cap);
        cr_assert_not_null(l->s);
    }
}

static void put_bytes(rec_log *l, const char *s, size_t len)
{
    put(l, "%zu:", len);
    put(l, "%.*s", (int)len, s);
}

static void put_vid(rec_log *l, const algo_vid *v)
{
    if (v->is_str) {
        put(l, "s");
        put_bytes(l, v->str, v->len);
    } else {
        put(l, "n%" PRId64, v->num);
    }
}

static void put_text(rec_log *l, const char *name, algo_text t)
{
    put(l, " %s=", name);
    if (t.s && t.len)
        put_bytes(l, t.s, t.len);
    else
        put(l, "-");
}

static void put_props(rec_log *l, const algo_prop *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        put(l, " ");
        put_bytes(l, p[i].key, p[i].key_len);
        const algo_prop_value *v = &p[i].value;
        switch (v->type) {
        case ALGO_PROP_INT: put(l, "=i%" PRId64, v->i); break;
        case ALGO_PROP_DOUBLE: put(l, "=d%a", v->d); break;
        case ALGO_PROP_STRING:
            put(l, "=s");
            put_bytes(l, v->s, v->len);
            break;
        case ALGO_PROP_BOOL: put(l, "=b%" PRId64, v->i); break;
        default: cr_assert_fail("bad type %d", (int)v->type);
        }
    }
}

static int log_vertex(void *ud, const algo_vertex_rec *v, char m[ALGO_MSG_MAX])
{
    rec_log *l = ud;
    if (l->fail_at && (int)(l->vertices + l->edges + 1) == l->fail_at) {
        snprintf(m, ALGO_MSG_MAX, "sink says no");
        return -1;
    }
    put(l, "V ");
    if (v->has_id)
        put_vid(l, &v->id);
    else
        put(l, "auto");
    put_text(l, "label", v->label);
    put_props(l, v->props, v->n_props);
    put(l, "\n");
    l->vertices++;
    return 0;
}

static int log_edge(void *ud, const algo_edge_rec *e, char m[ALGO_MSG_MAX])
{
    rec_log *l = ud;
    if (l->fail_at && (int)(l->vertices + l->edges + 1) == l->fail_at) {
        snprintf(m, ALGO_MSG_MAX, "sink says no");
        return -1;
    }
    put(l, "E ");
    put_vid(l, &e->src);
    put(l, " ");
    put_vid(l, &e->dst);
    put_text(l, "label", e->label);
    put_text(l, "src_label", e->src_label);
    put_text(l, "dst_label", e->dst_label);
    put_props(l, e->props, e->n_props);
    put(l, "\n");
    l->edges++;
    return 0;
}

static int count_vertex(void *ud, const algo_vertex_rec *v, char m[ALGO_MSG_MAX])
{
    (void)v, (void)m;
    ++*(uint64_t *)ud;
    return 0;
}

static int count_edge(void *ud, const algo_edge_rec *e, char m[ALGO_MSG_MAX])
{
    (void)m;
    *(uint64_t *)ud += e->n_props == 1;
    return 0;
}

static const char *log_text(rec_log *l)
{
    if (!l->s)
        put(l, "%s", "");
    return l->s;
}

static void log_free(rec_log *l)
{
    free(l->s);
    memset(l, 0, sizeof *l);
}

/* ---- feeding ------------------------------------------------------------ */

/* Feeds `text` cut at the given offsets (sorted), then finishes. */
static int jsonl_cuts(rec_log *l, const char *text, size_t len, const size_t *cuts, size_t n_cuts,
                      char m[ALGO_MSG_MAX])
{
    algo_record_sink sink = {log_vertex, log_edge, l};
    algo_jsonl_parser *p;
    cr_assert_eq(algo_jsonl_parser_new(&p, &sink), 0);
    int rc = 0;
    size_t at = 0;
    for (size_t i = 0; i <= n_cuts && rc == 0; i++) {
        size_t to = i < n_cuts ? cuts[i] : len;
        rc = algo_jsonl_parser_feed(p, text + at, to - at, m);
        at = to;
    }
    if (rc == 0)
        rc = algo_jsonl_parser_finish(p, m);
    if (rc == 0)
        cr_assert_eq(algo_jsonl_parser_records(p), l->vertices + l->edges);
    algo_jsonl_parser_free(p);
    return rc;
}

static int jsonl(rec_log *l, const char *text, char m[ALGO_MSG_MAX])
{
    return jsonl_cuts(l, text, strlen(text), NULL, 0, m);
}

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

/* The parse of `text` in one feed must equal the parse cut at every byte
 * position, and fed byte by byte: records, or the error message. */
static void check_splits_jsonl(const char *text, size_t len)
{
    rec_log whole = {0};
    char m0[ALGO_MSG_MAX] = "", m1[ALGO_MSG_MAX] = "";
    int rc0 = jsonl_cuts(&whole, text, len, NULL, 0, m0);
    for (size_t k = 0; k <= len; k++) {
        rec_log l = {0};
        int rc = jsonl_cuts(&l, text, len, &k, 1, m1);
        cr_assert_eq(rc, rc0, "cut at %zu: %s", k, m1);
        if (rc0 == 0)
            cr_assert_str_eq(log_text(&l), log_text(&whole), "cut at %zu", k);
        else
            cr_assert_str_eq(m1, m0, "cut at %zu", k);
        log_free(&l);
    }
    size_t *cuts = malloc((len + 1) * sizeof *cuts);
    for (size_t k = 0; k < len; k++)
        cuts[k] = k + 1;
    rec_log l = {0};
    int rc = jsonl_cuts(&l, text, len, cuts, len, m1);
    cr_assert_eq(rc, rc0, "byte by byte: %s", m1);
    if (rc0 == 0)
        cr_assert_str_eq(log_text(&l), log_text(&whole));
    else
        cr_assert_str_eq(m1, m0);
    free(cuts);
    log_free(&l);
    log_free(&whole);
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

/* ---- JSON lines: accepted shapes --------------------------------------- */

Test(jsonl, vertex_shapes)
{
    rec_log l = {0};
    const char *in =
        "{\"label\": \"person\", \"id\": 1, \"properties\": {\"name\": \"marko\", \"age\": 29}}\n"
        "{\"id\": \"1:marko\"}\n"
        "{\"id\": \"with space \xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\", \"label\": \"p\"}\n"
        "{\"id\": 9223372036854775807}\n"
        "{\"id\": -9223372036854775808}\n"
        "{\"id\": \"42\"}\n"
        "{\"id\": 2.0}\n"
        "{}\n"
        "{\"label\": \"software\", \"type\": \"vertex\", \"properties\": {}}\n"
        "{\"properties\": {\"i\": 29, \"d\": 29.0, \"e\": 1e3, \"neg\": -0.5, \"s\": \"\", "
        "\"u\": \"\\u00e9\\ud83d\\ude00\", \"t\": true, \"f\": false, "
        "\"big\": -9223372036854775808}}\n";
    cr_assert_eq(jsonl(&l, in, msg), 0, "%s", msg);
    cr_assert_str_eq(log_text(&l), "V n1 label=6:person 4:name=s5:marko 3:age=i29\n"
                                   "V s7:1:marko label=-\n"
                                   "V s20:with space \xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80 "
                                   "label=1:p\n"
                                   "V n9223372036854775807 label=-\n"
                                   "V n-9223372036854775808 label=-\n"
                                   "V s2:42 label=-\n"
                                   "V n2 label=-\n"
                                   "V auto label=-\n"
                                   "V auto label=8:software\n"
                                   "V auto label=- 1:i=i29 1:d=d0x1.dp+4 1:e=d0x1.f4p+9 "
                                   "3:neg=d-0x1p-1 1:s=s0: 1:u=s6:\xc3\xa9\xf0\x9f\x98\x80 "
                                   "1:t=b1 1:f=b0 3:big=i-9223372036854775808\n");
    cr_assert_eq(l.vertices, 10);
    log_free(&l);
}

Test(jsonl, edge_shapes)
{
    rec_log l = {0};
    const char *in =
        "{\"label\": \"knows\", \"outV\": 1, \"inV\": 2, \"outVLabel\": \"person\", "
        "\"inVLabel\": \"person\", \"properties\": {\"weight\": 0.5}}\n"
        "{\"outV\": \"1:marko\", \"inV\": \"2:vadas\"}\n"
        "{\"inV\": -1, \"outV\": 9223372036854775807, \"type\": \"edge\"}\n"
        "{\"id\": \"S1:marko>1>>S2:vadas\", \"label\": \"knows\", \"type\": \"edge\", "
        "\"outV\": \"1:marko\", \"outVLabel\": \"person\", \"inV\": \"2:vadas\", "
        "\"inVLabel\": \"person\", \"properties\": {\"date\": \"20160110\", \"w\": 1}}\n"
        "{\"outV\": \"\xe4\xb8\xad \xe6\x96\x87\", \"inV\": 3}\r\n"
        "\n  \t\r\n";
    cr_assert_eq(jsonl(&l, in, msg), 0, "%s", msg);
    cr_assert_str_eq(log_text(&l),
                     "E n1 n2 label=5:knows src_label=6:person dst_label=6:person "
                     "6:weight=d0x1p-1\n"
                     "E s7:1:marko s7:2:vadas label=- src_label=- dst_label=-\n"
                     "E n9223372036854775807 n-1 label=- src_label=- dst_label=-\n"
                     "E s7:1:marko s7:2:vadas label=5:knows src_label=6:person "
                     "dst_label=6:person 4:date=s8:20160110 1:w=i1\n"
                     "E s7:\xe4\xb8\xad \xe6\x96\x87 n3 label=- src_label=- dst_label=-\n");
    cr_assert_eq(l.edges, 5);
    log_free(&l);
}

Test(jsonl, parse_one)
{
    rec_log l = {0};
    algo_record_sink sink = {log_vertex, log_edge, &l};
    const char *v = "{\"id\": 7, \"label\": \"x\"}";
    const char *e = " {\"outV\": 7, \"inV\": 8} ";
    cr_assert_eq(algo_jsonl_parse_one(&sink, v, strlen(v), msg), 0, "%s", msg);
    cr_assert_eq(algo_jsonl_parse_one(&sink, e, strlen(e), msg), 0, "%s", msg);
    cr_assert_str_eq(log_text(&l), "V n7 label=1:x\nE n7 n8 label=- src_label=- dst_label=-\n");
    const char *bad = "{\"id\": 7, \"properties\": {\"a\": [1]}}";
    cr_assert_lt(algo_jsonl_parse_one(&sink, bad, strlen(bad), msg), 0);
    cr_assert_str_eq(msg, "column 31: property 'a' is an array; values are numbers, strings or "
                          "booleans");
    const char *syntax = "{\"id\": }";
    cr_assert_lt(algo_jsonl_parse_one(&sink, syntax, strlen(syntax), msg), 0);
    cr_assert(strncmp(msg, "column 8: not JSON: ", 20) == 0, "%s", msg);
    const char *whole = "{\"inV\": 1}";
    cr_assert_lt(algo_jsonl_parse_one(&sink, whole, strlen(whole), msg), 0);
    cr_assert_str_eq(msg, "an edge without 'outV'");
    log_free(&l);
}

/* ---- JSON lines: errors ------------------------------------------------- */

/* `bad` is preceded by two good lines, so its line number is 3. */
static void expect_error(const char *bad, const char *want)
{
    char *in;
    cr_assert_gt(asprintf(&in, "{\"id\": 1}\n\n%s\n{\"id\": 2}\n", bad), 0);
    rec_log l = {0};
    cr_assert_lt(jsonl(&l, in, msg), 0, "accepted: %s", bad);
    cr_assert_str_eq(msg, want, "for %s: got %s", bad, msg);
    cr_assert_eq(l.vertices, 1, "records before the error");
    log_free(&l);
    /* The same error for every split. */
    check_splits_jsonl(in, strlen(in));
    free(in);
}

Test(jsonl, errors_with_line_and_column)
{
    expect_error("{\"id\": 1,}", "line 3, column 10: not JSON: string or '}' expected near '}'");
    expect_error("{\"id\": 1} {", "line 3, column 11: not JSON: end of file expected near '{'");
    expect_error("[1, 2]", "line 3, column 1: an array, not an object");
    expect_error("  \"text\"", "line 3, column 3: a string, not an object");
    expect_error("42", "line 3, column 1: a number, not an object");
    expect_error("{\"id\": 1, \"name\": \"x\"}",
                 "line 3, column 11: unknown key 'name' in a vertex; allowed: id, label, "
                 "type, properties");
    expect_error("{\"outV\": 1, \"inV\": 2, \"weight\": 1}",
                 "line 3, column 23: unknown key 'weight' in an edge; allowed: label, outV, inV, "
                 "outVLabel, inVLabel, id, type, properties");
    expect_error("{\"type\": \"vertex\", \"outV\": 1, \"inV\": 2}",
                 "line 3, column 20: unknown key 'outV' in a vertex; allowed: id, label, type, "
                 "properties");
    expect_error("{\"type\": \"node\"}",
                 "line 3, column 10: type is another string; expected \"vertex\" or \"edge\"");
    expect_error("{\"id\": true}",
                 "line 3, column 8: id is a boolean; ids are numbers or non-empty strings");
    expect_error("{\"id\": null}",
                 "line 3, column 8: id is null; ids are numbers or non-empty strings");
    expect_error("{\"id\": [1]}",
                 "line 3, column 8: id is an array; ids are numbers or non-empty strings");
    expect_error("{\"id\": {}}",
                 "line 3, column 8: id is an object; ids are numbers or non-empty strings");
    expect_error("{\"id\": \"\"}", "line 3, column 8: id is an empty string");
    expect_error("{\"id\": 1.5}", "line 3, column 8: id is not a whole number within +-2^53 "
                                  "(write ids as integers or strings)");
    expect_error("{\"id\": 1e300}", "line 3, column 8: id is not a whole number within +-2^53 "
                                    "(write ids as integers or strings)");
    expect_error("{\"outV\": 1, \"inV\": false}",
                 "line 3, column 20: inV is a boolean; ids are numbers or non-empty strings");
    expect_error("{\"outV\": \"\", \"inV\": 2}", "line 3, column 10: outV is an empty string");
    expect_error("{\"outV\": 1}", "line 3: an edge without 'inV'");
    expect_error("{\"type\": \"edge\", \"inV\": 1}", "line 3: an edge without 'outV'");
    expect_error("{\"label\": 5}", "line 3, column 11: label is a number, not a string");
    expect_error("{\"label\": \"\"}", "line 3, column 11: label is an empty string");
    expect_error("{\"outV\": 1, \"inV\": 2, \"inVLabel\": null}",
                 "line 3, column 35: inVLabel is null, not a string");
    expect_error("{\"properties\": [1]}",
                 "line 3, column 16: properties is an array, not an object");
    /* The column counts characters: "é" before it is one. */
    expect_error("{\"id\": \"\xc3\xa9\", \"properties\": {\"a\": 1, \"list\": [1, 2]}}",
                 "line 3, column 44: property 'list' is an array; values are numbers, strings "
                 "or booleans");
    expect_error("{\"properties\": {\"n\": null}}",
                 "line 3, column 22: property 'n' is null; values are numbers, strings or "
                 "booleans");
    expect_error("{\"properties\": {\"o\": {\"x\": 1}}}",
                 "line 3, column 22: property 'o' is an object; values are numbers, strings or "
                 "booleans");
    expect_error("{\"properties\": {\"\": 1}}", "line 3, column 17: a property key is empty");
    expect_error("{\"id\": 1, \"id\": 2}",
                 "line 3, column 14: not JSON: duplicate object key near '\"id\"'");
    expect_error("{\"properties\": {\"a\": 1, \"a\": 2}}",
                 "line 3, column 27: not JSON: duplicate object key near '\"a\"'");
    expect_error("{\"id\": \"\xff\"}", "line 3, column 8: not JSON: unable to decode byte 0xff "
                                       "near '\"'");
    expect_error("{\"id\": \"\xc0\xaf\"}",
                 "line 3, column 8: not JSON: unable to decode byte 0xc0 near '\"'");
    expect_error("{\"id\": \"\\u0000\"}",
                 "line 3, column 15: not JSON: \\u0000 is not allowed without JSON_ALLOW_NUL "
                 "near '\"\\u0000\"'");
    expect_error("{\"properties\": {\"x\": 99999999999999999999}}",
                 "line 3, column 41: not JSON: too big integer near '99999999999999999999'");
}

Test(jsonl, sink_error_and_refusal_after_error)
{
    rec_log l = {.fail_at = 2};
    cr_assert_lt(jsonl(&l, "{\"id\": 1}\n{\"id\": 2}\n{\"id\": 3}\n", msg), 0);
    cr_assert_str_eq(msg, "line 2: sink says no");

    algo_record_sink sink = {log_vertex, log_edge, &l};
    algo_jsonl_parser *p;
    cr_assert_eq(algo_jsonl_parser_new(&p, &sink), 0);
    cr_assert_lt(algo_jsonl_parser_feed(p, "[]\n", 3, msg), 0);
    cr_assert_lt(algo_jsonl_parser_feed(p, "{}\n", 3, msg), 0);
    cr_assert_str_eq(msg, "line 1: input refused after an earlier error");
    cr_assert_lt(algo_jsonl_parser_finish(p, msg), 0);
    algo_jsonl_parser_free(p);
    log_free(&l);

    algo_record_sink half = {log_vertex, NULL, &l};
    cr_assert_lt(algo_jsonl_parser_new(&p, &half), 0);
}

Test(jsonl, last_line_without_newline)
{
    rec_log l = {0};
    cr_assert_eq(jsonl(&l, "{\"id\": 1}\n{\"id\": 2}", msg), 0, "%s", msg);
    cr_assert_str_eq(log_text(&l), "V n1 label=-\nV n2 label=-\n");
    log_free(&l);
    cr_assert_lt(jsonl(&l, "{\"id\": 1}\n{\"id\": ", msg), 0);
    cr_assert(strncmp(msg, "line 2, column ", 15) == 0, "%s", msg);
    log_free(&l);
}

Test(jsonl, line_limit)
{
    /* A line of exactly 1 MiB passes; one byte more is refused, whether it
     * arrives whole or in pieces. */
    size_t limit = 1024 * 1024;
    char *in = malloc(2 * limit + 64);
    size_t n = 0;
    n += (size_t)sprintf(in + n, "{\"id\": 1}\n");
    size_t start = n;
    n += (size_t)sprintf(in + n, "{\"id\": \"");
    memset(in + n, 'a', limit - (n - start) - 2);
    n += limit - (n - start) - 2;
    n += (size_t)sprintf(in + n, "\"}");
    cr_assert_eq(n - start, limit);
    memcpy(in + n, "\r\n", 2);
    n += 2;
    rec_log l = {0};
    cr_assert_eq(jsonl_cuts(&l, in, n, NULL, 0, msg), 0, "%s", msg);
    cr_assert_eq(l.vertices, 2);
    log_free(&l);
    size_t cuts[3] = {5, start + 100, start + 70000};
    cr_assert_eq(jsonl_cuts(&l, in, n, cuts, 3, msg), 0, "%s", msg);
    log_free(&l);

    /* One more byte in the id. */
    memmove(in + start + 9, in + start + 8, n - start - 8);
    in[start + 8] = 'a';
    n++;
    const char *want = "line 2: longer than 1048576 bytes (the limit of a line)";
    cr_assert_lt(jsonl_cuts(&l, in, n, NULL, 0, msg), 0);
    cr_assert_str_eq(msg, want);
    cr_assert_lt(jsonl_cuts(&l, in, n, cuts, 3, msg), 0);
    cr_assert_str_eq(msg, want);
    /* With no newline at all the limit still holds. */
    cr_assert_lt(jsonl_cuts(&l, in, n - 2, cuts, 3, msg), 0);
    cr_assert_str_eq(msg, want);
    log_free(&l);
    algo_record_sink sink = {log_vertex, log_edge, &l};
    cr_assert_lt(algo_jsonl_parse_one(&sink, in, limit + 1, msg), 0);
    free(in);
}

Test(jsonl, every_split_gives_the_same_records)
{
    const char *in =
        "{\"label\": \"person\", \"id\": 1, \"properties\": {\"name\": \"marko\", \"age\": 29}}\n"
        "\r\n"
        "{\"id\": \"\xe4\xb8\xad \xf0\x9f\x98\x80\", \"properties\": {\"d\": 0.25, \"b\": "
        "true}}\r\n"
        "{\"label\": \"knows\", \"outV\": 1, \"inV\": \"\xe4\xb8\xad \xf0\x9f\x98\x80\", "
        "\"properties\": {\"weight\": 0.5}}\n"
        "\n"
        "{\"outV\": 9223372036854775807, \"inV\": -9223372036854775808}";
    check_splits_jsonl(in, strlen(in));
    /* And errors, including one split inside a UTF-8 sequence. */
    const char *bad = "{\"id\": 1}\n{\"id\": \"\xe4\xb8\xad\", \"x\": 1}\n";
    check_splits_jsonl(bad, strlen(bad));
    const char *bad2 = "{\"id\": 1}\n{\"id\": \"\xe4\xb8\"}\n";
    check_splits_jsonl(bad2, strlen(bad2));
}

Test(jsonl, speed)
{
    /* Not a benchmark: a guard against accidental quadratic behaviour. */
    size_t n = 200000, cap = n * 80, len = 0;
    char *in = malloc(cap);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(in + len, cap - len,
                                i % 2 ? "{\"outV\": %zu, \"inV\": %zu, \"label\": \"e\"}\n"
                                      : "{\"id\": %zu, \"properties\": {\"a\": %zu}}\n",
                                i, i + 1);
    uint64_t count = 0;
    algo_record_sink sink = {count_vertex, count_edge, &count};
    algo_jsonl_parser *p;
    cr_assert_eq(algo_jsonl_parser_new(&p, &sink), 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t at = 0; at < len; at += 65536) {
        size_t k = len - at < 65536 ? len - at : 65536;
        cr_assert_eq(algo_jsonl_parser_feed(p, in + at, k, msg), 0, "%s", msg);
    }
    cr_assert_eq(algo_jsonl_parser_finish(p, msg), 0, "%s", msg);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    cr_log_info("jsonl: %.2f M records/s", (double)n / s / 1e6);
    cr_assert_eq(algo_jsonl_parser_records(p), n);
    cr_assert_eq(count, n / 2, "vertices count 1, edges without props 0");
    algo_jsonl_parser_free(p);
    free(in);
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
