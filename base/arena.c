/* arena.c: a bump allocator over a chain of blocks (see arena.h). Blocks
 * double in size, so a request of n bytes costs O(log n) mallocs, and a
 * request with a small reply none at all (the caller's first block).
 */
#include "base/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>

#define ALIGN     (alignof(max_align_t)) /* enough for every type */
#define BLOCK_MIN 32768                  /* the first heap block */

struct hgc_arena_block {
    hgc_arena_block *next;
    size_t size;
    /* the data follows, ALIGN-aligned */
};

#define HEADER (((sizeof(hgc_arena_block) + ALIGN - 1) / ALIGN) * ALIGN)

void hgc_arena_init(hgc_arena *a, void *first, size_t first_size, size_t max)
{
    /* The first block's start and end, rounded inwards to ALIGN. */
    uintptr_t lo = ((uintptr_t)first + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
    uintptr_t hi = first ? (uintptr_t)first + first_size : 0;
    a->first = first;
    a->first_size = first_size;
    if (first && hi > lo) {
        a->cur = (char *)lo;
        a->end = (char *)first + first_size;
    } else {
        a->cur = a->end = NULL;
    }
    a->blocks = NULL;
    a->heap = 0;
    a->max = max;
}

void hgc_arena_release(hgc_arena *a)
{
    hgc_arena_block *b = a->blocks;
    while (b) {
        hgc_arena_block *next = b->next;
        free(b);
        b = next;
    }
    hgc_arena_init(a, a->first, a->first_size, a->max);
}

void *hgc_arena_alloc(hgc_arena *a, size_t n)
{
    if (n > SIZE_MAX / 4)
        return NULL;
    n = n ? (n + ALIGN - 1) & ~(size_t)(ALIGN - 1) : ALIGN;
    if (!a->cur || (size_t)(a->end - a->cur) < n) {
        size_t room = a->max > a->heap ? a->max - a->heap : 0;
        if (n > room)
            return NULL;
        size_t size = !a->blocks                       ? BLOCK_MIN
                      : a->blocks->size > SIZE_MAX / 4 ? SIZE_MAX / 2
                                                       : a->blocks->size * 2;
        while (size < n)
            size *= 2;
        if (size > room)
            size = room; /* the last block: what the ceiling leaves */
        hgc_arena_block *b = malloc(HEADER + size);
        if (!b)
            return NULL;
        b->size = size;
        b->next = a->blocks;
        a->blocks = b;
        a->heap += size;
        a->cur = (char *)b + HEADER;
        a->end = a->cur + size;
    }
    void *p = a->cur;
    a->cur += n;
    return p;
}

void *hgc_arena_alloc_cb(void *data, size_t n)
{
    return hgc_arena_alloc(data, n);
}

void hgc_arena_free_cb(void *data, void *p)
{
    /* Everything goes at once, in hgc_arena_release. */
    (void)data;
    (void)p;
}
