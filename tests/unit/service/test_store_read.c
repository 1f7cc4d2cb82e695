/* The store's read pool (store_read.h) on a real SQLite file beside the
 * store's writer: reads equal what the writer read inside its own
 * transactions, readers on many threads see whole rows and never an
 * acknowledged write missing, a read doesn't wait for an open write, the
 * snapshots reads keep between commits don't keep the WAL from starting
 * over, and closing leaves nothing behind (ASan's leak check, in the
 * sanitizer run). */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store.h"
#include "store_read.h"

static char dir[] = "/tmp/hgc-test-store-read-XXXXXX";
static char path[256];
static svc_store *st;
static svc_read_pool *pool;
static char emsg[SVC_MSG_MAX];

static void setup(void)
{
    char msg[SVC_MSG_MAX];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/hgc.db", dir);
    cr_assert_eq(svc_store_open(&st, path, msg), 0, "%s", msg);
    cr_assert_eq(svc_read_pool_open(&pool, path, 4, msg), 0, "%s", msg);
}

static void teardown(void)
{
    svc_read_pool_close(pool);
    svc_store_close(st);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
}

TestSuite(store_read, .init = setup, .fini = teardown);

/* A visitor that records ids, and fails with -ENOSPC once it has stop_at. */
typedef struct visited {
    int64_t ids[8];
    int n, stop_at;
} visited;

static int visit(void *ud, const svc_task *t)
{
    visited *v = ud;
    if (v->stop_at && v->n == v->stop_at)
        return -ENOSPC;
    cr_expect_null(t->input, "a summary has no input");
    v->ids[v->n++] = t->id;
    return 0;
}

static void expect_graph(const svc_graph *a, const svc_graph *b)
{
    cr_expect_str_eq(a->name, b->name);
    cr_expect_eq(a->version, b->version);
    cr_expect_eq(a->vertices, b->vertices);
    cr_expect_eq(a->edges, b->edges);
    cr_expect_eq(a->weighted, b->weighted);
    cr_expect_eq(a->created, b->created);
    cr_expect_eq(a->updated, b->updated);
}

static void expect_task(const svc_task *a, const svc_task *b, int summary)
{
    cr_expect_str_eq(a->graph, b->graph);
    cr_expect_eq(a->id, b->id);
    cr_expect_str_eq(a->algorithm, b->algorithm);
    cr_expect_str_eq(a->task_name, b->task_name);
    cr_expect_eq(a->status, b->status);
    cr_expect_eq(a->progress, b->progress);
    cr_expect_eq(a->created, b->created);
    cr_expect_eq(a->updated, b->updated);
    cr_expect_eq(a->retries, b->retries);
    cr_expect_str_eq(a->server, b->server);
    cr_expect_str_eq(a->input, summary ? "" : b->input);
    cr_expect_str_eq(a->result, summary ? "" : b->result);
    /* a summary leaves these out (store_read.h) */
    cr_expect_eq(a->graph_version, summary ? 0 : b->graph_version);
    cr_expect_eq(a->workers, summary ? 0 : b->workers);
    cr_expect_eq(a->pid, summary ? 0 : b->pid);
}

/* The test's own pool hears of the store's writes here, after they
 * returned; the store's pool is told by the store, around each write. */
static void told(svc_read_pool *p)
{
    svc_read_pool_write_begin(p);
    svc_read_pool_write_end(p);
}

/* The pool's view of graph `name` (and the store's, which reads through
 * its own pool) equals `want`. */
static void pool_sees_graph(const char *name, const svc_graph *want)
{
    svc_graph g;
    told(pool);
    cr_assert_eq(svc_read_graph_get(pool, name, &g), 0);
    expect_graph(&g, want);
    cr_assert_eq(svc_store_graph_get(st, name, &g), 0);
    expect_graph(&g, want);
}

