/* team.h: a fixed team of threads that kernels share, with loops over
 * fixed blocks of vertices and reductions summed in block order.
 *
 * Determinism is the point: a loop splits [0, n) into blocks of
 * ALGO_BLOCK vertices whatever the thread count, and a reduction keeps one
 * partial per block and adds the partials in block order. So a kernel that
 * computes each vertex's value from its inputs alone, and combines values
 * only through per-block partials, gives the same bits with 1, 2 or N
 * threads (and later N processes, which own whole blocks).
 *
 * The caller's thread is member 0; the others wait on a condition variable
 * between runs, so a parallel region costs one wake-up, not a thread start.
 * Regions don't nest. A team is used by one caller at a time.
 */
#ifndef ALGO_TEAM_H
#define ALGO_TEAM_H

#include <stddef.h>
#include <stdint.h>
#include "graph_file.h" /* ALGO_MSG_MAX */

/* Vertices per block. Fixed, so that sums don't depend on the thread count. */
#define ALGO_BLOCK 4096

/* Most threads a team has. */
#define ALGO_TEAM_MAX_THREADS 256

/* What each member writes often (its counters, the lengths of its
 * buffers) sits this far from the others' so that no two members share a
 * cache line: 128 bytes, as processors fetch lines in pairs. Side by side,
 * every write by one member took the line from the other (sssp's member
 * records, kcore's boxes of owed decrements). Give such a struct
 * __attribute__((aligned(ALGO_APART))) and allocate it with
 * algo_calloc_apart. */
#define ALGO_APART 128

/* n zeroed elements of `size` bytes (a multiple of ALGO_APART) on an
 * ALGO_APART boundary; free() frees it. NULL when out of memory. */
void *algo_calloc_apart(size_t n, size_t size);

typedef struct algo_team algo_team;

/* A team of `threads` (clamped to 1..ALGO_TEAM_MAX_THREADS): 0, or
 * negative with msg when a thread can't be started. */
int algo_team_new(algo_team **out, int threads, char msg[ALGO_MSG_MAX]);
void algo_team_free(algo_team *t);

int algo_team_size(const algo_team *t);

/* The number of blocks [0, n) splits into. */
static inline uint64_t algo_blocks(uint64_t n)
{
    return (n + ALGO_BLOCK - 1) / ALGO_BLOCK;
}

/* Runs fn(arg, tid) once on every member (tid 0 is the caller) and returns
 * when all have returned. Inside, members may meet at algo_team_barrier. */
typedef void (*algo_team_fn)(void *arg, int tid);
void algo_team_run(algo_team *t, algo_team_fn fn, void *arg);

/* Waits until every member reached it; only inside algo_team_run. */
void algo_team_barrier(algo_team *t);

/* Calls fn(arg, b, lo, hi) for every block b of [0, n), [lo, hi) its
 * vertices, spread over the members (blocks are handed out in order as
 * members free up, so skewed blocks don't stall a thread). Returns when all
 * blocks are done. Outside a run. */
typedef void (*algo_block_fn)(void *arg, uint64_t b, uint64_t lo, uint64_t hi);
void algo_team_for(algo_team *t, uint64_t n, algo_block_fn fn, void *arg);

/* The same, from inside algo_team_run: every member must call it with the
 * same n; it ends with a barrier. `cursor` is the loop's shared counter,
 * which must be 0 when the first member enters: reset it before a barrier
 * that precedes the loop. */
void algo_team_for_in_run(algo_team *t, uint64_t n, uint64_t *cursor, algo_block_fn fn, void *arg);

/* Sums of per-block partials, in block order. */
double algo_sum_blocks(const double *partial, uint64_t nb);
uint64_t algo_sum_blocks_u64(const uint64_t *partial, uint64_t nb);

#endif
