/* test_rpc_unary.c: hgc_rpc unary calls end to end, against the server
 * of rpc_fixture.h (127.0.0.1:0, in this process): answers and the default
 * message, error statuses with their messages, peer, deadline and
 * metadata, UNIMPLEMENTED (no handler, unknown service, unknown method),
 * a request that does not parse, a deadline the handler sees; UNAVAILABLE
 * from nobody listening, and the client's tries again (a handler that
 * answers UNAVAILABLE, a server that starts listening late); load from
 * many client threads, and calls beyond the server's max_threads waiting
 * their turn.
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
#include <unistd.h>

#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "hgc_rpc.h"
#include "rpc_fixture.h"

TestSuite(rpc, .init = setup, .fini = teardown, .timeout = 60);

/* ------------------------------------------------------------------ */
/* Unary                                                               */
/* ------------------------------------------------------------------ */

Test(rpc, unary_ok)
{
    hgc_status st;
    Hgc__V1__Graph *g = NULL;
    cr_assert_eq(rpc_test_get_graph_status(ch, "alpha", 5000, &g, &st), GRPC_STATUS_OK, "%s",
                 st.message);
    cr_assert_str_eq(g->name, "alpha");
    cr_assert_eq(g->vertices, 5);
    protobuf_c_message_free_unpacked(&g->base, NULL);
}

Test(rpc, unary_without_send_answers_default_message)
{
    hgc_status st;
    Hgc__V1__Graph *g = NULL;
    cr_assert_eq(rpc_test_get_graph_status(ch, "empty", 5000, &g, &st), GRPC_STATUS_OK, "%s",
                 st.message);
    cr_assert_str_eq(g->name, "");
    protobuf_c_message_free_unpacked(&g->base, NULL);
}

Test(rpc, error_status_and_message)
{
    hgc_status st;
    Hgc__V1__Graph *g = NULL;
    cr_assert_eq(rpc_test_get_graph_status(ch, "missing", 5000, &g, &st), GRPC_STATUS_NOT_FOUND);
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
    cr_assert_eq(rpc_test_get_graph_status(ch, "peer", 5000, &g, &st), GRPC_STATUS_OK, "%s",
                 st.message);
    cr_assert(strncmp(g->name, "ipv4:127.0.0.1:", 15) == 0, "peer %s", g->name);
    /* gRPC rounds the timeout it sends up a little (grpc-timeout units). */
    cr_assert(g->vertices > 4000 && g->vertices <= 5100, "deadline_ms %ld", (long)g->vertices);
    protobuf_c_message_free_unpacked(&g->base, NULL);
    cr_assert_eq(rpc_test_get_graph_status(ch, "peer", 0, &g, &st), GRPC_STATUS_OK, "%s",
                 st.message);
    cr_assert_eq(g->vertices, INT64_MAX, "no deadline");
    protobuf_c_message_free_unpacked(&g->base, NULL);
    cr_assert_eq(rpc_test_get_graph_status(ch, "ua", 5000, &g, &st), GRPC_STATUS_OK, "%s",
                 st.message);
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
    int64_t t0 = hgc_now_ms();
    cr_assert_eq(hgc_unary(ch, &nope_service, "Foo", &req.base, &reply, 5000, &st),
                 GRPC_STATUS_UNIMPLEMENTED, "%s %s", hgc_status_name(st.code), st.message);
    cr_assert_lt(hgc_now_ms() - t0, 2000, "answered, not left to the deadline");
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
    int64_t t0 = hgc_now_ms();
    cr_assert_eq(rpc_test_get_graph_status(ch, "slow", 200, NULL, &st),
                 GRPC_STATUS_DEADLINE_EXCEEDED, "%s", hgc_status_name(st.code));
    cr_assert_lt(hgc_now_ms() - t0, 2000);
    cr_assert(wait_flag(&slow_saw_cancel, 3000), "handler never saw the deadline");
}

/* ------------------------------------------------------------------ */
/* UNAVAILABLE                                                         */
/* ------------------------------------------------------------------ */

Test(rpc, unreachable_server_is_unavailable)
{
    hgc_channel *c2;
    char msg[HGC_MSG_MAX];
    hgc_status st;
    cr_assert_eq(hgc_channel_new(&c2, "127.0.0.1:1", msg), 0, "%s", msg);
    cr_assert_eq(rpc_test_get_graph_status(c2, "alpha", 5000, NULL, &st), GRPC_STATUS_UNAVAILABLE,
                 "%s", hgc_status_name(st.code));
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
    cr_assert_eq(rpc_test_get_graph_status(ch, "unavailable:2", 5000, &g, &st), GRPC_STATUS_OK,
                 "%s %s", hgc_status_name(st.code), st.message);
    cr_assert_str_eq(g->name, "unavailable:2");
    protobuf_c_message_free_unpacked(&g->base, NULL);
    cr_assert_eq(atomic_load(&unavailable_calls), 3);
    atomic_store(&unavailable_calls, 0);
    cr_assert_eq(rpc_test_get_graph_status(ch, "unavailable:3", 5000, NULL, &st),
                 GRPC_STATUS_UNAVAILABLE, "%s %s", hgc_status_name(st.code), st.message);
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
    grpc_status_code code = rpc_test_get_graph_status(c2, "late", 5000, NULL, &st);
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
        if (rpc_test_get_graph_status(h->c, name, 10000, &g, &st) == GRPC_STATUS_OK &&
            strcmp(g->name, name) == 0 && g->vertices == (int64_t)strlen(name))
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
    int64_t t0 = hgc_now_ms();
    for (int i = 0; i < threads; i++) {
        h[i] = (struct hammer){ch, calls, 0, i};
        pthread_create(&t[i], NULL, hammer_main, &h[i]);
    }
    *ok = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        *ok += h[i].ok;
    }
    int64_t ms = hgc_now_ms() - t0;
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
    sl->code = rpc_test_get_graph_status(sl->c, "sleep:200", 10000, NULL, &st);
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
    int64_t t0 = hgc_now_ms();
    for (int i = 0; i < 6; i++) {
        sl[i] = (struct sleeper){c2, GRPC_STATUS_UNKNOWN};
        pthread_create(&t[i], NULL, sleeper_main, &sl[i]);
    }
    for (int i = 0; i < 6; i++) {
        pthread_join(t[i], NULL);
        cr_assert_eq(sl[i].code, GRPC_STATUS_OK);
    }
    int64_t ms = hgc_now_ms() - t0;
    cr_assert_geq(ms, 3 * 200 - 20, "6 calls of 200 ms on 2 threads took %ld ms", (long)ms);
    hgc_channel_free(c2);
    hgc_server_shutdown(s2, 1000);
    hgc_server_free(s2);
}
