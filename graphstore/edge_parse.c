/* edge_parse.c: the edge-list text parser (edge_parse.h).
 *
 * Each feed parses its complete lines in place; only a line cut by the
 * end of a piece is copied (line_feed.h, at most 64 KiB + 2) and parsed
 * once its newline arrives, with the same code, so any split of the input
 * gives the same edges and the same errors. A fast path takes the common
 * line "digits digits [plain decimal]" with hand-written conversions and
 * no search for the newline first; any other line (strings, comments,
 * exponents, errors) goes through the general parser.
 *
 * Cost: O(bytes); the fast path handles a line in a few dozen cycles.
 */
#define _GNU_SOURCE
#include "edge_parse.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "line_feed.h"
#include "store_internal.h"

#define LINE_LIMIT (64 * 1024) /* bytes of a line without its "\r\n" */

struct algo_edge_parser {
    algo_graph_builder *b;
    algo_line_feed lf; /* lf.line: the number of the next line to complete */
    uint64_t edges;
    char *scratch; /* LINE_LIMIT + 1: a weight NUL-terminated for strtod */
};

int algo_edge_parser_new(algo_edge_parser **out, algo_graph_builder *b)
{
    algo_edge_parser *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    int rc = algo_line_feed_init(&p->lf, LINE_LIMIT, "longer than 65536 bytes", 1);
    p->scratch = malloc(LINE_LIMIT + 1);
    if (rc < 0 || !p->scratch) {
        algo_edge_parser_free(p);
        return -1;
    }
    p->b = b;
    *out = p;
    return 0;
}

void algo_edge_parser_free(algo_edge_parser *p)
{
    if (!p)
        return;
    algo_line_feed_release(&p->lf);
    free(p->scratch);
    free(p);
}

uint64_t algo_edge_parser_edges(const algo_edge_parser *p)
{
    return p->edges;
}

/* ---- fields ------------------------------------------------------------- */

