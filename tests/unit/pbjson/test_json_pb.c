/* Tests of the JSON <-> protobuf-c converter (pbjson/json_pb.h) on
 * the hgc messages and descriptor.proto's: the REST contract's shapes
 * (a task's exact JSON, result rows, HugeGraph's create body with its
 * options beside the known keys), every refusal with its sentence,
 * oneofs, nulls, maps, round trips compared as packed bytes.
 * Every scalar type on a hand-built descriptor: test_json_pb_types.c.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "google/protobuf/descriptor.pb-c.h"
#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "json_pb.h"

/* ---- helpers ---- */

static json_t *J(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    cr_assert_not_null(j, "bad test JSON %s: %s", text, e.text);
    return j;
}

/* Compact JSON text of m; the caller frees. */
static char *print(const ProtobufCMessage *m)
{
    json_t *j = rest_pb_to_json(m);
    cr_assert_not_null(j);
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return s;
}

static void expect_print(const ProtobufCMessage *m, const char *want)
{
    char *got = print(m);
    cr_assert_str_eq(got, want);
    free(got);
}

static const char *collect_params(const ProtobufCMessageDescriptor *d, void *ud)
{
    (void)ud;
    return d == &hgc__v1__create_job_request__descriptor ? "params" : NULL;
}
static const rest_json_rules hgc_rules = {collect_params, NULL};

static const char *collect_graph(const ProtobufCMessageDescriptor *d, void *ud)
{
    (void)d;
    (void)ud;
    return "graph";
}

/* Parses text into a new message of type d; NULL (and err set) if refused. */
static ProtobufCMessage *parse_as(const ProtobufCMessageDescriptor *d, const char *text,
                                  const rest_json_rules *rules, char err[REST_MSG_MAX])
{
    json_t *j = J(text);
    ProtobufCMessage *m = rest_pb_new(d);
    cr_assert_not_null(m);
    err[0] = '\0';
    int rc = rest_json_to_pb(m, j, rules, err);
    json_decref(j);
    if (rc) {
        cr_assert_eq(rc, -1);
        cr_assert(err[0], "a refusal without a message");
        protobuf_c_message_free_unpacked(m, NULL);
        return NULL;
    }
    return m;
}

static ProtobufCMessage *parse_ok(const ProtobufCMessageDescriptor *d, const char *text)
{
    char err[REST_MSG_MAX];
    ProtobufCMessage *m = parse_as(d, text, &hgc_rules, err);
    cr_assert_not_null(m, "refused %s: %s", text, err);
    return m;
}

static void expect_refused(const ProtobufCMessageDescriptor *d, const char *text, const char *want)
{
    char err[REST_MSG_MAX];
    ProtobufCMessage *m = parse_as(d, text, &hgc_rules, err);
    cr_assert_null(m, "accepted %s", text);
    if (want)
        cr_assert_str_eq(err, want);
}

static int packed_equal(const ProtobufCMessage *a, const ProtobufCMessage *b)
{
    size_t na = protobuf_c_message_get_packed_size(a);
    size_t nb = protobuf_c_message_get_packed_size(b);
    uint8_t *pa = malloc(na + 1), *pb = malloc(nb + 1);
    protobuf_c_message_pack(a, pa);
    protobuf_c_message_pack(b, pb);
    int eq = na == nb && memcmp(pa, pb, na) == 0;
    free(pa);
    free(pb);
    return eq;
}

/* m -> JSON text -> a new message, which must pack to the same bytes. */
static void round_trip(const ProtobufCMessage *m)
{
    char err[REST_MSG_MAX];
    char *text = print(m);
    ProtobufCMessage *back = parse_as(m->descriptor, text, NULL, err);
    cr_assert_not_null(back, "%s refused its own JSON %s: %s", m->descriptor->name, text, err);
    cr_assert(packed_equal(m, back), "round trip of %s changed it: %s", m->descriptor->name, text);
    char *again = print(back);
    cr_assert_str_eq(again, text);
    free(again);
    free(text);
    protobuf_c_message_free_unpacked(back, NULL);
}

/* A message unpacked from the packed bytes of m: what the bridge gets
 * from the service. */
static ProtobufCMessage *repack(const ProtobufCMessage *m)
{
    size_t n = protobuf_c_message_get_packed_size(m);
    uint8_t *buf = malloc(n + 1);
    protobuf_c_message_pack(m, buf);
    ProtobufCMessage *u = protobuf_c_message_unpack(m->descriptor, NULL, n, buf);
    free(buf);
    cr_assert_not_null(u);
    return u;
}

/* ---- printing ---- */

Test(print, task_has_every_field_numbers_as_numbers)
{
    Hgc__V1__Task t = HGC__V1__TASK__INIT;
    t.id = 7;
    t.task_type = (char *)"computer-proxy";
    t.task_name = (char *)"computer-proxy:page-rank";
    t.task_status = (char *)"running";
    t.task_create = 1700000000000;
    t.task_update = 1700000000123;
    t.task_server = (char *)"server-1";
    t.task_input = (char *)"{\"alpha\":0.85}";
    expect_print(&t.base,
                 "{\"id\":7,\"task_type\":\"computer-proxy\",\"task_name\":"
                 "\"computer-proxy:page-rank\",\"task_status\":\"running\",\"task_progress\":0,"
                 "\"task_create\":1700000000000,\"task_update\":1700000000123,"
                 "\"task_retries\":0,\"task_server\":\"server-1\",\"task_input\":"
                 "\"{\\\"alpha\\\":0.85}\",\"task_result\":\"\"}");
    round_trip(&t.base);

    /* All zero: still eleven keys. */
    Hgc__V1__Task z = HGC__V1__TASK__INIT;
    json_t *j = rest_pb_to_json(&z.base);
    cr_assert_eq(json_object_size(j), 11);
    cr_assert(json_is_integer(json_object_get(j, "task_progress")));
    cr_assert_eq(json_integer_value(json_object_get(j, "id")), 0);
    cr_assert_str_eq(json_string_value(json_object_get(j, "task_result")), "");
    json_decref(j);
}

