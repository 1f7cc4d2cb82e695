/* graph_service.h: hgc.v1.GraphService handlers. */
#ifndef SVC_GRAPH_SERVICE_H
#define SVC_GRAPH_SERVICE_H

#include "hgc_rpc.h"
#include "service.h"

int svc_graph_service_add(hgc_server *server, svc_ctx *ctx, char msg[SVC_MSG_MAX]);

#endif
