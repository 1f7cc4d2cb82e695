/* test_rpc_streams.c: hgc_rpc streams end to end, against the server of
 * rpc_fixture.h (127.0.0.1:0, in this process): a server stream of n
 * messages (WatchJob), a client's cancel of one while its reader is
 * blocked and the handler's prompt wake-up from hgc_call_wait_cancelled;
 * a client stream of 10k messages (LoadEdges), messages over 4 MiB both
 * ways, and a server's max_message_bytes refusing a bigger one.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "hgc_rpc.h"
#include "rpc_fixture.h"

TestSuite(rpc, .init = setup, .fini = teardown, .timeout = 60);

/* ------------------------------------------------------------------ */
/* Streams                                                             */
/* ------------------------------------------------------------------ */

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
    cr_assert_eq(rpc_test_get_graph_status(ch, "big:6000000", 10000, &g, &st), GRPC_STATUS_OK, "%s",
                 st.message);
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
