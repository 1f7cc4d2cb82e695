/* Tests of the JSON <-> protobuf-c converter (pbjson/json_pb.h) printing
 * the hgc messages and descriptor.proto's (rest_pb_to_json): the REST
 * contract's shapes (a task's exact JSON with numbers as numbers, lists
 * empty or of big int64s, result rows with their values bare, oneofs
 * left out or printed, unset messages as null, bytes as base64, bad UTF-8
 * replaced, maps as objects, the list's page absent, null or a token);
 * proto2's has_ flags, enums by name, uint64 above INT64_MAX; every
 * message read back from its own JSON, compared as packed bytes.
 * Reading bodies and refusals: test_json_pb_parse.c.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "google/protobuf/descriptor.pb-c.h"
#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "json_pb.h"
#include "json_pb_test.h"

/* ---- helpers ---- */

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
