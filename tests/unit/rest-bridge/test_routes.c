/* test_routes.c: the route table built from the real embedded descriptor
 * set against the routes docs/contract.md promises (written out here by
 * hand, not taken from the table), matching of every documented path,
 * the collector, and refusals of broken descriptor sets and templates. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "google/api/http.pb-c.h"
#include "google/protobuf/descriptor.pb-c.h"
#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "hgc_descriptors.h"
#include "routes.h"

static const ProtobufCServiceDescriptor *const services[] = {
    &hgc__v1__job_service__descriptor,
    &hgc__v1__graph_service__descriptor,
};

static rest_routes *build(void)
{
    rest_routes *r = NULL;
    char msg[REST_MSG_MAX] = "";
    int rc = rest_routes_new(&r, hgc_descriptor_set, hgc_descriptor_set_len, services, 2, msg);
    cr_assert_eq(rc, 0, "rest_routes_new: %s", msg);
    cr_assert_not_null(r);
    return r;
}

#define CD "/graphs/{graph}/jobs/computerdis"

typedef struct expected {
    const char *http_method, *pattern, *service, *method, *body;
    int status, merge, client_streaming, server_streaming;
    const ProtobufCMessageDescriptor *in, *out;
    int body_json;             /* the body is JSON ("*" or a field's value), not raw text */
    const char *response_body; /* NULL: "" */
} expected;

/* From docs/contract.md and the .proto files' comments. */
static const expected want[] = {
    {"POST", CD "/{algorithm}", "hgc.v1.JobService", "CreateJob", "*", 201, 0, 0, 0,
     &hgc__v1__create_job_request__descriptor, &hgc__v1__job_reply__descriptor, 1, NULL},
    {"POST", CD, "hgc.v1.JobService", "CreateJob", "*", 201, 0, 0, 0,
     &hgc__v1__create_job_request__descriptor, &hgc__v1__job_reply__descriptor, 1, NULL},
    {"GET", CD "/{task_id}", "hgc.v1.JobService", "GetJob", "", 200, 0, 0, 0,
     &hgc__v1__get_job_request__descriptor, &hgc__v1__task__descriptor, 0, NULL},
    {"GET", CD, "hgc.v1.JobService", "ListJobs", "", 201, 0, 0, 0,
     &hgc__v1__list_jobs_request__descriptor, &hgc__v1__list_jobs_response__descriptor, 0, NULL},
    {"PUT", CD "/{task_id}", "hgc.v1.JobService", "CancelJob", "", 204, 0, 0, 0,
     &hgc__v1__cancel_job_request__descriptor, &hgc__v1__cancel_job_response__descriptor, 0, NULL},
    {"DELETE", CD "/{task_id}", "hgc.v1.JobService", "DeleteJob", "", 200, 0, 0, 0,
     &hgc__v1__delete_job_request__descriptor, &hgc__v1__job_reply__descriptor, 0, NULL},
    {"GET", CD "/update/{task_id}", "hgc.v1.JobService", "UpdateJobStatus", "*", 200, 0, 0, 0,
     &hgc__v1__update_job_status_request__descriptor, &hgc__v1__job_reply__descriptor, 1, NULL},
    {"PUT", CD "/update/{task_id}", "hgc.v1.JobService", "UpdateJobStatus", "*", 200, 0, 0, 0,
     &hgc__v1__update_job_status_request__descriptor, &hgc__v1__job_reply__descriptor, 1, NULL},
    {"GET", CD "/{task_id}/watch", "hgc.v1.JobService", "WatchJob", "", 200, 0, 0, 1,
     &hgc__v1__watch_job_request__descriptor, &hgc__v1__task__descriptor, 0, NULL},
    {"GET", CD "/{task_id}/result", "hgc.v1.JobService", "ReadResult", "", 200, 1, 0, 1,
     &hgc__v1__read_result_request__descriptor, &hgc__v1__result_page__descriptor, 0, NULL},
    {"POST", "/graphs/{name}", "hgc.v1.GraphService", "CreateGraph", "", 201, 0, 0, 0,
     &hgc__v1__create_graph_request__descriptor, &hgc__v1__graph__descriptor, 0, NULL},
    {"DELETE", "/graphs/{name}", "hgc.v1.GraphService", "DropGraph", "", 204, 0, 0, 0,
     &hgc__v1__drop_graph_request__descriptor, &hgc__v1__drop_graph_response__descriptor, 0, NULL},
    {"GET", "/graphs/{name}", "hgc.v1.GraphService", "GetGraph", "", 200, 0, 0, 0,
     &hgc__v1__get_graph_request__descriptor, &hgc__v1__graph__descriptor, 0, NULL},
    {"GET", "/graphs", "hgc.v1.GraphService", "ListGraphs", "", 200, 0, 0, 0,
     &hgc__v1__list_graphs_request__descriptor, &hgc__v1__list_graphs_response__descriptor, 0,
     NULL},
    {"POST", "/graphs/{graph}/edges", "hgc.v1.GraphService", "LoadEdges", "text", 201, 0, 1, 0,
     &hgc__v1__edge_batch__descriptor, &hgc__v1__load_edges_response__descriptor, 0, NULL},
    /* HugeGraph's graph API: a vertex and an edge at a time, batches (one
     * unary call, answered with the ids alone), reads. */
    {"POST", "/graphs/{graph}/graph/vertices/batch", "hgc.v1.GraphService", "AddVertexBatch",
     "vertices", 201, 0, 0, 0, &hgc__v1__add_vertices_request__descriptor,
     &hgc__v1__add_vertices_response__descriptor, 1, "ids"},
    {"POST", "/graphs/{graph}/graph/edges/batch", "hgc.v1.GraphService", "AddEdgeBatch", "edges",
     201, 0, 0, 0, &hgc__v1__add_edges_request__descriptor,
     &hgc__v1__add_edges_response__descriptor, 1, "ids"},
    {"POST", "/graphs/{graph}/graph/vertices", "hgc.v1.GraphService", "AddVertex", "*", 201, 0, 0,
     0, &hgc__v1__add_vertex_request__descriptor, &hgc__v1__vertex__descriptor, 1, NULL},
    {"POST", "/graphs/{graph}/graph/edges", "hgc.v1.GraphService", "AddEdge", "*", 201, 0, 0, 0,
     &hgc__v1__add_edge_request__descriptor, &hgc__v1__graph_edge__descriptor, 1, NULL},
    {"GET", "/graphs/{graph}/graph/vertices/{id}", "hgc.v1.GraphService", "GetVertex", "", 200, 0,
     0, 0, &hgc__v1__get_vertex_request__descriptor, &hgc__v1__vertex__descriptor, 0, NULL},
    {"GET", "/graphs/{graph}/graph/edges", "hgc.v1.GraphService", "ListEdges", "", 200, 0, 0, 0,
     &hgc__v1__list_edges_request__descriptor, &hgc__v1__list_edges_response__descriptor, 0, NULL},
};
#define N_WANT (sizeof want / sizeof want[0])

