#include "base/malloc_tune.h"

#include <malloc.h>

enum {
    KEEP_FREE_TOP = 32 << 20, /* free top of a heap kept before trimming */
    OWN_MAPPING = 4 << 20,    /* blocks from here up get their own mapping */
};

int hgc_malloc_keep_freed(void)
{
    /* Setting either threshold also stops glibc from moving them itself. */
    int ok = mallopt(M_TRIM_THRESHOLD, KEEP_FREE_TOP);
    ok &= mallopt(M_MMAP_THRESHOLD, OWN_MAPPING);
    return ok ? 0 : -1;
}
