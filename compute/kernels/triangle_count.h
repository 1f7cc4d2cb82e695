/* triangle_count.h: triangles through each vertex of an undirected view,
 * shared by triangle-count and clustering-coefficient. */
#ifndef ALGO_TRIANGLE_COUNT_H
#define ALGO_TRIANGLE_COUNT_H

#include <stdint.h>

#include "kernel.h"
#include "undirected.h"

/* tri[v] = the number of triangles of u through v (tri has u->n entries,
 * overwritten), over the team, reporting progress per twentieth of the
 * vertices. 0, ALGO_ENOMEM with msg, or ALGO_ESTOPPED (tri then partial).
 * *total gets the number of triangles. */
int algo_triangles(int64_t *tri, uint64_t *total, const algo_undirected *u, algo_team *team,
                   algo_progress *progress, char msg[ALGO_MSG_MAX]);

/* How algo_triangles splits its work; the result is the same for any. */
typedef struct algo_triangles_tuning {
    /* Each member counts into its own array of 8 bytes per vertex while
     * those arrays take at most this much (or no more than the
     * orientation); beyond, one shared array takes atomic adds. */
    uint64_t local_max;
    /* The highest ranks (the largest degrees) whose adjacency among
     * themselves is kept as a bit matrix of hubs^2 bits (at most n). */
    uint64_t hubs;
    /* For a hub j, N+(i) ∩ N+(j) is taken 64 ranks a word (AVX-512, where
     * the CPU has it, with counts of the member's own) when the words
     * number at most 1/word_cost of the probes the shorter list takes:
     * 0 always, UINT64_MAX never. */
    uint64_t word_cost;
} algo_triangles_tuning;

#define ALGO_TRIANGLES_LOCAL_MAX ((uint64_t)256 << 20)
#define ALGO_TRIANGLES_HUBS      8192 /* an 8 MiB matrix */
#define ALGO_TRIANGLES_WORD_COST 8    /* kron20: 8 and 16 alike, 4 and 32 slower */

/* algo_triangles with the split given. */
int algo_triangles_with(int64_t *tri, uint64_t *total, const algo_undirected *u, algo_team *team,
                        algo_progress *progress, const algo_triangles_tuning *tuning,
                        char msg[ALGO_MSG_MAX]);

#endif
