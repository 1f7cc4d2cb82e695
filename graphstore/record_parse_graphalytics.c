/* record_parse_graphalytics.c: the LDBC Graphalytics formats
 * (record_parse.h): a graph's `.properties` settings, its `.v` vertex
 * file and its `.e` edge file, into an algo_record_sink.
 *
 * Follows the Graphalytics specification (v1.0, "Data format"): one id a
 * line in .v; "src dst [weight]" in .e; the .properties keys
 * `graph.<name>.directed` and `graph.<name>.edge-properties.names/.types`.
 * Lines are parsed as edge_parse.c does: complete lines in place, a line
 * cut by the end of a piece copied and parsed when its newline arrives
 * (line_feed.h), ids by algo_vid_parse, plain decimals converted by hand
 * (exactly as strtod would) and others by strtod_l in the C locale.
 *
 * Cost: O(bytes); a few dozen cycles per edge line plus the sink.
 */
#define _GNU_SOURCE
#include "record_parse.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "edge_parse.h"
#include "line_feed.h"
#include "store_internal.h"

#define LINE_LIMIT (64 * 1024) /* bytes of a line without its "\r\n" */

struct algo_graphalytics_parser {
    algo_record_sink sink;
    char which; /* 'v' or 'e' */
    algo_graphalytics_props props;
    size_t weight_key_len;
    algo_line_feed lf; /* lf.line: the number of the next line to complete */
    uint64_t records;
    char *scratch; /* LINE_LIMIT + 1: a weight NUL-terminated for strtod */
};

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* ---- .properties -------------------------------------------------------- */

/* A key's value as found: where it is in the text and on which line. */
typedef struct found {
    const char *s;
    size_t len;
    uint64_t line;
} found;

/* Matches "graph.<name><suffix>": 1 and the name, or 0. */
static int graph_key(const char *k, size_t klen, const char *suffix, const char **name,
                     size_t *nlen)
{
    size_t sl = strlen(suffix);
    if (klen <= 6 + sl || memcmp(k, "graph.", 6) != 0 || memcmp(k + klen - sl, suffix, sl) != 0)
        return 0;
    *name = k + 6;
    *nlen = klen - 6 - sl;
    return 1;
}

/* The entries of a comma-separated list: the count, and the first one. */
static size_t list_first(const char *s, size_t len, const char **first, size_t *flen)
{
    size_t n = 0, i = 0;
    while (i < len) {
        size_t a = i;
        while (i < len && s[i] != ',')
            i++;
        size_t b = i;
        while (a < b && is_blank(s[a]))
            a++;
        while (b > a && is_blank(s[b - 1]))
            b--;
        if (b > a && n++ == 0) {
            *first = s + a;
            *flen = b - a;
        }
        i++; /* past the comma */
    }
    return n;
}