static void pool_sees_task(const svc_task *want)
{
    svc_task t;
    told(pool);
    cr_assert_eq(svc_read_task_get(pool, want->graph, want->id, &t), 0);
    expect_task(&t, want, 0);
    svc_task_release(&t);
    cr_assert_eq(svc_store_task_get(st, want->graph, want->id, &t), 0);
    expect_task(&t, want, 0);
    svc_task_release(&t);
    /* and as a summary in the list */
    svc_task *list = NULL;
    size_t n = 0;
    int more = 1;
    cr_assert_eq(svc_read_task_list(pool, want->graph, -1, want->id - 1, 1, &list, &n, &more), 0);
    cr_assert_eq(n, 1);
    expect_task(&list[0], want, 1);
    svc_tasks_free(list, n);
}

static svc_task new_task(const char *graph, int64_t version)
{
    svc_task t = {0}, out;
    snprintf(t.graph, sizeof t.graph, "%s", graph);
    snprintf(t.algorithm, sizeof t.algorithm, "page-rank");
    snprintf(t.task_name, sizeof t.task_name, "computer-proxy:page-rank");
    snprintf(t.server, sizeof t.server, "server-1");
    t.input = (char *)"{\"algorithm\":\"page-rank\"}";
    t.graph_version = version;
    t.workers = 2;
    cr_assert_eq(svc_store_task_create(st, &t, &out, emsg), 0, "%s", emsg);
    told(pool); /* as pool_sees_graph says */
    return out;
}

Test(store_read, reads_equal_the_writers_view_after_each_write)
{
    svc_graph g;
    cr_assert_eq(svc_read_graph_get(pool, "g", &g), -ENOENT);
    cr_assert_eq(svc_store_graph_create(st, "g", &g, emsg), 0, "%s", emsg);
    pool_sees_graph("g", &g);
    cr_assert_eq(svc_store_graph_commit_load(st, "g", 0, 10, 17, 1, &g, emsg), 0, "%s", emsg);
    pool_sees_graph("g", &g);
    cr_assert_eq(svc_store_graph_set_counts(st, "g", 1, 12, 20, 1, &g, emsg), 0, "%s", emsg);
    pool_sees_graph("g", &g);

    svc_task t = new_task("g", 1), after;
    pool_sees_task(&t);
    svc_task_change c = SVC_TASK_CHANGE_INIT;
    c.status = SVC_RUNNING;
    c.pid = 4242;
    cr_assert_eq(svc_store_task_change(st, "g", t.id, &c, &after, emsg), 0, "%s", emsg);
    pool_sees_task(&after);
    svc_task_release(&after);
    for (int p = 10; p <= 90; p += 40) {
        svc_task_change step = SVC_TASK_CHANGE_INIT;
        step.progress = p;
        cr_assert_eq(svc_store_task_change(st, "g", t.id, &step, &after, emsg), 0, "%s", emsg);
        pool_sees_task(&after);
        svc_task_release(&after);
    }
    svc_task_change end = SVC_TASK_CHANGE_INIT;
    end.status = SVC_SUCCESS;
    end.result = "{\"iterations\":7}";
    cr_assert_eq(svc_store_task_change(st, "g", t.id, &end, &after, emsg), 0, "%s", emsg);
    pool_sees_task(&after);
    svc_task_release(&after);

    /* a page and a status filter, as the writer's own list would give */
    svc_task u = new_task("g", 1);
    svc_task *list = NULL;
    size_t n = 0;
    int more = 0;
    cr_assert_eq(svc_read_task_list(pool, "g", SVC_QUEUED, 0, 10, &list, &n, &more), 0);
    cr_assert_eq(n, 1);
    cr_expect_eq(list[0].id, u.id);
    cr_expect_eq(more, 0);
    svc_tasks_free(list, n);
    cr_assert_eq(svc_read_task_list(pool, "g", -1, 0, 1, &list, &n, &more), 0);
    cr_assert_eq(n, 1);
    cr_expect_eq(list[0].id, t.id);
    cr_expect_eq(more, 1);
    svc_tasks_free(list, n);
    /* the same rows one by one, and a visitor's error ends the list */
    visited v = {0};
    cr_assert_eq(svc_read_task_each(pool, "g", -1, 0, 10, visit, &v, &more), 0);
    cr_expect_eq(v.n, 2);
    cr_expect_eq(v.ids[0], t.id);
    cr_expect_eq(v.ids[1], u.id);
    cr_expect_eq(more, 0);
    v = (visited){.stop_at = 1};
    cr_expect_eq(svc_read_task_each(pool, "g", -1, 0, 10, visit, &v, &more), -ENOSPC);
    cr_expect_eq(v.n, 1);

    svc_graph *gs = NULL;
    cr_assert_eq(svc_store_graph_create(st, "a", NULL, emsg), 0, "%s", emsg);
    told(pool);
    cr_assert_eq(svc_read_graph_list(pool, &gs, &n), 0);
    cr_assert_eq(n, 2);
    cr_expect_str_eq(gs[0].name, "a");
    cr_expect_str_eq(gs[1].name, "g");
    free(gs);

    /* removals are seen at once too */
    svc_task removed;
    cr_assert_eq(svc_store_task_delete(st, "g", t.id, &removed, emsg), 0, "%s", emsg);
    svc_task_release(&removed);
    told(pool);
    cr_expect_eq(svc_read_task_get(pool, "g", t.id, NULL), -ENOENT);
    svc_task_change cancel = SVC_TASK_CHANGE_INIT;
    cancel.status = SVC_CANCELLED;
    cr_assert_eq(svc_store_task_change(st, "g", u.id, &cancel, NULL, emsg), 0, "%s", emsg);
    cr_assert_eq(svc_store_graph_drop(st, "g", emsg), 0, "%s", emsg);
    told(pool);
    cr_expect_eq(svc_read_graph_get(pool, "g", NULL), -ENOENT);
    cr_expect_eq(svc_read_task_get(pool, "g", u.id, NULL), -ENOENT);
    cr_assert_eq(svc_read_task_list(pool, "g", -1, 0, -1, &list, &n, NULL), 0);
    cr_expect_eq(n, 0);
    svc_tasks_free(list, n);
    svc_task_release(&t);
    svc_task_release(&u);
}

