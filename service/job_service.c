/* job_service.c: hgc.v1.JobService over the gRPC layer.
 *
 * Each handler checks its request fully before it changes anything, and
 * maps store errors to statuses through svc_grpc_status() only.
 */
#include "job_service.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>

#include "data_dir.h"
#include "graphs.h"
#include "job_request.h"
#include "job_watch.h"
#include "results.h"
#include "scheduler.h"

#define LIMIT_DEFAULT    100
#define LIMIT_MAX        1000000
#define RESULT_LIMIT_MAX 100000000 /* rows of one ReadResult */
/* ListJobs runs on the polling thread up to this many rows (below);
 * beyond, on the pool. */
#define LIMIT_INLINE 100

static grpc_status_code fail(hgc_call *call, int err, const char *msg)
{
    return hgc_call_set_error(call, svc_grpc_status(err), "%s", msg);
}

/* The graph must be named well and exist. */
static int check_graph(svc_ctx *ctx, const char *graph, svc_graph *g, char msg[SVC_MSG_MAX])
{
    if (svc_graph_name_check(graph, msg) < 0)
        return -EINVAL;
    int rc = svc_store_graph_get(ctx->store, graph, g);
    if (rc == -ENOENT)
        snprintf(msg, SVC_MSG_MAX, "graph '%s' does not exist", graph);
    else if (rc < 0)
        snprintf(msg, SVC_MSG_MAX, SVC_MSG_STORE_FAILED "cannot read the graph catalog");
    return rc;
}

/* A task reference: a graph that exists and a task id from 1 (the task
 * itself may not exist). */
static int check_task_ref(svc_ctx *ctx, const char *graph, int64_t id, char msg[SVC_MSG_MAX])
{
    svc_graph g;
    int rc = check_graph(ctx, graph, &g, msg);
    if (rc == 0 && id < 1) {
        snprintf(msg, SVC_MSG_MAX, "task_id must be a whole number from 1, got %lld",
                 (long long)id);
        rc = -EINVAL;
    }
    return rc;
}

void svc_task_to_proto(Hgc__V1__Task *out, const svc_task *t)
{
    hgc__v1__task__init(out);
    out->id = t->id;
    out->task_type = (char *)"computer-proxy";
    out->task_name = (char *)t->task_name;
    out->task_status = (char *)svc_status_name(t->status);
    out->task_progress = t->progress;
    out->task_create = t->created;
    out->task_update = t->updated;
    out->task_retries = t->retries;
    out->task_server = (char *)t->server;
    out->task_input = t->input;
    out->task_result = t->result;
}

static grpc_status_code create_job(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const Hgc__V1__CreateJobRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX] = "";
    svc_graph g;
    svc_task t = {0}, created = {0};
    int rc = check_graph(ctx, req->graph, &g, msg);
    if (rc < 0)
        return fail(call, rc, msg);
    if ((rc = svc_job_request_check(&t, req, ctx->cfg->max_workers, msg)) < 0)
        return fail(call, rc, msg);
    snprintf(t.graph, sizeof t.graph, "%s", req->graph);
    snprintf(t.server, sizeof t.server, "%s", ctx->cfg->name);
    /* The job computes on the graph as it is now: small loads are folded
     * into a version, which the task pins. A load that records a newer
     * version in between makes the pin fail (-EAGAIN): then again. */
    for (int attempt = 0; attempt < 8; attempt++) {
        svc_waiter w = svc_call_waiter(call);
        if ((rc = svc_graph_settle(ctx, req->graph, &w, msg)) < 0 ||
            (rc = check_graph(ctx, req->graph, &g, msg)) < 0) {
            svc_task_release(&t);
            return fail(call, rc, msg);
        }
        if (g.version == 0) {
            svc_task_release(&t);
            return hgc_call_set_error(call, GRPC_STATUS_FAILED_PRECONDITION,
                                      "graph '%s' has no edges yet; load some before running a job",
                                      req->graph);
        }
        t.graph_version = g.version;
        /* options naming a vertex: it must be in the version the task pins */
        if ((rc = svc_job_request_check_vertices(ctx, &t, req->graph, g.version, msg)) < 0) {
            svc_task_release(&t);
            return fail(call, rc, msg);
        }
        if ((rc = svc_store_task_create(ctx->store, &t, &created, msg)) != -EAGAIN)
            break;
    }
    svc_task_release(&t);
    if (rc < 0)
        return fail(call, rc,
                    rc == -ENOENT   ? "the graph was dropped meanwhile"
                    : rc == -EAGAIN ? "the graph kept changing while the job was created; "
                                      "create it again"
                                    : msg);
    svc_scheduler_kick(ctx->sched);
    Hgc__V1__JobReply reply = HGC__V1__JOB_REPLY__INIT;
    reply.task_id = created.id;
    reply.message = (char *)"success";
    hgc_call_send(call, &reply.base);
    svc_task_release(&created);
    return GRPC_STATUS_OK;
}

