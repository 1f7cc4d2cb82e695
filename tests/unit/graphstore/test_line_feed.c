/* test_line_feed.c: the line feeder the text parsers share: every split of
 * the input (at every one and every two positions, and byte by byte) hands
 * the parser the same lines as one push; cut lines at the ceiling, at the
 * ceiling with a '\r', and one byte over; a last line without a newline;
 * and that a failure, the parser's or the ceiling's, refuses later input.
 *
 * The test parser writes each line it is handed as "<bytes>|" into a log
 * and advances the line counter, as the real parsers do. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "line_feed.h"

static char msg[ALGO_MSG_MAX];

typedef struct line_log {
    algo_line_feed *lf;
    char *s;
    size_t len, cap;
    size_t blocks; /* calls of the block function */
} line_log;

/* Logs each line of [s, end); a line "bad" fails, as a parser's fault. */
static int log_block(void *ud, const char *s, const char *end, char m[ALGO_MSG_MAX])
{
    line_log *l = ud;
    cr_assert(end > s && end[-1] == '\n', "a block ends with its newline");
    l->blocks++;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = (size_t)(nl - s);
        if (n == 3 && memcmp(s, "bad", 3) == 0) {
            snprintf(m, ALGO_MSG_MAX, "line %llu: bad", (unsigned long long)l->lf->line);
            return -1;
        }
        if (l->len + n + 2 > l->cap) {
            l->cap = (l->len + n + 2) * 2;
            l->s = realloc(l->s, l->cap);
            cr_assert_not_null(l->s);
        }
        memcpy(l->s + l->len, s, n);
        l->len += n;
        l->s[l->len++] = '|';
        l->s[l->len] = '\0';
        l->lf->line++;
        s = nl + 1;
    }
    return 0;
}

typedef struct run {
    int rc;
    char msg[ALGO_MSG_MAX];
    char *lines; /* the line_log, NUL-terminated; owned */
    unsigned long long line;
} run;

/* Pushes text in pieces ending at cuts[0..n) (ascending), then the rest,
 * then finishes: the first failure stops. */
static run feed_cut(const char *text, size_t len, const size_t *cuts, size_t n, size_t limit,
                    int reserve)
{
    algo_line_feed lf;
    line_log l = {&lf, NULL, 0, 0, 0};
    run r;
    memset(&r, 0, sizeof r);
    cr_assert_eq(algo_line_feed_init(&lf, limit, "too long", reserve), 0);
    size_t at = 0;
    for (size_t i = 0; i <= n && r.rc == 0; i++) {
        size_t to = i < n ? cuts[i] : len;
        r.rc = algo_line_feed_push(&lf, text + at, to - at, log_block, &l, r.msg);
        at = to;
    }
    if (r.rc == 0)
        r.rc = algo_line_feed_finish(&lf, log_block, &l, r.msg);
    r.lines = l.s ? l.s : strdup("");
    r.line = (unsigned long long)lf.line;
    algo_line_feed_release(&lf);
    return r;
}

static void assert_same(const run *a, const run *b, const char *what)
{
    cr_assert_eq(a->rc, b->rc, "%s: rc", what);
    cr_assert_str_eq(a->lines, b->lines, "%s: lines", what);
    cr_assert_eq(a->line, b->line, "%s: line counter", what);
    if (a->rc < 0)
        cr_assert_str_eq(a->msg, b->msg, "%s: message", what);
}

/* Every one- and two-cut split, and byte by byte, equal one push. */
static void check_every_split(const char *text, size_t limit)
{
    size_t len = strlen(text);
    for (int reserve = 0; reserve <= 1; reserve++) {
        run one = feed_cut(text, len, NULL, 0, limit, reserve);
        for (size_t i = 0; i <= len; i++) {
            for (size_t j = i; j <= len; j++) {
                size_t cuts[2] = {i, j};
                run r = feed_cut(text, len, cuts, 2, limit, reserve);
                char what[64];
                snprintf(what, sizeof what, "cuts %zu %zu", i, j);
                assert_same(&r, &one, what);
                free(r.lines);
            }
        }
        size_t *cuts = malloc(len * sizeof *cuts + 1);
        for (size_t i = 0; i < len; i++)
            cuts[i] = i + 1;
        run bytes = feed_cut(text, len, cuts, len, limit, reserve);
        assert_same(&bytes, &one, "byte by byte");
        free(bytes.lines);
        free(cuts);
        free(one.lines);
    }
}

