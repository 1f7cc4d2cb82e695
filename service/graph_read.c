/* graph_read.c: reading the graph store: GetVertex, ListEdges and the
 * description GetGraph adds (graph_handlers.h).
 *
 * Each call first folds the graph's small loads, if any, into a new
 * version (svc_graph_settle: O(n + m) when there are some), then opens the
 * current version's snapshot folder (graphstore/snapshot.h) and maps only the
 * columns it needs. A load that commits meanwhile may
 * remove that version once no task needs it; mapped files stay readable,
 * and an open that finds the folder gone re-reads the catalog and tries
 * the newer version. Cost: the open checks the labels (O(n + m)); a vertex
 * is then O(log n) plus its properties, an edge list O(degree), and each
 * algorithm's latest result adds an O(log n) lookup in its result.bin.
 * Keeping snapshots open between calls is the next step if reads get hot.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data_dir.h"
#include "graph_handlers.h"
#include "graph_values.h"
#include "graphs.h"
#include "result_file.h"
#include "snap_cache.h"
#include "snapshot.h"

#define LIST_LIMIT_DEFAULT 100
#define OPEN_TRIES         3
#define VERSIONS_MAX       64
#define ALGORITHMS_MAX     64

typedef svc_snap snap_view;

/* The current version of `graph`, its small loads folded first (shared:
 * snap_cache.h); *v NULL for a graph with nothing loaded. 0, or negative
 * with msg. */
static int view_open(hgc_call *call, snap_view **v, svc_ctx *ctx, const char *graph, svc_graph *g,
                     char msg[SVC_MSG_MAX])
{
    *v = NULL;
    if (svc_graph_name_check(graph, msg) < 0)
        return -EINVAL;
    svc_waiter w = svc_call_waiter(call);
    int rc = svc_graph_settle(ctx, graph, &w, msg);
    if (rc < 0)
        return rc;
    for (int attempt = 0; attempt < OPEN_TRIES; attempt++) {
        rc = svc_store_graph_get(ctx->store, graph, g);
        if (rc == -ENOENT) {
            snprintf(msg, SVC_MSG_MAX, "graph '%s' does not exist", graph);
            return rc;
        }
        if (rc < 0) {
            snprintf(msg, SVC_MSG_MAX, SVC_MSG_STORE_FAILED "cannot read the graph catalog");
            return rc;
        }
        if (g->version == 0)
            return 0;
        /* A load may have removed this version just now: then again. */
        if ((rc = svc_snap_get(ctx, graph, g->version, v, msg)) == 0)
            return 0;
    }
    return rc;
}

static char *arena_strndup(hgc_call *call, const char *s, size_t len)
{
    char *out = hgc_call_alloc(call, len + 1);
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

static Hgc__V1__VertexId *vid_to_proto(hgc_call *call, const algo_vid *v)
{
    Hgc__V1__VertexId *id = hgc_call_alloc(call, sizeof *id);
    hgc__v1__vertex_id__init(id);
    if (v->is_str) {
        id->kind_case = HGC__V1__VERTEX_ID__KIND_STR;
        id->str = arena_strndup(call, v->str, v->len);
    } else {
        id->kind_case = HGC__V1__VERTEX_ID__KIND_NUM;
        id->num = v->num;
    }
    return id;
}

static Hgc__V1__Value *prop_to_proto(hgc_call *call, const algo_prop_value *p)
{
    Hgc__V1__Value *val = hgc_call_alloc(call, sizeof *val);
    hgc__v1__value__init(val);
    switch (p->type) {
    case ALGO_PROP_INT:
        val->kind_case = HGC__V1__VALUE__KIND_INTEGER;
        val->integer = p->i;
        break;
    case ALGO_PROP_DOUBLE:
        val->kind_case = HGC__V1__VALUE__KIND_NUMBER;
        val->number = p->d;
        break;
    case ALGO_PROP_BOOL:
        val->kind_case = HGC__V1__VALUE__KIND_BOOLEAN;
        val->boolean = p->i != 0;
        break;
    case ALGO_PROP_STRING:
        val->kind_case = HGC__V1__VALUE__KIND_TEXT;
        val->text = arena_strndup(call, p->s, p->len);
        break;
    }
    return val;
}

/* The generated map entries all look like this (graph_values.c). */
typedef struct prop_entry {
    ProtobufCMessage base;
    char *key;
    Hgc__V1__Value *value;
} prop_entry;

/* A growing list of map entries of one generated entry type. */
typedef struct entry_list {
    const ProtobufCMessageDescriptor *desc;
    prop_entry **items;
    size_t n, cap;
} entry_list;

static void entries_put(hgc_call *call, entry_list *l, const char *key, Hgc__V1__Value *val)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->items[i]->key, key) == 0) {
            l->items[i]->value = val; /* a result under an own key's name wins */
            return;
        }
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        prop_entry **grown = hgc_call_alloc(call, cap * sizeof *grown);
        if (l->n)
            memcpy(grown, l->items, l->n * sizeof *grown);
        l->items = grown;
        l->cap = cap;
    }
    prop_entry *e = hgc_call_alloc(call, l->desc->sizeof_message);
    protobuf_c_message_init(l->desc, e);
    e->key = hgc_call_strdup(call, key);
    e->value = val;
    l->items[l->n++] = e;
}

