/* Tests of the JSON <-> protobuf-c converter (pbjson/json_pb.h) reading
 * JSON and text into the hgc messages (rest_json_to_pb, rest_pb_set_text):
 * HugeGraph's create body with its options beside the known keys, the
 * later body and list forms, the same option twice, nulls; every refusal
 * with its sentence (wrong types and ranges, int64 edges, unknown keys,
 * nested paths, too deep); oneofs set by zero and switched; path and
 * query values; no quadratic paths on 100k rows and options.
 * Printing: test_json_pb_print.c; every scalar type on a hand-built
 * descriptor: test_json_pb_types.c.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "json_pb.h"
#include "json_pb_test.h"

/* ---- helpers ---- */

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

Test(oneof, an_object_is_the_map_member)
{
    /* Value's map takes any object, so the service (not the parser) says
     * what it does with one; "a list or a list" was the old description. */
    Hgc__V1__AddVertexRequest *r = (Hgc__V1__AddVertexRequest *)parse_ok(
        &hgc__v1__add_vertex_request__descriptor, "{\"properties\": {\"x\": {\"y\": 1}}}");
    cr_assert_eq(r->n_properties, 1);
    const Hgc__V1__Value *v = r->properties[0]->value;
    cr_assert_eq(v->kind_case, HGC__V1__VALUE__KIND_MAP);
    cr_assert_eq(v->map->n_fields, 1);
    cr_assert_str_eq(v->map->fields[0]->key, "y");
    cr_assert_eq(v->map->fields[0]->value->integer, 1);
    protobuf_c_message_free_unpacked(&r->base, NULL);
    /* The list member's object form is still that. */
    r = (Hgc__V1__AddVertexRequest *)parse_ok(&hgc__v1__add_vertex_request__descriptor,
                                              "{\"properties\": {\"x\": {\"list\": [2]}}}");
    cr_assert_eq(r->properties[0]->value->kind_case, HGC__V1__VALUE__KIND_LIST);
    protobuf_c_message_free_unpacked(&r->base, NULL);
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
