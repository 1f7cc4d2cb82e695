/* graph_service.c: hgc.v1.GraphService over the gRPC layer: the graph
 * catalog here; loading in graph_load.c, reading in graph_read.c
 * (graphs.h does the storing). */
#include "graph_service.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_dir.h"
#include "graph_handlers.h"
#include "graphs.h"
#include "snap_cache.h"
#include "hgc/v1/graphs.pb-c.h"

/* HugeGraph's guard against dropping a graph by accident. */
#define DROP_CONFIRM "I'm sure to drop the graph"

void svc_graph_to_proto(svc_ctx *ctx, Hgc__V1__Graph *out, const svc_graph *g)
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

/* The refusal of a bad graph name, with svc_graph_name_check's message. */
static grpc_status_code name_error(hgc_call *call, const char *msg)
{
    return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT, "%s", msg);
}

static grpc_status_code create_graph(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const Hgc__V1__CreateGraphRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX];
    if (svc_graph_name_check(req->name, msg) < 0)
        return name_error(call, msg);
    svc_graph g;
    int rc = svc_store_graph_create(ctx->store, req->name, &g, msg);
    if (rc == -EEXIST)
        return hgc_call_set_error(call, GRPC_STATUS_ALREADY_EXISTS, "graph '%s' already exists",
                                  req->name);
    if (rc == -ENOSPC || rc == -EIO)
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s", msg);
    if (rc < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "cannot create graph '%s'", req->name);
    Hgc__V1__Graph reply;
    svc_graph_to_proto(ctx, &reply, &g);
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
}

static grpc_status_code get_graph(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const Hgc__V1__GetGraphRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX];
    if (svc_graph_name_check(req->name, msg) < 0)
        return name_error(call, msg);
    /* Small loads become a version first: the description is of what
     * callers have loaded. */
    svc_waiter w = svc_call_waiter(call);
    int rc = svc_graph_settle(ctx, req->name, &w, msg);
    if (rc < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s", msg);
    svc_graph g;
    rc = svc_store_graph_get(ctx->store, req->name, &g);
    if (rc < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "graph '%s' does not exist",
                                  req->name);
    Hgc__V1__Graph reply;
    svc_graph_to_proto(ctx, &reply, &g);
    if ((rc = svc_graph_describe(call, ctx, &reply, &g, msg)) < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s", msg);
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
        svc_graph_to_proto(ctx, &items[i], &gs[i]);
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
        return name_error(call, msg);
    /* An unknown graph says so first: the sentence can't help there. */
    svc_graph g;
    int rc = svc_store_graph_get(ctx->store, req->name, &g);
    if (rc < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "graph '%s' does not exist",
                                  req->name);
    if (req->confirm_message == NULL || strcmp(req->confirm_message, DROP_CONFIRM) != 0)
        return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "dropping graph '%s' deletes its versions and results; "
                                  "confirm_message must be exactly \"%s\"",
                                  req->name, DROP_CONFIRM);
    /* Held as a load holds it: no load is half-way through meanwhile. */
    svc_waiter w = svc_call_waiter(call);
    if ((rc = svc_graph_hold(ctx, req->name, &w)) < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "cannot drop the graph");
    rc = svc_store_graph_drop(ctx->store, req->name, msg);
    if (rc == 0) {
        static const char *const kinds[] = {"graphs", "results", "logs"};
        for (size_t i = 0; i < 3; i++) {
            snprintf(path, sizeof path, "%s/%s/%s", ctx->cfg->data_dir, kinds[i], req->name);
            svc_remove_tree(path);
        }
        svc_snap_forget(ctx, req->name, INT64_MAX);
    }
    svc_graph_release(ctx, req->name, rc == 0);
    if (rc < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s",
                                  msg[0] ? msg : "cannot drop the graph");
    Hgc__V1__DropGraphResponse reply = HGC__V1__DROP_GRAPH_RESPONSE__INIT;
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
}

/* All on the pool. GetGraph and ListGraphs read their rows on the read
 * connections, but they do more that blocks: each graph's size is a walk
 * of its folder (svc_tree_size), and GetGraph first folds pending small
 * loads (svc_graph_settle: it waits for the graph's load and may rewrite
 * the version) and opens the snapshot to describe it. */
static const hgc_method_impl methods[] = {
    {"CreateGraph", HGC_RPC_UNARY, create_graph, 0},
    {"DropGraph", HGC_RPC_UNARY, drop_graph, 0},
    {"GetGraph", HGC_RPC_UNARY, get_graph, 0},
    {"ListGraphs", HGC_RPC_UNARY, list_graphs, 0},
    {"LoadEdges", HGC_RPC_CLIENT_STREAM, svc_gs_load_edges, 0},
    {"AddVertices", HGC_RPC_CLIENT_STREAM, svc_gs_add_vertices, 0},
    {"AddEdges", HGC_RPC_CLIENT_STREAM, svc_gs_add_edges, 0},
    {"AddVertexBatch", HGC_RPC_UNARY, svc_gs_add_vertex_batch, 0},
    {"AddEdgeBatch", HGC_RPC_UNARY, svc_gs_add_edge_batch, 0},
    {"AddVertex", HGC_RPC_UNARY, svc_gs_add_vertex, 0},
    {"AddEdge", HGC_RPC_UNARY, svc_gs_add_edge, 0},
    {"GetVertex", HGC_RPC_UNARY, svc_gs_get_vertex, 0},
    {"ListEdges", HGC_RPC_UNARY, svc_gs_list_edges, 0},
};

int svc_graph_service_add(hgc_server *server, svc_ctx *ctx, char msg[SVC_MSG_MAX])
{
    return hgc_server_add_service(server, &hgc__v1__graph_service__descriptor, methods,
                                  sizeof methods / sizeof methods[0], ctx, msg);
}
