/* graphs.c: loads, small loads and folding (graphs.h); the folding
 * thread is graph_folding.c.
 *
 * Cost of a bulk load: the previous version is re-read from its mapped
 * snapshot folder (O(n + m) plus its property columns) and its log
 * replayed, the new records are parsed as they arrive, and the whole new
 * folder is written (graph_build.h). A small load costs its records plus
 * one fdatasync: the builder holding version + log stays in memory
 * between small loads (struct svc_live) until the graph is folded.
 */
#include "graphs.h"
#include "graphs_live.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "hgc_rpc.h"
#include "data_dir.h"
#include "delta_log.h"
#include "graph_file.h"
#include "load_text.h"
#include "records.h"
#include "snapshot.h"

/* A log is folded once it passes its version's size, kept between these
 * (replaying a log reads it into memory whole). */
#define FOLD_BYTES_MIN ((uint64_t)64 << 20)
#define FOLD_BYTES_MAX ((uint64_t)512 << 20)
/* A log holding only its header has nothing to fold. */
#define DELTA_HEADER_BYTES 8

struct svc_load {
    svc_ctx *ctx;
    char graph[SVC_NAME_MAX + 1];
    int small;      /* records go to the log (svc_load_kind) */
    svc_live *live; /* a small load's graph state */
    int64_t base_version;
    int64_t base_vertices; /* before this load */
    int had_log;           /* the base version's log had records when it began */
    int new_graph;         /* the catalog had no such graph when it began */
    algo_graph_builder *builder;
    svc_text_load *text; /* a bulk load's text streams, once it has text */
    int64_t edges_added; /* by records and plain edges */
};

grpc_status_code svc_grpc_status(int err)
{
    switch (err) {
    case 0: return GRPC_STATUS_OK;
    case -ENOENT: return GRPC_STATUS_NOT_FOUND;
    case -EEXIST: return GRPC_STATUS_ALREADY_EXISTS;
    case -EBUSY: return GRPC_STATUS_FAILED_PRECONDITION;
    case -EPERM: return GRPC_STATUS_FAILED_PRECONDITION;
    case -EINVAL: return GRPC_STATUS_INVALID_ARGUMENT;
    case -ENOMEM: return GRPC_STATUS_RESOURCE_EXHAUSTED;
    case -ENOSPC: return GRPC_STATUS_RESOURCE_EXHAUSTED; /* msg starts with SVC_MSG_DISK_FULL */
    case -ECANCELED: return GRPC_STATUS_CANCELLED;
    case -EAGAIN: return GRPC_STATUS_UNAVAILABLE;
    case -EIO: return GRPC_STATUS_UNAVAILABLE; /* storage failed: nothing changed, try again */
    case -EINPROGRESS: return (grpc_status_code)HGC_CALL_LATER;
    default: return GRPC_STATUS_INTERNAL;
    }
}

static void call_keep(void *call)
{
    hgc_call_hold(call);
}

static void call_wake(void *call)
{
    hgc_call_resume(call);
}

svc_waiter svc_call_waiter(hgc_call *call)
{
    return (svc_waiter){call_keep, call_wake, call};
}

struct svc_graph_waiter {
    char graph[SVC_NAME_MAX + 1];
    svc_waiter w;
};

