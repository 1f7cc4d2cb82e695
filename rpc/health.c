/* health.c: grpc.health.v1.Health (Check and Watch) over the handler API.
 *
 * Status of a name: SERVING for "" and every service added to the server
 * (the health service included), unknown otherwise; NOT_SERVING for every
 * name once shutdown began. The only change a status can see is that one,
 * so Watch sleeps in hgc_call_wait_cancelled (which shutdown wakes), sends
 * the new status, and ends the stream with UNAVAILABLE: a client retries
 * elsewhere, as the protocol says for any status but UNIMPLEMENTED.
 */
#include <string.h>
#include "grpc/health/v1/health.pb-c.h"
#include "rpc_internal.h"

typedef Grpc__Health__V1__HealthCheckResponse__ServingStatus serving_status;

#define WATCH_WAKE_MS 60000 /* a bound, not a poll: shutdown wakes us */

static serving_status status_of(hgc_server *s, const char *name)
{
    if (!hgc_server_knows_service(s, name))
        return GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVICE_UNKNOWN;
    if (hgc_server_stopping(s))
        return GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__NOT_SERVING;
    return GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING;
}

static grpc_status_code check(hgc_call *call, void *user_data)
{
    hgc_server *s = user_data;
    const Grpc__Health__V1__HealthCheckRequest *req = (const void *)hgc_call_request(call);
    serving_status st = status_of(s, req->service);
    if (st == GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVICE_UNKNOWN)
        return hgc_call_set_error(call, GRPC_STATUS_NOT_FOUND, "unknown service \"%s\"",
                                  req->service);
    Grpc__Health__V1__HealthCheckResponse reply = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__INIT;
    reply.status = st;
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
}

static grpc_status_code watch(hgc_call *call, void *user_data)
{
    hgc_server *s = user_data;
    const Grpc__Health__V1__HealthCheckRequest *req = (const void *)hgc_call_request(call);
    Grpc__Health__V1__HealthCheckResponse reply = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__INIT;
    reply.status = status_of(s, req->service);
    if (hgc_call_send(call, &reply.base) < 0)
        return GRPC_STATUS_CANCELLED;
    for (;;) {
        hgc_call_wait_cancelled(call, WATCH_WAKE_MS);
        serving_status now = status_of(s, req->service);
        if (now != reply.status) {
            reply.status = now;
            if (hgc_call_send(call, &reply.base) < 0)
                return GRPC_STATUS_CANCELLED;
        }
        if (hgc_server_stopping(s))
            return hgc_call_set_error(call, GRPC_STATUS_UNAVAILABLE, "server shutting down");
        if (hgc_call_cancelled(call))
            return GRPC_STATUS_CANCELLED; /* the client is gone: nobody reads it */
    }
}

int hgc_server_add_health(hgc_server *s, char msg[HGC_MSG_MAX])
{
    static const hgc_method_impl impls[] = {
        {"Check", HGC_RPC_UNARY, check},
        {"Watch", HGC_RPC_SERVER_STREAM, watch},
    };
    return hgc_server_add_service(s, &grpc__health__v1__health__descriptor, impls,
                                  sizeof impls / sizeof impls[0], s, msg);
}
