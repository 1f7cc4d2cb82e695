/* The converter stores what was sent or refuses it, naming the field
 * (issue 8, item 5): no id made out of a boolean or a fraction, no label
 * out of a number, no whole number rounded through a double, no property
 * dropped for being null, no " 2" or "1e-999" taken for a number.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "json_pb.h"

static const char *collect_params(const ProtobufCMessageDescriptor *d, void *ud)
{
    (void)ud;
    return d == &hgc__v1__create_job_request__descriptor ? "params" : NULL;
}
static const rest_json_rules hgc_rules = {collect_params, NULL};

/* Parses text as d; NULL with err when refused. */
static ProtobufCMessage *parse(const ProtobufCMessageDescriptor *d, const char *text,
                               char err[REST_MSG_MAX])
{
    json_error_t e;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &e);
    cr_assert_not_null(j, "bad test JSON %s: %s", text, e.text);
    ProtobufCMessage *m = rest_pb_new(d);
    err[0] = '\0';
    int rc = rest_json_to_pb(m, j, &hgc_rules, err);
    json_decref(j);
    if (rc) {
        cr_assert(err[0], "a refusal without a message");
        protobuf_c_message_free_unpacked(m, NULL);
        return NULL;
    }
    return m;
}

static Hgc__V1__AddVertexRequest *vertex(const char *text, char err[REST_MSG_MAX])
{
    return (Hgc__V1__AddVertexRequest *)parse(&hgc__v1__add_vertex_request__descriptor, text, err);
}

/* Refused, and the message starts with "field '<field>'". */
static void refused(const ProtobufCMessageDescriptor *d, const char *text, const char *field)
{
    char err[REST_MSG_MAX], want[128];
    ProtobufCMessage *m = parse(d, text, err);
    cr_assert_null(m, "accepted %s", text);
    snprintf(want, sizeof want, "field '%s'", field);
    cr_assert(strncmp(err, want, strlen(want)) == 0, "%s: the message names no %s: %s", text, want,
              err);
}