/* --- many readers, one writer --- */

enum { WRITES = 300, READERS = 8 };

typedef struct shared {
    int64_t task;
    atomic_int acked_task;  /* writes of the task that returned */
    atomic_int acked_graph; /* writes of the graph's counts that returned */
    atomic_int stop;
} shared;

typedef struct reader_arg {
    shared *sh;
    int use_store; /* through svc_store_* rather than the test's pool */
    int reads, errors;
    char why[200];
} reader_arg;

static void *writer_main(void *arg)
{
    shared *sh = arg;
    char msg[SVC_MSG_MAX];
    for (int k = 1; k <= WRITES; k++) {
        char result[64];
        snprintf(result, sizeof result, "{\"k\":%d}", k);
        svc_task_change c = SVC_TASK_CHANGE_INIT;
        c.result = result;
        c.retries_add = 1;
        /* The test's own pool hears of each write before it is
         * acknowledged, as the store's does (store.c's unlock_write). */
        if (svc_store_task_change(st, "g", sh->task, &c, NULL, msg) == 0) {
            told(pool);
            atomic_store(&sh->acked_task, k);
        }
        if (svc_store_graph_set_counts(st, "g", 1, k, 2 * k, 0, NULL, msg) == 0) {
            told(pool);
            atomic_store(&sh->acked_graph, k);
        }
    }
    atomic_store(&sh->stop, 1);
    return NULL;
}

#define BAD(...)                                                                                   \
    do {                                                                                           \
        if (a->errors++ == 0)                                                                      \
            snprintf(a->why, sizeof a->why, __VA_ARGS__);                                          \
    } while (0)

