/* The delta log on real files in a temporary folder: round trips, the
 * transaction rules, and what a cut or damaged file replays as. Records
 * are compared through a text dump made the same way for what went in
 * and what came out. Hand-made logs use a bitwise CRC-32 written here
 * (the zlib polynomial), independent of the module's table. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "delta_log.h"

static char dir[] = "/tmp/hgc-test-delta-XXXXXX";
static char path[256];

static void setup(void)
{
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/v1.delta", dir);
}

static void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
}

TestSuite(delta_log, .init = setup, .fini = teardown);

/* ---- A growing string and the record dump ---- */

typedef struct str {
    char *s;
    size_t n, cap;
} str;

static void str_add(str *b, const char *s, size_t n)
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

static void str_printf(str *b, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    str_add(b, tmp, (size_t)n);
}

static void dump_bytes(str *b, const char *s, size_t n)
{
    str_add(b, "'", 1);
    for (size_t i = 0; i < n; i++)
        str_printf(b, "%02x", (unsigned char)s[i]);
    str_add(b, "'", 1);
}

static void dump_text(str *b, algo_text t)
{
    if (!t.s || t.len == 0)
        str_add(b, "-", 1);
    else
        dump_bytes(b, t.s, t.len);
}

static void dump_vid(str *b, const algo_vid *v)
{
    if (v->is_str)
        dump_bytes(b, v->str, v->len);
    else
        str_printf(b, "%lld", (long long)v->num);
}

static void dump_props(str *b, const algo_prop *p, size_t n)
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

static void dump_vertex(str *b, const algo_vertex_rec *v)
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

static void dump_edge(str *b, const algo_edge_rec *e)
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

static int got_vertex(void *ud, const algo_vertex_rec *v, char msg[ALGO_MSG_MAX])
{
    got *g = ud;
    if (++g->n == g->refuse) {
        snprintf(msg, ALGO_MSG_MAX, "no vertex for you");
        return -EINVAL;
    }
    dump_vertex(&g->dump, v);
    return 0;
}

static int got_edge(void *ud, const algo_edge_rec *e, char msg[ALGO_MSG_MAX])
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
static int replay(char **dump, uint64_t *count, uint64_t refuse, char *msg)
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

static uint64_t replay_count(void)
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

static algo_vid num_id(int64_t n)
{
    algo_vid v = {0, n, NULL, 0};
    return v;
}

static algo_vid str_id(const char *s, size_t len)
{
    algo_vid v = {1, 0, s, len};
    return v;
}

static void vertex(svc_delta *d, str *want, int64_t n)
{
    char msg[SVC_MSG_MAX];
    algo_vertex_rec v = {1, num_id(n), {"person", 6}, all_props, 2};
    cr_assert_eq(svc_delta_append_vertex(d, &v, msg), 0, "%s", msg);
    if (want)
        dump_vertex(want, &v);
}

/* Writes `txns` transactions of `per` vertices each; ends[i] is the log's
 * committed size after transaction i. */
static void write_txns(int txns, int per, uint64_t *ends, str *want)
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

static uint64_t file_size(void)
{
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    return (uint64_t)st.st_size;
}

static uint8_t *read_file(size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    size_t cap = file_size() + 1;
    uint8_t *p = malloc(cap);
    *len = fread(p, 1, cap, f);
    fclose(f);
    return p;
}

