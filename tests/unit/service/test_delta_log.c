/* The delta log's writer on real files in a temporary folder: round trips
 * of every field, transactions committed, reopened, rolled back (also
 * after they reached the file), closed without a commit, and undone, and
 * the records and paths it refuses. What a crashed, cut, damaged or
 * hand-made file replays as is in test_delta_log_replay.c. Records are
 * compared through a text dump made the same way for what went in and
 * what came out (delta_log_fixture.h). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delta_log.h"
#include "delta_log_fixture.h"

TestSuite(delta_log, .init = setup, .fini = teardown);

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

/* ---- Errors ---- */

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
