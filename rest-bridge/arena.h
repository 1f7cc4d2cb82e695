/* arena.h: memory for one request's reply messages. protobuf-c unpacks a
 * reply with one malloc per string, array and sub-message (a list of 100
 * tasks: some 500) and frees them one by one; through an arena the same
 * unpack takes a few blocks, freed at once when the request is done.
 *
 * Embed a rest_arena (on the stack of the function that owns the request's
 * call: it has a small first block inside), rest_arena_init it, hand
 * rest_arena_allocator() to protobuf-c, rest_arena_release it at the one
 * point where the request's messages are no longer used. Messages
 * unpacked into it are not freed one by one (free_unpacked with the arena's
 * allocator is allowed and does nothing).
 *
 * Not thread-safe: one arena, one thread.
 */
#ifndef REST_ARENA_H
#define REST_ARENA_H

#include <stddef.h>
#include <protobuf-c/protobuf-c.h>

#define REST_ARENA_INLINE 8192 /* the first block, inside the struct */

typedef struct rest_arena_block rest_arena_block;

typedef struct rest_arena {
    ProtobufCAllocator pb;    /* what protobuf-c calls */
    char *cur, *end;          /* free space of the current block */
    rest_arena_block *blocks; /* heap blocks, newest first */
    size_t heap, max;         /* bytes of heap blocks; the ceiling on them */
    _Alignas(16) char first[REST_ARENA_INLINE];
} rest_arena;

/* max: the ceiling on heap blocks (past it allocations fail, and so does
 * the unpack). */
void rest_arena_init(rest_arena *a, size_t max);
/* Frees every block; the arena is as after init. */
void rest_arena_release(rest_arena *a);
/* n bytes aligned for any type, or NULL (ceiling, OOM). */
void *rest_arena_alloc(rest_arena *a, size_t n);
/* The allocator protobuf-c takes (points into a: don't move a). */
static inline ProtobufCAllocator *rest_arena_allocator(rest_arena *a)
{
    return &a->pb;
}

#endif
