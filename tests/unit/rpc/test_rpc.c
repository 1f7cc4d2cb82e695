/* test_rpc.c: hgc_rpc end to end: a real server on 127.0.0.1:0 in this
 * process, serving hgc.v1 methods with the test handlers below, called
 * through the client half of the same library.
 *
 * Handlers: GraphService.GetGraph (unary; the request name picks a
 * behaviour), GraphService.LoadEdges (client stream: counts), JobService.
 * WatchJob (server stream: task_id tasks, or endless for task_id < 0), and
 * the health service. GraphService.CreateGraph has no handler on purpose.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "grpc/health/v1/health.pb-c.h"
#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "hgc_rpc.h"

static hgc_server *srv;
static hgc_channel *ch;
static int port;

static atomic_int slow_saw_cancel;
static atomic_int watch_saw_cancel;
static atomic_int watch_running;
static atomic_int wait_woke_ms = -1;
static atomic_int unavailable_calls; /* GetGraph("unavailable:N") calls so far */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits up to ms for *flag to become non-zero. */
static int wait_flag(atomic_int *flag, int ms)
{
    int64_t until = now_ms() + ms;
    while (!atomic_load(flag) && now_ms() < until)
        usleep(5000);
    return atomic_load(flag);
}

/* ------------------------------------------------------------------ */
/* Handlers                                                            */
/* ------------------------------------------------------------------ */

static grpc_status_code get_graph(hgc_call *call, void *ud)
{
    const Hgc__V1__GetGraphRequest *req = (const void *)hgc_call_request(call);
    Hgc__V1__Graph *g = hgc_call_alloc(call, sizeof *g);
    hgc__v1__graph__init(g);
    if (strcmp(req->name, "missing") == 0)
        return hgc_call_set_error(call, GRPC_STATUS_NOT_FOUND, "graph %s not found", req->name);
    if (strcmp(req->name, "slow") == 0) {
        int64_t until = now_ms() + 5000;
        while (!hgc_call_wait_cancelled(call, 50) && now_ms() < until)
            ;
        atomic_store(&slow_saw_cancel, hgc_call_cancelled(call));
        return GRPC_STATUS_DEADLINE_EXCEEDED;
    }
    if (strcmp(req->name, "empty") == 0)
        return GRPC_STATUS_OK; /* nothing sent: the default message goes */
    if (strncmp(req->name, "unavailable:", 12) == 0 &&
        atomic_fetch_add(&unavailable_calls, 1) < atoi(req->name + 12))
        return hgc_call_set_error(call, GRPC_STATUS_UNAVAILABLE, "not now");
    if (strcmp(req->name, "peer") == 0) {
        g->name = (char *)hgc_call_peer(call);
        g->vertices = hgc_call_deadline_ms(call);
    } else if (strcmp(req->name, "ua") == 0) {
        const char *ua = hgc_call_metadata(call, "user-agent");
        g->name = (char *)(ua ? ua : "(none)");
    } else if (strncmp(req->name, "big:", 4) == 0) {
        size_t n = strtoul(req->name + 4, NULL, 10);
        g->name = hgc_call_alloc(call, n + 1);
        memset(g->name, 'x', n);
        g->name[n] = '\0';
    } else if (strncmp(req->name, "sleep:", 6) == 0) {
        usleep(1000 * atoi(req->name + 6));
        g->name = hgc_call_strdup(call, req->name);
    } else {
        g->name = hgc_call_printf(call, "%s", req->name);
        g->vertices = (int64_t)strlen(req->name);
    }
    /* No cr_assert here: this is a pool thread. */
    if (hgc_call_send(call, &g->base) != 0)
        return hgc_call_set_error(call, GRPC_STATUS_INTERNAL, "send failed");
    if (hgc_call_send(call, &g->base) == 0)
        return hgc_call_set_error(call, GRPC_STATUS_INTERNAL, "a second unary reply was taken");
    return GRPC_STATUS_OK;
}

/* Counts edges (edges_loaded) and text bytes (vertices_added): a consumed
 * client stream. */
struct edge_count {
    int64_t edges, bytes;
    const char *graph;
};

static int count_edges(hgc_call *call, void *arg, const ProtobufCMessage *m)
{
    struct edge_count *n = arg;
    if (m) {
        const Hgc__V1__EdgeBatch *b = (const void *)m;
        if (!n->graph)
            n->graph = hgc_call_strdup(call, b->graph);
        n->edges += (int64_t)b->n_edges;
        n->bytes += (int64_t)b->text.len;
        return HGC_FEED_MORE;
    }
    Hgc__V1__Graph g = HGC__V1__GRAPH__INIT;
    g.name = (char *)(n->graph ? n->graph : "");
    Hgc__V1__LoadEdgesResponse resp = HGC__V1__LOAD_EDGES_RESPONSE__INIT;
    resp.graph = &g;
    resp.edges_loaded = n->edges;
    resp.vertices_added = n->bytes;
    hgc_call_send(call, &resp.base);
    return GRPC_STATUS_OK;
}

