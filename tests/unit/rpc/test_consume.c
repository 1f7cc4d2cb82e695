/* test_consume.c: consumed client streams (hgc_call_consume). LoadEdges
 * here is a consumed stream that counts edges and answers the count at
 * the end; a batch naming graph "bad" ends it with INVALID_ARGUMENT.
 * GetGraph is a plain unary call on the pool. The server has one plain
 * handler thread (max_threads 2, one of them kept for priority calls), so
 * a stream that held a thread while its client sends nothing would stop
 * every GetGraph. */
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgc/v1/graphs.pb-c.h"
#include "hgc_rpc.h"
#include "rpc_test.h"

static hgc_server *srv;
static hgc_channel *ch, *ch2;
/* messages taken, ends told, releases, and steps seen running at once
 * for one call (must stay 0) */
static atomic_int taken, ends, released, at_once;

struct count {
    int64_t edges;
    atomic_int running;
};

static int count_edges(hgc_call *call, void *arg, const ProtobufCMessage *m)
{
    struct count *n = arg;
    if (atomic_fetch_add(&n->running, 1) != 0)
        atomic_fetch_add(&at_once, 1);
    int r = HGC_FEED_MORE;
    if (m) {
        const Hgc__V1__EdgeBatch *b = (const void *)m;
        atomic_fetch_add(&taken, 1);
        if (strcmp(b->graph, "bad") == 0)
            r = hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT, "batch %lld is bad",
                                   (long long)n->edges);
        n->edges += (int64_t)b->n_edges;
    } else {
        atomic_fetch_add(&ends, 1);
        Hgc__V1__LoadEdgesResponse resp = HGC__V1__LOAD_EDGES_RESPONSE__INIT;
        resp.edges_loaded = n->edges;
        hgc_call_send(call, &resp.base);
        r = GRPC_STATUS_OK;
    }
    atomic_fetch_sub(&n->running, 1);
    return r;
}

static void count_release(void *arg)
{
    free(arg);
    atomic_fetch_add(&released, 1);
}

static grpc_status_code load_edges(hgc_call *call, void *ud)
{
    (void)ud;
    struct count *n = calloc(1, sizeof *n);
    hgc_call_consume(call, count_edges, count_release, n);
    return GRPC_STATUS_INTERNAL; /* ignored: the consumer has the call */
}

static const hgc_method_impl impls[] = {
    {"GetGraph", HGC_RPC_UNARY, rpc_test_answer_g, 0},
    {"LoadEdges", HGC_RPC_CLIENT_STREAM, load_edges, 0},
};

static void setup(void)
{
    char msg[HGC_MSG_MAX] = "";
    int port = 0;
    atomic_store(&taken, 0);
    atomic_store(&ends, 0);
    atomic_store(&released, 0);
    atomic_store(&at_once, 0);
    hgc_server_options o = {.max_threads = 2, .pollers = 2};
    cr_assert_eq(hgc_server_new(&srv, &o), 0);
    cr_assert_eq(
        hgc_server_add_service(srv, &hgc__v1__graph_service__descriptor, impls, 2, NULL, msg), 0,
        "%s", msg);
    cr_assert_eq(hgc_server_start(srv, "127.0.0.1:0", &port, msg), 0, "%s", msg);
    ch = rpc_test_channel(port);
    ch2 = rpc_test_channel(port);
}

static void teardown(void)
{
    hgc_channel_free(ch);
    hgc_channel_free(ch2);
    if (srv) {
        hgc_server_shutdown(srv, 1000);
        hgc_server_free(srv);
    }
}

TestSuite(consume, .init = setup, .fini = teardown, .timeout = 60);

static hgc_stream *open_load(hgc_channel *c)
{
    char msg[HGC_MSG_MAX];
    hgc_stream *s = NULL;
    cr_assert_eq(
        hgc_stream_start(&s, c, &hgc__v1__graph_service__descriptor, "LoadEdges", NULL, 30000, msg),
        0, "%s", msg);
    return s;
}

/* Sends one batch of `edges` edges (no edge content: only counted). */
static void send_batch(hgc_stream *s, const char *graph, size_t edges)
{
    Hgc__V1__Edge e = HGC__V1__EDGE__INIT;
    Hgc__V1__Edge *list[4] = {&e, &e, &e, &e};
    Hgc__V1__EdgeBatch b = HGC__V1__EDGE_BATCH__INIT;
    b.graph = (char *)graph;
    b.n_edges = edges;
    b.edges = list;
    cr_assert_eq(hgc_stream_send(s, &b.base), 0);
}

