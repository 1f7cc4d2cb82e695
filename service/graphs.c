/* graphs.c: loading graph versions and keeping the graph folders tidy.
 *
 * Cost of a load: the previous version is re-read from its mapped
 * snapshot folder (O(n + m) plus its property columns), the new records
 * are parsed as they arrive, and the whole new folder is written
 * (graph_build.h). Simple, and it keeps every version a set of files a
 * worker maps without parsing.
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
#include "record_parse.h"
#include "records.h"
#include "snapshot.h"

/* The .properties text is small; anything bigger is not one. */
#define PROPS_TEXT_MAX (1 << 20)

typedef enum load_format {
    FMT_NONE = 0,
    FMT_EDGES,
    FMT_JSONL,
    FMT_GA_PROPS,
    FMT_GA_V,
    FMT_GA_E,
} load_format;

static const char *const format_names[] = {
    [FMT_NONE] = "",
    [FMT_EDGES] = "edges",
    [FMT_JSONL] = "jsonl",
    [FMT_GA_PROPS] = "graphalytics.properties",
    [FMT_GA_V] = "graphalytics.v",
    [FMT_GA_E] = "graphalytics.e",
};

struct svc_load {
    svc_ctx *ctx;
    char graph[SVC_NAME_MAX + 1];
    int64_t base_version;
    int64_t base_vertices;
    algo_graph_builder *builder;
    algo_record_sink sink; /* into the builder, counting (and doubling) edges */
    load_format format;    /* of the text stream in progress */
    algo_edge_parser *edges;
    algo_jsonl_parser *jsonl;
    algo_graphalytics_parser *ga;
    char *props_text; /* graphalytics.properties, gathered */
    size_t props_len;
    int have_props;
    algo_graphalytics_props props;
    int both_ways;        /* undirected Graphalytics edges */
    int64_t edges_added;  /* every edge but the edge parser's */
    int64_t edges_parsed; /* by edge parsers already finished */
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

static int vid_equal(const algo_vid *a, const algo_vid *b)
{
    if (a->is_str != b->is_str)
        return 0;
    if (!a->is_str)
        return a->num == b->num;
    return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

static int sink_vertex(void *ud, const algo_vertex_rec *v, char msg[ALGO_MSG_MAX])
{
    svc_load *l = ud;
    return algo_graph_builder_add_vertex_rec(l->builder, v, NULL, msg);
}

static int sink_edge(void *ud, const algo_edge_rec *e, char msg[ALGO_MSG_MAX])
{
    svc_load *l = ud;
    if (algo_graph_builder_add_edge_rec(l->builder, e, msg) < 0)
        return -1;
    l->edges_added++;
    /* An undirected Graphalytics edge is one edge each way, as the
     * Graphalytics reference loads it; a self-loop stays one loop. */
    if (l->both_ways && !vid_equal(&e->src, &e->dst)) {
        algo_edge_rec r = *e;
        r.src = e->dst;
        r.dst = e->src;
        r.src_label = e->dst_label;
        r.dst_label = e->src_label;
        if (algo_graph_builder_add_edge_rec(l->builder, &r, msg) < 0)
            return -1;
        l->edges_added++;
    }
    return 0;
}

/* Reads a version folder into the builder. */
static int add_version(svc_load *l, int64_t version, char msg[SVC_MSG_MAX])
{
    char dir[PATH_MAX], amsg[ALGO_MSG_MAX] = "";
    algo_snapshot snap;
    memset(&snap, 0, sizeof snap);
    svc_path_version_dir(dir, l->ctx->cfg->data_dir, l->graph, version);
    if (algo_snapshot_open(&snap, dir, amsg) < 0) {
        snprintf(msg, SVC_MSG_MAX, "cannot read version %lld of graph '%s': %s", (long long)version,
                 l->graph, amsg);
        return -EIO;
    }
    int rc = algo_graph_builder_add_snapshot(l->builder, &snap, amsg);
    algo_snapshot_close(&snap);
    if (rc < 0) {
        snprintf(msg, SVC_MSG_MAX, "cannot read version %lld of graph '%s': %s", (long long)version,
                 l->graph, amsg);
        return -EIO;
    }
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
    if (algo_graph_builder_new(&l->builder) < 0) {
        snprintf(msg, SVC_MSG_MAX, "out of memory starting a load");
        rc = -ENOMEM;
        goto fail;
    }
    l->sink = (algo_record_sink){.vertex = sink_vertex, .edge = sink_edge, .ud = l};
    svc_graph g;
    rc = svc_store_graph_get(ctx->store, graph, &g);
    if (rc == -ENOENT) {
        rc = 0; /* a new graph, created when the load commits */
    } else if (rc == 0 && g.version > 0) {
        if ((rc = add_version(l, g.version, msg)) < 0)
            goto fail;
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

static int parse_format(const char *format)
{
    if (format == NULL || format[0] == '\0')
        return FMT_EDGES;
    for (int f = FMT_EDGES; f <= FMT_GA_E; f++)
        if (strcmp(format, format_names[f]) == 0)
            return f;
    return -1;
}

int svc_load_format_known(const char *format)
{
    return parse_format(format) >= 0;
}

/* Ends the text stream in progress: its last line without a newline is
 * parsed, its parser freed. */
static int finish_format(svc_load *l, char msg[SVC_MSG_MAX])
{
    char amsg[ALGO_MSG_MAX] = "";
    int rc = 0;
    const char *what = format_names[l->format];
    switch (l->format) {
    case FMT_NONE: break;
    case FMT_EDGES:
        rc = algo_edge_parser_finish(l->edges, amsg);
        l->edges_parsed += (int64_t)algo_edge_parser_edges(l->edges);
        algo_edge_parser_free(l->edges);
        l->edges = NULL;
        break;
    case FMT_JSONL:
        rc = algo_jsonl_parser_finish(l->jsonl, amsg);
        algo_jsonl_parser_free(l->jsonl);
        l->jsonl = NULL;
        break;
    case FMT_GA_PROPS:
        rc = algo_graphalytics_props_parse(&l->props, l->props_text ? l->props_text : "",
                                           l->props_len, amsg);
        l->have_props = rc == 0;
        free(l->props_text);
        l->props_text = NULL;
        l->props_len = 0;
        break;
    case FMT_GA_V:
    case FMT_GA_E:
        rc = algo_graphalytics_parser_finish(l->ga, amsg);
        algo_graphalytics_parser_free(l->ga);
        l->ga = NULL;
        l->both_ways = 0;
        break;
    }
    l->format = FMT_NONE;
    if (rc < 0) {
        snprintf(msg, SVC_MSG_MAX, "%s: %s", what, amsg);
        return -EINVAL;
    }
    return 0;
}

static int start_format(svc_load *l, load_format f, char msg[SVC_MSG_MAX])
{
    int rc = 0;
    switch (f) {
    case FMT_NONE:
    case FMT_GA_PROPS: break;
    case FMT_EDGES: rc = algo_edge_parser_new(&l->edges, l->builder); break;
    case FMT_JSONL: rc = algo_jsonl_parser_new(&l->jsonl, &l->sink); break;
    case FMT_GA_V:
    case FMT_GA_E:
        if (!l->have_props) {
            snprintf(msg, SVC_MSG_MAX,
                     "%s text came before the graphalytics.properties text; send the "
                     ".properties file first (it says whether the graph is directed and what "
                     "its weights are)",
                     format_names[f]);
            return -EINVAL;
        }
        rc = algo_graphalytics_parser_new(&l->ga, f == FMT_GA_V ? 'v' : 'e', &l->props, &l->sink);
        l->both_ways = f == FMT_GA_E && !l->props.directed;
        break;
    }
    if (rc < 0) {
        snprintf(msg, SVC_MSG_MAX, "out of memory starting a %s parser", format_names[f]);
        return -ENOMEM;
    }
    l->format = f;
    return 0;
}

int svc_load_text(svc_load *l, const char *format, const void *data, size_t len,
                  char msg[SVC_MSG_MAX])
{
    char amsg[ALGO_MSG_MAX] = "";
    int f = parse_format(format);
    int rc;
    if (f < 0) {
        snprintf(msg, SVC_MSG_MAX,
                 "format '%.64s' is not known; use \"edges\", \"jsonl\", "
                 "\"graphalytics.properties\", \"graphalytics.v\" or \"graphalytics.e\"",
                 format);
        return -EINVAL;
    }
    if ((load_format)f != l->format) {
        if ((rc = finish_format(l, msg)) < 0 || (rc = start_format(l, f, msg)) < 0)
            return rc;
    }
    switch (l->format) {
    case FMT_EDGES: rc = algo_edge_parser_feed(l->edges, data, len, amsg); break;
    case FMT_JSONL: rc = algo_jsonl_parser_feed(l->jsonl, data, len, amsg); break;
    case FMT_GA_V:
    case FMT_GA_E: rc = algo_graphalytics_parser_feed(l->ga, data, len, amsg); break;
    case FMT_GA_PROPS: {
        if (l->props_len + len > PROPS_TEXT_MAX) {
            snprintf(msg, SVC_MSG_MAX, "graphalytics.properties text is over %d bytes",
                     PROPS_TEXT_MAX);
            return -EINVAL;
        }
        char *grown = realloc(l->props_text, l->props_len + len + 1);
        if (grown == NULL)
            return -ENOMEM;
        memcpy(grown + l->props_len, data, len);
        l->props_text = grown;
        l->props_len += len;
        grown[l->props_len] = '\0';
        return 0;
    }
    default: rc = 0;
    }
    if (rc < 0) {
        /* Name the stream when it is not the plain edge list callers
         * have always sent. */
        if (l->format == FMT_EDGES)
            snprintf(msg, SVC_MSG_MAX, "%s", amsg);
        else
            snprintf(msg, SVC_MSG_MAX, "%s: %s", format_names[l->format], amsg);
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

int svc_load_vertex(svc_load *l, const algo_vertex_rec *v, algo_vid *assigned,
                    char msg[SVC_MSG_MAX])
{
    char amsg[ALGO_MSG_MAX] = "";
    if (algo_graph_builder_add_vertex_rec(l->builder, v, assigned, amsg) < 0) {
        snprintf(msg, SVC_MSG_MAX, "%s", amsg);
        return -EINVAL;
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
    l->edges_added++;
    return 0;
}

int svc_load_commit(svc_load *l, svc_graph *out, int64_t *edges_loaded, int64_t *vertices_added,
                    int (*abandoned)(void *ud), void *ud, char msg[SVC_MSG_MAX])
{
    char amsg[ALGO_MSG_MAX] = "";
    char path[PATH_MAX], dir[PATH_MAX], vdir[PATH_MAX];
    svc_ctx *ctx = l->ctx;
    int written = 0;
    int rc = finish_format(l, msg);
    if (rc < 0)
        goto done;
    /* Counted before writing: writing releases the builder's edges. */
    int64_t n = (int64_t)algo_graph_builder_vertices(l->builder);
    int64_t m = (int64_t)algo_graph_builder_edges(l->builder);
    svc_path_graph_dir(dir, ctx->cfg->data_dir, l->graph);
    svc_path_version_dir(vdir, ctx->cfg->data_dir, l->graph, l->base_version + 1);
    svc_path_snapshot(path, ctx->cfg->data_dir, l->graph, l->base_version + 1);
    if ((rc = svc_mkdirs(dir, 1)) < 0) {
        snprintf(msg, SVC_MSG_MAX, "cannot create %s: %s", dir, strerror(-rc));
        goto done;
    }
    /* Loads of a graph are serialised and this version is not recorded:
     * a folder by its name is left from a failed attempt. */
    svc_remove_tree(vdir);
    if (algo_graph_builder_write_snapshot(l->builder, vdir, amsg) < 0) {
        snprintf(msg, SVC_MSG_MAX, "cannot write the snapshot: %s", amsg);
        rc = -EIO;
        goto done;
    }
    written = 1;
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
        snprintf(msg, SVC_MSG_MAX, "the load was cut off; nothing was stored");
        rc = -ECANCELED;
        goto done;
    }
    rc = svc_store_graph_commit_load(ctx->store, l->graph, l->base_version, n, m, weighted, out);
    if (rc < 0) {
        snprintf(msg, SVC_MSG_MAX, "graph '%s' changed during the load; load again", l->graph);
        goto done;
    }
    written = 0;
    *edges_loaded = l->edges_parsed + l->edges_added;
    *vertices_added = n - l->base_vertices;
done:
    if (written)
        svc_remove_tree(vdir);
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
    algo_edge_parser_free(l->edges);
    algo_jsonl_parser_free(l->jsonl);
    algo_graphalytics_parser_free(l->ga);
    free(l->props_text);
    algo_graph_builder_free(l->builder);
    unmark_loading(l->ctx, l->graph);
    free(l);
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
        int64_t v = svc_version_of_name(e->d_name);
        if (v < 0 || v >= g.version || svc_store_version_in_use(ctx->store, graph, v))
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
            size_t len = strlen(f->d_name);
            int tmp = len > 4 && strcmp(f->d_name + len - 4, ".tmp") == 0;
            if (tmp || (v > g.version)) {
                snprintf(path, sizeof path, "%s/%s", dir, f->d_name);
                svc_remove_tree(path);
            }
        }
        closedir(gd);
        svc_graphs_gc(ctx, e->d_name);
    }
    closedir(d);
}