static void unmark_loading(svc_ctx *ctx, const char *graph)
{
    enum { WAKE_STACK = 64 };
    svc_waiter stack[WAKE_STACK], *wake = stack;
    size_t n_wake = 0;
    pthread_mutex_lock(&ctx->load_lock);
    for (size_t i = 0; i < ctx->n_loading; i++) {
        if (strcmp(ctx->loading[i], graph) == 0) {
            memcpy(ctx->loading[i], ctx->loading[--ctx->n_loading], sizeof ctx->loading[i]);
            break;
        }
    }
    pthread_cond_broadcast(&ctx->load_done);
    /* Every call waiting for this graph now runs again (the first to get
     * there takes it; the others wait again), woken outside the lock. All
     * are taken off the list at once, so one that waits again is left for
     * the next unmark; only without memory for that, a batch at a time. */
    if (ctx->n_waiters > WAKE_STACK && (wake = malloc(ctx->n_waiters * sizeof *wake)) == NULL)
        wake = stack;
    size_t cap = wake == stack ? WAKE_STACK : ctx->n_waiters;
    for (;;) {
        for (size_t i = 0; i < ctx->n_waiters && n_wake < cap;) {
            if (strcmp(ctx->waiters[i].graph, graph) == 0) {
                wake[n_wake++] = ctx->waiters[i].w;
                ctx->waiters[i] = ctx->waiters[--ctx->n_waiters];
            } else {
                i++;
            }
        }
        pthread_mutex_unlock(&ctx->load_lock);
        for (size_t i = 0; i < n_wake; i++)
            wake[i].wake(wake[i].arg);
        if (n_wake < cap || wake != stack)
            break;
        n_wake = 0;
        pthread_mutex_lock(&ctx->load_lock);
    }
    if (wake != stack)
        free(wake);
}

/* Under load_lock: `w` waits for `graph`. 0, or -ENOMEM. */
static int add_waiter(svc_ctx *ctx, const char *graph, const svc_waiter *w)
{
    if (ctx->n_waiters == ctx->cap_waiters) {
        size_t cap = ctx->cap_waiters ? ctx->cap_waiters * 2 : 16;
        void *grown = realloc(ctx->waiters, cap * sizeof ctx->waiters[0]);
        if (grown == NULL)
            return -ENOMEM;
        ctx->waiters = grown;
        ctx->cap_waiters = cap;
    }
    struct svc_graph_waiter *e = &ctx->waiters[ctx->n_waiters++];
    snprintf(e->graph, sizeof e->graph, "%s", graph);
    e->w = *w;
    w->keep(w->arg);
    return 0;
}

/* Takes `graph` for a load (or a drop). While another holds it: with `w`,
 * promises w a wake-up and answers -EINPROGRESS; without, waits here. */
static int mark_loading(svc_ctx *ctx, const char *graph, const svc_waiter *w)
{
    pthread_mutex_lock(&ctx->load_lock);
    for (;;) {
        size_t i = 0;
        while (i < ctx->n_loading && strcmp(ctx->loading[i], graph) != 0)
            i++;
        if (i == ctx->n_loading)
            break;
        if (w) {
            int rc = add_waiter(ctx, graph, w);
            pthread_mutex_unlock(&ctx->load_lock);
            return rc < 0 ? rc : -EINPROGRESS;
        }
        pthread_cond_wait(&ctx->load_done, &ctx->load_lock);
    }
    if (ctx->n_loading == ctx->cap_loading) {
        size_t cap = ctx->cap_loading ? ctx->cap_loading * 2 : 8;
        void *grown = realloc(ctx->loading, cap * sizeof ctx->loading[0]);
        if (grown == NULL) {
            pthread_mutex_unlock(&ctx->load_lock);
            return -ENOMEM;
        }
        ctx->loading = grown;
        ctx->cap_loading = cap;
    }
    snprintf(ctx->loading[ctx->n_loading++], SVC_NAME_MAX + 1, "%s", graph);
    pthread_mutex_unlock(&ctx->load_lock);
    return 0;
}

/* ---- graphs with small loads not yet folded ---- */

svc_live *svc_live_find(svc_ctx *ctx, const char *graph)
{
    pthread_mutex_lock(&ctx->load_lock);
    svc_live *e = ctx->live;
    while (e && strcmp(e->graph, graph) != 0)
        e = e->next;
    pthread_mutex_unlock(&ctx->load_lock);
    return e;
}

void svc_live_forget(svc_ctx *ctx, const char *graph)
{
    pthread_mutex_lock(&ctx->load_lock);
    svc_live **p = &ctx->live;
    while (*p && strcmp((*p)->graph, graph) != 0)
        p = &(*p)->next;
    svc_live *e = *p;
    if (e)
        *p = e->next;
    pthread_mutex_unlock(&ctx->load_lock);
    if (e) {
        svc_delta_close(e->log);
        algo_graph_builder_free(e->builder);
        free(e);
    }
}

