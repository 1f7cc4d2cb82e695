/* triangle_count.c: the number of triangles through each vertex of the
 * undirected view (docs/algorithms.md; NetworkX `triangles`).
 *
 * Intersections over a degree-ordered orientation (Schank and Wagner
 * 2005; GAPBS tc.cc is the speed reference). Vertices are renamed by
 * rank, (degree, index) ascending, and each keeps only its higher-ranked
 * neighbours N+(i), sorted: each triangle is then found exactly once, at
 * its lowest rank i, as a w in N+(i) ∩ N+(j) for a j in N+(i). N+(i) is
 * marked in a bitmap of n bits (the member's own, 16 KiB per 128k
 * vertices: it stays in cache) and each w of N+(j) up to N+(i)'s largest
 * probes it: one load per w instead of a merge's walk of both lists (on
 * the 2^20-vertex Kronecker graph, half the time of the branch-free merge
 * it replaces). Orienting towards the higher degree keeps every N+ short
 * (O(sqrt m)); working in ranks puts the hubs, which most lists name,
 * together at the top of the arrays. There, most of the probing is done:
 * on that graph 83% of the probes scan the N+(j) of a j among the 8192
 * highest ranks, the hubs, and every w of such an N+(j) is a hub too. So
 * the hubs' adjacency among themselves is also kept as a bit matrix, and
 * for a hub j the shorter side does the probing: N+(i)'s members after j
 * each test j's row (they are all hubs) when they are fewer than N+(j)'s
 * (4.17G probes -> 1.5G on that graph). Where the CPU has AVX-512 and the
 * words of 64 ranks between j and N+(i)'s largest number at most an
 * eighth of those probes, the intersection is taken a word at a time
 * instead: N+(i)'s bitmap ANDed with j's row, each word's hits added to
 * its 64 counts under the word as a mask (and_row; clustering-coefficient
 * on that graph, 2 threads, medians of 5 interleaved runs: 2.40 -> 2.13 s).
 * Each member adds its finds into its own count array by rank (plain
 * adds), and the arrays are added at the end; when those arrays would
 * take more than 256 MiB and more than the orientation, one shared array
 * takes atomic adds instead (and probes only). Sums of integers don't
 * depend on the order: any team size gives the same counts.
 *
 * Cost: O(sum over oriented edges (i, j) of |N+(j)|), O(m^1.5) at worst,
 * far less on real graphs; memory beyond the output: the undirected view
 * (8n + 4m' bytes; none when borrowed, undirected.h), the ranks (8n
 * bytes), the orientation (8n + 2m' bytes), the counts (8n bytes per
 * member, or 8n), n/8 bytes of bitmap per member and the hub matrix
 * (min(n, 8192)^2 / 8 bytes: 8 MiB at most).
 */
#include "triangle_count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define TC_WIDE 1
#else
#define TC_WIDE 0
#endif

#include "base/big_alloc.h"
#include "sort_u32.h"

#define SHARES 20

typedef struct tc_run {
    const algo_undirected *u;
    uint32_t *order; /* rank -> vertex: by (degree, index) ascending */
    uint32_t *rank;  /* vertex -> rank */
    uint64_t *off;   /* orientation by rank: n + 1 (first pass: counts) */
    uint32_t *nbr;   /* N+(i): the higher ranks among i's neighbours, ascending */
    uint64_t base;   /* first rank of the chunk the loop covers */
    uint64_t **cnt;  /* per member counts by rank; all the same array if shared */
    uint64_t **bits; /* per member: a bit per rank */
    uint64_t *hub;   /* the hub matrix: a row of hub_words words per hub */
    uint64_t hub_words;
    uint32_t hub0;      /* the first hub's rank (n: none) */
    uint32_t hub_base;  /* hub0 rounded down to a word: bit w - hub_base of a row is rank w */
    int wide;           /* the CPU has AVX-512: and_row may be used */
    uint64_t word_cost; /* the tuning's, at most 2^32 */
    int shared;         /* cnt[0] is shared: atomic adds */
    int members;
    algo_team *team;
    uint64_t len, cursor; /* the chunk's length, its loop's counter */
    uint64_t *per_block;  /* triangles found per block of a chunk */
    int64_t *tri;         /* the result, by vertex */
} tc_run;

typedef struct tc_member {
    tc_run *r;
    uint64_t *cnt;
    uint64_t *bits; /* n bits: N+(i) marked */
} tc_member;

static void count_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    tc_run *r = arg;
    const algo_undirected *u = r->u;
    for (uint64_t i = lo; i < hi; i++) {
        uint32_t x = r->order[i];
        uint64_t c = 0;
        for (uint64_t e = u->off[x]; e < u->off[x + 1]; e++)
            c += r->rank[u->nbr[e]] > i;
        r->off[i + 1] = c;
    }
}

