/* hgc_client.h: a small typed client of hgc's JobService and GraphService.
 *
 * A thin layer over the blocking calls of hgc_rpc.h: one function per RPC,
 * taking plain C arguments and handing back the generated protobuf-c reply.
 * The `hgc` command-line tool is built on it; so can any C program.
 *
 * Return values: every call returns the gRPC status code of the call
 * (GRPC_STATUS_OK on success) and fills `st` with that code and a message
 * for people: the server's text, or ours for a failure on this side
 * (a file that can't be read, a bad argument). Outputs come first and are
 * set only on GRPC_STATUS_OK; replies are owned by the caller and freed
 * with hgc_client_reply_free().
 *
 * Deadlines: unary calls use the client's timeout (30 s unless set);
 * streams (load, watch, result) have none, since their length depends on
 * the data. A server that is down shows as UNAVAILABLE on the first call.
 *
 * Threads: one hgc_client may be used from one thread at a time.
 */
#ifndef HGC_CLIENT_H
#define HGC_CLIENT_H

#include <stdint.h>
#include <stdio.h>

#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "hgc_rpc.h"

#define HGC_CLIENT_DEFAULT_TARGET     "127.0.0.1:50051"
#define HGC_CLIENT_TARGET_ENV         "HGC_SERVER"
#define HGC_CLIENT_DEFAULT_TIMEOUT_MS 30000
/* Edge-list text goes to the server in pieces of this size: well under
 * gRPC's 4 MiB default message ceiling, large enough to keep the stream
 * busy. */
#define HGC_CLIENT_LOAD_CHUNK (1024 * 1024)

typedef struct hgc_client hgc_client;

/* A connection to one server. `target` is "host:port"; NULL or "" means
 * $HGC_SERVER, or HGC_CLIENT_DEFAULT_TARGET when that is unset or empty.
 * Does not connect yet. Returns 0, or negative with `msg` filled. */
int hgc_client_new(hgc_client **out, const char *target, char msg[HGC_MSG_MAX]);
/* NULL is fine. */
void hgc_client_free(hgc_client *c);
/* The "host:port" in use (for messages such as "cannot reach ..."). */
const char *hgc_client_target(const hgc_client *c);
/* Deadline of unary calls in milliseconds; <= 0 means none. */
void hgc_client_set_timeout(hgc_client *c, int timeout_ms);

/* Frees any reply message handed out below; NULL is fine. */
void hgc_client_reply_free(void *reply);

/* ---- graphs ---------------------------------------------------------- */

grpc_status_code hgc_client_graph_create(Hgc__V1__Graph **out, hgc_client *c, const char *name,
                                         hgc_status *st);
grpc_status_code hgc_client_graph_get(Hgc__V1__Graph **out, hgc_client *c, const char *name,
                                      hgc_status *st);
grpc_status_code hgc_client_graph_list(Hgc__V1__ListGraphsResponse **out, hgc_client *c,
                                       hgc_status *st);
/* The sentence DropGraph requires (HugeGraph's guard); sent by _drop. */
#define HGC_CLIENT_DROP_CONFIRM "I'm sure to drop the graph"
grpc_status_code hgc_client_graph_drop(hgc_client *c, const char *name, hgc_status *st);

/* Called after each piece of a load is sent, with the bytes sent so far. */
typedef void (*hgc_client_progress_fn)(int64_t bytes_sent, void *user_data);

/* Streams edge-list text ("src dst [weight]" lines) from `in` to the
 * graph `name` (created if missing) through LoadEdges, in
 * HGC_CLIENT_LOAD_CHUNK pieces. A read error cancels the call, so the
 * server keeps the graph as it was (loads are all or nothing); it is
 * reported as GRPC_STATUS_DATA_LOSS. `in` is not closed. */
grpc_status_code hgc_client_graph_load_stream(Hgc__V1__LoadEdgesResponse **out, hgc_client *c,
                                              const char *name, FILE *in,
                                              hgc_client_progress_fn progress, void *user_data,
                                              hgc_status *st);
/* One input of a load: `format` is EdgeBatch.format ("" edges, "jsonl",
 * "graphalytics.properties", ".v", ".e"), read from `in`. */
typedef struct hgc_client_load_part {
    const char *format;
    FILE *in;
} hgc_client_load_part;

/* Streams the parts in order in one LoadEdges call (one new version);
 * a read error cancels the call as above. */
grpc_status_code hgc_client_graph_load_parts(Hgc__V1__LoadEdgesResponse **out, hgc_client *c,
                                             const char *name, const hgc_client_load_part *parts,
                                             size_t n_parts, hgc_client_progress_fn progress,
                                             void *user_data, hgc_status *st);
