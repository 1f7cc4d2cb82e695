/* scheduler.h: runs queued tasks, FIFO, at most max_jobs at once, each in
 * an hgc-worker process (posix_spawn, own process group, output to the
 * task's log). Reaps workers: a worker that dies or exits without a
 * result is retried up to max_retries, then its task fails with the
 * reason. Cancel signals the worker's process group.
 *
 * One thread does all of it, waking on a kick or every 50 ms, so a task's
 * process bookkeeping has one owner.
 */
#ifndef SVC_SCHEDULER_H
#define SVC_SCHEDULER_H

#include "service.h"

/* Restores tasks left unfinished by the last run (restoring, retries + 1,
 * then queued; failed past max_retries; cancelling -> cancelled), kills
 * workers left over from it, then starts the scheduling thread. */
int svc_scheduler_start(svc_scheduler **out, svc_ctx *ctx, char msg[SVC_MSG_MAX]);

/* Starts running tasks, whose workers report to `report_addr`
 * ("127.0.0.1:50051"). Until then tasks only queue. */
void svc_scheduler_serve(svc_scheduler *s, const char *report_addr);

/* Wakes the scheduler (a task was queued). */
void svc_scheduler_kick(svc_scheduler *s);

/* Cancels a task: not started -> cancelled at once; running -> cancelling
 * and its workers are stopped (SIGTERM, SIGKILL after a second), then
 * cancelled; finished -> nothing. 0, or -ENOENT. */
int svc_scheduler_cancel(svc_scheduler *s, const char *graph, int64_t id, char msg[SVC_MSG_MAX]);

/* A task reached a final state by an outside report: stop its workers if
 * any still run. */
void svc_scheduler_task_final(svc_scheduler *s, const char *graph, int64_t id);

/* Stops every worker and the thread. Tasks stay as they are in the store
 * and are restored on the next start. NULL is fine. */
void svc_scheduler_stop(svc_scheduler *s);

#endif
