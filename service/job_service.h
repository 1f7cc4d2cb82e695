/* job_service.h: hgc.v1.JobService handlers. */
#ifndef SVC_JOB_SERVICE_H
#define SVC_JOB_SERVICE_H

#include "hgc/v1/jobs.pb-c.h"
#include "hgc_rpc.h"
#include "service.h"

int svc_job_service_add(hgc_server *server, svc_ctx *ctx, char msg[SVC_MSG_MAX]);

/* A task as the proto shows it; strings point into *t. */
void svc_task_to_proto(Hgc__V1__Task *out, const svc_task *t);

#endif
