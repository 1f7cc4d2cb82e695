/* stream.c: server streams answered as one merged object or as ndjson
 * (see stream.h). Merging serializes each message and concatenates the
 * bytes, then unpacks once: protobuf's wire format defines that as the
 * merge, so no per-message code is needed. Cost: the packed stream is
 * held once (bounded by REST_MERGE_MAX), then as a message (in an arena:
 * a few blocks, not one malloc per row) and as JSON text (printed
 * directly, no tree). An ndjson stream prints each message into one
 * buffer it reuses, line after line. */
#include "stream.h"

#include <stdlib.h>
#include <string.h>
#include "arena.h"

/* The merged message unpacked (REST_MERGE_MAX packed bytes may unpack to
 * a few times that). */
#define MERGED_ARENA_MAX ((size_t)2048 * 1024 * 1024)

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
    rest_arena arena; /* the merged message: freed at once */
    rest_arena_init(&arena, MERGED_ARENA_MAX);
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
    } else if (!(merged = protobuf_c_message_unpack(rt->output, rest_arena_allocator(&arena), len,
                                                    buf))) {
        rest_answer_error(out, rest_err_local(REST_ERR_INTERNAL), "the messages of %s do not merge",
                          rt->full_method);
    } else {
        rest_answer_message(out, rt->success_status, merged, NULL);
    }
    rest_arena_release(&arena);
    free(buf);
    rest_bridge_stream_end(b, s);
}

struct rest_ndjson {
    rest_bridge *b;
    const rest_route *rt;
    hgc_stream *s;
    int timeout_ms;
    rest_buf line; /* the current line, with its newline; its memory is reused */
    size_t off;    /* how much of it is out */
    int done;      /* no more lines after this one */
};

/* The line of one message: its JSON text and a newline. 0, or the
 * printer's error. */
static int message_line(rest_ndjson *n, const ProtobufCMessage *m)
{
    rest_buf_reset(&n->line);
    n->off = 0;
    int rc = rest_pb_to_json_text(&n->line, m);
    return rc ? rc : rest_buf_append(&n->line, "\n", 1);
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
    size_t len = 0;
    char *text = j ? rest_json_text(j, &len) : NULL;
    rest_buf_reset(&n->line);
    n->off = 0;
    if (text && rest_buf_append(&n->line, text, len) == 0)
        rest_buf_append(&n->line, "\n", 1);
    if (n->line.err) /* out of memory: the stream just ends */
        rest_buf_reset(&n->line);
    free(text);
    json_decref(j);
    rest_answer_release(&a);
}

/* Waits for the next message and makes it the current line; at the end
 * of the stream the line is the error, if any. */
static void next_line(rest_ndjson *n)
{
    rest_buf_reset(&n->line);
    n->off = 0;
    ProtobufCMessage *m = NULL;
    if (hgc_stream_recv(n->s, &m) == 1) {
        int rc = message_line(n, m);
        protobuf_c_message_free_unpacked(m, NULL);
        if (rc == 0)
            return;
        rest_buf_reset(&n->line);
        hgc_stream_cancel(n->s); /* out of memory or a line over the ceiling: end it */
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
    rest_buf_init(&n->line, REST_ANSWER_MAX);
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
    int rc = message_line(n, m);
    protobuf_c_message_free_unpacked(m, NULL);
    if (rc) {
        rest_answer_text_error(ans, rc, REST_ANSWER_MAX);
        rest_ndjson_free(n);
        return 0;
    }
    *out = n;
    return 1;
}

size_t rest_ndjson_read(rest_ndjson *n, char *buf, size_t max)
{
    while (n->off == n->line.len) {
        if (n->done)
            return 0;
        next_line(n);
    }
    size_t k = n->line.len - n->off;
    if (k > max)
        k = max;
    memcpy(buf, n->line.data + n->off, k);
    n->off += k;
    return k;
}

void rest_ndjson_free(rest_ndjson *n)
{
    if (!n)
        return;
    rest_bridge_stream_end(n->b, n->s);
    rest_buf_release(&n->line);
    free(n);
}
