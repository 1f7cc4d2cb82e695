/* result_order.c: rows in order of value, whole or top-k.
 *
 * A full order is qsort_r over row numbers. A top-k order (a page at the
 * front of a long result) keeps the best `want` rows seen so far in a
 * binary heap whose root is the worst of them: each row is compared with
 * the root and, if better, replaces it; the heap is then sorted. Both use
 * one comparison, so they give the same order.
 */
#define _GNU_SOURCE /* qsort_r */
#include "result_order.h"

#include <stdlib.h>

typedef struct order_ctx {
    const algo_result *r;
    int desc;
} order_ctx;

/* <0: row a comes before row b. */
static int before(const order_ctx *c, uint32_t a, uint32_t b)
{
    int s = 0;
    switch (c->r->kind) {
    case ALGO_VALUE_DOUBLE:
    case ALGO_VALUE_PATHS: {
        double x = ((const double *)c->r->values)[a], y = ((const double *)c->r->values)[b];
        s = (x > y) - (x < y);
        break;
    }
    case ALGO_VALUE_INT64: {
        int64_t x = ((const int64_t *)c->r->values)[a], y = ((const int64_t *)c->r->values)[b];
        s = (x > y) - (x < y);
        break;
    }
    case ALGO_VALUE_VERTEX: {
        uint32_t x = ((const uint32_t *)c->r->values)[a], y = ((const uint32_t *)c->r->values)[b];
        s = (x > y) - (x < y);
        break;
    }
    }
    if (c->desc)
        s = -s;
    return s != 0 ? s : (a > b) - (a < b);
}

static int cmp_rows(const void *a, const void *b, void *ctx)
{
    return before(ctx, *(const uint32_t *)a, *(const uint32_t *)b);
}

/* Max-heap by `before`: heap[0] is the row that comes last. */
static void sift_down(uint32_t *heap, uint64_t n, uint64_t i, const order_ctx *c)
{
    for (;;) {
        uint64_t l = 2 * i + 1, big = i;
        if (l < n && before(c, heap[big], heap[l]) < 0)
            big = l;
        if (l + 1 < n && before(c, heap[big], heap[l + 1]) < 0)
            big = l + 1;
        if (big == i)
            return;
        uint32_t t = heap[i];
        heap[i] = heap[big];
        heap[big] = t;
        i = big;
    }
}

int svc_result_order_rows(uint32_t *index, uint64_t n, const algo_result *r, int desc,
                          uint64_t want)
{
    order_ctx c = {r, desc};
    if (want >= n / 4) { /* most of it: a full sort is as cheap */
        qsort_r(index, n, sizeof *index, cmp_rows, &c);
        return 0;
    }
    if (want == 0)
        return 0;
    uint32_t *heap = malloc(want * sizeof *heap);
    if (!heap)
        return -1;
    for (uint64_t i = 0; i < want; i++)
        heap[i] = index[i];
    for (uint64_t i = want / 2; i-- > 0;)
        sift_down(heap, want, i, &c);
    for (uint64_t i = want; i < n; i++)
        if (before(&c, index[i], heap[0]) < 0) {
            heap[0] = index[i];
            sift_down(heap, want, 0, &c);
        }
    qsort_r(heap, want, sizeof *heap, cmp_rows, &c);
    for (uint64_t i = 0; i < want; i++)
        index[i] = heap[i];
    free(heap);
    return 0;
}
