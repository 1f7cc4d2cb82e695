/* test_errors.c: the one gRPC -> HTTP table and the bridge's own
 * refusals (rest-bridge/errors.c) against docs/contract.md "Errors" and
 * the mapping in docs/contract.md, written out here by hand; and the
 * error body's exact shape.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <jansson.h>

#include "errors.h"

#define ILLEGAL   "class java.lang.IllegalArgumentException"
#define NOT_FOUND "class com.baidu.hugegraph.exception.NotFoundException"
#define HUGE      "class com.baidu.hugegraph.HugeException"

Test(rest_errors, grpc_table)
{
    static const struct {
        grpc_status_code code;
        int http;
        const char *exception; /* NULL: any */
    } want[] = {
        {GRPC_STATUS_INVALID_ARGUMENT, 400, ILLEGAL},
        {GRPC_STATUS_FAILED_PRECONDITION, 400, ILLEGAL},
        {GRPC_STATUS_NOT_FOUND, 404, NOT_FOUND},
        {GRPC_STATUS_ALREADY_EXISTS, 409, NULL},
        {GRPC_STATUS_PERMISSION_DENIED, 403, "class javax.ws.rs.ForbiddenException"},
        {GRPC_STATUS_UNAUTHENTICATED, 401, "class javax.ws.rs.NotAuthorizedException"},
        {GRPC_STATUS_RESOURCE_EXHAUSTED, 429, NULL},
        {GRPC_STATUS_UNIMPLEMENTED, 501, NULL},
        {GRPC_STATUS_UNAVAILABLE, 503, NULL},
        {GRPC_STATUS_DEADLINE_EXCEEDED, 504, NULL},
        {GRPC_STATUS_UNKNOWN, 500, HUGE},
        {GRPC_STATUS_INTERNAL, 500, HUGE},
        {GRPC_STATUS_DATA_LOSS, 500, HUGE},
        {GRPC_STATUS_ABORTED, 500, HUGE},
        {GRPC_STATUS_CANCELLED, 500, HUGE},
        {GRPC_STATUS_OUT_OF_RANGE, 500, HUGE},
        {(grpc_status_code)12345, 500, HUGE},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const rest_err_class *c = rest_err_from_grpc(want[i].code);
        cr_assert_not_null(c);
        cr_expect_eq(c->http_status, want[i].http, "code %d: %d", want[i].code, c->http_status);
        cr_expect(strncmp(c->exception, "class ", 6) == 0, "%s", c->exception);
        if (want[i].exception)
            cr_expect_str_eq(c->exception, want[i].exception);
    }
}

Test(rest_errors, local_table)
{
    cr_expect_eq(rest_err_local(REST_ERR_BAD_REQUEST)->http_status, 400);
    cr_expect_str_eq(rest_err_local(REST_ERR_BAD_REQUEST)->exception, ILLEGAL);
    cr_expect_eq(rest_err_local(REST_ERR_NOT_FOUND)->http_status, 404);
    cr_expect_str_eq(rest_err_local(REST_ERR_NOT_FOUND)->exception, NOT_FOUND);
    cr_expect_eq(rest_err_local(REST_ERR_UNSUPPORTED_TYPE)->http_status, 415);
    cr_expect_str_eq(rest_err_local(REST_ERR_UNSUPPORTED_TYPE)->exception,
                     "class javax.ws.rs.NotSupportedException");
    cr_expect_eq(rest_err_local(REST_ERR_TOO_LARGE)->http_status, 413);
    cr_expect_str_eq(rest_err_local(REST_ERR_TOO_LARGE)->exception, ILLEGAL);
    cr_expect_eq(rest_err_local(REST_ERR_UNAVAILABLE)->http_status, 503);
    cr_expect_eq(rest_err_local(REST_ERR_INTERNAL)->http_status, 500);
    cr_expect_str_eq(rest_err_local(REST_ERR_INTERNAL)->exception, HUGE);
    cr_expect_eq(rest_err_local((rest_err)99)->http_status, 500);
}

Test(rest_errors, body_shape)
{
    size_t len = 0;
    char *text = rest_err_body(rest_err_local(REST_ERR_BAD_REQUEST), "a \"quoted\" word\n", &len);
    cr_assert_not_null(text);
    cr_expect_eq(len, strlen(text));
    cr_expect_str_eq(text, "{\"exception\":\"" ILLEGAL "\",\"message\":\"a \\\"quoted\\\" "
                           "word\\n\",\"cause\":\"\"}");
    free(text);
}

Test(rest_errors, body_with_invalid_utf8_keeps_the_message)
{
    char *text = rest_err_body(rest_err_local(REST_ERR_INTERNAL), "bad \xff\xfe bytes", NULL);
    cr_assert_not_null(text);
    json_t *j = json_loads(text, 0, NULL);
    cr_assert_not_null(j);
    cr_expect_str_eq(json_string_value(json_object_get(j, "message")), "bad ?? bytes");
    json_decref(j);
    free(text);
}

Test(rest_errors, body_null_message)
{
    char *text = rest_err_body(rest_err_local(REST_ERR_NOT_FOUND), NULL, NULL);
    cr_assert_not_null(text);
    cr_expect(strstr(text, "\"message\":\"\"") != NULL, "%s", text);
    free(text);
}

/* A full disk is told by the service's marker: 507; any other
 * RESOURCE_EXHAUSTED stays 429, and the marker means nothing on another
 * status. A store's UNAVAILABLE is told from the transport's. */
Test(rest_errors, disk_full_marker)
{
    cr_expect_eq(rest_err_from_status(GRPC_STATUS_RESOURCE_EXHAUSTED,
                                      "insufficient storage: the disk is full")
                     ->http_status,
                 507);
    cr_expect_eq(rest_err_from_status(GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory")->http_status,
                 429);
    cr_expect_eq(rest_err_from_status(GRPC_STATUS_RESOURCE_EXHAUSTED, NULL)->http_status, 429);
    cr_expect_eq(
        rest_err_from_status(GRPC_STATUS_INVALID_ARGUMENT, "insufficient storage: x")->http_status,
        400);
    cr_expect_eq(rest_err_from_status(GRPC_STATUS_UNAVAILABLE, "storage failed: x")->http_status,
                 503);
    cr_expect(rest_err_is_storage(GRPC_STATUS_UNAVAILABLE, "storage failed: disk I/O error"));
    cr_expect(!rest_err_is_storage(GRPC_STATUS_UNAVAILABLE, "failed to connect to all addresses"));
    cr_expect(!rest_err_is_storage(GRPC_STATUS_INTERNAL, "storage failed: x"));
}
