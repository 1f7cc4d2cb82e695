/* Create requests as HugeGraph callers send them, checked before a task
 * exists (docs/contract.md, create). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>

#include "job_request.h"

static Hgc__V1__CreateJobRequest req;
static Hgc__V1__CreateJobRequest__ParamsEntry entries[8], *entry_ptrs[8];
static char *internal[4];
static char msg[SVC_MSG_MAX];
static svc_task t;

static void setup(void)
{
    hgc__v1__create_job_request__init(&req);
    req.graph = (char *)"hugegraph";
    memset(&t, 0, sizeof t);
    msg[0] = '\0';
}

static void teardown(void)
{
    svc_task_release(&t);
}

TestSuite(job_request, .init = setup, .fini = teardown);

static void add_param(const char *k, const char *v)
{
    size_t i = req.n_params;
    hgc__v1__create_job_request__params_entry__init(&entries[i]);
    entries[i].key = (char *)k;
    entries[i].value = (char *)v;
    entry_ptrs[i] = &entries[i];
    req.params = entry_ptrs;
    req.n_params = i + 1;
}

/* Sets the fields that are not 0, with their presence. */
static void set_workers(int worker_instances, int worker)
{
    if (worker_instances) {
        req.worker_instances_present_case =
            HGC__V1__CREATE_JOB_REQUEST__WORKER_INSTANCES_PRESENT_WORKER_INSTANCES;
        req.worker_instances = worker_instances;
    }
    if (worker) {
        req.worker_present_case = HGC__V1__CREATE_JOB_REQUEST__WORKER_PRESENT_WORKER;
        req.worker = worker;
    }
}

static int check(void)
{
    return svc_job_request_check(&t, &req, 64, msg);
}

Test(job_request, the_documented_body)
{
    req.algorithm = (char *)"page-rank";
    set_workers(2, 0);
    internal[0] = (char *)"[pagerank]";
    req.internal_algorithm = internal;
    req.n_internal_algorithm = 1;
    req.params_class =
        (char *)"com.baidu.hugegraph.computer.algorithm.rank.pagerank.PageRankParams";
    cr_assert_eq(check(), 0, "%s", msg);
    cr_expect_str_eq(t.algorithm, "page-rank");
    cr_expect_str_eq(t.task_name, "computer-proxy:page-rank");
    cr_expect_eq(t.workers, 2);
    json_t *in = json_loads(t.input, 0, NULL);
    cr_assert_not_null(in, "task_input is JSON: %s", t.input);
    cr_expect_str_eq(json_string_value(json_object_get(in, "algorithm")), "page-rank");
    cr_expect_eq(json_integer_value(json_object_get(in, "worker_instances")), 2);
    cr_expect(json_is_object(json_object_get(in, "params")));
    json_decref(in);
}

Test(job_request, the_name_as_the_path_gives_it_is_the_task_name)
{
    req.algorithm = (char *)"PageRank";
    cr_assert_eq(check(), 0, "%s", msg);
    cr_expect_str_eq(t.algorithm, "page-rank");
    cr_expect_str_eq(t.task_name, "computer-proxy:PageRank");
    cr_expect_eq(t.workers, 1, "the default worker count is 1");
}

Test(job_request, the_later_body_with_options)
{
    req.algorithm = (char *)"page-rank";
    set_workers(0, 2);
    add_param("page_rank.alpha", "0.2");
    add_param("bsp.max_super_step", "20");
    cr_assert_eq(check(), 0, "%s", msg);
    cr_expect_eq(t.workers, 2);
    json_t *in = json_loads(t.input, 0, NULL);
    json_t *params = json_object_get(in, "params");
    cr_expect_not_null(json_object_get(params, "page_rank.alpha"), "%s", t.input);
    cr_expect_not_null(json_object_get(params, "bsp.max_super_step"), "%s", t.input);
    cr_expect_eq(json_object_size(params), 2, "only the options given: %s", t.input);
    json_decref(in);
}

Test(job_request, class_alone_names_the_algorithm)
{
    req.params_class =
        (char *)"org.apache.hugegraph.computer.algorithm.centrality.pagerank.PageRankParams";
    cr_assert_eq(check(), 0, "%s", msg);
    cr_expect_str_eq(t.algorithm, "page-rank");
}