static void write_file(const void *p, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(p, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

/* ---- Round trips ---- */

Test(delta_log, round_trip_every_field)
{
    char msg[SVC_MSG_MAX];
    str want = {0};
    svc_delta *d = NULL;
    str_add(&want, "", 0);
    cr_assert_eq(svc_delta_open(&d, path, msg), 0, "%s", msg);
    cr_expect_eq(svc_delta_bytes(d), 8);

    algo_vertex_rec vs[] = {
        {0, num_id(0), {NULL, 0}, NULL, 0},
        {1, num_id(INT64_MIN), {"person", 6}, all_props, N_ALL_PROPS},
        {1, num_id(INT64_MAX), {"", 0}, all_props + 2, 1},
        {1, num_id(-1), {NULL, 0}, NULL, 0},
        {1, str_id("with space", 10), {"city", 4}, NULL, 0},
        {1,
         str_id("p\xc3\xa4iv\xc3\xa4\xc3\xa4 \xe6\x97\xa5\xe6\x9c\xac", 15),
         {NULL, 0},
         all_props + 4,
         2},
        {1, str_id("a\0b", 3), {"nul\0label", 9}, all_props, 1},
        {0, num_id(0), {"software", 8}, all_props + 1, 3},
    };
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        cr_assert_eq(svc_delta_append_vertex(d, &vs[i], msg), 0, "%s", msg);
        dump_vertex(&want, &vs[i]);
    }
    algo_edge_rec es[] = {
        {num_id(1), num_id(2), {NULL, 0}, {NULL, 0}, {NULL, 0}, NULL, 0},
        {num_id(INT64_MIN),
         num_id(INT64_MAX),
         {"knows", 5},
         {"person", 6},
         {"person", 6},
         all_props,
         N_ALL_PROPS},
        {str_id("a\0b", 3),
         num_id(7),
         {"created", 7},
         {NULL, 0},
         {"software", 8},
         all_props + 3,
         3},
        {str_id("x y", 3),
         str_id("\xe6\x97\xa5", 3),
         {"", 0},
         {"l", 1},
         {NULL, 0},
         all_props + 5,
         1},
    };
    for (size_t i = 0; i < sizeof es / sizeof es[0]; i++) {
        cr_assert_eq(svc_delta_append_edge(d, &es[i], msg), 0, "%s", msg);
        dump_edge(&want, &es[i]);
    }
    cr_assert_eq(svc_delta_commit(d, msg), 0, "%s", msg);
    cr_expect_eq(svc_delta_bytes(d), file_size());
    svc_delta_close(d);

    char *dump = NULL;
    uint64_t n = 0;
    cr_assert_eq(replay(&dump, &n, 0, msg), 0, "%s", msg);
    cr_expect_eq(n, 12);
    cr_expect_str_eq(dump, want.s);
    free(dump);
    free(want.s);
}

Test(delta_log, multiple_transactions_and_reopen)
{
    char msg[SVC_MSG_MAX];
    str want = {0};
    uint64_t ends[3];
    str_add(&want, "", 0);
    write_txns(3, 4, ends, &want);
    cr_expect(ends[0] > 8 && ends[0] < ends[1] && ends[1] < ends[2]);
    cr_expect_eq(file_size(), ends[2]);
    cr_expect_eq(replay_count(), 12);

    /* Reopening keeps everything and appends after it. */
    svc_delta *d = NULL;
    cr_assert_eq(svc_delta_open(&d, path, msg), 0, "%s", msg);
    cr_expect_eq(svc_delta_bytes(d), ends[2]);
    vertex(d, &want, 999);
    cr_assert_eq(svc_delta_commit(d, msg), 0, "%s", msg);
    svc_delta_close(d);

    char *dump = NULL;
    uint64_t n = 0;
    cr_assert_eq(replay(&dump, &n, 0, msg), 0, "%s", msg);
    cr_expect_eq(n, 13);
    cr_expect_str_eq(dump, want.s);
    free(dump);
    free(want.s);
}

Test(delta_log, empty_transaction_writes_nothing)
{
    char msg[SVC_MSG_MAX];
    svc_delta *d = NULL;
    cr_assert_eq(svc_delta_open(&d, path, msg), 0, "%s", msg);
    cr_expect_eq(svc_delta_commit(d, msg), 0);
    cr_expect_eq(svc_delta_commit(d, msg), 0);
    cr_expect_eq(svc_delta_rollback(d, msg), 0);
    cr_expect_eq(svc_delta_bytes(d), 8);
    svc_delta_close(d);
    cr_expect_eq(file_size(), 8);
    cr_expect_eq(replay_count(), 0);
}

/* ---- Rollback and uncommitted tails ---- */

Test(delta_log, rollback_drops_only_the_open_transaction)
{
    char msg[SVC_MSG_MAX];
    str want = {0};
    svc_delta *d = NULL;
    str_add(&want, "", 0);
    cr_assert_eq(svc_delta_open(&d, path, msg), 0, "%s", msg);
    vertex(d, &want, 1);
    vertex(d, &want, 2);
    cr_assert_eq(svc_delta_commit(d, msg), 0, "%s", msg);
    uint64_t end1 = svc_delta_bytes(d);

    vertex(d, NULL, 3);
    cr_assert_eq(svc_delta_rollback(d, msg), 0, "%s", msg);
    cr_expect_eq(svc_delta_bytes(d), end1);

    /* A transaction big enough to reach the file before its commit. */
    for (int i = 0; i < 40000; i++)
        vertex(d, NULL, 1000 + i);
    cr_expect_gt(file_size(), end1, "nothing was flushed: make the transaction bigger");
    cr_assert_eq(svc_delta_rollback(d, msg), 0, "%s", msg);
    cr_expect_eq(file_size(), end1);
    cr_expect_eq(svc_delta_bytes(d), end1);

    vertex(d, &want, 4);
    cr_assert_eq(svc_delta_commit(d, msg), 0, "%s", msg);
    svc_delta_close(d);

    char *dump = NULL;
    uint64_t n = 0;
    cr_assert_eq(replay(&dump, &n, 0, msg), 0, "%s", msg);
    cr_expect_eq(n, 3);
    cr_expect_str_eq(dump, want.s);
    free(dump);
    free(want.s);
}

Test(delta_log, big_transaction_round_trip)
{
    char msg[SVC_MSG_MAX];
    svc_delta *d = NULL;
    cr_assert_eq(svc_delta_open(&d, path, msg), 0, "%s", msg);
    for (int i = 0; i < 50000; i++)
        vertex(d, NULL, i);
    cr_assert_eq(svc_delta_commit(d, msg), 0, "%s", msg);
    cr_expect_eq(svc_delta_bytes(d), file_size());
    svc_delta_close(d);
    cr_expect_eq(replay_count(), 50000);
}

Test(delta_log, close_without_commit_leaves_no_tail)
{
    char msg[SVC_MSG_MAX];
    uint64_t ends[1];
    write_txns(1, 3, ends, NULL);
    svc_delta *d = NULL;
    cr_assert_eq(svc_delta_open(&d, path, msg), 0, "%s", msg);
    for (int i = 0; i < 40000; i++)
        vertex(d, NULL, i);
    svc_delta_close(d);
    cr_expect_eq(file_size(), ends[0]);
    cr_expect_eq(replay_count(), 3);
}

/* A writer that dies mid-transaction, after some of its records reached
 * the file: replay ignores them, opening cuts them, appending works. */
Test(delta_log, crash_mid_transaction)
{
    char msg[SVC_MSG_MAX];
    uint64_t ends[2];
    write_txns(2, 3, ends, NULL);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        svc_delta *d = NULL;
        if (svc_delta_open(&d, path, msg) < 0)
            _exit(1);
        for (int i = 0; i < 100000; i++) {
            algo_vertex_rec v = {1, num_id(i), {NULL, 0}, NULL, 0};
            if (svc_delta_append_vertex(d, &v, msg) < 0)
                _exit(1);
        }
        _exit(0); /* no commit, no close */
    }
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    cr_assert_gt(file_size(), ends[1]);
    cr_expect_eq(replay_count(), 6);

    svc_delta *d = NULL;
    cr_assert_eq(svc_delta_open(&d, path, msg), 0, "%s", msg);
    cr_expect_eq(svc_delta_bytes(d), ends[1]);
    cr_expect_eq(file_size(), ends[1]);
    vertex(d, NULL, 7);
    cr_assert_eq(svc_delta_commit(d, msg), 0, "%s", msg);
    svc_delta_close(d);
    cr_expect_eq(replay_count(), 7);
}

