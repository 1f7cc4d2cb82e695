/* test_record_parse_jsonl.c: the JSON lines parser: every record shape,
 * every error with its line and column, a sink's refusal and the input
 * refused after an error, the last line without a newline, the 1 MiB line
 * limit, that every split of the input into feeds gives the same records
 * and errors, and a guard against quadratic behaviour. The Graphalytics
 * parsers are in test_record_parse_graphalytics.c.
 *
 * Records are written by the test sink (record_parse_fixture.h) as text
 * and compared as text. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record_parse.h"
#include "record_parse_fixture.h"

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
