/* graph_load.c: the GraphService calls that load (graph_handlers.h):
 * LoadEdges (edge lists, JSON lines, Graphalytics), the AddVertices and
 * AddEdges client streams, their one-batch unary forms AddVertexBatch and
 * AddEdgeBatch, and the one-item AddVertex and AddEdge.
 *
 * Every call is all or nothing (graphs.h): LoadEdges makes a new version,
 * the others are small loads into the version's delta log. The first bad
 * item ends the call with a message naming it ("item 3: ...", "line 7:
 * ..."), and the graph stays as it was. Messages are released as soon as
 * their records are in the builder, so a long stream never sits in
 * memory; each message holds at most SVC_BATCH_MAX items.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_handlers.h"
#include "graph_values.h"
#include "graphs.h"

static int call_gone(void *call)
{
    return hgc_call_cancelled(call);
}

/* A stream in progress: its load and where it is. */
typedef struct stream_state {
    hgc_call *call;
    svc_ctx *ctx;
    svc_load *load;
    int64_t batch; /* messages so far */
    int64_t item;  /* items so far (vertices or edges) */
    char msg[SVC_MSG_MAX];
} stream_state;

/* A message of a stream: the first must name the graph (and starts the
 * load), later ones may leave it empty or repeat it. */
static grpc_status_code stream_message(stream_state *st, svc_load_kind kind, const char *graph,
                                       const char *what, size_t n_items, const char *items)
{
    st->batch++;
    if (st->load == NULL) {
        if (graph == NULL || graph[0] == '\0')
            return hgc_call_set_error(st->call, GRPC_STATUS_INVALID_ARGUMENT,
                                      "the first %s must name the graph", what);
        int rc = svc_load_begin(&st->load, st->ctx, graph, kind, st->msg);
        if (rc < 0)
            return hgc_call_set_error(st->call, svc_grpc_status(rc), "%s", st->msg);
    } else if (graph && graph[0] && strcmp(graph, svc_load_graph(st->load)) != 0) {
        return hgc_call_set_error(st->call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "%s %lld names graph '%.64s' but the load is into '%s'; "
                                  "load one graph per stream",
                                  what, (long long)st->batch, graph, svc_load_graph(st->load));
    }
    if (n_items > SVC_BATCH_MAX)
        return hgc_call_set_error(st->call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "%s %lld has %zu %s, over the size limit of %d a batch; "
                                  "send them in smaller batches",
                                  what, (long long)st->batch, n_items, items, SVC_BATCH_MAX);
    return GRPC_STATUS_OK;
}

/* The end of a stream: a cut-off stream stores nothing; else commit. */
static grpc_status_code stream_commit(stream_state *st, int recv_rc, const char *what, svc_graph *g,
                                      int64_t *loaded, int64_t *added)
{
    /* hgc_call_recv tells a cancel from an end; a client that goes while
     * the version is written is asked about again before recording. */
    if (recv_rc < 0)
        return hgc_call_set_error(st->call, GRPC_STATUS_CANCELLED,
                                  "the load was cut off; nothing was stored");
    if (st->load == NULL)
        return hgc_call_set_error(st->call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "the stream had no %s naming the graph", what);
    svc_load *l = st->load;
    st->load = NULL;
    int rc = svc_load_commit(l, g, loaded, added, call_gone, st->call, st->msg);
    if (rc < 0)
        return hgc_call_set_error(st->call, svc_grpc_status(rc), "%s", st->msg);
    return GRPC_STATUS_OK;
}

static grpc_status_code item_error(stream_state *st, int rc, const char *msg)
{
    return hgc_call_set_error(st->call, svc_grpc_status(rc), "item %lld: %s", (long long)st->item,
                              msg);
}

static algo_text text_of(const char *s)
{
    return (algo_text){.s = s, .len = s ? strlen(s) : 0};
}

static int label_check(const char *label, const char *what, char msg[SVC_MSG_MAX])
{
    if (label && !hgc_utf8_valid(label, strlen(label))) {
        snprintf(msg, SVC_MSG_MAX, "%s must be valid UTF-8", what);
        return -EINVAL;
    }
    return 0;
}

