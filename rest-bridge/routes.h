/* routes.h: the REST route table, built at start from the embedded
 * descriptor set (proto/hgc_descriptors.h): every method that carries
 * a google.api.http rule (and each of its additional_bindings) becomes a
 * route; hgc.v1.http_success_status and hgc.v1.http_stream (see
 * proto/hgc/v1/options.proto) say how it answers. Adding an endpoint is
 * editing the .proto, not the bridge.
 *
 * Matching: by HTTP method and path segments; a literal segment beats a
 * {variable} at the same place ("/computerdis/update/7" is update, not a
 * task named "update"); variables match one whole segment, and their
 * values are percent-decoded after matching (so "%2F" can't add a
 * segment).
 */
#ifndef REST_ROUTES_H
#define REST_ROUTES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <protobuf-c/protobuf-c.h>
#include "base/limits.h"

#define REST_MSG_MAX  HGC_MSG_MAX
#define REST_MAX_VARS 8
/* Bytes of a percent-decoded path variable, with its NUL: a vertex id of
 * the service's limit (512 bytes) JSON-quoted with every byte escaped as
 * \u00XX is 6 * 512 + 2 bytes, and must still reach the service, which
 * then answers for ids over the limit itself (docs/rest.md). */
#define REST_VAR_MAX 4096

typedef struct rest_route {
    const char *http_method;   /* "GET", "POST", "PUT", "DELETE", "PATCH" */
    const char *pattern;       /* "/graphs/{graph}/jobs/computerdis/{task_id}" */
    const char *body;          /* "" none, "*" the whole body, or a field name */
    int body_json;             /* the body is JSON: "*", or a field that is not bytes
                                * (the body is that field's value: a repeated field's
                                * is an array); a bytes field's body is raw text */
    const char *response_body; /* "" the whole reply, or a field of the output whose
                                * JSON is the whole answer (an array for "ids") */
    int success_status;        /* 200 unless the method says otherwise */
    int stream_merge;          /* a server stream answered as one merged object */
    int client_streaming;      /* from the descriptor set */
    int server_streaming;
    int head;                /* HEAD is this GET without the body: a unary method
                              * declared idempotency_level = NO_SIDE_EFFECTS */
    const char *full_method; /* "/hgc.v1.JobService/GetJob" */
    const ProtobufCServiceDescriptor *service;
    const char *method; /* "GetJob" */
    const ProtobufCMessageDescriptor *input;
    const ProtobufCMessageDescriptor *output;
    const char *description; /* the method's leading comment, or "" */
} rest_route;

typedef struct rest_path_vars {
    size_t n;
    struct {
        const char *name;         /* points into the route */
        char value[REST_VAR_MAX]; /* percent-decoded */
    } items[REST_MAX_VARS];
} rest_path_vars;

typedef struct rest_routes rest_routes;

/* Builds the table from a serialized FileDescriptorSet, for the methods of
 * the given protoc-c services (their descriptors give the C types). A
 * service in the set but not in `services` is skipped. */
/* Also refused, with msg: a service in `services` but not in the set; a
 * method whose C descriptor is missing or disagrees on types; templates
 * other than literals, {field} and {field=*} ("**", "*", ":verb", {a.b},
 * {f=a/b}); a variable or body naming no field of the input (or, as a
 * variable, a repeated field or a message that text cannot set: see
 * rest_field_takes_text); two routes with the same method and shape; a
 * response_body naming no field of the output, or on a method that
 * streams its answer; a success status outside 2xx; http_stream other
 * than "merge"/"ndjson", or "merge" without a server stream. `pattern`
 * is normalized: {field=*} reads {field}. Routes are in descriptor-set
 * order, a rule before its additional_bindings. */
int rest_routes_new(rest_routes **out, const uint8_t *desc_set, size_t len,
                    const ProtobufCServiceDescriptor *const *services, size_t n_services,
                    char msg[REST_MSG_MAX]);
void rest_routes_free(rest_routes *r);
/* The table is read-only once built: every function below may run on
 * many threads at once. */

size_t rest_routes_count(const rest_routes *r);
const rest_route *rest_routes_at(const rest_routes *r, size_t i);

/* 0 and *route, *vars for a match; -1 if no route has this path (for any
 * method); -2 if the path exists but not for this method (*route is then
 * one of the path's routes, for an Allow header). `path` has no query. */
int rest_routes_match(const rest_routes *r, const char *http_method, const char *path,
                      const rest_route **route, rest_path_vars *vars);
/* 1 if a segment of `path` is REST_VAR_MAX bytes or more once decoded
 * (no variable can hold it, so no route matches it). */
int rest_path_segment_too_long(const char *path);
/* Details of rest_routes_match, for callers:
 *   - the most specific route of the request's method wins; -2 only when
 *     no route of that method matches;
 *   - http_method is compared exactly ("GET", not "get");
 *   - an empty segment ("//") never matches a variable; one trailing '/'
 *     is ignored, two are an empty segment;
 *   - literal segments compare raw (not decoded);
 *   - a '%' not followed by two hex digits, and "%00", are kept as they
 *     are in the value: the route matches and the caller refuses the value
 *     ("a%zz" is no task id); '+' is not a space in a path;
 *   - a route whose variable would not fit items[].value once decoded
 *     does not match (no name or id of ours is that long);
 *   - route and vars may be NULL; vars is set only on 0. */

/* The methods of every route whose pattern matches `path`, without
 * repeats, as "GET, PUT, DELETE" in table order (for a 405's Allow
 * header); out gets the methods that fit in size, up to the first that
 * does not. Returns how many there are. */
size_t rest_routes_allow(const rest_routes *r, const char *path, char *out, size_t size);

/* 1 if text (a path variable, a query parameter) can set field f: a
 * field that is not a message, or a message that prints as one scalar
 * value (one scalar field, or a oneof of scalar fields: VertexId takes
 * "7" as num and "marko" as str). A repeated such field takes the text
 * as one more element. 0 for other messages and maps, and for NULL. */
int rest_field_takes_text(const ProtobufCFieldDescriptor *f);

/* The field of message `d` marked json_collect_unknown, or NULL. Usable
 * as rest_json_rules.collector with ud = the table. Every message of the
 * descriptor set is indexed (nested ones too), not only route inputs; the
 * string lives as long as the table. */
const char *rest_routes_collector(const ProtobufCMessageDescriptor *d, void *routes);

/* An OpenAPI 3.0 document of every route: paths, methods, parameters
 * (path and query, from the input message's fields), request and
 * response schemas from the message descriptors, success statuses.
 * New reference. */
json_t *rest_routes_openapi(const rest_routes *r);
/* Details of the document: operationId is "Service.Method", and
 * "Service.Method.2" for a method's second binding (ids must be unique);
 * query parameters are the input's fields that text can set
 * (rest_field_takes_text) and that are neither path variables nor the
 * body field (listed for body "*" too: the bridge reads the query there
 * as well, e.g. update's ?status=); a bytes body field is text/plain,
 * another body field is its JSON schema (an array for a repeated one);
 * with response_body the answer's schema is that field's; a server stream
 * without "merge" answers application/x-ndjson; components/schemas are named by full message
 * name ("hgc.v1.Task") plus "HugeGraphError"; NULL only on OOM. */

#endif
