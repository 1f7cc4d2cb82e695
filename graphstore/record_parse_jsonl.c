/* record_parse_jsonl.c: HugeGraph vertex and edge objects, one a line
 * (record_parse.h), into an algo_record_sink.
 *
 * Complete lines of a feed are parsed in place; only a line cut by the end
 * of a piece is copied (line_feed.h, grown up to 1 MiB + 2) and parsed
 * once its newline arrives, with the same code, so every split of the
 * input gives the same records and the same errors. Each line goes through
 * jansson (UTF-8 checks, duplicate keys, numbers), then its members are
 * checked against HugeGraph's shapes. jansson keeps no positions of
 * values, so for a refused member the raw line is scanned again to find
 * its column (jansson objects iterate in insertion order, and duplicates
 * are refused, so the n-th member jansson yields is the n-th in the text).
 *
 * Cost: O(bytes); about a microsecond per small record, most of it in
 * jansson's allocations. The column scan runs on errors only.
 */
#include "record_parse.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_kind.h"
#include "line_feed.h"
#include "store_internal.h"

#define LINE_LIMIT (1024 * 1024) /* bytes of a line without its "\r\n" */

/* Reals are accepted as ids only while every whole value is exact. */
#define EXACT_DOUBLE_MAX 9007199254740992.0 /* 2^53 */

typedef struct props_buf {
    algo_prop *v;
    size_t cap;
} props_buf;

struct algo_jsonl_parser {
    algo_record_sink sink;
    algo_line_feed lf; /* lf.line: the number of the next line to complete */
    uint64_t records;
    props_buf props;
};

/* Why a line was refused: the reason, and the column (1-based, counted in
 * characters as jansson counts them) or 0 if none applies. */
typedef struct refusal {
    char what[ALGO_MSG_MAX];
    long column;
} refusal;

/* ---- columns of members, found in the raw text ------------------------- */

/* These scanners run on text jansson accepted, so they need no error
 * handling beyond staying in bounds. */

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i;
}

static size_t skip_string(const char *s, size_t n, size_t i)
{
    for (i++; i < n && s[i] != '"'; i++)
        if (s[i] == '\\')
            i++;
    return i < n ? i + 1 : n;
}

static size_t skip_value(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return n;
    if (s[i] == '"')
        return skip_string(s, n, i);
    if (s[i] == '{' || s[i] == '[') {
        size_t depth = 0;
        while (i < n) {
            char c = s[i];
            if (c == '"') {
                i = skip_string(s, n, i);
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if ((c == '}' || c == ']') && --depth == 0)
                return i + 1;
            i++;
        }
        return n;
    }
    while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' && s[i] != '\t' &&
           s[i] != '\r' && s[i] != '\n')
        i++;
    return i;
}

/* Offsets of the key and value of member `idx` of the object whose '{'
 * is at or after `i`: 0, or -1 if the text has no such member. */
static int find_member(const char *s, size_t n, size_t i, size_t idx, size_t *key, size_t *val)
{
    i = skip_ws(s, n, i);
    if (i >= n || s[i] != '{')
        return -1;
    i = skip_ws(s, n, i + 1);
    for (size_t k = 0; i < n && s[i] == '"'; k++) {
        size_t kpos = i;
        i = skip_ws(s, n, skip_string(s, n, i));
        if (i >= n || s[i] != ':')
            return -1;
        i = skip_ws(s, n, i + 1);
        if (k == idx) {
            *key = kpos;
            *val = i;
            return 0;
        }
        i = skip_ws(s, n, skip_value(s, n, i));
        if (i >= n || s[i] != ',')
            return -1;
        i = skip_ws(s, n, i + 1);
    }
    return -1;
}

/* The column of member `outer` of the top object (of its member `inner`
 * of the object that is its value, if inner >= 0): its key if want_key,
 * else its value. 0 if not found. */
static long member_column(const char *s, size_t n, size_t outer, long inner, int want_key)
{
    size_t key, val;
    if (find_member(s, n, 0, outer, &key, &val) < 0)
        return 0;
    if (inner >= 0 && find_member(s, n, val, (size_t)inner, &key, &val) < 0)
        return 0;
    size_t at = want_key ? key : val;
    long col = 1;
    for (size_t i = 0; i < at; i++)
        col += ((unsigned char)s[i] & 0xc0) != 0x80;
    return col;
}

/* ---- one object --------------------------------------------------------- */

