/* kernel.c: the (spec, kernel) table expanded from algorithms.def, and the
 * output a kernel writes (kernel.h). */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/big_alloc.h"

#define ALGORITHM(id) extern const algo_spec algo_spec_##id;
#include "algorithms.def"
#undef ALGORITHM

static const algo_kernel_entry KERNELS[] = {
#define ALGORITHM(id) {&algo_spec_##id, algo_kernel_##id},
#include "algorithms.def"
#undef ALGORITHM
};
#define N_KERNELS (sizeof KERNELS / sizeof KERNELS[0])

size_t algo_kernel_count(void)
{
    return N_KERNELS;
}

const algo_kernel_entry *algo_kernel_at(size_t i)
{
    return i < N_KERNELS ? &KERNELS[i] : NULL;
}

algo_kernel_fn algo_kernel_for(const algo_spec *spec)
{
    for (size_t i = 0; i < N_KERNELS; i++)
        if (KERNELS[i].spec == spec)
            return KERNELS[i].run;
    return NULL;
}

/* ---- output ---------------------------------------------------------- */

static size_t value_size(algo_output_shape shape)
{
    switch (shape) {
    case ALGO_OUT_DOUBLE: return sizeof(double);
    case ALGO_OUT_INT64: return sizeof(int64_t);
    case ALGO_OUT_VERTEX: return sizeof(uint32_t);
    case ALGO_OUT_ROWS: return 0;
    case ALGO_OUT_PATHS: return sizeof(double);
    }
    return 0;
}

int algo_output_init(algo_output *out, algo_output_shape shape, uint64_t n, char msg[ALGO_MSG_MAX])
{
    memset(out, 0, sizeof *out);
    out->shape = shape;
    out->n = n;
    size_t size = value_size(shape);
    if (size) {
        /* Kernels write every vertex's value soon: huge pages (big_alloc.h). */
        out->values = hgc_big_calloc(n, size);
        if (shape == ALGO_OUT_PATHS)
            out->pred = hgc_big_calloc(n, sizeof *out->pred);
        if (!out->values || (shape == ALGO_OUT_PATHS && !out->pred)) {
            snprintf(msg, ALGO_MSG_MAX, "out of memory for the values of %llu vertices",
                     (unsigned long long)n);
            return ALGO_ENOMEM;
        }
    }
    return 0;
}

void algo_output_release(algo_output *out)
{
    if (!out)
        return;
    hgc_big_free(out->values, out->n, value_size(out->shape));
    hgc_big_free(out->pred, out->n, sizeof *out->pred);
    free(out->rows.vertex);
    free(out->rows.off);
    free(out->rows.items);
    memset(out, 0, sizeof *out);
}

static algo_stat *stat_add(algo_output *out, const char *key)
{
    for (int i = 0; i < out->n_stats; i++)
        if (strcmp(out->stats[i].key, key) == 0)
            return &out->stats[i];
    if (out->n_stats == ALGO_MAX_STATS)
        return NULL;
    algo_stat *s = &out->stats[out->n_stats++];
    s->key = key;
    return s;
}

void algo_output_stat_int(algo_output *out, const char *key, int64_t v)
{
    algo_stat *s = stat_add(out, key);
    if (s) {
        s->type = ALGO_STAT_INT;
        s->i = v;
    }
}

void algo_output_stat_double(algo_output *out, const char *key, double v)
{
    algo_stat *s = stat_add(out, key);
    if (s) {
        s->type = ALGO_STAT_DOUBLE;
        s->d = v;
    }
}

void algo_output_stat_bool(algo_output *out, const char *key, int v)
{
    algo_stat *s = stat_add(out, key);
    if (s) {
        s->type = ALGO_STAT_BOOL;
        s->i = v != 0;
    }
}

/* ---- rows ------------------------------------------------------------ */

int algo_rows_add(algo_rows *r, uint32_t vertex, const uint32_t *items, size_t len)
{
    if (r->n == r->cap) {
        uint64_t cap = r->cap ? 2 * r->cap : 64;
        uint32_t *v = realloc(r->vertex, cap * sizeof *v);
        if (!v)
            return ALGO_ENOMEM;
        r->vertex = v;
        uint64_t *o = realloc(r->off, (cap + 1) * sizeof *o);
        if (!o)
            return ALGO_ENOMEM;
        r->off = o;
        r->cap = cap;
        if (r->n == 0)
            r->off[0] = 0;
    }
    uint64_t used = r->off[r->n];
    if (used + len > r->icap) {
        uint64_t icap = r->icap ? r->icap : 256;
        while (icap < used + len)
            icap *= 2;
        uint32_t *it = realloc(r->items, icap * sizeof *it);
        if (!it)
            return ALGO_ENOMEM;
        r->items = it;
        r->icap = icap;
    }
    if (len)
        memcpy(r->items + used, items, len * sizeof *items);
    r->vertex[r->n] = vertex;
    r->off[r->n + 1] = used + len;
    r->n++;
    return 0;
}

static const algo_rows *sort_rows; /* qsort has no context argument */

static int cmp_row(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    const algo_rows *r = sort_rows;
    if (r->vertex[x] != r->vertex[y])
        return r->vertex[x] < r->vertex[y] ? -1 : 1;
    uint64_t lx = r->off[x + 1] - r->off[x], ly = r->off[y + 1] - r->off[y];
    const uint32_t *ix = r->items + r->off[x], *iy = r->items + r->off[y];
    for (uint64_t i = 0; i < lx && i < ly; i++)
        if (ix[i] != iy[i])
            return ix[i] < iy[i] ? -1 : 1;
    return (lx > ly) - (lx < ly);
}

int algo_rows_sort(algo_rows *r)
{
    int rc = ALGO_ENOMEM;
    if (r->n < 2)
        return 0;
    uint64_t *order = malloc(r->n * sizeof *order);
    uint32_t *vertex = malloc(r->n * sizeof *vertex);
    uint64_t *off = malloc((r->n + 1) * sizeof *off);
    uint32_t *items = malloc((r->off[r->n] ? r->off[r->n] : 1) * sizeof *items);
    if (order && vertex && off && items) {
        for (uint64_t i = 0; i < r->n; i++)
            order[i] = i;
        sort_rows = r;
        qsort(order, r->n, sizeof *order, cmp_row);
        sort_rows = NULL;
        off[0] = 0;
        for (uint64_t i = 0; i < r->n; i++) {
            uint64_t k = order[i], len = r->off[k + 1] - r->off[k];
            vertex[i] = r->vertex[k];
            memcpy(items + off[i], r->items + r->off[k], len * sizeof *items);
            off[i + 1] = off[i] + len;
        }
        free(r->vertex);
        free(r->off);
        free(r->items);
        r->vertex = vertex;
        r->off = off;
        r->items = items;
        r->cap = r->n;
        r->icap = r->off[r->n];
        vertex = NULL;
        off = NULL;
        items = NULL;
        rc = 0;
    }
    free(order);
    free(vertex);
    free(off);
    free(items);
    return rc;
}
