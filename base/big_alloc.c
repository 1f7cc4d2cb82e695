#include "base/big_alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)
/* Below one huge page an array is a calloc (its pages may be recycled
 * ones). */
#define BIG_MIN HUGE_PAGE

static int is_big(size_t bytes)
{
    return bytes >= BIG_MIN;
}

/* Rounded up to whole huge pages, so the tail is one too. */
static size_t mapped_size(size_t bytes)
{
    return (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

void *hgc_big_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    if (!is_big(bytes))
        return calloc(n ? n : 1, size ? size : 1);
    size_t len = mapped_size(bytes);
    /* Over-map by one huge page and trim, so the array starts on a huge
     * page boundary and every 2 MiB of it can be one page. */
    uint8_t *raw =
        mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return NULL;
    uint8_t *p = (uint8_t *)(((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (p > raw)
        munmap(raw, (size_t)(p - raw));
    size_t tail = (size_t)(raw + len + HUGE_PAGE - (p + len));
    if (tail)
        munmap(p + len, tail);
    (void)madvise(p, len, MADV_HUGEPAGE); /* a hint: refused or off, 4 KiB pages serve */
    return p;
}

void hgc_big_free(void *p, size_t n, size_t size)
{
    if (!p)
        return;
    size_t bytes = n * size;
    if (!is_big(bytes))
        free(p);
    else
        munmap(p, mapped_size(bytes));
}