/* The state of one object being checked: the raw text for columns. */
typedef struct obj_ctx {
    const char *s;
    size_t n;
    refusal *why;
} obj_ctx;

__attribute__((format(printf, 3, 4))) static int refuse(obj_ctx *c, long column, const char *fmt,
                                                        ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why->what, sizeof c->why->what, fmt, ap);
    va_end(ap);
    c->why->column = column;
    return -1;
}

/* An id: a whole number in int64 (a real only while exact) or a
 * non-empty string. `name` is "id", "outV" or "inV". */
static int read_id(obj_ctx *c, size_t idx, const char *name, const json_t *j, algo_vid *v)
{
    memset(v, 0, sizeof *v);
    if (json_is_integer(j)) {
        v->num = (int64_t)json_integer_value(j);
        return 0;
    }
    if (json_is_real(j)) {
        double x = json_real_value(j);
        if (!(x >= -EXACT_DOUBLE_MAX && x <= EXACT_DOUBLE_MAX) || x != (double)(int64_t)x)
            return refuse(c, member_column(c->s, c->n, idx, -1, 0),
                          "%s is not a whole number within +-2^53 (write ids as integers "
                          "or strings)",
                          name);
        v->num = (int64_t)x;
        return 0;
    }
    if (json_is_string(j)) {
        if (json_string_length(j) == 0)
            return refuse(c, member_column(c->s, c->n, idx, -1, 0), "%s is an empty string", name);
        v->is_str = 1;
        v->str = json_string_value(j);
        v->len = json_string_length(j);
        return 0;
    }
    return refuse(c, member_column(c->s, c->n, idx, -1, 0),
                  "%s is %s; ids are numbers or non-empty strings", name, hgc_json_kind(j));
}

static int read_label(obj_ctx *c, size_t idx, const char *name, const json_t *j, algo_text *t)
{
    if (!json_is_string(j))
        return refuse(c, member_column(c->s, c->n, idx, -1, 0), "%s is %s, not a string", name,
                      hgc_json_kind(j));
    if (json_string_length(j) == 0)
        return refuse(c, member_column(c->s, c->n, idx, -1, 0), "%s is an empty string", name);
    t->s = json_string_value(j);
    t->len = json_string_length(j);
    return 0;
}

static int read_props(obj_ctx *c, size_t idx, const json_t *j, props_buf *pb, size_t *n_out)
{
    if (!json_is_object(j))
        return refuse(c, member_column(c->s, c->n, idx, -1, 0), "properties is %s, not an object",
                      hgc_json_kind(j));
    size_t n = json_object_size(j);
    if (n > pb->cap) {
        size_t cap = pb->cap ? pb->cap : 16;
        while (cap < n)
            cap *= 2;
        algo_prop *v = realloc(pb->v, cap * sizeof *v);
        if (!v)
            return refuse(c, 0, "out of memory");
        pb->v = v;
        pb->cap = cap;
    }
    const char *key;
    const json_t *val;
    long k = 0;
    json_object_foreach((json_t *)j, key, val)
    {
        char q[64];
        algo_prop *p = &pb->v[k];
        memset(p, 0, sizeof *p);
        p->key = key;
        p->key_len = strlen(key);
        if (p->key_len == 0)
            return refuse(c, member_column(c->s, c->n, idx, k, 1), "a property key is empty");
        switch (json_typeof(val)) {
        case JSON_INTEGER:
            p->value.type = ALGO_PROP_INT;
            p->value.i = (int64_t)json_integer_value(val);
            break;
        case JSON_REAL:
            p->value.type = ALGO_PROP_DOUBLE;
            p->value.d = json_real_value(val);
            break;
        case JSON_STRING:
            p->value.type = ALGO_PROP_STRING;
            p->value.s = json_string_value(val);
            p->value.len = json_string_length(val);
            break;
        case JSON_TRUE:
        case JSON_FALSE:
            p->value.type = ALGO_PROP_BOOL;
            p->value.i = json_is_true(val);
            break;
        default:
            store_quote(q, sizeof q, key, p->key_len);
            return refuse(c, member_column(c->s, c->n, idx, k, 0),
                          "property '%s' is %s; values are numbers, strings or booleans", q,
                          hgc_json_kind(val));
        }
        k++;
    }
    *n_out = (size_t)k;
    return 0;
}

enum { KIND_VERTEX, KIND_EDGE };

static const char *const vertex_keys = "id, label, type, properties";
static const char *const edge_keys = "label, outV, inV, outVLabel, inVLabel, id, type, properties";