Test(print, list_of_summaries_and_big_int64)
{
    Hgc__V1__TaskSummary a = HGC__V1__TASK_SUMMARY__INIT, b = HGC__V1__TASK_SUMMARY__INIT;
    Hgc__V1__TaskSummary *tasks[] = {&a, &b};
    Hgc__V1__ListJobsResponse r = HGC__V1__LIST_JOBS_RESPONSE__INIT;
    a.id = 1;
    a.task_status = (char *)"success";
    a.task_progress = 100;
    b.id = INT64_MAX;
    b.task_create = INT64_MIN;
    r.n_tasks = 2;
    r.tasks = tasks;
    json_t *j = rest_pb_to_json(&r.base);
    json_t *arr = json_object_get(j, "tasks");
    cr_assert_eq(json_array_size(arr), 2);
    /* A nested message with nine fields stays an object. */
    cr_assert(json_is_object(json_array_get(arr, 0)));
    cr_assert_eq(json_object_size(json_array_get(arr, 0)), 9);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(arr, 1), "id")), INT64_MAX);
    cr_assert_null(json_object_get(j, "page"), "an unset oneof member is not printed");
    json_decref(j);
    round_trip(&r.base);

    /* Empty list: [] not null. */
    Hgc__V1__ListJobsResponse e = HGC__V1__LIST_JOBS_RESPONSE__INIT;
    expect_print(&e.base, "{\"tasks\":[]}");
}

Test(print, result_rows_print_their_values_bare)
{
    Hgc__V1__VertexId id1 = HGC__V1__VERTEX_ID__INIT, id2 = HGC__V1__VERTEX_ID__INIT;
    Hgc__V1__Value v1 = HGC__V1__VALUE__INIT, v2 = HGC__V1__VALUE__INIT;
    Hgc__V1__Value v3 = HGC__V1__VALUE__INIT, l1 = HGC__V1__VALUE__INIT, l2 = HGC__V1__VALUE__INIT;
    Hgc__V1__Value *items[] = {&l1, &l2};
    Hgc__V1__ValueList list = HGC__V1__VALUE_LIST__INIT;
    Hgc__V1__ResultRow r1 = HGC__V1__RESULT_ROW__INIT, r2 = HGC__V1__RESULT_ROW__INIT;
    Hgc__V1__ResultRow r3 = HGC__V1__RESULT_ROW__INIT, r4 = HGC__V1__RESULT_ROW__INIT;
    Hgc__V1__ResultRow *rows[] = {&r1, &r2, &r3, &r4};
    Hgc__V1__ResultPage p = HGC__V1__RESULT_PAGE__INIT;

    id1.kind_case = HGC__V1__VERTEX_ID__KIND_NUM;
    id1.num = 7;
    id2.kind_case = HGC__V1__VERTEX_ID__KIND_STR;
    id2.str = (char *)"marko";
    v1.kind_case = HGC__V1__VALUE__KIND_NUMBER;
    v1.number = 0.25;
    v2.kind_case = HGC__V1__VALUE__KIND_INTEGER;
    v2.integer = 3;
    l1.kind_case = HGC__V1__VALUE__KIND_TEXT;
    l1.text = (char *)"a";
    l2.kind_case = HGC__V1__VALUE__KIND_BOOLEAN;
    l2.boolean = 1;
    list.n_items = 2;
    list.items = items;
    v3.kind_case = HGC__V1__VALUE__KIND_LIST;
    v3.list = &list;
    r1.id = &id1;
    r1.value = &v1;
    r2.id = &id2;
    r2.value = &v2;
    r3.id = &id1;
    r3.value = &v3;
    /* r4: nothing set -> nulls. */
    p.task_id = 9;
    p.algorithm = (char *)"page-rank";
    p.property = (char *)"r";
    p.total = 4;
    p.n_rows = 4;
    p.rows = rows;
    expect_print(&p.base,
                 "{\"task_id\":9,\"algorithm\":\"page-rank\",\"property\":\"r\",\"total\":4,"
                 "\"rows\":[{\"id\":7,\"value\":0.25},{\"id\":\"marko\",\"value\":3},"
                 "{\"id\":7,\"value\":[\"a\",true]},{\"id\":null,\"value\":null}]}");
    /* r4 has no sub-messages, so it reads back the same. */
    round_trip(&p.base);

    /* A whole double stays a double: 2.0 -> number, 2 -> integer. */
    char err[REST_MSG_MAX];
    Hgc__V1__ResultRow *row = (Hgc__V1__ResultRow *)parse_as(
        &hgc__v1__result_row__descriptor, "{\"id\":\"7\",\"value\":2.0}", NULL, err);
    cr_assert_not_null(row, "%s", err);
    cr_assert_eq(row->id->kind_case, HGC__V1__VERTEX_ID__KIND_STR);
    cr_assert_str_eq(row->id->str, "7");
    cr_assert_eq(row->value->kind_case, HGC__V1__VALUE__KIND_NUMBER);
    cr_assert_eq(row->value->number, 2.0);
    protobuf_c_message_free_unpacked(&row->base, NULL);

    row = (Hgc__V1__ResultRow *)parse_as(&hgc__v1__result_row__descriptor,
                                         "{\"id\":7.0,\"value\":[1,[2.5,\"x\"],false]}", NULL, err);
    cr_assert_not_null(row, "%s", err);
    cr_assert_eq(row->id->kind_case, HGC__V1__VERTEX_ID__KIND_NUM);
    cr_assert_eq(row->id->num, 7);
    cr_assert_eq(row->value->kind_case, HGC__V1__VALUE__KIND_LIST);
    cr_assert_eq(row->value->list->n_items, 3);
    cr_assert_eq(row->value->list->items[0]->kind_case, HGC__V1__VALUE__KIND_INTEGER);
    cr_assert_eq(row->value->list->items[1]->list->items[0]->number, 2.5);
    cr_assert_str_eq(row->value->list->items[1]->list->items[1]->text, "x");
    cr_assert_eq(row->value->list->items[2]->kind_case, HGC__V1__VALUE__KIND_BOOLEAN);
    /* The object form is taken too. */
    protobuf_c_message_free_unpacked(&row->base, NULL);
    row = (Hgc__V1__ResultRow *)parse_as(&hgc__v1__result_row__descriptor,
                                         "{\"id\":{\"str\":\"x\"},\"value\":{\"integer\":\"5\"}}",
                                         NULL, err);
    cr_assert_not_null(row, "%s", err);
    cr_assert_str_eq(row->id->str, "x");
    cr_assert_eq(row->value->kind_case, HGC__V1__VALUE__KIND_INTEGER);
    cr_assert_eq(row->value->integer, 5);
    protobuf_c_message_free_unpacked(&row->base, NULL);
}

