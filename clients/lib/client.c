/* client.c: the connection of hgc_client and the helpers every call uses.
 *
 * The target comes from the caller, else $HGC_SERVER, else 127.0.0.1:50051;
 * the channel connects lazily (gRPC), so creating a client never blocks.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/addr.h"
#include "client_internal.h"

int hgc_client_new(hgc_client **out, const char *target, char msg[HGC_MSG_MAX])
{
    hgc_client *c = NULL;
    int rc = -1;

    if (target == NULL || target[0] == '\0')
        target = getenv(HGC_CLIENT_TARGET_ENV);
    if (target == NULL || target[0] == '\0')
        target = HGC_CLIENT_DEFAULT_TARGET;

    if (hgc_addr_check_grpc(target) < 0) {
        snprintf(msg, HGC_MSG_MAX,
                 "the server address '%.200s' is not HOST:PORT (a port from 0 to 65535) or "
                 "unix:PATH",
                 target);
        return -1;
    }
    c = calloc(1, sizeof(*c));
    if (c == NULL) {
        snprintf(msg, HGC_MSG_MAX, "out of memory");
        return -1;
    }
    hgc_rpc_init(); /* balanced in hgc_client_free */
    c->timeout_ms = HGC_CLIENT_DEFAULT_TIMEOUT_MS;
    c->target = strdup(target);
    if (c->target == NULL) {
        snprintf(msg, HGC_MSG_MAX, "out of memory");
        goto done;
    }
    if (hgc_channel_new(&c->channel, c->target, msg) != 0)
        goto done;
    *out = c;
    c = NULL;
    rc = 0;
done:
    hgc_client_free(c);
    return rc;
}

void hgc_client_free(hgc_client *c)
{
    if (c == NULL)
        return;
    hgc_channel_free(c->channel);
    free(c->target);
    free(c);
    hgc_rpc_shutdown();
}

const char *hgc_client_target(const hgc_client *c)
{
    return c->target;
}

void hgc_client_set_timeout(hgc_client *c, int timeout_ms)
{
    c->timeout_ms = timeout_ms;
}

void hgc_client_reply_free(void *reply)
{
    if (reply != NULL)
        protobuf_c_message_free_unpacked(reply, NULL);
}

grpc_status_code client_fail(hgc_status *st, grpc_status_code code, const char *fmt, ...)
{
    va_list ap;

    st->code = code;
    va_start(ap, fmt);
    vsnprintf(st->message, sizeof(st->message), fmt, ap);
    va_end(ap);
    return code;
}

grpc_status_code client_unary(hgc_client *c, int jobs, const char *method,
                              const ProtobufCMessage *req, ProtobufCMessage **reply, hgc_status *st)
{
    const ProtobufCServiceDescriptor *svc =
        jobs ? &hgc__v1__job_service__descriptor : &hgc__v1__graph_service__descriptor;

    st->code = GRPC_STATUS_OK;
    st->message[0] = '\0';
    return hgc_unary(c->channel, svc, method, req, reply, c->timeout_ms, st);
}

char *client_str(const char *s)
{
    return (char *)(s != NULL ? s : "");
}
