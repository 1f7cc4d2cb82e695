/* upload.c: request body -> client stream (see upload.h). One buffer of
 * REST_UPLOAD_CHUNK bytes per upload; each message points its bytes field
 * at the buffer while it is sent (hgc_stream_send packs it before
 * returning), so nothing is copied twice. */
#include "upload.h"

#include <stdlib.h>
#include <string.h>

struct rest_upload {
    rest_bridge *b;
    const rest_route *rt;
    hgc_stream *s;
    ProtobufCMessage *first; /* not sent yet */
    const char *field;
    int timeout_ms;
    char *buf;
    size_t len;
    const char *format; /* NULL, or the "format" of the messages sent from now on */
    int failed;         /* a send failed: the call is over, its status says why */
};

int rest_upload_new(rest_upload **out, rest_bridge *b, const rest_route *rt,
                    ProtobufCMessage **first, const char *field, int timeout_ms, rest_answer *err)
{
    rest_upload *u = calloc(1, sizeof *u);
    if (!u || (field && !(u->buf = malloc(REST_UPLOAD_CHUNK)))) {
        free(u);
        rest_answer_error(err, rest_err_local(REST_ERR_INTERNAL), "out of memory");
        return -1;
    }
    u->b = b;
    u->rt = rt;
    u->field = field;
    u->timeout_ms = timeout_ms;
    u->first = *first;
    *first = NULL;
    if (!(u->s = rest_bridge_stream_start(b, rt, NULL, timeout_ms, err))) {
        rest_upload_free(u);
        return -1;
    }
    *out = u;
    return 0;
}

/* The call is over early: its status (or a sentence if it claims OK). */
static void answer_ended(rest_upload *u, rest_answer *err)
{
    hgc_status st;
    if (hgc_stream_finish(u->s, &st) != GRPC_STATUS_OK)
        rest_bridge_answer_status(u->b, &st, u->timeout_ms, err);
    else
        rest_answer_error(err, rest_err_local(REST_ERR_INTERNAL),
                          "the job service ended %s before the body was sent", u->rt->full_method);
}

/* The string field `name` of m, or NULL if it has none. */
static char **string_field(ProtobufCMessage *m, const char *name)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field_by_name(m->descriptor, name);
    if (!f || f->type != PROTOBUF_C_TYPE_STRING || f->label == PROTOBUF_C_LABEL_REPEATED)
        return NULL;
    return (char **)((char *)m + f->offset);
}

int rest_upload_has_format(const ProtobufCMessage *input, const char **value)
{
    char **slot = string_field((ProtobufCMessage *)input, "format");
    if (slot && value)
        *value = *slot ? *slot : "";
    return slot != NULL;
}

/* Sends the buffered bytes (and the first message if still due). */
static int send_buffered(rest_upload *u, rest_answer *err)
{
    ProtobufCMessage *m = u->first ? u->first : rest_pb_new(u->rt->input);
    if (!m) {
        rest_answer_error(err, rest_err_local(REST_ERR_INTERNAL), "out of memory");
        return -1;
    }
    int rc = 0;
    char **format = u->format ? string_field(m, "format") : NULL;
    char *saved = format ? *format : NULL;
    if (format) /* ours, not m's: put back before m is freed */
        *format = (char *)u->format;
    if (u->field && rest_bridge_input_bytes(m, u->field, u->len ? u->buf : NULL, u->len, err) < 0) {
        rc = -1;
        goto cleanup;
    }
    if (hgc_stream_send(u->s, m) < 0) {
        u->failed = 1;
        answer_ended(u, err);
        rc = -1;
    }
cleanup:
    if (format)
        *format = saved;
    if (u->field) /* detach our buffer before the message is freed */
        rest_bridge_input_bytes(m, u->field, NULL, 0, err);
    protobuf_c_message_free_unpacked(m, NULL);
    u->first = NULL;
    u->len = 0;
    return rc;
}

int rest_upload_feed(rest_upload *u, const char *data, size_t len, rest_answer *err)
{
    if (u->failed)
        return -1;
    if (!u->field) /* the body was the first message's already */
        return 0;
    while (len > 0) {
        size_t n = REST_UPLOAD_CHUNK - u->len;
        if (n > len)
            n = len;
        memcpy(u->buf + u->len, data, n);
        u->len += n;
        data += n;
        len -= n;
        if (u->len == REST_UPLOAD_CHUNK && send_buffered(u, err) < 0)
            return -1;
    }
    return 0;
}

int rest_upload_set_format(rest_upload *u, const char *format, rest_answer *err)
{
    if (u->failed)
        return -1;
    if (u->format && strcmp(u->format, format) == 0)
        return 0;
    if (u->len && send_buffered(u, err) < 0) /* the bytes of the format before */
        return -1;
    u->format = format;
    return 0;
}

void rest_upload_finish(rest_upload *u, rest_answer *out)
{
    if (u->failed) {
        answer_ended(u, out);
        return;
    }
    if ((u->first || u->len) && send_buffered(u, out) < 0)
        return;
    hgc_stream_close_send(u->s);
    ProtobufCMessage *reply = NULL;
    int got = hgc_stream_recv(u->s, &reply);
    hgc_status st;
    if (hgc_stream_finish(u->s, &st) != GRPC_STATUS_OK) {
        rest_bridge_answer_status(u->b, &st, u->timeout_ms, out);
    } else if (got != 1) {
        rest_answer_error(out, rest_err_local(REST_ERR_INTERNAL), "no reply from %s",
                          u->rt->full_method);
    } else {
        rest_bridge_answer_reply(u->rt, reply, out);
    }
    if (reply)
        protobuf_c_message_free_unpacked(reply, NULL);
}

void rest_upload_free(rest_upload *u)
{
    if (!u)
        return;
    rest_bridge_stream_end(u->b, u->s);
    if (u->first)
        protobuf_c_message_free_unpacked(u->first, NULL);
    free(u->buf);
    free(u);
}
