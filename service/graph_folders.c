/* graph_folders.c: keeping graphs/<g>/ tidy (graphs.h): removing versions
 * and logs nothing needs, listing versions, and the clean-up at start. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data_dir.h"
#include "graphs.h"
#include "snap_cache.h"

void svc_graphs_gc(svc_ctx *ctx, const char *graph)
{
    svc_graph g;
    char dir[PATH_MAX], path[PATH_MAX];
    if (svc_store_graph_get(ctx->store, graph, &g) < 0)
        return;
    /* Readers move on to the current version: older ones are let go. */
    svc_snap_forget(ctx, graph, g.version);
    svc_path_graph_dir(dir, ctx->cfg->data_dir, graph);
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        /* A log below the current version was folded into a newer one. */
        int64_t v = svc_delta_version_of_name(e->d_name);
        if (v < 0) {
            v = svc_version_of_name(e->d_name);
            if (v >= 0 && svc_store_version_in_use(ctx->store, graph, v))
                continue;
        }
        if (v < 0 || v >= g.version)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        svc_remove_tree(path);
    }
    closedir(d);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

size_t svc_graphs_versions(svc_ctx *ctx, const char *graph, int64_t *out, size_t cap)
{
    char dir[PATH_MAX];
    size_t n = 0;
    svc_path_graph_dir(dir, ctx->cfg->data_dir, graph);
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        int64_t v = svc_version_of_name(e->d_name);
        if (v < 0)
            continue;
        if (n < cap)
            out[n] = v;
        n++;
    }
    closedir(d);
    qsort(out, n < cap ? n : cap, sizeof *out, cmp_i64);
    return n;
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
            int64_t v = svc_version_of_name(f->d_name);
            int64_t lv = svc_delta_version_of_name(f->d_name);
            size_t len = strlen(f->d_name);
            int tmp = len > 4 && strcmp(f->d_name + len - 4, ".tmp") == 0;
            if (tmp || v > g.version || lv > g.version) {
                snprintf(path, sizeof path, "%s/%s", dir, f->d_name);
                svc_remove_tree(path);
            }
        }
        closedir(gd);
        char msg[SVC_MSG_MAX] = "";
        if (svc_graph_settle(ctx, e->d_name, NULL, msg) < 0)
            fprintf(stderr, "hgc-server: graph '%s': %s\n", e->d_name, msg);
        svc_graphs_gc(ctx, e->d_name);
        rmdir(dir); /* a graph with nothing loaded yet needs no folder */
    }
    closedir(d);
}