static grpc_status_code get_job(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const Hgc__V1__GetJobRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX] = "";
    svc_task t;
    int rc = check_task_ref(ctx, req->graph, req->task_id, msg);
    if (rc < 0)
        return fail(call, rc, msg);
    if ((rc = svc_store_task_get(ctx->store, req->graph, req->task_id, &t)) < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc),
                                  "task %lld of graph '%s' does not exist", (long long)req->task_id,
                                  req->graph);
    Hgc__V1__Task reply;
    svc_task_to_proto(&reply, &t);
    hgc_call_send(call, &reply.base);
    svc_task_release(&t);
    return GRPC_STATUS_OK;
}

/* ListJobs' reply, built in the call's memory straight from the rows (the
 * call's arena ends the process when memory runs out, as every reply). */
typedef struct summaries {
    hgc_call *call;
    Hgc__V1__TaskSummary *items;
    size_t n, cap;
    int64_t last_id;
} summaries;

static int add_summary(void *ud, const svc_task *t)
{
    summaries *l = ud;
    if (l->n == l->cap) {
        /* Doubling in the arena: the old array stays there, unused, which
         * adds at most as much again. */
        size_t cap = l->cap ? l->cap * 2 : 128;
        Hgc__V1__TaskSummary *grown = hgc_call_alloc(l->call, cap * sizeof *grown);
        if (l->n)
            memcpy(grown, l->items, l->n * sizeof *grown);
        l->items = grown;
        l->cap = cap;
    }
    Hgc__V1__TaskSummary *it = &l->items[l->n];
    hgc__v1__task_summary__init(it);
    it->id = t->id;
    it->task_type = (char *)"computer-proxy";
    it->task_name = hgc_call_strdup(l->call, t->task_name);
    it->task_status = (char *)svc_status_name(t->status);
    it->task_progress = t->progress;
    it->task_create = t->created;
    it->task_update = t->updated;
    it->task_retries = t->retries;
    it->task_server = hgc_call_strdup(l->call, t->server);
    l->n++;
    l->last_id = t->id;
    return 0;
}