static void *reader_main(void *arg)
{
    reader_arg *a = arg;
    shared *sh = a->sh;
    int seen_task = 0;
    int64_t seen_vertices = 0;
    while (!atomic_load(&sh->stop)) {
        int acked = atomic_load(&sh->acked_task), acked_g = atomic_load(&sh->acked_graph);
        svc_task t;
        int rc = a->use_store ? svc_store_task_get(st, "g", sh->task, &t)
                              : svc_read_task_get(pool, "g", sh->task, &t);
        if (rc < 0) {
            BAD("task read: %d", rc);
            continue;
        }
        char want[64];
        snprintf(want, sizeof want, "{\"k\":%d}", t.retries);
        if (t.retries > 0 && strcmp(t.result, want) != 0)
            BAD("a torn row: retries %d, result %s", t.retries, t.result);
        if (t.retries < acked)
            BAD("write %d was acknowledged before the read, which saw %d", acked, t.retries);
        if (t.retries < seen_task)
            BAD("went back from %d to %d", seen_task, t.retries);
        seen_task = t.retries;
        svc_task_release(&t);

        svc_graph g;
        rc = a->use_store ? svc_store_graph_get(st, "g", &g) : svc_read_graph_get(pool, "g", &g);
        if (rc < 0) {
            BAD("graph read: %d", rc);
            continue;
        }
        if (g.edges != 2 * g.vertices)
            BAD("a torn graph row: %lld vertices, %lld edges", (long long)g.vertices,
                (long long)g.edges);
        if (g.vertices < acked_g || g.vertices < seen_vertices)
            BAD("graph counts %lld: acknowledged %d, seen before %lld", (long long)g.vertices,
                acked_g, (long long)seen_vertices);
        seen_vertices = g.vertices;

        svc_task *list = NULL;
        size_t n = 0;
        rc = a->use_store ? svc_store_task_list(st, "g", -1, 0, 100, &list, &n, NULL)
                          : svc_read_task_list(pool, "g", -1, 0, 100, &list, &n, NULL);
        if (rc < 0 || n != 1 || list[0].retries < seen_task)
            BAD("list: rc %d, %zu rows", rc, n);
        svc_tasks_free(list, rc == 0 ? n : 0);
        a->reads++;
    }
    return NULL;
}

Test(store_read, readers_on_many_threads_see_whole_rows_and_every_acknowledged_write)
{
    svc_graph g;
    cr_assert_eq(svc_store_graph_commit_load(st, "g", 0, 0, 0, 0, &g, emsg), 0, "%s", emsg);
    svc_task t = new_task("g", 1);
    /* Visibility doesn't depend on the sync; the writes go faster without it. */
    cr_assert_eq(svc_store_set_sync(st, SVC_SYNC_NONE), 0);
    shared sh = {.task = t.id};
    svc_task_release(&t);
    pthread_t wth, rth[READERS];
    reader_arg ra[READERS];
    for (int i = 0; i < READERS; i++) {
        memset(&ra[i], 0, sizeof ra[i]);
        ra[i].sh = &sh;
        ra[i].use_store = i % 2;
        cr_assert_eq(pthread_create(&rth[i], NULL, reader_main, &ra[i]), 0);
    }
    cr_assert_eq(pthread_create(&wth, NULL, writer_main, &sh), 0);
    pthread_join(wth, NULL);
    for (int i = 0; i < READERS; i++) {
        pthread_join(rth[i], NULL);
        cr_expect_eq(ra[i].errors, 0, "reader %d: %d errors, first: %s", i, ra[i].errors,
                     ra[i].why);
        cr_expect_gt(ra[i].reads, 0);
    }
    cr_expect_eq(atomic_load(&sh.acked_task), WRITES);
    cr_expect_leq(svc_read_pool_size(pool), 4, "never more connections than asked for");
}

