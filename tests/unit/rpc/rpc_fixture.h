/* rpc_fixture.h: the server the test_rpc_*.c files call: a real hgc_rpc
 * server on 127.0.0.1:0 in the test's process, serving hgc.v1 methods with
 * the handlers below, and a channel to it (the suite's setup/teardown).
 *
 * Handlers: GraphService.GetGraph (unary; the request name picks a
 * behaviour), GraphService.LoadEdges (client stream: counts), JobService.
 * WatchJob (server stream: task_id tasks, or endless for task_id < 0), and
 * the health service. GraphService.CreateGraph has no handler on purpose.
 * Also the calls the tests share: watch (WatchJob) and load (LoadEdges)
 * (GetGraph and the channel are rpc_test.h's). Header-only, static
 * functions (each test is one program); each file declares
 * TestSuite(rpc, .init = setup, .fini = teardown).
 */
#ifndef HGC_TESTS_RPC_FIXTURE_H
#define HGC_TESTS_RPC_FIXTURE_H

#include <criterion/criterion.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "hgc_rpc.h"
#include "rpc_test.h"

static hgc_server *srv;
static hgc_channel *ch;
static int port;

static atomic_int slow_saw_cancel;
static atomic_int watch_saw_cancel;
static atomic_int watch_running;
static atomic_int wait_woke_ms = -1;
static atomic_int unavailable_calls; /* GetGraph("unavailable:N") calls so far */

/* Waits up to ms for *flag to become non-zero. */
static inline int wait_flag(atomic_int *flag, int ms)
{
    int64_t until = hgc_now_ms() + ms;
    while (!atomic_load(flag) && hgc_now_ms() < until)
        usleep(5000);
    return atomic_load(flag);
}

/* ------------------------------------------------------------------ */
/* Handlers                                                            */
/* ------------------------------------------------------------------ */

static inline grpc_status_code get_graph(hgc_call *call, void *ud)
{
    const Hgc__V1__GetGraphRequest *req = (const void *)hgc_call_request(call);
    Hgc__V1__Graph *g = hgc_call_alloc(call, sizeof *g);
    hgc__v1__graph__init(g);
    if (strcmp(req->name, "missing") == 0)
        return hgc_call_set_error(call, GRPC_STATUS_NOT_FOUND, "graph %s not found", req->name);
    if (strcmp(req->name, "slow") == 0) {
        int64_t until = hgc_now_ms() + 5000;
        while (!hgc_call_wait_cancelled(call, 50) && hgc_now_ms() < until)
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

static inline int count_edges(hgc_call *call, void *arg, const ProtobufCMessage *m)
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

static inline grpc_status_code load_edges(hgc_call *call, void *ud)
{
    struct edge_count *n = hgc_call_alloc(call, sizeof *n);
    memset(n, 0, sizeof *n);
    hgc_call_consume(call, count_edges, NULL, n);
    return GRPC_STATUS_OK;
}

static inline grpc_status_code watch_job(hgc_call *call, void *ud)
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
        int64_t t0 = hgc_now_ms();
        int cancelled = hgc_call_wait_cancelled(call, 10000);
        atomic_store(&wait_woke_ms, (int)(hgc_now_ms() - t0));
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

static inline hgc_server *start_server_opts(int max_threads, int max_message, int *port_out)
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

static inline hgc_server *start_server(int max_threads, int *port_out)
{
    return start_server_opts(max_threads, 0, port_out);
}

static inline void setup(void)
{
    srv = start_server(0, &port);
    ch = rpc_test_channel(port);
}

static inline void teardown(void)
{
    hgc_channel_free(ch);
    hgc_server_shutdown(srv, 1000);
    hgc_server_free(srv);
}

/* WatchJob(task_id) on ch: the stream, started (asserts). */
static inline hgc_stream *watch(int64_t task_id, int timeout_ms)
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

/* LoadEdges on ch: the stream, started (asserts). */
static inline hgc_stream *load(void)
{
    hgc_stream *s = NULL;
    char msg[HGC_MSG_MAX] = "";
    cr_assert_eq(hgc_stream_start(&s, ch, &hgc__v1__graph_service__descriptor, "LoadEdges", NULL,
                                  30000, msg),
                 0, "%s", msg);
    return s;
}

#endif
