/* record_parse_fixture.h: what the record parser tests share
 * (test_record_parse_jsonl.c, test_record_parse_graphalytics.c): the
 * recording sink, which writes each record as text (doubles as %a, so
 * exact; strings with their length, so unambiguous) to be compared as
 * text, and a sink that only counts, for the speed guards. */
#ifndef TEST_ALGO_RECORD_PARSE_FIXTURE_H
#define TEST_ALGO_RECORD_PARSE_FIXTURE_H

#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_parse.h"

static char msg[ALGO_MSG_MAX];

/* ---- the recording sink ------------------------------------------------- */

typedef struct rec_log {
    char *s;
    size_t len, cap;
    size_t vertices, edges;
    int fail_at; /* refuse the n-th record (from 1); 0: never */
} rec_log;

__attribute__((format(printf, 2, 3))) static inline void put(rec_log *l, const char *fmt, ...)
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

static inline void put_bytes(rec_log *l, const char *s, size_t len)
{
    put(l, "%zu:", len);
    put(l, "%.*s", (int)len, s);
}

static inline void put_vid(rec_log *l, const algo_vid *v)
{
    if (v->is_str) {
        put(l, "s");
        put_bytes(l, v->str, v->len);
    } else {
        put(l, "n%" PRId64, v->num);
    }
}

static inline void put_text(rec_log *l, const char *name, algo_text t)
{
    put(l, " %s=", name);
    if (t.s && t.len)
        put_bytes(l, t.s, t.len);
    else
        put(l, "-");
}

static inline void put_props(rec_log *l, const algo_prop *p, size_t n)
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

static inline int log_vertex(void *ud, const algo_vertex_rec *v, char m[ALGO_MSG_MAX])
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

static inline int log_edge(void *ud, const algo_edge_rec *e, char m[ALGO_MSG_MAX])
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

static inline int count_vertex(void *ud, const algo_vertex_rec *v, char m[ALGO_MSG_MAX])
{
    (void)v, (void)m;
    ++*(uint64_t *)ud;
    return 0;
}

static inline int count_edge(void *ud, const algo_edge_rec *e, char m[ALGO_MSG_MAX])
{
    (void)m;
    *(uint64_t *)ud += e->n_props == 1;
    return 0;
}

static inline const char *log_text(rec_log *l)
{
    if (!l->s)
        put(l, "%s", "");
    return l->s;
}

static inline void log_free(rec_log *l)
{
    free(l->s);
    memset(l, 0, sizeof *l);
}

#endif