Test(routes, table_is_exactly_the_contract)
{
    rest_routes *r = build();
    cr_assert_eq(rest_routes_count(r), N_WANT, "%zu routes", rest_routes_count(r));
    for (size_t i = 0; i < N_WANT; i++) {
        const expected *w = &want[i];
        const rest_route *got = NULL;
        char full[128];
        for (size_t j = 0; j < rest_routes_count(r); j++) {
            const rest_route *rt = rest_routes_at(r, j);
            if (!strcmp(rt->http_method, w->http_method) && !strcmp(rt->pattern, w->pattern)) {
                cr_assert_null(got, "%s %s twice", w->http_method, w->pattern);
                got = rt;
            }
        }
        cr_assert_not_null(got, "no route %s %s", w->http_method, w->pattern);
        snprintf(full, sizeof full, "/%s/%s", w->service, w->method);
        cr_expect_str_eq(got->method, w->method, "%s %s", w->http_method, w->pattern);
        cr_expect_str_eq(got->full_method, full);
        cr_expect_str_eq(got->service->name, w->service);
        cr_expect_str_eq(got->body, w->body, "%s %s body", w->http_method, w->pattern);
        cr_expect_eq(got->body_json, w->body_json, "%s %s body_json", w->http_method, w->pattern);
        cr_expect_str_eq(got->response_body, w->response_body ? w->response_body : "",
                         "%s %s response_body", w->http_method, w->pattern);
        cr_expect_eq(got->success_status, w->status, "%s %s: %d", w->http_method, w->pattern,
                     got->success_status);
        cr_expect_eq(got->stream_merge, w->merge, "%s merge", w->method);
        cr_expect_eq(got->client_streaming, w->client_streaming, "%s cs", w->method);
        cr_expect_eq(got->server_streaming, w->server_streaming, "%s ss", w->method);
        cr_expect_eq(got->input, w->in, "%s input", w->method);
        cr_expect_eq(got->output, w->out, "%s output", w->method);
        cr_expect_not_null(got->description);
    }
    cr_expect_null(rest_routes_at(r, N_WANT));
    rest_routes_free(r);
}

static const rest_route *by_method(const rest_routes *r, const char *method)
{
    for (size_t i = 0; i < rest_routes_count(r); i++)
        if (!strcmp(rest_routes_at(r, i)->method, method))
            return rest_routes_at(r, i);
    return NULL;
}