static void orient_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    tc_run *r = arg;
    const algo_undirected *u = r->u;
    for (uint64_t i = lo; i < hi; i++) {
        uint32_t x = r->order[i], *list = r->nbr + r->off[i], len = 0;
        for (uint64_t e = u->off[x]; e < u->off[x + 1]; e++) {
            uint32_t j = r->rank[u->nbr[e]];
            if (j > i)
                list[len++] = j;
        }
        algo_sort_u32(list, len);
    }
}

static inline void add(uint64_t *cnt, uint32_t i, uint64_t k, int shared)
{
    if (shared)
        __atomic_fetch_add(&cnt[i], k, __ATOMIC_RELAXED);
    else
        cnt[i] += k;
}

/* Add the triangles closed by the members of [c, ce) up to top whose bit
 * (less base) is set in bits: to their counts, and their number returned.
 * With counts of its own a member adds each probe's 0 or 1 without a
 * branch (hits are frequent and unpredictable); shared counts take an
 * atomic add per hit. */
static inline uint64_t probe(const uint32_t *c, const uint32_t *ce, uint32_t top,
                             const uint64_t *bits, uint32_t base, uint64_t *cnt, int shared)
{
    uint64_t hits = 0;
    if (!shared) {
        for (; c < ce && *c <= top; c++) {
            uint32_t w = *c - base;
            uint64_t hit = bits[w >> 6] >> (w & 63) & 1;
            cnt[*c] += hit;
            hits += hit;
        }
    } else {
        for (; c < ce && *c <= top; c++) {
            uint32_t w = *c - base;
            if (bits[w >> 6] >> (w & 63) & 1) {
                add(cnt, *c, 1, shared);
                hits++;
            }
        }
    }
    return hits;
}

/* For a hub j: the w of N+(i) ∩ N+(j) over (j, top], found a word of 64
 * ranks at a time (the member's bitmap of N+(i) ANDed with j's row, which
 * holds N+(j) only, all above j), and each word's hits added to its 64
 * counts at once, 8 at a time under the word's bits as a mask: no branch
 * per hit. Only for counts of the member's own (it rewrites all 64 of a
 * word with any hit), whose arrays hold whole words. */
#if TC_WIDE
__attribute__((target("avx512f,popcnt"))) static uint64_t and_row(const uint64_t *bits,
                                                                  const uint64_t *row,
                                                                  uint32_t base, uint32_t j,
                                                                  uint32_t top, uint64_t *cnt)
{
    const __m512i one = _mm512_set1_epi64(1);
    const uint32_t first = base >> 6;
    uint64_t hits = 0;
    for (uint32_t k = (j + 1) >> 6; k <= top >> 6; k++) {
        uint64_t x = bits[k] & row[k - first];
        if (!x)
            continue;
        hits += (uint64_t)__builtin_popcountll(x);
        uint64_t *c = cnt + ((uint64_t)k << 6);
        for (int q = 0; q < 8; q++) {
            __m512i v = _mm512_loadu_si512(c + 8 * q);
            v = _mm512_mask_add_epi64(v, (__mmask8)(x >> (8 * q)), v, one);
            _mm512_storeu_si512(c + 8 * q, v);
        }
    }
    return hits;
}
#else
static uint64_t and_row(const uint64_t *bits, const uint64_t *row, uint32_t base, uint32_t j,
                        uint32_t top, uint64_t *cnt)
{
    (void)bits, (void)row, (void)base, (void)j, (void)top, (void)cnt;
    abort(); /* wide is never set here */
}
#endif

/* Triangles at every rank i of the block: N+(i) marked in the member's
 * bitmap, then for each j of N+(i) the w of N+(i) ∩ N+(j): by the members
 * of N+(j) up to N+(i)'s largest probing the bitmap, or, for a hub j with
 * a longer N+(j) than what follows j in N+(i), by those that follow
 * probing j's row of the hub matrix. */
