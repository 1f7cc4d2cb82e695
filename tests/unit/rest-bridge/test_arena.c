/* Tests of the request arena (rest-bridge/arena.h over base/arena.h): alignment, growth
 * past the inline block, the ceiling, release and reuse, and a reply
 * unpacked into it printing the same text as one unpacked with malloc.
 * ASan sees every block freed by release.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "hgc/v1/jobs.pb-c.h"
#include "json_pb.h"

Test(arena, aligned_growing_and_reusable)
{
    rest_arena a;
    rest_arena_init(&a, (size_t)16 << 20);
    for (int round = 0; round < 2; round++) {
        size_t total = 0;
        for (size_t i = 0; i < 5000; i++) {
            size_t n = i % 97 == 0 ? 70000 : i % 13;
            unsigned char *p = rest_arena_alloc(&a, n);
            cr_assert_not_null(p, "allocation %zu of %zu bytes", i, n);
            cr_assert_eq((uintptr_t)p % 16, 0);
            memset(p, 0xab, n); /* ASan: every byte is ours */
            total += n;
        }
        cr_assert_gt(a.a.heap, REST_ARENA_INLINE);
        cr_assert_geq(a.a.heap + REST_ARENA_INLINE, total);
        rest_arena_release(&a);
        cr_assert_eq(a.a.heap, 0);
        cr_assert_null(a.a.blocks);
    }
}

Test(arena, ceiling)
{
    rest_arena a;
    rest_arena_init(&a, 100000);
    cr_assert_not_null(rest_arena_alloc(&a, 1000)); /* inline */
    cr_assert_null(rest_arena_alloc(&a, 100001), "past the ceiling");
    cr_assert_not_null(rest_arena_alloc(&a, 60000));
    cr_assert_not_null(rest_arena_alloc(&a, 30000), "the last block takes what is left");
    cr_assert_null(rest_arena_alloc(&a, 50000));
    cr_assert_leq(a.a.heap, 100000);
    cr_assert_null(rest_arena_alloc(&a, SIZE_MAX));
    rest_arena_release(&a);
}

Test(arena, reply_unpacked_into_it_prints_the_same)
{
    enum { N = 100 };
    Hgc__V1__TaskSummary sums[N];
    Hgc__V1__TaskSummary *ptrs[N];
    for (int i = 0; i < N; i++) {
        hgc__v1__task_summary__init(&sums[i]);
        sums[i].id = i;
        sums[i].task_type = (char *)"computer-proxy";
        sums[i].task_name = (char *)"computer-proxy:page-rank";
        sums[i].task_status = (char *)"success";
        sums[i].task_server = (char *)"server-1";
        ptrs[i] = &sums[i];
    }
    Hgc__V1__ListJobsResponse r = HGC__V1__LIST_JOBS_RESPONSE__INIT;
    r.n_tasks = N;
    r.tasks = ptrs;
    size_t n = protobuf_c_message_get_packed_size(&r.base);
    uint8_t *buf = malloc(n);
    protobuf_c_message_pack(&r.base, buf);

    rest_arena a;
    rest_arena_init(&a, (size_t)1 << 30);
    ProtobufCMessage *in_arena = protobuf_c_message_unpack(&hgc__v1__list_jobs_response__descriptor,
                                                           rest_arena_allocator(&a), n, buf);
    ProtobufCMessage *in_heap =
        protobuf_c_message_unpack(&hgc__v1__list_jobs_response__descriptor, NULL, n, buf);
    cr_assert_not_null(in_arena);
    cr_assert_not_null(in_heap);
    rest_buf x, y;
    rest_buf_init(&x, SIZE_MAX);
    rest_buf_init(&y, SIZE_MAX);
    cr_assert_eq(rest_pb_to_json_text(&x, in_arena), 0);
    cr_assert_eq(rest_pb_to_json_text(&y, in_heap), 0);
    cr_assert_str_eq(x.data, y.data);
    /* free_unpacked through the arena's allocator is allowed (a no-op). */
    protobuf_c_message_free_unpacked(in_arena, rest_arena_allocator(&a));
    protobuf_c_message_free_unpacked(in_heap, NULL);
    rest_arena_release(&a);

    /* A ceiling below the reply's size: the unpack fails cleanly. */
    rest_arena_init(&a, 1000);
    cr_assert_null(protobuf_c_message_unpack(&hgc__v1__list_jobs_response__descriptor,
                                             rest_arena_allocator(&a), n, buf));
    rest_arena_release(&a);
    rest_buf_release(&x);
    rest_buf_release(&y);
    free(buf);
}