Test(routes, descriptions_are_the_leading_comments)
{
    rest_routes *r = build();
    const rest_route *rt = by_method(r, "WatchJob");
    cr_assert_not_null(rt);
    cr_expect_str_eq(rt->description, "Snapshots of the task, the first at once, then one per "
                                      "change, until\nthe task is final.");
    rt = by_method(r, "CreateJob");
    cr_expect(!strncmp(rt->description,
                       "POST /graphs/{graph}/jobs/computerdis/{algorithm}: the "
                       "documented create;\nPOST ",
                       70),
              "%s", rt->description);
    cr_expect_str_eq(by_method(r, "GetJob")->description, "");
    cr_expect_str_eq(by_method(r, "ListJobs")->description,
                     "The document answers its list with 201; callers were written to it.");
    rest_routes_free(r);
}

typedef struct match_case {
    const char *http_method, *path;
    int rc;
    const char *method;  /* on 0 */
    const char *vars[6]; /* name, value, ... in path order */
} match_case;

static const match_case cases[] = {
    {"POST",
     "/graphs/hugegraph/jobs/computerdis/page-rank",
     0,
     "CreateJob",
     {"graph", "hugegraph", "algorithm", "page-rank"}},
    {"POST", "/graphs/hugegraph/jobs/computerdis", 0, "CreateJob", {"graph", "hugegraph"}},
    {"GET", "/graphs/hugegraph/jobs/computerdis", 0, "ListJobs", {"graph", "hugegraph"}},
    {"DELETE",
     "/graphs/hugegraph/jobs/computerdis/7",
     0,
     "DeleteJob",
     {"graph", "hugegraph", "task_id", "7"}},
    {"PUT",
     "/graphs/hugegraph/jobs/computerdis/7",
     0,
     "CancelJob",
     {"graph", "hugegraph", "task_id", "7"}},
    {"GET",
     "/graphs/hugegraph/jobs/computerdis/7",
     0,
     "GetJob",
     {"graph", "hugegraph", "task_id", "7"}},
    {"GET",
     "/graphs/hugegraph/jobs/computerdis/update/7",
     0,
     "UpdateJobStatus",
     {"graph", "hugegraph", "task_id", "7"}},
    {"PUT",
     "/graphs/g/jobs/computerdis/update/7",
     0,
     "UpdateJobStatus",
     {"graph", "g", "task_id", "7"}},
    {"GET", "/graphs/g/jobs/computerdis/7/result", 0, "ReadResult", {"graph", "g", "task_id", "7"}},
    {"GET", "/graphs/g/jobs/computerdis/7/watch", 0, "WatchJob", {"graph", "g", "task_id", "7"}},
    {"GET", "/graphs", 0, "ListGraphs", {NULL}},
    {"GET", "/graphs/g", 0, "GetGraph", {"name", "g"}},
    {"POST", "/graphs/g", 0, "CreateGraph", {"name", "g"}},
    {"DELETE", "/graphs/g", 0, "DropGraph", {"name", "g"}},
    {"POST", "/graphs/g/edges", 0, "LoadEdges", {"graph", "g"}},
    {"POST", "/graphs/g/graph/vertices", 0, "AddVertex", {"graph", "g"}},
    {"POST", "/graphs/g/graph/vertices/batch", 0, "AddVertexBatch", {"graph", "g"}},
    {"POST", "/graphs/g/graph/edges", 0, "AddEdge", {"graph", "g"}},
    {"POST", "/graphs/g/graph/edges/batch", 0, "AddEdgeBatch", {"graph", "g"}},
    {"GET", "/graphs/g/graph/edges", 0, "ListEdges", {"graph", "g"}},
    {"GET", "/graphs/g/graph/vertices/7", 0, "GetVertex", {"graph", "g", "id", "7"}},
    /* HugeGraph clients quote string ids: the text goes on as it is. */
    {"GET",
     "/graphs/g/graph/vertices/%221%3Amarko%22",
     0,
     "GetVertex",
     {"graph", "g", "id", "\"1:marko\""}},
    /* "batch" is a literal for POST only: GET reads a vertex of that id. */
    {"GET", "/graphs/g/graph/vertices/batch", 0, "GetVertex", {"graph", "g", "id", "batch"}},
    /* Literal over variable, and the variable where no literal fits. */
    {"GET", "/graphs/g/jobs/computerdis/update", 0, "GetJob", {"graph", "g", "task_id", "update"}},
    {"POST",
     "/graphs/g/jobs/computerdis/update",
     0,
     "CreateJob",
     {"graph", "g", "algorithm", "update"}},
    {"GET",
     "/graphs/update/jobs/computerdis/update/update",
     0,
     "UpdateJobStatus",
     {"graph", "update", "task_id", "update"}},
    /* "edges" is a literal under /graphs/{graph}, but GET /graphs/edges is a graph. */
    {"GET", "/graphs/edges", 0, "GetGraph", {"name", "edges"}},
    /* Trailing slash: one ignored, two are an empty segment. */
    {"GET", "/graphs/", 0, "ListGraphs", {NULL}},
    {"GET", "/graphs/g/jobs/computerdis/7/", 0, "GetJob", {"graph", "g", "task_id", "7"}},
    {"GET", "/graphs//", -1, NULL, {NULL}},
    /* Percent-decoding after matching. */
    {"GET", "/graphs/a%20b", 0, "GetGraph", {"name", "a b"}},
    {"GET", "/graphs/a%2Fb/jobs/computerdis/%37", 0, "GetJob", {"graph", "a/b", "task_id", "7"}},
    {"GET", "/graphs/a%2fb", 0, "GetGraph", {"name", "a/b"}},
    {"GET", "/graphs/a%zz", 0, "GetGraph", {"name", "a%zz"}},
    {"GET", "/graphs/a%2", 0, "GetGraph", {"name", "a%2"}},
    {"GET", "/graphs/a%00b", 0, "GetGraph", {"name", "a%00b"}},
    {"GET", "/graphs/a+b", 0, "GetGraph", {"name", "a+b"}},
    /* Literals compare raw. */
    {"GET", "/graphs/g/jobs/computer%64is", -1, NULL, {NULL}},
    /* No such path. */
    {"GET", "/", -1, NULL, {NULL}},
    {"GET", "", -1, NULL, {NULL}},
    {"GET", "graphs", -1, NULL, {NULL}},
    {"GET", "/nope", -1, NULL, {NULL}},
    {"GET", "/Graphs", -1, NULL, {NULL}},
    {"GET", "/graphs/g/jobs", -1, NULL, {NULL}},
    {"GET", "/graphs/g/jobs/computerdis/7/result/x", -1, NULL, {NULL}},
    {"GET", "//graphs", -1, NULL, {NULL}},
    {"GET", "/graphs//jobs/computerdis", -1, NULL, {NULL}},
    /* Path known, method not. */
    {"POST", "/graphs", -2, NULL, {NULL}},
    {"PATCH", "/graphs/g", -2, NULL, {NULL}},
    {"DELETE", "/graphs/g/jobs/computerdis", -2, NULL, {NULL}},
    {"POST", "/graphs/g/jobs/computerdis/7/result", -2, NULL, {NULL}},
    {"DELETE", "/graphs/g/jobs/computerdis/update/7", -2, NULL, {NULL}},
    {"GET", "/graphs/g/edges", -2, NULL, {NULL}},
    {"GET", "/graphs/g/graph/vertices", -2, NULL, {NULL}},
    {"POST", "/graphs/g/graph/vertices/7", -2, NULL, {NULL}},
    {"DELETE", "/graphs/g/graph/edges", -2, NULL, {NULL}},
    {"GET", "/graphs/g/graph/edges/batch", -2, NULL, {NULL}},
    {"GET", "/graphs/g/graph", -1, NULL, {NULL}},
    {"GET", "/graphs/g/graph/vertices/7/x", -1, NULL, {NULL}},
    {"get", "/graphs", -2, NULL, {NULL}},
    /* HEAD: the GET route, where its method has no side effects. */
    {"HEAD", "/graphs", 0, "ListGraphs", {NULL}},
    {"HEAD", "/graphs/g/jobs/computerdis/7", 0, "GetJob", {"graph", "g", "task_id", "7"}},
    {"HEAD", "/graphs/g/jobs/computerdis/update/7", -2, NULL, {NULL}},
    {"HEAD", "/graphs/g/jobs/computerdis/7/result", -2, NULL, {NULL}},
    {"HEAD", "/graphs/g/jobs/computerdis/7/watch", -2, NULL, {NULL}},
    {"HEAD", "/graphs/g/edges", -2, NULL, {NULL}},
    {"HEAD", "/nope", -1, NULL, {NULL}},
};