Test(print, unset_oneof_is_left_out_set_one_is_printed)
{
    Hgc__V1__UpdateJobStatusRequest u = HGC__V1__UPDATE_JOB_STATUS_REQUEST__INIT;
    u.graph = (char *)"g";
    u.task_id = 3;
    expect_print(&u.base, "{\"graph\":\"g\",\"task_id\":3,\"status\":\"\",\"message\":\"\","
                          "\"attempt\":0}");
    u.progress_present_case = HGC__V1__UPDATE_JOB_STATUS_REQUEST__PROGRESS_PRESENT_PROGRESS;
    u.progress = 0;
    expect_print(&u.base, "{\"graph\":\"g\",\"task_id\":3,\"status\":\"\",\"progress\":0,"
                          "\"message\":\"\",\"attempt\":0}");
    round_trip(&u.base);
}

Test(print, unset_message_is_null_bytes_are_base64)
{
    Hgc__V1__LoadEdgesResponse r = HGC__V1__LOAD_EDGES_RESPONSE__INIT;
    expect_print(&r.base, "{\"graph\":null,\"edges_loaded\":0,\"vertices_added\":0}");
    round_trip(&r.base);

    Hgc__V1__EdgeBatch b = HGC__V1__EDGE_BATCH__INIT;
    b.text.data = (uint8_t *)"1 2\n";
    b.text.len = 4;
    expect_print(&b.base, "{\"graph\":\"\",\"edges\":[],\"text\":\"MSAyCg==\",\"format\":\"\"}");
    round_trip(&b.base);
    for (size_t len = 0; len <= 5; len++) {
        static uint8_t bin[] = {0x00, 0xff, 0xfe, 0x80, 0x3f};
        b.text.data = bin;
        b.text.len = len;
        round_trip(&b.base);
    }
}

Test(print, bad_utf8_is_replaced_not_fatal)
{
    Hgc__V1__JobReply r = HGC__V1__JOB_REPLY__INIT;
    r.message = (char *)"ok\xff\xc3";
    expect_print(&r.base, "{\"task_id\":0,\"message\":\"ok\xef\xbf\xbd\xef\xbf\xbd\"}");
}

Test(print, map_is_an_object)
{
    Hgc__V1__CreateJobRequest__ParamsEntry e1 = HGC__V1__CREATE_JOB_REQUEST__PARAMS_ENTRY__INIT;
    Hgc__V1__CreateJobRequest__ParamsEntry e2 = HGC__V1__CREATE_JOB_REQUEST__PARAMS_ENTRY__INIT;
    Hgc__V1__CreateJobRequest__ParamsEntry *es[] = {&e1, &e2};
    Hgc__V1__CreateJobRequest c = HGC__V1__CREATE_JOB_REQUEST__INIT;
    char *alg[] = {(char *)"pagerank", (char *)"wcc"};
    e1.key = (char *)"page_rank.alpha";
    e1.value = (char *)"0.15";
    e2.key = (char *)"bsp.max_super_step";
    e2.value = (char *)"20";
    c.graph = (char *)"hugegraph";
    c.worker_instances_present_case =
        HGC__V1__CREATE_JOB_REQUEST__WORKER_INSTANCES_PRESENT_WORKER_INSTANCES;
    c.worker_instances = 2;
    c.n_internal_algorithm = 2;
    c.internal_algorithm = alg;
    c.n_params = 2;
    c.params = es;
    expect_print(&c.base,
                 "{\"graph\":\"hugegraph\",\"algorithm\":\"\",\"worker_instances\":2,"
                 "\"internal_algorithm\":[\"pagerank\",\"wcc\"],\"params_class\":\"\","
                 "\"params\":{\"page_rank.alpha\":\"0.15\",\"bsp.max_super_step\":\"20\"}}");
    round_trip(&c.base);
    ProtobufCMessage *u = repack(&c.base);
    round_trip(u);
    protobuf_c_message_free_unpacked(u, NULL);
}

/* ---- descriptor.proto: proto2, enums, has_ flags, uint64, bytes ---- */

Test(proto2, descriptor_messages_round_trip)
{
    Google__Protobuf__FieldOptions fo = GOOGLE__PROTOBUF__FIELD_OPTIONS__INIT;
    Google__Protobuf__FieldDescriptorProto fd = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__INIT;
    fd.name = (char *)"worker_instances";
    fd.has_number = 1;
    fd.number = -3;
    fd.has_label = 1;
    fd.label = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_REPEATED;
    fd.has_type = 1;
    fd.type = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_SINT64;
    fd.json_name = (char *)""; /* set, and empty: not the same as unset */
    fo.has_packed = 1;
    fo.packed = 0;
    fo.has_jstype = 1;
    fo.jstype = GOOGLE__PROTOBUF__FIELD_OPTIONS__JSTYPE__JS_STRING;
    fd.options = &fo;
    round_trip(&fd.base);

    json_t *j = rest_pb_to_json(&fd.base);
    cr_assert_str_eq(json_string_value(json_object_get(j, "label")), "LABEL_REPEATED");
    cr_assert_str_eq(json_string_value(json_object_get(j, "type")), "TYPE_SINT64");
    cr_assert(json_is_null(json_object_get(j, "type_name"))); /* unset proto2 */
    cr_assert(json_is_null(json_object_get(j, "oneof_index")));
    cr_assert_str_eq(json_string_value(json_object_get(j, "json_name")), "");
    cr_assert(json_is_false(json_object_get(json_object_get(j, "options"), "packed")));
    json_decref(j);

    /* Unpacked (every string malloc'd) works the same. */
    ProtobufCMessage *u = repack(&fd.base);
    round_trip(u);
    protobuf_c_message_free_unpacked(u, NULL);
}

