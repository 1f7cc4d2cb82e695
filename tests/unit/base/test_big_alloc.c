/* Tests of base/big_alloc.h: zeroed arrays, small and large, that can be
 * written end to end and freed; large ones start on a 2 MiB boundary (so
 * the kernel can back them with huge pages); overflow is refused. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "base/big_alloc.h"

static void check_zero_then_fill(size_t n, size_t size)
{
    unsigned char *p = hgc_big_calloc(n, size);
    cr_assert_not_null(p, "%zu x %zu", n, size);
    size_t bytes = n * size;
    for (size_t i = 0; i < bytes; i += 4093)
        cr_assert_eq(p[i], 0, "byte %zu of %zu", i, bytes);
    if (bytes)
        cr_assert_eq(p[bytes - 1], 0);
    memset(p, 0xab, bytes);
    hgc_big_free(p, n, size);
}

Test(big_alloc, small_and_empty_arrays)
{
    check_zero_then_fill(0, 8);
    check_zero_then_fill(1, 8);
    check_zero_then_fill(1000, 8);
    hgc_big_free(NULL, 10, 8);
}

Test(big_alloc, large_arrays_are_zero_and_aligned_to_huge_pages)
{
    size_t sizes[] = {(size_t)2 << 20,       (size_t)645649 * 4, (size_t)4 << 20,
                      ((size_t)5 << 20) + 3, (size_t)645649 * 8, (size_t)33 << 20};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i] / 8;
        double *p = hgc_big_calloc(n, 8);
        cr_assert_not_null(p);
        if (n * 8 >= ((size_t)2 << 20))
            cr_assert_eq((uintptr_t)p % ((size_t)2 << 20), 0, "%zu bytes at %p", n * 8, (void *)p);
        hgc_big_free(p, n, 8);
        check_zero_then_fill(n, 8);
    }
}

Test(big_alloc, overflow_is_refused)
{
    cr_assert_null(hgc_big_calloc(SIZE_MAX / 4, 8));
}
