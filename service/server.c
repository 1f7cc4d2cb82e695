/* server.c: wiring of hgc-server: data dir (one server per dir, by an
 * flock), store, gRPC services and health, scheduler, signals.
 *
 * Signals: SIGTERM/SIGINT are blocked in every thread (before gRPC starts
 * its own) and taken by sigwait here, so shutdown runs on this thread in
 * a known order: stop taking calls, let calls finish, stop the workers
 * (their tasks are restored on the next start), close the store.
 */
#define _GNU_SOURCE
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/malloc_tune.h"
#include "data_dir.h"
#include "graph_service.h"
#include "graphs.h"
#include "snap_cache.h"
#include "job_service.h"
#include "job_watch.h"
#include "scheduler.h"
#include "service.h"

#define SHUTDOWN_GRACE_MS 2000

/* A unix socket ("unix:PATH", "unix-abstract:NAME"): gRPC reports 1 as
 * its port; the address is the one given. */
static int is_unix_address(const char *listen)
{
    return strncmp(listen, "unix:", 5) == 0 || strncmp(listen, "unix-abstract:", 14) == 0;
}

/* The address served on, with the port bound ("127.0.0.1:0" ->
 * "127.0.0.1:PORT"; a unix socket as given). for_worker: where a local
 * worker reaches it, a wildcard host made loopback ("0.0.0.0:50051" ->
 * "127.0.0.1:50051"). */
static void bound_address(char *out, size_t cap, const char *listen, int port, int for_worker)
{
    if (is_unix_address(listen)) {
        snprintf(out, cap, "%s", listen);
        return;
    }
    char host[256];
    snprintf(host, sizeof host, "%s", listen);
    char *colon = strrchr(host, ':');
    if (colon)
        *colon = '\0';
    if (for_worker && (host[0] == '\0' || strcmp(host, "0.0.0.0") == 0))
        snprintf(host, sizeof host, "127.0.0.1");
    else if (for_worker && strcmp(host, "[::]") == 0)
        snprintf(host, sizeof host, "[::1]");
    snprintf(out, cap, "%s:%d", host, port);
}

static int lock_data_dir(const char *root)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/hgc.lock", root);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "hgc-server: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        fprintf(stderr, "hgc-server: another hgc-server uses the data dir %s\n", root);
        close(fd);
        return -1;
    }
    return fd;
}

int svc_server_run(const svc_config *cfg)
{
    char msg[SVC_MSG_MAX] = "", path[PATH_MAX], report[300];
    svc_ctx ctx = {.cfg = cfg};
    hgc_server *server = NULL;
    int lock_fd = -1, port = 0, code = 1, rpc_up = 0;
    sigset_t stop_signals;

    /* gRPC's locks without abseil's deadlock detector (rpc/absl_quiet.c);
     * freed memory kept, not trimmed per call (base/malloc_tune.h) */
    hgc_rpc_no_deadlock_detector();
    hgc_malloc_keep_freed();
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);
    pthread_mutex_init(&ctx.load_lock, NULL);
    pthread_cond_init(&ctx.load_done, NULL);
    pthread_cond_init(&ctx.folder_wake, NULL);
    pthread_mutex_init(&ctx.snap_lock, NULL);

    if (svc_data_dir_init(cfg->data_dir, msg) < 0) {
        fprintf(stderr, "hgc-server: %s\n", msg);
        goto done;
    }
    if ((lock_fd = lock_data_dir(cfg->data_dir)) < 0)
        goto done;
    svc_path_db(path, cfg->data_dir);
    if (svc_store_open(&ctx.store, path, msg) < 0) {
        fprintf(stderr, "hgc-server: %s\n", msg);
        goto done;
    }
    svc_graphs_recover(&ctx);
    if (svc_graphs_folder_start(&ctx, msg) < 0 || svc_scheduler_start(&ctx.sched, &ctx, msg) < 0 ||
        svc_watch_hub_start(&ctx.watch, ctx.store, msg) < 0) {
        fprintf(stderr, "hgc-server: %s\n", msg);
        goto done;
    }

    hgc_rpc_init();
    rpc_up = 1;
    hgc_server_options opts = {
        .max_threads = cfg->rpc_threads,
        .max_queue = cfg->rpc_queue,
        .pollers = cfg->rpc_pollers,
    };
    if (hgc_server_new(&server, &opts) < 0 || svc_job_service_add(server, &ctx, msg) < 0 ||
        svc_graph_service_add(server, &ctx, msg) < 0 || hgc_server_add_health(server, msg) < 0 ||
        hgc_server_start(server, cfg->listen, &port, msg) < 0) {
        fprintf(stderr, "hgc-server: cannot serve on %s: %s\n", cfg->listen,
                msg[0] ? msg : "setup failed");
        goto done;
    }
    bound_address(report, sizeof report, cfg->listen, port, 1);
    svc_scheduler_serve(ctx.sched, report);
    char shown[300];
    bound_address(shown, sizeof shown, cfg->listen, port, 0);
    printf("listening on %s\n", shown);
    fflush(stdout);
    fprintf(stderr, "hgc-server: %s serving on %s, data dir %s, worker %s\n", cfg->name, shown,
            cfg->data_dir, cfg->worker);

    int sig = 0;
    sigwait(&stop_signals, &sig);
    fprintf(stderr, "hgc-server: signal %d, shutting down\n", sig);
    code = 0;
done:
    if (server) {
        hgc_server_shutdown(server, SHUTDOWN_GRACE_MS);
        hgc_server_free(server);
    }
    svc_watch_hub_stop(ctx.watch);
    svc_scheduler_stop(ctx.sched);
    svc_graphs_folder_stop(&ctx);
    svc_snaps_free(&ctx);
    if (rpc_up)
        hgc_rpc_shutdown();
    svc_store_close(ctx.store);
    free(ctx.loading);
    free(ctx.waiters);
    pthread_mutex_destroy(&ctx.load_lock);
    pthread_cond_destroy(&ctx.load_done);
    pthread_cond_destroy(&ctx.folder_wake);
    pthread_mutex_destroy(&ctx.snap_lock);
    if (lock_fd >= 0)
        close(lock_fd);
    return code;
}