static grpc_status_code load_edges(hgc_call *call, void *ud)
{
    struct edge_count *n = hgc_call_alloc(call, sizeof *n);
    memset(n, 0, sizeof *n);
    hgc_call_consume(call, count_edges, NULL, n);
    return GRPC_STATUS_OK;
}

static grpc_status_code watch_job(hgc_call *call, void *ud)
{
    const Hgc__V1__WatchJobRequest *req = (const void *)hgc_call_request(call);
    Hgc__V1__Task t = HGC__V1__TASK__INIT;
    t.task_status = (char *)"running";
    if (req->task_id >= 0) {
        for (int64_t i = 0; i < req->task_id; i++) {
            t.id = i;
            if (hgc_call_send(call, &t.base) < 0)
                return GRPC_STATUS_CANCELLED;
        }
        return GRPC_STATUS_OK;
    }
    if (req->task_id == -2) {
        /* One message, then one long wait that only a cancel cuts short. */
        if (hgc_call_send(call, &t.base) < 0)
            return GRPC_STATUS_CANCELLED;
        int64_t t0 = now_ms();
        int cancelled = hgc_call_wait_cancelled(call, 10000);
        atomic_store(&wait_woke_ms, (int)(now_ms() - t0));
        atomic_store(&watch_saw_cancel, cancelled);
        return GRPC_STATUS_CANCELLED;
    }
    atomic_store(&watch_running, 1);
    for (int64_t i = 0; !hgc_call_wait_cancelled(call, 10); i++) {
        t.id = i;
        if (hgc_call_send(call, &t.base) < 0)
            break;
    }
    atomic_store(&watch_saw_cancel, hgc_call_cancelled(call));
    return hgc_call_set_error(call, GRPC_STATUS_UNAVAILABLE, "watch ended");
}

static const hgc_method_impl graph_impls[] = {
    {"GetGraph", HGC_RPC_UNARY, get_graph, 0},
    {"LoadEdges", HGC_RPC_CLIENT_STREAM, load_edges, 0},
};
static const hgc_method_impl job_impls[] = {
    {"WatchJob", HGC_RPC_SERVER_STREAM, watch_job, 0},
};

static hgc_server *start_server_opts(int max_threads, int max_message, int *port_out)
{
    hgc_server *s = NULL;
    char msg[HGC_MSG_MAX] = "";
    hgc_server_options o = {.max_threads = max_threads, .max_message_bytes = max_message};
    cr_assert_eq(hgc_server_new(&s, &o), 0);
    cr_assert_eq(
        hgc_server_add_service(s, &hgc__v1__graph_service__descriptor, graph_impls, 2, NULL, msg),
        0, "%s", msg);
    cr_assert_eq(
        hgc_server_add_service(s, &hgc__v1__job_service__descriptor, job_impls, 1, NULL, msg), 0,
        "%s", msg);
    cr_assert_eq(hgc_server_add_health(s, msg), 0, "%s", msg);
    cr_assert_eq(hgc_server_start(s, "127.0.0.1:0", port_out, msg), 0, "%s", msg);
    cr_assert_gt(*port_out, 0);
    return s;
}

static hgc_server *start_server(int max_threads, int *port_out)
{
    return start_server_opts(max_threads, 0, port_out);
}

static void setup(void)
{
    char msg[HGC_MSG_MAX], target[64];
    srv = start_server(0, &port);
    snprintf(target, sizeof target, "127.0.0.1:%d", port);
    cr_assert_eq(hgc_channel_new(&ch, target, msg), 0, "%s", msg);
}

static void teardown(void)
{
    hgc_channel_free(ch);
    hgc_server_shutdown(srv, 1000);
    hgc_server_free(srv);
}

TestSuite(rpc, .init = setup, .fini = teardown, .timeout = 60);

/* GetGraph(name) on `c`; returns the status code, the reply in *out. */
static grpc_status_code get(hgc_channel *c, const char *name, int timeout_ms, Hgc__V1__Graph **out,
                            hgc_status *st)
{
    Hgc__V1__GetGraphRequest req = HGC__V1__GET_GRAPH_REQUEST__INIT;
    req.name = (char *)name;
    ProtobufCMessage *reply = NULL;
    grpc_status_code code = hgc_unary(c, &hgc__v1__graph_service__descriptor, "GetGraph", &req.base,
                                      &reply, timeout_ms, st);
    if (out)
        *out = (Hgc__V1__Graph *)reply;
    else if (reply)
        protobuf_c_message_free_unpacked(reply, NULL);
    return code;
}

/* ------------------------------------------------------------------ */
/* Unary                                                               */
/* ------------------------------------------------------------------ */

Test(rpc, unary_ok)
{
    hgc_status st;
    Hgc__V1__Graph *g = NULL;
    cr_assert_eq(get(ch, "alpha", 5000, &g, &st), GRPC_STATUS_OK, "%s", st.message);
    cr_assert_str_eq(g->name, "alpha");
    cr_assert_eq(g->vertices, 5);
    protobuf_c_message_free_unpacked(&g->base, NULL);
}

