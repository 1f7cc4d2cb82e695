/* test_openapi.c: the OpenAPI document of the real route table: every
 * contract route with its status, parameters and bodies, schemas that
 * follow json_pb.h's printing rules, and no dangling $ref. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "hgc_descriptors.h"
#include "routes.h"

static rest_routes *routes;
static json_t *doc;

static void setup(void)
{
    const ProtobufCServiceDescriptor *const services[] = {&hgc__v1__job_service__descriptor,
                                                          &hgc__v1__graph_service__descriptor};
    char msg[REST_MSG_MAX] = "";
    cr_assert_eq(
        rest_routes_new(&routes, hgc_descriptor_set, hgc_descriptor_set_len, services, 2, msg), 0,
        "%s", msg);
    doc = rest_routes_openapi(routes);
    cr_assert_not_null(doc);
}

static void teardown(void)
{
    json_decref(doc);
    rest_routes_free(routes);
}

TestSuite(openapi, .init = setup, .fini = teardown);

#define CD "/graphs/{graph}/jobs/computerdis"
#define GV "/graphs/{graph}/graph/vertices"
#define GE "/graphs/{graph}/graph/edges"

static const struct {
    const char *verb, *path, *status, *mime; /* mime of the success body, NULL for none */
    const char *operation_id;
} ops[] = {
    {"post", CD "/{algorithm}", "201", "application/json", "JobService.CreateJob"},
    {"post", CD, "201", "application/json", "JobService.CreateJob.2"},
    {"get", CD, "201", "application/json", "JobService.ListJobs"},
    {"get", CD "/{task_id}", "200", "application/json", "JobService.GetJob"},
    {"put", CD "/{task_id}", "204", NULL, "JobService.CancelJob"},
    {"delete", CD "/{task_id}", "200", "application/json", "JobService.DeleteJob"},
    {"get", CD "/update/{task_id}", "200", "application/json", "JobService.UpdateJobStatus"},
    {"put", CD "/update/{task_id}", "200", "application/json", "JobService.UpdateJobStatus.2"},
    {"get", CD "/{task_id}/watch", "200", "application/x-ndjson", "JobService.WatchJob"},
    {"get", CD "/{task_id}/result", "200", "application/json", "JobService.ReadResult"},
    {"get", "/graphs", "200", "application/json", "GraphService.ListGraphs"},
    {"get", "/graphs/{name}", "200", "application/json", "GraphService.GetGraph"},
    {"post", "/graphs/{name}", "201", "application/json", "GraphService.CreateGraph"},
    {"delete", "/graphs/{name}", "204", NULL, "GraphService.DropGraph"},
    {"post", "/graphs/{graph}/edges", "201", "application/json", "GraphService.LoadEdges"},
    {"post", GV "/batch", "201", "application/json", "GraphService.AddVertexBatch"},
    {"post", GE "/batch", "201", "application/json", "GraphService.AddEdgeBatch"},
    {"post", GV, "201", "application/json", "GraphService.AddVertex"},
    {"post", GE, "201", "application/json", "GraphService.AddEdge"},
    {"get", GV "/{id}", "200", "application/json", "GraphService.GetVertex"},
    {"get", GE, "200", "application/json", "GraphService.ListEdges"},
};
#define N_OPS (sizeof ops / sizeof ops[0])

static json_t *op(const char *verb, const char *path)
{
    json_t *o = json_object_get(json_object_get(json_object_get(doc, "paths"), path), verb);
    cr_assert_not_null(o, "no %s %s", verb, path);
    return o;
}

static json_t *schema(const char *name)
{
    json_t *s =
        json_object_get(json_object_get(json_object_get(doc, "components"), "schemas"), name);
    cr_assert_not_null(s, "no component %s", name);
    return s;
}

static const char *str(json_t *v, const char *key)
{
    return json_string_value(json_object_get(v, key));
}

