/* graph_build.c: collects edges with their callers' ids (graph_build.h);
 * graph_build_write.c writes the snapshot.
 *
 * Every vertex gets an index the edges hold as a u32 (+ a double weight
 * once the graph is weighted): 8-16 bytes an edge. While all ids are
 * small non-negative numbers ("direct mode") the index is the id itself
 * and a bitmap records which ids occur, so adding an edge costs two bit
 * sets and two stores. Otherwise indices are provisional (order of first
 * appearance): numbers in [0, dense_cap) map through a plain array,
 * other numbers through an open-addressing hash table, strings through
 * another one whose bytes live in an arena. Final indices (id order) are
 * assigned at write time.
 *
 * Labels and properties (graph_build_rec.c) use the same indices; the
 * arrays for them here (a u16 label per vertex and per edge, a bit per
 * edge without a weight) are only allocated once something needs them,
 * so this file stays the whole edge-list path (bench/run_load.sh links it
 * alone).
 *
 * Cost: amortised O(1) an edge; leaving direct mode renumbers the edges
 * once, O(m).
 */
#define _GNU_SOURCE
#include "graph_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

#define MAX_VERTICES UINT32_MAX /* indices 0 .. 2^32-2; STORE_NONE stays free */
#define DENSE_MIN    ((uint64_t)1 << 22)
#define DIRECT_MIN   ((uint64_t)1 << 26)

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;
    for (; len >= 8; s += 8, len -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
    }
    w = 0;
    memcpy(&w, s, len);
    return mix64(h ^ w);
}

static int oom(char msg[ALGO_MSG_MAX])
{
    snprintf(msg, ALGO_MSG_MAX, "out of memory");
    return -1;
}