static grpc_status_code list_jobs(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const Hgc__V1__ListJobsRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX] = "";
    svc_graph g;
    int rc = check_graph(ctx, req->graph, &g, msg);
    if (rc < 0)
        return fail(call, rc, msg);
    int64_t limit = req->limit == 0 ? LIMIT_DEFAULT : req->limit;
    if (limit < -1 || limit > LIMIT_MAX)
        return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "limit must be -1 (all), 0 (the default, %d) or from 1 to %d, "
                                  "got %lld",
                                  LIMIT_DEFAULT, LIMIT_MAX, (long long)req->limit);
    int status = -1;
    if (req->status && req->status[0] && (status = svc_status_parse(req->status)) < 0)
        return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "status '%.40s' is not a task status; use one of: %s",
                                  req->status, svc_status_words());
    int64_t after = 0;
    int paging = req->page_present_case == HGC__V1__LIST_JOBS_REQUEST__PAGE_PRESENT_PAGE;
    if (paging && req->page && req->page[0]) {
        char *end = NULL;
        after = req->page[0] == 'p' ? strtoll(req->page + 1, &end, 10) : -1;
        if (after < 0 || end == NULL || *end != '\0')
            return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                      "page '%.40s' is not a page token from an earlier answer",
                                      req->page);
    }
    /* A page of at most LIMIT_INLINE rows is short work (tens of
     * microseconds: with a status filter too, whose rows come from an
     * index, store_read.h); a larger one goes to the pool. */
    if (hgc_call_inline(call) && (limit < 0 || limit > LIMIT_INLINE))
        return (grpc_status_code)HGC_CALL_ON_POOL;
    summaries list = {call, NULL, 0, 0, 0};
    int more = 0;
    if ((rc = svc_store_task_each(ctx->store, req->graph, status, after, limit, add_summary, &list,
                                  &more)) < 0)
        return fail(call, rc, SVC_MSG_STORE_FAILED "cannot read the tasks");
    size_t n = list.n;
    Hgc__V1__TaskSummary **ptrs = hgc_call_alloc(call, (n ? n : 1) * sizeof *ptrs);
    for (size_t i = 0; i < n; i++)
        ptrs[i] = &list.items[i];
    Hgc__V1__ListJobsResponse reply = HGC__V1__LIST_JOBS_RESPONSE__INIT;
    reply.n_tasks = n;
    reply.tasks = ptrs;
    Google__Protobuf__Value next = GOOGLE__PROTOBUF__VALUE__INIT;
    if (paging) {
        /* The next token, or null at the end (docs/contract.md, list). */
        if (more && n > 0) {
            next.kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE;
            next.string_value = hgc_call_printf(call, "p%lld", (long long)list.last_id);
        } else {
            next.kind_case = GOOGLE__PROTOBUF__VALUE__KIND_NULL_VALUE;
            next.null_value = GOOGLE__PROTOBUF__NULL_VALUE__NULL_VALUE;
        }
        reply.page_present_case = HGC__V1__LIST_JOBS_RESPONSE__PAGE_PRESENT_PAGE;
        reply.page = &next;
    }
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
}

static grpc_status_code cancel_job(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const Hgc__V1__CancelJobRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX] = "";
    int rc = check_task_ref(ctx, req->graph, req->task_id, msg);
    if (rc == 0)
        rc = svc_scheduler_cancel(ctx->sched, req->graph, req->task_id, msg);
    if (rc < 0)
        return fail(call, rc, msg[0] ? msg : "cannot cancel the task");
    Hgc__V1__CancelJobResponse reply = HGC__V1__CANCEL_JOB_RESPONSE__INIT;
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
}

static grpc_status_code delete_job(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const Hgc__V1__DeleteJobRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX] = "", path[PATH_MAX];
    svc_task removed;
    int rc = check_task_ref(ctx, req->graph, req->task_id, msg);
    if (rc == 0)
        rc = svc_store_task_delete(ctx->store, req->graph, req->task_id, &removed, msg);
    if (rc < 0)
        return fail(call, rc, msg[0] ? msg : "cannot delete the task");
    svc_path_results(path, ctx->cfg->data_dir, req->graph, req->task_id);
    svc_remove_tree(path);
    svc_path_log(path, ctx->cfg->data_dir, req->graph, req->task_id);
    svc_remove_tree(path);
    svc_task_release(&removed);
    svc_graphs_gc(ctx, req->graph);
    Hgc__V1__JobReply reply = HGC__V1__JOB_REPLY__INIT;
    reply.task_id = req->task_id;
    reply.message = (char *)"success";
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
}

/* task_result for a reported status: a worker's summary object as it is,
 * any other message wrapped. NULL: keep the current result. An end
 * without a message still replaces it, so that an earlier report's
 * progress message never reads as the summary or the error. */
