/* http.c: libmicrohttpd glue (see http.h).
 *
 * A request goes: request line -> context (on_uri, with the raw target:
 * libmicrohttpd's own url argument is already percent-decoded, which would
 * let "%2F" split a path variable) -> first access call (route, query,
 * headers: what the body will be) -> body pieces -> last access call (the
 * upstream call, the answer) -> request completed (log line, free).
 *
 * The event loops never wait for hgc-server: the last access call
 * suspends the connection and starts a unary call (and /healthz's check)
 * asynchronously (start_unary); the upstream channel's completion-queue
 * thread makes the answer and resumes the connection (call_ready), and
 * the access call that follows sends it. Streaming calls still go to a
 * pool thread (run_call), which resumes the connection the same way; an
 * ndjson stream does the same for each block it waits for
 * (ndjson_response.h).
 * Every connection has a read deadline (deadline.h): the headers within
 * --read-timeout-ms, a body within that plus 1 s per KiB, none while
 * hgc-rest works or writes. Uploads are still fed to their upstream
 * stream from the event loop (rest_upload_feed waits only while the
 * upstream's flow control holds a chunk back).
 *
 * libmicrohttpd 0.9.75 takes a response only at the first access call
 * (headers in) or the last (body complete), never in between. So a
 * refusal found while the body comes in (over --max-body, the upstream
 * ended an upload) waits for the body's end: the rest of the body is read
 * and dropped, with memory flat, up to DRAIN_MAX bytes, past which the
 * connection is closed without an answer. A refusal found from the
 * headers alone goes out at once when the client waits for it (Expect:
 * 100-continue) or announced a body over the limit; otherwise it too waits
 * for the body, so that the connection stays usable (keep-alive).
 */
#include "http.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdatomic.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include "base/addr.h"
#include "base/clock.h"
#include "deadline.h"
#include "framing.h"
#include "ndjson_response.h"
#include "parse.h"
#include "pool.h"
#include "stream.h"
#include "upload.h"
#include "upload_form.h"

#define CONNECTION_MAX    100000      /* and the fd limit, less FD_RESERVE */
#define FD_RESERVE        256         /* for the upstream channel, logs, the pools */
#define CONNECTION_IDLE_S 30          /* an idle keep-alive connection is dropped after */
#define CONNECTION_MEMORY (32 * 1024) /* request line, headers, read buffer: see below */
#define LOOP_THREADS_MAX  4           /* event loops: one a core, up to this */
#define CALL_THREADS      64          /* upstream streams at once (each blocks a thread) */
#define CALL_QUEUE        4096        /* calls waiting for a thread; past it, 503 */
#define STREAM_THREADS    256         /* ndjson streams waiting for their next message */
#define BODY_BYTES_PER_S  1024        /* a body's slowest pace (see the deadlines) */
#define QUERY_PARAMS_MAX  256         /* past it, 431 */
#define DRAIN_MAX         ((size_t)64 * 1024 * 1024) /* body bytes dropped after a refusal */

struct rest_server {
    struct MHD_Daemon *d;
    rest_bridge *b;
    atomic_long n_async; /* unary calls in flight: their connections are suspended */
    rest_pool *calls;    /* uploads' ends, merged streams, ndjson streams' opening */
    rest_pool *streams;  /* ndjson streams: each job waits for one message */
    rest_deadlines *dl;
    int read_ms;
    atomic_int started; /* libmicrohttpd's own messages are shown from then on */
};

typedef enum body_mode {
    BODY_DISCARD = 0, /* not wanted (counted against --max-body, then dropped) */
    BODY_JSON,        /* route body "*": read whole, up to --max-body */
    BODY_RAW,         /* a bytes field of a unary route: read whole, up to --max-body */
    BODY_UPLOAD,      /* a bytes field of a client stream: passed on as it comes */
} body_mode;

typedef enum special { NOT_SPECIAL = 0, HEALTHZ, OPENAPI } special;

