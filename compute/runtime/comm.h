/* comm.h: what a kernel's processes say to each other.
 *
 * Today a worker is one process (rank 0 of 1) and these calls do nothing;
 * under MPI (`worker_instances` > 1) each process owns a contiguous range
 * of whole blocks (team.h's ALGO_BLOCK) and the same calls exchange
 * per-block partials, so that sums are still added in block order and the
 * answer is the same for any number of processes. Kernels call them at
 * the points where processes must agree, so the MPI version changes this
 * file, not the kernels.
 */
#ifndef ALGO_COMM_H
#define ALGO_COMM_H

#include <stddef.h>
#include <stdint.h>

typedef struct algo_comm {
    int rank; /* this process, 0..size-1 */
    int size; /* processes */
} algo_comm;

/* One process: rank 0 of 1. */
void algo_comm_init_single(algo_comm *c);

/* The blocks [*lo, *hi) of nb that this process owns. */
void algo_comm_own_blocks(const algo_comm *c, uint64_t nb, uint64_t *lo, uint64_t *hi);

/* Every process ends with the partials of all nb blocks in part[] (each
 * filled its own range): after this, algo_sum_blocks gives every process
 * the same sum. 0, or negative on a transport error. */
int algo_comm_gather_blocks(algo_comm *c, double *part, uint64_t nb);
int algo_comm_gather_blocks_u64(algo_comm *c, uint64_t *part, uint64_t nb);

/* Every process ends with the values of all n vertices in v[] (each filled
 * the vertices of its own blocks). */
int algo_comm_gather_vertices(algo_comm *c, void *v, size_t elem_size, uint64_t n);

#endif
