/* line_feed.c: text fed in pieces, handed on as runs of whole lines
 * (line_feed.h).
 *
 * A push finds the last newline of the piece (memrchr) and hands
 * everything before it to the parser in one call, so the parser's scans
 * run over the caller's buffer with no copy and no per-line call from
 * here. Only the cut end is copied.
 *
 * Cost: O(bytes of the piece) for the one backward scan, plus the copy of
 * a cut line (at most limit + 1 bytes a push).
 */
#define _GNU_SOURCE
#include "line_feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int algo_line_feed_init(algo_line_feed *lf, size_t limit, const char *too_long, int reserve)
{
    memset(lf, 0, sizeof *lf);
    lf->line = 1;
    lf->limit = limit;
    lf->too_long = too_long;
    if (reserve) {
        lf->carry = malloc(limit + 2);
        if (!lf->carry)
            return -1;
        lf->carry_cap = limit + 2;
    }
    return 0;
}

void algo_line_feed_release(algo_line_feed *lf)
{
    free(lf->carry);
    lf->carry = NULL;
    lf->carry_len = lf->carry_cap = 0;
}

static int fail(algo_line_feed *lf, char msg[ALGO_MSG_MAX], const char *what)
{
    lf->failed = 1;
    snprintf(msg, ALGO_MSG_MAX, "line %llu: %s", (unsigned long long)lf->line, what);
    return -1;
}

/* Keeps the cut end of a piece for the next push. */
static int carry_append(algo_line_feed *lf, const char *s, size_t len, char msg[ALGO_MSG_MAX])
{
    /* Room for the limit plus a '\r' that may precede the coming '\n'. */
    if (len > lf->limit + 1 - lf->carry_len)
        return fail(lf, msg, lf->too_long);
    size_t need = lf->carry_len + len + 1; /* and the '\n' parse_carry adds */
    if (need > lf->carry_cap) {
        size_t cap = lf->carry_cap ? lf->carry_cap : 4096;
        while (cap < need)
            cap *= 2;
        if (cap > lf->limit + 2)
            cap = lf->limit + 2;
        char *c = realloc(lf->carry, cap);
        if (!c)
            return fail(lf, msg, "out of memory");
        lf->carry = c;
        lf->carry_cap = cap;
    }
    memcpy(lf->carry + lf->carry_len, s, len);
    lf->carry_len += len;
    return 0;
}

static int parse_carry(algo_line_feed *lf, algo_line_block_fn parse, void *ud,
                       char msg[ALGO_MSG_MAX])
{
    lf->carry[lf->carry_len] = '\n';
    int rc = parse(ud, lf->carry, lf->carry + lf->carry_len + 1, msg);
    lf->carry_len = 0;
    if (rc < 0)
        lf->failed = 1;
    return rc < 0 ? -1 : 0;
}

static int refused(const algo_line_feed *lf, char msg[ALGO_MSG_MAX])
{
    snprintf(msg, ALGO_MSG_MAX, "line %llu: input refused after an earlier error",
             (unsigned long long)lf->line);
    return -1;
}

int algo_line_feed_push(algo_line_feed *lf, const char *data, size_t len, algo_line_block_fn parse,
                        void *ud, char msg[ALGO_MSG_MAX])
{
    if (lf->failed)
        return refused(lf, msg);
    if (len == 0)
        return 0;
    if (lf->carry_len > 0) {
        const char *nl = memchr(data, '\n', len);
        size_t head = nl ? (size_t)(nl - data) : len;
        if (carry_append(lf, data, head, msg) < 0)
            return -1;
        if (!nl)
            return 0;
        if (parse_carry(lf, parse, ud, msg) < 0)
            return -1;
        data += head + 1;
        len -= head + 1;
    }
    const char *last = memrchr(data, '\n', len);
    if (last) {
        if (parse(ud, data, last + 1, msg) < 0) {
            lf->failed = 1;
            return -1;
        }
        len -= (size_t)(last + 1 - data);
        data = last + 1;
    }
    return len ? carry_append(lf, data, len, msg) : 0;
}

int algo_line_feed_finish(algo_line_feed *lf, algo_line_block_fn parse, void *ud,
                          char msg[ALGO_MSG_MAX])
{
    if (lf->failed)
        return refused(lf, msg);
    return lf->carry_len ? parse_carry(lf, parse, ud, msg) : 0;
}