typedef struct rest_req {
    rest_server *srv;
    char *target;      /* the raw request target; cut at '?' into path and query */
    const char *query; /* "" if none */
    char method[16];
    struct timespec t0;
    int started, queued;
    special sp;
    const rest_route *rt;
    int timeout_ms;
    ProtobufCMessage *input;
    body_mode mode;
    char *body; /* BODY_JSON, BODY_RAW */
    size_t len, cap;
    size_t seen; /* body bytes received, whatever the mode */
    rest_upload *upload;
    rest_form *form; /* BODY_UPLOAD of a multipart/form-data body */
    rest_answer ans; /* decided answer: a refusal waiting for the body's end, or the result */
    int status;      /* what was queued, for the log */
    int close;       /* the framing is in doubt: answer, then close the connection */
    int waiting;     /* suspended while a pool job makes the answer */
    size_t n_params; /* in the query */
    struct MHD_Connection *conn;
    rest_conn *wc;         /* its read deadline */
    int64_t headers_in_ms; /* when the headers were complete */
    rest_ndjson *nd;       /* an ndjson stream a job opened, to answer with */
    rest_path_vars vars;   /* last: 32 KiB of values, not zeroed (see req_new) */
} rest_req;

static rest_req *req_new(rest_server *srv, const char *target)
{
    /* Zeroed up to the path variables' values: zeroing those (32 KiB)
     * cost more than the rest of a small request's work in hgc-rest. */
    rest_req *r = malloc(sizeof *r);
    if (!r)
        return NULL;
    memset(r, 0, offsetof(rest_req, vars) + offsetof(rest_path_vars, items));
    if (!(r->target = strdup(target ? target : ""))) {
        free(r);
        return NULL;
    }
    r->srv = srv;
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
    rest_answer_init(&r->ans);
    char *q = strchr(r->target, '?');
    if (q) {
        *q = '\0';
        r->query = q + 1;
    } else {
        r->query = "";
    }
    return r;
}

static void req_free(rest_req *r)
{
    if (!r)
        return;
    rest_upload_free(r->upload);
    rest_form_free(r->form);
    rest_ndjson_free(r->nd);
    if (r->input) {
        if (r->mode == BODY_RAW) /* it points into r->body */
            rest_bridge_input_bytes(r->input, r->rt->body, NULL, 0, &r->ans);
        protobuf_c_message_free_unpacked(r->input, NULL);
    }
    rest_answer_release(&r->ans);
    free(r->body);
    free(r->target);
    free(r);
}

/* libmicrohttpd: the request line is in; its result is the context. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    rest_req *r = req_new(cls, uri);
    if (!r)
        return NULL;
    r->conn = c;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    r->wc = ci ? ci->socket_context : NULL;
    for (const char *q = r->query; *q; q++)
        if (*q != '&' && (q == r->query || q[-1] == '&'))
            r->n_params++;
    /* libmicrohttpd 0.9.75 parses the query into its connection memory
     * right after this callback (hgc-rest reads the raw target instead);
     * a few thousand parameters exhaust that memory, and it then closes
     * the connection without the 431 it logs. Past the limit, its copy
     * of the query is cut here (at the character after '?', which it
     * parses as a NUL-terminated string), so that the request reaches
     * read_headers and gets the 431 from there. */
    char *mark = strchr((char *)uri, '?');
    if (mark && r->n_params > QUERY_PARAMS_MAX)
        mark[1] = '\0';
    return r;
}

/* libmicrohttpd: a connection opened or closed. Its read deadline. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    rest_server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context =
            ci ? rest_conn_add(s->dl, ci->connect_fd, rest_deadline_now() + s->read_ms) : NULL;
    } else {
        rest_conn_remove(s->dl, *socket_context);
        *socket_context = NULL;
    }
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    rest_req *r = *con_cls;
    if (!r)
        return;
    *con_cls = NULL;
    /* The next request's headers: within the idle time and the read time. */
    rest_conn_due(r->wc, rest_deadline_now() + CONNECTION_IDLE_S * 1000 + r->srv->read_ms);
    if (r->status)
        fprintf(stderr, "%s %.300s%s%.300s %d %.1fms%s\n", r->method[0] ? r->method : "-",
                r->target, r->query[0] ? "?" : "", r->query, r->status, hgc_ms_since(&r->t0),
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection cut)");
    else if (r->started)
        fprintf(stderr, "%s %.300s - %.1fms (the client went away)\n", r->method, r->target,
                hgc_ms_since(&r->t0));
    req_free(r);
}