Test(store_read, a_read_does_not_wait_for_an_open_write)
{
    svc_graph g;
    cr_assert_eq(svc_store_graph_commit_load(st, "g", 0, 5, 6, 0, &g, emsg), 0, "%s", emsg);
    sqlite3 *other = NULL;
    cr_assert_eq(sqlite3_open(path, &other), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(other,
                              "BEGIN IMMEDIATE; UPDATE graphs SET vertices = 99 WHERE name = 'g'",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    /* The write lock is held and the change not committed: a reader has
     * no busy handler, so waiting would have failed; it reads the last
     * commit. */
    svc_graph seen;
    cr_assert_eq(svc_read_graph_get(pool, "g", &seen), 0);
    cr_expect_eq(seen.vertices, 5);
    cr_assert_eq(svc_store_graph_get(st, "g", &seen), 0);
    cr_expect_eq(seen.vertices, 5);
    cr_assert_eq(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    /* A write the pool hears of (from another connection here; in the
     * service the store's writer is the only one and always tells it). */
    told(pool);
    cr_assert_eq(svc_read_graph_get(pool, "g", &seen), 0);
    cr_expect_eq(seen.vertices, 99);
    /* nor for a checkpoint */
    cr_assert_eq(sqlite3_exec(other, "PRAGMA wal_checkpoint(PASSIVE)", NULL, NULL, NULL),
                 SQLITE_OK);
    cr_assert_eq(svc_read_graph_get(pool, "g", &seen), 0);
    cr_expect_eq(seen.vertices, 99);
    sqlite3_close(other);
}

typedef struct churn_arg {
    int errors;
} churn_arg;

static void *churn(void *arg)
{
    churn_arg *a = arg;
    for (int i = 0; i < 300; i++) {
        svc_graph g;
        if (svc_read_graph_get(pool, "g", &g) != 0 || g.edges != 6)
            a->errors++;
    }
    return NULL;
}

Test(store_read, more_threads_than_connections_share_them_and_close_cleanly)
{
    char msg[SVC_MSG_MAX];
    svc_graph g;
    cr_assert_eq(svc_store_graph_commit_load(st, "g", 0, 5, 6, 0, &g, emsg), 0, "%s", emsg);
    svc_read_pool_close(pool);
    cr_assert_eq(svc_read_pool_open(&pool, path, 2, msg), 0, "%s", msg);
    enum { N = 12 };
    pthread_t th[N];
    churn_arg ca[N];
    memset(ca, 0, sizeof ca);
    for (int i = 0; i < N; i++)
        cr_assert_eq(pthread_create(&th[i], NULL, churn, &ca[i]), 0);
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        cr_expect_eq(ca[i].errors, 0);
    }
    cr_expect_leq(svc_read_pool_size(pool), 2);
    svc_read_pool_close(pool);
    pool = NULL;
    /* a pool of nothing, and one of a file that isn't there */
    cr_expect_eq(svc_read_pool_open(&pool, path, 0, msg), -EINVAL);
    char missing[300];
    snprintf(missing, sizeof missing, "%s/none.db", dir);
    cr_expect_lt(svc_read_pool_open(&pool, missing, 2, msg), 0);
    cr_expect_neq(msg[0], '\0');
    cr_expect_null(pool);
}

/* --- snapshots kept between reads, and the WAL --- */

typedef struct hammer_arg {
    atomic_int *stop;
    int64_t task;
    int reads, errors;
} hammer_arg;

static void *hammer(void *arg)
{
    hammer_arg *a = arg;
    while (!atomic_load(a->stop)) {
        svc_task t;
        if (svc_store_task_get(st, "g", a->task, &t) == 0)
            svc_task_release(&t);
        else
            a->errors++;
        a->reads++;
    }
    return NULL;
}

/* The store's read connections keep a snapshot from one read to the next
 * commit (store_read.c). With reads running all the time beside 3,000
 * writes, that must not stop the WAL from starting over: hgc.db-wal stays
 * near one checkpoint's length (1,000 pages) instead of growing with every
 * write. */
Test(store_read, the_wal_starts_over_while_reads_run_beside_writes)
{
    svc_graph g;
    cr_assert_eq(svc_store_graph_commit_load(st, "g", 0, 5, 6, 0, &g, emsg), 0, "%s", emsg);
    svc_task t = new_task("g", 1);
    cr_assert_eq(svc_store_set_sync(st, SVC_SYNC_NONE), 0);
    atomic_int stop = 0;
    enum { HAMMERS = 3, CHANGES = 3000 };
    pthread_t th[HAMMERS];
    hammer_arg ha[HAMMERS];
    for (int i = 0; i < HAMMERS; i++) {
        ha[i] = (hammer_arg){.stop = &stop, .task = t.id};
        cr_assert_eq(pthread_create(&th[i], NULL, hammer, &ha[i]), 0);
    }
    char result[1024];
    for (int k = 0; k < CHANGES; k++) {
        /* a result of a kilobyte: each commit writes a page or more */
        snprintf(result, sizeof result, "{\"k\":%d,\"pad\":\"%0900d\"}", k, k);
        svc_task_change c = SVC_TASK_CHANGE_INIT;
        c.result = result;
        cr_assert_eq(svc_store_task_change(st, "g", t.id, &c, NULL, emsg), 0, "%s", emsg);
    }
    atomic_store(&stop, 1);
    int reads = 0;
    for (int i = 0; i < HAMMERS; i++) {
        pthread_join(th[i], NULL);
        cr_expect_eq(ha[i].errors, 0);
        reads += ha[i].reads;
    }
    cr_expect_gt(reads, CHANGES, "the reads ran beside the writes");
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path);
    struct stat sb;
    cr_assert_eq(stat(wal, &sb), 0);
    cr_expect_lt(sb.st_size, 2000L * (4096 + 24), "hgc.db-wal grew to %lld bytes in %d commits",
                 (long long)sb.st_size, CHANGES);
    svc_task_release(&t);
}

/* How SQLite reads `sql` on `db`: the details of its plan, ';' after each. */
static void plan_of(sqlite3 *db, const char *sql, char *plan, size_t cap)
{
    char q[1024];
    snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *s = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    plan[0] = '\0';
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(s, 3);
        strncat(plan, detail ? detail : "", cap - strlen(plan) - 2);
        strcat(plan, ";");
    }
    sqlite3_finalize(s);
}

