/* service.h: what the parts of hgc-server share: the settings, the store,
 * the scheduler and the address workers report to. Created by
 * svc_server_run (server.c), handed to every handler as user data. */
#ifndef SVC_SERVICE_H
#define SVC_SERVICE_H

#include <grpc/status.h>
#include <pthread.h>
#include <stdint.h>
#include "config.h"
#include "store.h"

typedef struct svc_scheduler svc_scheduler;

/* Someone who waits for a graph another load holds without a thread:
 * keep(arg) when the wait is promised, wake(arg) once the graph is free
 * (from the thread that frees it). Functions that take one answer
 * -EINPROGRESS instead of waiting; NULL there: wait on this thread. */
typedef struct svc_waiter {
    void (*keep)(void *arg);
    void (*wake)(void *arg);
    void *arg;
} svc_waiter;

/* One waiting graph's entry (graphs.c). */
struct svc_graph_waiter;
typedef struct svc_watch_hub svc_watch_hub;

typedef struct svc_ctx {
    const svc_config *cfg;
    svc_store *store;
    svc_scheduler *sched;
    svc_watch_hub *watch; /* WatchJob subscriptions (job_watch.h) */
    /* Graphs with a load in progress: one load per graph at a time. */
    pthread_mutex_t load_lock;
    pthread_cond_t load_done;
    char (*loading)[SVC_NAME_MAX + 1];
    size_t n_loading, cap_loading;
    /* Calls waiting, without a thread, for a graph of `loading` to be
     * free (svc_waiter), under load_lock. */
    struct svc_graph_waiter *waiters;
    size_t n_waiters, cap_waiters;
    /* Graphs with small loads not yet folded into a version (graphs.c);
     * the list under load_lock, an entry's contents only for the holder
     * of its graph's load. */
    struct svc_live *live;
    /* The thread that folds idle graphs' small loads (graphs.c); small
     * loads wake it through folder_wake (with load_lock). */
    pthread_t folder;
    pthread_cond_t folder_wake;
    int folder_on, folder_stop;
    /* Open snapshots shared by readers (snap_cache.h). */
    pthread_mutex_t snap_lock;
    struct svc_snap *snaps;
    uint64_t snap_clock;
} svc_ctx;

/* The one table from the store's and loader's negative errno codes to
 * gRPC statuses. -EINPROGRESS (a call promised a resume: svc_call_waiter)
 * is HGC_CALL_LATER, which its handler returns as is. */
grpc_status_code svc_grpc_status(int err);

/* A waiter that runs `call` again once the graph is free (hgc_call_hold,
 * hgc_call_resume); for the handlers that can return HGC_CALL_LATER. */
struct hgc_call;
svc_waiter svc_call_waiter(struct hgc_call *call);

#endif
