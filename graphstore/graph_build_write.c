/* graph_build_write.c: writes a builder's snapshot (graph_build.h):
 * the final numbering and both CSRs, then graph_file.c's writer.
 *
 * The ids are sorted into a permutation (provisional index or direct id
 * -> final index): a walk of the direct bitmap or the dense array, a sort
 * of the hashed numbers and of the strings. The edges are renumbered in
 * place, then three stable counting scatters build the CSRs: edges
 * grouped by target (in-CSR arrays as scratch); that, walked by target,
 * grouped by source gives out-lists sorted by target (into the builder's
 * own edge arrays, which thus stay the same edges, sorted); that, walked
 * by source, gives in-lists sorted by source. Each pass runs on two
 * threads, each owning the keys of half the edges.
 *
 * Cost: O(n log n) for hashed and string ids (O(ids covered) for dense
 * ones), O(m) per pass. Memory on top of the builder: 4 bytes an edge
 * (+ 8 weighted) and about 40 bytes a vertex.
 */
#define _GNU_SOURCE
#include "graph_build.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static int oom(char msg[ALGO_MSG_MAX])
{
    snprintf(msg, ALGO_MSG_MAX, "out of memory");
    return -1;
}

/* ---- writing: id order -------------------------------------------------- */

typedef struct num_pair {
    int64_t key;
    uint32_t prov;
} num_pair;

static int cmp_num_pair(const void *a, const void *b)
{
    int64_t x = ((const num_pair *)a)->key, y = ((const num_pair *)b)->key;
    return (x > y) - (x < y);
}

static int cmp_store_str_entry(const void *a, const void *b, void *arena)
{
    const store_str_entry *x = a, *y = b;
    const char *base = arena;
    return store_str_cmp(base + x->off, x->len, base + y->off, y->len);
}

/* Fills perm (provisional -> final index) and the id map arrays. */
static int order_ids(algo_graph_builder *b, uint32_t *perm, int64_t *num, uint64_t *str_off,
                     char *str, char msg[ALGO_MSG_MAX])
{
    uint64_t r = 0, h = 0, nh = b->nh_count;
    num_pair *pairs = NULL;
    store_str_entry *sorted = NULL;

    if (b->direct) {
        for (uint64_t k = 0; k < b->seen_cap / 64; k++)
            for (uint64_t w = b->seen[k]; w; w &= w - 1) {
                uint64_t x = k * 64 + (uint64_t)__builtin_ctzll(w);
                perm[x] = (uint32_t)r;
                num[r++] = (int64_t)x;
            }
    }
    if (nh) {
        pairs = malloc(nh * sizeof *pairs);
        if (!pairs)
            return oom(msg);
        for (uint64_t i = 0, k = 0; i < b->nh_cap; i++)
            if (b->nh_val[i] != STORE_NONE)
                pairs[k++] = (num_pair){b->nh_key[i], b->nh_val[i]};
        qsort(pairs, nh, sizeof *pairs, cmp_num_pair);
    }
    /* Hashed ids are negative or above the dense range: they go around it. */
    for (; h < nh && pairs[h].key < 0; h++, r++) {
        perm[pairs[h].prov] = (uint32_t)r;
        num[r] = pairs[h].key;
    }
    for (uint64_t x = 0; x < b->dense_cap; x++)
        if (b->dense[x] != STORE_NONE) {
            perm[b->dense[x]] = (uint32_t)r;
            num[r++] = (int64_t)x;
        }
    for (; h < nh; h++, r++) {
        perm[pairs[h].prov] = (uint32_t)r;
        num[r] = pairs[h].key;
    }
    free(pairs);
    for (uint64_t i = 0; i <= r; i++)
        str_off[i] = 0;

    if (b->nstr) {
        sorted = malloc(b->nstr * sizeof *sorted);
        if (!sorted)
            return oom(msg);
        memcpy(sorted, b->strs, b->nstr * sizeof *sorted);
        qsort_r(sorted, b->nstr, sizeof *sorted, cmp_store_str_entry, b->arena);
        uint64_t at = 0;
        for (uint64_t k = 0; k < b->nstr; k++, r++) {
            perm[sorted[k].prov] = (uint32_t)r;
            num[r] = 0;
            memcpy(str + at, b->arena + sorted[k].off, sorted[k].len);
            at += sorted[k].len;
            str_off[r + 1] = at;
        }
        free(sorted);
    }
    return 0;
}