Test(proto2, uninterpreted_option_uint64_int64_double_bytes)
{
    Google__Protobuf__UninterpretedOption__NamePart np =
        GOOGLE__PROTOBUF__UNINTERPRETED_OPTION__NAME_PART__INIT;
    Google__Protobuf__UninterpretedOption__NamePart *nps[] = {&np};
    Google__Protobuf__UninterpretedOption o = GOOGLE__PROTOBUF__UNINTERPRETED_OPTION__INIT;
    np.name_part = (char *)"hgc.v1.json_collect_unknown";
    np.is_extension = 1;
    o.n_name = 1;
    o.name = nps;
    o.has_positive_int_value = 1;
    o.positive_int_value = UINT64_MAX;
    o.has_negative_int_value = 1;
    o.negative_int_value = INT64_MIN;
    o.has_double_value = 1;
    o.double_value = 0.1;
    o.has_string_value = 1;
    o.string_value.data = (uint8_t *)"\x00\x01\xfe\xff";
    o.string_value.len = 4;
    o.aggregate_value = (char *)"x: 1";
    round_trip(&o.base);

    json_t *j = rest_pb_to_json(&o.base);
    /* Above INT64_MAX jansson has no integer: exact text. */
    cr_assert_str_eq(json_string_value(json_object_get(j, "positive_int_value")),
                     "18446744073709551615");
    cr_assert_eq(json_integer_value(json_object_get(j, "negative_int_value")), INT64_MIN);
    cr_assert_str_eq(json_string_value(json_object_get(j, "string_value")), "AAH+/w==");
    /* NamePart has two fields: an object even when nested. */
    cr_assert(json_is_object(json_array_get(json_object_get(j, "name"), 0)));
    json_decref(j);

    o.positive_int_value = 5;
    o.has_double_value = 0;
    j = rest_pb_to_json(&o.base);
    cr_assert_eq(json_integer_value(json_object_get(j, "positive_int_value")), 5);
    cr_assert(json_is_null(json_object_get(j, "double_value")));
    json_decref(j);
    round_trip(&o.base);

    o.has_double_value = 1;
    o.double_value = NAN;
    j = rest_pb_to_json(&o.base);
    cr_assert(json_is_null(json_object_get(j, "double_value")));
    json_decref(j);
}

Test(proto2, file_options_bools_enum_defaults)
{
    Google__Protobuf__FileOptions fo = GOOGLE__PROTOBUF__FILE_OPTIONS__INIT;
    round_trip(&fo.base); /* nothing set: all null, still nothing set */
    fo.has_java_multiple_files = 1;
    fo.java_multiple_files = 1;
    fo.has_cc_enable_arenas = 1;
    fo.cc_enable_arenas = 0;
    fo.has_optimize_for = 1;
    fo.optimize_for = GOOGLE__PROTOBUF__FILE_OPTIONS__OPTIMIZE_MODE__LITE_RUNTIME;
    fo.java_package = (char *)"org.apache.hugegraph";
    round_trip(&fo.base);

    char err[REST_MSG_MAX];
    Google__Protobuf__FileOptions *p = (Google__Protobuf__FileOptions *)parse_as(
        &google__protobuf__file_options__descriptor,
        "{\"java_multiple_files\":\"true\",\"cc_enable_arenas\":\"false\","
        "\"optimize_for\":\"code_size\",\"deprecated\":false}",
        NULL, err);
    cr_assert_not_null(p, "%s", err);
    cr_assert(p->has_java_multiple_files && p->java_multiple_files);
    cr_assert(p->has_cc_enable_arenas && !p->cc_enable_arenas);
    cr_assert(p->has_optimize_for);
    cr_assert_eq(p->optimize_for, GOOGLE__PROTOBUF__FILE_OPTIONS__OPTIMIZE_MODE__CODE_SIZE);
    cr_assert(p->has_deprecated && !p->deprecated);
    cr_assert(!p->has_py_generic_services);
    protobuf_c_message_free_unpacked(&p->base, NULL);

    /* Enum by number too; unknown names are refused with the list. */
    p = (Google__Protobuf__FileOptions *)parse_as(&google__protobuf__file_options__descriptor,
                                                  "{\"optimize_for\":2}", NULL, err);
    cr_assert_not_null(p, "%s", err);
    cr_assert_eq(p->optimize_for, GOOGLE__PROTOBUF__FILE_OPTIONS__OPTIMIZE_MODE__CODE_SIZE);
    protobuf_c_message_free_unpacked(&p->base, NULL);
    cr_assert_null(parse_as(&google__protobuf__file_options__descriptor,
                            "{\"optimize_for\":\"FAST\"}", NULL, err));
    cr_assert_str_eq(err, "field 'optimize_for' must be one of SPEED, CODE_SIZE, LITE_RUNTIME, "
                          "got \"FAST\"");
    cr_assert_null(
        parse_as(&google__protobuf__file_options__descriptor, "{\"optimize_for\":7}", NULL, err));
    cr_assert_null(parse_as(&google__protobuf__file_options__descriptor,
                            "{\"java_multiple_files\":1}", NULL, err));
    cr_assert_str_eq(err, "field 'java_multiple_files' must be true or false, got 1");
    cr_assert_null(parse_as(&google__protobuf__file_options__descriptor,
                            "{\"java_multiple_files\":\"yes\"}", NULL, err));
}

/* ---- HugeGraph's create body ---- */

Test(create, documented_body_with_options_beside_known_keys)
{
    Hgc__V1__CreateJobRequest *c = (Hgc__V1__CreateJobRequest *)parse_ok(
        &hgc__v1__create_job_request__descriptor,
        "{\"worker_instances\": \"2\", \"internal_algorithm\": \"[pagerank]\","
        " \"params_class\": \"com.baidu.hugegraph.computer.algorithm.rank.pagerank."
        "PageRankParams\", \"page_rank.alpha\": 0.15, \"bsp.max_super_step\": 20,"
        " \"output.output_property_name\": \"r\", \"flag\": true,"
        " \"params\": {\"page_rank.l1DiffThreshold\": \"0.00001\", \"k\": 3}}");
    cr_assert_eq(c->worker_instances, 2);
    cr_assert_eq(c->n_internal_algorithm, 1);
    cr_assert_str_eq(c->internal_algorithm[0], "[pagerank]");
    cr_assert_str_eq(c->params_class,
                     "com.baidu.hugegraph.computer.algorithm.rank.pagerank.PageRankParams");
    cr_assert_str_eq(c->graph, "");
    const char *want[][2] = {{"page_rank.alpha", "0.15"},
                             {"bsp.max_super_step", "20"},
                             {"output.output_property_name", "r"},
                             {"flag", "true"},
                             {"page_rank.l1DiffThreshold", "0.00001"},
                             {"k", "3"}};
    cr_assert_eq(c->n_params, 6);
    for (size_t i = 0; i < 6; i++) {
        cr_assert_str_eq(c->params[i]->key, want[i][0]);
        cr_assert_str_eq(c->params[i]->value, want[i][1]);
    }
    protobuf_c_message_free_unpacked(&c->base, NULL);
}

