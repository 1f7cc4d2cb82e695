/* client_job.c: JobService calls of hgc_client.
 *
 * Unary calls fill a request and hand back the reply; the two server
 * streams (WatchJob, ReadResult) call back once per snapshot or row, so a
 * caller never holds more than one message of a long stream.
 */
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"

grpc_status_code hgc_client_job_submit(Hgc__V1__JobReply **out, hgc_client *c, const char *graph,
                                       const char *algorithm, int workers,
                                       const hgc_client_param *params, size_t n_params,
                                       hgc_status *st)
{
    Hgc__V1__CreateJobRequest req = HGC__V1__CREATE_JOB_REQUEST__INIT;
    Hgc__V1__CreateJobRequest__ParamsEntry *entries = NULL;
    Hgc__V1__CreateJobRequest__ParamsEntry **ptrs = NULL;
    ProtobufCMessage *reply = NULL;

    if (n_params > 0) {
        entries = calloc(n_params, sizeof(*entries));
        ptrs = calloc(n_params, sizeof(*ptrs));
        if (entries == NULL || ptrs == NULL) {
            client_fail(st, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
            goto done;
        }
    }
    for (size_t i = 0; i < n_params; i++) {
        Hgc__V1__CreateJobRequest__ParamsEntry init =
            HGC__V1__CREATE_JOB_REQUEST__PARAMS_ENTRY__INIT;

        entries[i] = init;
        entries[i].key = client_str(params[i].key);
        entries[i].value = client_str(params[i].value);
        ptrs[i] = &entries[i];
    }
    req.graph = client_str(graph);
    req.algorithm = client_str(algorithm);
    if (workers > 0) {
        req.worker_instances_present_case =
            HGC__V1__CREATE_JOB_REQUEST__WORKER_INSTANCES_PRESENT_WORKER_INSTANCES;
        req.worker_instances = workers;
    }
    req.n_params = n_params;
    req.params = ptrs;
    if (client_unary(c, 1, "CreateJob", &req.base, &reply, st) == GRPC_STATUS_OK)
        *out = (Hgc__V1__JobReply *)reply;
done:
    free(ptrs);
    free(entries);
    return st->code;
}

grpc_status_code hgc_client_job_get(Hgc__V1__Task **out, hgc_client *c, const char *graph,
                                    int64_t task_id, hgc_status *st)
{
    Hgc__V1__GetJobRequest req = HGC__V1__GET_JOB_REQUEST__INIT;
    ProtobufCMessage *reply = NULL;

    req.graph = client_str(graph);
    req.task_id = task_id;
    if (client_unary(c, 1, "GetJob", &req.base, &reply, st) == GRPC_STATUS_OK)
        *out = (Hgc__V1__Task *)reply;
    return st->code;
}

grpc_status_code hgc_client_job_list(Hgc__V1__ListJobsResponse **out, hgc_client *c,
                                     const char *graph, int64_t limit, const char *status,
                                     const char *page, hgc_status *st)
{
    Hgc__V1__ListJobsRequest req = HGC__V1__LIST_JOBS_REQUEST__INIT;
    ProtobufCMessage *reply = NULL;

    req.graph = client_str(graph);
    req.limit = limit;
    req.status = client_str(status);
    if (page != NULL) { /* given, even empty: the answer says the next page */
        req.page_present_case = HGC__V1__LIST_JOBS_REQUEST__PAGE_PRESENT_PAGE;
        req.page = (char *)page;
    }
    if (client_unary(c, 1, "ListJobs", &req.base, &reply, st) == GRPC_STATUS_OK)
        *out = (Hgc__V1__ListJobsResponse *)reply;
    return st->code;
}

grpc_status_code hgc_client_job_cancel(hgc_client *c, const char *graph, int64_t task_id,
                                       hgc_status *st)
{
    Hgc__V1__CancelJobRequest req = HGC__V1__CANCEL_JOB_REQUEST__INIT;
    ProtobufCMessage *reply = NULL;

    req.graph = client_str(graph);
    req.task_id = task_id;
    client_unary(c, 1, "CancelJob", &req.base, &reply, st);
    hgc_client_reply_free(reply);
    return st->code;
}

grpc_status_code hgc_client_job_delete(Hgc__V1__JobReply **out, hgc_client *c, const char *graph,
                                       int64_t task_id, hgc_status *st)
{
    Hgc__V1__DeleteJobRequest req = HGC__V1__DELETE_JOB_REQUEST__INIT;
    ProtobufCMessage *reply = NULL;

    req.graph = client_str(graph);
    req.task_id = task_id;
    if (client_unary(c, 1, "DeleteJob", &req.base, &reply, st) == GRPC_STATUS_OK)
        *out = (Hgc__V1__JobReply *)reply;
    return st->code;
}

grpc_status_code hgc_client_job_update(Hgc__V1__JobReply **out, hgc_client *c, const char *graph,
                                       int64_t task_id, const char *status, int progress,
                                       const char *message, hgc_status *st)
{
    Hgc__V1__UpdateJobStatusRequest req = HGC__V1__UPDATE_JOB_STATUS_REQUEST__INIT;
    ProtobufCMessage *reply = NULL;

    req.graph = client_str(graph);
    req.task_id = task_id;
    req.status = client_str(status);
    req.message = client_str(message);
    if (progress >= 0) {
        req.progress_present_case = HGC__V1__UPDATE_JOB_STATUS_REQUEST__PROGRESS_PRESENT_PROGRESS;
        req.progress = progress;
    }
    if (client_unary(c, 1, "UpdateJobStatus", &req.base, &reply, st) == GRPC_STATUS_OK)
        *out = (Hgc__V1__JobReply *)reply;
    return st->code;
}

/* Reads a server stream to its end, handing each message to `each`; a
 * nonzero return from `each` cancels the call, which then counts as OK. */
typedef int (*each_fn)(const ProtobufCMessage *m, void *ctx);

static grpc_status_code read_stream(hgc_client *c, const char *method, const ProtobufCMessage *req,
                                    each_fn each, void *ctx, hgc_status *st)
{
    hgc_stream *s = NULL;
    ProtobufCMessage *m = NULL;
    char msg[HGC_MSG_MAX] = "";
    int stopped = 0;

    st->code = GRPC_STATUS_OK;
    st->message[0] = '\0';
    if (hgc_stream_start(&s, c->channel, &hgc__v1__job_service__descriptor, method, req, 0, msg) !=
        0) {
        client_fail(st, GRPC_STATUS_UNAVAILABLE, "%s", msg);
        goto done;
    }
    while (!stopped && hgc_stream_recv(s, &m) == 1) {
        stopped = each(m, ctx);
        hgc_client_reply_free(m);
        m = NULL;
    }
    if (stopped) {
        hgc_stream_cancel(s);
        goto done;
    }
    hgc_stream_finish(s, st);
done:
    hgc_stream_free(s);
    return st->code;
}

struct watch_ctx {
    hgc_client_task_fn fn;
    void *user_data;
};

static int watch_each(const ProtobufCMessage *m, void *ctx)
{
    struct watch_ctx *w = ctx;

    return w->fn((const Hgc__V1__Task *)m, w->user_data);
}

grpc_status_code hgc_client_job_watch(hgc_client *c, const char *graph, int64_t task_id,
                                      hgc_client_task_fn fn, void *user_data, hgc_status *st)
{
    Hgc__V1__WatchJobRequest req = HGC__V1__WATCH_JOB_REQUEST__INIT;
    struct watch_ctx w = {fn, user_data};

    req.graph = client_str(graph);
    req.task_id = task_id;
    return read_stream(c, "WatchJob", &req.base, watch_each, &w, st);
}

struct result_ctx {
    hgc_client_result_info *info;
    int have_info;
    hgc_client_row_fn fn;
    void *user_data;
};

static void copy_text(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src != NULL ? src : "");
}

