/* sort_u32.c: see sort_u32.h. */
#include "sort_u32.h"

#define SMALL 24

static void insertion(uint32_t *a, uint64_t n)
{
    for (uint64_t i = 1; i < n; i++) {
        uint32_t v = a[i];
        uint64_t j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

static void sift_down(uint32_t *a, uint64_t at, uint64_t n)
{
    uint32_t v = a[at];
    for (;;) {
        uint64_t c = 2 * at + 1;
        if (c >= n)
            break;
        if (c + 1 < n && a[c + 1] > a[c])
            c++;
        if (a[c] <= v)
            break;
        a[at] = a[c];
        at = c;
    }
    a[at] = v;
}

static void heapsort_u32(uint32_t *a, uint64_t n)
{
    for (uint64_t i = n / 2; i-- > 0;)
        sift_down(a, i, n);
    for (uint64_t end = n; end-- > 1;) {
        uint32_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
}

static inline void swap(uint32_t *x, uint32_t *y)
{
    uint32_t t = *x;
    *x = *y;
    *y = t;
}

/* Sorts a[0, n) with at most `depth` more levels of partitioning. */
static void intro(uint32_t *a, uint64_t n, int depth)
{
    while (n > SMALL) {
        if (depth-- == 0) {
            heapsort_u32(a, n);
            return;
        }
        /* median of first, middle and last into a[0] as the pivot */
        uint64_t mid = n / 2;
        if (a[mid] < a[0])
            swap(&a[mid], &a[0]);
        if (a[n - 1] < a[0])
            swap(&a[n - 1], &a[0]);
        if (a[n - 1] < a[mid])
            swap(&a[n - 1], &a[mid]);
        swap(&a[0], &a[mid]);
        const uint32_t pivot = a[0];
        /* Hoare partition: a[1, i) <= pivot, a(j, n) >= pivot */
        uint64_t i = 1, j = n - 1;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            swap(&a[i], &a[j]);
            i++;
            j--;
        }
        swap(&a[0], &a[j]);
        /* a[0, j) <= pivot = a[j] <= a(j, n): the smaller side recursively */
        uint64_t left = j, right = n - j - 1;
        if (left < right) {
            intro(a, left, depth);
            a += j + 1;
            n = right;
        } else {
            intro(a + j + 1, right, depth);
            n = left;
        }
    }
    insertion(a, n);
}

void algo_sort_u32(uint32_t *a, uint64_t n)
{
    int depth = 0;
    for (uint64_t m = n; m > 1; m >>= 1)
        depth += 2;
    intro(a, n, depth);
}
