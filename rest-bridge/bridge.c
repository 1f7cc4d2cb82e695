/* bridge.c: the steps of one REST request without HTTP (see bridge.h).
 *
 * Route -> input message: path variables and query parameters go through
 * the converter's rest_pb_set_text, the JSON body through rest_json_to_pb
 * with the .proto's json_collect_unknown field as the collector (a body
 * that is one field's value, as google.api.http's body: "vertices", is
 * parsed as {"vertices": <body>}, so refusals name "vertices[2].label").
 * A unary call starts on the event loop (hgc_unary_async) and is answered
 * on the channel's completion-queue thread:
 * reply -> unpacked into an arena of the call (arena.h) -> JSON text
 * printed straight into the answer's body (rest_answer_message, no JSON
 * tree); with response_body only that field's JSON is the answer
 * (HugeGraph's batches answer a bare array). The gRPC status of a
 * failure goes through the one table of errors.c. Cost: one JSON parse,
 * one protobuf pack and unpack, one JSON print per request, and a few
 * allocations for the reply however many fields it has; nothing here is
 * proportional to anything but the request and its answer.
 */
#include "bridge.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grpc/health/v1/health.pb-c.h"
#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "arena.h"
#include "base/json_kind.h"
#include "channel_watch.h"
#include "hgc_descriptors.h"
#include "parse.h"

/* The ceiling of one reply unpacked (64 MiB on the wire may unpack to a
 * few times that in structs and pointers). */
#define REPLY_ARENA_MAX ((size_t)1024 * 1024 * 1024)
/* The health check answers at once or never: don't let /healthz hang for
 * the whole default deadline behind an upstream that swallows packets. */
#define HEALTH_TIMEOUT_MS 5000
#define QUERY_KEY_MAX     128
#define QUERY_VAL_MAX     4096

struct rest_bridge {
    rest_config cfg;
    rest_routes *routes;
    hgc_channel *ch;
    hgc_channel_watch *watch; /* reconnects as soon as hgc-server is back */
    char *openapi;            /* the document's text, made once */
    size_t openapi_len;

    pthread_mutex_t mu; /* guards what follows */
    int stopping;
    hgc_stream **streams; /* in progress; grows by doubling */
    size_t n_streams, cap_streams;
};

int rest_bridge_new(rest_bridge **out, const rest_config *cfg, char msg[REST_MSG_MAX])
{
    static const ProtobufCServiceDescriptor *const services[] = {
        &hgc__v1__job_service__descriptor,
        &hgc__v1__graph_service__descriptor,
    };
    rest_bridge *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(msg, REST_MSG_MAX, "out of memory");
        return -1;
    }
    b->cfg = *cfg;
    pthread_mutex_init(&b->mu, NULL);
    if (rest_routes_new(&b->routes, hgc_descriptor_set, hgc_descriptor_set_len, services,
                        sizeof services / sizeof services[0], msg) < 0)
        goto fail;
    json_t *doc = rest_routes_openapi(b->routes);
    b->openapi = doc ? rest_json_text(doc, &b->openapi_len) : NULL;
    json_decref(doc);
    if (!b->openapi) {
        snprintf(msg, REST_MSG_MAX, "cannot print the OpenAPI document");
        goto fail;
    }
    if (hgc_channel_new(&b->ch, cfg->upstream, msg) < 0 ||
        hgc_channel_watch_new(&b->watch, b->ch, msg) < 0)
        goto fail;
    *out = b;
    return 0;
fail:
    rest_bridge_free(b);
    return -1;
}

void rest_bridge_free(rest_bridge *b)
{
    if (!b)
        return;
    hgc_channel_watch_free(b->watch);
    hgc_channel_free(b->ch);
    rest_routes_free(b->routes);
    free(b->openapi);
    free(b->streams);
    pthread_mutex_destroy(&b->mu);
    free(b);
}

void rest_bridge_stop(rest_bridge *b)
{
    pthread_mutex_lock(&b->mu);
    b->stopping = 1;
    for (size_t i = 0; i < b->n_streams; i++)
        hgc_stream_cancel(b->streams[i]);
    pthread_mutex_unlock(&b->mu);
    hgc_channel_cancel_async(b->ch); /* unary calls in flight answer at once */
}

