/* arena.h: memory for one request's reply messages: base/arena.h's arena
 * with an 8 KiB first block inside and the protobuf-c allocator over it.
 * protobuf-c unpacks a reply with one malloc per string, array and
 * sub-message (a list of 100 tasks: some 500) and frees them one by one;
 * through an arena the same unpack takes a few blocks, freed at once when
 * the request is done.
 *
 * Embed a rest_arena (on the stack of the function that owns the request's
 * call), rest_arena_init it, hand rest_arena_allocator() to protobuf-c,
 * rest_arena_release it at the one point where the request's messages are
 * no longer used. Messages unpacked into it are not freed one by one
 * (free_unpacked with the arena's allocator is allowed and does nothing).
 *
 * Not thread-safe: one arena, one thread.
 */
#ifndef REST_ARENA_H
#define REST_ARENA_H

#include <stddef.h>
#include <protobuf-c/protobuf-c.h>

#include "base/arena.h"

#define REST_ARENA_INLINE 8192 /* the first block, inside the struct */

typedef struct rest_arena {
    hgc_arena a;
    ProtobufCAllocator pb; /* what protobuf-c calls */
    _Alignas(16) char first[REST_ARENA_INLINE];
} rest_arena;

/* max: the ceiling on heap blocks (past it allocations fail, and so does
 * the unpack). */
static inline void rest_arena_init(rest_arena *a, size_t max)
{
    hgc_arena_init(&a->a, a->first, sizeof a->first, max);
    a->pb.alloc = hgc_arena_alloc_cb;
    a->pb.free = hgc_arena_free_cb;
    a->pb.allocator_data = &a->a;
}
/* Frees every block; the arena is as after init. */
static inline void rest_arena_release(rest_arena *a)
{
    hgc_arena_release(&a->a);
}
/* n bytes aligned for any type, or NULL (ceiling, OOM). */
static inline void *rest_arena_alloc(rest_arena *a, size_t n)
{
    return hgc_arena_alloc(&a->a, n);
}
/* The allocator protobuf-c takes (points into a: don't move a). */
static inline ProtobufCAllocator *rest_arena_allocator(rest_arena *a)
{
    return &a->pb;
}

#endif