Test(create, later_body_and_list_forms)
{
    Hgc__V1__CreateJobRequest *c = (Hgc__V1__CreateJobRequest *)parse_ok(
        &hgc__v1__create_job_request__descriptor,
        "{\"algorithm\":\"page-rank\",\"worker\":2,\"params\":{\"page_rank.alpha\":\"0.85\"},"
        "\"internal_algorithm\":[\"pagerank\",\"wcc\"],\"worker_instances\":1e0}");
    cr_assert_str_eq(c->algorithm, "page-rank");
    cr_assert_eq(c->worker, 2);
    cr_assert_eq(c->worker_instances, 1);
    cr_assert_eq(c->n_internal_algorithm, 2);
    cr_assert_str_eq(c->internal_algorithm[1], "wcc");
    cr_assert_eq(c->n_params, 1);
    cr_assert_str_eq(c->params[0]->value, "0.85");
    protobuf_c_message_free_unpacked(&c->base, NULL);

    c = (Hgc__V1__CreateJobRequest *)parse_ok(&hgc__v1__create_job_request__descriptor,
                                              "{\"internal_algorithm\":\"pagerank\"}");
    cr_assert_eq(c->n_internal_algorithm, 1);
    cr_assert_str_eq(c->internal_algorithm[0], "pagerank");
    protobuf_c_message_free_unpacked(&c->base, NULL);
}

Test(create, same_option_twice_last_wins)
{
    Hgc__V1__CreateJobRequest *c = (Hgc__V1__CreateJobRequest *)parse_ok(
        &hgc__v1__create_job_request__descriptor,
        "{\"a\":\"1\",\"b\":2,\"params\":{\"a\":\"3\",\"c\":4},\"c\":5}");
    cr_assert_eq(c->n_params, 3);
    for (size_t i = 0; i < c->n_params; i++) {
        const char *k = c->params[i]->key, *v = c->params[i]->value;
        if (strcmp(k, "a") == 0)
            cr_assert_str_eq(v, "3");
        else if (strcmp(k, "b") == 0)
            cr_assert_str_eq(v, "2");
        else
            cr_assert_str_eq(v, "5");
    }
    /* Merging a second body into the same message: the map stays a map. */
    json_t *j = J("{\"b\":\"7\",\"params\":{\"d\":\"8\"}}");
    char err[REST_MSG_MAX];
    cr_assert_eq(rest_json_to_pb(&c->base, j, &hgc_rules, err), 0, "%s", err);
    json_decref(j);
    cr_assert_eq(c->n_params, 4);
    json_t *out = rest_pb_to_json(&c->base);
    json_t *params = json_object_get(out, "params");
    cr_assert_eq(json_object_size(params), 4);
    cr_assert_str_eq(json_string_value(json_object_get(params, "b")), "7");
    json_decref(out);
    protobuf_c_message_free_unpacked(&c->base, NULL);
}

Test(create, nulls_leave_fields_unset)
{
    Hgc__V1__CreateJobRequest *c = (Hgc__V1__CreateJobRequest *)parse_ok(
        &hgc__v1__create_job_request__descriptor,
        "{\"graph\":null,\"worker_instances\":null,\"internal_algorithm\":null,"
        "\"params\":null,\"opt\":null,\"params_class\":\"x\"}");
    Hgc__V1__CreateJobRequest empty = HGC__V1__CREATE_JOB_REQUEST__INIT;
    empty.params_class = (char *)"x";
    cr_assert(packed_equal(&c->base, &empty.base));
    protobuf_c_message_free_unpacked(&c->base, NULL);

    Hgc__V1__ResultRow *r = (Hgc__V1__ResultRow *)parse_ok(&hgc__v1__result_row__descriptor,
                                                           "{\"id\":null,\"value\":null}");
    cr_assert_null(r->id);
    cr_assert_null(r->value);
    protobuf_c_message_free_unpacked(&r->base, NULL);
}

/* ---- refusals ---- */

Test(refuse, wrong_types_and_ranges_say_which_field)
{
    const ProtobufCMessageDescriptor *cj = &hgc__v1__create_job_request__descriptor;
    expect_refused(cj, "{\"worker_instances\":\"abc\"}",
                   "field 'worker_instances' must be a whole number from -2147483648 to "
                   "2147483647, got \"abc\"");
    expect_refused(cj, "{\"worker_instances\":\"2147483648\"}",
                   "field 'worker_instances' must be a whole number from -2147483648 to "
                   "2147483647, got \"2147483648\"");
    expect_refused(cj, "{\"worker_instances\":2147483648}", NULL);
    expect_refused(cj, "{\"worker_instances\":-2147483649}", NULL);
    expect_refused(cj, "{\"worker_instances\":2.5}",
                   "field 'worker_instances' must be a whole number from -2147483648 to "
                   "2147483647, got 2.5");
    expect_refused(cj, "{\"worker_instances\":\"2.5\"}", NULL);
    expect_refused(cj, "{\"worker_instances\":\"\"}", NULL);
    expect_refused(cj, "{\"worker_instances\":\" 2\"}", NULL);
    expect_refused(cj, "{\"worker_instances\":\"0x10\"}", NULL);
    expect_refused(cj, "{\"worker_instances\":true}",
                   "field 'worker_instances' must be a whole number from -2147483648 to "
                   "2147483647, got true");
    expect_refused(cj, "{\"worker_instances\":[1]}", NULL);
    expect_refused(cj, "{\"worker_instances\":{}}",
                   "field 'worker_instances' must be a whole number from -2147483648 to "
                   "2147483647, got an object");
    expect_refused(cj, "{\"graph\":{\"a\":1}}", "field 'graph' must be a string, got an object");
    expect_refused(cj, "{\"graph\":[\"a\"]}", "field 'graph' must be a string, got an array");
    expect_refused(cj, "{\"graph\":\"a\\u0000b\"}",
                   "field 'graph' must be text without NUL characters, got \"a\"");
    expect_refused(cj, "{\"params\":\"x\"}", "field 'params' must be an object, got \"x\"");
    expect_refused(cj, "{\"params\":{\"x\":{}}}",
                   "field 'params.x' must be a string, got an object");
    expect_refused(cj, "{\"page_rank.alpha\":[0.1]}",
                   "field 'page_rank.alpha' must be a string, got an array");
    expect_refused(cj, "{\"internal_algorithm\":[\"a\",null]}",
                   "field 'internal_algorithm[1]' must be a string, got null");
    expect_refused(cj, "{\"internal_algorithm\":[\"a\",{}]}",
                   "field 'internal_algorithm[1]' must be a string, got an object");

    /* Accepted edges of the same ranges. */
    Hgc__V1__CreateJobRequest *c = (Hgc__V1__CreateJobRequest *)parse_ok(
        cj, "{\"worker_instances\":\"-2147483648\",\"worker\":\"+2147483647\"}");
    cr_assert_eq(c->worker_instances, INT32_MIN);
    cr_assert_eq(c->worker, INT32_MAX);
    protobuf_c_message_free_unpacked(&c->base, NULL);
    c = (Hgc__V1__CreateJobRequest *)parse_ok(cj, "{\"worker_instances\":1e9,\"worker\":\"2e3\"}");
    cr_assert_eq(c->worker_instances, 1000000000);
    cr_assert_eq(c->worker, 2000);
    protobuf_c_message_free_unpacked(&c->base, NULL);
}

