/* health.c: grpc.health.v1.Health (Check and Watch) over the handler API.
 *
 * Status of a name: SERVING for "" and every service added to the server
 * (the health service included), unknown otherwise; NOT_SERVING for every
 * name once shutdown began. Check runs inline on the polling thread (it
 * only reads flags), so no client call ever delays it. Watch is a
 * subscription holding no thread: it sends the status, keeps the call, and
 * the only change a status can see, shutdown, reaches it through the done
 * hook, which sends the new status and ends the stream with UNAVAILABLE: a
 * client retries elsewhere, as the protocol says for any status but
 * UNIMPLEMENTED.
 */
#include <string.h>
#include "grpc/health/v1/health.pb-c.h"
#include "rpc_internal.h"

typedef Grpc__Health__V1__HealthCheckResponse__ServingStatus serving_status;

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

struct watch {
    const char *service;
    serving_status sent;
};

static void watch_done(hgc_call *call, void *arg, grpc_status_code why)
{
    struct watch *w = arg;
    if (why != GRPC_STATUS_UNAVAILABLE) {
        hgc_call_end(call, why, NULL); /* the client is gone: nobody reads it */
        return;
    }
    Grpc__Health__V1__HealthCheckResponse reply = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__INIT;
    reply.status = status_of(hgc_call_server(call), w->service);
    if (reply.status != w->sent)
        hgc_call_post(call, &reply.base);
    hgc_call_end(call, GRPC_STATUS_UNAVAILABLE, "server shutting down");
}

static grpc_status_code watch(hgc_call *call, void *user_data)
{
    hgc_server *s = user_data;
    const Grpc__Health__V1__HealthCheckRequest *req = (const void *)hgc_call_request(call);
    struct watch *w = hgc_call_alloc(call, sizeof *w);
    w->service = req->service;
    Grpc__Health__V1__HealthCheckResponse reply = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__INIT;
    reply.status = w->sent = status_of(s, req->service);
    hgc_call_keep(call, watch_done, w);
    hgc_call_post(call, &reply.base);
    return GRPC_STATUS_OK; /* ignored: the call is kept */
}

int hgc_server_add_health(hgc_server *s, char msg[HGC_MSG_MAX])
{
    static const hgc_method_impl impls[] = {
        {"Check", HGC_RPC_UNARY, check, HGC_METHOD_INLINE},
        {"Watch", HGC_RPC_SERVER_STREAM, watch, HGC_METHOD_INLINE},
    };
    return hgc_server_add_service(s, &grpc__health__v1__health__descriptor, impls,
                                  sizeof impls / sizeof impls[0], s, msg);
}
