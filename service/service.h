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
 * gRPC statuses. */
grpc_status_code svc_grpc_status(int err);

#endif