Test(routes, matches_every_documented_path)
{
    rest_routes *r = build();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const match_case *c = &cases[i];
        const rest_route *rt = NULL;
        rest_path_vars vars;
        size_t nv = 0;
        int rc;
        memset(&vars, 0x5a, sizeof vars);
        rc = rest_routes_match(r, c->http_method, c->path, &rt, &vars);
        cr_expect_eq(rc, c->rc, "%s %s: %d, want %d", c->http_method, c->path, rc, c->rc);
        if (rc != c->rc)
            continue;
        if (rc == -2) {
            cr_expect_not_null(rt, "%s %s", c->http_method, c->path);
            continue;
        }
        if (rc != 0)
            continue;
        cr_expect_str_eq(rt->method, c->method, "%s %s: %s", c->http_method, c->path, rt->method);
        /* HEAD answers by the GET route */
        cr_expect_str_eq(rt->http_method, strcmp(c->http_method, "HEAD") ? c->http_method : "GET");
        cr_expect_eq(rt->head, strcmp(c->http_method, "HEAD") == 0 || rt->head);
        while (nv < 3 && c->vars[2 * nv])
            nv++;
        cr_expect_eq(vars.n, nv, "%s %s: %zu vars", c->http_method, c->path, vars.n);
        for (size_t k = 0; k < nv && k < vars.n; k++) {
            cr_expect_str_eq(vars.items[k].name, c->vars[2 * k], "%s", c->path);
            cr_expect_str_eq(vars.items[k].value, c->vars[2 * k + 1], "%s", c->path);
        }
    }
    rest_routes_free(r);
}