/* Adds one vertex; *assigned is its id (given or assigned). */
static int add_vertex(svc_load *load, const Hgc__V1__VertexId *id, const char *label,
                      const void *const *entries, size_t n_props, algo_vid *assigned,
                      char msg[SVC_MSG_MAX])
{
    algo_vertex_rec r = {0};
    algo_prop *props = NULL;
    int rc = 0;
    r.has_id = id != NULL && id->kind_case != HGC__V1__VERTEX_ID__KIND__NOT_SET;
    if (r.has_id && svc_vid_from_proto(&r.id, id, msg) < 0)
        return -EINVAL;
    if ((rc = label_check(label, "the label", msg)) < 0)
        return rc;
    r.label = text_of(label);
    if (n_props && (props = malloc(n_props * sizeof *props)) == NULL)
        return -ENOMEM;
    if (svc_props_from_proto(props, entries, n_props, msg) < 0) {
        rc = -EINVAL;
        goto done;
    }
    r.props = props;
    r.n_props = n_props;
    if ((rc = svc_load_vertex(load, &r, assigned, msg)) < 0)
        goto done;
    if (r.has_id)
        *assigned = r.id;
done:
    free(props);
    return rc;
}

static int add_edge(svc_load *load, const char *label, const Hgc__V1__VertexId *out_v,
                    const Hgc__V1__VertexId *in_v, const char *out_label, const char *in_label,
                    const void *const *entries, size_t n_props, char msg[SVC_MSG_MAX])
{
    algo_edge_rec r = {0};
    algo_prop *props = NULL;
    char idmsg[SVC_MSG_MAX];
    int rc = 0;
    if (svc_vid_from_proto(&r.src, out_v, idmsg) < 0) {
        snprintf(msg, SVC_MSG_MAX, "outV: %s", idmsg);
        return -EINVAL;
    }
    if (svc_vid_from_proto(&r.dst, in_v, idmsg) < 0) {
        snprintf(msg, SVC_MSG_MAX, "inV: %s", idmsg);
        return -EINVAL;
    }
    if ((rc = label_check(label, "the label", msg)) < 0 ||
        (rc = label_check(out_label, "outVLabel", msg)) < 0 ||
        (rc = label_check(in_label, "inVLabel", msg)) < 0)
        return rc;
    r.label = text_of(label);
    r.src_label = text_of(out_label);
    r.dst_label = text_of(in_label);
    if (n_props && (props = malloc(n_props * sizeof *props)) == NULL)
        return -ENOMEM;
    if (svc_props_from_proto(props, entries, n_props, msg) < 0) {
        rc = -EINVAL;
        goto done;
    }
    r.props = props;
    r.n_props = n_props;
    rc = svc_load_edge_rec(load, &r, msg);
done:
    free(props);
    return rc;
}

static Hgc__V1__VertexId *vid_copy(hgc_call *call, const algo_vid *v)
{
    Hgc__V1__VertexId *id = hgc_call_alloc(call, sizeof *id);
    hgc__v1__vertex_id__init(id);
    if (v->is_str) {
        id->kind_case = HGC__V1__VERTEX_ID__KIND_STR;
        id->str = hgc_call_alloc(call, v->len + 1);
        memcpy(id->str, v->str, v->len);
        id->str[v->len] = '\0';
    } else {
        id->kind_case = HGC__V1__VERTEX_ID__KIND_NUM;
        id->num = v->num;
    }
    return id;
}

static char *edge_id(hgc_call *call, const Hgc__V1__VertexId *out_v, const char *label,
                     const Hgc__V1__VertexId *in_v)
{
    algo_vid s, d;
    char m[SVC_MSG_MAX];
    svc_vid_from_proto(&s, out_v, m);
    svc_vid_from_proto(&d, in_v, m);
    const char *l = label && label[0] ? label : "edge";
    int len = svc_edge_id_format(NULL, 0, &s, l, &d);
    char *out = hgc_call_alloc(call, (size_t)len + 1);
    svc_edge_id_format(out, (size_t)len + 1, &s, l, &d);
    return out;
}