/* (under load_lock: others read them) */
void svc_live_note(svc_ctx *ctx, svc_live *e, int64_t changed_ms)
{
    pthread_mutex_lock(&ctx->load_lock);
    e->log_bytes = e->log ? svc_delta_bytes(e->log) : 0;
    e->changed_ms = changed_ms;
    pthread_cond_signal(&ctx->folder_wake); /* a no-op before the thread starts */
    pthread_mutex_unlock(&ctx->load_lock);
}

/* The entry of a small load's graph at `version`, its log open. */
static int live_open(svc_ctx *ctx, const char *graph, int64_t version, svc_live **out,
                     char msg[SVC_MSG_MAX])
{
    char path[PATH_MAX];
    svc_live *e = svc_live_find(ctx, graph);
    if (e && e->version != version) {
        svc_live_forget(ctx, graph); /* from before a version it didn't fold */
        e = NULL;
    }
    if (e == NULL) {
        if ((e = calloc(1, sizeof *e)) == NULL)
            return -ENOMEM;
        snprintf(e->graph, sizeof e->graph, "%s", graph);
        e->version = version;
        svc_path_version_dir(path, ctx->cfg->data_dir, graph, version);
        uint64_t size = version > 0 ? (uint64_t)svc_tree_size(path) : 0;
        e->fold_bytes = size < FOLD_BYTES_MIN   ? FOLD_BYTES_MIN
                        : size > FOLD_BYTES_MAX ? FOLD_BYTES_MAX
                                                : size;
        pthread_mutex_lock(&ctx->load_lock);
        e->next = ctx->live;
        ctx->live = e;
        pthread_mutex_unlock(&ctx->load_lock);
    }
    if (e->log == NULL) {
        svc_path_graph_dir(path, ctx->cfg->data_dir, graph);
        int rc = svc_mkdirs(path, 1);
        if (rc < 0) {
            snprintf(msg, SVC_MSG_MAX, "cannot create %s: %s", path, strerror(-rc));
            return rc;
        }
        svc_path_delta(path, ctx->cfg->data_dir, graph, version);
        if ((rc = svc_delta_open(&e->log, path, msg)) < 0)
            return rc;
        svc_live_note(ctx, e, e->changed_ms);
    }
    *out = e;
    return 0;
}

/* Whether version `version` of `graph` has a log with records. Needs no
 * hold of the graph: a file not yet cut back may say yes wrongly, which
 * only costs the caller a look (svc_graph_settle). */
static int has_log(svc_ctx *ctx, const char *graph, int64_t version)
{
    char path[PATH_MAX];
    struct stat st;
    int known = 0, yes = 0;
    pthread_mutex_lock(&ctx->load_lock);
    for (svc_live *e = ctx->live; e; e = e->next) {
        if (strcmp(e->graph, graph) == 0 && e->version == version && e->log) {
            known = 1;
            yes = e->log_bytes > DELTA_HEADER_BYTES;
        }
    }
    pthread_mutex_unlock(&ctx->load_lock);
    if (known)
        return yes;
    svc_path_delta(path, ctx->cfg->data_dir, graph, version);
    return stat(path, &st) == 0 && st.st_size > DELTA_HEADER_BYTES;
}

/* ---- loads ---- */

/* Reads a version folder into the builder. */
static int add_version(svc_load *l, int64_t version, char msg[SVC_MSG_MAX])
{
    char dir[PATH_MAX], amsg[ALGO_MSG_MAX] = "";
    algo_snapshot snap;
    memset(&snap, 0, sizeof snap);
    svc_path_version_dir(dir, l->ctx->cfg->data_dir, l->graph, version);
    if (algo_snapshot_open(&snap, dir, amsg) < 0) {
        snprintf(msg, SVC_MSG_MAX,
                 SVC_MSG_STORE_FAILED "cannot read version %lld of graph '%s': %s",
                 (long long)version, l->graph, amsg);
        return -EIO;
    }
    int rc = algo_graph_builder_add_snapshot(l->builder, &snap, amsg);
    algo_snapshot_close(&snap);
    if (rc < 0) {
        snprintf(msg, SVC_MSG_MAX,
                 SVC_MSG_STORE_FAILED "cannot read version %lld of graph '%s': %s",
                 (long long)version, l->graph, amsg);
        return -EIO;
    }
    return 0;
}