/* The properties of one vertex or edge: every key of its kind and label
 * whose column has a value at `slot`. */
static void props_of(hgc_call *call, snap_view *v, char kind, uint16_t label, uint64_t slot,
                     entry_list *out)
{
    for (size_t k = 0; k < v->s.n_keys; k++) {
        const algo_schema_key *key = &v->s.keys[k];
        if (key->kind != kind || key->label != label)
            continue;
        const algo_column *c = svc_snap_column(v, k);
        if (c == NULL || !algo_column_has(c, slot))
            continue;
        algo_prop_value p;
        algo_column_get(c, slot, &p);
        entries_put(call, out, key->key, prop_to_proto(call, &p));
    }
}

/* No out-CSR position: an in-edge of a snapshot without in_to_out,
 * which has label 0 and no properties but the weights graph.hgcg holds
 * (snapshot.h). */
#define EDGE_NO_POS UINT64_MAX

/* The properties of such an in-edge at in-CSR position `j`: a key "in"
 * the graph, its weight in_w[j]. */
static void props_of_in_edge(hgc_call *call, snap_view *v, uint64_t j, entry_list *out)
{
    for (size_t k = 0; k < v->s.n_keys; k++) {
        const algo_schema_key *key = &v->s.keys[k];
        if (key->kind != 'e' || !key->in_graph)
            continue;
        algo_prop_value p = {.type = ALGO_PROP_DOUBLE, .d = algo_weight(v->s.g.in_w, j)};
        entries_put(call, out, key->key, prop_to_proto(call, &p));
    }
}

/* The label of the edge at out-CSR position `e` (or EDGE_NO_POS). */
static uint16_t edge_label(const snap_view *v, uint64_t e)
{
    return e == EDGE_NO_POS || !v->s.elabel ? 0 : v->s.elabel[e];
}

static uint16_t vertex_label(const snap_view *v, uint64_t at)
{
    return v->s.vlabel ? v->s.vlabel[at] : 0;
}

/* Looks the id up in the snapshot (none: an empty graph): its index, -1,
 * or -2 for an id no vertex can have (msg). */
static int64_t find_vertex(const snap_view *v, const Hgc__V1__VertexId *id, char *buf, size_t cap,
                           char msg[SVC_MSG_MAX])
{
    algo_vid cand[2];
    int n = svc_vid_candidates(cand, id, buf, cap, msg);
    if (n < 0)
        return -2;
    for (int i = 0; v && i < n; i++) {
        int64_t at = algo_idmap_find(&v->s.g.ids, &cand[i]);
        if (at >= 0)
            return at;
    }
    return -1;
}