/* A growing array in the call's arena (ids answered at the end). */
static void **grow(hgc_call *call, void **items, size_t n, size_t *cap)
{
    if (n < *cap)
        return items;
    size_t ncap = *cap ? *cap * 2 : 64;
    void **grown = hgc_call_alloc(call, ncap * sizeof *grown);
    if (n)
        memcpy(grown, items, n * sizeof *grown);
    *cap = ncap;
    return grown;
}

grpc_status_code svc_gs_load_edges(hgc_call *call, void *ud)
{
    stream_state st = {.call = call, .ctx = ud};
    const ProtobufCMessage *m;
    grpc_status_code code = GRPC_STATUS_OK;
    int rc;
    while ((rc = hgc_call_recv(call, &m)) > 0) {
        const Hgc__V1__EdgeBatch *b = (const void *)m;
        if ((code = stream_message(&st, SVC_LOAD_BULK, b->graph, "EdgeBatch", b->n_edges,
                                   "edges")) != 0)
            goto fail;
        if (!svc_load_format_known(b->format)) {
            code = hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                      "EdgeBatch %lld: format '%.64s' is not known; use "
                                      "\"edges\", \"jsonl\", \"graphalytics.properties\", "
                                      "\"graphalytics.v\" or \"graphalytics.e\"",
                                      (long long)st.batch, b->format);
            goto fail;
        }
        for (size_t i = 0; i < b->n_edges; i++) {
            const Hgc__V1__Edge *e = b->edges[i];
            algo_vid s, d;
            if (svc_vid_from_proto(&s, e->src, st.msg) < 0 ||
                svc_vid_from_proto(&d, e->dst, st.msg) < 0) {
                code = hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                          "edge %zu of batch %lld: src and dst must each be a "
                                          "number or a non-empty UTF-8 string",
                                          i + 1, (long long)st.batch);
                goto fail;
            }
            int has_w = e->weight_present_case == HGC__V1__EDGE__WEIGHT_PRESENT_WEIGHT;
            if ((rc = svc_load_edge(st.load, &s, &d, has_w, e->weight, st.msg)) < 0) {
                code = hgc_call_set_error(call, svc_grpc_status(rc), "edge %zu of batch %lld: %s",
                                          i + 1, (long long)st.batch, st.msg);
                goto fail;
            }
        }
        if (b->text.len > 0 &&
            (rc = svc_load_text(st.load, b->format, b->text.data, b->text.len, st.msg)) < 0) {
            code = hgc_call_set_error(call, svc_grpc_status(rc), "%s", st.msg);
            goto fail;
        }
        /* The batch is in the builder now: a large load never sits in
         * memory as messages. */
        hgc_call_recv_release(call);
    }
    svc_graph g;
    int64_t loaded = 0, added = 0;
    if ((code = stream_commit(&st, rc, "EdgeBatch", &g, &loaded, &added)) != 0)
        goto fail;
    Hgc__V1__LoadEdgesResponse reply = HGC__V1__LOAD_EDGES_RESPONSE__INIT;
    Hgc__V1__Graph graph;
    svc_graph_to_proto(st.ctx, &graph, &g);
    reply.graph = &graph;
    reply.edges_loaded = loaded;
    reply.vertices_added = added;
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
fail:
    svc_load_abort(st.load);
    return code;
}

/* The messages of a call: a client stream's, or a unary call's one. */
static int next_message(hgc_call *call, int unary, int *taken, const ProtobufCMessage **m)
{
    if (!unary)
        return hgc_call_recv(call, m);
    if (*taken)
        return 0;
    *taken = 1;
    *m = hgc_call_request(call);
    return 1;
}

static void message_done(hgc_call *call, int unary)
{
    if (!unary) /* the batch is in the builder now */
        hgc_call_recv_release(call);
}

