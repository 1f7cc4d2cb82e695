/* csr_check.c: the check of a mapped snapshot's adjacency (store_internal.h,
 * store_csr_check): offsets from 0 to m, never decreasing; every
 * neighbour < n; each list sorted (parallel edges repeat an index); and
 * whether every list is strictly ascending without its own vertex (the
 * `simple` flags, which let kernels borrow the lists).
 *
 * It reads every offset and every neighbour once, which on a fresh mapping
 * is also the first touch of every page of the lists: on a short job it
 * was most of the map (kron20, 31.4M edges stored once: the check alone
 * took about 0.1 s of a 0.13-0.16 s map). So each direction is cut into
 * CHECK_PARTS ranges of vertices with about the same number of edges, and
 * the parts run on up to as many threads as the machine has cores. A
 * list is checked without a branch per neighbour (the result of a whole
 * list is looked at once; a list found bad is walked again for the
 * message), which lets the compiler do several neighbours at a time.
 *
 * A corrupt offset array only moves where the parts meet (the cuts are
 * clamped to be ascending and to cover [0, n)); each part still checks
 * every offset it covers, so any corruption is found, and the message
 * names the first bad place in file order.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store_internal.h"

#define CHECK_PARTS 8 /* threads at most, and parts per direction */

typedef struct csr_part {
    const uint64_t *off;
    const uint32_t *adj;
    uint64_t n, m;
    uint64_t lo, hi; /* its vertices */
    const char *what;
    int rc, simple;
    char why[ALGO_MSG_MAX];
} csr_part;

/* The first bad neighbour of the list [b, e), into p->why. */
static void name_bad_edge(csr_part *p, uint64_t b, uint64_t e)
{
    uint32_t prev = 0;
    for (uint64_t i = b; i < e; i++) {
        uint32_t u = p->adj[i];
        if (u >= p->n || u < prev) {
            snprintf(p->why, ALGO_MSG_MAX, "corrupt file: %s edge %llu: neighbour %u %s", p->what,
                     (unsigned long long)i, u, u >= p->n ? "out of range" : "out of order");
            return;
        }
        prev = u;
    }
}

static void check_part(csr_part *p)
{
    const uint64_t *off = p->off;
    const uint32_t *adj = p->adj;
    const uint64_t m = p->m;
    const uint32_t n = (uint32_t)p->n; /* below 2^32 - 1 (the header's check) */
    unsigned plain = 1;
    p->rc = 0;
    /* every page of this part's lists is read below, and by the kernel */
    store_populate(off + p->lo, (p->hi - p->lo + 1) * sizeof *off);
    if (off[p->lo] <= off[p->hi] && off[p->hi] <= m)
        store_populate(adj + off[p->lo], (off[p->hi] - off[p->lo]) * sizeof *adj);
    for (uint64_t v = p->lo; v < p->hi; v++) {
        uint64_t b = off[v], e = off[v + 1];
        if (e < b || e > m) {
            snprintf(p->why, ALGO_MSG_MAX, "corrupt file: %s offset of vertex %llu out of range",
                     p->what, (unsigned long long)v + 1);
            p->rc = -1;
            return;
        }
        if (b == e)
            continue;
        /* bad: a neighbour out of range or below the one before it;
         * same: one equal to the one before it (a parallel edge) or to v */
        const uint32_t self = (uint32_t)v;
        const uint32_t *a = adj + b;
        const uint64_t len = e - b;
        unsigned bad = a[0] >= n, same = a[0] == self;
        for (uint64_t i = 1; i < len; i++) {
            uint32_t u = a[i], before = a[i - 1];
            bad |= (u >= n) | (u < before);
            same |= (u == before) | (u == self);
        }
        if (bad) {
            name_bad_edge(p, b, e);
            p->rc = -1;
            return;
        }
        plain &= !same;
    }
    p->simple = (int)plain;
}

static void *run_parts(void *arg)
{
    csr_part **parts = arg;
    for (csr_part **p = parts; *p; p++)
        check_part(*p);
    return NULL;
}

/* Cuts [0, n) into k ranges of about m / k edges each. */
static void cut(csr_part *parts, int k, const uint64_t *off, const uint32_t *adj, uint64_t n,
                uint64_t m, const char *what)
{
    uint64_t lo = 0;
    for (int j = 0; j < k; j++) {
        uint64_t hi =
            j + 1 == k ? n : store_first_at_least(off, n, m / (uint64_t)k * (uint64_t)(j + 1));
        if (hi < lo)
            hi = lo;
        parts[j] =
            (csr_part){.off = off, .adj = adj, .n = n, .m = m, .lo = lo, .hi = hi, .what = what};
        lo = hi;
    }
}

static int threads_to_use(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores < 1 ? 1 : cores > CHECK_PARTS ? CHECK_PARTS : (int)cores;
}

int store_csr_check(algo_graph *g, char why[ALGO_MSG_MAX])
{
    const int dirs = g->in_is_out ? 1 : 2;
    const uint64_t *offs[2] = {g->out_off, g->in_off};
    const uint32_t *adjs[2] = {g->out_dst, g->in_src};
    static const char *const what[2] = {"out-edge", "in-edge"};
    for (int d = 0; d < dirs; d++) {
        if (offs[d][0] != 0 || offs[d][g->n] != g->m) {
            snprintf(why, ALGO_MSG_MAX, "corrupt file: %s offsets do not span the edges", what[d]);
            return -1;
        }
    }
    /* small lists are checked on this thread alone */
    const int k = g->m < (1u << 20) ? 1 : threads_to_use();
    csr_part parts[2][CHECK_PARTS];
    for (int d = 0; d < dirs; d++)
        cut(parts[d], k, offs[d], adjs[d], g->n, g->m, what[d]);
    /* thread j checks part j of each direction; this thread takes j = 0 */
    csr_part *work[CHECK_PARTS][3];
    pthread_t th[CHECK_PARTS];
    int spawned[CHECK_PARTS] = {0};
    for (int j = 0; j < k; j++) {
        int at = 0;
        for (int d = 0; d < dirs; d++)
            work[j][at++] = &parts[d][j];
        work[j][at] = NULL;
        if (j > 0)
            spawned[j] = pthread_create(&th[j], NULL, run_parts, work[j]) == 0;
    }
    run_parts(work[0]);
    for (int j = 1; j < k; j++) {
        if (spawned[j])
            pthread_join(th[j], NULL);
        else
            run_parts(work[j]);
    }
    /* the first failure in file order: out-edges before in-edges, lower
     * vertices first */
    int simple[2] = {1, 1};
    for (int d = 0; d < dirs; d++) {
        for (int j = 0; j < k; j++) {
            if (parts[d][j].rc != 0) {
                memcpy(why, parts[d][j].why, ALGO_MSG_MAX);
                return -1;
            }
            simple[d] &= parts[d][j].simple;
        }
    }
    g->out_simple = simple[0];
    g->in_simple = g->in_is_out ? simple[0] : simple[1];
    return 0;
}