static void triangle_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    tc_member *m = arg;
    tc_run *r = m->r;
    const uint64_t *off = r->off;
    const uint32_t *nbr = r->nbr;
    uint64_t *cnt = m->cnt, *bits = m->bits, found = 0;
    const int shared = r->shared, wide = r->wide && !shared;
    const uint32_t hub0 = r->hub0;
    for (uint64_t i = lo + r->base; i < hi + r->base; i++) {
        const uint32_t *xs = nbr + off[i], *xe = nbr + off[i + 1];
        if (xe - xs < 2)
            continue;
        for (const uint32_t *p = xs; p < xe; p++)
            bits[*p >> 6] |= (uint64_t)1 << (*p & 63);
        const uint32_t top = xe[-1];
        uint64_t at_i = 0;
        for (const uint32_t *pj = xs; pj < xe - 1; pj++) {
            uint32_t j = *pj;
            /* the next lists start anywhere: ask for them ahead */
            if (pj + 4 < xe)
                __builtin_prefetch(&off[pj[4]]);
            if (pj + 2 < xe)
                __builtin_prefetch(nbr + off[pj[2]]);
            /* and the next hub's row where its probes will start (kron20, 2
             * threads, clustering-coefficient: medians 2.14 -> 1.98 s) */
            if (pj + 2 < xe && pj[1] >= hub0)
                __builtin_prefetch(r->hub + (pj[1] - hub0) * r->hub_words +
                                   ((pj[2] - r->hub_base) >> 6));
            const uint32_t *c = nbr + off[j], *ce = nbr + off[j + 1];
            uint64_t at_j, rest = (uint64_t)(xe - (pj + 1)), own = (uint64_t)(ce - c);
            if (j >= hub0) {
                const uint64_t *row = r->hub + (j - hub0) * r->hub_words;
                uint64_t words = (top >> 6) - ((j + 1) >> 6) + 1;
                if (wide && words * r->word_cost <= (rest < own ? rest : own))
                    at_j = and_row(bits, row, r->hub_base, j, top, cnt);
                else if (rest < own)
                    at_j = probe(pj + 1, xe, top, row, r->hub_base, cnt, shared);
                else
                    at_j = probe(c, ce, top, bits, 0, cnt, shared);
            } else {
                at_j = probe(c, ce, top, bits, 0, cnt, shared);
            }
            if (at_j)
                add(cnt, j, at_j, shared);
            at_i += at_j;
        }
        for (const uint32_t *p = xs; p < xe; p++)
            bits[*p >> 6] = 0;
        if (at_i)
            add(cnt, (uint32_t)i, at_i, shared);
        found += at_i;
    }
    r->per_block[b] = found;
}

/* The hub matrix's rows of the block's hubs: bit w - hub0 of hub j's row
 * for each w of N+(j) (all hubs: they rank above j). */
static void hub_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    tc_run *r = arg;
    for (uint64_t h = lo; h < hi; h++) {
        uint64_t j = r->hub0 + h, *row = r->hub + h * r->hub_words;
        for (uint64_t e = r->off[j]; e < r->off[j + 1]; e++) {
            uint32_t w = r->nbr[e] - r->hub_base;
            row[w >> 6] |= (uint64_t)1 << (w & 63);
        }
    }
}

static void triangle_member(void *arg, int tid)
{
    tc_run *r = arg;
    tc_member m = {r, r->cnt[r->shared ? 0 : tid], r->bits[tid]};
    algo_team_for_in_run(r->team, r->len, &r->cursor, triangle_block, &m);
}

/* tri[order[i]] = the members' counts of rank i, added. */
static void gather_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    tc_run *r = arg;
    int members = r->shared ? 1 : r->members;
    for (uint64_t i = lo; i < hi; i++) {
        uint64_t t = 0;
        for (int k = 0; k < members; k++)
            t += r->cnt[k][i];
        r->tri[r->order[i]] = (int64_t)t;
    }
}

/* Ranks by (degree, index) ascending: a counting sort by degree, stable. */
static int rank_by_degree(tc_run *r)
{
    const algo_undirected *u = r->u;
    const uint64_t n = u->n;
    uint64_t max_deg = 0;
    for (uint64_t x = 0; x < n; x++)
        if (algo_undirected_degree(u, x) > max_deg)
            max_deg = algo_undirected_degree(u, x);
    uint64_t *start = calloc(max_deg + 2, sizeof *start);
    if (!start)
        return ALGO_ENOMEM;
    for (uint64_t x = 0; x < n; x++)
        start[algo_undirected_degree(u, x) + 1]++;
    for (uint64_t d = 1; d <= max_deg + 1; d++)
        start[d] += start[d - 1];
    for (uint64_t x = 0; x < n; x++) {
        uint64_t i = start[algo_undirected_degree(u, x)]++;
        r->order[i] = (uint32_t)x;
        r->rank[x] = (uint32_t)i;
    }
    free(start);
    return 0;
}

int algo_triangles(int64_t *tri, uint64_t *total, const algo_undirected *u, algo_team *team,
                   algo_progress *progress, char msg[ALGO_MSG_MAX])
{
    const algo_triangles_tuning tuning = {ALGO_TRIANGLES_LOCAL_MAX, ALGO_TRIANGLES_HUBS,
                                          ALGO_TRIANGLES_WORD_COST};
    return algo_triangles_with(tri, total, u, team, progress, &tuning, msg);
}