Test(line_feed, every_split_gives_the_same_lines)
{
    const char *text = "a b\r\nsecond line\n\n# c\r\n\nlast";
    run one = feed_cut(text, strlen(text), NULL, 0, 64, 1);
    cr_assert_eq(one.rc, 0);
    cr_assert_str_eq(one.lines, "a b\r|second line||# c\r||last|");
    cr_assert_eq(one.line, 7);
    free(one.lines);
    check_every_split(text, 64);
    check_every_split("x\n", 64);
    check_every_split("\n\n\n", 64);
    check_every_split("no newline at all", 64);
}

Test(line_feed, every_split_gives_the_same_error)
{
    check_every_split("one\ntwo\nbad\nfour\n", 64);
    check_every_split("one\nbad", 64);
    check_every_split("one\ntwo\n123456789\nfour\n", 8); /* over, cut or not */
    check_every_split("one\n1234567890", 8);
}

/* A cut line may hold the limit and a '\r'; the parser judges a complete
 * one (in place or carried), the feeder only what it must copy. */
Test(line_feed, ceiling_at_and_over)
{
    size_t cut = 8;
    run r = feed_cut("12345678\n", 9, &cut, 1, 8, 1);
    cr_assert_eq(r.rc, 0);
    cr_assert_str_eq(r.lines, "12345678|");
    free(r.lines);

    cut = 9;
    r = feed_cut("12345678\r\n", 10, &cut, 1, 8, 1);
    cr_assert_eq(r.rc, 0);
    cr_assert_str_eq(r.lines, "12345678\r|");
    free(r.lines);

    /* limit + 1 bytes fit (they may end in '\r'); the parser sees them. */
    cut = 9;
    r = feed_cut("123456789\n", 10, &cut, 1, 8, 0);
    cr_assert_eq(r.rc, 0);
    cr_assert_str_eq(r.lines, "123456789|");
    free(r.lines);

    /* limit + 2 bytes cut: refused with the line it is on. */
    size_t cuts[2] = {3, 10};
    r = feed_cut("ok\n1234567890\n", 14, cuts, 2, 8, 1);
    cr_assert_eq(r.rc, -1);
    cr_assert_str_eq(r.msg, "line 2: too long");
    cr_assert_str_eq(r.lines, "ok|");
    free(r.lines);

    cut = 5;
    r = feed_cut("ok\n1234567890", 13, &cut, 1, 8, 0);
    cr_assert_eq(r.rc, -1);
    cr_assert_str_eq(r.msg, "line 2: too long");
    free(r.lines);

    /* A complete line is the parser's to judge, however long. */
    r = feed_cut("1234567890\n", 11, NULL, 0, 8, 1);
    cr_assert_eq(r.rc, 0);
    cr_assert_str_eq(r.lines, "1234567890|");
    free(r.lines);
}

/* The carry grows from nothing to the limit when not reserved. */
Test(line_feed, lazy_carry_grows_to_the_limit)
{
    size_t limit = 100000;
    char *text = malloc(limit + 4);
    memset(text, 'x', limit);
    memcpy(text + limit, "\r\n", 3);
    size_t cuts[100];
    for (size_t i = 0; i < 100; i++)
        cuts[i] = 1 + i * 1000;
    run r = feed_cut(text, limit + 2, cuts, 100, limit, 0);
    cr_assert_eq(r.rc, 0, "%s", r.msg);
    cr_assert_eq(strlen(r.lines), limit + 2);
    free(r.lines);

    memset(text, 'x', limit + 2); /* limit + 2 bytes before the '\n' */
    text[limit + 2] = '\n';
    r = feed_cut(text, limit + 3, cuts, 100, limit, 0);
    cr_assert_eq(r.rc, -1);
    cr_assert_str_eq(r.msg, "line 1: too long");
    free(r.lines);
    free(text);
}

