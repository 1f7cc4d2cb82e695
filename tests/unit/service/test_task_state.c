/* Every pair of statuses against the contract's task model, stated here
 * independently of task_state.c's table. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "task_state.h"

static const char *const all[] = {"new",     "scheduling", "scheduled",  "queued",    "restoring",
                                  "running", "success",    "cancelling", "cancelled", "failed"};

/* The moves the service relies on, as "from>to". */
static const char *const allowed[] = {
    "new>scheduling",     "new>scheduled",        "new>queued",           "new>running",
    "new>cancelled",      "new>failed",           "scheduling>scheduled", "scheduling>queued",
    "scheduling>running", "scheduling>cancelled", "scheduling>failed",    "scheduled>queued",
    "scheduled>running",  "scheduled>cancelled",  "scheduled>failed",     "queued>scheduling",
    "queued>scheduled",   "queued>restoring",     "queued>running",       "queued>cancelled",
    "queued>failed",      "restoring>queued",     "restoring>running",    "restoring>cancelled",
    "restoring>failed",   "running>restoring",    "running>queued",       "running>success",
    "running>cancelling", "running>cancelled",    "running>failed",       "cancelling>cancelled",
    "cancelling>failed",
};

static int expected(const char *from, const char *to)
{
    char key[64];
    if (strcmp(from, to) == 0)
        return strcmp(from, "success") && strcmp(from, "cancelled") && strcmp(from, "failed");
    snprintf(key, sizeof key, "%s>%s", from, to);
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (strcmp(allowed[i], key) == 0)
            return 1;
    return 0;
}

Test(task_state, every_pair_of_statuses)
{
    for (size_t i = 0; i < 10; i++)
        for (size_t j = 0; j < 10; j++) {
            int from = svc_status_parse(all[i]), to = svc_status_parse(all[j]);
            cr_assert_geq(from, 0);
            cr_assert_geq(to, 0);
            cr_expect_eq(svc_task_move_allowed(from, to), expected(all[i], all[j]), "%s -> %s",
                         all[i], all[j]);
        }
}

Test(task_state, final_states_never_move)
{
    const char *finals[] = {"success", "cancelled", "failed"};
    for (size_t i = 0; i < 3; i++) {
        int f = svc_status_parse(finals[i]);
        cr_assert(svc_status_is_final(f));
        for (int to = 0; to < SVC_STATUS_COUNT; to++)
            cr_expect_not(svc_task_move_allowed(f, to), "%s -> %s", finals[i], svc_status_name(to));
    }
}

Test(task_state, names_round_trip_and_words)
{
    for (size_t i = 0; i < 10; i++) {
        cr_expect_str_eq(svc_status_name(svc_status_parse(all[i])), all[i]);
    }
    cr_expect_eq(svc_status_parse("RUNNING"), SVC_RUNNING);
    cr_expect_eq(svc_status_parse("Running"), SVC_RUNNING);
    cr_expect_eq(svc_status_parse("SUCCEEDED"), SVC_SUCCESS);
    cr_expect_eq(svc_status_parse("succeeded"), SVC_SUCCESS);
    cr_expect_eq(svc_status_parse("FAILED"), SVC_FAILED);
    cr_expect_eq(svc_status_parse("CANCELLED"), SVC_CANCELLED);
    cr_expect_eq(svc_status_parse("INITIALIZING"), SVC_SCHEDULED);
    cr_expect_eq(svc_status_parse("done"), -1);
    cr_expect_eq(svc_status_parse(""), -1);
    cr_expect_eq(svc_status_parse(NULL), -1);
    cr_expect_eq(svc_task_move_allowed(-1, SVC_RUNNING), 0);
    cr_expect_eq(svc_task_move_allowed(SVC_RUNNING, SVC_STATUS_COUNT), 0);
}