/* Adds each algorithm's latest successful result for vertex `vid`. */
static void add_results(hgc_call *call, svc_ctx *ctx, const char *graph, const algo_vid *vid,
                        entry_list *out)
{
    svc_task *tasks = NULL;
    size_t n = 0;
    int more = 0;
    char seen[ALGORITHMS_MAX][64];
    size_t n_seen = 0;
    if (svc_store_task_list(ctx->store, graph, SVC_SUCCESS, 0, -1, &tasks, &n, &more) < 0)
        return;
    /* Tasks come by id: the last of an algorithm is its latest. */
    for (size_t t = n; t-- > 0;) {
        size_t s = 0;
        while (s < n_seen && strcmp(seen[s], tasks[t].algorithm) != 0)
            s++;
        if (s < n_seen || n_seen == ALGORITHMS_MAX)
            continue;
        snprintf(seen[n_seen++], sizeof seen[0], "%s", tasks[t].algorithm);
        char dir[PATH_MAX], path[PATH_MAX + 16], amsg[ALGO_MSG_MAX];
        algo_result r;
        memset(&r, 0, sizeof r);
        svc_path_results(dir, ctx->cfg->data_dir, graph, tasks[t].id);
        snprintf(path, sizeof path, "%s/result.bin", dir);
        if (algo_result_map(&r, path, amsg) < 0)
            continue;
        int64_t at = algo_idmap_find(&r.ids, vid);
        if (at >= 0 && r.property[0]) {
            Hgc__V1__Value *val = hgc_call_alloc(call, sizeof *val);
            hgc__v1__value__init(val);
            switch (r.kind) {
            case ALGO_VALUE_DOUBLE:
                val->kind_case = HGC__V1__VALUE__KIND_NUMBER;
                val->number = ((const double *)r.values)[at];
                break;
            case ALGO_VALUE_INT64:
                val->kind_case = HGC__V1__VALUE__KIND_INTEGER;
                val->integer = ((const int64_t *)r.values)[at];
                break;
            case ALGO_VALUE_PATHS:
                /* on a vertex: its path's total weight (the path: ReadResult) */
                if (((const double *)r.values)[at] < INFINITY) {
                    val->kind_case = HGC__V1__VALUE__KIND_NUMBER;
                    val->number = ((const double *)r.values)[at];
                }
                break;
            case ALGO_VALUE_VERTEX: {
                /* A vertex as its id: a number, or text. */
                uint32_t u = ((const uint32_t *)r.values)[at];
                algo_vid w;
                if (u < r.ids.n) {
                    algo_idmap_get(&w, &r.ids, u);
                    if (w.is_str) {
                        val->kind_case = HGC__V1__VALUE__KIND_TEXT;
                        val->text = arena_strndup(call, w.str, w.len);
                    } else {
                        val->kind_case = HGC__V1__VALUE__KIND_INTEGER;
                        val->integer = w.num;
                    }
                }
                break;
            }
            }
            if (val->kind_case != HGC__V1__VALUE__KIND__NOT_SET)
                entries_put(call, out, r.property, val);
        }
        algo_result_unmap(&r);
    }
    svc_tasks_free(tasks, n);
}

static void id_text(char *out, size_t cap, const Hgc__V1__VertexId *id)
{
    if (id && id->kind_case == HGC__V1__VERTEX_ID__KIND_NUM)
        snprintf(out, cap, "%lld", (long long)id->num);
    else
        snprintf(out, cap, "%.100s", id && id->str ? id->str : "");
}

/* Fills `out` with vertex `id` of the graph's current version as GetVertex
 * answers it. -ENOENT (msg) for an unknown graph or vertex. */