Test(routes, minus_two_gives_a_route_of_that_path_and_allow_lists_methods)
{
    rest_routes *r = build();
    const rest_route *rt = NULL;
    char allow[64];
    cr_assert_eq(rest_routes_match(r, "POST", "/graphs", &rt, NULL), -2);
    cr_expect_str_eq(rt->pattern, "/graphs");
    /* POST there is a create with algorithm "7". */
    cr_expect_eq(rest_routes_allow(r, "/graphs/g/jobs/computerdis/7", allow, sizeof allow), 4);
    cr_expect_str_eq(allow, "POST, GET, PUT, DELETE");
    cr_expect_eq(rest_routes_allow(r, "/graphs/g/jobs/computerdis/update/7", allow, sizeof allow),
                 2);
    cr_expect_str_eq(allow, "GET, PUT");
    cr_expect_eq(rest_routes_allow(r, "/graphs/g/jobs/computerdis", allow, sizeof allow), 2);
    cr_expect_str_eq(allow, "POST, GET");
    cr_expect_eq(rest_routes_allow(r, "/nope", allow, sizeof allow), 0);
    cr_expect_str_eq(allow, "");
    /* Output is cut at a method boundary, never mid-word. */
    cr_expect_eq(rest_routes_allow(r, "/graphs/g/jobs/computerdis/7", allow, 10), 4);
    cr_expect_str_eq(allow, "POST, GET");
    rest_routes_free(r);
}

Test(routes, long_variables)
{
    rest_routes *r = build();
    rest_path_vars vars;
    static char path[3 * REST_VAR_MAX + 64];
    size_t n;
    /* REST_VAR_MAX - 1 bytes fit, REST_VAR_MAX don't; 600 bytes of %41
     * decode to 200 and fit. */
    strcpy(path, "/graphs/");
    n = strlen(path);
    memset(path + n, 'x', REST_VAR_MAX - 1);
    path[n + REST_VAR_MAX - 1] = '\0';
    cr_expect_eq(rest_routes_match(r, "GET", path, NULL, &vars), 0);
    cr_expect_eq(strlen(vars.items[0].value), REST_VAR_MAX - 1);
    path[n + REST_VAR_MAX - 1] = 'x';
    path[n + REST_VAR_MAX] = '\0';
    cr_expect_eq(rest_routes_match(r, "GET", path, NULL, &vars), -1);
    /* A 512-byte id JSON-quoted with every byte as \u00XX, percent-encoded
     * (the longest a client can send for an id the service takes). */
    strcpy(path + n, "%22");
    for (int i = 0; i < 512; i++)
        strcat(path, "%5Cu0001");
    strcat(path, "%22");
    cr_expect_eq(rest_routes_match(r, "GET", path, NULL, &vars), 0);
    cr_expect_eq(strlen(vars.items[0].value), 6 * 512 + 2);
    path[n] = '\0';
    for (int i = 0; i < 200; i++)
        strcat(path, "%41");
    cr_expect_eq(rest_routes_match(r, "GET", path, NULL, &vars), 0);
    cr_expect_eq(strlen(vars.items[0].value), 200);
    cr_expect_eq(vars.items[0].value[0], 'A');
    /* Very many segments: no match, no overflow. */
    strcpy(path, "");
    for (int i = 0; i < 100; i++)
        strcat(path, "/graphs");
    cr_expect_eq(rest_routes_match(r, "GET", path, NULL, &vars), -1);
    cr_expect_eq(rest_routes_match(r, "GET", NULL, NULL, &vars), -1);
    cr_expect_eq(rest_routes_match(NULL, "GET", "/graphs", NULL, &vars), -1);
    rest_routes_free(r);
}

Test(routes, collector)
{
    rest_routes *r = build();
    const char *f = rest_routes_collector(&hgc__v1__create_job_request__descriptor, r);
    cr_assert_not_null(f);
    cr_expect_str_eq(f, "params");
    cr_expect_null(rest_routes_collector(&hgc__v1__get_job_request__descriptor, r));
    cr_expect_null(rest_routes_collector(&hgc__v1__update_job_status_request__descriptor, r));
    cr_expect_null(
        rest_routes_collector(&hgc__v1__create_job_request__params_entry__descriptor, r));
    cr_expect_null(rest_routes_collector(&hgc__v1__edge_batch__descriptor, r));
    cr_expect_null(rest_routes_collector(&hgc__v1__create_job_request__descriptor, NULL));
    cr_expect_null(rest_routes_collector(NULL, r));
    rest_routes_free(r);
}

