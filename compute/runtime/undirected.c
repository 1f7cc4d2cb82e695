/* undirected.c: the undirected view (undirected.h).
 *
 * A first scan asks whether the two ranges of every vertex are one
 * strictly ascending list without the vertex: then that list is the
 * view's, borrowed (undirected.h). A snapshot that stores such lists once
 * (graph_file.h: in_is_out, out_simple) needs no scan. Otherwise every vertex's list is a
 * merge of the view's sorted ranges (its out- and in-lists; with BOTH the
 * out-ranges already hold both) that drops v itself and repeats. Pass one
 * counts per vertex, a serial prefix sum places the lists, pass two
 * writes them: no per-thread state, the same arrays for any team size. A
 * scan before them checks that every list is sorted (the snapshot's and
 * the heap views' are): then each vertex is a branch-free two-way merge;
 * otherwise a k-way merge per vertex, a list that is not sorted being
 * sorted in a copy made for that vertex alone.
 *
 * Cost: O(n + m) over the team (one streaming pass over the view's lists
 * when borrowed, none when the snapshot stores them once, four
 * otherwise); memory the CSR itself, or none.
 */
#include "undirected.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/big_alloc.h"
#include "sort_u32.h"

#define MAX_LISTS 4

typedef struct build {
    const algo_graph_view *v;
    algo_undirected *u;
    uint64_t *deg;          /* pass one: counts into off[v + 1] */
    uint32_t *nbr;          /* pass two: the lists, placed by deg (the offsets) */
    int write;              /* pass two */
    int failed;             /* a scratch copy could not be allocated */
    int unsorted;           /* some list of the view is not sorted */
    int unlike;             /* the two ranges are not one simple list twice */
    const algo_adj *two[2]; /* the view's two ranges, when it has two */
} build;

/* The sorted lists of x: up to MAX_LISTS (pointer, length) pairs; a list
 * that is not sorted is copied into *copy (one allocation for all) and
 * sorted there. Returns the number of lists, or -1 out of memory. */
static int lists_of(const algo_graph_view *v, uint64_t x, const uint32_t **ptr, uint64_t *len,
                    uint32_t **copy)
{
    int k = 0, unsorted = 0;
    uint64_t total = 0;
    /* two parts: BOTH, whose out-ranges already are out- and in-edges */
    int dirs = v->parts > 1 ? 1 : 2;
    for (int dir = 0; dir < dirs; dir++)
        for (int p = 0; p < v->parts; p++) {
            const algo_adj *a = dir ? &v->in[p] : &v->out[p];
            ptr[k] = a->nbr + a->off[x];
            len[k] = a->off[x + 1] - a->off[x];
            for (uint64_t i = 1; i < len[k] && !unsorted; i++)
                unsorted = ptr[k][i - 1] > ptr[k][i];
            total += len[k];
            k++;
        }
    *copy = NULL;
    if (!unsorted)
        return k;
    uint32_t *c = malloc((total ? total : 1) * sizeof *c);
    if (!c)
        return -1;
    uint64_t at = 0;
    for (int i = 0; i < k; i++) {
        memcpy(c + at, ptr[i], len[i] * sizeof *c);
        ptr[i] = c + at;
        at += len[i];
    }
    algo_sort_u32(c, total);
    ptr[0] = c;
    len[0] = total;
    *copy = c;
    return 1;
}

static void one_vertex(build *b, uint64_t x)
{
    const uint32_t *ptr[MAX_LISTS];
    uint64_t len[MAX_LISTS], pos[MAX_LISTS] = {0};
    uint32_t *copy;
    int k = lists_of(b->v, x, ptr, len, &copy);
    if (k < 0) {
        __atomic_store_n(&b->failed, 1, __ATOMIC_RELAXED);
        return;
    }
    uint32_t *dst = b->write ? b->nbr + b->deg[x] : NULL;
    uint64_t count = 0;
    int64_t last = -1;
    for (;;) {
        int best = -1;
        for (int i = 0; i < k; i++)
            if (pos[i] < len[i] && (best < 0 || ptr[i][pos[i]] < ptr[best][pos[best]]))
                best = i;
        if (best < 0)
            break;
        uint32_t y = ptr[best][pos[best]++];
        if (y == x || (int64_t)y == last)
            continue;
        last = y;
        if (dst)
            dst[count] = y;
        count++;
    }
    if (!b->write)
        b->deg[x + 1] = count;
    free(copy);
}