static int vertex_read(hgc_call *call, svc_ctx *ctx, const char *graph, const Hgc__V1__VertexId *id,
                       Hgc__V1__Vertex *out, char msg[SVC_MSG_MAX])
{
    snap_view *v;
    svc_graph g;
    char buf[1024], shown[128];
    int rc = view_open(call, &v, ctx, graph, &g, msg);
    if (rc < 0)
        return rc;
    int64_t at = find_vertex(v, id, buf, sizeof buf, msg);
    if (at == -2) {
        svc_snap_put(ctx, v);
        return -EINVAL;
    }
    if (at < 0) {
        id_text(shown, sizeof shown, id);
        snprintf(msg, SVC_MSG_MAX, "vertex '%s' does not exist in graph '%s'", shown, graph);
        svc_snap_put(ctx, v);
        return -ENOENT;
    }
    algo_vid vid;
    algo_idmap_get(&vid, &v->s.g.ids, (uint64_t)at);
    hgc__v1__vertex__init(out);
    out->id = vid_to_proto(call, &vid);
    uint16_t label = vertex_label(v, (uint64_t)at);
    out->label = hgc_call_strdup(call, v->s.vlabel_names[label]);
    out->type = (char *)"vertex";
    entry_list props = {.desc = &hgc__v1__vertex__properties_entry__descriptor};
    props_of(call, v, 'v', label, (uint64_t)at, &props);
    add_results(call, ctx, graph, &vid, &props);
    out->n_properties = props.n;
    out->properties = (Hgc__V1__Vertex__PropertiesEntry **)props.items;
    svc_snap_put(ctx, v);
    return 0;
}

/* A load's properties of one vertex into an answer's entries. */
typedef struct load_props {
    hgc_call *call;
    entry_list list;
} load_props;

static void load_prop(void *ud, const char *key, size_t key_len, const algo_prop_value *v)
{
    load_props *lp = ud;
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)key_len, key);
    entries_put(lp->call, &lp->list, name, prop_to_proto(lp->call, v));
}

int svc_vertex_from_load(hgc_call *call, const struct svc_load *l, const algo_vid *id,
                         Hgc__V1__Vertex *out)
{
    load_props lp = {.call = call,
                     .list = {.desc = &hgc__v1__vertex__properties_entry__descriptor}};
    const char *label = NULL;
    int rc = svc_load_vertex_get(l, id, &label, load_prop, &lp);
    if (rc < 0)
        return rc;
    hgc__v1__vertex__init(out);
    out->id = vid_to_proto(call, id);
    out->label = hgc_call_strdup(call, label);
    out->type = (char *)"vertex";
    out->n_properties = lp.list.n;
    out->properties = (Hgc__V1__Vertex__PropertiesEntry **)lp.list.items;
    return 0;
}

void svc_vertex_add_results(hgc_call *call, svc_ctx *ctx, const char *graph, const algo_vid *id,
                            Hgc__V1__Vertex *out)
{
    entry_list props = {.desc = &hgc__v1__vertex__properties_entry__descriptor,
                        .items = (prop_entry **)out->properties,
                        .n = out->n_properties,
                        .cap = out->n_properties};
    add_results(call, ctx, graph, id, &props);
    out->n_properties = props.n;
    out->properties = (Hgc__V1__Vertex__PropertiesEntry **)props.items;
}

grpc_status_code svc_gs_get_vertex(hgc_call *call, void *ud)
{
    const Hgc__V1__GetVertexRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX] = "";
    Hgc__V1__Vertex reply;
    int rc = vertex_read(call, ud, req->graph, req->id, &reply, msg);
    if (rc < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s", msg);
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
}

/* One edge at out-CSR position `e` (or EDGE_NO_POS, then `in_pos` is its
 * in-CSR position) from vertex `src` to `dst`. */