int algo_triangles_with(int64_t *tri, uint64_t *total, const algo_undirected *u, algo_team *team,
                        algo_progress *progress, const algo_triangles_tuning *tuning,
                        char msg[ALGO_MSG_MAX])
{
    const uint64_t n = u->n;
    /* whole words of 64 counts: and_row adds to a word's 64 at once */
    const uint64_t cnt_len = (n + 63) & ~(uint64_t)63;
    int rc = ALGO_ENOMEM;
    tc_run r = {.u = u, .tri = tri, .members = algo_team_size(team), .team = team};
    *total = 0;
    if (n == 0)
        return 0;
    memset(tri, 0, n * sizeof *tri);
    const uint64_t nb = algo_blocks(n);
    const uint64_t chunk = (nb / SHARES ? nb / SHARES : 1) * ALGO_BLOCK;
    uint64_t nbr_len = 0, hubs = 0;
    /* n- and m-sized arrays written at once: on 2 MiB pages (big_alloc.h) */
    r.order = hgc_big_calloc(n, sizeof *r.order);
    r.rank = hgc_big_calloc(n, sizeof *r.rank);
    r.off = hgc_big_calloc(n + 1, sizeof *r.off);
    r.per_block = calloc(chunk / ALGO_BLOCK, sizeof *r.per_block);
    r.cnt = calloc((size_t)r.members, sizeof *r.cnt);
    if (!r.order || !r.rank || !r.off || !r.per_block || !r.cnt || rank_by_degree(&r) != 0)
        goto done;
    algo_team_for(team, n, count_block, &r);
    for (uint64_t i = 0; i < n; i++)
        r.off[i + 1] += r.off[i];
    nbr_len = r.off[n];
    r.nbr = hgc_big_calloc(nbr_len, sizeof *r.nbr);
    if (!r.nbr)
        goto done;
    algo_team_for(team, n, orient_block, &r);
    /* counts per member when they are small beside what the run holds anyway */
    uint64_t local = (uint64_t)r.members * n * sizeof(uint64_t);
    uint64_t held = r.off[n] * sizeof *r.nbr;
    r.shared = r.members > 1 && local > tuning->local_max && local > held;
    for (int k = 0; k < (r.shared ? 1 : r.members); k++)
        if (!(r.cnt[k] = hgc_big_calloc(cnt_len, sizeof **r.cnt)))
            goto done;
    if (!(r.bits = calloc((size_t)r.members, sizeof *r.bits)))
        goto done;
    for (int k = 0; k < r.members; k++)
        if (!(r.bits[k] = calloc(n / 64 + 1, sizeof **r.bits)))
            goto done;

    hubs = tuning->hubs < n ? tuning->hubs : n;
    r.hub0 = (uint32_t)(n - hubs);
    r.hub_base = r.hub0 & ~(uint32_t)63;
    r.hub_words = (n - r.hub_base) / 64 + 1;
    r.wide = TC_WIDE && __builtin_cpu_supports("avx512f");
    r.word_cost = tuning->word_cost < ((uint64_t)1 << 32) ? tuning->word_cost : (uint64_t)1 << 32;
    if (hubs && !(r.hub = hgc_big_calloc(hubs * r.hub_words, sizeof *r.hub)))
        goto done;
    algo_team_for(team, hubs, hub_block, &r);

    for (r.base = 0; r.base < n; r.base += chunk) {
        uint64_t len = n - r.base < chunk ? n - r.base : chunk;
        r.cursor = 0;
        r.len = len;
        algo_team_run(team, triangle_member, &r);
        *total += algo_sum_blocks_u64(r.per_block, algo_blocks(len));
        if (algo_progress_step(progress, r.base + len, n, 0)) {
            rc = ALGO_ESTOPPED;
            snprintf(msg, ALGO_MSG_MAX, "stopped after %llu of %llu vertices",
                     (unsigned long long)(r.base + len), (unsigned long long)n);
            goto out;
        }
    }
    algo_team_for(team, n, gather_block, &r);
    rc = 0;
    goto out;
done:
    snprintf(msg, ALGO_MSG_MAX, "out of memory for the triangles of %llu vertices",
             (unsigned long long)n);
out:
    for (int k = 0; r.cnt && k < r.members; k++)
        hgc_big_free(r.cnt[k], cnt_len, sizeof **r.cnt);
    free(r.cnt);
    for (int k = 0; r.bits && k < r.members; k++)
        free(r.bits[k]);
    free(r.bits);
    hgc_big_free(r.order, n, sizeof *r.order);
    hgc_big_free(r.rank, n, sizeof *r.rank);
    hgc_big_free(r.off, n + 1, sizeof *r.off);
    hgc_big_free(r.nbr, nbr_len, sizeof *r.nbr);
    hgc_big_free(r.hub, hubs * r.hub_words, sizeof *r.hub);
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
