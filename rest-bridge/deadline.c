/* deadline.c: the sweeping thread of read deadlines (see deadline.h).
 * shutdown(2), not close: the socket stays libmicrohttpd's to close, and
 * the sweep holds the list's lock while it shuts down, so a socket whose
 * connection was removed (and whose number may be reused) is never touched. */
#include "deadline.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/socket.h>

struct rest_conn {
    rest_conn *prev, *next;
    int fd;
    _Atomic int64_t due;
};

struct rest_deadlines {
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pthread_t thread;
    int stop;
    rest_conn *head;
};

int64_t rest_deadline_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void *sweep(void *arg)
{
    rest_deadlines *d = arg;
    pthread_mutex_lock(&d->mu);
    while (!d->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (long)REST_DEADLINE_TICK_MS * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&d->wake, &d->mu, &until);
        int64_t now = rest_deadline_now();
        unsigned cut = 0;
        for (rest_conn *c = d->head; c && !d->stop; c = c->next) {
            int64_t due = atomic_load_explicit(&c->due, memory_order_relaxed);
            if (due && now >= due) {
                shutdown(c->fd, SHUT_RDWR);
                atomic_store_explicit(&c->due, 0, memory_order_relaxed);
                cut++;
            }
        }
        if (cut)
            fprintf(stderr, "hgc-rest: closed %u connection%s past the read deadline\n", cut,
                    cut == 1 ? "" : "s");
    }
    pthread_mutex_unlock(&d->mu);
    return NULL;
}

int rest_deadlines_new(rest_deadlines **out, char msg[REST_MSG_MAX])
{
    rest_deadlines *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(msg, REST_MSG_MAX, "out of memory");
        return -1;
    }
    pthread_mutex_init(&d->mu, NULL);
    pthread_cond_init(&d->wake, NULL);
    if (pthread_create(&d->thread, NULL, sweep, d) != 0) {
        snprintf(msg, REST_MSG_MAX, "cannot start the read-deadline thread");
        pthread_cond_destroy(&d->wake);
        pthread_mutex_destroy(&d->mu);
        free(d);
        return -1;
    }
    *out = d;
    return 0;
}

void rest_deadlines_free(rest_deadlines *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&d->mu);
    d->stop = 1;
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->mu);
    pthread_join(d->thread, NULL);
    pthread_cond_destroy(&d->wake);
    pthread_mutex_destroy(&d->mu);
    free(d);
}

rest_conn *rest_conn_add(rest_deadlines *d, int fd, int64_t due)
{
    rest_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->fd = fd;
    atomic_init(&c->due, due);
    pthread_mutex_lock(&d->mu);
    c->next = d->head;
    if (d->head)
        d->head->prev = c;
    d->head = c;
    pthread_mutex_unlock(&d->mu);
    return c;
}

void rest_conn_remove(rest_deadlines *d, rest_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&d->mu);
    if (c->prev)
        c->prev->next = c->next;
    else
        d->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&d->mu);
    free(c);
}

void rest_conn_due(rest_conn *c, int64_t due)
{
    if (c)
        atomic_store_explicit(&c->due, due, memory_order_relaxed);
}
