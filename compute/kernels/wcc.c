/* wcc.c: weakly connected components (docs/algorithms.md): every vertex
 * gets the smallest vertex of its component (vertices are numbered in id
 * order, so the smallest index is the smallest id).
 *
 * Afforest (Sutton, Ben-Nun, Barak, IPDPS 2018; GAPBS cc.cc is the speed
 * reference): a lock-free union-find whose links always point the larger
 * root at the smaller, so every root is its tree's smallest index and the
 * final labels are the partition's minima whatever the threads'
 * interleaving (deterministic). Phases, each one parallel block loop:
 *   1. link every vertex to its first effective out-neighbour, then its
 *      second ("neighbour rounds"), compressing after each;
 *   2. sample 1024 vertices (fixed seed) for the most frequent root c, the
 *      giant component if there is one;
 *   3. every vertex outside c links the rest of its out-neighbours and all
 *      its in-neighbours (in-lists are the transpose of the out-lists, so
 *      an edge from inside c to outside is still seen once);
 *   4. compress: comp[v] = root.
 * The effective graph is the view (input.* options); direction doesn't
 * matter to weak components but a limit does.
 *
 * Cost: O(n + m α) time; no memory beyond the output (the output array is
 * the union-find parent array) and the view.
 */
#include <stdio.h>
#include <string.h>

#include "kernel.h"

#define NEIGHBOUR_ROUNDS 2
#define SAMPLES          1024

typedef struct wcc_run {
    const algo_graph_view *v;
    uint32_t *comp;
    int round;  /* phase 1: which out-neighbour */
    uint32_t c; /* phase 3: the root skipped */
    int skip_c;
} wcc_run;

static inline uint32_t ld(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* GAPBS-style link: hook the larger root under the smaller. */
static void link(uint32_t *comp, uint32_t u, uint32_t w)
{
    uint32_t p1 = ld(&comp[u]), p2 = ld(&comp[w]);
    while (p1 != p2) {
        uint32_t high = p1 > p2 ? p1 : p2, low = p1 + p2 - high;
        uint32_t p_high = ld(&comp[high]);
        if (p_high == low)
            break;
        if (p_high == high && __atomic_compare_exchange_n(&comp[high], &p_high, low, 0,
                                                          __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            break;
        p1 = ld(&comp[ld(&comp[high])]);
        p2 = ld(&comp[low]);
    }
}

/* The r-th effective out-neighbour of x over the view's parts, or -1. */
static int64_t nth_out(const algo_graph_view *v, uint64_t x, uint64_t r)
{
    for (int p = 0; p < v->parts; p++) {
        uint64_t d = v->out[p].off[x + 1] - v->out[p].off[x];
        if (r < d)
            return v->out[p].nbr[v->out[p].off[x] + r];
        r -= d;
    }
    return -1;
}

static void round_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    wcc_run *run = arg;
    for (uint64_t x = lo; x < hi; x++) {
        int64_t y = nth_out(run->v, x, (uint64_t)run->round);
        if (y >= 0)
            link(run->comp, (uint32_t)x, (uint32_t)y);
    }
}

static void compress_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    uint32_t *comp = ((wcc_run *)arg)->comp;
    for (uint64_t x = lo; x < hi; x++) {
        uint32_t c = ld(&comp[x]);
        while (c != ld(&comp[c]))
            c = ld(&comp[c]);
        __atomic_store_n(&comp[x], c, __ATOMIC_RELAXED);
    }
}

static void rest_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    wcc_run *run = arg;
    const algo_graph_view *v = run->v;
    for (uint64_t x = lo; x < hi; x++) {
        if (run->skip_c && ld(&run->comp[x]) == run->c)
            continue;
        uint64_t skip = NEIGHBOUR_ROUNDS;
        for (int p = 0; p < v->parts; p++) {
            const algo_adj *a = &v->out[p];
            uint64_t s = a->off[x], e = a->off[x + 1];
            uint64_t d = e - s, k = skip < d ? skip : d;
            skip -= k;
            for (uint64_t i = s + k; i < e; i++)
                link(run->comp, (uint32_t)x, a->nbr[i]);
        }
        for (int p = 0; p < v->parts; p++) {
            const algo_adj *a = &v->in[p];
            for (uint64_t i = a->off[x]; i < a->off[x + 1]; i++)
                link(run->comp, (uint32_t)x, a->nbr[i]);
        }
    }
}

/* The most frequent root among SAMPLES vertices drawn with a fixed seed
 * (ties to the smaller root): a heuristic only, results don't depend on it. */
static uint32_t sample_root(const uint32_t *comp, uint64_t n)
{
    uint32_t seen[SAMPLES];
    uint64_t s = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < SAMPLES; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        seen[i] = comp[s % n];
    }
    uint32_t best = seen[0];
    int best_count = 0;
    for (int i = 0; i < SAMPLES; i++) {
        int count = 0;
        for (int j = 0; j < SAMPLES; j++)
            count += seen[j] == seen[i];
        if (count > best_count || (count == best_count && seen[i] < best)) {
            best = seen[i];
            best_count = count;
        }
    }
    return best;
}

int algo_kernel_wcc(algo_output *out, const algo_kernel_ctx *k, char msg[ALGO_MSG_MAX])
{
    const algo_graph_view *v = k->view;
    const uint64_t n = v->n, phases = NEIGHBOUR_ROUNDS + 2;
    uint64_t done = 0;
    wcc_run run = {.v = v, .comp = out->vtx};
    for (uint64_t x = 0; x < n; x++)
        run.comp[x] = (uint32_t)x;
    if (n == 0)
        return 0;

    for (run.round = 0; run.round < NEIGHBOUR_ROUNDS; run.round++) {
        algo_team_for(k->team, n, round_block, &run);
        algo_team_for(k->team, n, compress_block, &run);
        if (algo_progress_step(k->progress, ++done, phases, 0))
            goto stopped;
    }
    run.c = sample_root(run.comp, n);
    run.skip_c = 1;
    algo_team_for(k->team, n, rest_block, &run);
    if (algo_progress_step(k->progress, ++done, phases, 0))
        goto stopped;
    algo_team_for(k->team, n, compress_block, &run);
    algo_progress_step(k->progress, ++done, phases, 0);

    uint64_t components = 0;
    for (uint64_t x = 0; x < n; x++)
        components += run.comp[x] == x;
    algo_output_stat_int(out, "components", (int64_t)components);
    algo_output_stat_int(out, "threads", algo_team_size(k->team));
    if (v->m != k->graph->m)
        algo_output_stat_int(out, "effective_edges", (int64_t)v->m);
    return 0;
stopped:
    snprintf(msg, ALGO_MSG_MAX, "wcc: stopped after phase %llu of %llu", (unsigned long long)done,
             (unsigned long long)phases);
    return ALGO_ESTOPPED;
}