Test(routes, broken_descriptor_sets_are_errors)
{
    size_t len = hgc_descriptor_set_len;
    const size_t cuts[] = {1, 7, len / 3, len / 2, len - 100, len - 1};
    uint8_t junk[64];
    rest_routes *r = NULL;
    char msg[REST_MSG_MAX];

    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        msg[0] = '\0';
        cr_expect_lt(rest_routes_new(&r, hgc_descriptor_set, cuts[i], services, 2, msg), 0,
                     "cut at %zu", cuts[i]);
        cr_expect_null(r);
        cr_expect_neq(msg[0], '\0', "cut at %zu: no message", cuts[i]);
    }
    /* Every other cut: an error or (at a file boundary) a table, never a crash. */
    for (size_t n = 0; n < len; n += 13) {
        if (rest_routes_new(&r, hgc_descriptor_set, n, services, 2, msg) == 0) {
            rest_routes_free(r);
            r = NULL;
        } else {
            cr_expect_neq(msg[0], '\0');
        }
    }
    memset(junk, 0xff, sizeof junk);
    cr_expect_lt(rest_routes_new(&r, junk, sizeof junk, services, 2, msg), 0);
    /* Empty: a valid, empty set, so the services are missing. */
    cr_expect_lt(rest_routes_new(&r, hgc_descriptor_set, 0, services, 2, msg), 0);
    cr_expect(strstr(msg, "hgc.v1.JobService") != NULL, "%s", msg);
    cr_expect_null(r);
}

Test(routes, services_not_asked_for_are_skipped)
{
    rest_routes *r = NULL;
    char msg[REST_MSG_MAX];
    const ProtobufCServiceDescriptor *only[] = {&hgc__v1__graph_service__descriptor};
    cr_assert_eq(rest_routes_new(&r, hgc_descriptor_set, hgc_descriptor_set_len, only, 1, msg), 0,
                 "%s", msg);
    cr_expect_eq(rest_routes_count(r), 11);
    cr_expect_eq(rest_routes_match(r, "GET", "/graphs/g/jobs/computerdis", NULL, NULL), -1);
    /* The collector index covers the whole set, whatever the services. */
    cr_expect_str_eq(rest_routes_collector(&hgc__v1__create_job_request__descriptor, r), "params");
    rest_routes_free(r);
}

/* ---- descriptor sets with one rule or option changed ------------------- */

static Google__Protobuf__MethodDescriptorProto *
find_method(Google__Protobuf__FileDescriptorSet *set, const char *service, const char *method)
{
    for (size_t i = 0; i < set->n_file; i++)
        for (size_t j = 0; j < set->file[i]->n_service; j++) {
            Google__Protobuf__ServiceDescriptorProto *s = set->file[i]->service[j];
            if (strcmp(s->name, service))
                continue;
            for (size_t k = 0; k < s->n_method; k++)
                if (!strcmp(s->method[k]->name, method))
                    return s->method[k];
        }
    return NULL;
}

/* The real set with <service>.<method>'s unknown option `tag` replaced
 * by `data` (what protobuf-c stores: a length prefix first, for a message). */
static uint8_t *patched_set_in(const char *service, const char *method, uint32_t tag,
                               const uint8_t *data, size_t dlen, size_t *out_len)
{
    Google__Protobuf__FileDescriptorSet *set = google__protobuf__file_descriptor_set__unpack(
        NULL, hgc_descriptor_set_len, hgc_descriptor_set);
    Google__Protobuf__MethodDescriptorProto *m;
    ProtobufCMessageUnknownField *u = NULL, saved;
    uint8_t *buf;
    cr_assert_not_null(set);
    m = find_method(set, service, method);
    cr_assert_not_null(m);
    cr_assert_not_null(m->options);
    for (unsigned i = 0; i < m->options->base.n_unknown_fields; i++)
        if (m->options->base.unknown_fields[i].tag == tag)
            u = &m->options->base.unknown_fields[i];
    cr_assert_not_null(u, "%s has no option %u", method, tag);
    saved = *u;
    u->data = (uint8_t *)data;
    u->len = dlen;
    buf = malloc(google__protobuf__file_descriptor_set__get_packed_size(set));
    cr_assert_not_null(buf);
    *out_len = google__protobuf__file_descriptor_set__pack(set, buf);
    *u = saved;
    google__protobuf__file_descriptor_set__free_unpacked(set, NULL);
    return buf;
}

static uint8_t *patched_set(const char *method, uint32_t tag, const uint8_t *data, size_t dlen,
                            size_t *out_len)
{
    return patched_set_in("GraphService", method, tag, data, dlen, out_len);
}

/* Builds from the set with <service>.<method>'s google.api.http replaced
 * by `rule`. */