Test(job_request, refusals_say_what_to_fix)
{
    static const struct {
        const char *algorithm, *internal, *params_class, *key, *value;
        int workers, worker;
        const char *says;
    } cases[] = {
        {"foo", NULL, NULL, NULL, NULL, 0, 0, "not supported"},
        {NULL, NULL, NULL, NULL, NULL, 0, 0, "name the algorithm"},
        {"page-rank", "[foo]", NULL, NULL, NULL, 0, 0, "foo"},
        {"page-rank", NULL, "com.baidu.hugegraph.computer.algorithm.community.wcc.WccParams", NULL,
         NULL, 0, 0, "params_class"},
        {"page-rank", NULL, "java.lang.String", NULL, NULL, 0, 0, "params_class"},
        {"page-rank", NULL, NULL, NULL, NULL, -1, 0, "worker_instances"},
        {"page-rank", NULL, NULL, NULL, NULL, 1000000000, 0, "worker_instances"},
        {"page-rank", NULL, NULL, NULL, NULL, 65, 0, "1 to 64"},
        {"page-rank", NULL, NULL, NULL, NULL, 2, 3, "disagree"},
        {"page-rank", NULL, NULL, "page_rank.beta", "1", 0, 0, "page_rank.beta"},
        {"page-rank", NULL, NULL, "page_rank.alpha", "abc", 0, 0, "page_rank.alpha"},
        {"page-rank", NULL, NULL, "page_rank.alpha", "1.5", 0, 0, "page_rank.alpha"},
        {"page-rank", NULL, NULL, "bsp.max_super_step", "0", 0, 0, "bsp.max_super_step"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setup();
        req.algorithm = (char *)cases[i].algorithm;
        if (cases[i].internal) {
            internal[0] = (char *)cases[i].internal;
            req.internal_algorithm = internal;
            req.n_internal_algorithm = 1;
        }
        req.params_class = (char *)cases[i].params_class;
        set_workers(cases[i].workers, cases[i].worker);
        if (cases[i].key)
            add_param(cases[i].key, cases[i].value);
        cr_expect_eq(check(), -EINVAL, "case %zu accepted", i);
        cr_expect(strstr(msg, cases[i].says) != NULL, "case %zu: '%s' lacks '%s'", i, msg,
                  cases[i].says);
        cr_expect_null(t.input, "case %zu: nothing to store", i);
        svc_task_release(&t);
    }
}

/* Issue 8: an explicit 0 (REST's 0, "0", -0, 0.0) reaches the service
 * as a given value and is out of range, not "absent, so 1". */
Test(job_request, an_explicit_zero_is_refused_absent_is_one)
{
    req.algorithm = (char *)"page-rank";
    req.worker_instances_present_case =
        HGC__V1__CREATE_JOB_REQUEST__WORKER_INSTANCES_PRESENT_WORKER_INSTANCES;
    req.worker_instances = 0;
    cr_assert_eq(check(), -EINVAL);
    cr_expect_str_eq(msg, "worker_instances must be a whole number from 1 to 64, got 0");
    cr_expect_null(t.input);

    setup();
    req.algorithm = (char *)"page-rank";
    req.worker_present_case = HGC__V1__CREATE_JOB_REQUEST__WORKER_PRESENT_WORKER;
    req.worker = 0;
    cr_assert_eq(check(), -EINVAL);
    cr_expect_str_eq(msg, "worker must be a whole number from 1 to 64, got 0");

    setup();
    req.algorithm = (char *)"page-rank";
    cr_assert_eq(check(), 0, "%s", msg);
    cr_expect_eq(t.workers, 1, "absent: the default, 1");

    /* Both given and equal: fine; both given, one 0: they disagree. */
    setup();
    req.algorithm = (char *)"page-rank";
    set_workers(3, 3);
    cr_assert_eq(check(), 0, "%s", msg);
    cr_expect_eq(t.workers, 3);
    setup();
    req.algorithm = (char *)"page-rank";
    set_workers(3, 0);
    req.worker_present_case = HGC__V1__CREATE_JOB_REQUEST__WORKER_PRESENT_WORKER;
    cr_assert_eq(check(), -EINVAL);
    cr_expect(strstr(msg, "disagree") != NULL, "%s", msg);
}
