/* arena.c: a bump allocator over a chain of blocks (see arena.h). Blocks
 * double in size, so a reply of n bytes costs O(log n) mallocs, and a
 * request with a small reply none at all (the first block is inline).
 */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>

#define ALIGN     16    /* enough for every protobuf-c member */
#define BLOCK_MIN 32768 /* the first heap block */

struct rest_arena_block {
    rest_arena_block *next;
    size_t size;
    /* the data follows, ALIGN-aligned */
};

#define HEADER (((sizeof(rest_arena_block) + ALIGN - 1) / ALIGN) * ALIGN)

static void *pb_alloc(void *data, size_t n)
{
    return rest_arena_alloc(data, n);
}

static void pb_free(void *data, void *p)
{
    /* Everything goes at once, in rest_arena_release. */
    (void)data;
    (void)p;
}

void rest_arena_init(rest_arena *a, size_t max)
{
    a->pb.alloc = pb_alloc;
    a->pb.free = pb_free;
    a->pb.allocator_data = a;
    a->cur = a->first;
    a->end = a->first + sizeof a->first;
    a->blocks = NULL;
    a->heap = 0;
    a->max = max;
}

void rest_arena_release(rest_arena *a)
{
    rest_arena_block *b = a->blocks;
    while (b) {
        rest_arena_block *next = b->next;
        free(b);
        b = next;
    }
    rest_arena_init(a, a->max);
}

void *rest_arena_alloc(rest_arena *a, size_t n)
{
    if (n > SIZE_MAX / 2)
        return NULL;
    n = n ? (n + ALIGN - 1) & ~(size_t)(ALIGN - 1) : ALIGN;
    if ((size_t)(a->end - a->cur) < n) {
        size_t room = a->max > a->heap ? a->max - a->heap : 0;
        if (n > room)
            return NULL;
        size_t size = a->blocks ? a->blocks->size * 2 : BLOCK_MIN;
        while (size < n)
            size *= 2;
        if (size > room)
            size = room; /* the last block: what the ceiling leaves */
        rest_arena_block *b = malloc(HEADER + size);
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