static int with_rule(const char *service, const char *method, const Google__Api__HttpRule *rule,
                     rest_routes **r, char msg[REST_MSG_MAX])
{
    uint8_t data[1024];
    size_t n = google__api__http_rule__get_packed_size(rule), o = 0, len, v;
    uint8_t *set;
    int rc;
    cr_assert_lt(n, sizeof data - 8);
    for (v = n; v >= 0x80; v >>= 7)
        data[o++] = (uint8_t)(v | 0x80);
    data[o++] = (uint8_t)v;
    google__api__http_rule__pack(rule, data + o);
    set = patched_set_in(service, method, 72295728u, data, o + n, &len);
    msg[0] = '\0';
    *r = NULL;
    rc = rest_routes_new(r, set, len, services, 2, msg);
    free(set);
    return rc;
}

/* Builds from the set with GetGraph's rule replaced by `get: tmpl`. */
static int with_get_template(const char *tmpl, rest_routes **r, char msg[REST_MSG_MAX])
{
    Google__Api__HttpRule rule = GOOGLE__API__HTTP_RULE__INIT;
    uint8_t data[512];
    size_t n, len;
    uint8_t *set;
    int rc;
    rule.pattern_case = GOOGLE__API__HTTP_RULE__PATTERN_GET;
    rule.get = (char *)tmpl;
    n = google__api__http_rule__get_packed_size(&rule);
    cr_assert_lt(n, 127);
    data[0] = (uint8_t)n;
    google__api__http_rule__pack(&rule, data + 1);
    set = patched_set("GetGraph", 72295728u, data, n + 1, &len);
    msg[0] = '\0';
    *r = NULL;
    rc = rest_routes_new(r, set, len, services, 2, msg);
    free(set);
    return rc;
}

