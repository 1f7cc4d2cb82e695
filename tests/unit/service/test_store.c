/* The store on a real SQLite file in a temporary folder. */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

static char dir[] = "/tmp/hgc-test-store-XXXXXX";
static char path[256];
static svc_store *st;
static char emsg[SVC_MSG_MAX]; /* the message of a write that failed */

static void setup(void)
{
    char msg[SVC_MSG_MAX];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/hgc.db", dir);
    cr_assert_eq(svc_store_open(&st, path, msg), 0, "%s", msg);
}

static void teardown(void)
{
    svc_store_close(st);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
}

TestSuite(store, .init = setup, .fini = teardown);

static int64_t new_task(const char *graph)
{
    svc_task t = {0}, out;
    snprintf(t.graph, sizeof t.graph, "%s", graph);
    snprintf(t.algorithm, sizeof t.algorithm, "page-rank");
    snprintf(t.task_name, sizeof t.task_name, "computer-proxy:page-rank");
    snprintf(t.server, sizeof t.server, "server-1");
    t.input = (char *)"{\"algorithm\":\"page-rank\"}";
    t.graph_version = 1;
    t.workers = 1;
    cr_assert_eq(svc_store_task_create(st, &t, &out, emsg), 0);
    int64_t id = out.id;
    cr_expect_eq(out.status, SVC_QUEUED);
    cr_expect_str_eq(out.input, "{\"algorithm\":\"page-rank\"}");
    svc_task_release(&out);
    return id;
}

static void load(const char *graph)
{
    svc_graph g;
    cr_assert_eq(svc_store_graph_commit_load(st, graph, 0, 10, 17, 0, &g, emsg), 0);
    cr_expect_eq(g.version, 1);
}

Test(store, graphs_create_load_list_drop)
{
    svc_graph g, *list = NULL;
    size_t n = 0;
    char msg[SVC_MSG_MAX];
    cr_expect_eq(svc_store_graph_get(st, "g", &g), -ENOENT);
    cr_assert_eq(svc_store_graph_create(st, "g", &g, emsg), 0);
    cr_expect_eq(g.version, 0);
    cr_expect_eq(svc_store_graph_create(st, "g", &g, emsg), -EEXIST);
    cr_assert_eq(svc_store_graph_commit_load(st, "g", 0, 5, 6, 1, &g, emsg), 0);
    cr_expect_eq(g.version, 1);
    cr_expect_eq(g.vertices, 5);
    cr_expect_eq(g.weighted, 1);
    /* A load that started from an older version is refused. */
    cr_expect_eq(svc_store_graph_commit_load(st, "g", 0, 9, 9, 0, &g, emsg), -EBUSY);
    cr_assert_eq(svc_store_graph_commit_load(st, "h", 0, 1, 1, 0, &g, emsg), 0);
    cr_assert_eq(svc_store_graph_list(st, &list, &n), 0);
    cr_assert_eq(n, 2);
    cr_expect_str_eq(list[0].name, "g");
    cr_expect_str_eq(list[1].name, "h");
    free(list);
    cr_expect_eq(svc_store_graph_drop(st, "g", msg), 0);
    cr_expect_eq(svc_store_graph_get(st, "g", &g), -ENOENT);
    cr_expect_eq(svc_store_graph_drop(st, "g", msg), -ENOENT);
}

Test(store, task_ids_count_per_graph)
{
    load("a");
    load("b");
    cr_expect_eq(new_task("a"), 1);
    cr_expect_eq(new_task("a"), 2);
    cr_expect_eq(new_task("b"), 1);
    cr_expect_eq(new_task("a"), 3);
    svc_task t = {0};
    snprintf(t.graph, sizeof t.graph, "nope");
    t.input = (char *)"{}";
    cr_expect_eq(svc_store_task_create(st, &t, NULL, emsg), -ENOENT);
}