Test(refuse, int64_edges)
{
    const ProtobufCMessageDescriptor *gj = &hgc__v1__get_job_request__descriptor;
    Hgc__V1__GetJobRequest *g =
        (Hgc__V1__GetJobRequest *)parse_ok(gj, "{\"task_id\":\"9223372036854775807\"}");
    cr_assert_eq(g->task_id, INT64_MAX);
    protobuf_c_message_free_unpacked(&g->base, NULL);
    g = (Hgc__V1__GetJobRequest *)parse_ok(gj, "{\"task_id\":\"-9223372036854775808\"}");
    cr_assert_eq(g->task_id, INT64_MIN);
    protobuf_c_message_free_unpacked(&g->base, NULL);
    g = (Hgc__V1__GetJobRequest *)parse_ok(gj, "{\"task_id\":-9223372036854775808}");
    cr_assert_eq(g->task_id, INT64_MIN);
    protobuf_c_message_free_unpacked(&g->base, NULL);
    expect_refused(gj, "{\"task_id\":\"9223372036854775808\"}",
                   "field 'task_id' must be a whole number from -9223372036854775808 to "
                   "9223372036854775807, got \"9223372036854775808\"");
    expect_refused(gj, "{\"task_id\":\"-9223372036854775809\"}", NULL);
    expect_refused(gj, "{\"task_id\":\"99999999999999999999999\"}", NULL);
    expect_refused(gj, "{\"task_id\":9.3e18}", NULL);
    expect_refused(gj, "{\"task_id\":\"9223372036854775808.0\"}", NULL);
}

Test(refuse, body_not_an_object_and_unknown_keys)
{
    char err[REST_MSG_MAX];
    const char *bodies[][2] = {{"[1,2]", "the body must be a JSON object, got an array"},
                               {"\"x\"", "the body must be a JSON object, got \"x\""},
                               {"7", "the body must be a JSON object, got 7"},
                               {"null", "the body must be a JSON object, got null"}};
    for (size_t i = 0; i < 4; i++) {
        json_t *j = J(bodies[i][0]);
        Hgc__V1__GetJobRequest g = HGC__V1__GET_JOB_REQUEST__INIT;
        cr_assert_eq(rest_json_to_pb(&g.base, j, NULL, err), -1);
        cr_assert_str_eq(err, bodies[i][1]);
        json_decref(j);
    }
    /* No collector for this message (or no rules at all): refused. */
    cr_assert_null(parse_as(&hgc__v1__create_job_request__descriptor, "{\"foo\":1}", NULL, err));
    cr_assert_str_eq(err, "unknown field 'foo'; CreateJobRequest has: graph, algorithm, "
                          "worker_instances, internal_algorithm, params_class, params, worker");
    expect_refused(&hgc__v1__update_job_status_request__descriptor, "{\"state\":\"RUNNING\"}",
                   "unknown field 'state'; UpdateJobStatusRequest has: graph, task_id, status, "
                   "progress, message, attempt");
    /* A collector that names no map<string, ...> is no collector. */
    rest_json_rules bad = {collect_graph, NULL};
    cr_assert_null(parse_as(&hgc__v1__create_job_request__descriptor, "{\"foo\":1}", &bad, err));
    cr_assert(strncmp(err, "unknown field 'foo'", 19) == 0, "%s", err);
}

Test(refuse, nested_paths)
{
    const ProtobufCMessageDescriptor *eb = &hgc__v1__edge_batch__descriptor;
    expect_refused(eb,
                   "{\"edges\":[{\"src\":1,\"dst\":2},{\"src\":1,\"dst\":2},{\"src\":1,\"dst\":2},"
                   "{\"src\":[1],\"dst\":2}]}",
                   "field 'edges[3].src' must be a whole number from -9223372036854775808 to "
                   "9223372036854775807 or a string, got an array");
    expect_refused(eb, "{\"edges\":[{\"src\":1,\"dst\":2,\"w\":1}]}",
                   "unknown field 'edges[0].w'; Edge has: src, dst, weight");
    expect_refused(eb, "{\"edges\":[{\"src\":1,\"dst\":2,\"weight\":\"heavy\"}]}",
                   "field 'edges[0].weight' must be a number, got \"heavy\"");
    expect_refused(eb, "{\"edges\":{\"src\":1,\"dst\":{\"x\":1}}}",
                   "field 'edges.dst' must be a whole number from -9223372036854775808 to "
                   "9223372036854775807 or a string, got an object");
    expect_refused(eb, "{\"edges\":[1]}", "field 'edges[0]' must be an object, got 1");
    expect_refused(eb, "{\"text\":\"***\"}", "field 'text' must be base64 text, got \"***\"");
    expect_refused(eb, "{\"text\":\"QQ=\"}", NULL);
    expect_refused(eb, "{\"text\":\"Q\"}", NULL);
    expect_refused(eb, "{\"text\":\"QQ==QQ==\"}", NULL);
    expect_refused(eb, "{\"text\":5}", "field 'text' must be base64 text, got 5");

    /* A single edge for a list of them; an edge with weight 0 sets it. */
    Hgc__V1__EdgeBatch *b = (Hgc__V1__EdgeBatch *)parse_ok(
        eb, "{\"graph\":\"g\",\"edges\":{\"src\":\"a\",\"dst\":2,\"weight\":0},"
            "\"text\":\"MSAy\"}");
    cr_assert_eq(b->n_edges, 1);
    cr_assert_str_eq(b->edges[0]->src->str, "a");
    cr_assert_eq(b->edges[0]->dst->num, 2);
    cr_assert_eq(b->edges[0]->weight_present_case, HGC__V1__EDGE__WEIGHT_PRESENT_WEIGHT);
    cr_assert_eq(b->text.len, 3);
    cr_assert(memcmp(b->text.data, "1 2", 3) == 0);
    protobuf_c_message_free_unpacked(&b->base, NULL);
    /* URL-safe alphabet and missing padding are read too. */
    b = (Hgc__V1__EdgeBatch *)parse_ok(eb, "{\"text\":\"_-8\"}");
    cr_assert_eq(b->text.len, 2);
    cr_assert_eq(b->text.data[0], 0xff);
    cr_assert_eq(b->text.data[1], 0xef);
    protobuf_c_message_free_unpacked(&b->base, NULL);
}