static char *result_for(svc_status to, const char *message)
{
    if (message == NULL || message[0] == '\0') {
        if (to == SVC_FAILED)
            return strdup("{\"error\":\"reported failed without a message\"}");
        return to == SVC_SUCCESS ? strdup("{}") : NULL;
    }
    json_t *obj = NULL;
    if (to == SVC_SUCCESS) {
        /* Kept as the worker wrote it (re-printing would change numbers). */
        obj = json_loads(message, 0, NULL);
        int is_object = json_is_object(obj);
        json_decref(obj);
        if (is_object)
            return strdup(message);
    }
    obj = json_pack("{s:s}", to == SVC_FAILED ? "error" : "message", message);
    char *s = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
    json_decref(obj);
    return s;
}

/* The task is success in the store: a write that answered an error may
 * still have gone in (its sync failed). */
static int success_stored(svc_ctx *ctx, const char *graph, int64_t id)
{
    svc_task t;
    if (svc_store_task_get(ctx->store, graph, id, &t) < 0)
        return 0;
    int success = t.status == SVC_SUCCESS;
    svc_task_release(&t);
    return success;
}

static grpc_status_code update_job_status(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const Hgc__V1__UpdateJobStatusRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX] = "";
    int rc = check_task_ref(ctx, req->graph, req->task_id, msg);
    if (rc < 0)
        return fail(call, rc, msg);
    int to = svc_status_parse(req->status);
    if (to < 0)
        return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "status '%.40s' is not a job status; use one of: %s",
                                  req->status ? req->status : "", svc_status_words());
    int has_progress =
        req->progress_present_case == HGC__V1__UPDATE_JOB_STATUS_REQUEST__PROGRESS_PRESENT_PROGRESS;
    if (has_progress && (req->progress < 0 || req->progress > 100))
        return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "progress must be from 0 to 100, got %d", req->progress);
    if (req->attempt < 0)
        return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "attempt must be 0 (not a worker) or the worker's attempt");
    char *result = result_for((svc_status)to, req->message);
    svc_task_change c = SVC_TASK_CHANGE_INIT;
    c.status = to;
    c.progress = has_progress ? req->progress : -1;
    c.result = result;
    c.attempt = req->attempt > 0 ? req->attempt - 1 : -1;
    /* A worker's progress needs no sync: a power cut that loses it also
     * ends the attempt (the restart runs the task again). Its worker is
     * not held up by the disk, nor failed by a sync that fails. */
    c.unsynced = req->attempt > 0 && !svc_status_is_final((svc_status)to);
    svc_task after;
    rc = svc_store_task_change(ctx->store, req->graph, req->task_id, &c, &after, msg);
    free(result);
    if (rc == -ENOSPC && to == SVC_SUCCESS && req->attempt > 0 &&
        !success_stored(ctx, req->graph, req->task_id)) {
        /* The current attempt's result (a stale attempt is refused
         * before any write) is not recorded on a full disk: its files go
         * too, and make room. The worker takes RESOURCE_EXHAUSTED as
         * final and exits failed; the task is retried or fails. (Not on
         * -EIO: the worker reports UNAVAILABLE again, and its result
         * must then still be there. Nor when the success was stored and
         * only its sync found the disk full: the task has its result.) */
        char path[PATH_MAX];
        svc_path_results(path, ctx->cfg->data_dir, req->graph, req->task_id);
        svc_remove_tree(path);
    }
    if (rc < 0)
        return fail(call, rc, msg);
    /* An outside report that ends the task stops its workers. */
    if (req->attempt == 0 && svc_status_is_final(after.status))
        svc_scheduler_task_final(ctx->sched, req->graph, req->task_id);
    if (svc_status_is_final(after.status))
        svc_graphs_gc(ctx, req->graph);
    svc_task_release(&after);
    Hgc__V1__JobReply reply = HGC__V1__JOB_REPLY__INIT;
    reply.task_id = req->task_id;
    reply.message = (char *)"success";
    hgc_call_send(call, &reply.base);
    return GRPC_STATUS_OK;
}

