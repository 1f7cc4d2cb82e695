/* client_graph.c: GraphService calls of hgc_client.
 *
 * A load streams the edge-list text as is, in 1 MiB pieces of
 * EdgeBatch.text: the server parses it (a line may straddle two pieces),
 * so the client needs no parser and memory stays at one piece. Cost: one
 * read and one send per MiB.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"

grpc_status_code hgc_client_graph_create(Hgc__V1__Graph **out, hgc_client *c, const char *name,
                                         hgc_status *st)
{
    Hgc__V1__CreateGraphRequest req = HGC__V1__CREATE_GRAPH_REQUEST__INIT;
    ProtobufCMessage *reply = NULL;

    req.name = client_str(name);
    if (client_unary(c, 0, "CreateGraph", &req.base, &reply, st) == GRPC_STATUS_OK)
        *out = (Hgc__V1__Graph *)reply;
    return st->code;
}

grpc_status_code hgc_client_graph_get(Hgc__V1__Graph **out, hgc_client *c, const char *name,
                                      hgc_status *st)
{
    Hgc__V1__GetGraphRequest req = HGC__V1__GET_GRAPH_REQUEST__INIT;
    ProtobufCMessage *reply = NULL;

    req.name = client_str(name);
    if (client_unary(c, 0, "GetGraph", &req.base, &reply, st) == GRPC_STATUS_OK)
        *out = (Hgc__V1__Graph *)reply;
    return st->code;
}

grpc_status_code hgc_client_graph_list(Hgc__V1__ListGraphsResponse **out, hgc_client *c,
                                       hgc_status *st)
{
    Hgc__V1__ListGraphsRequest req = HGC__V1__LIST_GRAPHS_REQUEST__INIT;
    ProtobufCMessage *reply = NULL;

    if (client_unary(c, 0, "ListGraphs", &req.base, &reply, st) == GRPC_STATUS_OK)
        *out = (Hgc__V1__ListGraphsResponse *)reply;
    return st->code;
}

grpc_status_code hgc_client_graph_drop(hgc_client *c, const char *name, hgc_status *st)
{
    Hgc__V1__DropGraphRequest req = HGC__V1__DROP_GRAPH_REQUEST__INIT;
    ProtobufCMessage *reply = NULL;

    req.name = client_str(name);
    /* The caller asked to drop: the CLI's own confirmation is the command. */
    req.confirm_message = (char *)HGC_CLIENT_DROP_CONFIRM;
    client_unary(c, 0, "DropGraph", &req.base, &reply, st);
    hgc_client_reply_free(reply);
    return st->code;
}

grpc_status_code hgc_client_graph_vertex(Hgc__V1__Vertex **out, hgc_client *c, const char *graph,
                                         const Hgc__V1__VertexId *id, hgc_status *st)
{
    Hgc__V1__GetVertexRequest req = HGC__V1__GET_VERTEX_REQUEST__INIT;
    ProtobufCMessage *reply = NULL;

    req.graph = client_str(graph);
    req.id = (Hgc__V1__VertexId *)id;
    if (client_unary(c, 0, "GetVertex", &req.base, &reply, st) == GRPC_STATUS_OK)
        *out = (Hgc__V1__Vertex *)reply;
    return st->code;
}

grpc_status_code hgc_client_graph_edges(Hgc__V1__ListEdgesResponse **out, hgc_client *c,
                                        const char *graph, const Hgc__V1__VertexId *id,
                                        const char *direction, const char *label, int64_t limit,
                                        hgc_status *st)
{
    Hgc__V1__ListEdgesRequest req = HGC__V1__LIST_EDGES_REQUEST__INIT;
    ProtobufCMessage *reply = NULL;

    req.graph = client_str(graph);
    req.vertex_id = (Hgc__V1__VertexId *)id;
    req.direction = client_str(direction);
    req.label = client_str(label);
    req.limit = limit;
    if (client_unary(c, 0, "ListEdges", &req.base, &reply, st) == GRPC_STATUS_OK)
        *out = (Hgc__V1__ListEdgesResponse *)reply;
    return st->code;
}