static void block(void *arg, uint64_t blk, uint64_t lo, uint64_t hi)
{
    (void)blk;
    build *b = arg;
    for (uint64_t x = lo; x < hi; x++)
        one_vertex(b, x);
}

/* The usual case: two sorted ranges (out and in; or BOTH's two out-ranges).
 * A two-way merge that moves both cursors without a branch on the
 * comparison and keeps each value once, x itself dropped. */
static uint64_t count_two(const uint32_t *a, const uint32_t *ae, const uint32_t *c,
                          const uint32_t *ce, uint32_t x)
{
    uint64_t count = 0;
    uint32_t last = x; /* x is never kept: as "the last kept" it drops itself */
    while (a < ae && c < ce) {
        uint32_t p = *a, q = *c, z = p < q ? p : q;
        a += p <= q;
        c += q <= p;
        count += z != last && z != x;
        last = z;
    }
    for (; a < ae; a++) {
        count += *a != last && *a != x;
        last = *a;
    }
    for (; c < ce; c++) {
        count += *c != last && *c != x;
        last = *c;
    }
    return count;
}

/* The same, writing: a dropped value is never written (a write past the
 * list's end would land in the next vertex's, maybe another member's). */
static void write_two(uint32_t *dst, const uint32_t *a, const uint32_t *ae, const uint32_t *c,
                      const uint32_t *ce, uint32_t x)
{
    uint32_t last = x;
    while (a < ae && c < ce) {
        uint32_t p = *a, q = *c, z = p < q ? p : q;
        a += p <= q;
        c += q <= p;
        if (z != last && z != x)
            *dst++ = z;
        last = z;
    }
    for (; a < ae; a++) {
        if (*a != last && *a != x)
            *dst++ = *a;
        last = *a;
    }
    for (; c < ce; c++) {
        if (*c != last && *c != x)
            *dst++ = *c;
        last = *c;
    }
}

static void block_two(void *arg, uint64_t blk, uint64_t lo, uint64_t hi)
{
    (void)blk;
    build *b = arg;
    const algo_adj *p = b->two[0], *q = b->two[1];
    for (uint64_t x = lo; x < hi; x++) {
        const uint32_t *a = p->nbr + p->off[x], *ae = p->nbr + p->off[x + 1];
        const uint32_t *c = q->nbr + q->off[x], *ce = q->nbr + q->off[x + 1];
        if (b->write)
            write_two(b->nbr + b->deg[x], a, ae, c, ce, (uint32_t)x);
        else
            b->deg[x + 1] = count_two(a, ae, c, ce, (uint32_t)x);
    }
}

/* Whether every list of the view's ranges is sorted: one flag for all. */
static void sorted_block(void *arg, uint64_t blk, uint64_t lo, uint64_t hi)
{
    (void)blk;
    build *b = arg;
    const algo_graph_view *v = b->v;
    int bad = 0;
    for (int dir = 0; dir < 2 && !bad; dir++)
        for (int p = 0; p < v->parts && !bad; p++) {
            const algo_adj *a = dir ? &v->in[p] : &v->out[p];
            for (uint64_t x = lo; x < hi && !bad; x++)
                for (uint64_t e = a->off[x] + 1; e < a->off[x + 1]; e++)
                    bad |= a->nbr[e - 1] > a->nbr[e];
        }
    if (bad)
        __atomic_store_n(&b->unsorted, 1, __ATOMIC_RELAXED);
}

