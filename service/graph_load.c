/* graph_load.c: the GraphService calls that load (graph_handlers.h):
 * LoadEdges (edge lists, JSON lines, Graphalytics), the AddVertices and
 * AddEdges client streams, their one-batch unary forms AddVertexBatch and
 * AddEdgeBatch, and the one-item AddVertex and AddEdge.
 *
 * Every call is all or nothing (graphs.h): LoadEdges makes a new version,
 * the others are small loads into the version's delta log. The first bad
 * item ends the call with a message naming it ("item 3: ...", "line 7:
 * ..."), and the graph stays as it was. The three streams are consumed
 * message by message (hgc_call_consume): each message's records go into
 * the builder on a pool thread, and the call holds no thread while the
 * client has not sent the next; each message holds at most SVC_BATCH_MAX
 * items.
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

struct stream_state;

/* One kind of loading stream: its message type's name, the load it makes,
 * how one message is taken into the load, and the reply once the load is
 * committed. */
typedef struct stream_kind {
    const char *what; /* "EdgeBatch" */
    svc_load_kind load;
    grpc_status_code (*message)(struct stream_state *st, const ProtobufCMessage *m);
    void (*reply)(struct stream_state *st, const svc_graph *g, int64_t loaded, int64_t added);
} stream_kind;

/* A stream in progress: its load and where it is. In the call's arena. */
typedef struct stream_state {
    hgc_call *call;
    svc_ctx *ctx;
    const stream_kind *kind;
    svc_load *load;
    int64_t batch; /* messages so far */
    int64_t item;  /* items so far (vertices or edges) */
    void **ids;    /* the items' ids, answered at the end */
    size_t cap;
    char msg[SVC_MSG_MAX];
} stream_state;

/* A message of a stream: the first must name the graph (and starts the
 * load), later ones may leave it empty or repeat it. */