Test(rpc, unary_without_send_answers_default_message)
{
    hgc_status st;
    Hgc__V1__Graph *g = NULL;
    cr_assert_eq(get(ch, "empty", 5000, &g, &st), GRPC_STATUS_OK, "%s", st.message);
    cr_assert_str_eq(g->name, "");
    protobuf_c_message_free_unpacked(&g->base, NULL);
}

Test(rpc, error_status_and_message)
{
    hgc_status st;
    Hgc__V1__Graph *g = NULL;
    cr_assert_eq(get(ch, "missing", 5000, &g, &st), GRPC_STATUS_NOT_FOUND);
    cr_assert_eq(st.code, GRPC_STATUS_NOT_FOUND);
    cr_assert_str_eq(st.message, "graph missing not found");
    cr_assert_null(g);
    cr_assert_str_eq(hgc_status_name(GRPC_STATUS_NOT_FOUND), "NOT_FOUND");
    cr_assert_str_eq(hgc_status_name(GRPC_STATUS_INVALID_ARGUMENT), "INVALID_ARGUMENT");
}

Test(rpc, peer_deadline_and_metadata)
{
    hgc_status st;
    Hgc__V1__Graph *g = NULL;
    cr_assert_eq(get(ch, "peer", 5000, &g, &st), GRPC_STATUS_OK, "%s", st.message);
    cr_assert(strncmp(g->name, "ipv4:127.0.0.1:", 15) == 0, "peer %s", g->name);
    /* gRPC rounds the timeout it sends up a little (grpc-timeout units). */
    cr_assert(g->vertices > 4000 && g->vertices <= 5100, "deadline_ms %ld", (long)g->vertices);
    protobuf_c_message_free_unpacked(&g->base, NULL);
    cr_assert_eq(get(ch, "peer", 0, &g, &st), GRPC_STATUS_OK, "%s", st.message);
    cr_assert_eq(g->vertices, INT64_MAX, "no deadline");
    protobuf_c_message_free_unpacked(&g->base, NULL);
    cr_assert_eq(get(ch, "ua", 5000, &g, &st), GRPC_STATUS_OK, "%s", st.message);
    cr_assert(strstr(g->name, "grpc") != NULL, "user-agent %s", g->name);
    protobuf_c_message_free_unpacked(&g->base, NULL);
}

Test(rpc, unimplemented_method_without_handler)
{
    hgc_status st;
    Hgc__V1__CreateGraphRequest req = HGC__V1__CREATE_GRAPH_REQUEST__INIT;
    req.name = (char *)"g";
    ProtobufCMessage *reply = NULL;
    cr_assert_eq(hgc_unary(ch, &hgc__v1__graph_service__descriptor, "CreateGraph", &req.base,
                           &reply, 5000, &st),
                 GRPC_STATUS_UNIMPLEMENTED, "%s", st.message);
    cr_assert_null(reply);
    cr_assert(strstr(st.message, "/hgc.v1.GraphService/CreateGraph"), "%s", st.message);
}

/* A service nobody registered, and a lie about GetGraph's input type. */
static const ProtobufCMethodDescriptor nope_methods[] = {
    {"Foo", &hgc__v1__get_graph_request__descriptor, &hgc__v1__graph__descriptor},
};
static const unsigned nope_index[] = {0};
static const ProtobufCServiceDescriptor nope_service = {
    PROTOBUF_C__SERVICE_DESCRIPTOR_MAGIC,
    "hgc.v1.Nope",
    "Nope",
    "Hgc__V1__Nope",
    "hgc.v1",
    1,
    nope_methods,
    nope_index,
};
static const ProtobufCMethodDescriptor liar_methods[] = {
    {"GetGraph", &hgc__v1__job_reply__descriptor, &hgc__v1__graph__descriptor},
};
static const ProtobufCServiceDescriptor liar_service = {
    PROTOBUF_C__SERVICE_DESCRIPTOR_MAGIC,
    "hgc.v1.GraphService",
    "GraphService",
    "Hgc__V1__GraphService",
    "hgc.v1",
    1,
    liar_methods,
    nope_index,
};

Test(rpc, unimplemented_unknown_service)
{
    hgc_status st;
    Hgc__V1__GetGraphRequest req = HGC__V1__GET_GRAPH_REQUEST__INIT;
    req.name = (char *)"g";
    ProtobufCMessage *reply = NULL;
    int64_t t0 = now_ms();
    cr_assert_eq(hgc_unary(ch, &nope_service, "Foo", &req.base, &reply, 5000, &st),
                 GRPC_STATUS_UNIMPLEMENTED, "%s %s", hgc_status_name(st.code), st.message);
    cr_assert_lt(now_ms() - t0, 2000, "answered, not left to the deadline");
    cr_assert(strstr(st.message, "/hgc.v1.Nope/Foo"), "%s", st.message);
    /* And again: the generic request is re-posted. */
    cr_assert_eq(hgc_unary(ch, &nope_service, "Foo", &req.base, &reply, 5000, &st),
                 GRPC_STATUS_UNIMPLEMENTED);
}

