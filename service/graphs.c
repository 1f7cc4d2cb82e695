/* graphs.c: loading graph versions and keeping the snapshot folder tidy.
 *
 * Cost of a load: the previous version is re-read from its mapped
 * snapshot (O(n + m)), the new edges are parsed as they arrive, and the
 * whole new snapshot is written (graph_build.h). Simple, and it keeps
 * every version a single mappable file.
 */
#include "graphs.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data_dir.h"
#include "edge_parse.h"
#include "graph_file.h"

struct svc_load {
    svc_ctx *ctx;
    char graph[SVC_NAME_MAX + 1];
    int64_t base_version;
    int64_t base_vertices;
    algo_graph_builder *builder;
    algo_edge_parser *parser;
    int64_t edges_added;       /* structured edges; text ones the parser counts */
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
    case -ECANCELED: return GRPC_STATUS_CANCELLED;
    default: return GRPC_STATUS_INTERNAL;
    }
}

static void unmark_loading(svc_ctx *ctx, const char *graph)
{
    pthread_mutex_lock(&ctx->load_lock);
    for (size_t i = 0; i < ctx->n_loading; i++) {
        if (strcmp(ctx->loading[i], graph) == 0) {
            memcpy(ctx->loading[i], ctx->loading[--ctx->n_loading], sizeof ctx->loading[i]);
            break;
        }
    }
    pthread_cond_broadcast(&ctx->load_done);
    pthread_mutex_unlock(&ctx->load_lock);
}