Test(routes, unsupported_templates_are_refused_with_a_message)
{
    static const struct {
        const char *tmpl, *says;
    } bad[] = {
        {"/graphs/**", "wildcard"},
        {"/graphs/*", "wildcard"},
        {"/graphs/{name=**}", "{name=**}"},
        {"/graphs/{name=foo/*}", "not"},
        {"/graphs/{name}:get", "verb"},
        {"/graphs/{nope}", "{nope}"},
        {"/graphs/{graph.name}", "{graph.name}"},
        {"graphs/{name}", "start with '/'"},
        {"/graphs//{name}", "empty segment"},
        {"/graphs/{name}/", "ends with '/'"},
        {"/graphs/x{name}", "variable"},
        {"/graphs/{name}/{name}", "twice"},
        {"/graphs/{}", "not a variable"},
        /* Same method and shape as GET /graphs/{graph}/jobs/computerdis. */
        {"/graphs/{name}/jobs/computerdis", "already"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rest_routes *r = NULL;
        char msg[REST_MSG_MAX];
        cr_expect_lt(with_get_template(bad[i].tmpl, &r, msg), 0, "%s accepted", bad[i].tmpl);
        cr_expect_null(r);
        cr_expect(strstr(msg, bad[i].says) != NULL, "%s: '%s'", bad[i].tmpl, msg);
        cr_expect(strstr(msg, "GetGraph") != NULL, "%s: '%s'", bad[i].tmpl, msg);
        rest_routes_free(r);
    }
}

Test(routes, field_star_is_a_variable)
{
    rest_routes *r = NULL;
    char msg[REST_MSG_MAX];
    const rest_route *rt = NULL;
    rest_path_vars vars;
    cr_assert_eq(with_get_template("/graphs/{name=*}/info", &r, msg), 0, "%s", msg);
    cr_expect_str_eq(by_method(r, "GetGraph")->pattern, "/graphs/{name}/info");
    cr_assert_eq(rest_routes_match(r, "GET", "/graphs/g/info", &rt, &vars), 0);
    cr_expect_str_eq(rt->method, "GetGraph");
    cr_expect_str_eq(vars.items[0].value, "g");
    rest_routes_free(r);
}

Test(routes, bad_options_are_refused)
{
    rest_routes *r = NULL;
    char msg[REST_MSG_MAX] = "";
    uint8_t st404[] = {0x94, 0x03}; /* varint 404 */
    /* -1 as protoc writes a negative int32: ten bytes. */
    uint8_t minus1[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    size_t len;
    uint8_t *set = patched_set("CreateGraph", 51001u, st404, sizeof st404, &len);
    cr_expect_lt(rest_routes_new(&r, set, len, services, 2, msg), 0);
    cr_expect(strstr(msg, "404") != NULL, "%s", msg);
    free(set);
    set = patched_set("CreateGraph", 51001u, minus1, sizeof minus1, &len);
    cr_expect_lt(rest_routes_new(&r, set, len, services, 2, msg), 0);
    cr_expect(strstr(msg, "-1 is not a 2xx") != NULL, "%s", msg);
    cr_expect_null(r);
    free(set);
}

/* ---- HugeGraph's graph API: response_body, JSON body fields ------------ */

Test(routes, body_fields_and_response_body)
{
    rest_routes *r = build();
    const rest_route *rt = by_method(r, "AddVertexBatch");
    cr_assert_not_null(rt);
    /* The HTTP body is the repeated field's value (a JSON array) of the
     * unary request; the answer is the ids alone. */
    cr_expect_str_eq(rt->body, "vertices");
    cr_expect_eq(rt->body_json, 1);
    cr_expect_eq(rt->client_streaming, 0);
    cr_expect_str_eq(rt->response_body, "ids");
    rt = by_method(r, "LoadEdges"); /* a bytes field stays raw text */
    cr_expect_str_eq(rt->body, "text");
    cr_expect_eq(rt->body_json, 0);
    cr_expect_str_eq(rt->response_body, "");
    cr_expect_eq(by_method(r, "GetVertex")->body_json, 0);
    cr_expect_eq(by_method(r, "AddEdge")->body_json, 1);
    rest_routes_free(r);
}

static int takes(const ProtobufCMessageDescriptor *d, const char *field)
{
    const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field_by_name(d, field);
    cr_assert_not_null(f, "%s has no %s", d->name, field);
    return rest_field_takes_text(f);
}

Test(routes, field_takes_text)
{
    /* VertexId: a oneof of int64 and string, set from "7" or "marko". */
    cr_expect(takes(&hgc__v1__get_vertex_request__descriptor, "id"));
    cr_expect(takes(&hgc__v1__get_vertex_request__descriptor, "graph"));
    cr_expect(takes(&hgc__v1__list_edges_request__descriptor, "vertex_id"));
    cr_expect(takes(&hgc__v1__list_edges_request__descriptor, "limit"));
    /* A map, a list of messages, a message of several fields: no. */
    cr_expect(!takes(&hgc__v1__add_vertex_request__descriptor, "properties"));
    cr_expect(!takes(&hgc__v1__add_vertices_request__descriptor, "vertices"));
    cr_expect(!takes(&hgc__v1__add_vertices_response__descriptor, "graph"));
    /* A repeated VertexId takes one more id per text. */
    cr_expect(takes(&hgc__v1__add_vertices_response__descriptor, "ids"));
    /* Value: one of its members is a message (ValueList). */
    cr_expect(!takes(&hgc__v1__vertex__properties_entry__descriptor, "value"));
    cr_expect(!rest_field_takes_text(NULL));
}

Test(routes, response_body_and_bodies_are_checked)
{
    static const struct {
        const char *service, *method, *post, *get, *body, *response_body, *says;
    } bad[] = {
        {"GraphService", "AddVertexBatch", "/graphs/{graph}/graph/vertices/batch", NULL, "vertices",
         "nope", "response_body 'nope' names no field of hgc.v1.AddVerticesResponse"},
        {"GraphService", "AddVertexBatch", "/graphs/{graph}/graph/vertices/batch", NULL, "nope",
         "ids", "body 'nope' names no field"},
        /* A server stream's answer is many messages: no one field of it. */
        {"JobService", "WatchJob", NULL, "/graphs/{graph}/jobs/computerdis/{task_id}/watch", "",
         "task_status", "streams its answer"},
        /* A map is no path variable; a one-value message (VertexId) is. */
        {"GraphService", "AddVertex", "/graphs/{graph}/graph/vertices/{properties}", NULL, "*", "",
         "{properties}"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Google__Api__HttpRule rule = GOOGLE__API__HTTP_RULE__INIT;
        rest_routes *r = NULL;
        char msg[REST_MSG_MAX];
        if (bad[i].post) {
            rule.pattern_case = GOOGLE__API__HTTP_RULE__PATTERN_POST;
            rule.post = (char *)bad[i].post;
        } else {
            rule.pattern_case = GOOGLE__API__HTTP_RULE__PATTERN_GET;
            rule.get = (char *)bad[i].get;
        }
        rule.body = (char *)bad[i].body;
        rule.response_body = (char *)bad[i].response_body;
        cr_expect_lt(with_rule(bad[i].service, bad[i].method, &rule, &r, msg), 0, "case %zu", i);
        cr_expect_null(r);
        cr_expect(strstr(msg, bad[i].says) != NULL, "case %zu: '%s'", i, msg);
        cr_expect(strstr(msg, bad[i].method) != NULL, "case %zu: '%s'", i, msg);
        rest_routes_free(r);
    }
}

Test(routes, response_body_of_a_unary_method)
{
    /* Any field of the output will do, on a unary method too. */
    Google__Api__HttpRule rule = GOOGLE__API__HTTP_RULE__INIT;
    rest_routes *r = NULL;
    char msg[REST_MSG_MAX];
    rule.pattern_case = GOOGLE__API__HTTP_RULE__PATTERN_GET;
    rule.get = (char *)"/graphs/{graph}/graph/edges";
    rule.response_body = (char *)"edges";
    cr_assert_eq(with_rule("GraphService", "ListEdges", &rule, &r, msg), 0, "%s", msg);
    cr_expect_str_eq(by_method(r, "ListEdges")->response_body, "edges");
    cr_expect_eq(by_method(r, "ListEdges")->body_json, 0);
    rest_routes_free(r);
}