static int result_each(const ProtobufCMessage *m, void *ctx)
{
    const Hgc__V1__ResultPage *page = (const Hgc__V1__ResultPage *)m;
    struct result_ctx *r = ctx;

    if (!r->have_info && r->info != NULL) {
        r->info->task_id = page->task_id;
        r->info->total = page->total;
        copy_text(r->info->algorithm, sizeof(r->info->algorithm), page->algorithm);
        copy_text(r->info->property, sizeof(r->info->property), page->property);
    }
    r->have_info = 1;
    for (size_t i = 0; i < page->n_rows; i++)
        if (r->fn(page->rows[i], r->user_data) != 0)
            return 1;
    return 0;
}

grpc_status_code hgc_client_job_result(hgc_client_result_info *info, hgc_client *c,
                                       const char *graph, int64_t task_id, int64_t limit,
                                       int64_t offset, const char *order, hgc_client_row_fn fn,
                                       void *user_data, hgc_status *st)
{
    Hgc__V1__ReadResultRequest req = HGC__V1__READ_RESULT_REQUEST__INIT;
    struct result_ctx r = {info, 0, fn, user_data};

    if (info != NULL)
        memset(info, 0, sizeof(*info));
    req.graph = client_str(graph);
    req.task_id = task_id;
    req.limit = limit;
    req.offset = offset;
    req.order = client_str(order);
    return read_stream(c, "ReadResult", &req.base, result_each, &r, st);
}