Test(store, changes_follow_the_state_machine)
{
    char msg[SVC_MSG_MAX] = "";
    svc_task after;
    load("g");
    int64_t id = new_task("g");
    svc_task_change c = SVC_TASK_CHANGE_INIT;
    c.status = SVC_SUCCESS; /* queued -> success is not a move */
    cr_expect_eq(svc_store_task_change(st, "g", id, &c, NULL, msg), -EPERM);
    cr_expect(strstr(msg, "queued") && strstr(msg, "success"), "%s", msg);
    c.status = SVC_RUNNING;
    c.progress = 0;
    cr_assert_eq(svc_store_task_change(st, "g", id, &c, NULL, msg), 0);
    svc_task_change p = SVC_TASK_CHANGE_INIT;
    p.status = SVC_RUNNING;
    p.progress = 40;
    cr_assert_eq(svc_store_task_change(st, "g", id, &p, &after, msg), 0);
    cr_expect_eq(after.progress, 40);
    svc_task_release(&after);
    svc_task_change s = SVC_TASK_CHANGE_INIT;
    s.status = SVC_SUCCESS;
    s.result = "{\"vertices\":10}";
    cr_assert_eq(svc_store_task_change(st, "g", id, &s, &after, msg), 0);
    cr_expect_eq(after.progress, 100);
    cr_expect_str_eq(after.result, "{\"vertices\":10}");
    svc_task_release(&after);
    /* Final is final. */
    svc_task_change again = SVC_TASK_CHANGE_INIT;
    again.status = SVC_RUNNING;
    cr_expect_eq(svc_store_task_change(st, "g", id, &again, NULL, msg), -EPERM);
    cr_expect(strstr(msg, "final"), "%s", msg);
    cr_expect_eq(svc_store_task_change(st, "g", 99, &again, NULL, msg), -ENOENT);
}

Test(store, stale_attempts_are_refused)
{
    char msg[SVC_MSG_MAX] = "";
    load("g");
    int64_t id = new_task("g");
    svc_task_change c = SVC_TASK_CHANGE_INIT;
    c.status = SVC_RUNNING;
    c.attempt = 0; /* retries is 0 */
    cr_assert_eq(svc_store_task_change(st, "g", id, &c, NULL, msg), 0);
    svc_task_change retry = SVC_TASK_CHANGE_INIT;
    retry.status = SVC_QUEUED;
    retry.retries_add = 1;
    cr_assert_eq(svc_store_task_change(st, "g", id, &retry, NULL, msg), 0);
    c.attempt = 0; /* the old worker */
    cr_expect_eq(svc_store_task_change(st, "g", id, &c, NULL, msg), -EBUSY);
    c.attempt = 1;
    cr_expect_eq(svc_store_task_change(st, "g", id, &c, NULL, msg), 0);
}

Test(store, an_attempts_end_reported_again_is_taken_as_done)
{
    char msg[SVC_MSG_MAX] = "";
    svc_task after;
    load("g");
    int64_t id = new_task("g");
    svc_task_change run = SVC_TASK_CHANGE_INIT;
    run.status = SVC_RUNNING;
    cr_assert_eq(svc_store_task_change(st, "g", id, &run, NULL, msg), 0);
    svc_task_change end = SVC_TASK_CHANGE_INIT;
    end.status = SVC_SUCCESS;
    end.result = "{\"vertices\":10}";
    end.attempt = 0;
    cr_assert_eq(svc_store_task_change(st, "g", id, &end, NULL, msg), 0);
    /* The worker's retry of the same end (its first answer said the sync
     * failed): done, nothing written, the first result kept. */
    end.result = "{\"vertices\":11}";
    end.retries_add = 1;
    cr_assert_eq(svc_store_task_change(st, "g", id, &end, &after, msg), 0, "%s", msg);
    cr_expect_eq(after.status, SVC_SUCCESS);
    cr_expect_eq(after.retries, 0);
    cr_expect_str_eq(after.result, "{\"vertices\":10}");
    svc_task_release(&after);
    /* Anyone else's repeat, another end, or another attempt: refused. */
    end.attempt = -1;
    cr_expect_eq(svc_store_task_change(st, "g", id, &end, NULL, msg), -EPERM);
    end.attempt = 0;
    end.status = SVC_FAILED;
    cr_expect_eq(svc_store_task_change(st, "g", id, &end, NULL, msg), -EPERM);
    end.status = SVC_SUCCESS;
    end.attempt = 1;
    cr_expect_eq(svc_store_task_change(st, "g", id, &end, NULL, msg), -EBUSY);
}

