#include "base/malloc_tune.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int hgc_worker_tunables(const char *current, char *buf, size_t cap)
{
    if (current && strstr(current, HGC_WORKER_TUNABLES))
        return 0;
    int n = current && *current ? snprintf(buf, cap, "%s:%s", current, HGC_WORKER_TUNABLES)
                                : snprintf(buf, cap, "%s", HGC_WORKER_TUNABLES);
    return n >= 0 && (size_t)n < cap ? 1 : -1;
}

void hgc_worker_tunables_export(void)
{
    char buf[4096];
    if (hgc_worker_tunables(getenv("GLIBC_TUNABLES"), buf, sizeof buf) == 1)
        setenv("GLIBC_TUNABLES", buf, 1);
}