/* ------------------------------------------------------------------ */
/* Answers                                                             */
/* ------------------------------------------------------------------ */

static enum MHD_Result queue(rest_req *r, struct MHD_Connection *c, int status,
                             struct MHD_Response *resp)
{
    if (!resp)
        return MHD_NO;
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, resp);
    MHD_destroy_response(resp);
    r->queued = 1;
    r->status = status;
    return ret;
}

static enum MHD_Result send_answer(rest_req *r, struct MHD_Connection *c)
{
    static const char oom_body[] =
        "{\"exception\":\"class com.baidu.hugegraph.HugeException\",\"message\":\"out of "
        "memory\",\"cause\":\"\"}";
    rest_answer *a = &r->ans;
    struct MHD_Response *resp;
    if (a->status == 0) /* nothing decided: a bug, but answer rather than hang */
        rest_answer_error(a, rest_err_local(REST_ERR_INTERNAL), "no answer was made");
    if (a->body) {
        resp = MHD_create_response_from_buffer(a->len, a->body, MHD_RESPMEM_MUST_FREE);
        if (resp)
            a->body = NULL;        /* libmicrohttpd frees it */
    } else if (a->status >= 400) { /* the error body itself ran out of memory */
        resp = MHD_create_response_from_buffer(sizeof oom_body - 1, (void *)oom_body,
                                               MHD_RESPMEM_PERSISTENT);
        a->content_type = REST_JSON_TYPE;
    } else {
        resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    }
    if (!resp)
        return MHD_NO;
    if (a->content_type && a->status != 204)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, a->content_type);
    if (a->allow[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, a->allow);
    if (r->close)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    return queue(r, c, a->status, resp);
}

/* ------------------------------------------------------------------ */
/* The request                                                         */
/* ------------------------------------------------------------------ */

/* "GET, PUT": the methods this path has. */
static void allowed_methods(char *dst, size_t size, const rest_routes *routes, const char *path)
{
    static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"};
    size_t o = 0;
    dst[0] = '\0';
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        const rest_route *rt;
        rest_path_vars vars;
        if (rest_routes_match(routes, methods[i], path, &rt, &vars) == 0) {
            int n = snprintf(dst + o, size - o, "%s%s", o ? ", " : "", methods[i]);
            if (n < 0 || (size_t)n >= size - o)
                break;
            o += (size_t)n;
        }
    }
}

/* 404 for a known path asked with another method, with Allow. */
static void refuse_method(rest_req *r, const char *method, const char *allow)
{
    rest_answer_error(&r->ans, rest_err_local(REST_ERR_NOT_FOUND),
                      "%s is not an endpoint of %.300s; it takes %s", method, r->target, allow);
    snprintf(r->ans.allow, sizeof r->ans.allow, "%s", allow);
}

/* Content-Length, or -1 if absent (libmicrohttpd already refused a
 * malformed one with 400). */
static long long content_length(struct MHD_Connection *c)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (!v)
        return -1;
    char *end = NULL;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    return errno || end == v || n < 0 ? -1 : n;
}

static void too_large(rest_req *r, size_t max)
{
    rest_answer_error(&r->ans, rest_err_local(REST_ERR_TOO_LARGE),
                      "the request body is over the limit of %zu bytes (hgc-rest --max-body)", max);
}

/* The first access call: everything the headers tell. Leaves r->ans set
 * for a refusal. */