Test(rpc, request_that_does_not_parse_is_invalid_argument)
{
    hgc_status st;
    Hgc__V1__JobReply req = HGC__V1__JOB_REPLY__INIT;
    req.task_id = 5; /* field 1 as a varint: GetGraphRequest wants a string there */
    ProtobufCMessage *reply = NULL;
    cr_assert_eq(hgc_unary(ch, &liar_service, "GetGraph", &req.base, &reply, 5000, &st),
                 GRPC_STATUS_INVALID_ARGUMENT, "%s %s", hgc_status_name(st.code), st.message);
    cr_assert_null(reply);
}

Test(rpc, client_unknown_method_fails_without_a_call)
{
    hgc_status st;
    Hgc__V1__GetGraphRequest req = HGC__V1__GET_GRAPH_REQUEST__INIT;
    ProtobufCMessage *reply = NULL;
    grpc_status_code code =
        hgc_unary(ch, &hgc__v1__graph_service__descriptor, "NoSuch", &req.base, &reply, 5000, &st);
    cr_assert(code == GRPC_STATUS_UNIMPLEMENTED || code == GRPC_STATUS_INTERNAL);
    cr_assert(strstr(st.message, "NoSuch"), "%s", st.message);
    hgc_stream *s = NULL;
    char msg[HGC_MSG_MAX] = "";
    cr_assert_lt(
        hgc_stream_start(&s, ch, &hgc__v1__job_service__descriptor, "NoSuch", NULL, 0, msg), 0);
    cr_assert_null(s);
    cr_assert(strstr(msg, "NoSuch"), "%s", msg);
}

Test(rpc, deadline_exceeded_and_handler_sees_cancel)
{
    hgc_status st;
    int64_t t0 = now_ms();
    cr_assert_eq(get(ch, "slow", 200, NULL, &st), GRPC_STATUS_DEADLINE_EXCEEDED, "%s",
                 hgc_status_name(st.code));
    cr_assert_lt(now_ms() - t0, 2000);
    cr_assert(wait_flag(&slow_saw_cancel, 3000), "handler never saw the deadline");
}

/* ------------------------------------------------------------------ */
/* Streams                                                             */
/* ------------------------------------------------------------------ */

static hgc_stream *watch(int64_t task_id, int timeout_ms)
{
    hgc_stream *s = NULL;
    char msg[HGC_MSG_MAX] = "";
    Hgc__V1__WatchJobRequest req = HGC__V1__WATCH_JOB_REQUEST__INIT;
    req.graph = (char *)"g";
    req.task_id = task_id;
    cr_assert_eq(hgc_stream_start(&s, ch, &hgc__v1__job_service__descriptor, "WatchJob", &req.base,
                                  timeout_ms, msg),
                 0, "%s", msg);
    return s;
}

Test(rpc, server_stream_sends_n)
{
    hgc_stream *s = watch(5, 5000);
    ProtobufCMessage *m;
    int n = 0, r;
    while ((r = hgc_stream_recv(s, &m)) == 1) {
        const Hgc__V1__Task *t = (const void *)m;
        cr_assert_eq(t->id, n);
        cr_assert_str_eq(t->task_status, "running");
        n++;
        protobuf_c_message_free_unpacked(m, NULL);
    }
    cr_assert_eq(r, 0);
    cr_assert_eq(n, 5);
    hgc_status st;
    cr_assert_eq(hgc_stream_finish(s, &st), GRPC_STATUS_OK, "%s", st.message);
    hgc_stream_free(s);
}

struct reader {
    hgc_stream *s;
    int got, last;
};

static void *read_all(void *arg)
{
    struct reader *rd = arg;
    ProtobufCMessage *m;
    while ((rd->last = hgc_stream_recv(rd->s, &m)) == 1) {
        rd->got++;
        protobuf_c_message_free_unpacked(m, NULL);
    }
    return NULL;
}

Test(rpc, client_cancel_of_server_stream)
{
    struct reader rd = {watch(-1, 0), 0, 0};
    pthread_t t;
    pthread_create(&t, NULL, read_all, &rd);
    cr_assert(wait_flag(&watch_running, 3000));
    usleep(100 * 1000);
    hgc_stream_cancel(rd.s); /* while the reader is blocked in recv */
    pthread_join(t, NULL);
    cr_assert_lt(rd.last, 0);
    cr_assert_gt(rd.got, 0);
    hgc_status st;
    cr_assert_eq(hgc_stream_finish(rd.s, &st), GRPC_STATUS_CANCELLED, "%s",
                 hgc_status_name(st.code));
    hgc_stream_free(rd.s);
    cr_assert(wait_flag(&watch_saw_cancel, 3000), "handler never saw the cancel");
}

