/* malloc_tune.h: the allocator settings of the two long-running services
 * (hgc-server, hgc-rest).
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

/* Call once at start, before other threads allocate. 0, or -1 if the C
 * library refused a setting (then its defaults stay, which is harmless). */
int hgc_malloc_keep_freed(void);

#endif