static void read_headers(rest_req *r, struct MHD_Connection *c, const char *method)
{
    rest_bridge *b = r->srv->b;
    const rest_config *cfg = rest_bridge_config(b);
    snprintf(r->method, sizeof r->method, "%s", method);
    r->mode = BODY_DISCARD;
    r->timeout_ms = cfg->timeout_ms;
    if (rest_framing_check(c, &r->ans) < 0) {
        r->close = 1;
        return;
    }
    if (r->n_params > QUERY_PARAMS_MAX) {
        rest_answer_error(&r->ans, rest_err_local(REST_ERR_HEADERS_TOO_LARGE),
                          "the query has %zu parameters; hgc-rest reads at most %d", r->n_params,
                          QUERY_PARAMS_MAX);
        return;
    }

    const char *to_name = "Request-Timeout";
    const char *to = MHD_lookup_connection_value(c, MHD_HEADER_KIND, to_name);
    if (!to) {
        to_name = "X-Request-Timeout";
        to = MHD_lookup_connection_value(c, MHD_HEADER_KIND, to_name);
    }
    if (to && rest_timeout_parse(to, cfg->timeout_ms, &r->timeout_ms) < 0) {
        rest_answer_error(&r->ans, rest_err_local(REST_ERR_BAD_REQUEST),
                          "the %s header '%.40s' is not a whole number of milliseconds from 1",
                          to_name, to);
        return;
    }
    /* HEAD: GET's answer without its body (libmicrohttpd leaves it out). */
    int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    special sp = strcmp(r->target, "/healthz") == 0        ? HEALTHZ
                 : strcmp(r->target, "/openapi.json") == 0 ? OPENAPI
                                                           : NOT_SPECIAL;
    if (sp != NOT_SPECIAL && get) {
        r->sp = sp;
        return;
    }
    if (sp != NOT_SPECIAL) {
        refuse_method(r, method, "GET, HEAD");
        return;
    }
    const rest_routes *routes = rest_bridge_routes(b);
    int m = rest_routes_match(routes, method, r->target, &r->rt, &r->vars);
    if (m == -1 && rest_path_segment_too_long(r->target)) {
        rest_answer_error(&r->ans, rest_err_local(REST_ERR_BAD_REQUEST),
                          "a segment of the path is %d bytes or more once decoded; a vertex id "
                          "has at most 512 bytes, a graph name 64",
                          REST_VAR_MAX);
        r->rt = NULL;
        return;
    }
    if (m == -1) {
        rest_answer_error(&r->ans, rest_err_local(REST_ERR_NOT_FOUND),
                          "there is no endpoint %s %.300s; GET /openapi.json lists them", method,
                          r->target);
        r->rt = NULL;
        return;
    }
    if (m < 0) {
        char allow[64];
        allowed_methods(allow, sizeof allow, routes, r->target);
        refuse_method(r, method, allow);
        r->rt = NULL;
        return;
    }
    if (rest_bridge_input_new(&r->input, r->rt, &r->vars, r->query, &r->ans) < 0)
        return;

    long long cl = content_length(c);
    int has_body = cl > 0 || MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                         MHD_HTTP_HEADER_TRANSFER_ENCODING);
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    const char *body = r->rt->body;
    int json_body = r->rt->body_json; /* "*", or a field's JSON (AddVertices' array) */
    int field_body = body[0] && !json_body;
    if (r->rt->client_streaming && field_body) {
        int form = has_body && rest_form_is(ct);
        if (has_body && !form && !rest_media_is(ct, "text/plain") &&
            !rest_media_is(ct, "application/octet-stream") &&
            !rest_media_is(ct, "application/x-ndjson")) {
            rest_answer_error(&r->ans, rest_err_local(REST_ERR_UNSUPPORTED_TYPE),
                              "the body of %s must be sent as text/plain, "
                              "application/octet-stream, application/x-ndjson or "
                              "multipart/form-data, not '%.80s'",
                              r->rt->pattern, ct ? ct : "(no Content-Type)");
            return;
        }
        if (form && rest_form_new(&r->form, r->input, ct, &r->ans) < 0)
            return;
        if (rest_upload_new(&r->upload, b, r->rt, &r->input, body, r->timeout_ms, &r->ans) < 0)
            return;
        r->mode = BODY_UPLOAD;
        return;
    }
    if (!json_body && !field_body)
        return; /* no body wanted: whatever comes is dropped */
    if (has_body && json_body && !rest_media_is(ct, "application/json")) {
        rest_answer_error(&r->ans, rest_err_local(REST_ERR_UNSUPPORTED_TYPE),
                          "the body of %s must be sent as application/json, not '%.80s'",
                          r->rt->pattern, ct ? ct : "(no Content-Type)");
        return;
    }
    if (cl > 0 && (unsigned long long)cl > cfg->max_body) {
        too_large(r, cfg->max_body);
        return;
    }
    r->mode = json_body ? BODY_JSON : BODY_RAW;
}

