/* stream.c: server streams answered as one merged object or as ndjson
 * (see stream.h). Merging serializes each message and concatenates the
 * bytes, then unpacks once: protobuf's wire format defines that as the
 * merge, so no per-message code is needed. Cost: the packed stream is
 * held once (bounded by REST_MERGE_MAX), then as a message and as JSON. */
#include "stream.h"

#include <stdlib.h>
#include <string.h>

void rest_stream_merge(rest_bridge *b, const rest_route *rt, const ProtobufCMessage *in,
                       int timeout_ms, rest_answer *out)
{
    hgc_stream *s = rest_bridge_stream_start(b, rt, in, timeout_ms, out);
    if (!s)
        return;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    ProtobufCMessage *m = NULL, *merged = NULL;
    int too_big = 0, oom = 0;
    while (hgc_stream_recv(s, &m) == 1) {
        size_t n = protobuf_c_message_get_packed_size(m);
        if (n > REST_MERGE_MAX - len) {
            too_big = 1;
        } else if (len + n > cap) {
            size_t ncap = cap ? cap : 64 * 1024;
            while (ncap < len + n)
                ncap *= 2;
            if (ncap > REST_MERGE_MAX)
                ncap = REST_MERGE_MAX;
            uint8_t *grown = realloc(buf, ncap);
            if (!grown)
                oom = 1;
            else {
                buf = grown;
                cap = ncap;
            }
        }
        if (!too_big && !oom)
            len += protobuf_c_message_pack(m, buf + len);
        protobuf_c_message_free_unpacked(m, NULL);
        m = NULL;
        if (too_big || oom) {
            hgc_stream_cancel(s);
            break;
        }
    }
    hgc_status st;
    grpc_status_code code = hgc_stream_finish(s, &st);
    if (too_big) {
        rest_answer_error(out, rest_err_local(REST_ERR_INTERNAL),
                          "the answer is over %zu MiB; ask for less of it (limit, offset)",
                          REST_MERGE_MAX >> 20);
    } else if (oom) {
        rest_answer_error(out, rest_err_local(REST_ERR_INTERNAL), "out of memory");
    } else if (code != GRPC_STATUS_OK) {
        rest_bridge_answer_status(b, &st, timeout_ms, out);
    } else if (!(merged = protobuf_c_message_unpack(rt->output, NULL, len, buf))) {
        rest_answer_error(out, rest_err_local(REST_ERR_INTERNAL), "the messages of %s do not merge",
                          rt->full_method);
    } else {
        rest_answer_json(out, rt->success_status, rest_pb_to_json(merged));
        protobuf_c_message_free_unpacked(merged, NULL);
    }
    free(buf);
    rest_bridge_stream_end(b, s);
}

struct rest_ndjson {
    rest_bridge *b;
    const rest_route *rt;
    hgc_stream *s;
    int timeout_ms;
    char *line; /* the current line, with its newline */
    size_t len, off;
    int done; /* no more lines after this one */
};

static char *line_of(const json_t *j, size_t *len)
{
    size_t n = 0;
    char *text = j ? rest_json_text(j, &n) : NULL;
    if (!text)
        return NULL;
    char *l = realloc(text, n + 2);
    if (!l) {
        free(text);
        return NULL;
    }
    l[n] = '\n';
    l[n + 1] = '\0';
    *len = n + 1;
    return l;
}

/* The last line of a stream that failed after its start. */
static void error_line(rest_ndjson *n, const hgc_status *st)
{
    rest_answer a;
    rest_answer_init(&a);
    rest_bridge_answer_status(n->b, st, n->timeout_ms, &a);
    json_t *body = a.body ? json_loadb(a.body, a.len, 0, NULL) : NULL;
    if (body)
        json_object_set_new(body, "status", json_integer(a.status));
    json_t *j = body ? json_pack("{s:o}", "error", body) : NULL;
    n->line = line_of(j, &n->len);
    json_decref(j);
    rest_answer_release(&a);
}

/* Waits for the next message and makes it the current line; at the end
 * of the stream the line is the error, if any. */
static void next_line(rest_ndjson *n)
{
    free(n->line);
    n->line = NULL;
    n->len = n->off = 0;
    ProtobufCMessage *m = NULL;
    if (hgc_stream_recv(n->s, &m) == 1) {
        json_t *j = rest_pb_to_json(m);
        protobuf_c_message_free_unpacked(m, NULL);
        n->line = line_of(j, &n->len);
        json_decref(j);
        if (n->line)
            return;
        hgc_stream_cancel(n->s); /* out of memory: end it */
    }
    n->done = 1;
    hgc_status st;
    if (hgc_stream_finish(n->s, &st) != GRPC_STATUS_OK)
        error_line(n, &st);
}

int rest_ndjson_open(rest_ndjson **out, rest_bridge *b, const rest_route *rt,
                     const ProtobufCMessage *in, int timeout_ms, rest_answer *ans)
{
    rest_ndjson *n = calloc(1, sizeof *n);
    if (!n) {
        rest_answer_error(ans, rest_err_local(REST_ERR_INTERNAL), "out of memory");
        return 0;
    }
    n->b = b;
    n->rt = rt;
    n->timeout_ms = timeout_ms;
    if (!(n->s = rest_bridge_stream_start(b, rt, in, timeout_ms, ans))) {
        free(n);
        return 0;
    }
    ProtobufCMessage *m = NULL;
    if (hgc_stream_recv(n->s, &m) != 1) {
        hgc_status st;
        if (hgc_stream_finish(n->s, &st) != GRPC_STATUS_OK) {
            rest_bridge_answer_status(b, &st, timeout_ms, ans);
        } else {
            rest_answer_release(ans);
            ans->status = rt->success_status;
            ans->content_type = REST_NDJSON_TYPE;
        }
        rest_ndjson_free(n);
        return 0;
    }
    json_t *j = rest_pb_to_json(m);
    protobuf_c_message_free_unpacked(m, NULL);
    n->line = line_of(j, &n->len);
    json_decref(j);
    if (!n->line) {
        rest_answer_error(ans, rest_err_local(REST_ERR_INTERNAL), "out of memory");
        rest_ndjson_free(n);
        return 0;
    }
    *out = n;
    return 1;
}

size_t rest_ndjson_read(rest_ndjson *n, char *buf, size_t max)
{
    while (!n->line || n->off == n->len) {
        if (n->done)
            return 0;
        next_line(n);
    }
    size_t k = n->len - n->off;
    if (k > max)
        k = max;
    memcpy(buf, n->line + n->off, k);
    n->off += k;
    return k;
}

void rest_ndjson_free(rest_ndjson *n)
{
    if (!n)
        return;
    rest_bridge_stream_end(n->b, n->s);
    free(n->line);
    free(n);
}
