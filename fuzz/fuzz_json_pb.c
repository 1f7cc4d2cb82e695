/* fuzz_json_pb.c: the REST bridge's JSON <-> protobuf converter
 * (pbjson/json_pb.h).
 *
 * The input is a request body: parsed with jansson as the bridge parses
 * bodies; an object is merged into CreateJobRequest (unknown keys into its
 * "params" collector, as the route table says), UpdateJobStatusRequest and
 * a few richer messages (nested unions, bytes, repeated messages), and
 * every accepted message is printed back. The input is also given as text
 * to rest_pb_set_text, as a path variable or query parameter would be.
 *
 * Checks beyond ASan/UBSan/LeakSanitizer, each an abort() (a finding):
 *   - a refusal has a message (json_pb.h: every refusal says why);
 *   - a non-object body is refused;
 *   - every accepted message round-trips: what was printed parses back
 *     and prints the same (json_pb.h: parsing is the inverse of printing;
 *     a printed union member, 5 or 5.0, comes back as the same member).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "json_pb.h"

static const char *collector(const ProtobufCMessageDescriptor *d, void *ud)
{
    (void)ud;
    return d == &hgc__v1__create_job_request__descriptor ? "params" : NULL;
}

static const rest_json_rules rules = {collector, NULL};

static void fail(const ProtobufCMessageDescriptor *d, const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_json_pb: %s: %s%s%s\n", d->name, what, detail ? ": " : "",
            detail ? detail : "");
    abort();
}

static ProtobufCMessage *new_message(const ProtobufCMessageDescriptor *d)
{
    ProtobufCMessage *m = rest_pb_new(d);
    if (!m)
        fail(d, "out of memory", NULL);
    return m;
}

static void check_refusal(const ProtobufCMessageDescriptor *d, int rc, const char err[REST_MSG_MAX])
{
    if (rc == 0)
        return;
    if (!memchr(err, '\0', REST_MSG_MAX) || err[0] == '\0')
        fail(d, "refused without a message", NULL);
}

/* Prints m; the bridge then serializes the object, so do that too. */
static json_t *print(const ProtobufCMessage *m)
{
    json_t *j = rest_pb_to_json(m);
    if (!j || !json_is_object(j))
        fail(m->descriptor, "printing gave no object", NULL);
    char *s = json_dumps(j, JSON_COMPACT);
    if (!s)
        fail(m->descriptor, "the printed JSON does not serialize", NULL);
    free(s);
    return j;
}

static void round_trip(const ProtobufCMessageDescriptor *d, const json_t *printed)
{
    char err[REST_MSG_MAX] = "";
    ProtobufCMessage *m = new_message(d);
    if (rest_json_to_pb(m, printed, &rules, err) != 0) {
        char *s = json_dumps(printed, JSON_COMPACT);
        fprintf(stderr, "printed: %s\n", s ? s : "?");
        fail(d, "its own printing does not parse back", err);
    }
    json_t *again = print(m);
    if (!json_equal(printed, again)) {
        char *a = json_dumps(printed, JSON_COMPACT), *b = json_dumps(again, JSON_COMPACT);
        fprintf(stderr, "first:  %s\nsecond: %s\n", a ? a : "?", b ? b : "?");
        fail(d, "printing, parsing and printing again changed the JSON", NULL);
    }
    json_decref(again);
    protobuf_c_message_free_unpacked(m, NULL);
}

static void convert(const ProtobufCMessageDescriptor *d, const json_t *body)
{
    char err[REST_MSG_MAX] = "";
    ProtobufCMessage *m = new_message(d);
    int rc = rest_json_to_pb(m, body, &rules, err);
    check_refusal(d, rc, err);
    if (rc == 0 && !json_is_object(body))
        fail(d, "accepted a body that is not an object", NULL);
    if (rc == 0) {
        json_t *printed = print(m);
        round_trip(d, printed);
        json_decref(printed);
    }
    protobuf_c_message_free_unpacked(m, NULL); /* also when half-filled */
}

/* Fields set from text: each kind of scalar, a list, a map (refused), a
 * message, a oneof member and a name no message has (-2). */
static const struct {
    const ProtobufCMessageDescriptor *d;
    const char *field;
} text_fields[] = {
    {&hgc__v1__create_job_request__descriptor, "graph"},
    {&hgc__v1__create_job_request__descriptor, "worker_instances"},
    {&hgc__v1__create_job_request__descriptor, "internal_algorithm"},
    {&hgc__v1__create_job_request__descriptor, "params"},
    {&hgc__v1__update_job_status_request__descriptor, "task_id"},
    {&hgc__v1__update_job_status_request__descriptor, "status"},
    {&hgc__v1__update_job_status_request__descriptor, "progress"},
    {&hgc__v1__list_jobs_request__descriptor, "limit"},
    {&hgc__v1__graph__descriptor, "weighted"},
    {&hgc__v1__edge_batch__descriptor, "text"},
    {&hgc__v1__edge_batch__descriptor, "edges"},
    {&hgc__v1__edge__descriptor, "src"},
    {&hgc__v1__edge__descriptor, "weight"},
    {&hgc__v1__edge__descriptor, "no_such_field"},
};

static void set_texts(const char *text)
{
    for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
        const ProtobufCMessageDescriptor *d = text_fields[i].d;
        char err[REST_MSG_MAX] = "";
        ProtobufCMessage *m = new_message(d);
        int rc = rest_pb_set_text(m, text_fields[i].field, text, err);
        int known =
            protobuf_c_message_descriptor_get_field_by_name(d, text_fields[i].field) != NULL;
        if (!known && rc != -2)
            fail(d, "an unknown field did not give -2", text_fields[i].field);
        if (known && rc == -2)
            fail(d, "a known field gave -2", text_fields[i].field);
        check_refusal(d, rc, err);
        /* Twice: a repeated field appends, a scalar is replaced. */
        if (rc == 0) {
            rc = rest_pb_set_text(m, text_fields[i].field, text, err);
            check_refusal(d, rc, err);
            json_t *printed = print(m);
            round_trip(d, printed);
            json_decref(printed);
        }
        protobuf_c_message_free_unpacked(m, NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t je;
    json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
    if (body) {
        convert(&hgc__v1__create_job_request__descriptor, body);
        convert(&hgc__v1__update_job_status_request__descriptor, body);
        if (json_is_object(body)) {
            convert(&hgc__v1__edge_batch__descriptor, body);
            convert(&hgc__v1__result_page__descriptor, body);
            convert(&hgc__v1__task__descriptor, body);
            convert(&hgc__v1__list_graphs_response__descriptor, body);
        }
        json_decref(body);
    }

    /* The input as text: up to its first NUL, as a C string arrives. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    set_texts(text);
    free(text);
    return 0;
}