/* The builder of the graph as callers see it: the one the last small load
 * left, or version + log read in. */
static int take_builder(svc_load *l, char msg[SVC_MSG_MAX])
{
    char path[PATH_MAX], dmsg[SVC_MSG_MAX] = "";
    svc_live *e = svc_live_find(l->ctx, l->graph);
    if (e && e->version == l->base_version && e->builder) {
        l->builder = e->builder;
        e->builder = NULL;
        l->had_log = has_log(l->ctx, l->graph, l->base_version);
        return 0;
    }
    if (algo_graph_builder_new(&l->builder) < 0) {
        snprintf(msg, SVC_MSG_MAX, "out of memory starting a load");
        return -ENOMEM;
    }
    int rc = l->base_version > 0 ? add_version(l, l->base_version, msg) : 0;
    if (rc < 0)
        return rc;
    svc_path_delta(path, l->ctx->cfg->data_dir, l->graph, l->base_version);
    uint64_t records = 0;
    rc = svc_delta_replay(path, algo_graph_builder_sink(l->builder), &records, dmsg);
    l->had_log = records > 0;
    if (rc < 0) {
        snprintf(msg, SVC_MSG_MAX,
                 SVC_MSG_STORE_FAILED "cannot replay the small loads of graph '%s': %s", l->graph,
                 dmsg);
        return -EIO;
    }
    return 0;
}

int svc_load_begin(svc_load **out, svc_ctx *ctx, const char *graph, svc_load_kind kind,
                   const svc_waiter *w, char msg[SVC_MSG_MAX])
{
    int rc = svc_graph_name_check(graph, msg) < 0 ? -EINVAL : 0;
    if (rc < 0)
        return rc;
    svc_load *l = calloc(1, sizeof *l);
    if (l == NULL)
        return -ENOMEM;
    l->ctx = ctx;
    snprintf(l->graph, sizeof l->graph, "%s", graph);
    if ((rc = mark_loading(ctx, graph, w)) < 0) {
        if (rc == -EINPROGRESS)
            snprintf(msg, SVC_MSG_MAX, "graph '%s' is being loaded by another call", graph);
        free(l);
        return rc;
    }
    svc_graph g;
    rc = svc_store_graph_get(ctx->store, graph, &g);
    if (rc == -ENOENT && kind == SVC_LOAD_SMALL) {
        /* Adding vertices or edges needs the graph (HugeGraph answers 404
         * too); only a bulk load creates one. */
        snprintf(msg, SVC_MSG_MAX,
                 "graph '%s' does not exist; create it first (POST /graphs/%s, CreateGraph) "
                 "or load edges into it (POST /graphs/%s/edges, LoadEdges)",
                 graph, graph, graph);
        goto fail;
    } else if (rc == -ENOENT) {
        rc = 0; /* a new graph, created when the load commits: as a version */
        l->new_graph = 1;
    } else if (rc < 0) {
        snprintf(msg, SVC_MSG_MAX, SVC_MSG_STORE_FAILED "cannot read the graph catalog");
        goto fail;
    } else {
        l->base_version = g.version;
    }
    if ((rc = take_builder(l, msg)) < 0)
        goto fail;
    l->base_vertices = (int64_t)algo_graph_builder_vertices(l->builder);
    if (kind == SVC_LOAD_SMALL) {
        if ((rc = live_open(ctx, graph, l->base_version, &l->live, msg)) < 0)
            goto fail;
        l->small = 1;
    }
    *out = l;
    return 0;
fail:
    svc_load_abort(l);
    return rc;
}

int svc_load_text(svc_load *l, const char *format, const void *data, size_t len,
                  char msg[SVC_MSG_MAX])
{
    if (l->small) {
        snprintf(msg, SVC_MSG_MAX, "a small load takes records, not text");
        return -EINVAL;
    }
    if (l->text == NULL && svc_text_load_new(&l->text, l->builder) < 0) {
        snprintf(msg, SVC_MSG_MAX, "out of memory starting a text load");
        return -ENOMEM;
    }
    return svc_text_load_feed(l->text, format, data, len, msg);
}