/* The application/json schema of an operation's answer `status`. */
static json_t *body_schema(const char *verb, const char *path, const char *status)
{
    json_t *ok = json_object_get(json_object_get(op(verb, path), "responses"), status);
    return json_object_get(json_object_get(json_object_get(ok, "content"), "application/json"),
                           "schema");
}

/* The parameter `name` of an operation, or NULL. */
static json_t *param(json_t *o, const char *name)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(o, "parameters"), i,
                       p) if (!strcmp(str(p, "name"), name)) return p;
    return NULL;
}

Test(openapi, is_valid_json_with_the_header)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    json_error_t err;
    json_t *back;
    cr_assert_not_null(text);
    back = json_loads(text, 0, &err);
    cr_assert_not_null(back, "%s", err.text);
    cr_expect(json_equal(back, doc));
    cr_expect_str_eq(str(doc, "openapi"), "3.0.3");
    cr_expect_str_eq(str(json_object_get(doc, "info"), "title"), "hgc");
    cr_expect_not_null(str(json_object_get(doc, "info"), "version"));
    json_decref(back);
    free(text);
}

Test(openapi, every_route_with_its_status)
{
    size_t n = 0;
    const char *path, *verb;
    json_t *item, *o;
    for (size_t i = 0; i < N_OPS; i++) {
        json_t *resp = json_object_get(op(ops[i].verb, ops[i].path), "responses");
        json_t *ok = json_object_get(resp, ops[i].status);
        json_t *def = json_object_get(resp, "default");
        cr_expect_str_eq(str(op(ops[i].verb, ops[i].path), "operationId"), ops[i].operation_id);
        cr_assert_not_null(ok, "%s %s: no %s", ops[i].verb, ops[i].path, ops[i].status);
        cr_expect_eq(json_object_size(resp), 2, "%s %s", ops[i].verb, ops[i].path);
        cr_expect_not_null(str(ok, "description"));
        if (ops[i].mime) {
            cr_expect_not_null(
                json_object_get(json_object_get(json_object_get(ok, "content"), ops[i].mime),
                                "schema"),
                "%s %s: no %s", ops[i].verb, ops[i].path, ops[i].mime);
        } else {
            cr_expect_null(json_object_get(ok, "content"), "%s %s has a body on 204", ops[i].verb,
                           ops[i].path);
        }
        cr_expect_str_eq(
            str(json_object_get(
                    json_object_get(json_object_get(def, "content"), "application/json"), "schema"),
                "$ref"),
            "#/components/schemas/HugeGraphError");
    }
    /* Nothing else, and operationIds are unique. */
    json_object_foreach(json_object_get(doc, "paths"), path, item)
        json_object_foreach(item, verb, o)
    {
        n++;
        for (size_t i = 0; i < N_OPS; i++)
            if (strcmp(ops[i].operation_id, str(o, "operationId")) == 0)
                cr_expect(!strcmp(ops[i].verb, verb) && !strcmp(ops[i].path, path),
                          "%s used by %s %s", str(o, "operationId"), verb, path);
    }
    cr_expect_eq(n, N_OPS);
}

