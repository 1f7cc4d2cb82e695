/* snap_cache.c: shared open snapshots (snap_cache.h). One list under
 * ctx->snap_lock; a view's refs count its readers plus the cache. */
#include "snap_cache.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_dir.h"

static void view_free(svc_snap *v)
{
    for (size_t i = 0; i < v->s.n_keys; i++)
        if (v->state[i] == 1)
            algo_column_unmap(&v->cols[i]);
    free(v->cols);
    free(v->state);
    algo_snapshot_close(&v->s);
    pthread_mutex_destroy(&v->col_lock);
    free(v);
}

static svc_snap *view_open(svc_ctx *ctx, const char *graph, int64_t version, char msg[SVC_MSG_MAX])
{
    char dir[PATH_MAX], amsg[ALGO_MSG_MAX] = "";
    svc_snap *v = calloc(1, sizeof *v);
    if (v == NULL) {
        snprintf(msg, SVC_MSG_MAX, "out of memory opening graph '%s'", graph);
        return NULL;
    }
    svc_path_version_dir(dir, ctx->cfg->data_dir, graph, version);
    if (algo_snapshot_open(&v->s, dir, amsg) < 0) {
        snprintf(msg, SVC_MSG_MAX,
                 SVC_MSG_STORE_FAILED "cannot read version %lld of graph '%s': %s",
                 (long long)version, graph, amsg);
        free(v);
        return NULL;
    }
    v->cols = calloc(v->s.n_keys + 1, sizeof *v->cols);
    v->state = calloc(v->s.n_keys + 1, 1);
    if (v->cols == NULL || v->state == NULL) {
        free(v->cols);
        free(v->state);
        algo_snapshot_close(&v->s);
        free(v);
        snprintf(msg, SVC_MSG_MAX, "out of memory opening graph '%s'", graph);
        return NULL;
    }
    pthread_mutex_init(&v->col_lock, NULL);
    snprintf(v->graph, sizeof v->graph, "%s", graph);
    v->version = version;
    return v;
}

/* Drops the cache's reference to its views of `graph` (every graph if
 * NULL) older than version `below`; returns those nobody else holds, for
 * freeing outside the lock. */
static svc_snap *take_locked(svc_ctx *ctx, const char *graph, int64_t below, svc_snap *gone)
{
    for (svc_snap **p = &ctx->snaps; *p;) {
        svc_snap *v = *p;
        if ((graph == NULL || strcmp(v->graph, graph) == 0) && v->version < below) {
            *p = v->next;
            if (--v->refs == 0) {
                v->next = gone;
                gone = v;
            }
        } else {
            p = &v->next;
        }
    }
    return gone;
}

/* Over SVC_SNAP_CACHE_MAX views: the least recently used unused ones go. */
static svc_snap *trim_locked(svc_ctx *ctx, svc_snap *gone)
{
    size_t n = 0;
    for (svc_snap *v = ctx->snaps; v; v = v->next)
        n++;
    for (; n > SVC_SNAP_CACHE_MAX; n--) {
        svc_snap **oldest = NULL;
        for (svc_snap **p = &ctx->snaps; *p; p = &(*p)->next)
            if ((*p)->refs == 1 && (oldest == NULL || (*p)->used < (*oldest)->used))
                oldest = p;
        if (oldest == NULL)
            break; /* all in use: over the limit for a while */
        svc_snap *v = *oldest;
        *oldest = v->next;
        v->next = gone;
        gone = v;
    }
    return gone;
}

static void free_list(svc_snap *v)
{
    while (v) {
        svc_snap *next = v->next;
        view_free(v);
        v = next;
    }
}

int svc_snap_get(svc_ctx *ctx, const char *graph, int64_t version, svc_snap **out,
                 char msg[SVC_MSG_MAX])
{
    pthread_mutex_lock(&ctx->snap_lock);
    for (svc_snap *v = ctx->snaps; v; v = v->next) {
        if (v->version == version && strcmp(v->graph, graph) == 0) {
            v->refs++;
            v->used = ++ctx->snap_clock;
            pthread_mutex_unlock(&ctx->snap_lock);
            *out = v;
            return 0;
        }
    }
    pthread_mutex_unlock(&ctx->snap_lock);

    /* Opened outside the lock: readers of other graphs don't wait. */
    svc_snap *fresh = view_open(ctx, graph, version, msg);
    if (fresh == NULL)
        return -EIO;
    pthread_mutex_lock(&ctx->snap_lock);
    svc_snap *gone = NULL, *v = ctx->snaps;
    while (v && !(v->version == version && strcmp(v->graph, graph) == 0))
        v = v->next;
    if (v) { /* another reader opened it meanwhile */
        v->refs++;
        v->used = ++ctx->snap_clock;
    } else {
        /* Older versions of the graph are no longer wanted. */
        gone = take_locked(ctx, graph, version, NULL);
        v = fresh;
        fresh = NULL;
        v->refs = 2; /* the cache's and this reader's */
        v->used = ++ctx->snap_clock;
        v->next = ctx->snaps;
        ctx->snaps = v;
        gone = trim_locked(ctx, gone);
    }
    pthread_mutex_unlock(&ctx->snap_lock);
    if (fresh)
        view_free(fresh);
    free_list(gone);
    *out = v;
    return 0;
}

void svc_snap_put(svc_ctx *ctx, svc_snap *v)
{
    if (v == NULL)
        return;
    pthread_mutex_lock(&ctx->snap_lock);
    int last = --v->refs == 0;
    pthread_mutex_unlock(&ctx->snap_lock);
    if (last)
        view_free(v);
}

const algo_column *svc_snap_column(svc_snap *v, size_t k)
{
    char amsg[ALGO_MSG_MAX];
    pthread_mutex_lock(&v->col_lock);
    if (v->state[k] == 0)
        v->state[k] = algo_snapshot_column(&v->s, &v->s.keys[k], &v->cols[k], amsg) == 0 ? 1 : 2;
    const algo_column *c = v->state[k] == 1 ? &v->cols[k] : NULL;
    pthread_mutex_unlock(&v->col_lock);
    return c;
}

void svc_snap_forget(svc_ctx *ctx, const char *graph, int64_t below)
{
    pthread_mutex_lock(&ctx->snap_lock);
    svc_snap *gone = take_locked(ctx, graph, below, NULL);
    pthread_mutex_unlock(&ctx->snap_lock);
    free_list(gone);
}

void svc_snaps_free(svc_ctx *ctx)
{
    pthread_mutex_lock(&ctx->snap_lock);
    svc_snap *gone = take_locked(ctx, NULL, INT64_MAX, NULL);
    pthread_mutex_unlock(&ctx->snap_lock);
    free_list(gone);
}
