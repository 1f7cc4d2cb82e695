/* graph_service.c: hgc.v1.GraphService over the gRPC layer: the graph
 * catalog and loading edges (graphs.h does the storing). */
#include "graph_service.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_dir.h"
#include "edge_parse.h"
#include "graphs.h"
#include "hgc/v1/graphs.pb-c.h"

static void graph_to_proto(svc_ctx *ctx, Hgc__V1__Graph *out, const svc_graph *g)
{
    char dir[PATH_MAX];
    hgc__v1__graph__init(out);
    out->name = (char *)g->name;
    out->vertices = g->vertices;
    out->edges = g->edges;
    out->version = g->version;
    out->created = g->created;
    out->updated = g->updated;
    out->weighted = g->weighted != 0;
    svc_path_graph_dir(dir, ctx->cfg->data_dir, g->name);
    out->size_bytes = svc_tree_size(dir);
}

static grpc_status_code name_error(hgc_call *call, const char *name)
{
    char msg[SVC_MSG_MAX];
    svc_graph_name_check(name, msg);
    return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT, "%s", msg);
}

static grpc_status_code create_graph(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const Hgc__V1__CreateGraphRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX];
    if (svc_graph_name_check(req->name, msg) < 0)
        return name_error(call, req->name);
    svc_graph g;
    int rc = svc_store_graph_create(ctx->store, req->name, &g);
    if (rc == -EEXIST)
        return hgc_call_set_error(call, GRPC_STATUS_ALREADY_EXISTS, "graph '%s' already exists",
                                  req->name);
    if (rc < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "cannot create graph '%s'", req->name);
    Hgc__V1__Graph reply;
    graph_to_proto(ctx, &reply, &g);
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
}

static grpc_status_code get_graph(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const Hgc__V1__GetGraphRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX];
    if (svc_graph_name_check(req->name, msg) < 0)
        return name_error(call, req->name);
    svc_graph g;
    int rc = svc_store_graph_get(ctx->store, req->name, &g);
    if (rc < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "graph '%s' does not exist", req->name);
    Hgc__V1__Graph reply;
    graph_to_proto(ctx, &reply, &g);
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
}

static grpc_status_code list_graphs(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    svc_graph *gs = NULL;
    size_t n = 0;
    if (svc_store_graph_list(ctx->store, &gs, &n) < 0)
        return hgc_call_set_error(call, GRPC_STATUS_INTERNAL, "cannot read the graph catalog");
    Hgc__V1__ListGraphsResponse reply = HGC__V1__LIST_GRAPHS_RESPONSE__INIT;
    Hgc__V1__Graph *items = hgc_call_alloc(call, (n ? n : 1) * sizeof *items);
    Hgc__V1__Graph **ptrs = hgc_call_alloc(call, (n ? n : 1) * sizeof *ptrs);
    for (size_t i = 0; i < n; i++) {
        graph_to_proto(ctx, &items[i], &gs[i]);
        ptrs[i] = &items[i];
    }
    reply.n_graphs = n;
    reply.graphs = ptrs;
    hgc_call_send(call, &reply.base);
    free(gs);
    return GRPC_STATUS_OK;
}

static grpc_status_code drop_graph(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const Hgc__V1__DropGraphRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX] = "", path[PATH_MAX];
    if (svc_graph_name_check(req->name, msg) < 0)
        return name_error(call, req->name);
    int rc = svc_store_graph_drop(ctx->store, req->name, msg);
    if (rc < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s",
                                  msg[0] ? msg : "cannot drop the graph");
    static const char *const kinds[] = {"graphs", "results", "logs"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s/%s", ctx->cfg->data_dir, kinds[i], req->name);
        svc_remove_tree(path);
    }
    Hgc__V1__DropGraphResponse reply = HGC__V1__DROP_GRAPH_RESPONSE__INIT;
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
}

static int vid_from_proto(algo_vid *v, const Hgc__V1__VertexId *id)
{
    if (id == NULL)
        return -1;
    if (id->kind_case == HGC__V1__VERTEX_ID__KIND_NUM) {
        *v = (algo_vid){.is_str = 0, .num = id->num};
        return 0;
    }
    if (id->kind_case == HGC__V1__VERTEX_ID__KIND_STR && id->str)
        return algo_vid_parse(v, id->str, strlen(id->str)) < 0 || !v->is_str ? -1 : 0;
    return -1;
}