const rest_config *rest_bridge_config(const rest_bridge *b)
{
    return &b->cfg;
}

const rest_routes *rest_bridge_routes(const rest_bridge *b)
{
    return b->routes;
}

static int stopping(rest_bridge *b)
{
    pthread_mutex_lock(&b->mu);
    int s = b->stopping;
    pthread_mutex_unlock(&b->mu);
    return s;
}

static void answer_stopping(rest_answer *out)
{
    rest_answer_error(out, rest_err_local(REST_ERR_UNAVAILABLE),
                      "hgc-rest is shutting down; retry against another instance or later");
}

void rest_bridge_answer_status(const rest_bridge *b, const hgc_status *st, int timeout_ms,
                               rest_answer *out)
{
    rest_answer_grpc(out, st, b->cfg.upstream, timeout_ms);
}

/* ------------------------------------------------------------------ */
/* Input                                                               */
/* ------------------------------------------------------------------ */

static int is_path_var(const rest_path_vars *vars, const char *name)
{
    for (size_t i = 0; i < vars->n; i++)
        if (strcmp(vars->items[i].name, name) == 0)
            return 1;
    return 0;
}

/* "limit, status, page": the fields of the input a query may set. */
static void query_fields(char *dst, size_t size, const rest_route *rt, const rest_path_vars *vars)
{
    size_t o = 0;
    dst[0] = '\0';
    for (unsigned i = 0; i < rt->input->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &rt->input->fields[i];
        if (is_path_var(vars, f->name) || !rest_field_takes_text(f) ||
            (rt->body[0] && strcmp(rt->body, "*") != 0 && strcmp(rt->body, f->name) == 0))
            continue;
        int n = snprintf(dst + o, size - o, "%s%s", o ? ", " : "", f->name);
        if (n < 0 || (size_t)n >= size - o)
            break;
        o += (size_t)n;
    }
    if (!o)
        snprintf(dst, size, "none");
}

int rest_bridge_input_new(ProtobufCMessage **out, const rest_route *rt, const rest_path_vars *vars,
                          const char *raw_query, rest_answer *err)
{
    const rest_err_class *bad = rest_err_local(REST_ERR_BAD_REQUEST);
    char emsg[REST_MSG_MAX] = "";
    ProtobufCMessage *m = rest_pb_new(rt->input);
    if (!m) {
        rest_answer_error(err, rest_err_local(REST_ERR_INTERNAL), "out of memory");
        return -1;
    }
    for (size_t i = 0; i < vars->n; i++) {
        int rc = rest_pb_set_text(m, vars->items[i].name, vars->items[i].value, emsg);
        if (rc == -1) {
            rest_answer_error(err, bad, "%s", emsg);
            goto fail;
        }
        if (rc < 0) { /* the route table and the message disagree: a build bug */
            rest_answer_error(err, rest_err_local(REST_ERR_INTERNAL),
                              "the path variable '%s' names no field of %s", vars->items[i].name,
                              rt->input->name);
            goto fail;
        }
    }
    const char *cur = raw_query;
    char key[QUERY_KEY_MAX], val[QUERY_VAL_MAX];
    int got;
    uint64_t given[4] = {0}; /* fields set by the query so far, by index (up to 256) */
    while ((got = rest_query_next(&cur, key, sizeof key, val, sizeof val)) != 0) {
        if (got < 0) {
            rest_answer_error(err, bad,
                              "the query string is malformed: a bad %%-escape, or a name over %d "
                              "or a value over %d bytes",
                              QUERY_KEY_MAX - 1, QUERY_VAL_MAX - 1);
            goto fail;
        }
        if (is_path_var(vars, key)) {
            rest_answer_error(err, bad, "'%s' is given by the path, not as a query parameter", key);
            goto fail;
        }
        int rc = -2;
        const ProtobufCFieldDescriptor *f =
            protobuf_c_message_descriptor_get_field_by_name(rt->input, key);
        /* Messages (but one-value ones: VertexId) and the body field are
         * not query parameters. */
        if (f && rest_field_takes_text(f) &&
            !(rt->body[0] && strcmp(rt->body, "*") != 0 && strcmp(rt->body, key) == 0)) {
            /* Twice would leave "which one counts" to a guess (a list
             * field takes each). */
            size_t fi = (size_t)(f - rt->input->fields);
            if (f->label != PROTOBUF_C_LABEL_REPEATED && fi < 256) {
                if (given[fi / 64] >> (fi % 64) & 1) {
                    rest_answer_error(err, bad, "query parameter '%s' is given twice; give it once",
                                      key);
                    goto fail;
                }
                given[fi / 64] |= (uint64_t)1 << (fi % 64);
            }
            rc = rest_pb_set_text(m, key, val, emsg);
        }
        if (rc == -1) {
            rest_answer_error(err, bad, "%s", emsg);
            goto fail;
        }
        if (rc < 0) {
            char known[512];
            query_fields(known, sizeof known, rt, vars);
            rest_answer_error(err, bad, "unknown query parameter '%s'; %s %s takes: %s", key,
                              rt->http_method, rt->pattern, known);
            goto fail;
        }
    }
    *out = m;
    return 0;
fail:
    protobuf_c_message_free_unpacked(m, NULL);
    return -1;
}

