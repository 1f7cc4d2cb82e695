/* rpc_test.h: what the rpc unit tests share: a channel to a test server
 * on loopback, a GetGraph call that reports its status, and waiting for a
 * counter the server's threads move. Header-only (each test is one
 * program). */
#ifndef HGC_TESTS_RPC_TEST_H
#define HGC_TESTS_RPC_TEST_H

#include <criterion/criterion.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include "base/clock.h"
#include "hgc/v1/graphs.pb-c.h"
#include "hgc_rpc.h"

/* A channel to 127.0.0.1:port (asserts). */
static inline hgc_channel *rpc_test_channel(int port)
{
    char target[64], msg[HGC_MSG_MAX];
    hgc_channel *c = NULL;
    snprintf(target, sizeof target, "127.0.0.1:%d", port);
    cr_assert_eq(hgc_channel_new(&c, target, msg), 0, "%s", msg);
    return c;
}

/* A GetGraph handler that answers the graph "g" at once. */
static inline grpc_status_code rpc_test_answer_g(hgc_call *call, void *ud)
{
    (void)ud;
    Hgc__V1__Graph g = HGC__V1__GRAPH__INIT;
    g.name = (char *)"g";
    hgc_call_send(call, &g.base);
    return GRPC_STATUS_OK;
}

/* GetGraph of `name`: the status, and its message in *st (if given);
 * *reply (if given) the answer, to free with
 * protobuf_c_message_free_unpacked, else freed here. */
static inline grpc_status_code rpc_test_get_graph_status(hgc_channel *c, const char *name,
                                                         int timeout_ms, Hgc__V1__Graph **reply,
                                                         hgc_status *st)
{
    Hgc__V1__GetGraphRequest req = HGC__V1__GET_GRAPH_REQUEST__INIT;
    req.name = (char *)name;
    ProtobufCMessage *m = NULL;
    hgc_status own;
    grpc_status_code code = hgc_unary(c, &hgc__v1__graph_service__descriptor, "GetGraph", &req.base,
                                      &m, timeout_ms, st ? st : &own);
    if (reply)
        *reply = (Hgc__V1__Graph *)m;
    else if (m)
        protobuf_c_message_free_unpacked(m, NULL);
    return code;
}

static inline grpc_status_code rpc_test_get_graph(hgc_channel *c, const char *name, int timeout_ms,
                                                  Hgc__V1__Graph **reply)
{
    return rpc_test_get_graph_status(c, name, timeout_ms, reply, NULL);
}

/* Waits up to `ms` for *v to be `want`; its value then. */
static inline int rpc_test_wait_value(atomic_int *v, int want, int ms)
{
    int64_t until = hgc_now_ms() + ms;
    while (atomic_load(v) != want && hgc_now_ms() < until)
        usleep(2000);
    return atomic_load(v);
}

#endif