static Hgc__V1__GraphEdge *edge_to_proto(hgc_call *call, snap_view *v, uint64_t e, uint64_t in_pos,
                                         uint64_t src, uint64_t dst)
{
    Hgc__V1__GraphEdge *out = hgc_call_alloc(call, sizeof *out);
    hgc__v1__graph_edge__init(out);
    algo_vid s, d;
    algo_idmap_get(&s, &v->s.g.ids, src);
    algo_idmap_get(&d, &v->s.g.ids, dst);
    uint16_t label = edge_label(v, e);
    const char *name = v->s.elabel_names[label];
    int len = svc_edge_id_format(NULL, 0, &s, name, &d);
    out->id = hgc_call_alloc(call, (size_t)len + 1);
    svc_edge_id_format(out->id, (size_t)len + 1, &s, name, &d);
    out->label = hgc_call_strdup(call, name);
    out->type = (char *)"edge";
    out->outv = vid_to_proto(call, &s);
    out->inv = vid_to_proto(call, &d);
    out->outvlabel = hgc_call_strdup(call, v->s.vlabel_names[vertex_label(v, src)]);
    out->invlabel = hgc_call_strdup(call, v->s.vlabel_names[vertex_label(v, dst)]);
    entry_list props = {.desc = &hgc__v1__graph_edge__properties_entry__descriptor};
    if (e != EDGE_NO_POS)
        props_of(call, v, 'e', label, e, &props);
    else
        props_of_in_edge(call, v, in_pos, &props);
    out->n_properties = props.n;
    out->properties = (Hgc__V1__GraphEdge__PropertiesEntry **)props.items;
    return out;
}

grpc_status_code svc_gs_list_edges(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const Hgc__V1__ListEdgesRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX] = "", buf[1024], shown[128];
    int out_dir = 1, in_dir = 1;
    const char *dir = req->direction ? req->direction : "";
    if (strcasecmp(dir, "OUT") == 0)
        in_dir = 0;
    else if (strcasecmp(dir, "IN") == 0)
        out_dir = 0;
    else if (dir[0] != '\0' && strcasecmp(dir, "BOTH") != 0)
        return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "direction must be OUT, IN or BOTH, got '%.32s'", dir);
    if (req->limit < -1)
        return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "limit must be -1 (all), 0 (the default, %d) or more, got %lld",
                                  LIST_LIMIT_DEFAULT, (long long)req->limit);
    uint64_t limit = req->limit == 0  ? LIST_LIMIT_DEFAULT
                     : req->limit < 0 ? UINT64_MAX
                                      : (uint64_t)req->limit;
    snap_view *v;
    svc_graph g;
    int rc = view_open(call, &v, ctx, req->graph, &g, msg);
    if (rc < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc), "%s", msg);
    int64_t at = find_vertex(v, req->vertex_id, buf, sizeof buf, msg);
    if (at == -2) {
        svc_snap_put(ctx, v);
        return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT, "vertex_id: %s", msg);
    }
    if (at < 0) {
        svc_snap_put(ctx, v);
        id_text(shown, sizeof shown, req->vertex_id);
        return hgc_call_set_error(call, GRPC_STATUS_NOT_FOUND,
                                  "vertex '%s' does not exist in graph '%s'", shown, req->graph);
    }
    /* Only edges of this label; a label the graph lacks lists nothing. */
    int64_t want = -1;
    if (req->label && req->label[0]) {
        want = -2;
        for (uint32_t i = 0; i < v->s.n_elabels; i++)
            if (strcmp(v->s.elabel_names[i], req->label) == 0)
                want = i;
    }
    const algo_graph *G = &v->s.g;
    uint64_t u = (uint64_t)at, cap = 16, n = 0;
    Hgc__V1__GraphEdge **items = hgc_call_alloc(call, cap * sizeof *items);
    for (int pass = 0; pass < 2 && want != -2; pass++) {
        if ((pass == 0 && !out_dir) || (pass == 1 && !in_dir))
            continue;
        uint64_t b = pass == 0 ? G->out_off[u] : G->in_off[u];
        uint64_t end = pass == 0 ? G->out_off[u + 1] : G->in_off[u + 1];
        for (uint64_t j = b; j < end && n < limit; j++) {
            /* An in-edge finds its label and properties at its out-CSR
             * position; without in_to_out it has label 0 and at most
             * the weight, at its in-CSR position j. */
            uint64_t e = pass == 0 ? j : v->s.in_to_out ? v->s.in_to_out[j] : EDGE_NO_POS;
            if (want >= 0 && edge_label(v, e) != want)
                continue;
            uint64_t src = pass == 0 ? u : G->in_src[j];
            uint64_t dst = pass == 0 ? G->out_dst[j] : u;
            if (n == cap) {
                Hgc__V1__GraphEdge **grown = hgc_call_alloc(call, 2 * cap * sizeof *grown);
                memcpy(grown, items, n * sizeof *grown);
                items = grown;
                cap *= 2;
            }
            items[n++] = edge_to_proto(call, v, e, j, src, dst);
        }
    }
    Hgc__V1__ListEdgesResponse reply = HGC__V1__LIST_EDGES_RESPONSE__INIT;
    reply.n_edges = n;
    reply.edges = items;
    hgc_call_send(call, &reply.base);
    /* Unary replies are packed when the handler returns; every string
     * in it was copied into the call's arena, so the snapshot can go. */
    svc_snap_put(ctx, v);
    return GRPC_STATUS_OK;
}