int svc_load_format_known(const char *format)
{
    return svc_text_format_known(format);
}

int svc_load_edge(svc_load *l, const algo_vid *src, const algo_vid *dst, int has_weight,
                  double weight, char msg[SVC_MSG_MAX])
{
    char amsg[ALGO_MSG_MAX] = "";
    if (l->small) {
        snprintf(msg, SVC_MSG_MAX, "a small load takes records, not plain edges");
        return -EINVAL;
    }
    if (algo_graph_builder_add_edge(l->builder, src, dst, has_weight, weight, amsg) < 0) {
        snprintf(msg, SVC_MSG_MAX, "%s", amsg);
        return -EINVAL;
    }
    l->edges_added++;
    return 0;
}

int svc_load_vertex(svc_load *l, const algo_vertex_rec *v, algo_vid *assigned,
                    char msg[SVC_MSG_MAX])
{
    char amsg[ALGO_MSG_MAX] = "";
    algo_vid id;
    if (algo_graph_builder_add_vertex_rec(l->builder, v, &id, amsg) < 0) {
        snprintf(msg, SVC_MSG_MAX, "%s", amsg);
        return -EINVAL;
    }
    if (assigned)
        *assigned = id;
    if (l->small) {
        /* Logged with the id it got, so a replay needn't assign again. */
        algo_vertex_rec r = *v;
        if (!r.has_id) {
            r.has_id = 1;
            r.id = id;
        }
        int rc = svc_delta_append_vertex(l->live->log, &r, msg);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int svc_load_edge_rec(svc_load *l, const algo_edge_rec *e, char msg[SVC_MSG_MAX])
{
    char amsg[ALGO_MSG_MAX] = "";
    if (algo_graph_builder_add_edge_rec(l->builder, e, amsg) < 0) {
        snprintf(msg, SVC_MSG_MAX, "%s", amsg);
        return -EINVAL;
    }
    if (l->small) {
        int rc = svc_delta_append_edge(l->live->log, e, msg);
        if (rc < 0)
            return rc;
    }
    l->edges_added++;
    return 0;
}

/* Writes the builder as version base + 1 and records it; the base's log
 * is then folded in and removed. The builder is used up. */
static int write_version(svc_load *l, svc_graph *out, int (*abandoned)(void *ud), void *ud,
                         char msg[SVC_MSG_MAX])
{
    char amsg[ALGO_MSG_MAX] = "";
    char path[PATH_MAX], dir[PATH_MAX], vdir[PATH_MAX];
    svc_ctx *ctx = l->ctx;
    int written = 0, rc;
    /* Counted before writing: writing releases the builder's edges. */
    int64_t n = (int64_t)algo_graph_builder_vertices(l->builder);
    int64_t m = (int64_t)algo_graph_builder_edges(l->builder);
    int weighted = algo_graph_builder_weighted(l->builder);
    svc_path_graph_dir(dir, ctx->cfg->data_dir, l->graph);
    svc_path_version_dir(vdir, ctx->cfg->data_dir, l->graph, l->base_version + 1);
    if ((rc = svc_mkdirs(dir, 1)) < 0) {
        snprintf(msg, SVC_MSG_MAX, "cannot create %s: %s", dir, strerror(-rc));
        goto done;
    }
    /* Loads of a graph are serialised and this version is not recorded:
     * a folder by its name is left from a failed attempt. */
    svc_remove_tree(vdir);
    rc = algo_graph_builder_write_snapshot(l->builder, vdir, amsg);
    algo_graph_builder_free(l->builder);
    l->builder = NULL;
    if (rc < 0) {
        /* The writer's message carries strerror; a full disk is told apart
         * by it (the compute library returns -1, not errno). */
        rc = strstr(amsg, strerror(ENOSPC)) || strstr(amsg, strerror(EDQUOT)) ? -ENOSPC : -EIO;
        snprintf(msg, SVC_MSG_MAX,
                 "%scannot write version %lld of graph '%s' (%s); nothing was "
                 "stored%s",
                 rc == -ENOSPC ? SVC_MSG_DISK_FULL "the data directory's disk is full: "
                               : SVC_MSG_STORE_FAILED,
                 (long long)l->base_version + 1, l->graph, amsg,
                 rc == -ENOSPC ? ": free some space and try again" : "");
        goto done;
    }
    written = 1;
    if (abandoned && abandoned(ud)) {
        snprintf(msg, SVC_MSG_MAX, "the load was cut off; nothing was stored");
        rc = -ECANCELED;
        goto done;
    }
    rc = svc_store_graph_commit_load(ctx->store, l->graph, l->base_version, n, m, weighted, out,
                                     msg);
    if (rc == -EBUSY || rc == -ENOENT) {
        snprintf(msg, SVC_MSG_MAX, "graph '%s' changed during the load; load again", l->graph);
        rc = -EBUSY;
    }
    if (rc < 0)
        goto done;
    written = 0;
    /* The log is in the new version now. */
    svc_live_forget(ctx, l->graph);
    l->live = NULL;
    svc_path_delta(path, ctx->cfg->data_dir, l->graph, l->base_version);
    unlink(path);
done:
    if (written)
        svc_remove_tree(vdir);
    return rc;
}

/* A small load's commit: the log's, then the catalog's counts. The
 * builder stays with the graph for the next small load. */
static int commit_small(svc_load *l, svc_graph *out, int (*abandoned)(void *ud), void *ud,
                        char msg[SVC_MSG_MAX])
{
    svc_live *e = l->live;
    if (abandoned && abandoned(ud)) {
        snprintf(msg, SVC_MSG_MAX, "the load was cut off; nothing was stored");
        return -ECANCELED;
    }
    int rc = svc_delta_commit(e->log, msg);
    if (rc < 0)
        return rc;
    /* The records are durable in the log; the catalog's counts make the
     * load acknowledged. If they can't be stored, the records are cut
     * from the log again: a refused load leaves nothing. */
    rc = svc_store_graph_set_counts(l->ctx->store, l->graph, l->base_version,
                                    (int64_t)algo_graph_builder_vertices(l->builder),
                                    (int64_t)algo_graph_builder_edges(l->builder),
                                    algo_graph_builder_weighted(l->builder), out, msg);
    if (rc < 0) {
        char umsg[SVC_MSG_MAX];
        if (rc == -EBUSY || rc == -ENOENT)
            snprintf(msg, SVC_MSG_MAX, "graph '%s' changed during the load; load again", l->graph);
        if (svc_delta_undo(e->log, umsg) < 0)
            fprintf(stderr, "hgc-server: graph '%s': %s\n", l->graph, umsg);
        return rc;
    }
    e->builder = l->builder;
    l->builder = NULL;
    svc_live_note(l->ctx, e, hgc_now_ms());
    return 0;
}

int svc_load_commit(svc_load *l, svc_graph *out, int64_t *edges_loaded, int64_t *vertices_added,
                    int (*abandoned)(void *ud), void *ud, char msg[SVC_MSG_MAX])
{
    svc_ctx *ctx = l->ctx;
    int new_version = !l->small; /* then older versions may go */
    int rc = l->text ? svc_text_load_finish(l->text, msg) : 0;
    if (rc < 0)
        goto done;
    int64_t n = (int64_t)algo_graph_builder_vertices(l->builder);
    rc = l->small ? commit_small(l, out, abandoned, ud, msg)
                  : write_version(l, out, abandoned, ud, msg);
    if (rc < 0)
        goto done;
    *edges_loaded = l->edges_added + (l->text ? svc_text_load_edges(l->text) : 0);
    *vertices_added = n - l->base_vertices;
    if (l->small && svc_delta_bytes(l->live->log) > l->live->fold_bytes) {
        /* The log has grown past its version: fold it now, with the
         * builder just committed. A failed fold loses nothing. */
        char fmsg[SVC_MSG_MAX] = "";
        svc_graph folded;
        l->builder = l->live->builder;
        l->live->builder = NULL;
        if (write_version(l, &folded, NULL, NULL, fmsg) < 0) {
            fprintf(stderr, "hgc-server: graph '%s': folding its small loads: %s\n", l->graph,
                    fmsg);
        } else {
            *out = folded;
            new_version = 1;
        }
    }
done:
    svc_load_abort(l);
    if (rc == 0 && new_version)
        svc_graphs_gc(ctx, out->name);
    return rc;
}

int svc_load_vertex_get(const svc_load *l, const algo_vid *id, const char **label,
                        algo_vertex_prop_fn prop, void *ud)
{
    return algo_graph_builder_vertex_get(l->builder, id, label, prop, ud) < 0 ? -ENOENT : 0;
}

int64_t svc_load_vertices(const svc_load *l)
{
    return (int64_t)algo_graph_builder_vertices(l->builder);
}

const char *svc_load_graph(const svc_load *l)
{
    return l->graph;
}

/* What a load leaves when it ends, with the graph still held: the folder
 * of a graph the catalog doesn't have (a refused first load made it) goes
 * whole, and an empty one (a refused first small load's) goes too, so
 * that no folder is left that no committed version owns. */
static void tidy_folder(svc_load *l)
{
    char dir[PATH_MAX];
    svc_path_graph_dir(dir, l->ctx->cfg->data_dir, l->graph);
    if (l->new_graph && svc_store_graph_get(l->ctx->store, l->graph, NULL) == -ENOENT)
        svc_remove_tree(dir);
    else if (l->base_version == 0)
        rmdir(dir); /* only if empty */
}

void svc_load_abort(svc_load *l)
{
    if (l == NULL)
        return;
    /* A small load's records not committed are cut from the log; the
     * builder has them, so it goes (the next load reads version + log). */
    if (l->live && l->live->log) {
        char msg[SVC_MSG_MAX];
        int rc = svc_delta_rollback(l->live->log, msg);
        if (rc < 0) /* reopening the log cuts the uncommitted tail */
            fprintf(stderr, "hgc-server: graph '%s': %s\n", l->graph, msg);
        else
            svc_live_note(l->ctx, l->live, l->live->changed_ms);
        if (rc < 0 || svc_delta_bytes(l->live->log) <= DELTA_HEADER_BYTES) {
            int empty = rc == 0;
            char path[PATH_MAX];
            svc_path_delta(path, l->ctx->cfg->data_dir, l->graph, l->live->version);
            svc_live_forget(l->ctx, l->graph);
            if (empty) /* a refused first small load leaves no file behind */
                unlink(path);
        }
    }
    svc_text_load_free(l->text);
    algo_graph_builder_free(l->builder);
    tidy_folder(l);
    unmark_loading(l->ctx, l->graph);
    free(l);
}

/* ---- folding ---- */

int svc_graph_settle(svc_ctx *ctx, const char *graph, const svc_waiter *w, char msg[SVC_MSG_MAX])
{
    svc_graph g;
    if (svc_store_graph_get(ctx->store, graph, &g) < 0 || !has_log(ctx, graph, g.version))
        return 0;
    svc_load *l = NULL;
    int rc = svc_load_begin(&l, ctx, graph, SVC_LOAD_BULK, w, msg);
    if (rc < 0)
        return rc;
    if (!l->had_log) {
        /* Folded while this waited, or a file with no whole small load
         * (a crash mid-append): nothing to keep, and no reason to look
         * again at every read. */
        char path[PATH_MAX];
        if (!has_log(ctx, graph, l->base_version)) {
            svc_path_delta(path, ctx->cfg->data_dir, graph, l->base_version);
            if (svc_live_find(ctx, graph) == NULL)
                unlink(path);
        }
        svc_load_abort(l);
        return 0;
    }
    int64_t loaded, added;
    return svc_load_commit(l, &g, &loaded, &added, NULL, NULL, msg);
}

int svc_graph_hold(svc_ctx *ctx, const char *graph, const svc_waiter *w)
{
    return mark_loading(ctx, graph, w);
}

void svc_graph_release(svc_ctx *ctx, const char *graph, int forget)
{
    if (forget)
        svc_live_forget(ctx, graph);
    unmark_loading(ctx, graph);
}