Test(rpc, wait_cancelled_wakes_promptly_on_client_cancel)
{
    hgc_stream *s = watch(-2, 0);
    ProtobufCMessage *m;
    cr_assert_eq(hgc_stream_recv(s, &m), 1);
    protobuf_c_message_free_unpacked(m, NULL);
    usleep(100 * 1000); /* the handler is in its 10 s wait by now */
    hgc_stream_cancel(s);
    cr_assert(wait_flag(&watch_saw_cancel, 3000), "handler never saw the cancel");
    int ms = atomic_load(&wait_woke_ms);
    cr_assert(ms >= 0 && ms < 1000, "woke after %d ms", ms);
    hgc_stream_free(s);
}

static hgc_stream *load(void)
{
    hgc_stream *s = NULL;
    char msg[HGC_MSG_MAX] = "";
    cr_assert_eq(hgc_stream_start(&s, ch, &hgc__v1__graph_service__descriptor, "LoadEdges", NULL,
                                  30000, msg),
                 0, "%s", msg);
    return s;
}

static Hgc__V1__LoadEdgesResponse *load_reply(hgc_stream *s)
{
    ProtobufCMessage *m = NULL;
    cr_assert_eq(hgc_stream_close_send(s), 0);
    cr_assert_eq(hgc_stream_recv(s, &m), 1);
    hgc_status st;
    cr_assert_eq(hgc_stream_finish(s, &st), GRPC_STATUS_OK, "%s", st.message);
    return (Hgc__V1__LoadEdgesResponse *)m;
}

Test(rpc, client_stream_10k_messages)
{
    hgc_stream *s = load();
    Hgc__V1__VertexId src = HGC__V1__VERTEX_ID__INIT, dst = HGC__V1__VERTEX_ID__INIT;
    src.kind_case = HGC__V1__VERTEX_ID__KIND_NUM;
    dst.kind_case = HGC__V1__VERTEX_ID__KIND_NUM;
    Hgc__V1__Edge e = HGC__V1__EDGE__INIT, *ep = &e;
    e.src = &src;
    e.dst = &dst;
    for (int i = 0; i < 10000; i++) {
        Hgc__V1__EdgeBatch b = HGC__V1__EDGE_BATCH__INIT;
        b.graph = i == 0 ? (char *)"g10k" : (char *)"";
        src.num = i;
        dst.num = i + 1;
        b.n_edges = 1;
        b.edges = &ep;
        b.text.data = (uint8_t *)"1 2\n";
        b.text.len = 4;
        cr_assert_eq(hgc_stream_send(s, &b.base), 0, "message %d", i);
    }
    Hgc__V1__LoadEdgesResponse *r = load_reply(s);
    cr_assert_eq(r->edges_loaded, 10000);
    cr_assert_eq(r->vertices_added, 40000);
    cr_assert_str_eq(r->graph->name, "g10k");
    protobuf_c_message_free_unpacked(&r->base, NULL);
    hgc_stream_free(s);
}

Test(rpc, messages_over_4mib)
{
    size_t n = 8u << 20;
    uint8_t *text = malloc(n);
    memset(text, 'e', n);
    hgc_stream *s = load();
    Hgc__V1__EdgeBatch b = HGC__V1__EDGE_BATCH__INIT;
    b.graph = (char *)"big";
    b.text.data = text;
    b.text.len = n;
    cr_assert_eq(hgc_stream_send(s, &b.base), 0);
    Hgc__V1__LoadEdgesResponse *r = load_reply(s);
    cr_assert_eq(r->vertices_added, (int64_t)n);
    protobuf_c_message_free_unpacked(&r->base, NULL);
    hgc_stream_free(s);
    free(text);

    hgc_status st;
    Hgc__V1__Graph *g = NULL;
    cr_assert_eq(get(ch, "big:6000000", 10000, &g, &st), GRPC_STATUS_OK, "%s", st.message);
    cr_assert_eq(strlen(g->name), 6000000);
    protobuf_c_message_free_unpacked(&g->base, NULL);
}

Test(rpc, max_message_bytes_is_enforced)
{
    int p2;
    char msg[HGC_MSG_MAX], target[64];
    hgc_server *s2 = start_server_opts(0, 1 << 20, &p2);
    hgc_channel *c2;
    snprintf(target, sizeof target, "127.0.0.1:%d", p2);
    cr_assert_eq(hgc_channel_new(&c2, target, msg), 0, "%s", msg);
    hgc_stream *s = NULL;
    cr_assert_eq(hgc_stream_start(&s, c2, &hgc__v1__graph_service__descriptor, "LoadEdges", NULL,
                                  10000, msg),
                 0, "%s", msg);
    size_t n = 2u << 20;
    uint8_t *text = calloc(1, n);
    Hgc__V1__EdgeBatch b = HGC__V1__EDGE_BATCH__INIT;
    b.text.data = text;
    b.text.len = n;
    hgc_stream_send(s, &b.base); /* may or may not see the failure yet */
    hgc_status st;
    cr_assert_eq(hgc_stream_finish(s, &st), GRPC_STATUS_RESOURCE_EXHAUSTED, "%s %s",
                 hgc_status_name(st.code), st.message);
    hgc_stream_free(s);
    free(text);
    hgc_channel_free(c2);
    hgc_server_shutdown(s2, 1000);
    hgc_server_free(s2);
}