/* ---- writing: the CSRs -------------------------------------------------- */

/* One thread's half of the edges: renumbered in place, counted into its
 * own degree arrays (shifted by one, for the prefix sums). */
typedef struct counting {
    algo_graph_builder *b;
    const uint32_t *perm; /* NULL: renumbered already */
    uint64_t lo, hi;
    uint64_t *out_deg, *in_deg;
} counting;

static void *count_run(void *arg)
{
    counting *c = arg;
    uint32_t *es = c->b->esrc, *ed = c->b->edst;
    for (uint64_t e = c->lo; e < c->hi; e++) {
        uint32_t s = es[e], d = ed[e];
        if (c->perm) {
            s = es[e] = c->perm[s];
            d = ed[e] = c->perm[d];
        }
        c->out_deg[s + 1]++;
        c->in_deg[d + 1]++;
    }
    return NULL;
}

/* Renumbers the edges to final indices (once: a second write after a
 * failed one finds them done) and counts degrees, on two threads. */
static int count_degrees(algo_graph_builder *b, const uint32_t *perm, uint64_t *out_off,
                         uint64_t *in_off, char msg[ALGO_MSG_MAX])
{
    uint64_t n = b->n, m = b->m;
    counting a = {b, b->written ? NULL : perm, 0, m, out_off, in_off}, c = a;
    pthread_t t;
    int threaded = 0;
    if (m >= ((uint64_t)1 << 16)) {
        c.out_deg = calloc(n + 1, sizeof *c.out_deg);
        c.in_deg = calloc(n + 1, sizeof *c.in_deg);
        if (!c.out_deg || !c.in_deg) {
            free(c.out_deg);
            free(c.in_deg);
            return oom(msg);
        }
        a.hi = c.lo = m / 2;
        threaded = pthread_create(&t, NULL, count_run, &c) == 0;
        if (!threaded)
            a.hi = m;
    }
    count_run(&a);
    if (threaded) {
        pthread_join(t, NULL);
        for (uint64_t v = 1; v <= n; v++) {
            out_off[v] += c.out_deg[v];
            in_off[v] += c.in_deg[v];
        }
    }
    if (c.out_deg != out_off) {
        free(c.out_deg);
        free(c.in_deg);
    }
    b->written = STORE_WRITTEN;
    return 0;
}

/* One thread's share of a scatter pass: it owns the keys [klo, khi) and
 * their cursors, reads the whole input and writes only its keys' slots,
 * so the two halves need no locking and stay stable. */
typedef struct scatter {
    int pass;
    uint32_t klo, khi;
    const algo_graph_builder *b;
    uint64_t n;
    uint64_t *cur;
    const uint64_t *out_off, *in_off;
    uint32_t *out_dst, *in_src;
    double *out_w, *in_w;
    uint32_t *in_eid, *out_eid; /* tracked builds: append index of each edge */
    uint64_t *in_to_out;        /* pass 4 */
} scatter;

