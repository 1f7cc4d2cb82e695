/* graph_folding.c: the thread that folds a graph's small loads into a new
 * version once the graph has had none for --fold-after-ms (graphs.h:
 * svc_graphs_folder_start). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "graphs.h"
#include "graphs_live.h"

/* A fold that failed (a full disk) is tried again after fold_after_ms,
 * and not sooner than this: at --fold-after-ms 1 it was a try and a log
 * line every few ms for as long as the disk stayed full. */
#define FOLD_RETRY_MS 1000

/* Folds every graph whose last small load is older than fold_after_ms;
 * returns the milliseconds until the next one is due (or -1: none). */
static int64_t fold_idle(svc_ctx *ctx)
{
    int64_t wait = -1;
    for (;;) {
        char graph[SVC_NAME_MAX + 1] = "";
        int64_t now = hgc_now_ms(), after = ctx->cfg->fold_after_ms;
        pthread_mutex_lock(&ctx->load_lock);
        for (svc_live *e = ctx->live; e; e = e->next) {
            /* An entry whose load is running is not idle; its fields are
             * that load's: only its name and time are read here. */
            int busy = 0;
            for (size_t i = 0; i < ctx->n_loading && !busy; i++)
                busy = strcmp(ctx->loading[i], e->graph) == 0;
            if (busy || e->changed_ms == 0)
                continue;
            int64_t due = e->changed_ms + after - now;
            if (due <= 0) {
                snprintf(graph, sizeof graph, "%s", e->graph);
                break;
            }
            if (wait < 0 || due < wait)
                wait = due;
        }
        pthread_mutex_unlock(&ctx->load_lock);
        if (graph[0] == '\0')
            return wait;
        char msg[SVC_MSG_MAX] = "";
        int rc = svc_graph_settle(ctx, graph, NULL, msg);
        if (rc < 0)
            fprintf(stderr, "hgc-server: graph '%s': folding its small loads: %s\n", graph, msg);
        /* Still there: a fold that failed is tried again after another
         * pause (as if a load had come FOLD_RETRY_MS - fold_after_ms from
         * now, when that is later); one with nothing to fold (empty
         * loads) is done. */
        if (svc_graph_hold(ctx, graph, NULL) == 0) {
            svc_live *e = svc_live_find(ctx, graph);
            int64_t later = after < FOLD_RETRY_MS ? FOLD_RETRY_MS - after : 0;
            if (e)
                svc_live_note(ctx, e, rc < 0 ? hgc_now_ms() + later : 0);
            svc_graph_release(ctx, graph, 0);
        }
    }
}

static void *folder_main(void *arg)
{
    svc_ctx *ctx = arg;
    pthread_mutex_lock(&ctx->load_lock);
    while (!ctx->folder_stop) {
        pthread_mutex_unlock(&ctx->load_lock);
        int64_t wait = fold_idle(ctx);
        pthread_mutex_lock(&ctx->load_lock);
        if (ctx->folder_stop)
            break;
        /* Small loads signal folder_wake; waiting is bounded anyway. */
        if (wait < 0 || wait > 1000)
            wait = 1000;
        struct timespec until;
        hgc_deadline_in(&until, wait);
        pthread_cond_timedwait(&ctx->folder_wake, &ctx->load_lock, &until);
    }
    pthread_mutex_unlock(&ctx->load_lock);
    return NULL;
}

int svc_graphs_folder_start(svc_ctx *ctx, char msg[SVC_MSG_MAX])
{
    ctx->folder_stop = 0;
    int rc = pthread_create(&ctx->folder, NULL, folder_main, ctx);
    if (rc != 0) {
        snprintf(msg, SVC_MSG_MAX, "cannot start the folding thread: %s", strerror(rc));
        return -rc;
    }
    ctx->folder_on = 1;
    return 0;
}

void svc_graphs_folder_stop(svc_ctx *ctx)
{
    if (ctx->folder_on) {
        pthread_mutex_lock(&ctx->load_lock);
        ctx->folder_stop = 1;
        pthread_cond_broadcast(&ctx->folder_wake);
        pthread_mutex_unlock(&ctx->load_lock);
        pthread_join(ctx->folder, NULL);
        ctx->folder_on = 0;
    }
    while (ctx->live) {
        char graph[SVC_NAME_MAX + 1];
        snprintf(graph, sizeof graph, "%s", ctx->live->graph);
        svc_live_forget(ctx, graph);
    }
}
