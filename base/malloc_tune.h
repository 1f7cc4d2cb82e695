/* malloc_tune.h: the allocator settings of the two long-running services
 * (hgc-server, hgc-rest), and of hgc-worker (the end).
 *
 * glibc gives the top of a heap back to the kernel (madvise MADV_DONTNEED)
 * as soon as more than 128 KiB of it is free, and its threshold grows with
 * the largest block freed. A service that answers a call from a few tens
 * of KiB and frees them all (a ListJobs reply, an HTTP response) crosses
 * that line on many calls: each crossing is a madvise, a TLB shootdown to
 * the other cores, and page faults to take the pages back on the next
 * call. Under perf on a 2-core VM that was 7% of hgc-server's samples and
 * 14% of hgc-rest's while listing tasks.
 *
 * So freed memory stays with the process up to a fixed margin, and only
 * blocks of 4 MiB or more are separate mappings. The cost is resident
 * memory: up to the margin per malloc arena beyond what is in use, never
 * more than the process's own high-water mark. */
#ifndef HGC_BASE_MALLOC_TUNE_H
#define HGC_BASE_MALLOC_TUNE_H

#include <stddef.h>

/* Call once at start, before other threads allocate. 0, or -1 if the C
 * library refused a setting (then its defaults stay, which is harmless). */
int hgc_malloc_keep_freed(void);

/* hgc-worker's allocator, as glibc tunables (read only when a program
 * starts, from GLIBC_TUNABLES): malloc'd memory advised onto 2 MiB pages
 * (transparent huge pages in madvise mode, Debian's default) and the heap
 * grown 64 MiB at a time. A kernel's growing arrays then fault once per
 * 2 MiB instead of per 4 KiB: weighted sssp on kron20w, 2 threads,
 * 2,781 -> 664 page faults and 0.281 -> 0.247 s (8 interleaved runs). */
#define HGC_WORKER_TUNABLES "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=67108864"

/* The value GLIBC_TUNABLES needs to hold HGC_WORKER_TUNABLES, given its
 * value now (NULL: unset), into buf: 1 (buf set), 0 if it holds them
 * already, -1 if buf is too small. */
int hgc_worker_tunables(const char *current, char *buf, size_t cap);

/* hgc-server: puts them in its environment, which its workers inherit.
 * Call at start, before any thread. */
void hgc_worker_tunables_export(void);

#endif
