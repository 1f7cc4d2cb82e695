/* team.c: the thread team of team.h.
 *
 * Members 1..T-1 sleep on `cv` until `generation` moves, run the posted
 * function, and count themselves out; the caller (member 0) runs it too and
 * waits for the count. Block loops hand out blocks through one atomic
 * counter. Cost: one broadcast and one wait per region; one atomic add per
 * block in a loop.
 */
#include "team.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct algo_team {
    int size;
    pthread_t *threads;
    pthread_barrier_t bar;
    int have_bar;
    pthread_mutex_t mu;
    pthread_cond_t cv;      /* members wait here for work */
    pthread_cond_t done_cv; /* member 0 waits here for the others */
    uint64_t generation;    /* bumped per region */
    int running;            /* members still in the current region */
    int quit;
    algo_team_fn fn;
    void *arg;
};

typedef struct member {
    algo_team *t;
    int tid;
} member;

static void *member_main(void *p)
{
    member *m = p;
    algo_team *t = m->t;
    int tid = m->tid;
    free(m);
    uint64_t seen = 0;
    pthread_mutex_lock(&t->mu);
    for (;;) {
        while (!t->quit && t->generation == seen)
            pthread_cond_wait(&t->cv, &t->mu);
        if (t->quit)
            break;
        seen = t->generation;
        algo_team_fn fn = t->fn;
        void *arg = t->arg;
        pthread_mutex_unlock(&t->mu);
        fn(arg, tid);
        pthread_mutex_lock(&t->mu);
        if (--t->running == 0)
            pthread_cond_signal(&t->done_cv);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

int algo_team_new(algo_team **out, int threads, char msg[ALGO_MSG_MAX])
{
    if (threads < 1)
        threads = 1;
    if (threads > ALGO_TEAM_MAX_THREADS)
        threads = ALGO_TEAM_MAX_THREADS;
    algo_team *t = calloc(1, sizeof *t);
    if (!t || !(t->threads = calloc((size_t)threads, sizeof *t->threads))) {
        free(t);
        snprintf(msg, ALGO_MSG_MAX, "out of memory for a team of %d threads", threads);
        return -1;
    }
    t->size = 1;
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    pthread_cond_init(&t->done_cv, NULL);
    for (int k = 1; k < threads; k++) {
        member *m = malloc(sizeof *m);
        if (m)
            *m = (member){t, k};
        if (!m || pthread_create(&t->threads[k], NULL, member_main, m) != 0) {
            free(m);
            snprintf(msg, ALGO_MSG_MAX, "cannot start thread %d of %d", k + 1, threads);
            algo_team_free(t);
            return -1;
        }
        t->size = k + 1;
    }
    if (pthread_barrier_init(&t->bar, NULL, (unsigned)t->size) != 0) {
        snprintf(msg, ALGO_MSG_MAX, "cannot set up a barrier for %d threads", t->size);
        algo_team_free(t);
        return -1;
    }
    t->have_bar = 1;
    *out = t;
    return 0;
}

void algo_team_free(algo_team *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->mu);
    t->quit = 1;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    for (int k = 1; k < t->size; k++)
        pthread_join(t->threads[k], NULL);
    if (t->have_bar)
        pthread_barrier_destroy(&t->bar);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
    pthread_cond_destroy(&t->done_cv);
    free(t->threads);
    free(t);
}

int algo_team_size(const algo_team *t)
{
    return t->size;
}

void algo_team_run(algo_team *t, algo_team_fn fn, void *arg)
{
    if (t->size == 1) {
        fn(arg, 0);
        return;
    }
    pthread_mutex_lock(&t->mu);
    t->fn = fn;
    t->arg = arg;
    t->running = t->size - 1;
    t->generation++;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    fn(arg, 0);
    pthread_mutex_lock(&t->mu);
    while (t->running > 0)
        pthread_cond_wait(&t->done_cv, &t->mu);
    pthread_mutex_unlock(&t->mu);
}

void algo_team_barrier(algo_team *t)
{
    if (t->size > 1)
        pthread_barrier_wait(&t->bar);
}

static void for_blocks(uint64_t n, uint64_t *cursor, algo_block_fn fn, void *arg)
{
    const uint64_t nb = algo_blocks(n);
    for (;;) {
        uint64_t b = __atomic_fetch_add(cursor, 1, __ATOMIC_RELAXED);
        if (b >= nb)
            break;
        uint64_t lo = b * ALGO_BLOCK, hi = lo + ALGO_BLOCK < n ? lo + ALGO_BLOCK : n;
        fn(arg, b, lo, hi);
    }
}

void algo_team_for_in_run(algo_team *t, uint64_t n, uint64_t *cursor, algo_block_fn fn, void *arg)
{
    for_blocks(n, cursor, fn, arg);
    algo_team_barrier(t);
}

typedef struct for_job {
    uint64_t n, cursor;
    algo_block_fn fn;
    void *arg;
} for_job;

static void for_member(void *p, int tid)
{
    (void)tid;
    for_job *j = p;
    for_blocks(j->n, &j->cursor, j->fn, j->arg);
}

void algo_team_for(algo_team *t, uint64_t n, algo_block_fn fn, void *arg)
{
    for_job j = {n, 0, fn, arg};
    algo_team_run(t, for_member, &j);
}

double algo_sum_blocks(const double *partial, uint64_t nb)
{
    double s = 0;
    for (uint64_t b = 0; b < nb; b++)
        s += partial[b];
    return s;
}

uint64_t algo_sum_blocks_u64(const uint64_t *partial, uint64_t nb)
{
    uint64_t s = 0;
    for (uint64_t b = 0; b < nb; b++)
        s += partial[b];
    return s;
}

void *algo_calloc_apart(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    void *p = aligned_alloc(ALGO_APART, bytes > 0 ? bytes : ALGO_APART);
    if (p)
        memset(p, 0, bytes);
    return p;
}
