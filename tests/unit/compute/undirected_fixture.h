/* undirected_fixture.h: the undirected view written out plainly, as an
 * adjacency matrix (self-loops dropped, parallel edges folded), for the
 * kcore, triangle and clustering tests on small graphs. */
#ifndef HGC_TEST_UNDIRECTED_FIXTURE_H
#define HGC_TEST_UNDIRECTED_FIXTURE_H

#include "kernel_fixture.h"

/* adj[u * n + v] = 1 when u != v and an edge joins them either way. */
static inline unsigned char *adjacency(const tgraph *t)
{
    uint64_t n = t->g.n;
    unsigned char *adj = calloc(n ? n * n : 1, 1);
    for (uint64_t u = 0; u < n; u++)
        for (uint64_t e = t->out_off[u]; e < t->out_off[u + 1]; e++) {
            uint64_t v = t->out_dst[e];
            if (u != v)
                adj[u * n + v] = adj[v * n + u] = 1;
        }
    return adj;
}

static inline uint64_t adj_degree(const unsigned char *adj, uint64_t n, uint64_t v)
{
    uint64_t d = 0;
    for (uint64_t u = 0; u < n; u++)
        d += adj[v * n + u];
    return d;
}

/* Triangles through each vertex, by every triple. */
static inline void brute_triangles(const unsigned char *adj, uint64_t n, int64_t *tri)
{
    memset(tri, 0, n * sizeof *tri);
    for (uint64_t a = 0; a < n; a++)
        for (uint64_t b = a + 1; b < n; b++) {
            if (!adj[a * n + b])
                continue;
            for (uint64_t c = b + 1; c < n; c++)
                if (adj[a * n + c] && adj[b * n + c]) {
                    tri[a]++;
                    tri[b]++;
                    tri[c]++;
                }
        }
}

#endif