Test(rpc, unreachable_server_is_unavailable)
{
    hgc_channel *c2;
    char msg[HGC_MSG_MAX];
    hgc_status st;
    cr_assert_eq(hgc_channel_new(&c2, "127.0.0.1:1", msg), 0, "%s", msg);
    cr_assert_eq(get(c2, "alpha", 5000, NULL, &st), GRPC_STATUS_UNAVAILABLE, "%s",
                 hgc_status_name(st.code));
    hgc_stream *s = NULL;
    Hgc__V1__WatchJobRequest req = HGC__V1__WATCH_JOB_REQUEST__INIT;
    cr_assert_eq(hgc_stream_start(&s, c2, &hgc__v1__job_service__descriptor, "WatchJob", &req.base,
                                  5000, msg),
                 0, "%s", msg);
    ProtobufCMessage *m;
    cr_assert_leq(hgc_stream_recv(s, &m), 0);
    cr_assert_eq(hgc_stream_finish(s, &st), GRPC_STATUS_UNAVAILABLE, "%s",
                 hgc_status_name(st.code));
    hgc_stream_free(s);
    hgc_channel_free(c2);
}

Test(rpc, unavailable_is_tried_again_twice)
{
    hgc_status st;
    Hgc__V1__Graph *g = NULL;
    atomic_store(&unavailable_calls, 0);
    cr_assert_eq(get(ch, "unavailable:2", 5000, &g, &st), GRPC_STATUS_OK, "%s %s",
                 hgc_status_name(st.code), st.message);
    cr_assert_str_eq(g->name, "unavailable:2");
    protobuf_c_message_free_unpacked(&g->base, NULL);
    cr_assert_eq(atomic_load(&unavailable_calls), 3);
    atomic_store(&unavailable_calls, 0);
    cr_assert_eq(get(ch, "unavailable:3", 5000, NULL, &st), GRPC_STATUS_UNAVAILABLE, "%s %s",
                 hgc_status_name(st.code), st.message);
    cr_assert_str_eq(st.message, "not now");
    cr_assert_eq(atomic_load(&unavailable_calls), 3, "tried %d times, not 3",
                 atomic_load(&unavailable_calls));
}

/* A loopback port nobody listens on now (the kernel's pick for port 0). */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

struct late_server {
    int port, delay_ms;
    hgc_server *s;
};

static void *start_late(void *arg)
{
    struct late_server *l = arg;
    char addr[64], msg[HGC_MSG_MAX];
    usleep(1000 * l->delay_ms);
    snprintf(addr, sizeof addr, "127.0.0.1:%d", l->port);
    hgc_server_new(&l->s, NULL);
    hgc_server_add_service(l->s, &hgc__v1__graph_service__descriptor, graph_impls, 2, NULL, msg);
    if (hgc_server_start(l->s, addr, &l->port, msg) < 0) {
        hgc_server_free(l->s);
        l->s = NULL;
    }
    return NULL;
}

/* A server that starts listening just after the call: the call's first
 * attempt finds nothing (as when a connect fails), a retry is answered. */
Test(rpc, call_to_a_server_not_yet_listening_is_tried_again)
{
    struct late_server l = {free_port(), 50, NULL};
    char target[64], msg[HGC_MSG_MAX];
    hgc_channel *c2 = NULL;
    snprintf(target, sizeof target, "127.0.0.1:%d", l.port);
    cr_assert_eq(hgc_channel_new(&c2, target, msg), 0, "%s", msg);
    pthread_t th;
    pthread_create(&th, NULL, start_late, &l);
    hgc_status st;
    grpc_status_code code = get(c2, "late", 5000, NULL, &st);
    pthread_join(th, NULL);
    hgc_channel_free(c2);
    cr_assert_not_null(l.s, "could not listen on port %d", l.port);
    hgc_server_shutdown(l.s, 1000);
    hgc_server_free(l.s);
    cr_assert_eq(code, GRPC_STATUS_OK, "%s %s", hgc_status_name(code), st.message);
}

/* ------------------------------------------------------------------ */
/* Load                                                                */
/* ------------------------------------------------------------------ */

struct hammer {
    hgc_channel *c;
    int calls, ok, id;
};

static void *hammer_main(void *arg)
{
    struct hammer *h = arg;
    char name[32];
    for (int i = 0; i < h->calls; i++) {
        hgc_status st;
        Hgc__V1__Graph *g = NULL;
        snprintf(name, sizeof name, "t%d-%d", h->id, i);
        if (get(h->c, name, 10000, &g, &st) == GRPC_STATUS_OK && strcmp(g->name, name) == 0 &&
            g->vertices == (int64_t)strlen(name))
            h->ok++;
        if (g)
            protobuf_c_message_free_unpacked(&g->base, NULL);
    }
    return NULL;
}

