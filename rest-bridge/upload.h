/* upload.h: a client-streaming route (LoadEdges: body "text") fed by the
 * HTTP request body as it arrives. The body is cut into successive input
 * messages of at most REST_UPLOAD_CHUNK bytes in the route's bytes field;
 * the first message also carries the path variables. Memory stays at one
 * chunk whatever the body's size: a large upload never sits here whole,
 * and the upstream's flow control slows the client down. A
 * multipart/form-data body (upload_form.h) is fed part by part, each with
 * its own format.
 *
 * A client-streaming route whose body is JSON (rt->body_json: "*", or a
 * repeated message field such as AddVertices' "vertices") is read whole
 * (up to --max-body) and parsed into the first message, which is then the
 * only one sent: field NULL below.
 */
#ifndef REST_UPLOAD_H
#define REST_UPLOAD_H

#include "bridge.h"

#define REST_UPLOAD_CHUNK (1024 * 1024)

typedef struct rest_upload rest_upload;

/* Starts the upstream call. Takes *first (the input message with the path
 * variables and query set; NULLed). `field`: the bytes field the body goes
 * to; NULL to send *first alone (a route whose body is "" or JSON, already
 * merged into *first). 0, or -1 with *err answered. */
int rest_upload_new(rest_upload **out, rest_bridge *b, const rest_route *rt,
                    ProtobufCMessage **first, const char *field, int timeout_ms, rest_answer *err);

/* A piece of the body. 0; -1 if the upstream ended the call (*err is the
 * answer: the rest of the body is not wanted). */
int rest_upload_feed(rest_upload *u, const char *data, size_t len, rest_answer *err);

/* 1 if the route's input message has a string field "format" (LoadEdges:
 * what its text holds), with *value its value ("" if unset) when value is
 * not NULL; 0 if it has none. */
int rest_upload_has_format(const ProtobufCMessage *input, const char **value);

/* The bytes fed from now on are of `format` (a string that outlives the
 * upload): the bytes buffered so far go out first with the format before.
 * Messages sent after a first call carry it in their "format" field
 * (rest_upload_has_format), whatever the query said. 0, or -1 as
 * rest_upload_feed. */
int rest_upload_set_format(rest_upload *u, const char *format, rest_answer *err);

/* The end of the body: sends what is left, half-closes, answers with the
 * reply (the route's success status) or the error. */
void rest_upload_finish(rest_upload *u, rest_answer *out);

/* Cancels the call if unfinished (the client went away). NULL is fine. */
void rest_upload_free(rest_upload *u);

#endif
