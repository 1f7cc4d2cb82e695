/* triangle_count.c: the number of triangles through each vertex of the
 * undirected view (docs/algorithms.md; NetworkX `triangles`).
 *
 * Ordered intersection over a degree-ordered orientation (Schank and
 * Wagner 2005; GAPBS tc.cc is the speed reference): with x < y when
 * (degree, index) of x is smaller, every vertex keeps only its larger
 * neighbours N+(x), still sorted by index; each triangle is then found
 * exactly once, at its smallest vertex x, as a w in N+(x) ∩ N+(y) for a y
 * in N+(x), by merging the two sorted lists (or, when N+(y) is over 16
 * times longer, a binary search in it for each of N+(x)). Orienting towards the higher
 * degree keeps every N+ short (O(sqrt m)), so a hub's list is never
 * merged against every neighbour. The three vertices' counts are added
 * with atomic integer adds: sums of integers don't depend on the order, so
 * any team size gives the same counts.
 *
 * Cost: O(m^1.5) worst case, far less on real graphs; memory beyond the
 * output: the undirected view (8n + 4m' bytes) and the orientation
 * (8n + 2m' bytes).
 */
#include "triangle_count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHARES 20
#define GALLOP 16 /* binary searches instead of a merge past this length ratio */

typedef struct tc_run {
    const algo_undirected *u;
    uint64_t base; /* first vertex of the chunk the loop covers */
    uint64_t *off; /* orientation: n + 1 (first pass: counts) */
    uint32_t *nbr;
    int64_t *tri;
    uint64_t *per_block; /* triangles found per block of a chunk */
} tc_run;

static inline int before(const algo_undirected *u, uint32_t x, uint32_t y)
{
    uint64_t dx = algo_undirected_degree(u, x), dy = algo_undirected_degree(u, y);
    return dx < dy || (dx == dy && x < y);
}

static void count_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    tc_run *r = arg;
    const algo_undirected *u = r->u;
    for (uint64_t x = lo; x < hi; x++) {
        uint64_t c = 0;
        for (uint64_t e = u->off[x]; e < u->off[x + 1]; e++)
            c += before(u, (uint32_t)x, u->nbr[e]);
        r->off[x + 1] = c;
    }
}

static void orient_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    tc_run *r = arg;
    const algo_undirected *u = r->u;
    for (uint64_t x = lo; x < hi; x++) {
        uint32_t *dst = r->nbr + r->off[x];
        for (uint64_t e = u->off[x]; e < u->off[x + 1]; e++)
            if (before(u, (uint32_t)x, u->nbr[e]))
                *dst++ = u->nbr[e];
    }
}

/* Every w in both sorted lists gets a triangle; returns how many. */
static int64_t merge(int64_t *tri, const uint32_t *a, const uint32_t *ae, const uint32_t *c,
                     const uint32_t *ce)
{
    int64_t found = 0;
    while (a < ae && c < ce) {
        if (*a < *c) {
            a++;
        } else if (*a > *c) {
            c++;
        } else {
            __atomic_fetch_add(&tri[*a], 1, __ATOMIC_RELAXED);
            found++;
            a++;
            c++;
        }
    }
    return found;
}

/* The same when [c, ce) is far longer: a binary search for each of [a, ae),
 * each starting where the last one ended. */
static int64_t search_each(int64_t *tri, const uint32_t *a, const uint32_t *ae, const uint32_t *c,
                           const uint32_t *ce)
{
    int64_t found = 0;
    for (; a < ae && c < ce; a++) {
        const uint32_t *lo = c, *hi = ce;
        while (lo < hi) {
            const uint32_t *mid = lo + (hi - lo) / 2;
            if (*mid < *a)
                lo = mid + 1;
            else
                hi = mid;
        }
        c = lo;
        if (c < ce && *c == *a) {
            __atomic_fetch_add(&tri[*a], 1, __ATOMIC_RELAXED);
            found++;
            c++;
        }
    }
    return found;
}

