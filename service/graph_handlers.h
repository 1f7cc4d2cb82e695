/* graph_handlers.h: the GraphService handlers, by concern, that
 * graph_service.c registers: loading (graph_load.c) and reading
 * (graph_read.c). Internal to service/. */
#ifndef SVC_GRAPH_HANDLERS_H
#define SVC_GRAPH_HANDLERS_H

#include "graph_build.h"
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

struct svc_load;
/* Fills `out` with vertex `id` as load `l` holds it (graphs.h:
 * svc_load_vertex_get): its label and every property it has, its
 * graph's unfolded small loads and the load's own records included;
 * memory from the call. No version is written or read for it. Results
 * are not added (svc_vertex_add_results). 0, or -ENOENT. */
int svc_vertex_from_load(hgc_call *call, const struct svc_load *l, const algo_vid *id,
                         Hgc__V1__Vertex *out);

/* Adds each algorithm's latest successful result for vertex `id` to
 * out's properties, as GetVertex shows them (a result under the name of
 * one of its own keys wins). */
void svc_vertex_add_results(hgc_call *call, svc_ctx *ctx, const char *graph, const algo_vid *id,
                            Hgc__V1__Vertex *out);

#endif
