/* delta_log_fixture.h: what the delta log tests share (test_delta_log.c,
 * test_delta_log_replay.c): a temporary folder for each test with the
 * log's path in it (setup and teardown, for TestSuite), the text dump of
 * records, made the same way for what went in and what came out, a sink
 * that dumps what it gets and refuses record k on request, replay into
 * it, the records to write, and the log's size on disk. */
#ifndef TEST_SVC_DELTA_LOG_FIXTURE_H
#define TEST_SVC_DELTA_LOG_FIXTURE_H

#include <criterion/criterion.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "delta_log.h"

static char dir[] = "/tmp/hgc-test-delta-XXXXXX";
static char path[256];

static inline void setup(void)
{
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/v1.delta", dir);
}

static inline void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
}

/* ---- A growing string and the record dump ---- */

typedef struct str {
    char *s;
    size_t n, cap;
} str;

static inline void str_add(str *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        cr_assert_not_null(b->s);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static inline void str_printf(str *b, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    str_add(b, tmp, (size_t)n);
}

static inline void dump_bytes(str *b, const char *s, size_t n)
{
    str_add(b, "'", 1);
    for (size_t i = 0; i < n; i++)
        str_printf(b, "%02x", (unsigned char)s[i]);
    str_add(b, "'", 1);
}

static inline void dump_text(str *b, algo_text t)
{
    if (!t.s || t.len == 0)
        str_add(b, "-", 1);
    else
        dump_bytes(b, t.s, t.len);
}

static inline void dump_vid(str *b, const algo_vid *v)
{
    if (v->is_str)
        dump_bytes(b, v->str, v->len);
    else
        str_printf(b, "%lld", (long long)v->num);
}

static inline void dump_props(str *b, const algo_prop *p, size_t n)
{
    str_add(b, " {", 2);
    for (size_t i = 0; i < n; i++) {
        dump_bytes(b, p[i].key, p[i].key_len);
        switch (p[i].value.type) {
        case ALGO_PROP_INT: str_printf(b, "=i%lld", (long long)p[i].value.i); break;
        case ALGO_PROP_DOUBLE: str_printf(b, "=d%a", p[i].value.d); break;
        case ALGO_PROP_STRING:
            str_add(b, "=s", 2);
            dump_bytes(b, p[i].value.s, p[i].value.len);
            break;
        case ALGO_PROP_BOOL: str_printf(b, "=b%d", p[i].value.i != 0); break;
        default: str_printf(b, "=?%d", (int)p[i].value.type);
        }
        str_add(b, ",", 1);
    }
    str_add(b, "}\n", 2);
}

static inline void dump_vertex(str *b, const algo_vertex_rec *v)
{
    str_add(b, "V ", 2);
    if (v->has_id)
        dump_vid(b, &v->id);
    else
        str_add(b, "auto", 4);
    str_add(b, " ", 1);
    dump_text(b, v->label);
    dump_props(b, v->props, v->n_props);
}

static inline void dump_edge(str *b, const algo_edge_rec *e)
{
    str_add(b, "E ", 2);
    dump_vid(b, &e->src);
    str_add(b, " ", 1);
    dump_vid(b, &e->dst);
    str_add(b, " ", 1);
    dump_text(b, e->label);
    str_add(b, " ", 1);
    dump_text(b, e->src_label);
    str_add(b, " ", 1);
    dump_text(b, e->dst_label);
    dump_props(b, e->props, e->n_props);
}

/* ---- A sink that dumps what it gets; refuses record `refuse` (1-based) ---- */

typedef struct got {
    str dump;
    uint64_t n;
    uint64_t refuse;
} got;

static inline int got_vertex(void *ud, const algo_vertex_rec *v, char msg[ALGO_MSG_MAX])
{
    got *g = ud;
    if (++g->n == g->refuse) {
        snprintf(msg, ALGO_MSG_MAX, "no vertex for you");
        return -EINVAL;
    }
    dump_vertex(&g->dump, v);
    return 0;
}

static inline int got_edge(void *ud, const algo_edge_rec *e, char msg[ALGO_MSG_MAX])
{
    got *g = ud;
    if (++g->n == g->refuse) {
        snprintf(msg, ALGO_MSG_MAX, "no edge for you");
        return -EINVAL;
    }
    dump_edge(&g->dump, e);
    return 0;
}

/* Replays `path`; returns the dump (caller frees) and the count. */
static inline int replay(char **dump, uint64_t *count, uint64_t refuse, char *msg)
{
    got g = {{NULL, 0, 0}, 0, refuse};
    algo_record_sink sink = {got_vertex, got_edge, &g};
    uint64_t n = 12345;
    str_add(&g.dump, "", 0);
    int rc = svc_delta_replay(path, &sink, &n, msg);
    if (rc == 0)
        cr_expect_eq(n, g.n, "replay counted %llu, the sink saw %llu", (unsigned long long)n,
                     (unsigned long long)g.n);
    if (count)
        *count = g.n;
    if (dump)
        *dump = g.dump.s;
    else
        free(g.dump.s);
    return rc;
}

static inline uint64_t replay_count(void)
{
    char msg[SVC_MSG_MAX] = "";
    uint64_t n = 0;
    cr_assert_eq(replay(NULL, &n, 0, msg), 0, "%s", msg);
    return n;
}

/* ---- Records to write ---- */

static const algo_prop all_props[] = {
    {"age", 3, {ALGO_PROP_INT, INT64_MIN, 0, NULL, 0}},
    {"weight", 6, {ALGO_PROP_DOUBLE, 0, -0.125, NULL, 0}},
    {"name", 4, {ALGO_PROP_STRING, 0, 0, "J\xc3\xb6rg \xe6\x97\xa5", 9}},
    {"empty", 5, {ALGO_PROP_STRING, 0, 0, "", 0}},
    {"ok", 2, {ALGO_PROP_BOOL, 1, 0, NULL, 0}},
    {"no", 2, {ALGO_PROP_BOOL, 0, 0, NULL, 0}},
    {"big", 3, {ALGO_PROP_DOUBLE, 0, 1e308, NULL, 0}},
    {"max", 3, {ALGO_PROP_INT, INT64_MAX, 0, NULL, 0}},
};
#define N_ALL_PROPS (sizeof all_props / sizeof all_props[0])

static inline algo_vid num_id(int64_t n)
{
    algo_vid v = {0, n, NULL, 0};
    return v;
}

static inline algo_vid str_id(const char *s, size_t len)
{
    algo_vid v = {1, 0, s, len};
    return v;
}

static inline void vertex(svc_delta *d, str *want, int64_t n)
{
    char msg[SVC_MSG_MAX];
    algo_vertex_rec v = {1, num_id(n), {"person", 6}, all_props, 2};
    cr_assert_eq(svc_delta_append_vertex(d, &v, msg), 0, "%s", msg);
    if (want)
        dump_vertex(want, &v);
}

/* Writes `txns` transactions of `per` vertices each; ends[i] is the log's
 * committed size after transaction i. */
static inline void write_txns(int txns, int per, uint64_t *ends, str *want)
{
    char msg[SVC_MSG_MAX];
    svc_delta *d = NULL;
    cr_assert_eq(svc_delta_open(&d, path, msg), 0, "%s", msg);
    for (int t = 0; t < txns; t++) {
        for (int i = 0; i < per; i++)
            vertex(d, want, t * 100 + i);
        cr_assert_eq(svc_delta_commit(d, msg), 0, "%s", msg);
        if (ends)
            ends[t] = svc_delta_bytes(d);
    }
    svc_delta_close(d);
}

static inline uint64_t file_size(void)
{
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    return (uint64_t)st.st_size;
}

#endif