/* The records of a transaction written without their commit frame. */
Test(delta_log, records_without_commit_frame)
{
    char msg[SVC_MSG_MAX];
    uint64_t ends[2];
    write_txns(2, 3, ends, NULL);
    cr_assert_eq(truncate(path, (off_t)(ends[1] - 17)), 0);
    cr_expect_eq(replay_count(), 3);
    svc_delta *d = NULL;
    cr_assert_eq(svc_delta_open(&d, path, msg), 0, "%s", msg);
    cr_expect_eq(svc_delta_bytes(d), ends[0]);
    cr_expect_eq(file_size(), ends[0]);
    vertex(d, NULL, 5);
    cr_assert_eq(svc_delta_commit(d, msg), 0, "%s", msg);
    svc_delta_close(d);
    cr_expect_eq(replay_count(), 4);
}

/* ---- Cut and damaged files ---- */

Test(delta_log, cut_at_every_length)
{
    char msg[SVC_MSG_MAX];
    uint64_t ends[4];
    const int per[4] = {1, 3, 2, 1};
    svc_delta *d = NULL;
    cr_assert_eq(svc_delta_open(&d, path, msg), 0, "%s", msg);
    for (int t = 0; t < 4; t++) {
        for (int i = 0; i < per[t]; i++) {
            algo_edge_rec e = {str_id("src", 3), num_id(i),     {"e", 1}, {NULL, 0},
                               {"d", 1},         all_props + t, 2};
            cr_assert_eq(svc_delta_append_edge(d, &e, msg), 0, "%s", msg);
        }
        cr_assert_eq(svc_delta_commit(d, msg), 0, "%s", msg);
        ends[t] = svc_delta_bytes(d);
    }
    svc_delta_close(d);
    size_t len = 0;
    uint8_t *orig = read_file(&len);
    cr_assert_eq(len, ends[3]);

    for (size_t cut = 0; cut <= len; cut++) {
        write_file(orig, cut);
        uint64_t want = 0, end = 8;
        for (int t = 0; t < 4 && ends[t] <= cut; t++) {
            want += (uint64_t)per[t];
            end = ends[t];
        }
        cr_assert_eq(replay_count(), want, "cut at %zu", cut);
        cr_assert_eq(svc_delta_open(&d, path, msg), 0, "cut at %zu: %s", cut, msg);
        cr_assert_eq(svc_delta_bytes(d), end, "cut at %zu", cut);
        vertex(d, NULL, 42);
        cr_assert_eq(svc_delta_commit(d, msg), 0, "%s", msg);
        svc_delta_close(d);
        cr_assert_eq(replay_count(), want + 1, "cut at %zu", cut);
    }
    free(orig);
}

