/* channel_watch.c: the watcher of a client channel (see channel_watch.h).
 * grpc_channel_watch_connectivity_state with a deadline, on the channel's
 * async queue (client_async.c), so its polling thread is the one that
 * watches; try_to_connect on every check, so that an idle channel (after
 * the server's GOAWAY) reconnects without waiting for a caller. */
#include "channel_watch.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "rpc_internal.h"

#define WATCH_TICK_MS 1000

struct hgc_channel_watch {
    hgc_async_tag tag; /* first: the queue's tag (on_event) */
    grpc_channel *ch;
    grpc_completion_queue *cq;
    pthread_mutex_t mu;
    pthread_cond_t ended;
    int stop;  /* under mu: free began */
    int armed; /* under mu: a watch is on the queue */
};

/* Asks the channel to connect if idle, and to report its next change
 * (or the tick's end). */
static void arm(hgc_channel_watch *w)
{
    grpc_connectivity_state st = grpc_channel_check_connectivity_state(w->ch, 1);
    gpr_timespec deadline = gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                                         gpr_time_from_millis(WATCH_TICK_MS, GPR_TIMESPAN));
    grpc_channel_watch_connectivity_state(w->ch, st, deadline, w->cq, &w->tag);
}

/* The polling thread: a change, or a tick without one. */
static void on_event(hgc_async_tag *t, int success)
{
    (void)success;
    hgc_channel_watch *w = (hgc_channel_watch *)t;
    pthread_mutex_lock(&w->mu);
    if (w->stop) {
        w->armed = 0;
        pthread_cond_broadcast(&w->ended);
        pthread_mutex_unlock(&w->mu);
        return;
    }
    pthread_mutex_unlock(&w->mu);
    arm(w);
}

int hgc_channel_watch_new(hgc_channel_watch **out, hgc_channel *c, char msg[HGC_MSG_MAX])
{
    hgc_client_async *a = hgc_channel_async(c);
    hgc_channel_watch *w = a ? calloc(1, sizeof *w) : NULL;
    if (!w) {
        snprintf(msg, HGC_MSG_MAX, "out of memory (or threads) for the channel's watcher");
        return -1;
    }
    w->tag.run = on_event;
    w->ch = hgc_channel_core(c);
    w->cq = hgc_client_async_cq(a);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->ended, NULL);
    w->armed = 1;
    arm(w);
    *out = w;
    return 0;
}

void hgc_channel_watch_free(hgc_channel_watch *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    while (w->armed) /* its watch ends at the tick's end */
        pthread_cond_wait(&w->ended, &w->mu);
    pthread_mutex_unlock(&w->mu);
    pthread_cond_destroy(&w->ended);
    pthread_mutex_destroy(&w->mu);
    free(w);
}
