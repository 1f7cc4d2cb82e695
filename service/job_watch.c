/* job_watch.c: WatchJob subscriptions (job_watch.h).
 *
 * Watches are grouped by task: a group holds one (graph, id) and its
 * watchers. Everything is under the hub's mutex: the handler's first read
 * and send, the hub thread's rounds, and the done hook that unlinks a
 * watcher whose client left. Lock order: hub, then a call's own (inside
 * hgc_call_post / hgc_call_end); the store's lock is taken under the
 * hub's, never the other way round.
 *
 * A watcher lives in its call's arena: the gRPC layer keeps that memory
 * while the done hook runs, and the hook does nothing once the hub has
 * unlinked and ended the call itself.
 */
#include "job_watch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job_service.h"
#include "task_state.h"

#define WAIT_MS 200 /* a bound on noticing stop; changes wake the hub at once */

struct group;

struct watcher {
    struct watcher *prev, *next;
    svc_watch_hub *hub;
    struct group *g;
    hgc_call *call;
    int linked;
    int last_status;
    int64_t last_progress, last_retries, last_update;
};

struct group {
    struct group *prev, *next;
    char graph[SVC_NAME_MAX + 1];
    int64_t id;
    struct watcher *watchers;
};

struct svc_watch_hub {
    svc_store *store;
    pthread_mutex_t mu;
    struct group *groups;
    pthread_t thread;
    int stop;
    uint64_t seen;
};

/* Under h->mu. */
static void unlink_watcher(svc_watch_hub *h, struct watcher *w)
{
    struct group *g = w->g;
    if (w->prev)
        w->prev->next = w->next;
    else
        g->watchers = w->next;
    if (w->next)
        w->next->prev = w->prev;
    w->linked = 0;
    if (!g->watchers) {
        if (g->prev)
            g->prev->next = g->next;
        else
            h->groups = g->next;
        if (g->next)
            g->next->prev = g->prev;
        free(g);
    }
}

/* Under h->mu: sends `t` if it differs from what `w` saw; ends the watch
 * after a final snapshot. */
static void deliver(svc_watch_hub *h, struct watcher *w, const svc_task *t)
{
    if ((int)t->status != w->last_status || t->progress != w->last_progress ||
        t->retries != w->last_retries || t->updated != w->last_update) {
        Hgc__V1__Task snap;
        svc_task_to_proto(&snap, t);
        hgc_call_post(w->call, &snap.base); /* a client gone: its done hook follows */
        w->last_status = (int)t->status;
        w->last_progress = t->progress;
        w->last_retries = t->retries;
        w->last_update = t->updated;
    }
    if (svc_status_is_final(t->status)) {
        hgc_call *call = w->call;
        unlink_watcher(h, w);
        hgc_call_end(call, GRPC_STATUS_OK, NULL);
    }
}

/* Under h->mu: the task is gone (or unreadable). */
static void end_missing(svc_watch_hub *h, struct watcher *w, int rc, const char *graph, int64_t id)
{
    hgc_call *call = w->call;
    unlink_watcher(h, w);
    hgc_call_end(call, svc_grpc_status(rc), "task %lld of graph '%s' does not exist", (long long)id,
                 graph);
}

/* The gRPC layer's done hook: the client left, its deadline passed or the
 * server is stopping. */
static void watch_done(hgc_call *call, void *arg, grpc_status_code why)
{
    struct watcher *w = arg;
    svc_watch_hub *h = w->hub;
    pthread_mutex_lock(&h->mu);
    if (w->linked) {
        unlink_watcher(h, w);
        hgc_call_end(call, why,
                     why == GRPC_STATUS_DEADLINE_EXCEEDED ? "the deadline passed"
                     : why == GRPC_STATUS_UNAVAILABLE     ? "server shutting down"
                                                          : "the watch was cancelled");
    }
    pthread_mutex_unlock(&h->mu);
}

void svc_watch_subscribe(svc_watch_hub *h, hgc_call *call, const char *graph, int64_t task_id)
{
    struct watcher *w = hgc_call_alloc(call, sizeof *w);
    memset(w, 0, sizeof *w);
    w->hub = h;
    w->call = call;
    w->last_status = -1;
    w->last_progress = w->last_retries = w->last_update = -1;
    hgc_call_keep(call, watch_done, w);

    pthread_mutex_lock(&h->mu);
    struct group *g = h->groups;
    while (g && !(g->id == task_id && strcmp(g->graph, graph) == 0))
        g = g->next;
    if (!g) {
        g = calloc(1, sizeof *g);
        if (!g) {
            pthread_mutex_unlock(&h->mu);
            hgc_call_end(call, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
            return;
        }
        snprintf(g->graph, sizeof g->graph, "%s", graph);
        g->id = task_id;
        g->next = h->groups;
        if (h->groups)
            h->groups->prev = g;
        h->groups = g;
    }
    w->g = g;
    w->next = g->watchers;
    if (g->watchers)
        g->watchers->prev = w;
    g->watchers = w;
    w->linked = 1;
    /* The first snapshot now, under the hub's lock: a round cannot send
     * an older one after it. */
    svc_task t;
    int rc = svc_store_task_get(h->store, graph, task_id, &t);
    if (rc < 0) {
        end_missing(h, w, rc, graph, task_id);
    } else {
        deliver(h, w, &t);
        svc_task_release(&t);
    }
    pthread_mutex_unlock(&h->mu);
}

/* Under h->mu: one read per watched task, to each of its watchers. */
static void round_all(svc_watch_hub *h)
{
    struct group *g = h->groups;
    while (g) {
        struct group *next = g->next; /* g may go when its last watcher ends */
        svc_task t;
        int rc = svc_store_task_get(h->store, g->graph, g->id, &t);
        char graph[SVC_NAME_MAX + 1];
        int64_t id = g->id;
        snprintf(graph, sizeof graph, "%s", g->graph);
        for (struct watcher *w = g->watchers, *wn; w; w = wn) {
            wn = w->next;
            if (rc < 0)
                end_missing(h, w, rc, graph, id);
            else
                deliver(h, w, &t);
        }
        if (rc == 0)
            svc_task_release(&t);
        g = next;
    }
}

static void *hub_main(void *arg)
{
    svc_watch_hub *h = arg;
    pthread_mutex_lock(&h->mu);
    while (!h->stop) {
        uint64_t before = h->seen;
        pthread_mutex_unlock(&h->mu);
        svc_store_wait_change(h->store, &h->seen, WAIT_MS);
        pthread_mutex_lock(&h->mu);
        if (h->seen != before && h->groups)
            round_all(h);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

int svc_watch_hub_start(svc_watch_hub **out, svc_store *store, char msg[SVC_MSG_MAX])
{
    svc_watch_hub *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(msg, SVC_MSG_MAX, "out of memory");
        return -ENOMEM;
    }
    h->store = store;
    pthread_mutex_init(&h->mu, NULL);
    if (pthread_create(&h->thread, NULL, hub_main, h) != 0) {
        snprintf(msg, SVC_MSG_MAX, "cannot start the watch thread");
        pthread_mutex_destroy(&h->mu);
        free(h);
        return -EAGAIN;
    }
    *out = h;
    return 0;
}

void svc_watch_hub_stop(svc_watch_hub *h)
{
    if (!h)
        return;
    pthread_mutex_lock(&h->mu);
    h->stop = 1;
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->thread, NULL);
    /* The server is down: every watch ended through its done hook. */
    while (h->groups) {
        struct group *g = h->groups;
        h->groups = g->next;
        free(g);
    }
    pthread_mutex_destroy(&h->mu);
    free(h);
}