/* Any damaged byte of a transaction (records or commit frame) fails its
 * CRC or its framing: it and everything after it are a torn tail. */
Test(delta_log, flipped_byte_drops_the_transaction_and_the_rest)
{
    char msg[SVC_MSG_MAX];
    uint64_t ends[3];
    write_txns(3, 2, ends, NULL);
    size_t len = 0;
    uint8_t *orig = read_file(&len);
    for (size_t at = ends[0]; at < len; at++) {
        uint64_t keep = at < ends[1] ? ends[0] : ends[1];
        for (int bit = 0; bit < 8; bit += 7) {
            orig[at] ^= (uint8_t)(1u << bit);
            write_file(orig, len);
            orig[at] ^= (uint8_t)(1u << bit);
            cr_assert_eq(replay_count(), keep == ends[0] ? 2 : 4, "byte %zu bit %d", at, bit);
            svc_delta *d = NULL;
            cr_assert_eq(svc_delta_open(&d, path, msg), 0, "%s", msg);
            cr_assert_eq(svc_delta_bytes(d), keep, "byte %zu bit %d", at, bit);
            svc_delta_close(d);
            cr_assert_eq(file_size(), keep);
        }
    }
    free(orig);
}

/* ---- Hand-made logs ---- */

static uint32_t crc32_bitwise(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

typedef struct hand {
    uint8_t b[1024];
    size_t n, txn;
    uint64_t count;
} hand;

static void hand_put(hand *h, const void *p, size_t n)
{
    cr_assert_leq(h->n + n, sizeof h->b);
    memcpy(h->b + h->n, p, n);
    h->n += n;
}

static void hand_start(hand *h)
{
    h->n = 0;
    hand_put(h, "HGCDLT1\n", 8);
    h->txn = h->n;
    h->count = 0;
}

/* Back to `at`, a transaction's start. */
static void hand_cut(hand *h, size_t at)
{
    h->n = h->txn = at;
    h->count = 0;
}

static void hand_frame(hand *h, char kind, const void *payload, uint32_t len)
{
    hand_put(h, &kind, 1);
    hand_put(h, &len, 4);
    hand_put(h, payload, len);
    h->count++;
}

static void hand_commit(hand *h)
{
    uint32_t crc = crc32_bitwise(h->b + h->txn, h->n - h->txn);
    uint32_t len = 12;
    hand_put(h, "C", 1);
    hand_put(h, &len, 4);
    hand_put(h, &h->count, 8);
    hand_put(h, &crc, 4);
    h->txn = h->n;
    h->count = 0;
}

/* 'V', has_id 1, number id 7, label "L", no props. */
static const uint8_t good_vertex[] = {1, 0, 7, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 'L', 0, 0, 0, 0};

Test(delta_log, hand_made_log_with_the_standard_crc)
{
    cr_assert_eq(crc32_bitwise((const uint8_t *)"123456789", 9), 0xCBF43926u);
    hand h;
    hand_start(&h);
    hand_frame(&h, 'V', good_vertex, sizeof good_vertex);
    hand_frame(&h, 'V', good_vertex, sizeof good_vertex);
    hand_commit(&h);
    write_file(h.b, h.n);
    char msg[SVC_MSG_MAX];
    char *dump = NULL;
    uint64_t n = 0;
    cr_assert_eq(replay(&dump, &n, 0, msg), 0, "%s", msg);
    cr_expect_eq(n, 2);
    cr_expect_str_eq(dump, "V 7 '4c' {}\nV 7 '4c' {}\n");
    free(dump);
}

/* A record that doesn't decode inside a transaction whose CRC matches is
 * corruption, not a torn tail. */
Test(delta_log, corrupt_record_with_matching_crc)
{
    static const struct {
        char kind;
        uint8_t payload[40];
        uint32_t len;
        const char *what;
    } bad[] = {
        {'V', {2}, 1, "has_id 2"},
        {'V', {1, 1, 0, 0, 0, 0}, 6, "empty string id"},
        {'V', {1, 0, 7, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 'L'}, 15, "label overruns"},
        {'V', {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 10, "bytes left over"},
        {'V', {0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 'k', 5, 0}, 16, "prop type 5"},
        {'V', {0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 'k', 4, 2}, 16, "bool 2"},
        {'V', {0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}, 9, "prop count overruns"},
        {'E', {0, 1, 0, 0, 0, 0, 0, 0, 0}, 9, "edge cut short"},
        {'V', {0}, 0, "empty payload"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hand h;
        hand_start(&h);
        hand_frame(&h, 'V', good_vertex, sizeof good_vertex);
        hand_commit(&h);
        hand_frame(&h, 'V', good_vertex, sizeof good_vertex);
        hand_frame(&h, bad[i].kind, bad[i].payload, bad[i].len);
        hand_commit(&h);
        write_file(h.b, h.n);
        char msg[SVC_MSG_MAX] = "", want[SVC_MSG_MAX];
        uint64_t n = 0;
        cr_expect_eq(replay(NULL, &n, 0, msg), -EIO, "%s", bad[i].what);
        snprintf(want, sizeof want, "%s: record 3 is corrupt", path);
        cr_expect_str_eq(msg, want, "%s", bad[i].what);
        cr_expect_eq(n, 2, "%s", bad[i].what);
    }
}

Test(delta_log, commit_frame_must_match)
{
    hand h;
    hand_start(&h);
    hand_frame(&h, 'V', good_vertex, sizeof good_vertex);
    hand_commit(&h);
    size_t end1 = h.n;
    hand_frame(&h, 'V', good_vertex, sizeof good_vertex);
    h.count = 2; /* a commit that claims one record too many */
    hand_commit(&h);
    write_file(h.b, h.n);
    cr_expect_eq(replay_count(), 1);

    /* A commit frame with a wrong length, and one with no records. */
    hand_cut(&h, end1);
    hand_put(&h, "C\x0d\0\0\0", 5);
    hand_put(&h, "\1\0\0\0\0\0\0\0\0\0\0\0\0", 13);
    write_file(h.b, h.n);
    cr_expect_eq(replay_count(), 1);
    hand_cut(&h, end1);
    hand_commit(&h);
    write_file(h.b, h.n);
    cr_expect_eq(replay_count(), 1);

    /* An unknown kind, and a record longer than the limit. */
    hand_cut(&h, end1);
    hand_put(&h, "X\0\0\0\0", 5);
    write_file(h.b, h.n);
    cr_expect_eq(replay_count(), 1);
    hand_cut(&h, end1);
    hand_put(&h, "V\0\0\0\x02", 5);
    write_file(h.b, h.n);
    cr_expect_eq(replay_count(), 1);
    char msg[SVC_MSG_MAX];
    svc_delta *d = NULL;
    cr_assert_eq(svc_delta_open(&d, path, msg), 0, "%s", msg);
    cr_expect_eq(svc_delta_bytes(d), end1);
    svc_delta_close(d);
}

/* ---- Errors ---- */

Test(delta_log, sink_refuses_record_k)
{
    uint64_t ends[2];
    write_txns(2, 3, ends, NULL);
    char msg[SVC_MSG_MAX] = "";
    uint64_t n = 0;
    cr_expect_eq(replay(NULL, &n, 5, msg), -EINVAL);
    cr_expect_str_eq(msg, "record 5: no vertex for you");
    cr_expect_eq(n, 5);
}

Test(delta_log, missing_and_short_files_are_empty)
{
    char msg[SVC_MSG_MAX];
    uint64_t n = 99;
    algo_record_sink sink = {got_vertex, got_edge, NULL};
    cr_expect_eq(svc_delta_replay(path, &sink, &n, msg), 0);
    cr_expect_eq(n, 0);
    cr_expect_eq(svc_delta_replay(path, &sink, NULL, msg), 0);

    write_file("HGCD", 4); /* cut while its header was written */
    cr_expect_eq(replay_count(), 0);
    svc_delta *d = NULL;
    cr_assert_eq(svc_delta_open(&d, path, msg), 0, "%s", msg);
    cr_expect_eq(svc_delta_bytes(d), 8);
    vertex(d, NULL, 1);
    cr_assert_eq(svc_delta_commit(d, msg), 0, "%s", msg);
    svc_delta_close(d);
    cr_expect_eq(replay_count(), 1);
}

Test(delta_log, wrong_header)
{
    char msg[SVC_MSG_MAX] = "";
    write_file("HGCDLT2\nC\0\0\0\0", 13);
    algo_record_sink sink = {got_vertex, got_edge, NULL};
    cr_expect_eq(svc_delta_replay(path, &sink, NULL, msg), -EINVAL);
    cr_expect(strstr(msg, path) != NULL, "%s", msg);
    svc_delta *d = (svc_delta *)1;
    msg[0] = '\0';
    cr_expect_eq(svc_delta_open(&d, path, msg), -EINVAL);
    cr_expect_eq(d, (svc_delta *)1);
    cr_expect(strstr(msg, path) != NULL, "%s", msg);
    cr_expect_eq(file_size(), 13); /* untouched */
}

Test(delta_log, open_in_missing_folder)
{
    char msg[SVC_MSG_MAX] = "", p[300];
    snprintf(p, sizeof p, "%s/no/such.delta", dir);
    svc_delta *d = NULL;
    cr_expect_eq(svc_delta_open(&d, p, msg), -ENOENT);
    cr_expect(strstr(msg, p) != NULL, "%s", msg);
}

Test(delta_log, bad_records_are_refused_and_the_transaction_goes_on)
{
    char msg[SVC_MSG_MAX];
    svc_delta *d = NULL;
    cr_assert_eq(svc_delta_open(&d, path, msg), 0, "%s", msg);
    vertex(d, NULL, 1);
    algo_vertex_rec v = {1, str_id("", 0), {NULL, 0}, NULL, 0};
    cr_expect_eq(svc_delta_append_vertex(d, &v, msg), -EINVAL);
    algo_edge_rec e = {num_id(1), str_id("x", 0), {NULL, 0}, {NULL, 0}, {NULL, 0}, NULL, 0};
    cr_expect_eq(svc_delta_append_edge(d, &e, msg), -EINVAL);
    algo_prop bad = {"k", 1, {(algo_prop_type)9, 0, 0, NULL, 0}};
    algo_vertex_rec v2 = {0, num_id(0), {NULL, 0}, &bad, 1};
    cr_expect_eq(svc_delta_append_vertex(d, &v2, msg), -EINVAL);
    algo_prop nokey = {NULL, 3, {ALGO_PROP_INT, 1, 0, NULL, 0}};
    v2.props = &nokey;
    cr_expect_eq(svc_delta_append_vertex(d, &v2, msg), -EINVAL);

    /* Over the 16 MiB ceiling of one record. */
    size_t big = (16u << 20) + 1;
    char *s = calloc(1, big);
    cr_assert_not_null(s);
    algo_vertex_rec v3 = {1, str_id(s, big), {NULL, 0}, NULL, 0};
    cr_expect_eq(svc_delta_append_vertex(d, &v3, msg), -EINVAL);
    free(s);

    vertex(d, NULL, 2);
    cr_assert_eq(svc_delta_commit(d, msg), 0, "%s", msg);
    svc_delta_close(d);
    cr_expect_eq(replay_count(), 2);
}

/* A commit whose load the catalog then refused is undone: the file is cut
 * back to where that commit began, once, and only right after it. */
Test(delta_log, undo_cuts_the_last_commit)
{
    char msg[SVC_MSG_MAX];
    str want = {0};
    svc_delta *d = NULL;
    str_add(&want, "", 0);
    cr_assert_eq(svc_delta_open(&d, path, msg), 0, "%s", msg);
    cr_expect_eq(svc_delta_undo(d, msg), -EINVAL, "nothing committed yet");
    vertex(d, &want, 1);
    cr_assert_eq(svc_delta_commit(d, msg), 0, "%s", msg);
    uint64_t end1 = svc_delta_bytes(d);
    vertex(d, NULL, 2);
    vertex(d, NULL, 3);
    cr_assert_eq(svc_delta_commit(d, msg), 0, "%s", msg);
    cr_expect_gt(svc_delta_bytes(d), end1);
    cr_assert_eq(svc_delta_undo(d, msg), 0, "%s", msg);
    cr_expect_eq(svc_delta_bytes(d), end1);
    cr_expect_eq(file_size(), end1);
    cr_expect_eq(svc_delta_undo(d, msg), -EINVAL, "only the last commit can be undone");
    vertex(d, NULL, 4);
    cr_expect_eq(svc_delta_undo(d, msg), -EINVAL, "not with a transaction open");
    cr_assert_eq(svc_delta_rollback(d, msg), 0, "%s", msg);
    vertex(d, &want, 5);
    cr_assert_eq(svc_delta_commit(d, msg), 0, "%s", msg);
    svc_delta_close(d);

    char *dump = NULL;
    uint64_t n = 0;
    cr_assert_eq(replay(&dump, &n, 0, msg), 0, "%s", msg);
    cr_expect_eq(n, 2);
    cr_expect_str_eq(dump, want.s);
    free(dump);
    free(want.s);
}