static int mark_loading(svc_ctx *ctx, const char *graph)
{
    pthread_mutex_lock(&ctx->load_lock);
    for (;;) {
        size_t i = 0;
        while (i < ctx->n_loading && strcmp(ctx->loading[i], graph) != 0)
            i++;
        if (i == ctx->n_loading)
            break;
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

int svc_load_begin(svc_load **out, svc_ctx *ctx, const char *graph, char msg[SVC_MSG_MAX])
{
    int rc = svc_graph_name_check(graph, msg) < 0 ? -EINVAL : 0;
    if (rc < 0)
        return rc;
    svc_load *l = calloc(1, sizeof *l);
    if (l == NULL)
        return -ENOMEM;
    l->ctx = ctx;
    snprintf(l->graph, sizeof l->graph, "%s", graph);
    if ((rc = mark_loading(ctx, graph)) < 0) {
        free(l);
        return rc;
    }
    char amsg[ALGO_MSG_MAX] = "";
    if (algo_graph_builder_new(&l->builder) < 0 ||
        algo_edge_parser_new(&l->parser, l->builder) < 0) {
        snprintf(msg, SVC_MSG_MAX, "out of memory starting a load");
        rc = -ENOMEM;
        goto fail;
    }
    svc_graph g;
    rc = svc_store_graph_get(ctx->store, graph, &g);
    if (rc == -ENOENT) {
        rc = 0; /* a new graph, created when the load commits */
    } else if (rc == 0 && g.version > 0) {
        char path[PATH_MAX];
        algo_graph prev = {0};
        svc_path_snapshot(path, ctx->cfg->data_dir, graph, g.version);
        if (algo_graph_map(&prev, path, amsg) < 0 ||
            algo_graph_builder_add_graph(l->builder, &prev, amsg) < 0) {
            snprintf(msg, SVC_MSG_MAX, "cannot read version %lld of graph '%s': %s",
                     (long long)g.version, graph, amsg);
            algo_graph_unmap(&prev);
            rc = -EIO;
            goto fail;
        }
        algo_graph_unmap(&prev);
        l->base_version = g.version;
        l->base_vertices = g.vertices;
    } else if (rc < 0) {
        snprintf(msg, SVC_MSG_MAX, "cannot read the graph catalog");
        goto fail;
    }
    *out = l;
    return 0;
fail:
    svc_load_abort(l);
    return rc;
}

int svc_load_text(svc_load *l, const void *data, size_t len, char msg[SVC_MSG_MAX])
{
    char amsg[ALGO_MSG_MAX] = "";
    if (algo_edge_parser_feed(l->parser, data, len, amsg) < 0) {
        snprintf(msg, SVC_MSG_MAX, "%s", amsg);
        return -EINVAL;
    }
    return 0;
}

int svc_load_edge(svc_load *l, const algo_vid *src, const algo_vid *dst, int has_weight,
                  double weight, char msg[SVC_MSG_MAX])
{
    char amsg[ALGO_MSG_MAX] = "";
    if (algo_graph_builder_add_edge(l->builder, src, dst, has_weight, weight, amsg) < 0) {
        snprintf(msg, SVC_MSG_MAX, "%s", amsg);
        return -EINVAL;
    }
    l->edges_added++;
    return 0;
}

int svc_load_commit(svc_load *l, svc_graph *out, int64_t *edges_loaded, int64_t *vertices_added,
                    int (*abandoned)(void *ud), void *ud, char msg[SVC_MSG_MAX])
{
    char amsg[ALGO_MSG_MAX] = "";
    char path[PATH_MAX], dir[PATH_MAX];
    svc_ctx *ctx = l->ctx;
    int rc = 0;
    if (algo_edge_parser_finish(l->parser, amsg) < 0) {
        snprintf(msg, SVC_MSG_MAX, "%s", amsg);
        rc = -EINVAL;
        goto done;
    }
    svc_path_graph_dir(dir, ctx->cfg->data_dir, l->graph);
    svc_path_snapshot(path, ctx->cfg->data_dir, l->graph, l->base_version + 1);
    if ((rc = svc_mkdirs(dir, 1)) < 0) {
        snprintf(msg, SVC_MSG_MAX, "cannot create %s: %s", dir, strerror(-rc));
        goto done;
    }
    if (algo_graph_builder_write(l->builder, path, amsg) < 0) {
        snprintf(msg, SVC_MSG_MAX, "cannot write the snapshot: %s", amsg);
        rc = -EIO;
        goto done;
    }
    int64_t n = (int64_t)algo_graph_builder_vertices(l->builder);
    int64_t m = (int64_t)algo_graph_builder_edges(l->builder);
    int weighted = 0;
    {
        /* The snapshot knows whether any edge carried a weight. */
        algo_graph g = {0};
        if (algo_graph_map(&g, path, amsg) == 0) {
            weighted = g.out_w != NULL;
            algo_graph_unmap(&g);
        }
    }
    if (abandoned && abandoned(ud)) {
        unlink(path);
        snprintf(msg, SVC_MSG_MAX, "the load was cut off; nothing was stored");
        rc = -ECANCELED;
        goto done;
    }
    rc = svc_store_graph_commit_load(ctx->store, l->graph, l->base_version, n, m, weighted, out);
    if (rc < 0) {
        unlink(path);
        snprintf(msg, SVC_MSG_MAX, "graph '%s' changed during the load; load again", l->graph);
        goto done;
    }
    *edges_loaded = (int64_t)algo_edge_parser_edges(l->parser) + l->edges_added;
    *vertices_added = n - l->base_vertices;
done:
    svc_load_abort(l);
    if (rc == 0)
        svc_graphs_gc(ctx, out->name);
    return rc;
}

const char *svc_load_graph(const svc_load *l)
{
    return l->graph;
}

void svc_load_abort(svc_load *l)
{
    if (l == NULL)
        return;
    algo_edge_parser_free(l->parser);
    algo_graph_builder_free(l->builder);
    unmark_loading(l->ctx, l->graph);
    free(l);
}

/* v<N>.hgcg -> N, or -1 for any other name. */
static int64_t snapshot_version(const char *name)
{
    long long v;
    int end = 0;
    if (sscanf(name, "v%lld.hgcg%n", &v, &end) == 1 && name[end] == '\0' && v > 0)
        return v;
    return -1;
}

void svc_graphs_gc(svc_ctx *ctx, const char *graph)
{
    svc_graph g;
    char dir[PATH_MAX], path[PATH_MAX];
    if (svc_store_graph_get(ctx->store, graph, &g) < 0)
        return;
    svc_path_graph_dir(dir, ctx->cfg->data_dir, graph);
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        int64_t v = snapshot_version(e->d_name);
        if (v < 0 || v >= g.version || svc_store_version_in_use(ctx->store, graph, v))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
}

void svc_graphs_recover(svc_ctx *ctx)
{
    char root[PATH_MAX], dir[PATH_MAX], path[PATH_MAX];
    snprintf(root, sizeof root, "%s/graphs", ctx->cfg->data_dir);
    DIR *d = opendir(root);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        svc_graph g;
        snprintf(dir, sizeof dir, "%s/%s", root, e->d_name);
        if (svc_store_graph_get(ctx->store, e->d_name, &g) == -ENOENT) {
            svc_remove_tree(dir); /* a first load cut off before its record */
            continue;
        }
        DIR *gd = opendir(dir);
        if (gd == NULL)
            continue;
        struct dirent *f;
        while ((f = readdir(gd)) != NULL) {
            int64_t v = snapshot_version(f->d_name);
            size_t len = strlen(f->d_name);
            int tmp = len > 4 && strcmp(f->d_name + len - 4, ".tmp") == 0;
            if (tmp || (v > g.version)) {
                snprintf(path, sizeof path, "%s/%s", dir, f->d_name);
                unlink(path);
            }
        }
        closedir(gd);
        svc_graphs_gc(ctx, e->d_name);
    }
    closedir(d);
}
