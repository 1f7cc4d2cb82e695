/* pool.c: the bridge's bounded thread pool (see pool.h). One mutex, two
 * condition variables (work queued; a thread gone idle for the drain),
 * a ring of jobs. Cost: one lock and one signal per job. */
#include "pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct job {
    rest_pool_fn fn;
    void *arg;
} job;

struct rest_pool {
    pthread_mutex_t mu;
    pthread_cond_t work;
    pthread_t *threads;
    unsigned n_threads, max_threads, idle;
    job *ring;
    size_t head, n, cap;
    int closing;
};

static void *run(void *arg)
{
    rest_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->n == 0 && !p->closing) {
            p->idle++;
            pthread_cond_wait(&p->work, &p->mu);
            p->idle--;
        }
        if (p->n == 0) /* closing, and nothing left to run */
            break;
        job j = p->ring[p->head];
        p->head = (p->head + 1) % p->cap;
        p->n--;
        pthread_mutex_unlock(&p->mu);
        j.fn(j.arg);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int rest_pool_new(rest_pool **out, unsigned max_threads, size_t max_queued, char msg[REST_MSG_MAX])
{
    rest_pool *p = calloc(1, sizeof *p);
    if (!p || max_threads == 0 || max_queued == 0)
        goto fail;
    p->threads = calloc(max_threads, sizeof *p->threads);
    p->ring = calloc(max_queued, sizeof *p->ring);
    if (!p->threads || !p->ring)
        goto fail;
    p->max_threads = max_threads;
    p->cap = max_queued;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    *out = p;
    return 0;
fail:
    snprintf(msg, REST_MSG_MAX, "cannot make a pool of %u threads: out of memory", max_threads);
    if (p) {
        free(p->threads);
        free(p->ring);
    }
    free(p);
    return -1;
}

int rest_pool_submit(rest_pool *p, rest_pool_fn fn, void *arg)
{
    int rc = -1;
    pthread_mutex_lock(&p->mu);
    if (p->closing || p->n == p->cap)
        goto cleanup;
    /* A thread more when every one is busy: started before the job is
     * queued, so a failed start leaves the queue as it was. */
    if (p->idle <= p->n && p->n_threads < p->max_threads) {
        if (pthread_create(&p->threads[p->n_threads], NULL, run, p) == 0)
            p->n_threads++;
        else if (p->n_threads == 0)
            goto cleanup;
    }
    p->ring[(p->head + p->n) % p->cap] = (job){fn, arg};
    p->n++;
    pthread_cond_signal(&p->work);
    rc = 0;
cleanup:
    pthread_mutex_unlock(&p->mu);
    return rc;
}

void rest_pool_drain(rest_pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->closing = 1;
    pthread_cond_broadcast(&p->work);
    unsigned n = p->n_threads;
    p->n_threads = 0; /* joined once, whoever drains again */
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < n; i++)
        pthread_join(p->threads[i], NULL);
}

void rest_pool_free(rest_pool *p)
{
    if (!p)
        return;
    rest_pool_drain(p);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->mu);
    free(p->threads);
    free(p->ring);
    free(p);
}