Test(openapi, parameters)
{
    json_t *get = op("get", CD "/{task_id}"), *p;
    p = param(get, "task_id");
    cr_assert_not_null(p);
    cr_expect_str_eq(str(p, "in"), "path");
    cr_expect(json_is_true(json_object_get(p, "required")));
    cr_expect_str_eq(str(json_object_get(p, "schema"), "type"), "integer");
    cr_expect_str_eq(str(json_object_get(p, "schema"), "format"), "int64");
    cr_expect_str_eq(str(param(get, "graph"), "in"), "path");
    cr_expect_eq(json_array_size(json_object_get(get, "parameters")), 2);
    cr_expect_null(json_object_get(get, "requestBody"));

    get = op("get", CD);
    cr_expect_str_eq(str(param(get, "graph"), "in"), "path");
    cr_expect_str_eq(str(param(get, "limit"), "in"), "query");
    cr_expect_str_eq(str(json_object_get(param(get, "limit"), "schema"), "type"), "integer");
    cr_expect_str_eq(str(param(get, "status"), "in"), "query");
    cr_expect_str_eq(str(param(get, "page"), "in"), "query");
    cr_expect_eq(json_array_size(json_object_get(get, "parameters")), 4);

    /* The contract's ?status= on update. */
    cr_expect_str_eq(str(param(op("get", CD "/update/{task_id}"), "status"), "in"), "query");
    /* LoadEdges: the body field is no query parameter, and lists of
     * messages never are; its format is. */
    p = op("post", "/graphs/{graph}/edges");
    cr_expect_null(param(p, "text"));
    cr_expect_null(param(p, "edges"));
    cr_expect_str_eq(str(param(p, "format"), "in"), "query");
    cr_expect_eq(json_array_size(json_object_get(p, "parameters")), 2);

    /* HugeGraph's guard on drop. */
    p = op("delete", "/graphs/{name}");
    cr_expect_str_eq(str(param(p, "confirm_message"), "in"), "query");
    cr_expect_eq(json_array_size(json_object_get(p, "parameters")), 2);

    /* A VertexId is set from text: a path variable and a query parameter. */
    p = param(op("get", GV "/{id}"), "id");
    cr_assert_not_null(p);
    cr_expect_str_eq(str(p, "in"), "path");
    cr_expect_str_eq(str(json_object_get(p, "schema"), "$ref"),
                     "#/components/schemas/hgc.v1.VertexId");
    p = op("get", GE);
    cr_expect_str_eq(str(param(p, "vertex_id"), "in"), "query");
    cr_expect_str_eq(str(json_object_get(param(p, "vertex_id"), "schema"), "$ref"),
                     "#/components/schemas/hgc.v1.VertexId");
    cr_expect_str_eq(str(param(p, "direction"), "in"), "query");
    cr_expect_str_eq(str(param(p, "label"), "in"), "query");
    cr_expect_str_eq(str(param(p, "limit"), "in"), "query");
    cr_expect_eq(json_array_size(json_object_get(p, "parameters")), 5);

    /* A batch: the body field and the message list are no query parameters. */
    p = op("post", GV "/batch");
    cr_expect_null(param(p, "vertices"));
    cr_expect_eq(json_array_size(json_object_get(p, "parameters")), 1);
    /* AddVertex's map is in the body only. */
    p = op("post", GV);
    cr_expect_null(param(p, "properties"));
    cr_expect_str_eq(str(param(p, "label"), "in"), "query");
}

Test(openapi, every_path_variable_is_a_path_parameter)
{
    const char *path, *verb;
    json_t *item, *o;
    json_object_foreach(json_object_get(doc, "paths"), path, item) json_object_foreach(
        item, verb, o) for (const char *b = strchr(path, '{'); b; b = strchr(b + 1, '{'))
    {
        char name[64];
        size_t n = (size_t)(strchr(b, '}') - b - 1);
        json_t *p;
        memcpy(name, b + 1, n);
        name[n] = '\0';
        p = param(o, name);
        cr_expect_not_null(p, "%s %s: no parameter %s", verb, path, name);
        if (p)
            cr_expect_str_eq(str(p, "in"), "path");
    }
}

Test(openapi, request_bodies)
{
    json_t *c =
        json_object_get(json_object_get(op("post", CD "/{algorithm}"), "requestBody"), "content");
    cr_expect_str_eq(str(json_object_get(json_object_get(c, "application/json"), "schema"), "$ref"),
                     "#/components/schemas/hgc.v1.CreateJobRequest");
    c = json_object_get(json_object_get(op("post", "/graphs/{graph}/edges"), "requestBody"),
                        "content");
    cr_expect_not_null(json_object_get(c, "text/plain"));
    cr_expect_not_null(json_object_get(c, "application/x-ndjson"));
    json_t *form = json_object_get(json_object_get(c, "multipart/form-data"), "schema");
    cr_assert_not_null(form, "the Graphalytics form");
    cr_expect_str_eq(str(json_object_get(json_object_get(form, "properties"), "v"), "format"),
                     "binary");
    cr_expect_null(json_object_get(c, "application/json"));
    cr_expect_null(json_object_get(op("get", "/graphs/{name}"), "requestBody"));
    cr_expect_null(json_object_get(op("put", CD "/{task_id}"), "requestBody"));
    cr_expect_null(json_object_get(op("get", GV "/{id}"), "requestBody"));
}