Test(line_feed, finish_without_newline)
{
    algo_line_feed lf;
    line_log l = {&lf, NULL, 0, 0, 0};
    cr_assert_eq(algo_line_feed_init(&lf, 64, "too long", 1), 0);
    cr_assert_eq(algo_line_feed_push(&lf, "x\ny", 3, log_block, &l, msg), 0);
    cr_assert_str_eq(l.s, "x|");
    cr_assert_eq(lf.line, 2);
    cr_assert_eq(algo_line_feed_push(&lf, "", 0, log_block, &l, msg), 0);
    cr_assert_eq(algo_line_feed_finish(&lf, log_block, &l, msg), 0);
    cr_assert_str_eq(l.s, "x|y|");
    cr_assert_eq(lf.line, 3);
    cr_assert_eq(l.blocks, 2);
    /* Nothing left: a second finish hands on nothing. */
    cr_assert_eq(algo_line_feed_finish(&lf, log_block, &l, msg), 0);
    cr_assert_eq(l.blocks, 2);
    algo_line_feed_release(&lf);
    free(l.s);

    /* No input at all. */
    cr_assert_eq(algo_line_feed_init(&lf, 64, "too long", 0), 0);
    cr_assert_eq(algo_line_feed_finish(&lf, log_block, &l, msg), 0);
    cr_assert_eq(lf.line, 1);
    algo_line_feed_release(&lf);
}

/* One block call for all complete lines of a push: no per-line calls. */
Test(line_feed, complete_lines_in_one_block)
{
    algo_line_feed lf;
    line_log l = {&lf, NULL, 0, 0, 0};
    cr_assert_eq(algo_line_feed_init(&lf, 64, "too long", 1), 0);
    cr_assert_eq(algo_line_feed_push(&lf, "a\nb\nc\nd", 7, log_block, &l, msg), 0);
    cr_assert_eq(l.blocks, 1);
    cr_assert_eq(algo_line_feed_push(&lf, "e\nf\ng\n", 6, log_block, &l, msg), 0);
    cr_assert_eq(l.blocks, 3); /* the carried "de", then "f\ng\n" */
    cr_assert_str_eq(l.s, "a|b|c|de|f|g|");
    algo_line_feed_release(&lf);
    free(l.s);
}

static void assert_refused(algo_line_feed *lf, line_log *l, const char *want)
{
    size_t blocks = l->blocks;
    cr_assert_eq(algo_line_feed_push(lf, "ok\n", 3, log_block, l, msg), -1);
    cr_assert_str_eq(msg, want);
    cr_assert_eq(algo_line_feed_push(lf, "", 0, log_block, l, msg), -1);
    cr_assert_str_eq(msg, want);
    cr_assert_eq(algo_line_feed_finish(lf, log_block, l, msg), -1);
    cr_assert_str_eq(msg, want);
    cr_assert_eq(l->blocks, blocks, "nothing reaches the parser after a failure");
}

Test(line_feed, failure_latches)
{
    const char *refused2 = "line 2: input refused after an earlier error";
    algo_line_feed lf;
    line_log l = {&lf, NULL, 0, 0, 0};

    /* The parser's failure in place. */
    cr_assert_eq(algo_line_feed_init(&lf, 64, "too long", 1), 0);
    cr_assert_eq(algo_line_feed_push(&lf, "ok\nbad\nmore\n", 12, log_block, &l, msg), -1);
    cr_assert_str_eq(msg, "line 2: bad");
    assert_refused(&lf, &l, refused2);
    algo_line_feed_release(&lf);

    /* The parser's failure on a carried line. */
    cr_assert_eq(algo_line_feed_init(&lf, 64, "too long", 0), 0);
    cr_assert_eq(algo_line_feed_push(&lf, "ok\nba", 5, log_block, &l, msg), 0);
    cr_assert_eq(algo_line_feed_push(&lf, "d\nmore\n", 7, log_block, &l, msg), -1);
    cr_assert_str_eq(msg, "line 2: bad");
    assert_refused(&lf, &l, refused2);
    algo_line_feed_release(&lf);

    /* The parser's failure at finish. */
    cr_assert_eq(algo_line_feed_init(&lf, 64, "too long", 1), 0);
    cr_assert_eq(algo_line_feed_push(&lf, "ok\nbad", 6, log_block, &l, msg), 0);
    cr_assert_eq(algo_line_feed_finish(&lf, log_block, &l, msg), -1);
    cr_assert_str_eq(msg, "line 2: bad");
    assert_refused(&lf, &l, refused2);
    algo_line_feed_release(&lf);

    /* The ceiling's. */
    cr_assert_eq(algo_line_feed_init(&lf, 4, "too long", 1), 0);
    cr_assert_eq(algo_line_feed_push(&lf, "ok\n1234", 7, log_block, &l, msg), 0);
    cr_assert_eq(algo_line_feed_push(&lf, "56", 2, log_block, &l, msg), -1);
    cr_assert_str_eq(msg, "line 2: too long");
    assert_refused(&lf, &l, refused2);
    algo_line_feed_release(&lf);
    free(l.s);
}