static grpc_status_code add_vertices(hgc_call *call, svc_ctx *ctx, int unary)
{
    stream_state st = {.call = call, .ctx = ctx};
    const ProtobufCMessage *m;
    grpc_status_code code = GRPC_STATUS_OK;
    void **ids = NULL;
    size_t cap = 0;
    int rc, taken = 0;
    while ((rc = next_message(call, unary, &taken, &m)) > 0) {
        const Hgc__V1__AddVerticesRequest *b = (const void *)m;
        code = stream_message(&st, SVC_LOAD_SMALL, b->graph, "AddVerticesRequest", b->n_vertices,
                              "vertices");
        if (code != GRPC_STATUS_OK)
            goto fail;
        for (size_t i = 0; i < b->n_vertices; i++) {
            const Hgc__V1__Vertex *v = b->vertices[i];
            algo_vid id;
            st.item++;
            rc = add_vertex(st.load, v->id, v->label, (const void *const *)v->properties,
                            v->n_properties, &id, st.msg);
            if (rc < 0) {
                code = item_error(&st, rc, st.msg);
                goto fail;
            }
            ids = grow(call, ids, (size_t)st.item - 1, &cap);
            ids[st.item - 1] = vid_copy(call, &id);
        }
        message_done(call, unary);
    }
    svc_graph g;
    int64_t loaded = 0, added = 0;
    if ((code = stream_commit(&st, rc, "AddVerticesRequest", &g, &loaded, &added)) != 0)
        goto fail;
    Hgc__V1__AddVerticesResponse reply = HGC__V1__ADD_VERTICES_RESPONSE__INIT;
    Hgc__V1__Graph graph;
    svc_graph_to_proto(st.ctx, &graph, &g);
    reply.graph = &graph;
    reply.n_ids = (size_t)st.item;
    reply.ids = (Hgc__V1__VertexId **)ids;
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
fail:
    svc_load_abort(st.load);
    return code;
}

static grpc_status_code add_edges(hgc_call *call, svc_ctx *ctx, int unary)
{
    stream_state st = {.call = call, .ctx = ctx};
    const ProtobufCMessage *m;
    grpc_status_code code = GRPC_STATUS_OK;
    void **ids = NULL;
    size_t cap = 0;
    int rc, taken = 0;
    while ((rc = next_message(call, unary, &taken, &m)) > 0) {
        const Hgc__V1__AddEdgesRequest *b = (const void *)m;
        code =
            stream_message(&st, SVC_LOAD_SMALL, b->graph, "AddEdgesRequest", b->n_edges, "edges");
        if (code != GRPC_STATUS_OK)
            goto fail;
        for (size_t i = 0; i < b->n_edges; i++) {
            const Hgc__V1__GraphEdge *e = b->edges[i];
            st.item++;
            rc = add_edge(st.load, e->label, e->outv, e->inv, e->outvlabel, e->invlabel,
                          (const void *const *)e->properties, e->n_properties, st.msg);
            if (rc < 0) {
                code = item_error(&st, rc, st.msg);
                goto fail;
            }
            ids = grow(call, ids, (size_t)st.item - 1, &cap);
            ids[st.item - 1] = edge_id(call, e->outv, e->label, e->inv);
        }
        message_done(call, unary);
    }
    svc_graph g;
    int64_t loaded = 0, added = 0;
    if ((code = stream_commit(&st, rc, "AddEdgesRequest", &g, &loaded, &added)) != 0)
        goto fail;
    Hgc__V1__AddEdgesResponse reply = HGC__V1__ADD_EDGES_RESPONSE__INIT;
    Hgc__V1__Graph graph;
    svc_graph_to_proto(st.ctx, &graph, &g);
    reply.graph = &graph;
    reply.n_ids = (size_t)st.item;
    reply.ids = (char **)ids;
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
fail:
    svc_load_abort(st.load);
    return code;
}

grpc_status_code svc_gs_add_vertices(hgc_call *call, void *ud)
{
    return add_vertices(call, ud, 0);
}