Test(consume, every_message_in_order_then_the_end_and_the_reply)
{
    hgc_stream *s = open_load(ch);
    for (int i = 0; i < 3000; i++)
        send_batch(s, "g", (size_t)(i % 4) + 1);
    cr_assert_eq(hgc_stream_close_send(s), 0);
    ProtobufCMessage *m = NULL;
    cr_assert_eq(hgc_stream_recv(s, &m), 1);
    cr_assert_eq(((Hgc__V1__LoadEdgesResponse *)m)->edges_loaded, 750 * (1 + 2 + 3 + 4));
    protobuf_c_message_free_unpacked(m, NULL);
    hgc_status st;
    cr_assert_eq(hgc_stream_finish(s, &st), GRPC_STATUS_OK, "%s", st.message);
    hgc_stream_free(s);
    cr_assert_eq(rpc_test_wait_value(&released, 1, 5000), 1);
    cr_assert_eq(atomic_load(&taken), 3000);
    cr_assert_eq(atomic_load(&ends), 1);
    cr_assert_eq(atomic_load(&at_once), 0);
}

Test(consume, an_error_ends_the_stream_after_the_release)
{
    hgc_stream *s = open_load(ch);
    send_batch(s, "g", 2);
    send_batch(s, "bad", 1);
    hgc_status st;
    cr_assert_eq(hgc_stream_finish(s, &st), GRPC_STATUS_INVALID_ARGUMENT, "%s", st.message);
    cr_assert_str_eq(st.message, "batch 2 is bad");
    /* released before the status went: a caller that hears of the
     * failure finds nothing of the stream left */
    cr_assert_eq(atomic_load(&released), 1);
    cr_assert_eq(atomic_load(&ends), 0);
    hgc_stream_free(s);
}

Test(consume, an_empty_stream_is_told_the_end)
{
    hgc_stream *s = open_load(ch);
    cr_assert_eq(hgc_stream_close_send(s), 0);
    ProtobufCMessage *m = NULL;
    cr_assert_eq(hgc_stream_recv(s, &m), 1);
    cr_assert_eq(((Hgc__V1__LoadEdgesResponse *)m)->edges_loaded, 0);
    protobuf_c_message_free_unpacked(m, NULL);
    hgc_status st;
    cr_assert_eq(hgc_stream_finish(s, &st), GRPC_STATUS_OK, "%s", st.message);
    hgc_stream_free(s);
    cr_assert_eq(rpc_test_wait_value(&released, 1, 5000), 1);
    cr_assert_eq(atomic_load(&ends), 1);
}

Test(consume, silent_streams_hold_no_handler_thread_and_a_cancel_releases_them)
{
    hgc_stream *streams[16];
    for (int i = 0; i < 16; i++) {
        streams[i] = open_load(i % 2 ? ch2 : ch);
        send_batch(streams[i], "g", 1);
    }
    cr_assert_eq(rpc_test_wait_value(&taken, 16, 5000), 16);
    /* The one plain handler thread is free: unary calls on both
     * connections are answered while the streams wait for their client. */
    for (int i = 0; i < 50; i++)
        cr_assert_eq(rpc_test_get_graph(i % 2 ? ch2 : ch, "g", 2000, NULL), GRPC_STATUS_OK,
                     "call %d", i);
    cr_assert_eq(atomic_load(&released), 0);
    /* Cancelled: released, never told "the end". */
    for (int i = 0; i < 16; i++) {
        hgc_stream_cancel(streams[i]);
        hgc_status st;
        cr_assert_eq(hgc_stream_finish(streams[i], &st), GRPC_STATUS_CANCELLED, "%s", st.message);
        hgc_stream_free(streams[i]);
    }
    cr_assert_eq(rpc_test_wait_value(&released, 16, 5000), 16);
    cr_assert_eq(atomic_load(&ends), 0);
    cr_assert_eq(atomic_load(&at_once), 0);
    cr_assert_eq(rpc_test_get_graph(ch, "g", 2000, NULL), GRPC_STATUS_OK);
}

Test(consume, shutdown_with_silent_streams_releases_them)
{
    hgc_stream *streams[3];
    for (int i = 0; i < 3; i++) {
        streams[i] = open_load(ch);
        send_batch(streams[i], "g", 1);
    }
    cr_assert_eq(rpc_test_wait_value(&taken, 3, 5000), 3);
    int64_t t0 = hgc_now_ms();
    hgc_server_shutdown(srv, 100);
    cr_assert_lt(hgc_now_ms() - t0, 5000);
    cr_assert_eq(atomic_load(&released), 3);
    cr_assert_eq(atomic_load(&ends), 0);
    hgc_server_free(srv);
    srv = NULL;
    for (int i = 0; i < 3; i++) {
        hgc_status st;
        cr_assert_neq(hgc_stream_finish(streams[i], &st), GRPC_STATUS_OK);
        hgc_stream_free(streams[i]);
    }
}
