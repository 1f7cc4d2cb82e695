/* job_request.h: turns a CreateJobRequest into a task to store, or into a
 * clear refusal, before anything is stored (docs/contract.md, create).
 *
 * The algorithm may be named in `algorithm` (the path, or the later
 * body), in `internal_algorithm` ("[pagerank]", "pagerank", a list) and by
 * `params_class`; every name given must resolve to the same catalog entry.
 * Options are checked against the catalog; the worker count must be a
 * whole number from 1 to the configured maximum.
 */
#ifndef SVC_JOB_REQUEST_H
#define SVC_JOB_REQUEST_H

#include "hgc/v1/jobs.pb-c.h"
#include "service.h"
#include "store.h"

/* Fills t->algorithm, task_name, input (JSON; free with svc_task_release)
 * and workers. Returns 0, or -EINVAL with msg. The graph is not checked
 * here. */
int svc_job_request_check(svc_task *t, const Hgc__V1__CreateJobRequest *req, int max_workers,
                          char msg[SVC_MSG_MAX]);

/* The options of a checked task (t->algorithm, t->input) that name a
 * vertex (the catalog's ALGO_OPT_F_VERTEX: ppr.source, ...) against
 * version `version` of `graph`: 0, -EINVAL with msg when a vertex does not
 * exist, or another negative code with msg when the snapshot can't be read. */
int svc_job_request_check_vertices(svc_ctx *ctx, const svc_task *t, const char *graph,
                                   int64_t version, char msg[SVC_MSG_MAX]);

#endif