__attribute__((format(printf, 3, 4))) static int props_fail(char msg[ALGO_MSG_MAX], uint64_t line,
                                                            const char *fmt, ...)
{
    char what[ALGO_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (line)
        snprintf(msg, ALGO_MSG_MAX, "line %llu: %.200s", (unsigned long long)line, what);
    else
        snprintf(msg, ALGO_MSG_MAX, "%s", what);
    return -1;
}

int algo_graphalytics_props_parse(algo_graphalytics_props *out, const char *text, size_t len,
                                  char msg[ALGO_MSG_MAX])
{
    static const char *const suffixes[3] = {".directed", ".edge-properties.names",
                                            ".edge-properties.types"};
    found f[3] = {{NULL, 0, 0}, {NULL, 0, 0}, {NULL, 0, 0}};
    const char *gname = NULL;
    size_t gname_len = 0;
    char q[64], q2[64];
    uint64_t line = 0;

    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len, a = i, b = end;
        line++;
        i = end + 1;
        while (a < b && (is_blank(text[a]) || text[a] == '\f'))
            a++;
        while (b > a && (is_blank(text[b - 1]) || text[b - 1] == '\r'))
            b--;
        if (a == b || text[a] == '#' || text[a] == '!')
            continue;
        /* "key = value" or "key: value", as java.util.Properties reads
         * them (no continuation lines: Graphalytics files have none). */
        size_t sep = a;
        while (sep < b && text[sep] != '=' && text[sep] != ':')
            sep++;
        size_t ke = sep, vs = sep < b ? sep + 1 : b;
        while (ke > a && is_blank(text[ke - 1]))
            ke--;
        while (vs < b && is_blank(text[vs]))
            vs++;
        for (int k = 0; k < 3; k++) {
            const char *name;
            size_t nlen;
            if (!graph_key(text + a, ke - a, suffixes[k], &name, &nlen))
                continue;
            if (gname && (nlen != gname_len || memcmp(name, gname, nlen) != 0)) {
                store_quote(q, sizeof q, gname, gname_len);
                store_quote(q2, sizeof q2, name, nlen);
                return props_fail(msg, line, "graph '%s' after graph '%s'; one graph a file", q2,
                                  q);
            }
            gname = name;
            gname_len = nlen;
            /* A later line replaces an earlier one, as in Java. */
            f[k] = (found){text + vs, b - vs, line};
            break;
        }
    }

    algo_graphalytics_props r;
    memset(&r, 0, sizeof r);
    if (!f[0].s)
        return props_fail(msg, 0, "no graph.<name>.directed line");
    if (f[0].len == 4 && strncasecmp(f[0].s, "true", 4) == 0) {
        r.directed = 1;
    } else if (f[0].len == 5 && strncasecmp(f[0].s, "false", 5) == 0) {
        r.directed = 0;
    } else {
        store_quote(q, sizeof q, f[0].s, f[0].len);
        return props_fail(msg, f[0].line, "directed is '%s'; expected true or false", q);
    }

    const char *name = NULL, *type = NULL;
    size_t nlen = 0, tlen = 0, n_names = f[1].s ? list_first(f[1].s, f[1].len, &name, &nlen) : 0;
    if (n_names > 1) {
        store_quote(q, sizeof q, f[1].s, f[1].len);
        return props_fail(msg, f[1].line,
                          "%zu edge properties (%s); one is supported, the weight column", n_names,
                          q);
    }
    r.weight_type = ALGO_PROP_DOUBLE;
    if (n_names == 1) {
        algo_vid check;
        store_quote(q, sizeof q, name, nlen);
        if (nlen >= sizeof r.weight_key)
            return props_fail(msg, f[1].line, "edge property name '%s' is longer than %zu bytes", q,
                              sizeof r.weight_key - 1);
        if (algo_vid_parse(&check, name, nlen) == -2)
            return props_fail(msg, f[1].line, "edge property name '%s' is not valid UTF-8", q);
        memcpy(r.weight_key, name, nlen);
        r.weight_key[nlen] = '\0';
        size_t n_types = f[2].s ? list_first(f[2].s, f[2].len, &type, &tlen) : 0;
        if (n_types > 1) {
            store_quote(q, sizeof q, f[2].s, f[2].len);
            return props_fail(msg, f[2].line, "%zu edge property types (%s) for one name", n_types,
                              q);
        }
        /* No types line: Graphalytics' weights are reals. */
        if (n_types == 1) {
            if ((tlen == 4 && strncasecmp(type, "real", 4) == 0) ||
                (tlen == 6 && strncasecmp(type, "double", 6) == 0))
                r.weight_type = ALGO_PROP_DOUBLE;
            else if ((tlen == 3 && strncasecmp(type, "int", 3) == 0) ||
                     (tlen == 4 && strncasecmp(type, "long", 4) == 0) ||
                     (tlen == 7 && strncasecmp(type, "integer", 7) == 0))
                r.weight_type = ALGO_PROP_INT;
            else {
                store_quote(q, sizeof q, type, tlen);
                return props_fail(msg, f[2].line,
                                  "edge property type '%s' is not real, int or long", q);
            }
        }
    }
    *out = r;
    return 0;
}

/* ---- .v and .e ---------------------------------------------------------- */

int algo_graphalytics_parser_new(algo_graphalytics_parser **out, char which,
                                 const algo_graphalytics_props *props, const algo_record_sink *sink)
{
    if ((which != 'v' && which != 'e') || !props || !sink || !sink->vertex || !sink->edge)
        return -1;
    if (props->weight_type != ALGO_PROP_DOUBLE && props->weight_type != ALGO_PROP_INT)
        return -1;
    size_t klen = strnlen(props->weight_key, sizeof props->weight_key);
    if (klen == sizeof props->weight_key)
        return -1;
    algo_graphalytics_parser *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    int rc = algo_line_feed_init(&p->lf, LINE_LIMIT, "longer than 65536 bytes", 1);
    p->scratch = malloc(LINE_LIMIT + 1);
    if (rc < 0 || !p->scratch) {
        algo_graphalytics_parser_free(p);
        return -1;
    }
    p->sink = *sink;
    p->which = which;
    p->props = *props;
    p->weight_key_len = klen;
    *out = p;
    return 0;
}