Test(exact, ids_are_whole_numbers_or_strings)
{
    const char *bad[] = {"{\"id\": true}",
                         "{\"id\": false}",
                         "{\"id\": 1.5}",
                         "{\"id\": 1e300}",
                         "{\"id\": 9007199254740993.0}",
                         "{\"id\": -1e19}",
                         "{\"id\": [1]}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(&hgc__v1__add_vertex_request__descriptor, bad[i], "id");

    char err[REST_MSG_MAX];
    cr_assert_null(vertex("{\"id\": 9007199254740993.0}", err));
    cr_assert(strstr(err, "2^53"), "the message says why: %s", err);

    /* Written as an integer, the same number is exact. */
    Hgc__V1__AddVertexRequest *v = vertex("{\"id\": 9007199254740993}", err);
    cr_assert_not_null(v, "%s", err);
    cr_assert_eq(v->id->kind_case, HGC__V1__VERTEX_ID__KIND_NUM);
    cr_assert_eq(v->id->num, 9007199254740993LL);
    protobuf_c_message_free_unpacked(&v->base, NULL);

    /* As text, too: worked out in decimal, not through a double. */
    v = vertex("{\"id\": 7.0}", err);
    cr_assert_not_null(v, "%s", err);
    cr_assert_eq(v->id->num, 7);
    protobuf_c_message_free_unpacked(&v->base, NULL);
    v = vertex("{\"id\": \"marko\"}", err);
    cr_assert_not_null(v, "%s", err);
    cr_assert_str_eq(v->id->str, "marko");
    protobuf_c_message_free_unpacked(&v->base, NULL);

    /* Edge ends are ids the same way. */
    refused(&hgc__v1__add_edge_request__descriptor, "{\"outV\": true, \"inV\": 2}", "outV");
    refused(&hgc__v1__add_edge_request__descriptor, "{\"outV\": 1, \"inV\": 2.5}", "inV");
}

Test(exact, integer_text_is_worked_out_in_decimal)
{
    char err[REST_MSG_MAX];
    Hgc__V1__ListJobsRequest *r = (Hgc__V1__ListJobsRequest *)parse(
        &hgc__v1__list_jobs_request__descriptor, "{\"limit\": \"9007199254740993.0\"}", err);
    cr_assert_not_null(r, "%s", err);
    cr_assert_eq(r->limit, 9007199254740993LL);
    protobuf_c_message_free_unpacked(&r->base, NULL);
    r = (Hgc__V1__ListJobsRequest *)parse(&hgc__v1__list_jobs_request__descriptor,
                                          "{\"limit\": \"12e2\"}", err);
    cr_assert_not_null(r, "%s", err);
    cr_assert_eq(r->limit, 1200);
    protobuf_c_message_free_unpacked(&r->base, NULL);

    const char *bad[] = {"{\"limit\": \"1e-999\"}", "{\"limit\": \"1.5\"}",
                         "{\"limit\": \" 2\"}",     "{\"limit\": \"2 \"}",
                         "{\"limit\": 1e16}",       "{\"limit\": \"1e19\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(&hgc__v1__list_jobs_request__descriptor, bad[i], "limit");
}

Test(exact, labels_and_other_strings_take_strings_only)
{
    refused(&hgc__v1__add_vertex_request__descriptor, "{\"label\": 5}", "label");
    refused(&hgc__v1__add_vertex_request__descriptor, "{\"label\": true}", "label");
    refused(&hgc__v1__add_edge_request__descriptor, "{\"outV\": 1, \"inV\": 2, \"outVLabel\": 1.5}",
            "outVLabel");
    refused(&hgc__v1__create_job_request__descriptor, "{\"params_class\": 7}", "params_class");

    /* Option values are text in the .proto, and HugeGraph's bodies send
     * them as numbers: those stay as their text. */
    char err[REST_MSG_MAX];
    Hgc__V1__CreateJobRequest *c = (Hgc__V1__CreateJobRequest *)parse(
        &hgc__v1__create_job_request__descriptor,
        "{\"bsp.max_super_step\": 20, \"params\": {\"page_rank.alpha\": 0.15}}", err);
    cr_assert_not_null(c, "%s", err);
    cr_assert_eq(c->n_params, 2);
    for (size_t i = 0; i < c->n_params; i++)
        cr_assert_str_eq(c->params[i]->value,
                         strcmp(c->params[i]->key, "bsp.max_super_step") ? "0.15" : "20");
    protobuf_c_message_free_unpacked(&c->base, NULL);
}

Test(exact, a_null_property_is_refused_not_dropped)
{
    refused(&hgc__v1__add_vertex_request__descriptor,
            "{\"id\": 1, \"properties\": {\"name\": \"marko\", \"age\": null}}", "properties.age");
    refused(&hgc__v1__add_edge_request__descriptor,
            "{\"outV\": 1, \"inV\": 2, \"properties\": {\"w\": null}}", "properties.w");
    refused(&hgc__v1__add_vertices_request__descriptor,
            "{\"vertices\": [{\"id\": 1}, {\"id\": 2, \"properties\": {\"x\": null}}]}",
            "vertices[1].properties.x");

    /* null for a whole field still means "not given". */
    char err[REST_MSG_MAX];
    Hgc__V1__AddVertexRequest *v =
        vertex("{\"id\": null, \"label\": null, \"properties\": {}}", err);
    cr_assert_not_null(v, "%s", err);
    cr_assert_null(v->id);
    cr_assert_eq(v->n_properties, 0);
    protobuf_c_message_free_unpacked(&v->base, NULL);
}

Test(exact, worker_instances_keeps_an_explicit_zero)
{
    const char *zeros[] = {"0", "\"0\"", "-0", "0.0", "1e-999"};
    char err[REST_MSG_MAX], text[96];
    for (size_t i = 0; i < sizeof zeros / sizeof zeros[0]; i++) {
        snprintf(text, sizeof text, "{\"worker_instances\": %s}", zeros[i]);
        Hgc__V1__CreateJobRequest *c =
            (Hgc__V1__CreateJobRequest *)parse(&hgc__v1__create_job_request__descriptor, text, err);
        if (c == NULL) /* refused here is fine too, as long as it names the field */
            continue;
        cr_assert_eq(c->worker_instances_present_case,
                     HGC__V1__CREATE_JOB_REQUEST__WORKER_INSTANCES_PRESENT_WORKER_INSTANCES,
                     "%s: an explicit zero must reach the service as given", text);
        cr_assert_eq(c->worker_instances, 0);
        protobuf_c_message_free_unpacked(&c->base, NULL);
    }
    Hgc__V1__CreateJobRequest *c =
        (Hgc__V1__CreateJobRequest *)parse(&hgc__v1__create_job_request__descriptor, "{}", err);
    cr_assert_eq(c->worker_instances_present_case,
                 HGC__V1__CREATE_JOB_REQUEST__WORKER_INSTANCES_PRESENT__NOT_SET);
    cr_assert_eq(c->worker_present_case, HGC__V1__CREATE_JOB_REQUEST__WORKER_PRESENT__NOT_SET);
    protobuf_c_message_free_unpacked(&c->base, NULL);
    refused(&hgc__v1__create_job_request__descriptor, "{\"worker_instances\": \" 2\"}",
            "worker_instances");
}