static void triangle_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    tc_run *r = arg;
    const uint64_t *off = r->off;
    const uint32_t *nbr = r->nbr;
    int64_t *tri = r->tri;
    uint64_t found = 0;
    for (uint64_t x = lo + r->base; x < hi + r->base; x++) {
        int64_t at_x = 0;
        const uint32_t *xs = nbr + off[x], *xe = nbr + off[x + 1];
        for (const uint32_t *py = xs; py < xe; py++) {
            uint32_t y = *py;
            const uint32_t *c = nbr + off[y], *ce = nbr + off[y + 1];
            int64_t at_y = (uint64_t)(ce - c) > GALLOP * (uint64_t)(xe - xs)
                               ? search_each(tri, xs, xe, c, ce)
                               : merge(tri, xs, xe, c, ce);
            if (at_y)
                __atomic_fetch_add(&tri[y], at_y, __ATOMIC_RELAXED);
            at_x += at_y;
        }
        if (at_x)
            __atomic_fetch_add(&tri[x], at_x, __ATOMIC_RELAXED);
        found += (uint64_t)at_x;
    }
    r->per_block[b] = found;
}

int algo_triangles(int64_t *tri, uint64_t *total, const algo_undirected *u, algo_team *team,
                   algo_progress *progress, char msg[ALGO_MSG_MAX])
{
    const uint64_t n = u->n;
    int rc = ALGO_ENOMEM;
    tc_run r = {.u = u, .tri = tri};
    *total = 0;
    if (n == 0)
        return 0;
    memset(tri, 0, n * sizeof *tri);
    const uint64_t nb = algo_blocks(n);
    const uint64_t chunk = (nb / SHARES ? nb / SHARES : 1) * ALGO_BLOCK;
    r.off = calloc(n + 1, sizeof *r.off);
    r.per_block = calloc(chunk / ALGO_BLOCK, sizeof *r.per_block);
    if (!r.off || !r.per_block)
        goto done;
    algo_team_for(team, n, count_block, &r);
    for (uint64_t x = 0; x < n; x++)
        r.off[x + 1] += r.off[x];
    r.nbr = malloc((r.off[n] ? r.off[n] : 1) * sizeof *r.nbr);
    if (!r.nbr)
        goto done;
    algo_team_for(team, n, orient_block, &r);

    for (r.base = 0; r.base < n; r.base += chunk) {
        uint64_t len = n - r.base < chunk ? n - r.base : chunk;
        algo_team_for(team, len, triangle_block, &r);
        *total += algo_sum_blocks_u64(r.per_block, algo_blocks(len));
        if (algo_progress_step(progress, r.base + len, n, 0)) {
            rc = ALGO_ESTOPPED;
            snprintf(msg, ALGO_MSG_MAX, "stopped after %llu of %llu vertices",
                     (unsigned long long)(r.base + len), (unsigned long long)n);
            goto out;
        }
    }
    rc = 0;
    goto out;
done:
    snprintf(msg, ALGO_MSG_MAX, "out of memory for the triangles of %llu vertices",
             (unsigned long long)n);
out:
    free(r.off);
    free(r.nbr);
    free(r.per_block);
    return rc;
}

int algo_kernel_triangle_count(algo_output *out, const algo_kernel_ctx *k, char msg[ALGO_MSG_MAX])
{
    algo_undirected u;
    uint64_t total = 0;
    char why[ALGO_MSG_MAX] = "";
    int rc = algo_undirected_init(&u, k->view, k->team, msg);
    if (rc != 0)
        return rc;
    rc = algo_triangles(out->i64, &total, &u, k->team, k->progress, why);
    if (rc != 0) {
        snprintf(msg, ALGO_MSG_MAX, "triangle-count: %s", why);
        goto done;
    }
    algo_output_stat_int(out, "triangles", (int64_t)total);
    algo_output_stat_int(out, "undirected_edges", (int64_t)(u.m / 2));
    algo_output_stat_int(out, "threads", algo_team_size(k->team));
done:
    algo_undirected_release(&u);
    return rc;
}