/* 1 if a refusal made from the headers must go out now (see the top). */
static int begin(rest_req *r, struct MHD_Connection *c, const char *method)
{
    r->headers_in_ms = rest_deadline_now();
    rest_conn_due(r->wc, r->headers_in_ms + r->srv->read_ms);
    read_headers(r, c, method);
    if (!r->ans.status)
        return 0;
    if (r->close)
        return 1;
    const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
    long long cl = content_length(c);
    return (expect && strcasecmp(expect, "100-continue") == 0) ||
           (cl > 0 && (unsigned long long)cl > rest_bridge_config(r->srv->b)->max_body);
}

/* A refused form: the call is cancelled now, so nothing is stored. */
static void abandon_upload(rest_req *r)
{
    rest_upload_free(r->upload);
    r->upload = NULL;
}

/* One piece of the body. 0: go on; -1: close the connection (a refused
 * body went on past DRAIN_MAX). */
static int take_body(rest_req *r, const char *data, size_t n)
{
    size_t max = rest_bridge_config(r->srv->b)->max_body;
    r->seen += n;
    /* The read deadline moves with the body, at the slowest pace allowed. */
    rest_conn_due(r->wc, r->headers_in_ms + r->srv->read_ms +
                             (int64_t)(r->seen / BODY_BYTES_PER_S) * 1000);
    if (r->ans.status) /* refused already: drop it, within reason */
        return r->seen > DRAIN_MAX ? -1 : 0;
    switch (r->mode) {
    case BODY_UPLOAD: /* a failure answers at the end */
        if (!r->form)
            rest_upload_feed(r->upload, data, n, &r->ans);
        else if (rest_form_feed(r->form, r->upload, data, n, &r->ans) < 0)
            abandon_upload(r);
        return 0;
    case BODY_DISCARD:
        if (r->seen > max)
            too_large(r, max);
        return 0;
    default: break;
    }
    /* Chunked bodies have no Content-Length: the limit is enforced here. */
    if (n > max - r->len) {
        too_large(r, max);
        return 0;
    }
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < r->len + n + 1)
            cap *= 2;
        char *grown = realloc(r->body, cap);
        if (!grown) {
            rest_answer_error(&r->ans, rest_err_local(REST_ERR_INTERNAL), "out of memory");
            return 0;
        }
        r->body = grown;
        r->cap = cap;
    }
    memcpy(r->body + r->len, data, n);
    r->len += n;
    r->body[r->len] = '\0';
    return 0;
}

/* On the upstream channel's completion-queue thread: a unary call's
 * answer is in r->ans; back to the event loop. r may be gone as soon as
 * the connection is resumed. */
static void call_ready(void *arg)
{
    rest_req *r = arg;
    rest_server *srv = r->srv;
    MHD_resume_connection(r->conn);
    atomic_fetch_sub(&srv->n_async, 1);
}

/* A unary call (or /healthz) with no hop: started from the event loop,
 * answered from call_ready. Suspended first, so that the resume always
 * finds the connection so (the answer may come before the start returns). */
static enum MHD_Result start_unary(rest_req *r, struct MHD_Connection *c)
{
    rest_server *srv = r->srv;
    rest_conn_due(r->wc, 0); /* hgc-rest's turn: no read deadline */
    r->conn = c;
    r->waiting = 1;
    MHD_suspend_connection(c);
    atomic_fetch_add(&srv->n_async, 1);
    int rc = r->sp == HEALTHZ
                 ? rest_bridge_health_start(srv->b, r->timeout_ms, &r->ans, call_ready, r)
                 : rest_bridge_unary_start(srv->b, r->rt, r->input, r->timeout_ms, &r->ans,
                                           call_ready, r);
    if (rc < 0) { /* answered already */
        atomic_fetch_sub(&srv->n_async, 1);
        MHD_resume_connection(c);
    }
    return MHD_YES;
}

/* On a pool thread, while the connection is suspended: a streaming
 * call, whatever it waits for; then back to the event loop. */
