/* arena.h: a bump allocator over a chain of blocks, for the messages of
 * one request: many small allocations, freed at once. protobuf-c unpacks
 * a message with one malloc per string, array and sub-message; through an
 * arena the same unpack takes a few blocks.
 *
 * hgc_arena_init it with an optional first block (the caller's memory,
 * often on its stack) and a ceiling on the heap blocks, allocate, and
 * hgc_arena_release it where the request's memory is no longer used.
 * Heap blocks double in size (from 32 KiB), so n bytes cost O(log n)
 * mallocs. Allocations are aligned for any type.
 *
 * For protobuf-c: a ProtobufCAllocator of {hgc_arena_alloc_cb,
 * hgc_arena_free_cb, arena} (free does nothing; free_unpacked with it is
 * allowed). base/ has no dependencies, so the users build that struct.
 *
 * Not thread-safe: one arena, one thread.
 */
#ifndef HGC_BASE_ARENA_H
#define HGC_BASE_ARENA_H

#include <stddef.h>
#include <stdint.h>

#define HGC_ARENA_NO_CEILING SIZE_MAX

typedef struct hgc_arena_block hgc_arena_block;

typedef struct hgc_arena {
    char *cur, *end;         /* free space of the current block */
    hgc_arena_block *blocks; /* heap blocks, newest first */
    size_t heap, max;        /* bytes of heap blocks; the ceiling on them */
    char *first;             /* the caller's first block (may be NULL) */
    size_t first_size;
} hgc_arena;

/* first: first_size bytes of the caller's (or NULL, 0), used before any
 * heap block; it must outlive the arena. max: the ceiling on heap blocks
 * (past it allocations fail), or HGC_ARENA_NO_CEILING. */
void hgc_arena_init(hgc_arena *a, void *first, size_t first_size, size_t max);
/* Frees every heap block; the arena is as after init. */
void hgc_arena_release(hgc_arena *a);
/* n bytes aligned for any type, or NULL (ceiling, out of memory). */
void *hgc_arena_alloc(hgc_arena *a, size_t n);
/* The callbacks of a protobuf-c allocator (data: the hgc_arena). */
void *hgc_arena_alloc_cb(void *data, size_t n);
void hgc_arena_free_cb(void *data, void *p);

#endif