/* Grows *p (elements of `size` bytes) to at least `need` elements. */
static int grow(void *pp, uint64_t *cap, uint64_t need, size_t size, uint64_t first)
{
    void **p = pp;
    if (need <= *cap)
        return 0;
    uint64_t c = *cap ? *cap : first;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

int algo_graph_builder_new(algo_graph_builder **out)
{
    algo_graph_builder *b = calloc(1, sizeof *b);
    if (!b)
        return -1;
    b->direct = 1;
    *out = b;
    return 0;
}

void algo_graph_builder_free(algo_graph_builder *b)
{
    if (!b)
        return;
    free(b->seen);
    free(b->dense);
    free(b->nh_key);
    free(b->nh_val);
    free(b->arena);
    free(b->strs);
    free(b->sh_slot);
    free(b->sh_hash);
    free(b->esrc);
    free(b->edst);
    free(b->ew);
    free(b->vlab);
    free(b->elab);
    free(b->wmiss);
    if (b->props_free)
        b->props_free(b->props);
    free(b);
}

uint64_t algo_graph_builder_vertices(const algo_graph_builder *b)
{
    return b->n;
}
uint64_t algo_graph_builder_edges(const algo_graph_builder *b)
{
    return b->m;
}

int algo_graph_builder_weighted(const algo_graph_builder *b)
{
    return b->ew != NULL;
}

static int new_vertex(algo_graph_builder *b, uint32_t *idx, char msg[ALGO_MSG_MAX])
{
    if (b->n >= MAX_VERTICES) {
        snprintf(msg, ALGO_MSG_MAX, "more than %llu vertices",
                 (unsigned long long)MAX_VERTICES - 1);
        return -1;
    }
    *idx = (uint32_t)b->n++;
    return 0;
}

/* ---- numeric ids -------------------------------------------------------- */

static void nh_put(int64_t *keys, uint32_t *vals, uint64_t cap, int64_t key, uint32_t val)
{
    uint64_t i = mix64((uint64_t)key) & (cap - 1);
    while (vals[i] != STORE_NONE)
        i = (i + 1) & (cap - 1);
    keys[i] = key;
    vals[i] = val;
}

/* Rebuilds the hash table at `cap` slots, leaving out the keys that the
 * dense array now covers (they move there). */
static int nh_rebuild(algo_graph_builder *b, uint64_t cap)
{
    int64_t *keys = malloc(cap * sizeof *keys);
    uint32_t *vals = malloc(cap * sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return -1;
    }
    memset(vals, 0xff, cap * sizeof *vals);
    uint64_t count = 0;
    for (uint64_t i = 0; i < b->nh_cap; i++) {
        if (b->nh_val[i] == STORE_NONE)
            continue;
        int64_t k = b->nh_key[i];
        if (k >= 0 && (uint64_t)k < b->dense_cap) {
            b->dense[k] = b->nh_val[i];
        } else {
            nh_put(keys, vals, cap, k, b->nh_val[i]);
            count++;
        }
    }
    free(b->nh_key);
    free(b->nh_val);
    b->nh_key = keys;
    b->nh_val = vals;
    b->nh_cap = cap;
    b->nh_count = count;
    return 0;
}

/* The dense array may cover ids up to about 4 entries per vertex or edge
 * (16 bytes each, like the edges), and 4M ids for any graph. */
static uint64_t dense_limit(const algo_graph_builder *b)
{
    uint64_t l = 4 * (b->n + b->m);
    return l > DENSE_MIN ? l : DENSE_MIN;
}

static int dense_grow(algo_graph_builder *b, uint64_t x)
{
    uint64_t limit = dense_limit(b), cap = b->dense_cap ? b->dense_cap * 2 : 1024;
    if (cap > limit)
        cap = limit;
    if (cap <= x)
        cap = x + 1;
    uint32_t *d = realloc(b->dense, cap * sizeof *d);
    if (!d)
        return -1;
    memset(d + b->dense_cap, 0xff, (cap - b->dense_cap) * sizeof *d);
    uint64_t old = b->dense_cap;
    b->dense = d;
    b->dense_cap = cap;
    int moved = 0;
    for (uint64_t i = 0; i < b->nh_cap && !moved; i++)
        moved = b->nh_val[i] != STORE_NONE && b->nh_key[i] >= (int64_t)old &&
                (uint64_t)b->nh_key[i] < cap;
    return moved ? nh_rebuild(b, b->nh_cap) : 0;
}

/* Keeps the largest numeric id, for ids the builder assigns: one
 * compare per new vertex, in mapped mode only. */
static inline void note_num(algo_graph_builder *b, int64_t x)
{
    if (!b->has_num || x > b->num_max)
        b->num_max = x;
    b->has_num = 1;
}

static int lookup_mapped(algo_graph_builder *b, int64_t x, uint32_t *idx, char msg[ALGO_MSG_MAX])
{
    if ((uint64_t)x < b->dense_cap) {
        uint32_t v = b->dense[x];
        if (v != STORE_NONE) {
            *idx = v;
            return 0;
        }
    } else if (x >= 0 && (uint64_t)x < dense_limit(b)) {
        if (dense_grow(b, (uint64_t)x) < 0)
            return oom(msg);
    }
    if ((uint64_t)x < b->dense_cap) {
        if (new_vertex(b, idx, msg) < 0)
            return -1;
        b->dense[x] = *idx;
        note_num(b, x);
        return 0;
    }

    if (b->nh_cap) {
        uint64_t i = mix64((uint64_t)x) & (b->nh_cap - 1);
        for (; b->nh_val[i] != STORE_NONE; i = (i + 1) & (b->nh_cap - 1))
            if (b->nh_key[i] == x) {
                *idx = b->nh_val[i];
                return 0;
            }
    }
    if ((b->nh_count + 1) * 2 > b->nh_cap && nh_rebuild(b, b->nh_cap ? b->nh_cap * 2 : 1024) < 0)
        return oom(msg);
    if (new_vertex(b, idx, msg) < 0)
        return -1;
    nh_put(b->nh_key, b->nh_val, b->nh_cap, x, *idx);
    b->nh_count++;
    note_num(b, x);
    return 0;
}

static uint32_t nh_get(const algo_graph_builder *b, int64_t x)
{
    uint64_t i = mix64((uint64_t)x) & (b->nh_cap - 1);
    while (b->nh_val[i] != STORE_NONE && b->nh_key[i] != x)
        i = (i + 1) & (b->nh_cap - 1);
    return b->nh_val[i];
}

/* Leaves direct mode: provisional indices are the ranks of the ids seen
 * (so id order) and the edges are renumbered, O(m + ids covered). Ids
 * past the dense array's limit (the direct range is wider, a bitmap being
 * 32 times smaller) go to the hash table. */
static int to_mapped(algo_graph_builder *b, char msg[ALGO_MSG_MAX])
{
    uint64_t cap = b->seen_cap < dense_limit(b) ? b->seen_cap : dense_limit(b), r = 0, beyond = 0;
    if (cap < 1024)
        cap = 1024;
    uint32_t *dense = malloc(cap * sizeof *dense);
    if (!dense)
        return oom(msg);
    memset(dense, 0xff, cap * sizeof *dense);
    free(b->dense);
    b->dense = dense;
    b->dense_cap = cap;
    for (uint64_t k = cap / 64; k < b->seen_cap / 64; k++)
        beyond += (uint64_t)__builtin_popcountll(b->seen[k]);
    if (beyond) {
        uint64_t hcap = 1024;
        while (hcap < 2 * beyond + 2)
            hcap *= 2;
        if (nh_rebuild(b, hcap) < 0)
            return oom(msg);
    }
    for (uint64_t k = 0; k < b->seen_cap / 64; k++)
        for (uint64_t w = b->seen[k]; w; w &= w - 1) {
            uint64_t x = k * 64 + (uint64_t)__builtin_ctzll(w);
            if (x < cap) {
                dense[x] = (uint32_t)r++;
            } else {
                nh_put(b->nh_key, b->nh_val, b->nh_cap, (int64_t)x, (uint32_t)r++);
                b->nh_count++;
            }
            note_num(b, (int64_t)x);
        }
    for (uint64_t e = 0; e < b->m; e++) {
        uint32_t s = b->esrc[e], d = b->edst[e];
        b->esrc[e] = s < cap ? dense[s] : nh_get(b, s);
        b->edst[e] = d < cap ? dense[d] : nh_get(b, d);
    }
    free(b->seen);
    b->seen = NULL;
    b->seen_cap = 0;
    b->direct = 0;
    return 0;
}

/* Direct ids may reach 2^26 on any graph: the bitmap is 8 MiB then, and
 * the write's id -> index array (4 bytes an id) is touched only at the
 * ids in use. Beyond, the dense array's limit applies. */
static uint64_t direct_limit(const algo_graph_builder *b)
{
    uint64_t l = dense_limit(b);
    if (l < DIRECT_MIN)
        l = DIRECT_MIN;
    return l < UINT32_MAX - 1 ? l : UINT32_MAX - 1; /* an id must fit an edge's u32 */
}

static int seen_grow(algo_graph_builder *b, uint64_t x, char msg[ALGO_MSG_MAX])
{
    uint64_t limit = direct_limit(b), cap = b->seen_cap ? b->seen_cap * 2 : 4096;
    if (cap > limit)
        cap = limit;
    if (cap <= x)
        cap = x + 1;
    cap = (cap + 63) & ~(uint64_t)63;
    uint64_t *w = realloc(b->seen, cap / 8);
    if (!w)
        return oom(msg);
    memset(w + b->seen_cap / 64, 0, (cap - b->seen_cap) / 8);
    b->seen = w;
    b->seen_cap = cap;
    return 0;
}

static inline void seen_mark(algo_graph_builder *b, uint64_t x)
{
    uint64_t bit = (uint64_t)1 << (x & 63), *w = &b->seen[x >> 6];
    b->n += !(*w & bit);
    *w |= bit;
}

static int lookup_num(algo_graph_builder *b, int64_t x, uint32_t *idx, char msg[ALGO_MSG_MAX])
{
    if (!b->direct)
        return lookup_mapped(b, x, idx, msg);
    if ((uint64_t)x >= b->seen_cap) {
        if (x >= 0 && (uint64_t)x < direct_limit(b)) {
            if (seen_grow(b, (uint64_t)x, msg) < 0)
                return -1;
        } else {
            if (to_mapped(b, msg) < 0)
                return -1;
            return lookup_mapped(b, x, idx, msg);
        }
    }
    seen_mark(b, (uint64_t)x);
    *idx = (uint32_t)x;
    return 0;
}

/* ---- string ids --------------------------------------------------------- */

static int sh_resize(algo_graph_builder *b, uint64_t cap)
{
    uint32_t *slot = calloc(cap, sizeof *slot);
    uint32_t *hash = malloc(cap * sizeof *hash);
    if (!slot || !hash) {
        free(slot);
        free(hash);
        return -1;
    }
    for (uint64_t i = 0; i < b->sh_cap; i++) {
        if (!b->sh_slot[i])
            continue;
        /* The stored 32 bits are the low ones of the full hash, enough
         * to place the entry in any table up to 2^32 slots. */
        uint64_t j = b->sh_hash[i] & (cap - 1);
        while (slot[j])
            j = (j + 1) & (cap - 1);
        slot[j] = b->sh_slot[i];
        hash[j] = b->sh_hash[i];
    }
    free(b->sh_slot);
    free(b->sh_hash);
    b->sh_slot = slot;
    b->sh_hash = hash;
    b->sh_cap = cap;
    return 0;
}

static int lookup_str(algo_graph_builder *b, const char *s, size_t len, uint32_t *idx,
                      char msg[ALGO_MSG_MAX])
{
    if (len == 0 || len > UINT32_MAX) {
        snprintf(msg, ALGO_MSG_MAX, "string id of %zu bytes", len);
        return -1;
    }
    if (b->direct && to_mapped(b, msg) < 0)
        return -1;
    uint32_t h = (uint32_t)hash_bytes(s, len);
    uint64_t i = 0;
    if (b->sh_cap) {
        for (i = h & (b->sh_cap - 1); b->sh_slot[i]; i = (i + 1) & (b->sh_cap - 1)) {
            const store_str_entry *e = &b->strs[b->sh_slot[i] - 1];
            if (b->sh_hash[i] == h && e->len == len && memcmp(b->arena + e->off, s, len) == 0) {
                *idx = e->prov;
                return 0;
            }
        }
    }
    if ((b->nstr + 1) * 2 > b->sh_cap) {
        if (sh_resize(b, b->sh_cap ? b->sh_cap * 2 : 1024) < 0)
            return oom(msg);
        for (i = h & (b->sh_cap - 1); b->sh_slot[i]; i = (i + 1) & (b->sh_cap - 1))
            ;
    }
    if (grow(&b->arena, &b->arena_cap, b->arena_len + len, 1, 4096) < 0 ||
        grow(&b->strs, &b->strs_cap, b->nstr + 1, sizeof *b->strs, 256) < 0)
        return oom(msg);
    if (new_vertex(b, idx, msg) < 0)
        return -1;
    memcpy(b->arena + b->arena_len, s, len);
    b->strs[b->nstr] = (store_str_entry){.off = b->arena_len, .len = (uint32_t)len, .prov = *idx};
    b->arena_len += len;
    b->sh_slot[i] = (uint32_t)++b->nstr;
    b->sh_hash[i] = h;
    return 0;
}

static int written(const algo_graph_builder *b, char msg[ALGO_MSG_MAX])
{
    if (!b->written)
        return 0;
    snprintf(msg, ALGO_MSG_MAX, "the graph builder was already written");
    return -1;
}

int store_builder_check_open(const algo_graph_builder *b, char msg[ALGO_MSG_MAX])
{
    return written(b, msg);
}

static int lookup_any(algo_graph_builder *b, const algo_vid *v, uint32_t *idx,
                      char msg[ALGO_MSG_MAX])
{
    if (v->is_str)
        return lookup_str(b, v->str, v->len, idx, msg);
    return lookup_num(b, v->num, idx, msg);
}

/* An id a load brings: a string one within ALGO_ID_MAX_BYTES. */
static int lookup(algo_graph_builder *b, const algo_vid *v, uint32_t *idx, char msg[ALGO_MSG_MAX])
{
    if (v->is_str && v->len > ALGO_ID_MAX_BYTES) {
        snprintf(msg, ALGO_MSG_MAX,
                 "a string id may have at most %d bytes (UTF-8), this one has %zu: \"%.40s...\"",
                 ALGO_ID_MAX_BYTES, v->len, v->str);
        return -1;
    }
    return lookup_any(b, v, idx, msg);
}

int store_builder_lookup(algo_graph_builder *b, const algo_vid *v, uint32_t *idx,
                         char msg[ALGO_MSG_MAX])
{
    return lookup(b, v, idx, msg);
}

int store_builder_lookup_stored(algo_graph_builder *b, const algo_vid *v, uint32_t *idx,
                                char msg[ALGO_MSG_MAX])
{
    return lookup_any(b, v, idx, msg);
}

uint32_t store_builder_find(const algo_graph_builder *b, const algo_vid *v)
{
    if (v->is_str) {
        if (!b->sh_cap || v->len == 0 || v->len > UINT32_MAX)
            return STORE_NONE;
        uint32_t h = (uint32_t)hash_bytes(v->str, v->len);
        for (uint64_t i = h & (b->sh_cap - 1); b->sh_slot[i]; i = (i + 1) & (b->sh_cap - 1)) {
            const store_str_entry *e = &b->strs[b->sh_slot[i] - 1];
            if (b->sh_hash[i] == h && e->len == v->len &&
                memcmp(b->arena + e->off, v->str, v->len) == 0)
                return e->prov;
        }
        return STORE_NONE;
    }
    int64_t x = v->num;
    if (b->direct) {
        if (x < 0 || (uint64_t)x >= b->seen_cap)
            return STORE_NONE;
        return (b->seen[x >> 6] >> (x & 63)) & 1 ? (uint32_t)x : STORE_NONE;
    }
    if (x >= 0 && (uint64_t)x < b->dense_cap)
        return b->dense[x];
    return b->nh_cap ? nh_get(b, x) : STORE_NONE;
}

int store_builder_to_mapped(algo_graph_builder *b, char msg[ALGO_MSG_MAX])
{
    return b->direct ? to_mapped(b, msg) : 0;
}

int store_builder_next_id(algo_graph_builder *b, int64_t *id, char msg[ALGO_MSG_MAX])
{
    if (store_builder_to_mapped(b, msg) < 0)
        return -1;
    if (b->has_num && b->num_max == INT64_MAX) {
        snprintf(msg, ALGO_MSG_MAX, "no id to assign: the largest numeric id is %lld",
                 (long long)INT64_MAX);
        return -1;
    }
    *id = b->has_num ? b->num_max + 1 : 0;
    return 0;
}

/* ---- labels ------------------------------------------------------------- */

/* Sets arr[i] = label, growing with label 0; nothing to do for label 0
 * past the end. */
static int set_label(uint16_t **arr, uint64_t *cap, uint64_t i, uint16_t label,
                     char msg[ALGO_MSG_MAX])
{
    if (i >= *cap) {
        if (label == 0)
            return 0;
        uint64_t c = *cap ? *cap : 1024;
        while (c <= i)
            c *= 2;
        uint16_t *p = realloc(*arr, c * sizeof *p);
        if (!p)
            return oom(msg);
        memset(p + *cap, 0, (c - *cap) * sizeof *p);
        *arr = p;
        *cap = c;
    }
    (*arr)[i] = label;
    return 0;
}

int store_builder_set_vlabel(algo_graph_builder *b, uint64_t v, uint16_t label,
                             char msg[ALGO_MSG_MAX])
{
    return set_label(&b->vlab, &b->vlab_cap, v, label, msg);
}

int store_builder_set_elabel(algo_graph_builder *b, uint64_t e, uint16_t label,
                             char msg[ALGO_MSG_MAX])
{
    return set_label(&b->elab, &b->elab_cap, e, label, msg);
}

/* Marks edges [lo, hi) as having no weight property. */
static int wmiss_mark(algo_graph_builder *b, uint64_t lo, uint64_t hi, char msg[ALGO_MSG_MAX])
{
    if (hi > b->wmiss_cap) {
        uint64_t c = b->wmiss_cap ? b->wmiss_cap : 4096;
        while (c < hi)
            c *= 2;
        uint64_t *p = realloc(b->wmiss, c / 8);
        if (!p)
            return oom(msg);
        memset(p + b->wmiss_cap / 64, 0, (c - b->wmiss_cap) / 8);
        b->wmiss = p;
        b->wmiss_cap = c;
    }
    for (uint64_t e = lo; e < hi; e++)
        b->wmiss[e >> 6] |= (uint64_t)1 << (e & 63);
    return 0;
}

/* ---- edges -------------------------------------------------------------- */

static int append_edge(algo_graph_builder *b, uint32_t s, uint32_t d, int has_weight, double w,
                       char msg[ALGO_MSG_MAX])
{
    if (has_weight && !b->ew && b->weight_type) {
        /* A record fixed another type first (graph_build_rec.c). */
        static const char *const names[] = {"?", "int", "double", "string", "bool"};
        snprintf(msg, ALGO_MSG_MAX, "property 'weight' of edge label 'edge' is %s; got double",
                 names[b->weight_type >= 1 && b->weight_type <= 4 ? b->weight_type : 0]);
        return -1;
    }
    if (b->m == b->ecap) {
        uint64_t cap = b->ecap ? b->ecap * 2 : 4096;
        uint32_t *ps = realloc(b->esrc, cap * sizeof *ps);
        if (!ps)
            return oom(msg);
        b->esrc = ps;
        uint32_t *pd = realloc(b->edst, cap * sizeof *pd);
        if (!pd)
            return oom(msg);
        b->edst = pd;
        if (b->ew) {
            double *pw = realloc(b->ew, cap * sizeof *pw);
            if (!pw)
                return oom(msg);
            b->ew = pw;
        }
        b->ecap = cap;
    }
    if (has_weight && !b->ew) {
        /* The edges so far had no weight: mark them before ew exists. */
        if (b->m > 0 && wmiss_mark(b, 0, b->m, msg) < 0)
            return -1;
        b->ew = malloc(b->ecap * sizeof *b->ew);
        if (!b->ew)
            return oom(msg);
        for (uint64_t e = 0; e < b->m; e++)
            b->ew[e] = 1.0;
    }
    if (b->ew && !has_weight && wmiss_mark(b, b->m, b->m + 1, msg) < 0)
        return -1;
    b->esrc[b->m] = s;
    b->edst[b->m] = d;
    if (b->ew)
        b->ew[b->m] = has_weight ? w : 1.0;
    b->m++;
    return 0;
}

int algo_graph_builder_add_edge(algo_graph_builder *b, const algo_vid *src, const algo_vid *dst,
                                int has_weight, double weight, char msg[ALGO_MSG_MAX])
{
    uint32_t s, d;
    int direct = b->direct;
    if (written(b, msg) < 0 || lookup(b, src, &s, msg) < 0 || lookup(b, dst, &d, msg) < 0)
        return -1;
    /* dst may have ended direct mode, renumbering src. */
    if (direct && !b->direct && lookup(b, src, &s, msg) < 0)
        return -1;
    return append_edge(b, s, d, has_weight, weight, msg);
}

int store_builder_append_edge(algo_graph_builder *b, uint32_t s, uint32_t d, int has_weight,
                              double w, char msg[ALGO_MSG_MAX])
{
    return append_edge(b, s, d, has_weight, w, msg);
}

int store_builder_add_num_edge(algo_graph_builder *b, int64_t src, int64_t dst, int has_weight,
                               double weight, char msg[ALGO_MSG_MAX])
{
    uint32_t s, d;
    int direct = b->direct;
    if (direct && !b->written && (uint64_t)src < b->seen_cap && (uint64_t)dst < b->seen_cap &&
        b->m < b->ecap && (b->ew != NULL) == (has_weight != 0)) {
        /* The common case, inline: two bits and two stores. */
        seen_mark(b, (uint64_t)src);
        seen_mark(b, (uint64_t)dst);
        b->esrc[b->m] = (uint32_t)src;
        b->edst[b->m] = (uint32_t)dst;
        if (b->ew)
            b->ew[b->m] = weight;
        b->m++;
        return 0;
    }
    if (written(b, msg) < 0 || lookup_num(b, src, &s, msg) < 0 || lookup_num(b, dst, &d, msg) < 0)
        return -1;
    if (direct && !b->direct && lookup_num(b, src, &s, msg) < 0)
        return -1;
    return append_edge(b, s, d, has_weight, weight, msg);
}

int algo_graph_builder_add_vertex(algo_graph_builder *b, const algo_vid *v, char msg[ALGO_MSG_MAX])
{
    uint32_t idx;
    if (written(b, msg) < 0)
        return -1;
    return lookup(b, v, &idx, msg);
}

int algo_graph_builder_add_graph(algo_graph_builder *b, const algo_graph *g, char msg[ALGO_MSG_MAX])
{
    uint32_t *map = NULL;
    int rc = -1;
    if (written(b, msg) < 0)
        return -1;
    map = malloc((g->n ? g->n : 1) * sizeof *map);
    if (!map)
        return oom(msg);
again:;
    int direct = b->direct;
    for (uint64_t v = 0; v < g->n; v++) {
        const algo_idmap *ids = &g->ids;
        int r = algo_idmap_is_str(ids, v)
                    ? lookup_str(b, ids->str + ids->str_off[v],
                                 ids->str_off[v + 1] - ids->str_off[v], &map[v], msg)
                    : lookup_num(b, ids->num[v], &map[v], msg);
        if (r < 0)
            goto out;
        if (direct && !b->direct)
            goto again; /* the indices so far were renumbered */
    }
    int weighted = algo_weights_on(g->out_w);
    for (uint64_t v = 0; v < g->n; v++)
        for (uint64_t i = g->out_off[v]; i < g->out_off[v + 1]; i++)
            if (append_edge(b, map[v], map[g->out_dst[i]], weighted,
                            weighted ? algo_weight(g->out_w, i) : 1.0, msg) < 0)
                goto out;
    rc = 0;
out:
    free(map);
    return rc;
}