static void run_call(void *arg)
{
    rest_req *r = arg;
    rest_bridge *b = r->srv->b;
    const rest_route *rt = r->rt;
    if (rt->client_streaming) {
        if (r->upload ||
            rest_upload_new(&r->upload, b, rt, &r->input, NULL, r->timeout_ms, &r->ans) == 0)
            rest_upload_finish(r->upload, &r->ans);
    } else if (rt->server_streaming && rt->stream_merge) {
        rest_stream_merge(b, rt, r->input, r->timeout_ms, &r->ans);
    } else {
        rest_ndjson *nd = NULL;
        if (rest_ndjson_open(&nd, b, rt, r->input, r->timeout_ms, &r->ans) == 1)
            r->nd = nd;
    }
    MHD_resume_connection(r->conn);
}

/* Suspends the connection and hands the call to the pool; the access
 * call that follows the resume answers (answer_call). */
static enum MHD_Result start_call(rest_req *r, struct MHD_Connection *c)
{
    rest_conn_due(r->wc, 0); /* hgc-rest's turn: no read deadline */
    r->conn = c;
    r->waiting = 1;
    MHD_suspend_connection(c);
    if (rest_pool_submit(r->srv->calls, run_call, r) < 0) {
        rest_answer_error(&r->ans, rest_err_local(REST_ERR_UNAVAILABLE),
                          "hgc-rest is stopping, or has %d calls waiting for hgc-server already; "
                          "retry in a moment",
                          CALL_QUEUE);
        MHD_resume_connection(c);
    }
    return MHD_YES;
}

static enum MHD_Result answer_call(rest_req *r, struct MHD_Connection *c)
{
    r->waiting = 0;
    if (!r->nd)
        return send_answer(r, c);
    struct MHD_Response *resp = rest_ndjson_response(r->nd, c, r->srv->streams);
    r->nd = NULL;
    return queue(r, c, r->rt->success_status, resp);
}

/* The last access call: what needs no upstream is answered here, the
 * rest goes to the pool. */
static enum MHD_Result finish(rest_req *r, struct MHD_Connection *c)
{
    rest_bridge *b = r->srv->b;
    rest_conn_due(r->wc, 0);
    if (r->ans.status)
        return send_answer(r, c);
    if (r->sp == OPENAPI) {
        rest_bridge_openapi(b, &r->ans);
        return send_answer(r, c);
    }
    if (r->sp == HEALTHZ)
        return start_unary(r, c);
    const rest_route *rt = r->rt;
    if (r->mode == BODY_JSON &&
        rest_bridge_input_json(r->input, b, rt, &r->vars, r->query, r->body, r->len, &r->ans) < 0)
        return send_answer(r, c);
    if (r->mode == BODY_RAW &&
        rest_bridge_input_bytes(r->input, rt->body, r->body, r->len, &r->ans) < 0)
        return send_answer(r, c);
    if (r->form && rest_form_finish(r->form, &r->ans) < 0) {
        abandon_upload(r);
        return send_answer(r, c);
    }
    if (!rt->client_streaming && !rt->server_streaming)
        return start_unary(r, c);
    return start_call(r, c);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    rest_req *r = *con_cls;
    if (!r) { /* on_uri ran out of memory */
        if (!(r = req_new(cls, url)))
            return MHD_NO;
        *con_cls = r;
    }
    if (r->queued) { /* answered early: drop what still comes */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->waiting) /* resumed: the pool's job made the answer */
        return answer_call(r, c);
    if (!r->started) {
        r->started = 1;
        return begin(r, c, method) ? send_answer(r, c) : MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        return take_body(r, upload_data, n) < 0 ? MHD_NO : MHD_YES;
    }
    return finish(r, c);
}

/* ------------------------------------------------------------------ */
/* The server                                                          */
/* ------------------------------------------------------------------ */

/* Raises the soft limit of open files to the hard one: every connection
 * is a descriptor. The connections hgc-rest takes, from what it gets. */
static unsigned connection_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return 1024 - FD_RESERVE;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
            getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > CONNECTION_MAX + FD_RESERVE)
        return CONNECTION_MAX;
    return rl.rlim_cur > 2 * FD_RESERVE ? (unsigned)(rl.rlim_cur - FD_RESERVE)
                                        : (unsigned)(rl.rlim_cur / 2);
}

static unsigned loop_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > LOOP_THREADS_MAX ? LOOP_THREADS_MAX : (unsigned)n;
}