static grpc_status_code stream_message(stream_state *st, const char *graph, size_t n_items,
                                       const char *items)
{
    const char *what = st->kind->what;
    if (st->load == NULL) {
        if (graph == NULL || graph[0] == '\0')
            return hgc_call_set_error(st->call, GRPC_STATUS_INVALID_ARGUMENT,
                                      "the first %s must name the graph", what);
        /* While another call loads the graph, this one waits without a
         * thread (HGC_CALL_LATER) and takes the same message again. */
        svc_waiter w = svc_call_waiter(st->call);
        int rc = svc_load_begin(&st->load, st->ctx, graph, st->kind->load, &w, st->msg);
        if (rc < 0)
            return hgc_call_set_error(st->call, svc_grpc_status(rc), "%s", st->msg);
    }
    st->batch++;
    if (st->batch > 1 && graph && graph[0] && strcmp(graph, svc_load_graph(st->load)) != 0) {
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

/* The end of a stream (the client half-closed): commit, then reply. A
 * client that goes while the version is written is asked about again
 * before recording. */
static grpc_status_code stream_end(stream_state *st)
{
    if (st->load == NULL)
        return hgc_call_set_error(st->call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "the stream had no %s naming the graph", st->kind->what);
    svc_load *l = st->load;
    st->load = NULL;
    svc_graph g;
    int64_t loaded = 0, added = 0;
    int rc = svc_load_commit(l, &g, &loaded, &added, call_gone, st->call, st->msg);
    if (rc < 0)
        return hgc_call_set_error(st->call, svc_grpc_status(rc), "%s", st->msg);
    st->kind->reply(st, &g, loaded, added);
    return GRPC_STATUS_OK;
}

/* The consumer of a client stream (hgc_call_consume). The builder takes
 * each message's records before the next arrives, so a large load never
 * sits in memory as messages, and the call holds no thread between them. */
static int stream_each(hgc_call *call, void *arg, const ProtobufCMessage *m)
{
    (void)call;
    stream_state *st = arg;
    if (m == NULL)
        return stream_end(st);
    grpc_status_code code = st->kind->message(st, m);
    return code == GRPC_STATUS_OK ? HGC_FEED_MORE : (int)code;
}

/* A stream that failed, was cut off or was cancelled stores nothing. */
static void stream_release(void *arg)
{
    stream_state *st = arg;
    svc_load_abort(st->load);
    st->load = NULL;
}

static grpc_status_code stream_start(hgc_call *call, svc_ctx *ctx, const stream_kind *kind)
{
    stream_state *st = hgc_call_alloc(call, sizeof *st);
    memset(st, 0, sizeof *st);
    st->call = call;
    st->ctx = ctx;
    st->kind = kind;
    hgc_call_consume(call, stream_each, stream_release, st);
    return GRPC_STATUS_OK;
}

/* The one-batch unary form of a stream: its request as the only message. */
static grpc_status_code stream_once(hgc_call *call, svc_ctx *ctx, const stream_kind *kind)
{
    stream_state st = {.call = call, .ctx = ctx, .kind = kind};
    grpc_status_code code = kind->message(&st, hgc_call_request(call));
    if (code == GRPC_STATUS_OK)
        code = stream_end(&st);
    stream_release(&st);
    return code;
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

/* An item's type is its kind's own word or empty: what an answer shows,
 * so a vertex or edge read back can be posted back as it is. */
static int type_check(const char *type, const char *kind, char msg[SVC_MSG_MAX])
{
    if (!type || !type[0] || strcmp(type, kind) == 0)
        return 0;
    snprintf(msg, SVC_MSG_MAX, "type is \"%.64s\"; a%s %s's type is \"%s\" (or leave it out)", type,
             kind[0] == 'e' ? "n" : "", kind, kind);
    return -EINVAL;
}

/* Adds one vertex; *assigned is its id (given or assigned). */
static int add_vertex(svc_load *load, const Hgc__V1__VertexId *id, const char *label,
                      const char *type, const void *const *entries, size_t n_props,
                      algo_vid *assigned, char msg[SVC_MSG_MAX])
{
    algo_vertex_rec r = {0};
    algo_prop *props = NULL;
    int rc = 0;
    r.has_id = id != NULL && id->kind_case != HGC__V1__VERTEX_ID__KIND__NOT_SET;
    if (r.has_id && svc_vid_from_proto(&r.id, id, msg) < 0)
        return -EINVAL;
    if ((rc = label_check(label, "the label", msg)) < 0 ||
        (rc = type_check(type, "vertex", msg)) < 0)
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

static int add_edge(svc_load *load, const char *label, const char *type,
                    const Hgc__V1__VertexId *out_v, const Hgc__V1__VertexId *in_v,
                    const char *out_label, const char *in_label, const void *const *entries,
                    size_t n_props, char msg[SVC_MSG_MAX])
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
        (rc = type_check(type, "edge", msg)) < 0 ||
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

/* An edge given with an id (as an answer shows it) must be given the id
 * it gets; -EINVAL with what it gets otherwise. */
static int edge_id_check(const char *given, const char *id, char msg[SVC_MSG_MAX])
{
    if (!given || !given[0] || strcmp(given, id) == 0)
        return 0;
    snprintf(msg, SVC_MSG_MAX,
             "id is \"%.100s\", but this edge's id is \"%.100s\" (outV>label>inV); "
             "leave the id out",
             given, id);
    return -EINVAL;
}

/* Keeps an item's id for the reply, in the call's arena. */
static void keep_id(stream_state *st, void *id)
{
    size_t n = (size_t)st->item - 1;
    if (n >= st->cap) {
        size_t ncap = st->cap ? st->cap * 2 : 64;
        void **grown = hgc_call_alloc(st->call, ncap * sizeof *grown);
        if (n)
            memcpy(grown, st->ids, n * sizeof *grown);
        st->ids = grown;
        st->cap = ncap;
    }
    st->ids[n] = id;
}

/* ---- LoadEdges: a bulk load into a new version ---- */

static grpc_status_code edges_message(stream_state *st, const ProtobufCMessage *m)
{
    const Hgc__V1__EdgeBatch *b = (const void *)m;
    hgc_call *call = st->call;
    grpc_status_code code = stream_message(st, b->graph, b->n_edges, "edges");
    if (code != GRPC_STATUS_OK)
        return code;
    if (!svc_load_format_known(b->format))
        return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "EdgeBatch %lld: format '%.64s' is not known; use "
                                  "\"edges\", \"jsonl\", \"graphalytics.properties\", "
                                  "\"graphalytics.v\" or \"graphalytics.e\"",
                                  (long long)st->batch, b->format);
    for (size_t i = 0; i < b->n_edges; i++) {
        const Hgc__V1__Edge *e = b->edges[i];
        algo_vid s, d;
        if (svc_vid_from_proto(&s, e->src, st->msg) < 0 ||
            svc_vid_from_proto(&d, e->dst, st->msg) < 0)
            return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                      "edge %zu of batch %lld: src and dst must each be a "
                                      "number or a non-empty UTF-8 string",
                                      i + 1, (long long)st->batch);
        int has_w = e->weight_present_case == HGC__V1__EDGE__WEIGHT_PRESENT_WEIGHT;
        int rc = svc_load_edge(st->load, &s, &d, has_w, e->weight, st->msg);
        if (rc < 0)
            return hgc_call_set_error(call, svc_grpc_status(rc), "edge %zu of batch %lld: %s",
                                      i + 1, (long long)st->batch, st->msg);
    }
    int rc;
    if (b->text.len > 0 &&
        (rc = svc_load_text(st->load, b->format, b->text.data, b->text.len, st->msg)) < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s", st->msg);
    return GRPC_STATUS_OK;
}

static void edges_reply(stream_state *st, const svc_graph *g, int64_t loaded, int64_t added)
{
    Hgc__V1__LoadEdgesResponse reply = HGC__V1__LOAD_EDGES_RESPONSE__INIT;
    Hgc__V1__Graph graph;
    svc_graph_to_proto(st->ctx, &graph, g);
    reply.graph = &graph;
    reply.edges_loaded = loaded;
    reply.vertices_added = added;
    hgc_call_send(st->call, &reply.base);
}

static const stream_kind load_edges_kind = {"EdgeBatch", SVC_LOAD_BULK, edges_message, edges_reply};

grpc_status_code svc_gs_load_edges(hgc_call *call, void *ud)
{
    return stream_start(call, ud, &load_edges_kind);
}

/* ---- AddVertices / AddVertexBatch: a small load ---- */

static grpc_status_code vertices_message(stream_state *st, const ProtobufCMessage *m)
{
    const Hgc__V1__AddVerticesRequest *b = (const void *)m;
    grpc_status_code code = stream_message(st, b->graph, b->n_vertices, "vertices");
    if (code != GRPC_STATUS_OK)
        return code;
    for (size_t i = 0; i < b->n_vertices; i++) {
        const Hgc__V1__Vertex *v = b->vertices[i];
        algo_vid id;
        st->item++;
        int rc = add_vertex(st->load, v->id, v->label, v->type, (const void *const *)v->properties,
                            v->n_properties, &id, st->msg);
        if (rc < 0)
            return item_error(st, rc, st->msg);
        keep_id(st, vid_copy(st->call, &id));
    }
    return GRPC_STATUS_OK;
}

static void vertices_reply(stream_state *st, const svc_graph *g, int64_t loaded, int64_t added)
{
    (void)loaded, (void)added;
    Hgc__V1__AddVerticesResponse reply = HGC__V1__ADD_VERTICES_RESPONSE__INIT;
    Hgc__V1__Graph graph;
    svc_graph_to_proto(st->ctx, &graph, g);
    reply.graph = &graph;
    reply.n_ids = (size_t)st->item;
    reply.ids = (Hgc__V1__VertexId **)st->ids;
    hgc_call_send(st->call, &reply.base);
}

static const stream_kind add_vertices_kind = {"AddVerticesRequest", SVC_LOAD_SMALL,
                                              vertices_message, vertices_reply};

grpc_status_code svc_gs_add_vertices(hgc_call *call, void *ud)
{
    return stream_start(call, ud, &add_vertices_kind);
}

grpc_status_code svc_gs_add_vertex_batch(hgc_call *call, void *ud)
{
    return stream_once(call, ud, &add_vertices_kind);
}

/* ---- AddEdges / AddEdgeBatch: a small load ---- */

static grpc_status_code add_edges_message(stream_state *st, const ProtobufCMessage *m)
{
    const Hgc__V1__AddEdgesRequest *b = (const void *)m;
    grpc_status_code code = stream_message(st, b->graph, b->n_edges, "edges");
    if (code != GRPC_STATUS_OK)
        return code;
    for (size_t i = 0; i < b->n_edges; i++) {
        const Hgc__V1__GraphEdge *e = b->edges[i];
        st->item++;
        int rc = add_edge(st->load, e->label, e->type, e->outv, e->inv, e->outvlabel, e->invlabel,
                          (const void *const *)e->properties, e->n_properties, st->msg);
        char *id = rc < 0 ? NULL : edge_id(st->call, e->outv, e->label, e->inv);
        if (rc == 0)
            rc = edge_id_check(e->id, id, st->msg);
        if (rc < 0)
            return item_error(st, rc, st->msg);
        keep_id(st, id);
    }
    return GRPC_STATUS_OK;
}

static void add_edges_reply(stream_state *st, const svc_graph *g, int64_t loaded, int64_t added)
{
    (void)loaded, (void)added;
    Hgc__V1__AddEdgesResponse reply = HGC__V1__ADD_EDGES_RESPONSE__INIT;
    Hgc__V1__Graph graph;
    svc_graph_to_proto(st->ctx, &graph, g);
    reply.graph = &graph;
    reply.n_ids = (size_t)st->item;
    reply.ids = (char **)st->ids;
    hgc_call_send(st->call, &reply.base);
}

static const stream_kind add_edges_kind = {"AddEdgesRequest", SVC_LOAD_SMALL, add_edges_message,
                                           add_edges_reply};

grpc_status_code svc_gs_add_edges(hgc_call *call, void *ud)
{
    return stream_start(call, ud, &add_edges_kind);
}

grpc_status_code svc_gs_add_edge_batch(hgc_call *call, void *ud)
{
    return stream_once(call, ud, &add_edges_kind);
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
    svc_waiter w = svc_call_waiter(call);
    int rc = svc_load_begin(&load, ctx, req->graph, SVC_LOAD_SMALL, &w, msg);
    if (rc < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s", msg);
    int64_t before = svc_load_vertices(load);
    rc = add_vertex(load, req->id, req->label, req->type, (const void *const *)req->properties,
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
    svc_waiter w = svc_call_waiter(call);
    int rc = svc_load_begin(&load, ctx, req->graph, SVC_LOAD_SMALL, &w, msg);
    if (rc < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s", msg);
    rc = add_edge(load, req->label, req->type, req->outv, req->inv, req->outvlabel, req->invlabel,
                  (const void *const *)req->properties, req->n_properties, msg);
    char *id = rc < 0 ? NULL : edge_id(call, req->outv, req->label, req->inv);
    if (rc == 0)
        rc = edge_id_check(req->id, id, msg);
    if (rc < 0) {
        svc_load_abort(load);
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s", msg);
    }
    grpc_status_code code = commit_one(call, load, msg);
    if (code != GRPC_STATUS_OK)
        return code;
    Hgc__V1__GraphEdge reply = HGC__V1__GRAPH_EDGE__INIT;
    reply.id = id;
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