grpc_status_code hgc_client_graph_load_parts(Hgc__V1__LoadEdgesResponse **out, hgc_client *c,
                                             const char *name, const hgc_client_load_part *parts,
                                             size_t n_parts, hgc_client_progress_fn progress,
                                             void *user_data, hgc_status *st)
{
    Hgc__V1__EdgeBatch batch = HGC__V1__EDGE_BATCH__INIT;
    hgc_stream *s = NULL;
    ProtobufCMessage *reply = NULL;
    unsigned char *buf = NULL;
    char msg[HGC_MSG_MAX] = "";
    int64_t sent = 0;
    int first = 1;
    int read_errno = 0;
    int ended = 0;

    st->code = GRPC_STATUS_OK;
    st->message[0] = '\0';
    buf = malloc(HGC_CLIENT_LOAD_CHUNK);
    if (buf == NULL) {
        client_fail(st, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
        goto done;
    }
    if (hgc_stream_start(&s, c->channel, &hgc__v1__graph_service__descriptor, "LoadEdges", NULL, 0,
                         msg) != 0) {
        client_fail(st, GRPC_STATUS_UNAVAILABLE, "%s", msg);
        goto done;
    }
    /* The first message names the graph even when the input is empty, so
     * that loading nothing still creates the graph. */
    for (size_t p = 0; p < n_parts && !ended && read_errno == 0; p++) {
        FILE *in = parts[p].in;
        for (;;) {
            size_t n;

            errno = 0;
            n = fread(buf, 1, HGC_CLIENT_LOAD_CHUNK, in);
            if (ferror(in)) {
                read_errno = errno != 0 ? errno : EIO;
                break;
            }
            if (n > 0 || first) {
                batch.graph = first ? client_str(name) : (char *)"";
                batch.format = client_str(parts[p].format);
                batch.text.data = buf;
                batch.text.len = n;
                if (hgc_stream_send(s, &batch.base) != 0) {
                    ended = 1; /* the server ended the call: its status says why */
                    break;
                }
                first = 0;
                sent += (int64_t)n;
                if (progress != NULL)
                    progress(sent, user_data);
            }
            if (n < HGC_CLIENT_LOAD_CHUNK)
                break; /* end of this input */
        }
    }
    if (read_errno != 0) {
        /* A cancel, not a half-close: a half-close would commit a
         * truncated graph. */
        hgc_stream_cancel(s);
        client_fail(st, GRPC_STATUS_DATA_LOSS, "read error after %lld bytes: %s; nothing loaded",
                    (long long)sent, strerror(read_errno));
        goto done;
    }
    hgc_stream_close_send(s);
    if (hgc_stream_recv(s, &reply) != 1)
        reply = NULL;
    if (hgc_stream_finish(s, st) == GRPC_STATUS_OK) {
        if (reply == NULL) {
            client_fail(st, GRPC_STATUS_INTERNAL, "the server sent no answer to LoadEdges");
            goto done;
        }
        *out = (Hgc__V1__LoadEdgesResponse *)reply;
        reply = NULL;
    }
done:
    hgc_client_reply_free(reply);
    hgc_stream_free(s);
    free(buf);
    return st->code;
}

grpc_status_code hgc_client_graph_load_stream(Hgc__V1__LoadEdgesResponse **out, hgc_client *c,
                                              const char *name, FILE *in,
                                              hgc_client_progress_fn progress, void *user_data,
                                              hgc_status *st)
{
    hgc_client_load_part part = {"", in};

    return hgc_client_graph_load_parts(out, c, name, &part, 1, progress, user_data, st);
}

grpc_status_code hgc_client_graph_load(Hgc__V1__LoadEdgesResponse **out, hgc_client *c,
                                       const char *name, const char *path,
                                       hgc_client_progress_fn progress, void *user_data,
                                       hgc_status *st)
{
    FILE *in = NULL;

    if (strcmp(path, "-") == 0)
        return hgc_client_graph_load_stream(out, c, name, stdin, progress, user_data, st);
    in = fopen(path, "rb");
    if (in == NULL)
        return client_fail(st, GRPC_STATUS_INVALID_ARGUMENT, "cannot open %s: %s", path,
                           strerror(errno));
    hgc_client_graph_load_stream(out, c, name, in, progress, user_data, st);
    fclose(in);
    return st->code;
}