static double run_hammer(int threads, int calls, int *ok)
{
    pthread_t t[16];
    struct hammer h[16];
    int64_t t0 = now_ms();
    for (int i = 0; i < threads; i++) {
        h[i] = (struct hammer){ch, calls, 0, i};
        pthread_create(&t[i], NULL, hammer_main, &h[i]);
    }
    *ok = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        *ok += h[i].ok;
    }
    int64_t ms = now_ms() - t0;
    return (double)threads * calls * 1000.0 / (double)(ms > 0 ? ms : 1);
}

Test(rpc, sixteen_threads_500_calls_each)
{
    int ok;
    double rate = run_hammer(16, 500, &ok);
    cr_assert_eq(ok, 16 * 500);
    fprintf(stderr, "unary, 16 client threads: %.0f calls/s\n", rate);
    rate = run_hammer(1, 2000, &ok);
    cr_assert_eq(ok, 2000);
    fprintf(stderr, "unary, 1 client thread:   %.0f calls/s\n", rate);
    rate = run_hammer(8, 1000, &ok);
    cr_assert_eq(ok, 8000);
    fprintf(stderr, "unary, 8 client threads:  %.0f calls/s\n", rate);
}

struct sleeper {
    hgc_channel *c;
    grpc_status_code code;
};

static void *sleeper_main(void *arg)
{
    struct sleeper *sl = arg;
    hgc_status st;
    sl->code = get(sl->c, "sleep:200", 10000, NULL, &st);
    return NULL;
}

Test(rpc, calls_beyond_max_threads_wait_their_turn)
{
    int p2;
    char msg[HGC_MSG_MAX], target[64];
    hgc_server *s2 = start_server(2, &p2);
    hgc_channel *c2;
    snprintf(target, sizeof target, "127.0.0.1:%d", p2);
    cr_assert_eq(hgc_channel_new(&c2, target, msg), 0, "%s", msg);
    pthread_t t[6];
    struct sleeper sl[6];
    int64_t t0 = now_ms();
    for (int i = 0; i < 6; i++) {
        sl[i] = (struct sleeper){c2, GRPC_STATUS_UNKNOWN};
        pthread_create(&t[i], NULL, sleeper_main, &sl[i]);
    }
    for (int i = 0; i < 6; i++) {
        pthread_join(t[i], NULL);
        cr_assert_eq(sl[i].code, GRPC_STATUS_OK);
    }
    int64_t ms = now_ms() - t0;
    cr_assert_geq(ms, 3 * 200 - 20, "6 calls of 200 ms on 2 threads took %ld ms", (long)ms);
    hgc_channel_free(c2);
    hgc_server_shutdown(s2, 1000);
    hgc_server_free(s2);
}

/* ------------------------------------------------------------------ */
/* Health                                                              */
/* ------------------------------------------------------------------ */

static grpc_status_code check(const char *service, int *status)
{
    hgc_status st;
    Grpc__Health__V1__HealthCheckRequest req = GRPC__HEALTH__V1__HEALTH_CHECK_REQUEST__INIT;
    req.service = (char *)service;
    ProtobufCMessage *reply = NULL;
    grpc_status_code code =
        hgc_unary(ch, &grpc__health__v1__health__descriptor, "Check", &req.base, &reply, 5000, &st);
    *status = -1;
    if (reply) {
        *status = ((Grpc__Health__V1__HealthCheckResponse *)reply)->status;
        protobuf_c_message_free_unpacked(reply, NULL);
    }
    return code;
}

Test(rpc, health_check)
{
    int status;
    cr_assert_eq(check("", &status), GRPC_STATUS_OK);
    cr_assert_eq(status, GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING);
    cr_assert_eq(check("hgc.v1.JobService", &status), GRPC_STATUS_OK);
    cr_assert_eq(status, GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING);
    cr_assert_eq(check("hgc.v1.GraphService", &status), GRPC_STATUS_OK);
    cr_assert_eq(status, GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING);
    cr_assert_eq(check("hgc.v1.Nope", &status), GRPC_STATUS_NOT_FOUND);
    cr_assert_eq(status, -1);
}

static void *shutdown_later(void *arg)
{
    usleep(200 * 1000);
    hgc_server_shutdown(arg, 5000);
    return NULL;
}

