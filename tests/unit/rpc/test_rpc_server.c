/* test_rpc_server.c: the hgc_rpc server's health service and life cycle,
 * against the server of rpc_fixture.h (127.0.0.1:0, in this process):
 * Check per service, Watch seeing NOT_SERVING at shutdown; shutdown with
 * an open server stream (the handler sees it at once) and with a stuck
 * client stream (cancelled after the grace period, new calls then fail);
 * abseil's deadlock detector turned off; a server freed without start,
 * and add_service/start errors.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grpc/health/v1/health.pb-c.h"
#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "hgc_rpc.h"
#include "rpc_fixture.h"

TestSuite(rpc, .init = setup, .fini = teardown, .timeout = 60);

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
    int64_t t0 = hgc_now_ms();
    pthread_create(&t, NULL, shutdown_later, srv);
    cr_assert_eq(hgc_stream_recv(s, &m), 1);
    cr_assert_eq(((Grpc__Health__V1__HealthCheckResponse *)m)->status,
                 GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__NOT_SERVING);
    protobuf_c_message_free_unpacked(m, NULL);
    hgc_status st;
    cr_assert_eq(hgc_stream_finish(s, &st), GRPC_STATUS_UNAVAILABLE, "%s",
                 hgc_status_name(st.code));
    pthread_join(t, NULL);
    cr_assert_lt(hgc_now_ms() - t0, 3000, "shutdown did not wait out the grace period");
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
    int64_t t0 = hgc_now_ms();
    hgc_server_shutdown(srv, 5000);
    cr_assert_lt(hgc_now_ms() - t0, 3000, "the handler saw the shutdown at once");
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
    int64_t t0 = hgc_now_ms();
    hgc_server_shutdown(srv, 300);
    int64_t ms = hgc_now_ms() - t0;
    cr_assert(ms >= 250 && ms < 3000, "shutdown took %ld ms", (long)ms);
    hgc_status st;
    cr_assert_neq(hgc_stream_finish(s, &st), GRPC_STATUS_OK);
    hgc_stream_free(s);
    /* After shutdown new calls fail, they do not hang. */
    cr_assert_neq(rpc_test_get_graph_status(ch, "alpha", 2000, NULL, &st), GRPC_STATUS_OK);
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