void algo_graphalytics_parser_free(algo_graphalytics_parser *p)
{
    if (!p)
        return;
    algo_line_feed_release(&p->lf);
    free(p->scratch);
    free(p);
}

uint64_t algo_graphalytics_parser_records(const algo_graphalytics_parser *p)
{
    return p->records;
}

__attribute__((format(printf, 3, 4))) static int fail(algo_graphalytics_parser *p,
                                                      char msg[ALGO_MSG_MAX], const char *fmt, ...)
{
    char what[ALGO_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(msg, ALGO_MSG_MAX, "line %llu: %.200s", (unsigned long long)p->lf.line, what);
    return -1;
}

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static void c_locale_init(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static const double exact_pow10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/* A real weight: 0 and *w, -1 not a number, -2 not finite. "[-+]d[.d]"
 * with at most 15 digits is converted by hand: mantissa and power of ten
 * are exact doubles, so the one division rounds as strtod does. */
static int real_weight(algo_graphalytics_parser *p, const char *s, size_t len, double *w)
{
    size_t i = 0, digits = 0, frac = 0;
    int neg = 0, dot = 0, plain = 1;
    uint64_t mant = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    for (; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            mant = mant * 10 + (unsigned)(c - '0');
            digits++;
            frac += dot;
            if (digits > 15)
                plain = 0;
        } else if (c == '.' && !dot) {
            dot = 1;
        } else {
            plain = 0;
            if (!strchr("0123456789.eE+-", c) || c == '\0')
                return -1;
        }
    }
    if (plain && digits > 0) {
        double x = (double)mant / exact_pow10[frac];
        *w = neg ? -x : x;
        return 0;
    }
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

/* An int weight: 0 and *w, or -1. */
static int int_weight(const char *s, size_t len, int64_t *w)
{
    algo_vid v;
    /* algo_vid_parse gives a number exactly for "[-]digits" in int64. */
    if (len == 0 || s[0] == '+' || algo_vid_parse(&v, s, len) < 0 || v.is_str)
        return -1;
    *w = v.num;
    return 0;
}

static int parse_id(algo_graphalytics_parser *p, algo_vid *v, const char *s, size_t len,
                    char msg[ALGO_MSG_MAX])
{
    char q[64];
    int r = algo_vid_parse(v, s, len);
    if (r == -3) {
        store_quote(q, sizeof q, s, len);
        return fail(p, msg, "id %s is out of the 64-bit range", q);
    }
    if (r < 0)
        return fail(p, msg, "id is not valid UTF-8");
    return 0;
}

static int sink_failed(algo_graphalytics_parser *p, char msg[ALGO_MSG_MAX], char smsg[ALGO_MSG_MAX])
{
    smsg[ALGO_MSG_MAX - 1] = '\0';
    return fail(p, msg, "%s", smsg);
}

/* Whether the line starting at `s` (q inside it) is over the limit. A
 * cut line is checked for length first (by line_feed.c), so a line checked
 * in place must also report its length before any other fault of it: the
 * same error for every split. */
static int too_long(const char *s, const char *q)
{
    const char *nl = rawmemchr(q, '\n');
    return (size_t)(nl - s) > (size_t)LINE_LIMIT + (size_t)(nl > s && nl[-1] == '\r');
}

static const char *fail_long(algo_graphalytics_parser *p, char msg[ALGO_MSG_MAX])
{
    fail(p, msg, "longer than 65536 bytes");
    return NULL;
}

/* Splits the line at `s` into fields: returns the byte after its '\n'
 * (the caller guarantees one), or NULL after failing. A single pass with
 * no search for the newline first: one comparison a byte in the common
 * case. *nf is the field count (more than `max` fails); 0 for a blank or
 * comment line. */
static const char *split_line(algo_graphalytics_parser *p, const char *s, const char *f[3],
                              size_t flen[3], size_t max, size_t *nf, char msg[ALGO_MSG_MAX])
{
    const char *q = s;
    size_t n = 0;
    while (is_blank(*q))
        q++;
    if (*q == '#') {
        q = rawmemchr(q, '\n');
        *nf = 0;
        return too_long(s, q) ? fail_long(p, msg) : q + 1;
    }
    for (;;) {
        const char *start = q;
        while ((unsigned char)*q > ' ' && *q != 0x7f)
            q++;
        if (q > start) {
            if (n == max) {
                if (too_long(s, q))
                    return fail_long(p, msg);
                fail(p, msg, "more than %zu field%s (expected %s)", max, max > 1 ? "s" : "",
                     p->which == 'v' ? "'id'" : "'src dst [weight]'");
                return NULL;
            }
            f[n] = start;
            flen[n++] = (size_t)(q - start);
        }
        while (is_blank(*q))
            q++;
        if (*q == '\n' || (*q == '\r' && q[1] == '\n'))
            break;
        if ((unsigned char)*q <= ' ' || *q == 0x7f) {
            if (too_long(s, q))
                return fail_long(p, msg);
            fail(p, msg, "control character 0x%02x", (unsigned char)*q);
            return NULL;
        }
    }
    if ((size_t)(q - s) > LINE_LIMIT)
        return fail_long(p, msg);
    *nf = n;
    return q + 1 + (*q == '\r');
}

/* The record of one split line. */
static int emit(algo_graphalytics_parser *p, const char *const f[3], const size_t flen[3],
                size_t nf, char msg[ALGO_MSG_MAX])
{
    char q[64], smsg[ALGO_MSG_MAX];
    if (p->which == 'v') {
        algo_vertex_rec v;
        memset(&v, 0, sizeof v);
        if (parse_id(p, &v.id, f[0], flen[0], msg) < 0)
            return -1;
        v.has_id = 1;
        v.label = (algo_text){"vertex", 6};
        if (p->sink.vertex(p->sink.ud, &v, smsg) < 0)
            return sink_failed(p, msg, smsg);
        p->records++;
        return 0;
    }

    if (nf < 2)
        return fail(p, msg, "one field only (expected 'src dst [weight]')");
    algo_edge_rec e;
    algo_prop w;
    memset(&e, 0, sizeof e);
    if (parse_id(p, &e.src, f[0], flen[0], msg) < 0 || parse_id(p, &e.dst, f[1], flen[1], msg) < 0)
        return -1;
    e.label = (algo_text){"edge", 4};
    e.src_label = e.dst_label = (algo_text){"vertex", 6};
    if (nf == 3) {
        if (p->weight_key_len == 0) {
            store_quote(q, sizeof q, f[2], flen[2]);
            return fail(p, msg, "a weight ('%s') but the .properties file names no edge property",
                        q);
        }
        memset(&w, 0, sizeof w);
        w.key = p->props.weight_key;
        w.key_len = p->weight_key_len;
        w.value.type = p->props.weight_type;
        int r = w.value.type == ALGO_PROP_INT ? int_weight(f[2], flen[2], &w.value.i)
                                              : real_weight(p, f[2], flen[2], &w.value.d);
        if (r < 0) {
            store_quote(q, sizeof q, f[2], flen[2]);
            return fail(p, msg, "weight '%s' is %s", q,
                        w.value.type == ALGO_PROP_INT ? "not an integer in the 64-bit range"
                        : r == -1                     ? "not a number"
                                                      : "not finite");
        }
        e.props = &w;
        e.n_props = 1;
    }
    if (p->sink.edge(p->sink.ud, &e, smsg) < 0)
        return sink_failed(p, msg, smsg);
    p->records++;
    return 0;
}

/* Parses the lines of [s, end) (an algo_line_block_fn); end[-1] is '\n',
 * which stops every scan. */
static int parse_block(void *ud, const char *s, const char *end, char msg[ALGO_MSG_MAX])
{
    algo_graphalytics_parser *p = ud;
    size_t max = p->which == 'v' ? 1 : 3;
    while (s < end) {
        const char *f[3];
        size_t flen[3], nf;
        const char *next = split_line(p, s, f, flen, max, &nf, msg);
        if (!next || (nf > 0 && emit(p, f, flen, nf, msg) < 0))
            return -1;
        p->lf.line++;
        s = next;
    }
    return 0;
}

int algo_graphalytics_parser_feed(algo_graphalytics_parser *p, const char *data, size_t len,
                                  char msg[ALGO_MSG_MAX])
{
    return algo_line_feed_push(&p->lf, data, len, parse_block, p, msg);
}

int algo_graphalytics_parser_finish(algo_graphalytics_parser *p, char msg[ALGO_MSG_MAX])
{
    return algo_line_feed_finish(&p->lf, parse_block, p, msg);
}
