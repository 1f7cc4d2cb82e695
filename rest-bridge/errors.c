/* errors.c: gRPC status and the bridge's own refusals -> HTTP status and
 * HugeGraph's exception class, in one table each (docs/contract.md
 * "Errors"; the gRPC -> HTTP column follows grpc-gateway's mapping). A status the table does not
 * name is a 500 HugeException, as HugeGraph answered anything unexpected.
 */
#include "errors.h"

#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#define EXC_ILLEGAL_ARG "class java.lang.IllegalArgumentException"
#define EXC_NOT_FOUND   "class com.baidu.hugegraph.exception.NotFoundException"
#define EXC_HUGE        "class com.baidu.hugegraph.HugeException"

static const struct {
    grpc_status_code code;
    rest_err_class cls;
} grpc_table[] = {
    {GRPC_STATUS_INVALID_ARGUMENT, {400, EXC_ILLEGAL_ARG}},
    /* A forbidden state move ("delete a running task", "out of a final
     * state") is a bad argument to HugeGraph's callers, not a conflict. */
    {GRPC_STATUS_FAILED_PRECONDITION, {400, EXC_ILLEGAL_ARG}},
    {GRPC_STATUS_NOT_FOUND, {404, EXC_NOT_FOUND}},
    {GRPC_STATUS_ALREADY_EXISTS, {409, "class com.baidu.hugegraph.exception.ExistedException"}},
    {GRPC_STATUS_PERMISSION_DENIED, {403, "class javax.ws.rs.ForbiddenException"}},
    {GRPC_STATUS_UNAUTHENTICATED, {401, "class javax.ws.rs.NotAuthorizedException"}},
    {GRPC_STATUS_RESOURCE_EXHAUSTED,
     {429, "class com.baidu.hugegraph.exception.LimitExceedException"}},
    {GRPC_STATUS_UNIMPLEMENTED, {501, "class java.lang.UnsupportedOperationException"}},
    {GRPC_STATUS_UNAVAILABLE, {503, "class javax.ws.rs.ServiceUnavailableException"}},
    {GRPC_STATUS_DEADLINE_EXCEEDED, {504, "class java.util.concurrent.TimeoutException"}},
};

static const rest_err_class other = {500, EXC_HUGE};

/* A write refused because the service's disk is full (RFC 4918's 507). */
static const rest_err_class insufficient_storage = {507, EXC_HUGE};

static const rest_err_class local_table[] = {
    [REST_ERR_BAD_REQUEST] = {400, EXC_ILLEGAL_ARG},
    [REST_ERR_NOT_FOUND] = {404, EXC_NOT_FOUND},
    [REST_ERR_UNSUPPORTED_TYPE] = {415, "class javax.ws.rs.NotSupportedException"},
    /* HugeGraph refused oversized bodies with an IllegalArgumentException. */
    [REST_ERR_TOO_LARGE] = {413, EXC_ILLEGAL_ARG},
    [REST_ERR_UNAVAILABLE] = {503, "class javax.ws.rs.ServiceUnavailableException"},
    [REST_ERR_INTERNAL] = {500, EXC_HUGE},
    [REST_ERR_NOT_IMPLEMENTED] = {501, "class java.lang.UnsupportedOperationException"},
    [REST_ERR_HEADERS_TOO_LARGE] = {431, EXC_ILLEGAL_ARG},
};

const rest_err_class *rest_err_from_grpc(grpc_status_code code)
{
    for (size_t i = 0; i < sizeof grpc_table / sizeof grpc_table[0]; i++)
        if (grpc_table[i].code == code)
            return &grpc_table[i].cls;
    return &other;
}

const rest_err_class *rest_err_from_status(grpc_status_code code, const char *message)
{
    if (code == GRPC_STATUS_RESOURCE_EXHAUSTED && message &&
        strncmp(message, REST_MSG_DISK_FULL, strlen(REST_MSG_DISK_FULL)) == 0)
        return &insufficient_storage;
    return rest_err_from_grpc(code);
}

int rest_err_is_storage(grpc_status_code code, const char *message)
{
    return code == GRPC_STATUS_UNAVAILABLE && message &&
           strncmp(message, REST_MSG_STORE_FAILED, strlen(REST_MSG_STORE_FAILED)) == 0;
}

const rest_err_class *rest_err_local(rest_err kind)
{
    if ((unsigned)kind >= sizeof local_table / sizeof local_table[0])
        return &other;
    return &local_table[kind];
}

char *rest_err_body(const rest_err_class *cls, const char *message, size_t *len)
{
    json_t *o = json_object();
    char *text = NULL;
    if (!o)
        return NULL;
    /* json_string refuses invalid UTF-8 (an upstream message could carry
     * some, cut mid-character by a fixed buffer): fall back to a copy with
     * every non-ASCII byte as '?' rather than lose the message. */
    json_t *m = json_string(message ? message : "");
    if (!m) {
        char *ascii = strdup(message);
        if (ascii) {
            for (char *p = ascii; *p; p++)
                if ((unsigned char)*p >= 0x80)
                    *p = '?';
            m = json_string(ascii);
            free(ascii);
        }
    }
    if (json_object_set_new(o, "exception", json_string(cls->exception)) < 0 ||
        json_object_set_new(o, "message", m) < 0 ||
        json_object_set_new(o, "cause", json_string("")) < 0)
        goto cleanup;
    text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text && len)
        *len = strlen(text);
cleanup:
    json_decref(o);
    return text;
}
