/* graph_handlers.h: the GraphService handlers, by concern, that
 * graph_service.c registers: loading (graph_load.c) and reading
 * (graph_read.c). Internal to service/. */
#ifndef SVC_GRAPH_HANDLERS_H
#define SVC_GRAPH_HANDLERS_H

#include "hgc/v1/graphs.pb-c.h"
#include "hgc_rpc.h"
#include "service.h"

/* graph_load.c */
grpc_status_code svc_gs_load_edges(hgc_call *call, void *ud);
grpc_status_code svc_gs_add_vertices(hgc_call *call, void *ud);
grpc_status_code svc_gs_add_edges(hgc_call *call, void *ud);
/* One batch, unary (the REST batch endpoints). */
grpc_status_code svc_gs_add_vertex_batch(hgc_call *call, void *ud);
grpc_status_code svc_gs_add_edge_batch(hgc_call *call, void *ud);
grpc_status_code svc_gs_add_vertex(hgc_call *call, void *ud);
grpc_status_code svc_gs_add_edge(hgc_call *call, void *ud);

/* graph_read.c */
grpc_status_code svc_gs_get_vertex(hgc_call *call, void *ud);
grpc_status_code svc_gs_list_edges(hgc_call *call, void *ud);

/* The catalog's fields of `g` (graph_service.c). */
void svc_graph_to_proto(svc_ctx *ctx, Hgc__V1__Graph *out, const svc_graph *g);

/* Adds the description of g's current version (labels with counts,
 * property keys, versions on disk, weighted) to `out`; memory from the
 * call. 0, or negative with msg. */
int svc_graph_describe(hgc_call *call, svc_ctx *ctx, Hgc__V1__Graph *out, const svc_graph *g,
                       char msg[SVC_MSG_MAX]);

/* Fills `out` with vertex `id` of the graph's current version as GetVertex
 * answers it. -ENOENT (msg) for an unknown graph or vertex. */
int svc_vertex_read(hgc_call *call, svc_ctx *ctx, const char *graph, const Hgc__V1__VertexId *id,
                    Hgc__V1__Vertex *out, char msg[SVC_MSG_MAX]);

#endif