static void *scatter_run(void *arg)
{
    scatter *j = arg;
    uint32_t lo = j->klo, hi = j->khi;
    uint64_t *cur = j->cur;
    if (j->pass == 1) { /* builder edges -> grouped by target (in_src as scratch) */
        const uint32_t *es = j->b->esrc, *ed = j->b->edst;
        const double *ew = j->b->ew;
        for (uint64_t e = 0; e < j->b->m; e++) {
            uint32_t d = ed[e];
            if (d < lo || d >= hi)
                continue;
            uint64_t pos = cur[d]++;
            j->in_src[pos] = es[e];
            if (ew)
                j->in_w[pos] = ew[e];
            if (j->in_eid)
                j->in_eid[pos] = (uint32_t)e;
        }
    } else if (j->pass == 2) { /* walked by target -> out-lists sorted */
        for (uint64_t d = 0; d < j->n; d++)
            for (uint64_t i = j->in_off[d]; i < j->in_off[d + 1]; i++) {
                uint32_t s = j->in_src[i];
                if (s < lo || s >= hi)
                    continue;
                uint64_t pos = cur[s]++;
                j->out_dst[pos] = (uint32_t)d;
                if (j->out_w)
                    j->out_w[pos] = j->in_w[i];
                if (j->out_eid)
                    j->out_eid[pos] = j->in_eid[i];
            }
    } else if (j->pass == 4) { /* as pass 3, keeping only where each edge came from */
        for (uint64_t s = 0; s < j->n; s++)
            for (uint64_t i = j->out_off[s]; i < j->out_off[s + 1]; i++) {
                uint32_t d = j->out_dst[i];
                if (d >= lo && d < hi)
                    j->in_to_out[cur[d]++] = i;
            }
    } else { /* walked by source -> in-lists sorted */
        for (uint64_t s = 0; s < j->n; s++)
            for (uint64_t i = j->out_off[s]; i < j->out_off[s + 1]; i++) {
                uint32_t d = j->out_dst[i];
                if (d < lo || d >= hi)
                    continue;
                uint64_t pos = cur[d]++;
                j->in_src[pos] = (uint32_t)s;
                if (j->in_w)
                    j->in_w[pos] = j->out_w[i];
            }
    }
    return NULL;
}

/* The key where the edges of `off` split in two halves. */
static uint32_t split_key(const uint64_t *off, uint64_t n)
{
    return (uint32_t)store_first_at_least(off, n, off[n] / 2);
}

/* Runs one pass on two threads split at the key dividing `off`'s edges
 * (one thread when the graph is small or no thread can be started). */
static void scatter_pass(scatter *tmpl, int pass, const uint64_t *off)
{
    scatter a = *tmpl, c = *tmpl;
    pthread_t t;
    uint64_t n = tmpl->n;
    a.pass = c.pass = pass;
    memcpy(tmpl->cur, off, n * sizeof *off);
    a.klo = 0;
    a.khi = (uint32_t)n;
    if (off[n] < ((uint64_t)1 << 16) || n < 2) {
        scatter_run(&a);
        return;
    }
    a.khi = c.klo = split_key(off, n);
    c.khi = (uint32_t)n;
    if (pthread_create(&t, NULL, scatter_run, &c) != 0) {
        a.khi = (uint32_t)n;
        scatter_run(&a);
        return;
    }
    scatter_run(&a);
    pthread_join(t, NULL);
}