grpc_status_code svc_gs_add_vertex_batch(hgc_call *call, void *ud)
{
    return add_vertices(call, ud, 1);
}

grpc_status_code svc_gs_add_edges(hgc_call *call, void *ud)
{
    return add_edges(call, ud, 0);
}

grpc_status_code svc_gs_add_edge_batch(hgc_call *call, void *ud)
{
    return add_edges(call, ud, 1);
}

/* Commits a one-item load. */
static grpc_status_code commit_one(hgc_call *call, svc_load *load, char msg[SVC_MSG_MAX])
{
    svc_graph g;
    int64_t loaded = 0, added = 0;
    int rc = svc_load_commit(load, &g, &loaded, &added, call_gone, call, msg);
    if (rc < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s", msg);
    return GRPC_STATUS_OK;
}

grpc_status_code svc_gs_add_vertex(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const Hgc__V1__AddVertexRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX] = "";
    svc_load *load = NULL;
    algo_vid id;
    int rc = svc_load_begin(&load, ctx, req->graph, SVC_LOAD_SMALL, msg);
    if (rc < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s", msg);
    int64_t before = svc_load_vertices(load);
    rc = add_vertex(load, req->id, req->label, (const void *const *)req->properties,
                    req->n_properties, &id, msg);
    if (rc < 0) {
        svc_load_abort(load);
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s", msg);
    }
    int created = svc_load_vertices(load) > before;
    /* Answered as stored, from the load itself: the label the vertex has
     * and every property it has now, its earlier small loads included.
     * Re-adding a vertex is a small load like any other: no version is
     * written for the answer. */
    Hgc__V1__Vertex reply;
    if ((rc = svc_vertex_from_load(call, load, &id, &reply)) < 0) {
        svc_load_abort(load);
        return hgc_call_set_error(call, GRPC_STATUS_INTERNAL,
                                  "the vertex just added is not in graph '%s'", req->graph);
    }
    grpc_status_code code = commit_one(call, load, msg);
    if (code != GRPC_STATUS_OK)
        return code;
    /* A vertex that existed shows its results, as GetVertex does; no
     * result names a new one yet. */
    if (!created)
        svc_vertex_add_results(call, ctx, req->graph, &id, &reply);
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
}

grpc_status_code svc_gs_add_edge(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const Hgc__V1__AddEdgeRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX] = "";
    svc_load *load = NULL;
    int rc = svc_load_begin(&load, ctx, req->graph, SVC_LOAD_SMALL, msg);
    if (rc < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s", msg);
    rc = add_edge(load, req->label, req->outv, req->inv, req->outvlabel, req->invlabel,
                  (const void *const *)req->properties, req->n_properties, msg);
    if (rc < 0) {
        svc_load_abort(load);
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s", msg);
    }
    grpc_status_code code = commit_one(call, load, msg);
    if (code != GRPC_STATUS_OK)
        return code;
    Hgc__V1__GraphEdge reply = HGC__V1__GRAPH_EDGE__INIT;
    reply.id = edge_id(call, req->outv, req->label, req->inv);
    reply.label = req->label && req->label[0] ? req->label : (char *)"edge";
    reply.type = (char *)"edge";
    reply.outv = req->outv;
    reply.inv = req->inv;
    reply.outvlabel = req->outvlabel;
    reply.invlabel = req->invlabel;
    /* The request's entries are of another generated type with the same
     * layout; the answer's descriptor is GraphEdge's. */
    reply.n_properties = req->n_properties;
    reply.properties = hgc_call_alloc(call, (req->n_properties + 1) * sizeof(void *));
    for (size_t i = 0; i < req->n_properties; i++) {
        Hgc__V1__GraphEdge__PropertiesEntry *e = hgc_call_alloc(call, sizeof *e);
        hgc__v1__graph_edge__properties_entry__init(e);
        e->key = req->properties[i]->key;
        e->value = req->properties[i]->value;
        reply.properties[i] = e;
    }
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
}