/* A page of a graph's tasks, all or those in one status, is read from one
 * index alone (store.c's tasks_page, tasks_status_page): no scan of the
 * tasks after the page's start, and no seek into the table per row. 5,000
 * finished tasks, three running among them. */
Test(store_read, a_page_is_read_from_one_index_alone)
{
    svc_graph g;
    cr_assert_eq(svc_store_graph_commit_load(st, "g", 0, 5, 6, 0, &g, emsg), 0, "%s", emsg);
    sqlite3 *other = NULL;
    cr_assert_eq(sqlite3_open(path, &other), SQLITE_OK);
    char sql[1024];
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) "
             "INSERT INTO tasks(graph, id, algorithm, task_name, status, created, updated, "
             "server, input, graph_version, workers) SELECT 'g', x, 'wcc', 'n', "
             "CASE WHEN x IN (10, 2500, 4990) THEN %d ELSE %d END, 1, 1, 's', '{}', 1, 1 FROM c",
             (int)SVC_RUNNING, (int)SVC_SUCCESS);
    cr_assert_eq(sqlite3_exec(other, sql, NULL, NULL, NULL), SQLITE_OK, "%s",
                 sqlite3_errmsg(other));
    told(pool);
    visited v = {0};
    int more = -1;
    cr_assert_eq(svc_read_task_each(pool, "g", SVC_RUNNING, 0, 100, visit, &v, &more), 0);
    cr_expect_eq(v.n, 3);
    cr_expect(v.ids[0] == 10 && v.ids[1] == 2500 && v.ids[2] == 4990);
    cr_expect_eq(more, 0);
    v = (visited){0};
    cr_assert_eq(svc_read_task_each(pool, "g", SVC_RUNNING, 10, 1, visit, &v, &more), 0);
    cr_expect(v.n == 1 && v.ids[0] == 2500 && more == 1);
    v = (visited){0};
    cr_assert_eq(svc_read_task_each(pool, "g", -1, 4997, 8, visit, &v, &more), 0);
    cr_expect(v.n == 3 && v.ids[0] == 4998 && v.ids[2] == 5000 && more == 0);
    char plan[512];
    plan_of(other, SVC_SQL_TASK_LIST, plan, sizeof plan);
    cr_expect_not_null(strstr(plan, "USING COVERING INDEX tasks_page (graph=? AND id>?)"),
                       "plan: %s", plan);
    cr_expect_null(strstr(plan, "TEMP B-TREE"), "plan: %s", plan);
    plan_of(other, SVC_SQL_TASK_LIST_STATUS, plan, sizeof plan);
    cr_expect_not_null(
        strstr(plan, "USING COVERING INDEX tasks_status_page (graph=? AND status=? AND id>?)"),
        "plan: %s", plan);
    cr_expect_null(strstr(plan, "TEMP B-TREE"), "plan: %s", plan);
    sqlite3_close(other);
}

