/* worker_main.c: the hgc-worker executable; everything is in worker.c,
 * but for the allocator's settings, which must be in the environment when
 * the program starts (base/malloc_tune.h): hgc-server's workers inherit
 * them; started some other way (by hand, by bench/algorithms.sh), the
 * worker starts itself again once with them. */
#include <stdlib.h>
#include <unistd.h>

#include "base/malloc_tune.h"
#include "worker.h"

int main(int argc, char **argv)
{
    char tunables[4096];
    if (!getenv("HGC_WORKER_RESTARTED") &&
        hgc_worker_tunables(getenv("GLIBC_TUNABLES"), tunables, sizeof tunables) == 1) {
        setenv("GLIBC_TUNABLES", tunables, 1);
        setenv("HGC_WORKER_RESTARTED", "1", 1); /* once, whatever glibc does with them */
        execv("/proc/self/exe", argv);          /* returns only on failure: go on as is */
    }
    return algo_worker_main(argc, argv);
}