/* 1 if a body value says the same as the text of a path variable or query parameter. */
static int same_as_text(const json_t *v, const char *text)
{
    char num[64];
    if (json_is_string(v))
        return strcmp(json_string_value(v), text) == 0;
    if (json_is_integer(v)) {
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return strcmp(num, text) == 0;
    }
    return 0;
}

/* protoc-c has no map-entry flag: a map is a repeated XxxEntry{key=1, value=2}. */
static int is_map(const ProtobufCFieldDescriptor *f)
{
    const ProtobufCMessageDescriptor *d = f->descriptor;
    size_t n;
    if (f->label != PROTOBUF_C_LABEL_REPEATED || f->type != PROTOBUF_C_TYPE_MESSAGE || !d)
        return 0;
    n = strlen(d->short_name);
    return d->n_fields == 2 && n > 5 && !strcmp(d->short_name + n - 5, "Entry") &&
           d->fields[0].id == 1 && !strcmp(d->fields[0].name, "key") && d->fields[1].id == 2 &&
           !strcmp(d->fields[1].name, "value");
}

/* The body of a route whose body is one field: `j` is that field's value,
 * checked for its outer kind here (a list must be a JSON array: a lone
 * object is more likely {"vertices": [...]} sent by mistake than a batch
 * of one), then parsed as {"<field>": j}. Takes no reference. */
static int field_body(ProtobufCMessage *m, const rest_bridge *b, const rest_route *rt, json_t *j,
                      rest_answer *err)
{
    const rest_err_class *bad = rest_err_local(REST_ERR_BAD_REQUEST);
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field_by_name(rt->input, rt->body);
    char emsg[REST_MSG_MAX] = "";
    json_t *wrap = NULL;
    int rc = -1;
    if (!f) { /* the route table checked this: a build bug */
        rest_answer_error(err, rest_err_local(REST_ERR_INTERNAL),
                          "the route's body field '%s' names no field of %s", rt->body,
                          rt->input->name);
        return -1;
    }
    if (is_map(f) ? !json_is_object(j)
                  : f->label == PROTOBUF_C_LABEL_REPEATED && !json_is_array(j)) {
        rest_answer_error(err, bad, "the body of %s %s must be a JSON %s (its '%s'), not %s",
                          rt->http_method, rt->pattern, is_map(f) ? "object" : "array", rt->body,
                          hgc_json_kind(j));
        return -1;
    }
    wrap = json_object();
    if (!wrap || json_object_set(wrap, rt->body, j)) {
        rest_answer_error(err, rest_err_local(REST_ERR_INTERNAL), "out of memory");
        goto cleanup;
    }
    rest_json_rules rules = {rest_routes_collector, (void *)b->routes};
    if (rest_json_to_pb(m, wrap, &rules, emsg) < 0) {
        rest_answer_error(err, bad, "%s", emsg);
        goto cleanup;
    }
    rc = 0;
cleanup:
    json_decref(wrap);
    return rc;
}