/* A subscription (job_watch.h): no thread waits for the task's changes. */
static grpc_status_code watch_job(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const Hgc__V1__WatchJobRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX] = "";
    int rc = check_task_ref(ctx, req->graph, req->task_id, msg);
    if (rc < 0)
        return fail(call, rc, msg);
    svc_watch_subscribe(ctx->watch, call, req->graph, req->task_id);
    return GRPC_STATUS_OK; /* ignored: the call is kept */
}

static grpc_status_code read_result(hgc_call *call, void *ud)
{
    svc_ctx *ctx = ud;
    const Hgc__V1__ReadResultRequest *req = (const void *)hgc_call_request(call);
    char msg[SVC_MSG_MAX] = "";
    svc_task t;
    int rc = check_task_ref(ctx, req->graph, req->task_id, msg);
    if (rc < 0)
        return fail(call, rc, msg);
    int64_t limit = req->limit == 0 ? LIMIT_DEFAULT : req->limit;
    if (limit < -1 || limit > RESULT_LIMIT_MAX)
        return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "limit must be -1 (all), 0 (the default, %d) or from 1 to %d, "
                                  "got %lld",
                                  LIMIT_DEFAULT, RESULT_LIMIT_MAX, (long long)req->limit);
    if (req->offset < 0)
        return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "offset must be 0 or more, got %lld", (long long)req->offset);
    svc_result_order order;
    if (svc_result_order_parse(&order, req->order) < 0)
        return hgc_call_set_error(call, GRPC_STATUS_INVALID_ARGUMENT,
                                  "order must be 'asc' or 'desc' (by value) or empty (by vertex), "
                                  "got '%.20s'",
                                  req->order);
    if ((rc = svc_store_task_get(ctx->store, req->graph, req->task_id, &t)) < 0)
        return hgc_call_set_error(call, svc_grpc_status(rc),
                                  "task %lld of graph '%s' does not exist", (long long)req->task_id,
                                  req->graph);
    svc_status st = t.status;
    svc_task_release(&t);
    if (st != SVC_SUCCESS)
        return hgc_call_set_error(call, GRPC_STATUS_FAILED_PRECONDITION,
                                  "task %lld is %s; results exist once it has succeeded",
                                  (long long)req->task_id, svc_status_name(st));
    char path[PATH_MAX];
    svc_path_results(path, ctx->cfg->data_dir, req->graph, req->task_id);
    return svc_results_stream(call, path, req->task_id, order, req->offset, limit);
}

/* GetJob runs on the polling thread: two lookups on a read-only
 * connection (store_read.h), which never wait for a writer, a sync or a
 * checkpoint. So does ListJobs for a page of up to LIMIT_INLINE rows; its
 * cost grows with its limit (up to LIMIT_MAX rows, or all), and a bigger
 * page would hold every other call, workers' reports and health checks
 * included, behind it: those go to the pool (HGC_CALL_ON_POOL). */
static const hgc_method_impl methods[] = {
    {"CreateJob", HGC_RPC_UNARY, create_job, 0},
    {"GetJob", HGC_RPC_UNARY, get_job, HGC_METHOD_INLINE},
    {"ListJobs", HGC_RPC_UNARY, list_jobs, HGC_METHOD_INLINE},
    {"CancelJob", HGC_RPC_UNARY, cancel_job, 0},
    {"DeleteJob", HGC_RPC_UNARY, delete_job, 0},
    {"UpdateJobStatus", HGC_RPC_UNARY, update_job_status, HGC_METHOD_PRIORITY},
    {"WatchJob", HGC_RPC_SERVER_STREAM, watch_job, 0},
    {"ReadResult", HGC_RPC_SERVER_STREAM, read_result, 0},
};

int svc_job_service_add(hgc_server *server, svc_ctx *ctx, char msg[SVC_MSG_MAX])
{
    return hgc_server_add_service(server, &hgc__v1__job_service__descriptor, methods,
                                  sizeof methods / sizeof methods[0], ctx, msg);
}
