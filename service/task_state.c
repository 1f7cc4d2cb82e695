/* task_state.c: the task state machine (docs/contract.md, "The task").
 *
 * The normal life: new -> queued -> running -> success. Around it:
 * scheduling/scheduled for launchers that report them, restoring when the
 * service restarts or a worker is retried, cancelling while a running
 * worker is being stopped, failed from anywhere unfinished.
 */
#include "task_state.h"

#include <stddef.h>
#include <strings.h>

static const char *const names[SVC_STATUS_COUNT] = {
    [SVC_NEW] = "new",         [SVC_SCHEDULING] = "scheduling", [SVC_SCHEDULED] = "scheduled",
    [SVC_QUEUED] = "queued",   [SVC_RESTORING] = "restoring",   [SVC_RUNNING] = "running",
    [SVC_SUCCESS] = "success", [SVC_CANCELLING] = "cancelling", [SVC_CANCELLED] = "cancelled",
    [SVC_FAILED] = "failed",
};

#define B(s) (1u << (s))

/* allowed[from] is the set of statuses `from` may move to (besides
 * itself, handled in svc_task_move_allowed). */
static const unsigned allowed[SVC_STATUS_COUNT] = {
    [SVC_NEW] = B(SVC_SCHEDULING) | B(SVC_SCHEDULED) | B(SVC_QUEUED) | B(SVC_RUNNING) |
                B(SVC_CANCELLED) | B(SVC_FAILED),
    [SVC_SCHEDULING] =
        B(SVC_SCHEDULED) | B(SVC_QUEUED) | B(SVC_RUNNING) | B(SVC_CANCELLED) | B(SVC_FAILED),
    [SVC_SCHEDULED] = B(SVC_QUEUED) | B(SVC_RUNNING) | B(SVC_CANCELLED) | B(SVC_FAILED),
    [SVC_QUEUED] = B(SVC_SCHEDULING) | B(SVC_SCHEDULED) | B(SVC_RESTORING) | B(SVC_RUNNING) |
                   B(SVC_CANCELLED) | B(SVC_FAILED),
    [SVC_RESTORING] = B(SVC_QUEUED) | B(SVC_RUNNING) | B(SVC_CANCELLED) | B(SVC_FAILED),
    [SVC_RUNNING] = B(SVC_RESTORING) | B(SVC_QUEUED) | B(SVC_SUCCESS) | B(SVC_CANCELLING) |
                    B(SVC_CANCELLED) | B(SVC_FAILED),
    [SVC_CANCELLING] = B(SVC_CANCELLED) | B(SVC_FAILED),
    [SVC_SUCCESS] = 0,
    [SVC_CANCELLED] = 0,
    [SVC_FAILED] = 0,
};

const char *svc_status_name(svc_status s)
{
    return (unsigned)s < SVC_STATUS_COUNT ? names[s] : "unknown";
}

int svc_status_parse(const char *word)
{
    static const struct {
        const char *word;
        svc_status status;
    } job_states[] = {
        {"INITIALIZING", SVC_SCHEDULED},
        {"SUCCEEDED", SVC_SUCCESS},
    };
    if (word == NULL)
        return -1;
    for (int s = 0; s < SVC_STATUS_COUNT; s++)
        if (strcasecmp(word, names[s]) == 0)
            return s;
    for (size_t i = 0; i < sizeof job_states / sizeof job_states[0]; i++)
        if (strcasecmp(word, job_states[i].word) == 0)
            return (int)job_states[i].status;
    return -1;
}

const char *svc_status_words(void)
{
    return "INITIALIZING, RUNNING, SUCCEEDED, FAILED, CANCELLED, or a task status: "
           "new, scheduling, scheduled, queued, restoring, running, success, "
           "cancelling, cancelled, failed";
}

int svc_status_is_final(svc_status s)
{
    return s == SVC_SUCCESS || s == SVC_CANCELLED || s == SVC_FAILED;
}

int svc_task_move_allowed(svc_status from, svc_status to)
{
    if ((unsigned)from >= SVC_STATUS_COUNT || (unsigned)to >= SVC_STATUS_COUNT)
        return 0;
    if (from == to)
        return !svc_status_is_final(from);
    return (allowed[from] & B(to)) != 0;
}
