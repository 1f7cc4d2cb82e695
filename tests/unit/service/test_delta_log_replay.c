/* What a delta log file replays and reopens as, on real files in a
 * temporary folder: the tail of a writer that died mid-transaction or
 * before its commit frame, a file cut at every length, a flipped byte in
 * every transaction, hand-made logs (corrupt records under a matching
 * CRC, commit frames that don't match), a sink that refuses a record, and
 * missing, short and foreign files. Writing is in test_delta_log.c.
 * Hand-made logs use a bitwise CRC-32 written here (the zlib polynomial),
 * independent of the module's table. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "delta_log.h"
#include "delta_log_fixture.h"

TestSuite(delta_log, .init = setup, .fini = teardown);

/* ---- The file as bytes ---- */

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

/* ---- Uncommitted tails ---- */

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