static void server_free(rest_server *s)
{
    if (!s)
        return;
    rest_pool_free(s->calls);
    rest_pool_free(s->streams);
    rest_deadlines_free(s->dl);
    free(s);
}

/* libmicrohttpd's messages, in the log's own form. Those of a failed start
 * are dropped: its bind message names port 0 (the address is passed
 * whole), and the start's failure is said once, with the reason. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    rest_server *s = cls;
    if (!atomic_load(&s->started))
        return;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = 0;
    fprintf(stderr, "libmicrohttpd: %s\n", line);
}

int rest_server_start(rest_server **out, rest_bridge *b, char *bound, size_t bound_size,
                      char msg[REST_MSG_MAX])
{
    const rest_config *cfg = rest_bridge_config(b);
    char host[REST_ADDR_MAX], port_text[16];
    int port = 0;
    if (hgc_addr_split(cfg->listen, host, sizeof host, &port) < 0) {
        snprintf(msg, REST_MSG_MAX, "--listen '%s' is not HOST:PORT", cfg->listen);
        return -1;
    }
    snprintf(port_text, sizeof port_text, "%d", port);
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
    int gai = getaddrinfo(host[0] ? host : NULL, port_text, &hints, &ai);
    if (gai != 0) {
        snprintf(msg, REST_MSG_MAX, "cannot resolve --listen host '%s': %s", host,
                 gai_strerror(gai));
        return -1;
    }
    rest_server *s = calloc(1, sizeof *s);
    if (!s) {
        freeaddrinfo(ai);
        snprintf(msg, REST_MSG_MAX, "out of memory");
        return -1;
    }
    s->b = b;
    s->read_ms = cfg->read_timeout_ms;
    if (rest_pool_new(&s->calls, CALL_THREADS, CALL_QUEUE, msg) < 0 ||
        rest_pool_new(&s->streams, STREAM_THREADS, CALL_QUEUE, msg) < 0 ||
        rest_deadlines_new(&s->dl, msg) < 0) {
        freeaddrinfo(ai);
        server_free(s);
        return -1;
    }
    /* Event loops (epoll), a few threads: a connection costs a descriptor
     * and its memory, never a thread, whatever it waits for. That memory
     * (CONNECTION_MEMORY) holds the request line, the headers and the read
     * buffer, and libmicrohttpd zeroes all of it after every request: at
     * 128 KiB that was 15% of hgc-rest's CPU per GET (bench/rest_compare.sh).
     * Past 32 KiB a request's head gets 414 or 431 (docs/rest.md). */
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
                     (ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    s->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_THREAD_POOL_SIZE, loop_threads(), MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection,
        s, MHD_OPTION_CONNECTION_LIMIT, connection_limit(), MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)CONNECTION_IDLE_S, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, s, MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!s->d) {
        char why[160];
        if (hgc_addr_listen_error(cfg->listen, why, sizeof why) == 0)
            snprintf(why, sizeof why, "libmicrohttpd could not start");
        snprintf(msg, REST_MSG_MAX, "cannot listen on %s: %s", cfg->listen, why);
        server_free(s);
        return -1;
    }
    atomic_store(&s->started, 1);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_LISTEN_FD);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    if (info && getsockname(info->listen_fd, (struct sockaddr *)&ss, &sl) == 0)
        port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                              : ((struct sockaddr_in *)&ss)->sin_port);
    if (strchr(host, ':'))
        snprintf(bound, bound_size, "[%s]:%d", host, port);
    else
        snprintf(bound, bound_size, "%s:%d", host, port);
    *out = s;
    return 0;
}

void rest_server_stop(rest_server *s)
{
    if (!s)
        return;
    MHD_quiesce_daemon(s->d); /* no new connections */
    rest_bridge_stop(s->b);   /* cancel calls and streams in flight; new calls get 503 */
    /* Every unary call's callback resumes its connection (cancelled ones
     * at once); none may stay suspended past MHD_stop_daemon. */
    while (atomic_load(&s->n_async) > 0)
        usleep(1000);
    /* Every job resumes its connection; none may stay suspended past here
     * (libmicrohttpd cannot stop with one), and a new one is refused. */
    rest_pool_drain(s->calls);
    rest_pool_drain(s->streams);
    MHD_stop_daemon(s->d); /* closes every connection */
    server_free(s);
}
