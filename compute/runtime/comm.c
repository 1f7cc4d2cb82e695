/* comm.c: comm.h for one process: every block is ours, so there is
 * nothing to exchange. */
#include "comm.h"

void algo_comm_init_single(algo_comm *c)
{
    c->rank = 0;
    c->size = 1;
}

void algo_comm_own_blocks(const algo_comm *c, uint64_t nb, uint64_t *lo, uint64_t *hi)
{
    /* contiguous shares of whole blocks, in rank order */
    *lo = nb * (uint64_t)c->rank / (uint64_t)c->size;
    *hi = nb * (uint64_t)(c->rank + 1) / (uint64_t)c->size;
}

int algo_comm_gather_blocks(algo_comm *c, double *part, uint64_t nb)
{
    (void)part;
    (void)nb;
    return c->size == 1 ? 0 : -1;
}

int algo_comm_gather_blocks_u64(algo_comm *c, uint64_t *part, uint64_t nb)
{
    (void)part;
    (void)nb;
    return c->size == 1 ? 0 : -1;
}

int algo_comm_gather_vertices(algo_comm *c, void *v, size_t elem_size, uint64_t n)
{
    (void)v;
    (void)elem_size;
    (void)n;
    return c->size == 1 ? 0 : -1;
}