int rest_bridge_input_json(ProtobufCMessage *m, const rest_bridge *b, const rest_route *rt,
                           const rest_path_vars *vars, const char *raw_query, const char *body,
                           size_t len, rest_answer *err)
{
    const rest_err_class *bad = rest_err_local(REST_ERR_BAD_REQUEST);
    if (len == 0)
        return 0;
    json_error_t je;
    /* Duplicate keys would make "which one counts" a guess. Any value is
     * decoded so that a bare string or number is refused for what it is. */
    json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!j) {
        /* Two of jansson's refusals are of valid JSON that hgc can't hold:
         * say so in words, not as invalid JSON or jansson's flag names. */
        if (strncmp(je.text, "too big", 7) == 0)
            rest_answer_error(err, bad,
                              "the body has a whole number beyond the 64-bit range (line %d, "
                              "column %d)",
                              je.line, je.column);
        else if (strstr(je.text, "\\u0000") != NULL)
            rest_answer_error(err, bad,
                              "the body has \\u0000 in a string (line %d, column %d); text in hgc "
                              "can't hold a NUL character",
                              je.line, je.column);
        else
            rest_answer_error(err, bad, "the body is not valid JSON: %s (line %d, column %d)",
                              je.text, je.line, je.column);
        return -1;
    }
    int rc = -1;
    if (strcmp(rt->body, "*") != 0) {
        rc = field_body(m, b, rt, j, err);
        goto cleanup;
    }
    if (!json_is_object(j)) {
        rest_answer_error(err, bad, "the body must be a JSON object, not %s", hgc_json_kind(j));
        goto cleanup;
    }
    for (size_t i = 0; i < vars->n; i++) {
        const json_t *v = json_object_get(j, vars->items[i].name);
        if (v && !json_is_null(v) && !same_as_text(v, vars->items[i].value)) {
            rest_answer_error(err, bad, "'%s' is '%s' in the path but the body gives another value",
                              vars->items[i].name, vars->items[i].value);
            goto cleanup;
        }
    }
    /* So must a query parameter (rest_bridge_input_new checked the query). */
    const char *cur = raw_query;
    char key[QUERY_KEY_MAX], val[QUERY_VAL_MAX];
    while (cur && rest_query_next(&cur, key, sizeof key, val, sizeof val) > 0) {
        const json_t *v = json_object_get(j, key);
        if (v && !json_is_null(v) && !same_as_text(v, val)) {
            rest_answer_error(err, bad,
                              "'%s' is '%s' in the query but the body gives another value; "
                              "give it once",
                              key, val);
            goto cleanup;
        }
    }
    rest_json_rules rules = {rest_routes_collector, (void *)b->routes};
    char emsg[REST_MSG_MAX] = "";
    if (rest_json_to_pb(m, j, &rules, emsg) < 0) {
        rest_answer_error(err, bad, "%s", emsg);
        goto cleanup;
    }
    rc = 0;
cleanup:
    json_decref(j);
    return rc;
}

int rest_bridge_input_bytes(ProtobufCMessage *m, const char *field, void *data, size_t len,
                            rest_answer *err)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field_by_name(m->descriptor, field);
    if (!f || f->type != PROTOBUF_C_TYPE_BYTES || f->label == PROTOBUF_C_LABEL_REPEATED) {
        rest_answer_error(err, rest_err_local(REST_ERR_INTERNAL),
                          "the route's body field '%s' is not a bytes field of %s", field,
                          m->descriptor->name);
        return -1;
    }
    ProtobufCBinaryData *bd = (ProtobufCBinaryData *)((char *)m + f->offset);
    bd->data = data;
    bd->len = len;
    if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->quantifier_offset)
        *(protobuf_c_boolean *)((char *)m + f->quantifier_offset) = data != NULL;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Calls                                                               */
/* ------------------------------------------------------------------ */

