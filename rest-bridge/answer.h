/* answer.h: what one request answers, before it becomes an HTTP
 * response: status, content type, body. Built from a reply message (its
 * JSON text printed directly), a JSON value, one of the bridge's refusals
 * or the job service's gRPC status, errors always through the table in
 * errors.h.
 */
#ifndef REST_ANSWER_H
#define REST_ANSWER_H

#include <stddef.h>
#include <jansson.h>
#include <protobuf-c/protobuf-c.h>
#include "errors.h"
#include "hgc_rpc.h"

#define REST_JSON_TYPE   "application/json"
#define REST_NDJSON_TYPE "application/x-ndjson"

typedef struct rest_answer {
    int status;               /* 0: nothing decided yet */
    const char *content_type; /* static text; NULL: no body (204) */
    char *body;               /* malloc'd, owned; NULL: none */
    size_t len;
    char allow[64]; /* the Allow header of a wrong-method 404, or "" */
} rest_answer;

void rest_answer_init(rest_answer *a);
/* Frees the body; the answer is as after init. */
void rest_answer_release(rest_answer *a);

/* Replaces the answer with HugeGraph's error body for `cls`; the message
 * is printf-style. */
void rest_answer_error(rest_answer *a, const rest_err_class *cls, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The same for a failed upstream call. UNAVAILABLE and DEADLINE_EXCEEDED
 * get a sentence naming the upstream address (`upstream`), since gRPC's
 * own text ("failed to connect to all addresses") names nothing a caller
 * can act on. */
void rest_answer_grpc(rest_answer *a, const hgc_status *st, const char *upstream, int timeout_ms);

/* Replaces the answer with `status` and `j` printed compactly (takes the
 * reference). 204 gets no body at all. j NULL (OOM): a 500. */
void rest_answer_json(rest_answer *a, int status, json_t *j);

/* A body's JSON text may not pass this; past it the caller is told to
 * ask for less (the merged result of a 256 MiB stream prints well under). */
#define REST_ANSWER_MAX ((size_t)1024 * 1024 * 1024)

/* Replaces the answer with `status` and the message m printed as JSON by
 * the converter's text printer (json_pb.h: the same text as
 * rest_answer_json(a, status, rest_pb_to_json(m)), without a tree); with
 * `field` (not NULL), only that field's JSON (a route's response_body).
 * 204 gets no body. Out of memory, over REST_ANSWER_MAX or no such
 * field: a 500. */
void rest_answer_message(rest_answer *a, int status, const ProtobufCMessage *m, const char *field);

/* Replaces the answer with the one of a failed print (err: REST_TEXT_OOM
 * or REST_TEXT_FULL, for a text of at most max bytes). */
void rest_answer_text_error(rest_answer *a, int err, size_t max);

/* One compact JSON text of j (no newline), malloc'd; NULL on OOM or
 * invalid text in j. */
char *rest_json_text(const json_t *j, size_t *len);

#endif