Test(store, list_pages_filters_and_next_queued)
{
    char msg[SVC_MSG_MAX];
    load("g");
    for (int i = 0; i < 5; i++)
        new_task("g");
    svc_task_change c = SVC_TASK_CHANGE_INIT;
    c.status = SVC_CANCELLED;
    cr_assert_eq(svc_store_task_change(st, "g", 1, &c, NULL, msg), 0);
    svc_task *ts;
    size_t n;
    int more;
    cr_assert_eq(svc_store_task_list(st, "g", -1, 0, 2, &ts, &n, &more), 0);
    cr_expect_eq(n, 2);
    cr_expect(more);
    cr_expect_eq(ts[0].id, 1);
    cr_expect_eq(ts[1].id, 2);
    svc_tasks_free(ts, n);
    cr_assert_eq(svc_store_task_list(st, "g", -1, 4, 2, &ts, &n, &more), 0);
    cr_expect_eq(n, 1);
    cr_expect_not(more);
    cr_expect_eq(ts[0].id, 5);
    svc_tasks_free(ts, n);
    cr_assert_eq(svc_store_task_list(st, "g", SVC_QUEUED, 0, -1, &ts, &n, &more), 0);
    cr_expect_eq(n, 4);
    svc_tasks_free(ts, n);
    svc_task next;
    cr_assert_eq(svc_store_task_next_queued(st, &next), 0);
    cr_expect_eq(next.id, 2, "the oldest queued task comes first");
    cr_expect_str_eq(next.input, "{\"algorithm\":\"page-rank\"}");
    cr_expect(next.graph_version == 1 && next.workers == 1);
    svc_task_release(&next);
    /* the tasks to restore come whole: a list of summaries leaves out
     * what a restart needs (the version, the workers, the pid) */
    c = (svc_task_change)SVC_TASK_CHANGE_INIT;
    c.status = SVC_RUNNING;
    c.pid = 4242;
    cr_assert_eq(svc_store_task_change(st, "g", 3, &c, NULL, msg), 0);
    cr_assert_eq(svc_store_task_unfinished(st, &ts, &n), 0);
    cr_expect_eq(n, 4);
    for (size_t i = 0; i < n; i++) {
        cr_expect_str_eq(ts[i].algorithm, "page-rank");
        cr_expect_str_eq(ts[i].input, "{\"algorithm\":\"page-rank\"}");
        cr_expect_str_eq(ts[i].result, "");
        cr_expect(ts[i].graph_version == 1 && ts[i].workers == 1, "task %lld", (long long)ts[i].id);
        cr_expect_eq(ts[i].pid, ts[i].id == 3 ? 4242 : 0, "task %lld", (long long)ts[i].id);
    }
    svc_tasks_free(ts, n);
}

Test(store, delete_only_finished_and_drop_refuses_busy_graph)
{
    char msg[SVC_MSG_MAX] = "";
    load("g");
    int64_t id = new_task("g");
    svc_task removed;
    cr_expect_eq(svc_store_task_delete(st, "g", id, &removed, msg), -EBUSY);
    cr_expect(strstr(msg, "cancel it first"), "%s", msg);
    cr_expect_eq(svc_store_graph_drop(st, "g", msg), -EBUSY);
    svc_task_change c = SVC_TASK_CHANGE_INIT;
    c.status = SVC_CANCELLED;
    cr_assert_eq(svc_store_task_change(st, "g", id, &c, NULL, msg), 0);
    cr_assert_eq(svc_store_task_delete(st, "g", id, &removed, msg), 0);
    cr_expect_eq(removed.id, id);
    svc_task_release(&removed);
    svc_task t;
    cr_expect_eq(svc_store_task_get(st, "g", id, &t), -ENOENT);
    cr_expect_eq(svc_store_graph_drop(st, "g", msg), 0);
}

Test(store, survives_reopen)
{
    char msg[SVC_MSG_MAX];
    load("g");
    int64_t id = new_task("g");
    svc_store_close(st);
    cr_assert_eq(svc_store_open(&st, path, msg), 0);
    svc_task t;
    cr_assert_eq(svc_store_task_get(st, "g", id, &t), 0);
    cr_expect_eq(t.status, SVC_QUEUED);
    svc_task_release(&t);
    cr_expect_eq(new_task("g"), id + 1);
}

