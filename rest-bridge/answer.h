/* answer.h: what one request answers, before it becomes an HTTP
 * response: status, content type, body. Built from a JSON value, from one
 * of the bridge's refusals or from the job service's gRPC status, always
 * through the table in errors.h.
 */
#ifndef REST_ANSWER_H
#define REST_ANSWER_H

#include <stddef.h>
#include <jansson.h>
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

/* One compact JSON text of j (no newline), malloc'd; NULL on OOM or
 * invalid text in j. */
char *rest_json_text(const json_t *j, size_t *len);

#endif
