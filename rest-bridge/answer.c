/* answer.c: building answers (see answer.h). Bodies are malloc'd here and
 * handed to libmicrohttpd, which frees them after sending. A reply
 * message is printed straight into its body (one buffer, grown by
 * doubling), no JSON tree in between. */
#include "answer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_pb.h"

void rest_answer_init(rest_answer *a)
{
    memset(a, 0, sizeof *a);
}

void rest_answer_release(rest_answer *a)
{
    free(a->body);
    rest_answer_init(a);
}

static void set_error_text(rest_answer *a, const rest_err_class *cls, const char *text)
{
    rest_answer_release(a);
    a->status = cls->http_status;
    a->content_type = REST_JSON_TYPE;
    a->body = rest_err_body(cls, text, &a->len);
}

void rest_answer_error(rest_answer *a, const rest_err_class *cls, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    set_error_text(a, cls, text);
}

void rest_answer_grpc(rest_answer *a, const hgc_status *st, const char *upstream, int timeout_ms)
{
    const rest_err_class *cls = rest_err_from_status(st->code, st->message);
    if (rest_err_is_storage(st->code, st->message)) {
        set_error_text(a, cls, st->message);
        return;
    }
    switch (st->code) {
    case GRPC_STATUS_UNAVAILABLE:
        rest_answer_error(a, cls, "the job service at %s is not reachable (%s)", upstream,
                          st->message[0] ? st->message : "unavailable");
        break;
    case GRPC_STATUS_DEADLINE_EXCEEDED:
        rest_answer_error(a, cls, "the job service at %s did not answer within %d ms", upstream,
                          timeout_ms);
        break;
    default:
        if (st->message[0])
            set_error_text(a, cls, st->message);
        else
            rest_answer_error(a, cls, "the job service answered %s", hgc_status_name(st->code));
        break;
    }
}

char *rest_json_text(const json_t *j, size_t *len)
{
    char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    if (text && len)
        *len = strlen(text);
    return text;
}

void rest_answer_json(rest_answer *a, int status, json_t *j)
{
    rest_answer_release(a);
    if (status == 204) {
        a->status = 204;
        json_decref(j);
        return;
    }
    char *text = j ? rest_json_text(j, &a->len) : NULL;
    json_decref(j);
    if (!text) {
        rest_answer_error(a, rest_err_local(REST_ERR_INTERNAL), "cannot print the answer as JSON");
        return;
    }
    a->status = status;
    a->content_type = REST_JSON_TYPE;
    a->body = text;
}

void rest_answer_text_error(rest_answer *a, int err, size_t max)
{
    if (err == REST_TEXT_FULL)
        rest_answer_error(a, rest_err_local(REST_ERR_INTERNAL),
                          "the answer is over %zu MiB of JSON; ask for less of it (limit, offset)",
                          max >> 20);
    else
        rest_answer_error(a, rest_err_local(REST_ERR_INTERNAL), "out of memory");
}

void rest_answer_message(rest_answer *a, int status, const ProtobufCMessage *m, const char *field)
{
    rest_answer_release(a);
    if (status == 204) {
        a->status = 204;
        return;
    }
    rest_buf buf;
    rest_buf_init(&buf, REST_ANSWER_MAX);
    int rc = field ? rest_pb_field_to_json_text(&buf, m, field) : rest_pb_to_json_text(&buf, m);
    char *text = rc == 0 ? rest_buf_detach(&buf, &a->len) : NULL;
    rest_buf_release(&buf);
    if (rc == REST_TEXT_NO_FIELD) {
        /* The route table checked the name: a reply without it is a bug. */
        rest_answer_error(a, rest_err_local(REST_ERR_INTERNAL), "the reply %s has no field '%s'",
                          m ? m->descriptor->name : "(none)", field);
        return;
    }
    if (!text) {
        rest_answer_text_error(a, rc ? rc : REST_TEXT_OOM, REST_ANSWER_MAX);
        return;
    }
    a->status = status;
    a->content_type = REST_JSON_TYPE;
    a->body = text;
}
