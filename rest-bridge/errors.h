/* errors.h: the one table of how hgc-rest fails, in HugeGraph's words.
 *
 * Two sources of failure meet here: a gRPC status from the job service,
 * and the bridge's own refusals (no route, wrong content type, body too
 * large, body not JSON). Each maps to an HTTP status and the Java exception
 * class HugeGraph named in its error body (docs/contract.md, "Errors"):
 *
 *     {"exception": "class java.lang.IllegalArgumentException",
 *      "message": "...", "cause": ""}
 *
 * Nothing else in the bridge knows a status number or an exception name.
 */
#ifndef REST_ERRORS_H
#define REST_ERRORS_H

#include <stddef.h>
#include <grpc/status.h>

/* The bridge's own refusals. */
typedef enum rest_err {
    REST_ERR_BAD_REQUEST = 0,   /* bad parameter, body not JSON, not an object */
    REST_ERR_NOT_FOUND,         /* no route for this path and method */
    REST_ERR_UNSUPPORTED_TYPE,  /* the body's Content-Type is not one the route reads */
    REST_ERR_TOO_LARGE,         /* body over --max-body */
    REST_ERR_UNAVAILABLE,       /* the job service cannot be reached, or we are stopping */
    REST_ERR_INTERNAL,          /* out of memory, a bug */
    REST_ERR_NOT_IMPLEMENTED,   /* a Transfer-Encoding other than chunked */
    REST_ERR_HEADERS_TOO_LARGE, /* too many query parameters */
} rest_err;

typedef struct rest_err_class {
    int http_status;
    const char *exception; /* "class java.lang.IllegalArgumentException" */
} rest_err_class;

/* The HTTP status and exception of a gRPC status (OK is not an error:
 * it gives 500, the caller must not ask). Never NULL. */
const rest_err_class *rest_err_from_grpc(grpc_status_code code);

/* The service marks two refusals by the first words of their message
 * (service/store.h says the same): a write refused for a full disk
 * (RESOURCE_EXHAUSTED, answered 507 Insufficient Storage; any other
 * RESOURCE_EXHAUSTED stays 429), and a write its store failed to make
 * (UNAVAILABLE, 503, with the service's own message rather than "not
 * reachable"). */
#define REST_MSG_DISK_FULL    "insufficient storage: "
#define REST_MSG_STORE_FAILED "storage failed: "

/* rest_err_from_grpc, with the message's marker taken into account. */
const rest_err_class *rest_err_from_status(grpc_status_code code, const char *message);
/* Whether an UNAVAILABLE came from the service's store, not the transport. */
int rest_err_is_storage(grpc_status_code code, const char *message);

/* The same for one of the bridge's own refusals. Never NULL. */
const rest_err_class *rest_err_local(rest_err kind);

/* HugeGraph's error body as compact JSON text (malloc'd, NUL-terminated,
 * *len without the NUL), or NULL on OOM. `message` may be NULL. */
char *rest_err_body(const rest_err_class *cls, const char *message, size_t *len);

#endif