int store_builder_csr(algo_graph_builder *b, store_csr *c, int track, char msg[ALGO_MSG_MAX])
{
    uint64_t n = b->n, m = b->m, n1 = n + 1, m1 = m ? m : 1;
    int weighted = b->ew != NULL;
    memset(c, 0, sizeof *c);
    if (b->written == STORE_CONSUMED) {
        snprintf(msg, ALGO_MSG_MAX, "the graph builder was already written as a snapshot");
        return -1;
    }
    if (track && b->written) {
        /* The edges were sorted by an earlier write: their append order,
         * which labels and columns are keyed by, is gone. */
        snprintf(msg, ALGO_MSG_MAX, "the graph builder was already written");
        return -1;
    }
    if (track && m > UINT32_MAX) {
        snprintf(msg, ALGO_MSG_MAX, "%llu edges: labels and properties need fewer than 2^32",
                 (unsigned long long)m);
        return -1;
    }
    /* perm maps what edges hold, provisional indices or direct ids. */
    c->perm = malloc((b->direct ? b->seen_cap + 1 : n1) * sizeof *c->perm);
    c->num = malloc(n1 * sizeof *c->num);
    c->str_off = malloc(n1 * sizeof *c->str_off);
    c->str = malloc(b->arena_len + 1);
    c->out_off = calloc(n1, sizeof *c->out_off);
    c->in_off = calloc(n1, sizeof *c->in_off);
    c->cur = malloc(n1 * sizeof *c->cur);
    c->in_src = malloc(m1 * sizeof *c->in_src);
    c->in_w = weighted ? malloc(m1 * sizeof *c->in_w) : NULL;
    if (track) {
        c->scratch = malloc(m1 * sizeof *c->scratch);
        c->out_eid = malloc(m1 * sizeof *c->out_eid);
    }
    if (!c->perm || !c->num || !c->str_off || !c->str || !c->out_off || !c->in_off || !c->cur ||
        !c->in_src || (weighted && !c->in_w) || (track && (!c->scratch || !c->out_eid)))
        goto fail_oom;
    if (order_ids(b, c->perm, c->num, c->str_off, c->str, msg) < 0)
        goto fail;
    if (count_degrees(b, c->perm, c->out_off, c->in_off, msg) < 0)
        goto fail;
    for (uint64_t v = 0; v < n; v++) {
        c->out_off[v + 1] += c->out_off[v];
        c->in_off[v + 1] += c->in_off[v];
    }
    scatter job = {
        .b = b,
        .n = n,
        .cur = c->cur,
        .out_off = c->out_off,
        .in_off = c->in_off,
        .out_dst = b->edst,
        .in_src = c->in_src,
        .out_w = b->ew,
        .in_w = c->in_w,
        .in_eid = c->scratch,
        .out_eid = c->out_eid,
    };
    scatter_pass(&job, 1, c->in_off);
    /* The builder's own arrays, read by pass 1 only, take the out-CSR:
     * the edges stay the same multiset, now sorted by (source, target)
     * and stable, so a second write gives the same file. */
    scatter_pass(&job, 2, c->out_off);
    for (uint64_t v = 0; v < n; v++)
        for (uint64_t i = c->out_off[v]; i < c->out_off[v + 1]; i++)
            b->esrc[i] = (uint32_t)v;
    job.in_eid = job.out_eid = NULL;
    scatter_pass(&job, 3, c->in_off);
    return 0;
fail_oom:
    oom(msg);
fail:
    store_csr_release(c);
    return -1;
}

void store_csr_graph(const algo_graph_builder *b, const store_csr *c, algo_graph *g)
{
    *g = (algo_graph){
        .n = b->n,
        .m = b->m,
        .ids = {.n = b->n, .num = c->num, .str_off = c->str_off, .str = c->str},
        .out_off = c->out_off,
        .out_dst = b->edst,
        .out_w = {.d = b->ew},
        .in_off = c->in_off,
        .in_src = c->in_src,
        .in_w = {.d = c->in_w},
    };
}

void store_csr_in_to_out(const algo_graph_builder *b, store_csr *c, uint64_t *in_to_out)
{
    scatter job = {
        .b = b,
        .n = b->n,
        .cur = c->cur,
        .out_off = c->out_off,
        .in_off = c->in_off,
        .out_dst = b->edst,
        .in_to_out = in_to_out,
    };
    scatter_pass(&job, 4, c->in_off);
}

void store_csr_release(store_csr *c)
{
    free(c->perm);
    free(c->num);
    free(c->str_off);
    free(c->str);
    free(c->out_off);
    free(c->in_off);
    free(c->cur);
    free(c->in_src);
    free(c->in_w);
    free(c->out_eid);
    free(c->scratch);
    memset(c, 0, sizeof *c);
}

int algo_graph_builder_write(algo_graph_builder *b, const char *path, char msg[ALGO_MSG_MAX])
{
    store_csr c;
    algo_graph g;
    if (store_builder_csr(b, &c, 0, msg) < 0)
        return -1;
    store_csr_graph(b, &c, &g);
    int rc = store_graph_write(path, &g, msg);
    store_csr_release(&c);
    return rc;
}