Test(refuse, too_deep)
{
    char text[600] = "{\"value\":";
    for (int i = 0; i < 100; i++)
        strcat(text, "[");
    for (int i = 0; i < 100; i++)
        strcat(text, "]");
    strcat(text, "}");
    char err[REST_MSG_MAX];
    cr_assert_null(parse_as(&hgc__v1__result_row__descriptor, text, NULL, err));
    cr_assert(strstr(err, "nested more than 64 deep"), "%s", err);
}

/* ---- oneofs ---- */

Test(oneof, progress_zero_sets_the_case)
{
    const ProtobufCMessageDescriptor *ud = &hgc__v1__update_job_status_request__descriptor;
    Hgc__V1__UpdateJobStatusRequest *u =
        (Hgc__V1__UpdateJobStatusRequest *)parse_ok(ud, "{\"status\":\"RUNNING\",\"progress\":0}");
    cr_assert_eq(u->progress_present_case,
                 HGC__V1__UPDATE_JOB_STATUS_REQUEST__PROGRESS_PRESENT_PROGRESS);
    cr_assert_eq(u->progress, 0);
    cr_assert_str_eq(u->status, "RUNNING");
    protobuf_c_message_free_unpacked(&u->base, NULL);

    u = (Hgc__V1__UpdateJobStatusRequest *)parse_ok(ud, "{\"status\":\"RUNNING\"}");
    cr_assert_eq(u->progress_present_case,
                 HGC__V1__UPDATE_JOB_STATUS_REQUEST__PROGRESS_PRESENT__NOT_SET);
    protobuf_c_message_free_unpacked(&u->base, NULL);

    u = (Hgc__V1__UpdateJobStatusRequest *)parse_ok(ud, "{\"progress\":null}");
    cr_assert_eq(u->progress_present_case,
                 HGC__V1__UPDATE_JOB_STATUS_REQUEST__PROGRESS_PRESENT__NOT_SET);
    protobuf_c_message_free_unpacked(&u->base, NULL);

    u = (Hgc__V1__UpdateJobStatusRequest *)parse_ok(ud, "{\"progress\":\"55\"}");
    cr_assert_eq(u->progress, 55);
    protobuf_c_message_free_unpacked(&u->base, NULL);
}

Test(oneof, switching_members_frees_the_old_one)
{
    Hgc__V1__Value *v = (Hgc__V1__Value *)rest_pb_new(&hgc__v1__value__descriptor);
    char err[REST_MSG_MAX];
    const char *bodies[] = {"{\"text\":\"abc\"}", "{\"list\":[1,\"x\",[2]]}", "{\"text\":\"d\"}",
                            "{\"number\":1.5}",   "{\"list\":[\"y\"]}",       "{\"list\":[\"z\"]}"};
    for (size_t i = 0; i < 6; i++) {
        json_t *j = J(bodies[i]);
        cr_assert_eq(rest_json_to_pb(&v->base, j, NULL, err), 0, "%s", err);
        json_decref(j);
    }
    /* Merging into a set list appends, as protobuf merges. */
    cr_assert_eq(v->kind_case, HGC__V1__VALUE__KIND_LIST);
    cr_assert_eq(v->list->n_items, 2);
    cr_assert_str_eq(v->list->items[1]->text, "z");
    cr_assert_eq(rest_pb_set_text(&v->base, "text", "t", err), 0, "%s", err);
    cr_assert_eq(v->kind_case, HGC__V1__VALUE__KIND_TEXT);
    cr_assert_eq(rest_pb_set_text(&v->base, "integer", "-4", err), 0, "%s", err);
    cr_assert_eq(v->integer, -4);
    protobuf_c_message_free_unpacked(&v->base, NULL); /* ASan: nothing leaked */
}

/* ---- rest_pb_set_text on hgc messages ---- */