/* Whether, for every vertex x, the two ranges hold one list: the same
 * neighbours, strictly ascending (so sorted, no repeat), without x. That
 * list is then x's undirected list as it is: the graph was loaded with
 * each edge in both directions and nothing to fold. One flag for all; a
 * block stops at once when another found a difference (so a graph that is
 * not so costs little here). */
static void same_block(void *arg, uint64_t blk, uint64_t lo, uint64_t hi)
{
    (void)blk;
    build *b = arg;
    const algo_adj *p = b->two[0], *q = b->two[1];
    for (uint64_t x = lo; x < hi; x++) {
        if ((x & 1023) == 0 && __atomic_load_n(&b->unlike, __ATOMIC_RELAXED))
            return;
        uint64_t len = p->off[x + 1] - p->off[x];
        const uint32_t *a = p->nbr + p->off[x], *c = q->nbr + q->off[x];
        int bad = q->off[x + 1] - q->off[x] != len || (len && memcmp(a, c, len * sizeof *a));
        for (uint64_t i = 0; i < len && !bad; i++)
            bad = a[i] == x || (i && a[i - 1] >= a[i]);
        if (bad) {
            __atomic_store_n(&b->unlike, 1, __ATOMIC_RELAXED);
            return;
        }
    }
}

void algo_undirected_release(algo_undirected *u)
{
    if (!u)
        return;
    if (!u->borrowed) {
        hgc_big_free((void *)u->off, u->n + 1, sizeof *u->off);
        hgc_big_free((void *)u->nbr, u->m, sizeof *u->nbr);
    }
    memset(u, 0, sizeof *u);
}

int algo_undirected_init(algo_undirected *u, const algo_graph_view *v, algo_team *team,
                         char msg[ALGO_MSG_MAX])
{
    memset(u, 0, sizeof *u);
    u->n = v->n;
    build b = {.v = v, .u = u};
    /* two ranges: out and in (parts 1), or BOTH's out-ranges (parts 2) */
    b.two[0] = &v->out[0];
    b.two[1] = v->parts > 1 ? &v->out[1] : &v->in[0];
    if (b.two[0]->off[0] == 0) {
        /* the snapshot's one list twice (graph_file.h: in_is_out), known
         * simple by the map's check: nothing to compare */
        int same =
            b.two[0]->off == b.two[1]->off && b.two[0]->nbr == b.two[1]->nbr && b.two[0]->simple;
        if (!same)
            algo_team_for(team, v->n, same_block, &b);
        if (same || !b.unlike) {
            /* No copy: the view's first range is the undirected CSR. */
            u->off = b.two[0]->off;
            u->nbr = b.two[0]->nbr;
            u->m = b.two[0]->off[v->n];
            u->borrowed = 1;
            return 0;
        }
    }
    algo_team_for(team, v->n, sorted_block, &b);
    /* Large and written at once: on 2 MiB pages (base/big_alloc.h). */
    uint64_t *off = hgc_big_calloc(v->n + 1, sizeof *off);
    if (!off)
        goto nomem;
    u->off = off;
    b.deg = off;
    algo_block_fn pass = b.unsorted ? block : block_two;
    algo_team_for(team, v->n, pass, &b);
    if (b.failed)
        goto nomem;
    for (uint64_t x = 0; x < v->n; x++)
        off[x + 1] += off[x];
    u->m = off[v->n];
    uint32_t *nbr = hgc_big_calloc(u->m, sizeof *nbr);
    if (!nbr)
        goto nomem;
    u->nbr = nbr;
    b.nbr = nbr;
    b.write = 1;
    algo_team_for(team, v->n, pass, &b);
    if (b.failed)
        goto nomem;
    return 0;
nomem:
    snprintf(msg, ALGO_MSG_MAX, "out of memory for the undirected view of %llu vertices",
             (unsigned long long)v->n);
    algo_undirected_release(u);
    return ALGO_ENOMEM;
}