Test(rpc, health_watch_sees_not_serving_at_shutdown)
{
    hgc_stream *s = NULL;
    char msg[HGC_MSG_MAX] = "";
    Grpc__Health__V1__HealthCheckRequest req = GRPC__HEALTH__V1__HEALTH_CHECK_REQUEST__INIT;
    req.service = (char *)"hgc.v1.JobService";
    cr_assert_eq(
        hgc_stream_start(&s, ch, &grpc__health__v1__health__descriptor, "Watch", &req.base, 0, msg),
        0, "%s", msg);
    ProtobufCMessage *m;
    cr_assert_eq(hgc_stream_recv(s, &m), 1);
    cr_assert_eq(((Grpc__Health__V1__HealthCheckResponse *)m)->status,
                 GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING);
    protobuf_c_message_free_unpacked(m, NULL);
    pthread_t t;
    int64_t t0 = now_ms();
    pthread_create(&t, NULL, shutdown_later, srv);
    cr_assert_eq(hgc_stream_recv(s, &m), 1);
    cr_assert_eq(((Grpc__Health__V1__HealthCheckResponse *)m)->status,
                 GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__NOT_SERVING);
    protobuf_c_message_free_unpacked(m, NULL);
    hgc_status st;
    cr_assert_eq(hgc_stream_finish(s, &st), GRPC_STATUS_UNAVAILABLE, "%s",
                 hgc_status_name(st.code));
    pthread_join(t, NULL);
    cr_assert_lt(now_ms() - t0, 3000, "shutdown did not wait out the grace period");
    hgc_stream_free(s);
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                          */
/* ------------------------------------------------------------------ */

Test(rpc, shutdown_with_open_server_stream)
{
    hgc_stream *s = watch(-1, 0);
    ProtobufCMessage *m;
    cr_assert_eq(hgc_stream_recv(s, &m), 1);
    protobuf_c_message_free_unpacked(m, NULL);
    int64_t t0 = now_ms();
    hgc_server_shutdown(srv, 5000);
    cr_assert_lt(now_ms() - t0, 3000, "the handler saw the shutdown at once");
    cr_assert(atomic_load(&watch_saw_cancel));
    hgc_status st;
    cr_assert_neq(hgc_stream_finish(s, &st), GRPC_STATUS_OK);
    hgc_stream_free(s);
}

Test(rpc, shutdown_cancels_a_stuck_client_stream_after_grace)
{
    hgc_stream *s = load();
    Hgc__V1__EdgeBatch b = HGC__V1__EDGE_BATCH__INIT;
    b.graph = (char *)"stuck";
    cr_assert_eq(hgc_stream_send(s, &b.base), 0);
    usleep(100 * 1000); /* the handler now waits in recv for more */
    int64_t t0 = now_ms();
    hgc_server_shutdown(srv, 300);
    int64_t ms = now_ms() - t0;
    cr_assert(ms >= 250 && ms < 3000, "shutdown took %ld ms", (long)ms);
    hgc_status st;
    cr_assert_neq(hgc_stream_finish(s, &st), GRPC_STATUS_OK);
    hgc_stream_free(s);
    /* After shutdown new calls fail, they do not hang. */
    cr_assert_neq(get(ch, "alpha", 2000, NULL, &st), GRPC_STATUS_OK);
}

/* Debian's abseil runs its deadlock detector on every lock of gRPC's; the
 * setter that turns it off is found whether abseil is linked from its
 * static archive (the default) or shared (it was not found when linked
 * statically, and the detector stayed on). */
Test(rpc, the_abseil_deadlock_detector_can_be_turned_off)
{
    unsetenv("HGC_ABSL_DEADLOCK_DETECTION");
    cr_assert_eq(hgc_rpc_no_deadlock_detector(), 0);
}

Test(rpc, server_free_without_start)
{
    hgc_server *s = NULL;
    char msg[HGC_MSG_MAX];
    cr_assert_eq(hgc_server_new(&s, NULL), 0);
    cr_assert_eq(
        hgc_server_add_service(s, &hgc__v1__graph_service__descriptor, graph_impls, 2, NULL, msg),
        0, "%s", msg);
    cr_assert_eq(hgc_server_add_health(s, msg), 0, "%s", msg);
    hgc_server_shutdown(s, 0); /* harmless before start */
    hgc_server_free(s);
    hgc_server_free(NULL);
    hgc_stream_free(NULL);
    hgc_channel_free(NULL);
}

Test(rpc, add_service_errors)
{
    hgc_server *s = NULL;
    char msg[HGC_MSG_MAX] = "";
    static const hgc_method_impl bad[] = {{"NoSuch", HGC_RPC_UNARY, get_graph, 0}};
    cr_assert_eq(hgc_server_new(&s, NULL), 0);
    cr_assert_lt(hgc_server_add_service(s, &hgc__v1__graph_service__descriptor, bad, 1, NULL, msg),
                 0);
    cr_assert(strstr(msg, "NoSuch"), "%s", msg);
    cr_assert_eq(
        hgc_server_add_service(s, &hgc__v1__graph_service__descriptor, graph_impls, 2, NULL, msg),
        0);
    cr_assert_lt(
        hgc_server_add_service(s, &hgc__v1__graph_service__descriptor, graph_impls, 2, NULL, msg),
        0, "the same service twice");
    /* The port the fixture's server holds is busy. */
    char addr[64];
    int p = 0;
    snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
    cr_assert_lt(hgc_server_start(s, addr, &p, msg), 0, "bound a busy port");
    cr_assert(strstr(msg, addr), "%s", msg);
    hgc_server_free(s);
}