/* One upstream unary call in flight: what its callback needs to answer. */
typedef struct unary_ctx {
    rest_bridge *b;
    const rest_route *rt; /* NULL: the health check */
    rest_answer *out;
    int timeout_ms;
    rest_ready_fn ready;
    void *arg;
    /* The reply is unpacked here: a few blocks (none beyond the inline
     * one for a small reply), printed straight into the body, freed at once. */
    rest_arena arena;
} unary_ctx;

/* The answer to GET /healthz from the health check's outcome (st NULL:
 * hgc-rest is stopping). */
static void health_answer(const rest_bridge *b, int t, const hgc_status *st,
                          const ProtobufCMessage *reply, rest_answer *out)
{
    char reason[768] = "";
    const char *status = "NOT_SERVING";
    if (!st) {
        snprintf(reason, sizeof reason, "hgc-rest is shutting down");
    } else if (st->code != GRPC_STATUS_OK) {
        if (st->code == GRPC_STATUS_UNAVAILABLE)
            snprintf(reason, sizeof reason, "the job service at %s is not reachable (%s)",
                     b->cfg.upstream, st->message);
        else if (st->code == GRPC_STATUS_DEADLINE_EXCEEDED)
            snprintf(reason, sizeof reason, "the job service at %s did not answer within %d ms",
                     b->cfg.upstream, t);
        else
            snprintf(reason, sizeof reason,
                     "the job service at %s answered the health check with %s: %s", b->cfg.upstream,
                     hgc_status_name(st->code), st->message);
    } else {
        const Grpc__Health__V1__HealthCheckResponse *r = (const void *)reply;
        const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(
            &grpc__health__v1__health_check_response__serving_status__descriptor, (int)r->status);
        status = ev ? ev->name : "UNKNOWN";
        if (r->status != GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING)
            snprintf(reason, sizeof reason, "the job service at %s reports %s", b->cfg.upstream,
                     status);
    }
    json_t *j = json_pack("{s:s, s:s}", "status", status, "upstream", b->cfg.upstream);
    if (j && reason[0])
        json_object_set_new(j, "message", json_string(reason));
    rest_answer_json(out, reason[0] ? 503 : 200, j);
}

/* On the channel's completion-queue thread: the answer, then `ready`. */
static void unary_done(void *arg, const hgc_status *st, ProtobufCMessage *reply)
{
    unary_ctx *u = arg;
    if (!u->rt)
        health_answer(u->b, u->timeout_ms, st, reply, u->out);
    else if (st->code == GRPC_STATUS_OK)
        rest_bridge_answer_reply(u->rt, reply, u->out);
    else
        rest_bridge_answer_status(u->b, st, u->timeout_ms, u->out);
    rest_ready_fn ready = u->ready;
    void *ready_arg = u->arg;
    rest_arena_release(&u->arena);
    free(u);
    ready(ready_arg); /* last: the request (and *out) may be gone after */
}

static int unary_start(rest_bridge *b, const rest_route *rt, const ProtobufCServiceDescriptor *svc,
                       const char *method, const ProtobufCMessage *in, int timeout_ms,
                       rest_answer *out, rest_ready_fn ready, void *arg)
{
    hgc_status st;
    unary_ctx *u = malloc(sizeof *u);
    if (!u) {
        rest_answer_error(out, rest_err_local(REST_ERR_INTERNAL), "out of memory");
        return -1;
    }
    /* Field by field: a compound literal would zero the arena's 8 KiB too. */
    u->b = b;
    u->rt = rt;
    u->out = out;
    u->timeout_ms = timeout_ms;
    u->ready = ready;
    u->arg = arg;
    rest_arena_init(&u->arena, REPLY_ARENA_MAX);
    if (hgc_unary_async(b->ch, svc, method, in, rest_arena_allocator(&u->arena), timeout_ms,
                        unary_done, u, &st) < 0) {
        if (rt)
            rest_bridge_answer_status(b, &st, timeout_ms, out);
        else
            health_answer(b, timeout_ms, &st, NULL, out);
        free(u);
        return -1;
    }
    /* A stop between the caller's check and the start did not see it. */
    if (stopping(b))
        hgc_channel_cancel_async(b->ch);
    return 0;
}