/* A body that is one repeated field is a JSON array of its messages; an
 * answer with response_body is that field's schema (HugeGraph's batches). */
Test(openapi, batches_are_arrays_both_ways)
{
    static const struct {
        const char *path, *item, *answer_item_ref, *answer_item_type;
    } batch[] = {
        {GV "/batch", "hgc.v1.Vertex", "#/components/schemas/hgc.v1.VertexId", NULL},
        {GE "/batch", "hgc.v1.GraphEdge", NULL, "string"},
    };
    for (size_t i = 0; i < 2; i++) {
        json_t *c =
            json_object_get(json_object_get(op("post", batch[i].path), "requestBody"), "content");
        json_t *s = json_object_get(json_object_get(c, "application/json"), "schema");
        char ref[128];
        cr_expect_null(json_object_get(c, "text/plain"));
        cr_assert_not_null(s, "%s: no JSON body", batch[i].path);
        cr_expect_str_eq(str(s, "type"), "array");
        snprintf(ref, sizeof ref, "#/components/schemas/%s", batch[i].item);
        cr_expect_str_eq(str(json_object_get(s, "items"), "$ref"), ref);

        s = body_schema("post", batch[i].path, "201");
        cr_assert_not_null(s);
        cr_expect_str_eq(str(s, "type"), "array", "%s", batch[i].path);
        if (batch[i].answer_item_ref)
            cr_expect_str_eq(str(json_object_get(s, "items"), "$ref"), batch[i].answer_item_ref);
        else
            cr_expect_str_eq(str(json_object_get(s, "items"), "type"), batch[i].answer_item_type);
    }
    /* One vertex: an object both ways, HugeGraph's shape. */
    json_t *v = schema("hgc.v1.Vertex"), *props = json_object_get(v, "properties");
    cr_expect_str_eq(str(body_schema("post", GV, "201"), "$ref"),
                     "#/components/schemas/hgc.v1.Vertex");
    cr_expect_str_eq(str(json_object_get(props, "id"), "$ref"),
                     "#/components/schemas/hgc.v1.VertexId");
    cr_expect_str_eq(str(json_object_get(props, "properties"), "type"), "object");
    cr_expect_str_eq(
        str(json_object_get(json_object_get(props, "properties"), "additionalProperties"), "$ref"),
        "#/components/schemas/hgc.v1.Value");
    props = json_object_get(schema("hgc.v1.GraphEdge"), "properties");
    cr_expect_not_null(json_object_get(props, "outV"));
    cr_expect_not_null(json_object_get(props, "inVLabel"));
    /* {"edges": [...]}: one field, but an answer, so an object inline. */
    v = body_schema("get", GE, "200");
    cr_expect_str_eq(str(v, "type"), "object");
    v = json_object_get(json_object_get(v, "properties"), "edges");
    cr_expect_str_eq(str(v, "type"), "array");
    cr_expect_str_eq(str(json_object_get(v, "items"), "$ref"),
                     "#/components/schemas/hgc.v1.GraphEdge");
}