/* A task pins the version the catalog has when it is stored: a caller that
 * read an older one is told to read again (-EAGAIN) and nothing is stored;
 * counts of a small load change the counts, not the version. */
Test(store, task_pins_only_the_current_version)
{
    svc_graph g;
    svc_task t = {0}, out;
    svc_task *list = NULL;
    size_t n = 0;
    int more = 0;
    load("g");
    cr_assert_eq(svc_store_graph_commit_load(st, "g", 1, 11, 18, 0, &g, emsg), 0);
    snprintf(t.graph, sizeof t.graph, "g");
    snprintf(t.algorithm, sizeof t.algorithm, "page-rank");
    t.input = (char *)"{}";
    t.graph_version = 1;
    cr_expect_eq(svc_store_task_create(st, &t, &out, emsg), -EAGAIN);
    cr_assert_eq(svc_store_task_list(st, "g", -1, 0, -1, &list, &n, &more), 0);
    cr_expect_eq(n, 0);
    svc_tasks_free(list, n);
    t.graph_version = 2;
    cr_assert_eq(svc_store_task_create(st, &t, &out, emsg), 0);
    cr_expect_eq(out.graph_version, 2);
    svc_task_release(&out);

    cr_assert_eq(svc_store_graph_set_counts(st, "g", 2, 12, 20, 1, &g, emsg), 0);
    cr_expect_eq(g.version, 2);
    cr_expect_eq(g.vertices, 12);
    cr_expect_eq(g.edges, 20);
    cr_expect_eq(g.weighted, 1);
    cr_expect_eq(svc_store_graph_set_counts(st, "g", 1, 1, 1, 0, &g, emsg), -EBUSY);
    cr_expect_eq(svc_store_graph_set_counts(st, "nope", 0, 1, 1, 0, &g, emsg), -ENOENT);
}

/* Writers that commit together (each waits for its commit to be synced,
 * sharing syncs) all get distinct ids, and every one is there after a
 * reopen; the same under each sync mode. */
typedef struct creator {
    int n, errors;
    int64_t ids[40];
} creator;

static void *create_many(void *arg)
{
    creator *c = arg;
    char m[SVC_MSG_MAX];
    for (int i = 0; i < c->n; i++) {
        svc_task t = {0}, out;
        snprintf(t.graph, sizeof t.graph, "g");
        snprintf(t.algorithm, sizeof t.algorithm, "page-rank");
        t.input = (char *)"{}";
        t.graph_version = 1;
        if (svc_store_task_create(st, &t, &out, m) < 0) {
            c->errors++;
            continue;
        }
        c->ids[i] = out.id;
        svc_task_release(&out);
    }
    return NULL;
}

Test(store, concurrent_commits_each_sync_mode)
{
    enum { THREADS = 6, EACH = 40 };
    static const svc_store_sync modes[] = {SVC_SYNC_GROUP, SVC_SYNC_FULL, SVC_SYNC_NONE};
    char msg[SVC_MSG_MAX];
    load("g");
    int64_t total = 0;
    for (size_t k = 0; k < 3; k++) {
        cr_assert_eq(svc_store_set_sync(st, modes[k]), 0);
        pthread_t th[THREADS];
        creator c[THREADS];
        for (int i = 0; i < THREADS; i++) {
            memset(&c[i], 0, sizeof c[i]);
            c[i].n = EACH;
            cr_assert_eq(pthread_create(&th[i], NULL, create_many, &c[i]), 0);
        }
        for (int i = 0; i < THREADS; i++) {
            pthread_join(th[i], NULL);
            cr_expect_eq(c[i].errors, 0);
        }
        total += THREADS * EACH;
    }
    svc_store_close(st);
    cr_assert_eq(svc_store_open(&st, path, msg), 0, "%s", msg);
    svc_task *list = NULL;
    size_t n = 0;
    int more = 0;
    cr_assert_eq(svc_store_task_list(st, "g", -1, 0, -1, &list, &n, &more), 0);
    cr_expect_eq((int64_t)n, total);
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(list[i].id, (int64_t)i + 1, "ids 1..n, each once");
    svc_tasks_free(list, n);
}
