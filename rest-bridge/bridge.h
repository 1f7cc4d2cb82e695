/* bridge.h: the REST bridge without HTTP: one shared gRPC channel to
 * hgc-server, the route table, and the steps of a request in between
 * (input message from path, query and body; the upstream call; the answer).
 * http.c drives these steps from libmicrohttpd; upload.c and stream.c add
 * the streaming calls.
 *
 * The bridge holds no state of its own beyond the channel and a list of
 * the upstream streams in progress (so that a stop can cancel them), and no
 * business rule: what a request means is the .proto's and hgc-server's.
 *
 * Threads: every function may run on any thread at once (http.c starts
 * unary calls from its event loops and runs streams on a pool of
 * threads), except new/free.
 */
#ifndef REST_BRIDGE_H
#define REST_BRIDGE_H

#include <protobuf-c/protobuf-c.h>
#include "answer.h"
#include "config.h"
#include "hgc_rpc.h"
#include "json_pb.h"
#include "routes.h"

typedef struct rest_bridge rest_bridge;

/* Builds the route table and opens the channel (lazily connected: a
 * job service that is down is not an error here). 0, or -1 with msg. */
int rest_bridge_new(rest_bridge **out, const rest_config *cfg, char msg[REST_MSG_MAX]);
/* After rest_bridge_stop and once no request runs. NULL is fine. */
void rest_bridge_free(rest_bridge *b);

/* Cancels every upstream stream and unary call in progress and makes new
 * calls answer 503: the first step of a clean stop, so no connection
 * stays waiting on a call or a stream that would never end (a watch). */
void rest_bridge_stop(rest_bridge *b);

const rest_config *rest_bridge_config(const rest_bridge *b);
const rest_routes *rest_bridge_routes(const rest_bridge *b);

/* A new input message of `rt` with the path variables and the query
 * parameters set. 0 and *out (free with protobuf_c_message_free_unpacked),
 * or -1 with *err the answer (400 naming the parameter: unknown, given
 * twice, or a bad value). */
int rest_bridge_input_new(ProtobufCMessage **out, const rest_route *rt, const rest_path_vars *vars,
                          const char *raw_query, rest_answer *err);

/* Merges a JSON body (rt->body_json) into m. An empty body changes
 * nothing. Refuses (400) text that is not JSON and whatever the converter
 * refuses; for body "*", JSON that is not an object and a key of a path
 * variable or of a query parameter (raw_query, may be NULL) with another
 * value than the path's or the query's; for a body field, JSON that is
 * not an array for a repeated field (not an object for a map). 0, or -1
 * with *err. */
int rest_bridge_input_json(ProtobufCMessage *m, const rest_bridge *b, const rest_route *rt,
                           const rest_path_vars *vars, const char *raw_query, const char *body,
                           size_t len, rest_answer *err);

/* Points the bytes field `field` of m at data[0..len) (not copied: detach
 * with rest_bridge_input_bytes(m, field, NULL, 0, ...) before freeing m if
 * m must not free it). 0, or -1 with *err (500: the route names a field
 * that is not bytes). */
int rest_bridge_input_bytes(ProtobufCMessage *m, const char *field, void *data, size_t len,
                            rest_answer *err);

/* Unary upstream calls that hold no thread: each starts the call and
 * returns at once; when *out holds the answer, ready(arg) runs, on the
 * channel's completion-queue thread (it must not block). 0: started
 * (ready will run, and *out must stay valid until then); -1: *out is
 * answered already (stopping, a call that cannot start) and ready will
 * not run. `in` is the caller's again on return. */
typedef void (*rest_ready_fn)(void *arg);

/* The upstream call of a unary route. */
int rest_bridge_unary_start(rest_bridge *b, const rest_route *rt, const ProtobufCMessage *in,
                            int timeout_ms, rest_answer *out, rest_ready_fn ready, void *arg);

/* GET /healthz: grpc.health.v1.Health/Check on the upstream. */
int rest_bridge_health_start(rest_bridge *b, int timeout_ms, rest_answer *out, rest_ready_fn ready,
                             void *arg);

/* GET /openapi.json. */
void rest_bridge_openapi(rest_bridge *b, rest_answer *out);

/* --- for upload.c and stream.c --- */

/* Starts an upstream stream of rt (req: the one request of a server
 * stream, NULL for a client stream), registered so that rest_bridge_stop
 * can cancel it. NULL and *err answered if it cannot start. */
hgc_stream *rest_bridge_stream_start(rest_bridge *b, const rest_route *rt,
                                     const ProtobufCMessage *req, int timeout_ms, rest_answer *err);
/* Unregisters and frees (cancelling it if it has not finished). NULL is fine. */
void rest_bridge_stream_end(rest_bridge *b, hgc_stream *s);

/* A reply answered with the route's success status: the whole message,
 * or with response_body only that field's JSON (an array, for "ids"). */
void rest_bridge_answer_reply(const rest_route *rt, const ProtobufCMessage *reply,
                              rest_answer *out);

/* A failed upstream call answered through the error table. */
void rest_bridge_answer_status(const rest_bridge *b, const hgc_status *st, int timeout_ms,
                               rest_answer *out);

#endif