Test(openapi, schemas_follow_the_printing_rules)
{
    json_t *task = schema("hgc.v1.Task"), *props = json_object_get(task, "properties"), *s;
    cr_expect_str_eq(str(task, "type"), "object");
    cr_expect_eq(json_object_size(props), 11);
    cr_expect_str_eq(str(json_object_get(props, "id"), "type"), "integer");
    cr_expect_str_eq(str(json_object_get(props, "id"), "format"), "int64");
    cr_expect_str_eq(str(json_object_get(props, "task_progress"), "format"), "int32");
    cr_expect_str_eq(str(json_object_get(props, "task_status"), "type"), "string");
    cr_expect_str_eq(str(json_object_get(props, "task_result"), "type"), "string");

    /* The answer of GetJob is a Task. */
    cr_expect_str_eq(str(body_schema("get", CD "/{task_id}", "200"), "$ref"),
                     "#/components/schemas/hgc.v1.Task");

    /* map<string,string> is an object; repeated string an array. */
    props = json_object_get(schema("hgc.v1.CreateJobRequest"), "properties");
    s = json_object_get(props, "params");
    cr_expect_str_eq(str(s, "type"), "object");
    cr_expect_str_eq(str(json_object_get(s, "additionalProperties"), "type"), "string");
    s = json_object_get(props, "internal_algorithm");
    cr_expect_str_eq(str(s, "type"), "array");
    cr_expect_str_eq(str(json_object_get(s, "items"), "type"), "string");

    /* A union message is its bare value. */
    s = json_object_get(schema("hgc.v1.VertexId"), "oneOf");
    cr_assert_eq(json_array_size(s), 2);
    cr_expect_str_eq(str(json_array_get(s, 0), "type"), "integer");
    cr_expect_str_eq(str(json_array_get(s, 1), "type"), "string");
    cr_expect_eq(json_array_size(json_object_get(schema("hgc.v1.Value"), "oneOf")), 6);
    /* A one-field map message is an object of its values (sssp's path rows). */
    s = schema("hgc.v1.ValueMap");
    cr_expect_str_eq(str(s, "type"), "object");
    cr_expect_str_eq(str(json_object_get(s, "additionalProperties"), "$ref"),
                     "#/components/schemas/hgc.v1.Value");
    /* A one-field message too (recursive: Value -> ValueList -> Value). */
    s = schema("hgc.v1.ValueList");
    cr_expect_str_eq(str(s, "type"), "array");
    cr_expect_str_eq(str(json_object_get(s, "items"), "$ref"), "#/components/schemas/hgc.v1.Value");
    props = json_object_get(schema("hgc.v1.ResultRow"), "properties");
    cr_expect_str_eq(str(json_object_get(props, "id"), "$ref"),
                     "#/components/schemas/hgc.v1.VertexId");

    /* bool; double (Value's first member). */
    props = json_object_get(schema("hgc.v1.Graph"), "properties");
    cr_expect_str_eq(str(json_object_get(props, "weighted"), "type"), "boolean");
    s = json_array_get(json_object_get(schema("hgc.v1.Value"), "oneOf"), 0);
    cr_expect_str_eq(str(s, "type"), "number");
    cr_expect_str_eq(str(s, "format"), "double");

    /* ListGraphsResponse has one field but is an answer: an object, inline. */
    s = body_schema("get", "/graphs", "200");
    cr_expect_str_eq(str(s, "type"), "object");
    s = json_object_get(json_object_get(s, "properties"), "graphs");
    cr_expect_str_eq(str(s, "type"), "array");
    cr_expect_str_eq(str(json_object_get(s, "items"), "$ref"), "#/components/schemas/hgc.v1.Graph");

    props = json_object_get(schema("HugeGraphError"), "properties");
    cr_expect_not_null(json_object_get(props, "exception"));
    cr_expect_not_null(json_object_get(props, "message"));
    cr_expect_not_null(json_object_get(props, "cause"));
}

static void check_refs(json_t *v, int *n)
{
    const char *key;
    json_t *x;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(v, key, x)
        {
            if (!strcmp(key, "$ref")) {
                const char *ref = json_string_value(x);
                const char *pre = "#/components/schemas/";
                cr_assert_not_null(ref);
                cr_assert(!strncmp(ref, pre, strlen(pre)), "%s", ref);
                schema(ref + strlen(pre));
                (*n)++;
            } else {
                check_refs(x, n);
            }
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x) check_refs(x, n);
    }
}

Test(openapi, every_ref_resolves)
{
    int n = 0;
    check_refs(doc, &n);
    cr_expect_gt(n, 20);
}
