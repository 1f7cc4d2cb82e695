/* task_state.h: the task state machine of docs/contract.md, in one place.
 *
 * Statuses in HugeGraph's words. success, cancelled and failed are final:
 * nothing moves a task out of them. Every change of a task's status in
 * the service goes through svc_task_move_allowed().
 */
#ifndef SVC_TASK_STATE_H
#define SVC_TASK_STATE_H

typedef enum svc_status {
    SVC_NEW = 0,
    SVC_SCHEDULING,
    SVC_SCHEDULED,
    SVC_QUEUED,
    SVC_RESTORING,
    SVC_RUNNING,
    SVC_SUCCESS,
    SVC_CANCELLING,
    SVC_CANCELLED,
    SVC_FAILED,
    SVC_STATUS_COUNT
} svc_status;

/* "new", "running", ... */
const char *svc_status_name(svc_status s);

/* A status word as callers send it: a task status in any case
 * ("running", "RUNNING"), or one of HugeGraph-Computer's job states
 * (INITIALIZING -> scheduled, RUNNING, SUCCEEDED -> success,
 * FAILED, CANCELLED). Returns the status, or -1 if the word is none. */
int svc_status_parse(const char *word);

/* The words svc_status_parse accepts, for error messages. */
const char *svc_status_words(void);

int svc_status_is_final(svc_status s);

/* Whether a task may move from `from` to `to`. A move to the same status
 * is allowed for unfinished tasks (a progress report) and refused for
 * final ones. */
int svc_task_move_allowed(svc_status from, svc_status to);

#endif
