/* config.h: hgc-server's settings, from flags and HGC_* variables (a flag
 * wins over its variable, a variable over the default). */
#ifndef SVC_CONFIG_H
#define SVC_CONFIG_H

#include <limits.h>

typedef struct svc_config {
    char listen[256];        /* --listen, HGC_LISTEN: 127.0.0.1:50051 */
    char data_dir[PATH_MAX]; /* --data-dir, HGC_DATA_DIR: ./hgc-data */
    char name[64];           /* --name, HGC_NAME: server-1 (task_server) */
    int max_jobs;            /* --max-jobs, HGC_MAX_JOBS: jobs running at once, 2 */
    int max_retries;         /* --max-retries, HGC_MAX_RETRIES: 3 */
    int max_workers;         /* --max-workers, HGC_MAX_WORKERS: worker_instances at most, 64 */
    char worker[PATH_MAX];   /* --worker, HGC_WORKER: hgc-worker beside the server binary */
    int worker_threads;      /* --worker-threads, HGC_WORKER_THREADS: compute threads per job,
                                the machine's cores */
    int fold_after_ms;       /* --fold-after-ms, HGC_FOLD_AFTER_MS: 1000 (graphs.h) */
    int rpc_threads;         /* --rpc-threads, HGC_RPC_THREADS: handler pool size, 64 */
    int rpc_queue;           /* --rpc-queue, HGC_RPC_QUEUE: calls waiting at most, 4096 */
    int rpc_pollers;         /* --rpc-pollers, HGC_RPC_POLLERS: completion queues, 1 */
} svc_config;

/* Fills *cfg from argv and the environment. Returns 0 to run, 1 when
 * --help was printed, negative (message printed to stderr) on a bad flag. */
int svc_config_parse(svc_config *cfg, int argc, char **argv);

#endif