int rest_bridge_unary_start(rest_bridge *b, const rest_route *rt, const ProtobufCMessage *in,
                            int timeout_ms, rest_answer *out, rest_ready_fn ready, void *arg)
{
    if (stopping(b)) {
        answer_stopping(out);
        return -1;
    }
    return unary_start(b, rt, rt->service, rt->method, in, timeout_ms, out, ready, arg);
}

int rest_bridge_health_start(rest_bridge *b, int timeout_ms, rest_answer *out, rest_ready_fn ready,
                             void *arg)
{
    Grpc__Health__V1__HealthCheckRequest req = GRPC__HEALTH__V1__HEALTH_CHECK_REQUEST__INIT;
    int t = timeout_ms < HEALTH_TIMEOUT_MS ? timeout_ms : HEALTH_TIMEOUT_MS;
    if (stopping(b)) {
        health_answer(b, t, NULL, NULL, out);
        return -1;
    }
    return unary_start(b, NULL, &grpc__health__v1__health__descriptor, "Check", &req.base, t, out,
                       ready, arg);
}

void rest_bridge_answer_reply(const rest_route *rt, const ProtobufCMessage *reply, rest_answer *out)
{
    /* Text straight from the message (no JSON tree); with response_body
     * only that field, which every reply has (json_pb.h prints every
     * field): a missing one is a 500, never a wrong answer. */
    rest_answer_message(out, rt->success_status, reply,
                        rt->response_body[0] ? rt->response_body : NULL);
}

void rest_bridge_openapi(rest_bridge *b, rest_answer *out)
{
    rest_answer_release(out);
    out->body = malloc(b->openapi_len + 1);
    if (!out->body) {
        rest_answer_error(out, rest_err_local(REST_ERR_INTERNAL), "out of memory");
        return;
    }
    memcpy(out->body, b->openapi, b->openapi_len + 1);
    out->len = b->openapi_len;
    out->status = 200;
    out->content_type = REST_JSON_TYPE;
}

/* ------------------------------------------------------------------ */
/* Streams in progress                                                 */
/* ------------------------------------------------------------------ */

hgc_stream *rest_bridge_stream_start(rest_bridge *b, const rest_route *rt,
                                     const ProtobufCMessage *req, int timeout_ms, rest_answer *err)
{
    char msg[HGC_MSG_MAX] = "";
    hgc_stream *s = NULL;
    if (stopping(b)) {
        answer_stopping(err);
        return NULL;
    }
    /* Not under the lock: starting waits for the first send. */
    if (hgc_stream_start(&s, b->ch, rt->service, rt->method, req, timeout_ms, msg) < 0) {
        rest_answer_error(err, rest_err_local(REST_ERR_INTERNAL), "cannot call %s: %s",
                          rt->full_method, msg);
        return NULL;
    }
    pthread_mutex_lock(&b->mu);
    /* A stop that came in between would not have seen this stream. */
    if (b->stopping) {
        pthread_mutex_unlock(&b->mu);
        hgc_stream_free(s);
        answer_stopping(err);
        return NULL;
    }
    if (b->n_streams == b->cap_streams) {
        size_t cap = b->cap_streams ? b->cap_streams * 2 : 16;
        hgc_stream **grown = realloc(b->streams, cap * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&b->mu);
            hgc_stream_free(s);
            rest_answer_error(err, rest_err_local(REST_ERR_INTERNAL), "out of memory");
            return NULL;
        }
        b->streams = grown;
        b->cap_streams = cap;
    }
    b->streams[b->n_streams++] = s;
    pthread_mutex_unlock(&b->mu);
    return s;
}

void rest_bridge_stream_end(rest_bridge *b, hgc_stream *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&b->mu);
    for (size_t i = 0; i < b->n_streams; i++) {
        if (b->streams[i] == s) {
            b->streams[i] = b->streams[--b->n_streams];
            break;
        }
    }
    pthread_mutex_unlock(&b->mu);
    hgc_stream_free(s);
}