Test(set_text, path_and_query_values)
{
    char err[REST_MSG_MAX];
    Hgc__V1__ListJobsRequest *l =
        (Hgc__V1__ListJobsRequest *)rest_pb_new(&hgc__v1__list_jobs_request__descriptor);
    cr_assert_eq(rest_pb_set_text(&l->base, "graph", "hugegraph", err), 0);
    cr_assert_eq(rest_pb_set_text(&l->base, "graph", "other", err), 0); /* no leak */
    cr_assert_eq(rest_pb_set_text(&l->base, "limit", "-1", err), 0);
    cr_assert_eq(rest_pb_set_text(&l->base, "status", "RUNNING", err), 0);
    cr_assert_str_eq(l->graph, "other");
    cr_assert_eq(l->limit, -1);
    cr_assert_str_eq(l->status, "RUNNING");
    cr_assert_eq(rest_pb_set_text(&l->base, "limit", "ten", err), -1);
    cr_assert_str_eq(err, "field 'limit' must be a whole number from -9223372036854775808 to "
                          "9223372036854775807, got \"ten\"");
    cr_assert_eq(rest_pb_set_text(&l->base, "limits", "1", err), -2);
    cr_assert_eq(rest_pb_set_text(&l->base, "graph", "bad\xff", err), -1);
    protobuf_c_message_free_unpacked(&l->base, NULL);

    Hgc__V1__CreateJobRequest *c =
        (Hgc__V1__CreateJobRequest *)rest_pb_new(&hgc__v1__create_job_request__descriptor);
    cr_assert_eq(rest_pb_set_text(&c->base, "internal_algorithm", "a", err), 0);
    cr_assert_eq(rest_pb_set_text(&c->base, "internal_algorithm", "b", err), 0);
    cr_assert_eq(c->n_internal_algorithm, 2);
    cr_assert_str_eq(c->internal_algorithm[1], "b");
    cr_assert_eq(rest_pb_set_text(&c->base, "params", "a=b", err), -1);
    cr_assert_eq(rest_pb_set_text(&c->base, "worker_instances", "3", err), 0);
    cr_assert_eq(c->worker_instances, 3);
    protobuf_c_message_free_unpacked(&c->base, NULL);

    /* A union from text: numbers first, then the string. */
    Hgc__V1__ResultRow *r = (Hgc__V1__ResultRow *)rest_pb_new(&hgc__v1__result_row__descriptor);
    cr_assert_eq(rest_pb_set_text(&r->base, "id", "7", err), 0, "%s", err);
    cr_assert_eq(r->id->kind_case, HGC__V1__VERTEX_ID__KIND_NUM);
    cr_assert_eq(r->id->num, 7);
    cr_assert_eq(rest_pb_set_text(&r->base, "id", "marko", err), 0, "%s", err);
    cr_assert_eq(r->id->kind_case, HGC__V1__VERTEX_ID__KIND_STR);
    cr_assert_str_eq(r->id->str, "marko");
    cr_assert_eq(rest_pb_set_text(&r->base, "value", "true", err), 0, "%s", err);
    cr_assert_eq(r->value->kind_case, HGC__V1__VALUE__KIND_BOOLEAN);
    protobuf_c_message_free_unpacked(&r->base, NULL);

    Hgc__V1__LoadEdgesResponse *le =
        (Hgc__V1__LoadEdgesResponse *)rest_pb_new(&hgc__v1__load_edges_response__descriptor);
    cr_assert_eq(rest_pb_set_text(&le->base, "graph", "g", err), -1);
    cr_assert_str_eq(err, "field 'graph' must be an object, got \"g\"");
    protobuf_c_message_free_unpacked(&le->base, NULL);
}

/* ---- size: no quadratic paths ---- */

Test(size, many_rows_and_many_options)
{
    enum { N = 100000 };
    json_t *rows = json_array();
    for (int i = 0; i < N; i++)
        json_array_append_new(rows,
                              json_pack("{s:I,s:f}", "id", (json_int_t)i, "value", i / 1024.0));
    json_t *page = json_pack("{s:I,s:o}", "task_id", (json_int_t)1, "rows", rows);
    json_t *body = json_object();
    for (int i = 0; i < N; i++) {
        char k[32];
        snprintf(k, sizeof k, "opt.%d", i);
        json_object_set_new(body, k, json_integer(i));
    }
    json_object_set_new(body, "params", json_pack("{s:s}", "opt.5", "five"));

    clock_t t0 = clock();
    char err[REST_MSG_MAX];
    ProtobufCMessage *p = rest_pb_new(&hgc__v1__result_page__descriptor);
    cr_assert_eq(rest_json_to_pb(p, page, NULL, err), 0, "%s", err);
    json_t *back = rest_pb_to_json(p);
    cr_assert(json_equal(json_object_get(back, "rows"), rows));
    Hgc__V1__CreateJobRequest *c =
        (Hgc__V1__CreateJobRequest *)rest_pb_new(&hgc__v1__create_job_request__descriptor);
    cr_assert_eq(rest_json_to_pb(&c->base, body, &hgc_rules, err), 0, "%s", err);
    cr_assert_eq(c->n_params, N);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    /* Linear work is well under a second even under ASan; quadratic
     * would be minutes. */
    cr_assert_lt(secs, 10.0, "took %.2f s", secs);
    for (size_t i = 0; i < c->n_params; i++)
        if (strcmp(c->params[i]->key, "opt.5") == 0)
            cr_assert_str_eq(c->params[i]->value, "five");
    json_decref(back);
    json_decref(page);
    json_decref(body);
    protobuf_c_message_free_unpacked(p, NULL);
    protobuf_c_message_free_unpacked(&c->base, NULL);
}

/* The list's `page`: absent unless asked (an unset oneof member), then a
 * token or null (google.protobuf.Value with NullValue). */
Test(json_pb, list_page_presence_and_null)
{
    Hgc__V1__ListJobsResponse r = HGC__V1__LIST_JOBS_RESPONSE__INIT;
    json_t *j = rest_pb_to_json(&r.base);
    cr_assert_not_null(j);
    cr_expect_null(json_object_get(j, "page"));
    cr_expect_eq(json_object_size(j), 1);
    json_decref(j);

    Google__Protobuf__Value v = GOOGLE__PROTOBUF__VALUE__INIT;
    v.kind_case = GOOGLE__PROTOBUF__VALUE__KIND_NULL_VALUE;
    r.page_present_case = HGC__V1__LIST_JOBS_RESPONSE__PAGE_PRESENT_PAGE;
    r.page = &v;
    j = rest_pb_to_json(&r.base);
    cr_expect(json_is_null(json_object_get(j, "page")), "null at the end");
    cr_expect_eq(json_object_size(j), 2);
    json_decref(j);

    v.kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE;
    v.string_value = (char *)"p5";
    j = rest_pb_to_json(&r.base);
    cr_expect_str_eq(json_string_value(json_object_get(j, "page")), "p5");
    json_decref(j);

    /* ?page= (empty) marks the request as paging. */
    ProtobufCMessage *m = rest_pb_new(&hgc__v1__list_jobs_request__descriptor);
    char err[REST_MSG_MAX];
    cr_assert_eq(rest_pb_set_text(m, "page", "", err), 0, "%s", err);
    cr_expect_eq(((Hgc__V1__ListJobsRequest *)m)->page_present_case,
                 HGC__V1__LIST_JOBS_REQUEST__PAGE_PRESENT_PAGE);
    protobuf_c_message_free_unpacked(m, NULL);
}