/* A file an older hgc made (tasks_graph_status, no page indexes) gets the
 * page indexes as it opens, keeps its tasks, and reads its pages from them. */
Test(store_read, an_older_file_gets_the_page_indexes_as_it_opens)
{
    svc_graph g;
    cr_assert_eq(svc_store_graph_commit_load(st, "g", 0, 5, 6, 0, &g, emsg), 0, "%s", emsg);
    svc_read_pool_close(pool);
    pool = NULL;
    svc_store_close(st);
    st = NULL;
    sqlite3 *old = NULL;
    cr_assert_eq(sqlite3_open(path, &old), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(old,
                              "DROP INDEX tasks_page; DROP INDEX tasks_status_page;"
                              "CREATE INDEX tasks_graph_status ON tasks(graph, status, id);"
                              "INSERT INTO tasks(graph, id, algorithm, task_name, status, created, "
                              "updated, server, input, graph_version, workers) VALUES "
                              "('g', 1, 'wcc', 'n', 1, 1, 1, 's', '{}', 1, 1),"
                              "('g', 2, 'lpa', 'n', 1, 1, 1, 's', '{}', 1, 1)",
                              NULL, NULL, NULL),
                 SQLITE_OK, "%s", sqlite3_errmsg(old));
    sqlite3_close(old);

    cr_assert_eq(svc_store_open(&st, path, emsg), 0, "%s", emsg);
    cr_assert_eq(svc_read_pool_open(&pool, path, 4, emsg), 0, "%s", emsg);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *s = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db,
                                    "SELECT group_concat(name, ',') FROM (SELECT name FROM "
                                    "sqlite_schema WHERE type = 'index' AND tbl_name = 'tasks' "
                                    "AND sql IS NOT NULL ORDER BY name)",
                                    -1, &s, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
    cr_expect_str_eq((const char *)sqlite3_column_text(s, 0),
                     "tasks_page,tasks_status,tasks_status_page");
    sqlite3_finalize(s);
    char plan[512];
    plan_of(db, SVC_SQL_TASK_LIST, plan, sizeof plan);
    cr_expect_not_null(strstr(plan, "COVERING INDEX tasks_page"), "plan: %s", plan);
    sqlite3_close(db);
    visited v = {0};
    int more = -1;
    cr_assert_eq(svc_read_task_each(pool, "g", -1, 0, 8, visit, &v, &more), 0);
    cr_expect(v.n == 2 && v.ids[0] == 1 && v.ids[1] == 2 && more == 0);
}