/* Labels with their counts, as GetGraph describes them (call memory). */
static Hgc__V1__LabelCount **label_counts(hgc_call *call, char (*names)[128],
                                          const uint64_t *counts, uint32_t n)
{
    Hgc__V1__LabelCount **out = hgc_call_alloc(call, (n + 1) * sizeof *out);
    for (uint32_t i = 0; i < n; i++) {
        Hgc__V1__LabelCount *lc = hgc_call_alloc(call, sizeof *lc);
        hgc__v1__label_count__init(lc);
        lc->name = hgc_call_strdup(call, names[i]);
        lc->count = (int64_t)counts[i];
        out[i] = lc;
    }
    return out;
}

int svc_graph_describe(hgc_call *call, svc_ctx *ctx, Hgc__V1__Graph *out, const svc_graph *g,
                       char msg[SVC_MSG_MAX])
{
    snap_view *v;
    svc_graph now;
    int64_t versions[VERSIONS_MAX];
    size_t nv = svc_graphs_versions(ctx, g->name, versions, VERSIONS_MAX);
    if (nv > VERSIONS_MAX)
        nv = VERSIONS_MAX;
    out->n_versions = nv;
    out->versions = hgc_call_alloc(call, (nv ? nv : 1) * sizeof *out->versions);
    memcpy(out->versions, versions, nv * sizeof *versions);
    int rc = view_open(call, &v, ctx, g->name, &now, msg);
    if (rc < 0 || v == NULL)
        return rc;
    if (now.version != g->version) {
        /* A load committed meanwhile: the counts go with the version
         * described. */
        out->version = now.version;
        out->vertices = now.vertices;
        out->edges = now.edges;
        out->updated = now.updated;
    }
    out->weighted = algo_weights_on(v->s.g.out_w);
    out->n_vertex_labels = v->s.n_vlabels;
    out->vertex_labels = label_counts(call, v->s.vlabel_names, v->s.vlabel_count, v->s.n_vlabels);
    out->n_edge_labels = v->s.n_elabels;
    out->edge_labels = label_counts(call, v->s.elabel_names, v->s.elabel_count, v->s.n_elabels);
    out->n_property_keys = v->s.n_keys;
    out->property_keys = hgc_call_alloc(call, (v->s.n_keys + 1) * sizeof(void *));
    for (size_t k = 0; k < v->s.n_keys; k++) {
        const algo_schema_key *key = &v->s.keys[k];
        Hgc__V1__PropertyKey *pk = hgc_call_alloc(call, sizeof *pk);
        hgc__v1__property_key__init(pk);
        pk->kind = (char *)(key->kind == 'v' ? "vertex" : "edge");
        pk->label = hgc_call_strdup(call, key->kind == 'v' ? v->s.vlabel_names[key->label]
                                                           : v->s.elabel_names[key->label]);
        pk->key = hgc_call_strdup(call, key->key);
        pk->type = (char *)algo_prop_type_name(key->type);
        out->property_keys[k] = pk;
    }
    svc_snap_put(ctx, v);
    return 0;
}
