/* channel_watch.c: the watcher thread of a client channel (see
 * channel_watch.h). grpc_channel_watch_connectivity_state with a deadline,
 * so that a stop is seen within WATCH_TICK_MS; try_to_connect on every
 * check, so that an idle channel (after the server's GOAWAY) reconnects
 * without waiting for a caller. */
#include "channel_watch.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include "rpc_internal.h"

#define WATCH_TICK_MS 1000

struct hgc_channel_watch {
    grpc_channel *ch;
    grpc_completion_queue *cq;
    pthread_t thread;
    atomic_int stop;
};

static void *watch(void *arg)
{
    hgc_channel_watch *w = arg;
    while (!atomic_load(&w->stop)) {
        grpc_connectivity_state st = grpc_channel_check_connectivity_state(w->ch, 1);
        gpr_timespec deadline = gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                                             gpr_time_from_millis(WATCH_TICK_MS, GPR_TIMESPAN));
        grpc_channel_watch_connectivity_state(w->ch, st, deadline, w->cq, w);
        grpc_event ev =
            grpc_completion_queue_next(w->cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
        if (ev.type == GRPC_QUEUE_SHUTDOWN)
            break;
    }
    return NULL;
}

int hgc_channel_watch_new(hgc_channel_watch **out, hgc_channel *c, char msg[HGC_MSG_MAX])
{
    hgc_channel_watch *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(msg, HGC_MSG_MAX, "out of memory");
        return -1;
    }
    w->ch = hgc_channel_core(c);
    w->cq = grpc_completion_queue_create_for_next(NULL);
    atomic_init(&w->stop, 0);
    if (!w->cq || pthread_create(&w->thread, NULL, watch, w) != 0) {
        snprintf(msg, HGC_MSG_MAX, "cannot start the channel's watcher thread");
        if (w->cq)
            grpc_completion_queue_destroy(w->cq);
        free(w);
        return -1;
    }
    *out = w;
    return 0;
}

void hgc_channel_watch_free(hgc_channel_watch *w)
{
    if (!w)
        return;
    atomic_store(&w->stop, 1);
    pthread_join(w->thread, NULL); /* its watch ends at the deadline */
    grpc_completion_queue_shutdown(w->cq);
    while (grpc_completion_queue_next(w->cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL).type !=
           GRPC_QUEUE_SHUTDOWN)
        ;
    grpc_completion_queue_destroy(w->cq);
    free(w);
}
