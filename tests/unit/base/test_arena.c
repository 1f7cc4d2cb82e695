/* Tests of base/arena.h: the caller's first block, alignment, growth,
 * the ceiling, release and reuse. ASan sees every block freed. */
#include <criterion/criterion.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"

Test(arena, first_block_then_heap)
{
    alignas(max_align_t) char first[1024];
    hgc_arena a;
    hgc_arena_init(&a, first, sizeof first, HGC_ARENA_NO_CEILING);
    char *p = hgc_arena_alloc(&a, 100);
    cr_assert(p >= first && p + 100 <= first + sizeof first, "the first block is used first");
    cr_assert_eq(a.heap, 0);
    char *q = hgc_arena_alloc(&a, 2000);
    cr_assert_not_null(q);
    cr_assert(q < first || q >= first + sizeof first, "too big for the first block");
    cr_assert_gt(a.heap, 0);
    memset(q, 1, 2000);
    hgc_arena_release(&a);
    cr_assert_eq(a.heap, 0);
    cr_assert_null(a.blocks);
    cr_assert_eq(hgc_arena_alloc(&a, 8), (void *)first, "after release the first block again");
    hgc_arena_release(&a);
}

Test(arena, aligned_and_growing_without_first_block)
{
    hgc_arena a;
    hgc_arena_init(&a, NULL, 0, HGC_ARENA_NO_CEILING);
    size_t total = 0;
    for (size_t i = 0; i < 3000; i++) {
        size_t n = i % 101 == 0 ? 50000 : i % 17;
        unsigned char *p = hgc_arena_alloc(&a, n);
        cr_assert_not_null(p);
        cr_assert_eq((uintptr_t)p % alignof(max_align_t), 0);
        memset(p, 0xab, n);
        total += n;
    }
    cr_assert_geq(a.heap, total);
    hgc_arena_release(&a);
    cr_assert_eq(a.heap, 0);
}

Test(arena, ceiling)
{
    hgc_arena a;
    hgc_arena_init(&a, NULL, 0, 100000);
    cr_assert_null(hgc_arena_alloc(&a, 100001), "past the ceiling");
    cr_assert_not_null(hgc_arena_alloc(&a, 60000));
    cr_assert_not_null(hgc_arena_alloc(&a, 30000), "the last block takes what is left");
    cr_assert_null(hgc_arena_alloc(&a, 50000));
    cr_assert_leq(a.heap, 100000);
    cr_assert_null(hgc_arena_alloc(&a, SIZE_MAX));
    hgc_arena_release(&a);
    cr_assert_not_null(hgc_arena_alloc(&a, 60000), "release gives the room back");
    hgc_arena_release(&a);
}

Test(arena, callbacks)
{
    hgc_arena a;
    hgc_arena_init(&a, NULL, 0, HGC_ARENA_NO_CEILING);
    void *p = hgc_arena_alloc_cb(&a, 24);
    cr_assert_not_null(p);
    hgc_arena_free_cb(&a, p); /* does nothing */
    cr_assert_neq(hgc_arena_alloc_cb(&a, 24), p);
    hgc_arena_release(&a);
}