/* -1 empty, -2 not UTF-8, -3 a number outside int64. */
int algo_vid_parse(algo_vid *v, const char *s, size_t len)
{
    size_t i = 0;
    if (len == 0)
        return -1;
    int neg = s[0] == '-';
    i = (size_t)neg;
    size_t first = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == len && i > first) {
        /* All digits: a number, which must fit. */
        uint64_t x = 0, limit = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
        for (size_t j = first; j < len; j++) {
            unsigned d = (unsigned)(s[j] - '0');
            if (x > (limit - d) / 10)
                return -3;
            x = x * 10 + d;
        }
        v->is_str = 0;
        v->num = neg ? (int64_t)(0 - x) : (int64_t)x;
        v->str = NULL;
        v->len = 0;
        return 0;
    }
    if (!hgc_utf8_valid(s, len))
        return -2;
    v->is_str = 1;
    v->num = 0;
    v->str = s;
    v->len = len;
    return 0;
}

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static void c_locale_init(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static const double pow10_exact[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* "[-+]digits[.digits]" with at most 15 digits: the mantissa and the power
 * of ten are exact doubles, so one division rounds correctly, exactly as
 * strtod would. 1 and *w, or 0 to leave the field to strtod. *pp advances
 * past the number. */
static int fast_decimal(const char **pp, double *w)
{
    const char *q = *pp;
    int neg = *q == '-';
    q += (*q == '-' || *q == '+');
    const char *d0 = q;
    uint64_t mant = 0;
    while ((unsigned)(*q - '0') < 10)
        mant = mant * 10 + (unsigned)(*q++ - '0');
    size_t ints = (size_t)(q - d0), frac = 0;
    if (ints == 0)
        return 0;
    if (*q == '.') {
        const char *f0 = ++q;
        while ((unsigned)(*q - '0') < 10)
            mant = mant * 10 + (unsigned)(*q++ - '0');
        frac = (size_t)(q - f0);
    }
    if (ints + frac > 15)
        return 0;
    double x = (double)mant / pow10_exact[frac];
    *w = neg ? -x : x;
    *pp = q;
    return 1;
}

/* 0 and *w; -1 not a number, -2 not finite. */
static int parse_weight(algo_edge_parser *p, const char *s, size_t len, double *w)
{
    const char *q = s;
    for (size_t i = 0; i < len; i++)
        if (!strchr("0123456789.eE+-", s[i]) || s[i] == '\0')
            return -1;
    /* The common form needs no copy; the field is followed by a blank,
     * '\r' or '\n', so the scan stops at its end. */
    if (fast_decimal(&q, w) && q == s + len)
        return 0;
    memcpy(p->scratch, s, len);
    p->scratch[len] = '\0';
    pthread_once(&c_locale_once, c_locale_init);
    char *end;
    double x = c_locale ? strtod_l(p->scratch, &end, c_locale) : strtod(p->scratch, &end);
    if (len == 0 || end != p->scratch + len)
        return -1;
    if (!isfinite(x))
        return -2;
    *w = x;
    return 0;
}

/* ---- lines -------------------------------------------------------------- */

static int fail(algo_edge_parser *p, char msg[ALGO_MSG_MAX], const char *what, const char *arg)
{
    snprintf(msg, ALGO_MSG_MAX, "line %llu: %s%s", (unsigned long long)p->lf.line, what,
             arg ? arg : "");
    return -1;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int parse_id(algo_edge_parser *p, algo_vid *v, const char *s, size_t len,
                    char msg[ALGO_MSG_MAX])
{
    char q[64], why[128];
    int r = algo_vid_parse(v, s, len);
    if (r == -3) {
        store_quote(q, sizeof q, s, len);
        snprintf(why, sizeof why, "id %s is out of the 64-bit range", q);
        return fail(p, msg, why, NULL);
    }
    if (r < 0)
        return fail(p, msg, "id is not valid UTF-8", NULL);
    return 0;
}

/* The general parser: one line of `len` bytes without its '\n'. */
static int parse_line(algo_edge_parser *p, const char *s, size_t len, char msg[ALGO_MSG_MAX])
{
    const char *f[4];
    size_t flen[4], nf = 0, i = 0;
    char q[64], why[128];

    if (len > 0 && s[len - 1] == '\r')
        len--;
    if (len > LINE_LIMIT)
        return fail(p, msg, "longer than 65536 bytes", NULL);
    while (i < len && is_blank(s[i]))
        i++;
    if (i == len || s[i] == '#')
        return 0;
    while (i < len) {
        size_t start = i;
        while (i < len && !is_blank(s[i])) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x20 || c == 0x7f) {
                snprintf(why, sizeof why, "control character 0x%02x", c);
                return fail(p, msg, why, NULL);
            }
            i++;
        }
        if (nf == 3)
            return fail(p, msg, "more than 3 fields (expected 'src dst [weight]')", NULL);
        f[nf] = s + start;
        flen[nf++] = i - start;
        while (i < len && is_blank(s[i]))
            i++;
    }
    if (nf < 2)
        return fail(p, msg, "one field only (expected 'src dst [weight]')", NULL);

    algo_vid src, dst;
    double w = 1.0;
    if (parse_id(p, &src, f[0], flen[0], msg) < 0 || parse_id(p, &dst, f[1], flen[1], msg) < 0)
        return -1;
    if (nf == 3) {
        int r = parse_weight(p, f[2], flen[2], &w);
        if (r < 0) {
            store_quote(q, sizeof q, f[2], flen[2]);
            snprintf(why, sizeof why, "weight '%s' is %s", q,
                     r == -1 ? "not a number" : "not finite");
            return fail(p, msg, why, NULL);
        }
    }
    char bmsg[ALGO_MSG_MAX];
    if (algo_graph_builder_add_edge(p->b, &src, &dst, nf == 3, w, bmsg) < 0) {
        snprintf(why, sizeof why, "%.100s", bmsg);
        return fail(p, msg, why, NULL);
    }
    p->edges++;
    return 0;
}

/* "digits" with an optional '-': at most 18 digits, so no overflow. */
static int fast_int(const char **pp, int64_t *out)
{
    const char *q = *pp;
    int neg = *q == '-';
    q += neg;
    const char *d0 = q;
    uint64_t x = 0;
    while ((unsigned)(*q - '0') < 10)
        x = x * 10 + (unsigned)(*q++ - '0');
    size_t nd = (size_t)(q - d0);
    if (nd == 0 || nd > 18)
        return 0;
    *out = neg ? -(int64_t)x : (int64_t)x;
    *pp = q;
    return 1;
}

/* Parses the lines of [s, end) (an algo_line_block_fn); end[-1] is '\n',
 * which stops every scan of the fast path, so it needs no bounds checks. */
static int parse_block(void *ud, const char *s, const char *end, char msg[ALGO_MSG_MAX])
{
    algo_edge_parser *p = ud;
    algo_graph_builder *b = p->b;
    while (s < end) {
        const char *q = s;
        int64_t src, dst;
        double w = 1.0;
        int has_w = 0;
        if (fast_int(&q, &src) && is_blank(*q)) {
            while (is_blank(*q))
                q++;
            if (fast_int(&q, &dst) && (is_blank(*q) || *q == '\r' || *q == '\n')) {
                while (is_blank(*q))
                    q++;
                if (*q != '\r' && *q != '\n') {
                    has_w = fast_decimal(&q, &w);
                    while (has_w && is_blank(*q))
                        q++;
                }
                if (*q == '\r')
                    q++;
                if (*q == '\n') {
                    if ((size_t)(q - s) > LINE_LIMIT + (q[-1] == '\r'))
                        return fail(p, msg, "longer than 65536 bytes", NULL);
                    char bmsg[ALGO_MSG_MAX];
                    if (store_builder_add_num_edge(b, src, dst, has_w, w, bmsg) < 0) {
                        char why[128];
                        snprintf(why, sizeof why, "%.100s", bmsg);
                        return fail(p, msg, why, NULL);
                    }
                    p->edges++;
                    p->lf.line++;
                    s = q + 1;
                    continue;
                }
            }
        }
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (parse_line(p, s, (size_t)(nl - s), msg) < 0)
            return -1;
        p->lf.line++;
        s = nl + 1;
    }
    return 0;
}

int algo_edge_parser_feed(algo_edge_parser *p, const char *data, size_t len, char msg[ALGO_MSG_MAX])
{
    return algo_line_feed_push(&p->lf, data, len, parse_block, p, msg);
}

int algo_edge_parser_finish(algo_edge_parser *p, char msg[ALGO_MSG_MAX])
{
    return algo_line_feed_finish(&p->lf, parse_block, p, msg);
}
