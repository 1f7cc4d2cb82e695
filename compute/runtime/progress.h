/* progress.h: how a kernel reports progress and learns that it must stop.
 *
 * A kernel reports after each superstep (or share of its sources) from one
 * thread, outside parallel regions; the hook (the worker's: it logs, and
 * sends RUNNING with a percentage at most ~5 times a second) answers
 * non-zero when the task is no longer wanted. From then on
 * algo_progress_stopped is true, which long inner loops may poll from any
 * thread, and the kernel returns ALGO_ESTOPPED with what it has.
 * (A cancel also signals the worker's process group: stopping here is for
 * the cases the server tells us about in a report's answer.)
 */
#ifndef ALGO_PROGRESS_H
#define ALGO_PROGRESS_H

#include <stdint.h>

typedef int (*algo_progress_hook)(void *user, uint64_t done, uint64_t total, double metric);

typedef struct algo_progress {
    algo_progress_hook hook; /* may be NULL */
    void *user;
    int stop; /* latched once the hook asked to stop */
} algo_progress;

/* `done` of `total` units of work are finished; `metric` is logged with it
 * (page-rank: the step's L1 change). Non-zero: stop now. p may be NULL. */
static inline int algo_progress_step(algo_progress *p, uint64_t done, uint64_t total, double metric)
{
    if (!p)
        return 0;
    if (!__atomic_load_n(&p->stop, __ATOMIC_RELAXED) && p->hook &&
        p->hook(p->user, done, total, metric) != 0)
        __atomic_store_n(&p->stop, 1, __ATOMIC_RELAXED);
    return __atomic_load_n(&p->stop, __ATOMIC_RELAXED);
}

static inline int algo_progress_stopped(const algo_progress *p)
{
    return p && __atomic_load_n(&p->stop, __ATOMIC_RELAXED);
}

#endif