/* Checks one object's text and hands its record to the sink: 0; -1 with
 * *why (a reason and maybe a column); -2 if the sink refused (its message
 * in why->what, no column). */
static int parse_object(const algo_record_sink *sink, const char *s, size_t n, props_buf *pb,
                        refusal *why)
{
    obj_ctx c = {s, n, why};
    json_error_t err;
    int rc = -1;
    why->column = 0;
    json_t *root = json_loadb(s, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
    if (!root) {
        /* jansson quotes the input ("near '...'"): printable ASCII only. */
        char q[sizeof err.text];
        size_t k;
        for (k = 0; k + 1 < sizeof q && err.text[k]; k++)
            q[k] = (err.text[k] >= 0x20 && err.text[k] < 0x7f) ? err.text[k] : '?';
        q[k] = '\0';
        /* jansson's column is where it stopped: the end of the bad token. */
        return refuse(&c, err.column > 0 ? err.column : 1, "not JSON: %s", q);
    }
    if (!json_is_object(root)) {
        refuse(&c, (long)skip_ws(s, n, 0) + 1, "%s, not an object", hgc_json_kind(root));
        goto done;
    }

    /* The kind first, so unknown keys are named against the right list. */
    int kind =
        json_object_get(root, "outV") || json_object_get(root, "inV") ? KIND_EDGE : KIND_VERTEX;
    const char *key;
    json_t *val;
    size_t idx = 0;
    json_t *type = json_object_get(root, "type");
    if (type) {
        const char *t = json_string_value(type);
        if (t && strcmp(t, "vertex") == 0) {
            kind = KIND_VERTEX;
        } else if (t && strcmp(t, "edge") == 0) {
            kind = KIND_EDGE;
        } else {
            json_object_foreach(root, key, val)
            {
                if (val == type)
                    break;
                idx++;
            }
            refuse(&c, member_column(s, n, idx, -1, 0),
                   "type is %s; expected \"vertex\" or \"edge\"",
                   t ? "another string" : hgc_json_kind(type));
            goto done;
        }
    }

    algo_vertex_rec v;
    algo_edge_rec e;
    int has_out = 0, has_in = 0;
    size_t n_props = 0;
    memset(&v, 0, sizeof v);
    memset(&e, 0, sizeof e);
    idx = 0;
    json_object_foreach(root, key, val)
    {
        int bad = 0;
        if (strcmp(key, "type") == 0) {
            /* checked above */
        } else if (strcmp(key, "label") == 0) {
            bad = read_label(&c, idx, "label", val, kind == KIND_EDGE ? &e.label : &v.label);
        } else if (strcmp(key, "properties") == 0) {
            bad = read_props(&c, idx, val, pb, &n_props);
        } else if (strcmp(key, "id") == 0) {
            /* An edge's id is HugeGraph's own, derived from its ends and
             * label: checked, then not kept. */
            algo_vid ignored;
            bad = read_id(&c, idx, "id", val, kind == KIND_EDGE ? &ignored : &v.id);
            v.has_id = 1;
        } else if (kind == KIND_EDGE && strcmp(key, "outV") == 0) {
            bad = read_id(&c, idx, "outV", val, &e.src);
            has_out = 1;
        } else if (kind == KIND_EDGE && strcmp(key, "inV") == 0) {
            bad = read_id(&c, idx, "inV", val, &e.dst);
            has_in = 1;
        } else if (kind == KIND_EDGE && strcmp(key, "outVLabel") == 0) {
            bad = read_label(&c, idx, "outVLabel", val, &e.src_label);
        } else if (kind == KIND_EDGE && strcmp(key, "inVLabel") == 0) {
            bad = read_label(&c, idx, "inVLabel", val, &e.dst_label);
        } else {
            char q[64], list[200];
            store_quote(q, sizeof q, key, strlen(key));
            snprintf(list, sizeof list, "%s; allowed: %s",
                     kind == KIND_EDGE ? "an edge" : "a vertex",
                     kind == KIND_EDGE ? edge_keys : vertex_keys);
            refuse(&c, member_column(s, n, idx, -1, 1), "unknown key '%s' in %s", q, list);
            goto done;
        }
        if (bad)
            goto done;
        idx++;
    }

    char smsg[ALGO_MSG_MAX];
    int src;
    if (kind == KIND_EDGE) {
        if (!has_out || !has_in) {
            refuse(&c, 0, "an edge without '%s'", has_out ? "inV" : "outV");
            goto done;
        }
        e.props = pb->v;
        e.n_props = n_props;
        src = sink->edge(sink->ud, &e, smsg);
    } else {
        v.props = pb->v;
        v.n_props = n_props;
        src = sink->vertex(sink->ud, &v, smsg);
    }
    if (src < 0) {
        smsg[ALGO_MSG_MAX - 1] = '\0';
        snprintf(why->what, sizeof why->what, "%s", smsg);
        rc = -2;
        goto done;
    }
    rc = 0;
done:
    json_decref(root);
    return rc;
}

/* ---- lines -------------------------------------------------------------- */

int algo_jsonl_parser_new(algo_jsonl_parser **out, const algo_record_sink *sink)
{
    if (!sink || !sink->vertex || !sink->edge)
        return -1;
    algo_jsonl_parser *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    /* The carry grows as cut lines need: most lines are short. */
    if (algo_line_feed_init(&p->lf, LINE_LIMIT, "longer than 1048576 bytes (the limit of a line)",
                            0) < 0) {
        free(p);
        return -1;
    }
    p->sink = *sink;
    *out = p;
    return 0;
}

void algo_jsonl_parser_free(algo_jsonl_parser *p)
{
    if (!p)
        return;
    algo_line_feed_release(&p->lf);
    free(p->props.v);
    free(p);
}

uint64_t algo_jsonl_parser_records(const algo_jsonl_parser *p)
{
    return p->records;
}

static int fail(algo_jsonl_parser *p, char msg[ALGO_MSG_MAX], const refusal *why)
{
    unsigned long long line = (unsigned long long)p->lf.line;
    if (why->column > 0)
        snprintf(msg, ALGO_MSG_MAX, "line %llu, column %ld: %.200s", line, why->column, why->what);
    else
        snprintf(msg, ALGO_MSG_MAX, "line %llu: %.200s", line, why->what);
    return -1;
}

static int fail_long(algo_jsonl_parser *p, char msg[ALGO_MSG_MAX])
{
    refusal why = {"longer than 1048576 bytes (the limit of a line)", 0};
    return fail(p, msg, &why);
}

/* One line of `len` bytes without its '\n'. */
static int parse_line(algo_jsonl_parser *p, const char *s, size_t len, char msg[ALGO_MSG_MAX])
{
    if (len > 0 && s[len - 1] == '\r')
        len--;
    if (len > LINE_LIMIT)
        return fail_long(p, msg);
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
        i++;
    if (i == len)
        return 0;
    refusal why;
    if (parse_object(&p->sink, s, len, &p->props, &why) < 0)
        return fail(p, msg, &why);
    p->records++;
    return 0;
}

/* Parses the lines of [s, end) (an algo_line_block_fn); end[-1] is '\n'. */
static int parse_block(void *ud, const char *s, const char *end, char msg[ALGO_MSG_MAX])
{
    algo_jsonl_parser *p = ud;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (parse_line(p, s, (size_t)(nl - s), msg) < 0)
            return -1;
        p->lf.line++;
        s = nl + 1;
    }
    return 0;
}

