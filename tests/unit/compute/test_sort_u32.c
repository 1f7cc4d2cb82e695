/* test_sort_u32.c: algo_sort_u32 (runtime/sort_u32.h) against glibc's
 * qsort on inputs that trouble quicksorts: random, sorted, reversed, all
 * equal, few distinct values, organ pipes, and a median-of-three killer
 * (which must fall back to heapsort and still sort). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "sort_u32.h"

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

enum { RANDOM, SORTED, REVERSED, EQUAL, FEW, PIPES, KILLER, SHAPES };

static void fill(uint32_t *a, uint64_t n, int shape)
{
    for (uint64_t i = 0; i < n; i++) {
        switch (shape) {
        case RANDOM: a[i] = rng(); break;
        case SORTED: a[i] = (uint32_t)i; break;
        case REVERSED: a[i] = (uint32_t)(n - i); break;
        case EQUAL: a[i] = 7; break;
        case FEW: a[i] = rng() % 3; break;
        case PIPES: a[i] = (uint32_t)(i < n / 2 ? i : n - i); break;
        default: /* the extremes at first, middle and last over and over */
            a[i] = (uint32_t)(i % 2 ? i + n : i);
            break;
        }
    }
}

Test(sort_u32, sorts_what_qsort_sorts_for_every_shape_and_size)
{
    const uint64_t sizes[] = {0, 1, 2, 3, 23, 24, 25, 26, 100, 1000, 4097, 100000};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        uint64_t n = sizes[s];
        uint32_t *got = malloc((n ? n : 1) * sizeof *got), *want = malloc((n ? n : 1) * 4);
        for (int shape = 0; shape < SHAPES; shape++) {
            fill(got, n, shape);
            memcpy(want, got, n * sizeof *got);
            qsort(want, n, sizeof *want, cmp_u32);
            algo_sort_u32(got, n);
            cr_expect_eq(memcmp(got, want, n * sizeof *got), 0, "n=%llu shape %d",
                         (unsigned long long)n, shape);
        }
        free(got);
        free(want);
    }
}