/* How long a finished upload waits for a cancel that may be on its way. */
#define CANCEL_SETTLE_MS 20

static int call_gone(void *call)
{
    return hgc_call_cancelled(call);
}

static grpc_status_code load_edges(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const ProtobufCMessage *m;
    svc_load *load = NULL;
    char msg[SVC_MSG_MAX] = "";
    int64_t batch = 0;
    int rc;
    while ((rc = hgc_call_recv(call, &m)) > 0) {
        const Hgc__V1__EdgeBatch *b = (const void *)m;
        batch++;
        if (load == NULL) {
            const char *name = b->graph ? b->graph : "";
            if (name[0] == '\0')
                return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                          "the first EdgeBatch must name the graph");
            if ((rc = svc_load_begin(&load, ctx, name, msg)) < 0)
                return hgc_call_set_error(call, svc_grpc_status(rc), "%s", msg);
        } else if (b->graph && b->graph[0] && strcmp(b->graph, svc_load_graph(load)) != 0) {
            svc_load_abort(load);
            return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                      "batch %lld names graph '%.64s' but the load is into '%s'; "
                                      "load one graph per stream",
                                      (long long)batch, b->graph, svc_load_graph(load));
        }
        for (size_t i = 0; i < b->n_edges; i++) {
            const Hgc__V1__Edge *e = b->edges[i];
            algo_vid s, d;
            if (vid_from_proto(&s, e->src) < 0 || vid_from_proto(&d, e->dst) < 0) {
                svc_load_abort(load);
                return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                          "edge %zu of batch %lld: src and dst must each be a "
                                          "number or a non-empty UTF-8 string",
                                          i + 1, (long long)batch);
            }
            int has_w = e->weight_present_case == HGC__V1__EDGE__WEIGHT_PRESENT_WEIGHT;
            if ((rc = svc_load_edge(load, &s, &d, has_w, e->weight, msg)) < 0) {
                svc_load_abort(load);
                return hgc_call_set_error(call, svc_grpc_status(rc), "edge %zu of batch %lld: %s",
                                          i + 1, (long long)batch, msg);
            }
        }
        if (b->text.len > 0 && (rc = svc_load_text(load, b->text.data, b->text.len, msg)) < 0) {
            svc_load_abort(load);
            return hgc_call_set_error(call, svc_grpc_status(rc), "%s", msg);
        }
        /* The batch is in the builder now: a large load never sits in
         * memory as messages. */
        hgc_call_recv_release(call);
    }
    /* A client that cancels mid-stream can look like one that finished:
     * the end of its messages may arrive just before the cancel itself.
     * Give the cancel a moment to show, and ask again before recording. */
    if (rc < 0 || (load && hgc_call_wait_cancelled(call, CANCEL_SETTLE_MS))) {
        svc_load_abort(load);
        return hgc_call_set_error(call, GRPC_STATUS_CANCELLED,
                                  "the load was cut off; nothing was stored");
    }
    if (load == NULL)
        return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "the stream had no EdgeBatch naming the graph");
    svc_graph g;
    int64_t loaded = 0, added = 0;
    if ((rc = svc_load_commit(load, &g, &loaded, &added, call_gone, call, msg)) < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s", msg);
    Hgc__V1__LoadEdgesResponse reply = HGC__V1__LOAD_EDGES_RESPONSE__INIT;
    Hgc__V1__Graph graph;
    graph_to_proto(ctx, &graph, &g);
    reply.graph = &graph;
    reply.edges_loaded = loaded;
    reply.vertices_added = added;
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
}

static const hgc_method_impl methods[] = {
    {"CreateGraph", HGC_RPC_UNARY, create_graph},
    {"DropGraph", HGC_RPC_UNARY, drop_graph},
    {"GetGraph", HGC_RPC_UNARY, get_graph},
    {"ListGraphs", HGC_RPC_UNARY, list_graphs},
    {"LoadEdges", HGC_RPC_CLIENT_STREAM, load_edges},
};

int svc_graph_service_add(hgc_server *server, svc_ctx *ctx, char msg[SVC_MSG_MAX])
{
    return hgc_server_add_service(server, &hgc__v1__graph_service__descriptor, methods,
                                  sizeof methods / sizeof methods[0], ctx, msg);
}