int algo_jsonl_parser_feed(algo_jsonl_parser *p, const char *data, size_t len,
                           char msg[ALGO_MSG_MAX])
{
    return algo_line_feed_push(&p->lf, data, len, parse_block, p, msg);
}

int algo_jsonl_parser_finish(algo_jsonl_parser *p, char msg[ALGO_MSG_MAX])
{
    return algo_line_feed_finish(&p->lf, parse_block, p, msg);
}

int algo_jsonl_parse_one(const algo_record_sink *sink, const char *json, size_t len,
                         char msg[ALGO_MSG_MAX])
{
    props_buf pb = {NULL, 0};
    refusal why;
    int rc = 0;
    if (!sink || !sink->vertex || !sink->edge) {
        snprintf(msg, ALGO_MSG_MAX, "no sink");
        return -1;
    }
    if (len > LINE_LIMIT) {
        snprintf(msg, ALGO_MSG_MAX, "longer than 1048576 bytes (the limit of an object)");
        return -1;
    }
    if (parse_object(sink, json, len, &pb, &why) < 0) {
        if (why.column > 0)
            snprintf(msg, ALGO_MSG_MAX, "column %ld: %.200s", why.column, why.what);
        else
            snprintf(msg, ALGO_MSG_MAX, "%.200s", why.what);
        rc = -1;
    }
    free(pb.v);
    return rc;
}