/* The same from a file; "-" is stdin. A file that can't be opened is
 * GRPC_STATUS_INVALID_ARGUMENT, before any call is made. */
grpc_status_code hgc_client_graph_load(Hgc__V1__LoadEdgesResponse **out, hgc_client *c,
                                       const char *name, const char *path,
                                       hgc_client_progress_fn progress, void *user_data,
                                       hgc_status *st);

/* One vertex with its properties (and the latest result of each
 * algorithm, as properties). An unknown graph or vertex is NOT_FOUND. */
grpc_status_code hgc_client_graph_vertex(Hgc__V1__Vertex **out, hgc_client *c, const char *graph,
                                         const Hgc__V1__VertexId *id, hgc_status *st);
/* The edges at a vertex. direction: "OUT", "IN" or "BOTH" (any case);
 * NULL or "" both. label: only edges of that label; NULL or "" all.
 * limit: 0 the server's default (100), -1 all. */
grpc_status_code hgc_client_graph_edges(Hgc__V1__ListEdgesResponse **out, hgc_client *c,
                                        const char *graph, const Hgc__V1__VertexId *id,
                                        const char *direction, const char *label, int64_t limit,
                                        hgc_status *st);

/* ---- jobs ------------------------------------------------------------ */

/* One algorithm option, HugeGraph-Computer spelling: "page_rank.alpha". */
typedef struct hgc_client_param {
    const char *key;
    const char *value;
} hgc_client_param;

/* workers <= 0: the server's default. The reply carries the task id. */
grpc_status_code hgc_client_job_submit(Hgc__V1__JobReply **out, hgc_client *c, const char *graph,
                                       const char *algorithm, int workers,
                                       const hgc_client_param *params, size_t n_params,
                                       hgc_status *st);
grpc_status_code hgc_client_job_get(Hgc__V1__Task **out, hgc_client *c, const char *graph,
                                    int64_t task_id, hgc_status *st);
/* limit: 0 the server's default (100), -1 all. status: filter, NULL or ""
 * for all. page: NULL not paging; "" the first page; else a token from an
 * earlier answer's `page` (the answer then has `page`: the next token, or
 * a null value at the end). */
grpc_status_code hgc_client_job_list(Hgc__V1__ListJobsResponse **out, hgc_client *c,
                                     const char *graph, int64_t limit, const char *status,
                                     const char *page, hgc_status *st);
grpc_status_code hgc_client_job_cancel(hgc_client *c, const char *graph, int64_t task_id,
                                       hgc_status *st);
grpc_status_code hgc_client_job_delete(Hgc__V1__JobReply **out, hgc_client *c, const char *graph,
                                       int64_t task_id, hgc_status *st);
/* progress < 0: not sent. message: NULL or "" for none. */
grpc_status_code hgc_client_job_update(Hgc__V1__JobReply **out, hgc_client *c, const char *graph,
                                       int64_t task_id, const char *status, int progress,
                                       const char *message, hgc_status *st);

/* Called with each snapshot of the task (the first at once, then one per
 * change); the snapshot is valid during the call only. Return nonzero to
 * stop watching. */
typedef int (*hgc_client_task_fn)(const Hgc__V1__Task *task, void *user_data);

/* Follows the task until it is final (the server then ends the stream) or
 * the callback asks to stop; both return GRPC_STATUS_OK. */
grpc_status_code hgc_client_job_watch(hgc_client *c, const char *graph, int64_t task_id,
                                      hgc_client_task_fn fn, void *user_data, hgc_status *st);

/* What every page of a result repeats. */
typedef struct hgc_client_result_info {
    int64_t task_id;
    int64_t total;      /* rows in the whole result */
    char algorithm[64]; /* canonical name; truncated if longer */
    char property[128];
} hgc_client_result_info;

/* Called once per row, in the server's order; the row is valid during the
 * call only. Return nonzero to stop reading. */
typedef int (*hgc_client_row_fn)(const Hgc__V1__ResultRow *row, void *user_data);

/* Reads a task's result rows. limit: 0 the server's default (100), -1 all.
 * order: NULL or "" by vertex, "asc" or "desc" by value. `info` (may be
 * NULL) is filled from the first page; zeroed if no page came. */
grpc_status_code hgc_client_job_result(hgc_client_result_info *info, hgc_client *c,
                                       const char *graph, int64_t task_id, int64_t limit,
                                       int64_t offset, const char *order, hgc_client_row_fn fn,
                                       void *user_data, hgc_status *st);

#endif
