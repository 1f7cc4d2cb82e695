/* scheduler.c: the job runner (see scheduler.h).
 *
 * Process model: posix_spawn (never fork: gRPC's threads don't survive
 * it), POSIX_SPAWN_SETPGROUP so each worker leads its own group and a
 * cancel reaches everything it started, default signal dispositions and
 * an empty mask for the child. The worker arms PR_SET_PDEATHSIG itself,
 * so it dies with this thread's process; on start we also kill any group
 * recorded for an unfinished task that still runs hgc-worker.
 */
#define _GNU_SOURCE
#include "scheduler.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "data_dir.h"
#include "graphs.h"

extern char **environ;

#define KILL_GRACE_MS 1000
#define TICK_MS       50

typedef struct slot {
    char graph[SVC_NAME_MAX + 1];
    int64_t id;
    pid_t pid; /* also the process group */
    int attempt;
    int64_t kill_at; /* ms; 0: no SIGKILL pending */
} slot;

/* A worker's end, or a start that failed, for the store to record; kept
 * and tried again while the store refuses (a full disk). */
typedef struct ended {
    slot sl;
    int status;                    /* waitpid's; unused with start_error */
    int64_t next_ms;               /* the next try */
    char start_error[SVC_MSG_MAX]; /* not empty: the worker never started, why */
} ended;

#define RECORD_RETRY_MS 1000 /* and a start the store refused */

struct svc_scheduler {
    svc_ctx *ctx;
    ended *pending;
    int n_pending, cap_pending;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stop;
    int kicked;
    slot *slots;
    int n_slots;
    char report_addr[300]; /* empty until svc_scheduler_serve */
    int64_t start_at_ms;   /* no task starts before (the store refused the last start) */
};

static void log_line(svc_ctx *ctx, const char *graph, int64_t id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Appends a line from the service to the task's log. */
static void log_line(svc_ctx *ctx, const char *graph, int64_t id, const char *fmt, ...)
{
    char path[PATH_MAX];
    svc_path_log(path, ctx->cfg->data_dir, graph, id);
    svc_mkdirs(path, 0);
    FILE *f = fopen(path, "a");
    if (f == NULL)
        return;
    fprintf(f, "hgc-server: ");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
    fclose(f);
}

static char *json_result(const char *key, const char *text, int retries, int max_retries)
{
    json_t *o =
        json_pack("{s:s, s:i, s:i}", key, text, "retries", retries, "max_retries", max_retries);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return s;
}

static slot *find_slot(svc_scheduler *s, const char *graph, int64_t id)
{
    for (int i = 0; i < s->n_slots; i++)
        if (s->slots[i].id == id && strcmp(s->slots[i].graph, graph) == 0)
            return &s->slots[i];
    return NULL;
}

static void signal_slot(slot *sl, int sig)
{
    if (sl->pid > 0)
        kill(-sl->pid, sig);
}

/* ---------------------------------------------------------------- spawn */

/* Worker arguments: the fixed ones, then "--opt key=value" for each
 * option the caller gave (task_input's params). */
typedef struct argv_buf {
    char *items[64 + 2 * 64];
    int n;
    char store[8192];
    size_t used;
} argv_buf;

static void arg_add(argv_buf *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void arg_add(argv_buf *a, const char *fmt, ...)
{
    if (a->n >= (int)(sizeof a->items / sizeof a->items[0]) - 1)
        return;
    char *dst = a->store + a->used;
    size_t room = sizeof a->store - a->used;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(dst, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= room)
        return;
    a->used += (size_t)n + 1;
    a->items[a->n++] = dst;
    a->items[a->n] = NULL;
}

static int spawn_worker(svc_scheduler *s, const svc_task *t, pid_t *pid, char msg[SVC_MSG_MAX])
{
    svc_ctx *ctx = s->ctx;
    char snapshot[PATH_MAX], out[PATH_MAX], logp[PATH_MAX];
    svc_path_snapshot(snapshot, ctx->cfg->data_dir, t->graph, t->graph_version);
    svc_path_results(out, ctx->cfg->data_dir, t->graph, t->id);
    svc_path_log(logp, ctx->cfg->data_dir, t->graph, t->id);
    svc_mkdirs(logp, 0);

    argv_buf a = {.n = 0};
    arg_add(&a, "%s", ctx->cfg->worker);
    arg_add(&a, "--server");
    arg_add(&a, "%s", s->report_addr);
    arg_add(&a, "--graph");
    arg_add(&a, "%s", t->graph);
    arg_add(&a, "--task-id");
    arg_add(&a, "%lld", (long long)t->id);
    arg_add(&a, "--attempt");
    arg_add(&a, "%d", t->retries + 1); /* attempts count from 1; 0 means "not a worker" */
    arg_add(&a, "--snapshot");
    arg_add(&a, "%s", snapshot);
    arg_add(&a, "--out");
    arg_add(&a, "%s", out);
    arg_add(&a, "--algorithm");
    arg_add(&a, "%s", t->algorithm);
    arg_add(&a, "--threads");
    arg_add(&a, "%d", ctx->cfg->worker_threads);
    arg_add(&a, "--workers"); /* worker_instances: recorded; one process runs until MPI */
    arg_add(&a, "%d", t->workers);
    arg_add(&a, "--parent-pid");
    arg_add(&a, "%ld", (long)getpid());
    json_t *input = json_loads(t->input, 0, NULL);
    json_t *params = json_object_get(input, "params");
    const char *key;
    json_t *val;
    json_object_foreach(params, key, val)
    {
        if (json_is_string(val)) {
            arg_add(&a, "--opt");
            arg_add(&a, "%s=%s", key, json_string_value(val));
        }
    }
    json_decref(input);

    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, defaults;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, logp, O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawnattr_init(&attr);
    sigemptyset(&none);
    sigfillset(&defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);
    int rc = posix_spawn(pid, ctx->cfg->worker, &fa, &attr, a.items, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        snprintf(msg, SVC_MSG_MAX, "cannot start the worker %s: %s", ctx->cfg->worker,
                 strerror(rc));
        return -rc;
    }
    return 0;
}

static void ended_record(svc_scheduler *s, const ended *e);

/* After a start the store reported failed: whether the move to running
 * of attempt t->retries + 1 committed anyway, and only the sync after it
 * failed (the change is stored, and may not survive a power cut). Such a
 * task needs its worker like any other: left alone, it would stay running
 * with none until a restart. */
static int start_committed(svc_scheduler *s, const svc_task *t, const char *why)
{
    svc_task now;
    if (svc_store_task_get(s->ctx->store, t->graph, t->id, &now) < 0)
        return 0;
    int committed = now.status == SVC_RUNNING && now.retries == t->retries;
    svc_task_release(&now);
    if (committed)
        fprintf(stderr, "hgc-server: task %lld of graph '%s': %s; it starts all the same\n",
                (long long)t->id, t->graph, why);
    return committed;
}

/* Takes the oldest queued task and starts it. 1: look for the next one
 * now (started, or it moved meanwhile), 0: not now (nothing queued, or
 * the store refused the start, a full disk: then not for
 * RECORD_RETRY_MS). */
static int start_next(svc_scheduler *s)
{
    svc_ctx *ctx = s->ctx;
    svc_task t;
    char msg[SVC_MSG_MAX] = "";
    if (svc_store_task_next_queued(ctx->store, &t) < 0)
        return 0;
    svc_task_change run = SVC_TASK_CHANGE_INIT;
    run.status = SVC_RUNNING;
    run.progress = 0;
    int rc = svc_store_task_change(ctx->store, t.graph, t.id, &run, NULL, msg);
    if (rc < 0 && rc != -EPERM && rc != -ENOENT && start_committed(s, &t, msg))
        rc = 0; /* only its sync failed: the task is running, so it gets a worker */
    if (rc < 0) {
        svc_task_release(&t);
        /* Cancelled or deleted since it was read: the next one. Anything
         * else is the store's failure, which the same task would meet
         * again at once: looping on it held the scheduler's lock for as
         * long as the disk stayed full, and every call that takes it. */
        if (rc == -EPERM || rc == -ENOENT)
            return 1;
        s->start_at_ms = hgc_now_ms() + RECORD_RETRY_MS;
        return 0;
    }
    log_line(ctx, t.graph, t.id,
             "starting attempt %d of task %lld (%s on %s version %lld, %d worker(s))",
             t.retries + 1, (long long)t.id, t.algorithm, t.graph, (long long)t.graph_version,
             t.workers);
    pid_t pid = 0;
    if (spawn_worker(s, &t, &pid, msg) < 0) {
        /* The task fails; if the store refuses that too, it stays running
         * with no worker until the record goes through (ended_record). */
        ended e = {.sl.id = t.id, .sl.attempt = t.retries + 1};
        snprintf(e.sl.graph, sizeof e.sl.graph, "%s", t.graph);
        snprintf(e.start_error, sizeof e.start_error, "%s", msg);
        svc_task_release(&t);
        ended_record(s, &e);
        return 1;
    }
    svc_task_change rec = SVC_TASK_CHANGE_INIT;
    rec.pid = pid;
    svc_store_task_change(ctx->store, t.graph, t.id, &rec, NULL, msg);
    slot *grown = realloc(s->slots, (size_t)(s->n_slots + 1) * sizeof *s->slots);
    if (grown == NULL)
        abort();
    s->slots = grown;
    slot *sl = &s->slots[s->n_slots++];
    memset(sl, 0, sizeof *sl);
    snprintf(sl->graph, sizeof sl->graph, "%s", t.graph);
    sl->id = t.id;
    sl->pid = pid;
    sl->attempt = t.retries + 1;
    svc_task_release(&t);
    return 1;
}

/* ----------------------------------------------------------------- reap */

static void describe_exit(char *buf, size_t cap, int status)
{
    if (WIFSIGNALED(status))
        snprintf(buf, cap, "the worker was killed by signal %d (SIG%s)", WTERMSIG(status),
                 sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : "?");
    else if (WEXITSTATUS(status) == 0)
        snprintf(buf, cap, "the worker exited without reporting a result");
    else
        snprintf(buf, cap, "the worker exited with status %d", WEXITSTATUS(status));
}

/* Records a worker's end: the task is retried, fails or ends cancelled;
 * or a start that failed: the task fails (or ends cancelled). 0, or the
 * store's error (then nothing changed). */
static int record_end(svc_scheduler *s, const ended *e)
{
    svc_ctx *ctx = s->ctx;
    slot sl = e->sl;
    int status = e->status;
    svc_task t;
    char msg[SVC_MSG_MAX] = "", why[SVC_MSG_MAX];
    int rc = svc_store_task_get(ctx->store, sl.graph, sl.id, &t);
    if (rc < 0)
        return rc == -ENOENT ? 0 : rc; /* deleted meanwhile */
    if (t.retries != sl.attempt - 1) {
        /* The task moved past this attempt: its end is recorded already
         * (a record whose sync failed went through, and this is its
         * retry). Recording it again would count the attempt twice, or
         * take the next attempt's worker for this one's. */
        svc_task_release(&t);
        svc_graphs_gc(ctx, sl.graph); /* as after any end recorded */
        return 0;
    }
    if (e->start_error[0])
        snprintf(why, sizeof why, "%s", e->start_error);
    else
        describe_exit(why, sizeof why, status);
    svc_task_change c = SVC_TASK_CHANGE_INIT;
    c.pid = 0;
    c.attempt = sl.attempt - 1; /* the same check, under the store's lock */
    char *res = NULL;
    if (svc_status_is_final(t.status)) {
        /* The worker reported its end itself (or an operator did). */
        if (!e->start_error[0] && WIFEXITED(status))
            snprintf(why, sizeof why, "the worker exited with status %d", WEXITSTATUS(status));
    } else if (t.status == SVC_CANCELLING) {
        c.status = SVC_CANCELLED;
    } else if (e->start_error[0]) {
        c.status = SVC_FAILED;
        res = json_result("error", why, t.retries, ctx->cfg->max_retries);
        c.result = res;
    } else if (t.retries < ctx->cfg->max_retries) {
        c.status = SVC_QUEUED;
        c.retries_add = 1;
        char text[300];
        snprintf(text, sizeof text, "%s on attempt %d; retrying", why, t.retries + 1);
        res = json_result("error", text, t.retries + 1, ctx->cfg->max_retries);
        c.result = res;
    } else {
        c.status = SVC_FAILED;
        char text[300];
        snprintf(text, sizeof text, "%s on attempt %d; gave up after %d retries", why,
                 t.retries + 1, t.retries);
        res = json_result("error", text, t.retries, ctx->cfg->max_retries);
        c.result = res;
    }
    /* A final task keeps its record as it is (final is final). */
    if (!svc_status_is_final(t.status))
        rc = svc_store_task_change(ctx->store, t.graph, t.id, &c, NULL, msg);
    if (rc == -ENOSPC || rc == -EIO) {
        fprintf(stderr, "hgc-server: task %lld of graph '%s': %s (trying again)\n", (long long)t.id,
                t.graph, msg);
    } else {
        log_line(ctx, t.graph, t.id, "%s (task was %s)", why, svc_status_name(t.status));
        rc = 0;
    }
    free(res);
    svc_task_release(&t);
    if (rc == 0)
        svc_graphs_gc(ctx, sl.graph);
    return rc;
}

/* Records *e, or keeps it to try again: the store refused (a full disk),
 * and the task would stay "running" with no worker. Tried again every
 * RECORD_RETRY_MS, and at the next start (restore) if the service stops
 * first. */
static void ended_record(svc_scheduler *s, const ended *e)
{
    if (record_end(s, e) == 0)
        return;
    if (s->n_pending == s->cap_pending) {
        int cap = s->cap_pending ? s->cap_pending * 2 : 8;
        ended *grown = realloc(s->pending, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return; /* restore picks it up at the next start */
        s->pending = grown;
        s->cap_pending = cap;
    }
    s->pending[s->n_pending] = *e;
    s->pending[s->n_pending++].next_ms = hgc_now_ms() + RECORD_RETRY_MS;
}

static void worker_ended(svc_scheduler *s, slot sl, int status)
{
    kill(-sl.pid, SIGKILL); /* anything the worker left in its group */
    ended_record(s, &(ended){.sl = sl, .status = status});
}

static void retry_pending(svc_scheduler *s)
{
    int64_t now = hgc_now_ms();
    for (int i = 0; i < s->n_pending;) {
        ended *e = &s->pending[i];
        if (now < e->next_ms) {
            i++;
        } else if (record_end(s, e) == 0) {
            s->pending[i] = s->pending[--s->n_pending];
        } else {
            e->next_ms = now + RECORD_RETRY_MS;
            i++;
        }
    }
}

static void reap(svc_scheduler *s)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < s->n_slots; i++) {
            if (s->slots[i].pid != pid)
                continue;
            slot sl = s->slots[i];
            s->slots[i] = s->slots[--s->n_slots];
            worker_ended(s, sl, status);
            break;
        }
    }
    retry_pending(s);
    int64_t now = hgc_now_ms();
    for (int i = 0; i < s->n_slots; i++) {
        if (s->slots[i].kill_at && now >= s->slots[i].kill_at) {
            signal_slot(&s->slots[i], SIGKILL);
            s->slots[i].kill_at = 0;
        }
    }
}

static void *run(void *arg)
{
    svc_scheduler *s = arg;
    pthread_setname_np(pthread_self(), "hgc-scheduler");
    pthread_mutex_lock(&s->lock);
    while (!s->stop) {
        reap(s);
        while (s->report_addr[0] && s->n_slots < s->ctx->cfg->max_jobs &&
               hgc_now_ms() >= s->start_at_ms && start_next(s))
            ;
        if (!s->kicked) {
            struct timespec until;
            hgc_deadline_in(&until, TICK_MS);
            pthread_cond_timedwait(&s->wake, &s->lock, &until);
        }
        s->kicked = 0;
    }
    /* Stop every worker; their tasks are restored on the next start. */
    for (int i = 0; i < s->n_slots; i++)
        signal_slot(&s->slots[i], SIGKILL);
    for (int i = 0; i < s->n_slots; i++)
        waitpid(s->slots[i].pid, NULL, 0);
    s->n_slots = 0;
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

/* -------------------------------------------------------------- restore */

/* Whether pid still runs hgc-worker for this task (not a reused pid). */
static int is_our_worker(pid_t pid, const char *graph, int64_t id)
{
    char path[64], buf[8192];
    snprintf(path, sizeof path, "/proc/%ld/cmdline", (long)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    int has_task = 0, has_graph = 0;
    char want_id[32];
    snprintf(want_id, sizeof want_id, "%lld", (long long)id);
    for (size_t i = 0; i < n; i += strlen(buf + i) + 1) {
        const char *next = i + strlen(buf + i) + 1 < n ? buf + i + strlen(buf + i) + 1 : "";
        if (strcmp(buf + i, "--task-id") == 0 && strcmp(next, want_id) == 0)
            has_task = 1;
        if (strcmp(buf + i, "--graph") == 0 && strcmp(next, graph) == 0)
            has_graph = 1;
    }
    return has_task && has_graph && strstr(buf, "hgc-worker") != NULL;
}

static void restore(svc_scheduler *s)
{
    svc_ctx *ctx = s->ctx;
    svc_task *tasks = NULL;
    size_t n = 0;
    char msg[SVC_MSG_MAX];
    if (svc_store_task_unfinished(ctx->store, &tasks, &n) < 0)
        return;
    for (size_t i = 0; i < n; i++) {
        svc_task *t = &tasks[i];
        if (t->pid > 0 && is_our_worker((pid_t)t->pid, t->graph, t->id)) {
            kill(-(pid_t)t->pid, SIGKILL);
            log_line(ctx, t->graph, t->id, "killed worker %lld left over from the last run",
                     (long long)t->pid);
        }
        svc_task_change c = SVC_TASK_CHANGE_INIT;
        c.pid = 0;
        if (t->status == SVC_CANCELLING) {
            c.status = SVC_CANCELLED;
            svc_store_task_change(ctx->store, t->graph, t->id, &c, NULL, msg);
            continue;
        }
        if (t->retries >= ctx->cfg->max_retries) {
            char text[200];
            snprintf(text, sizeof text,
                     "the service stopped while the task was %s, and it had used its %d retries",
                     svc_status_name(t->status), ctx->cfg->max_retries);
            char *res = json_result("error", text, t->retries, ctx->cfg->max_retries);
            c.status = SVC_FAILED;
            c.result = res;
            svc_store_task_change(ctx->store, t->graph, t->id, &c, NULL, msg);
            free(res);
            continue;
        }
        /* Not yet queued (new, scheduling, scheduled): queue it first. */
        if (t->status != SVC_QUEUED && t->status != SVC_RUNNING && t->status != SVC_RESTORING) {
            svc_task_change q = SVC_TASK_CHANGE_INIT;
            q.status = SVC_QUEUED;
            svc_store_task_change(ctx->store, t->graph, t->id, &q, NULL, msg);
        }
        c.status = SVC_RESTORING;
        c.retries_add = 1;
        if (svc_store_task_change(ctx->store, t->graph, t->id, &c, NULL, msg) == 0) {
            svc_task_change q = SVC_TASK_CHANGE_INIT;
            q.status = SVC_QUEUED;
            svc_store_task_change(ctx->store, t->graph, t->id, &q, NULL, msg);
            log_line(ctx, t->graph, t->id, "restored after a restart of the service (was %s)",
                     svc_status_name(t->status));
        }
    }
    svc_tasks_free(tasks, n);
}

/* ------------------------------------------------------------------ API */

int svc_scheduler_start(svc_scheduler **out, svc_ctx *ctx, char msg[SVC_MSG_MAX])
{
    svc_scheduler *s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(msg, SVC_MSG_MAX, "out of memory");
        return -ENOMEM;
    }
    s->ctx = ctx;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    restore(s);
    int rc = pthread_create(&s->thread, NULL, run, s);
    if (rc != 0) {
        snprintf(msg, SVC_MSG_MAX, "cannot start the scheduler thread: %s", strerror(rc));
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->wake);
        free(s);
        return -rc;
    }
    *out = s;
    return 0;
}

void svc_scheduler_serve(svc_scheduler *s, const char *report_addr)
{
    pthread_mutex_lock(&s->lock);
    snprintf(s->report_addr, sizeof s->report_addr, "%s", report_addr);
    s->kicked = 1;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
}

void svc_scheduler_kick(svc_scheduler *s)
{
    pthread_mutex_lock(&s->lock);
    s->kicked = 1;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
}

int svc_scheduler_cancel(svc_scheduler *s, const char *graph, int64_t id, char msg[SVC_MSG_MAX])
{
    svc_ctx *ctx = s->ctx;
    svc_task t;
    /* Under the scheduler's lock no task starts or ends meanwhile. */
    pthread_mutex_lock(&s->lock);
    int rc = svc_store_task_get(ctx->store, graph, id, &t);
    if (rc < 0) {
        if (rc == -ENOENT)
            snprintf(msg, SVC_MSG_MAX, "task %lld of graph '%s' does not exist", (long long)id,
                     graph);
        pthread_mutex_unlock(&s->lock);
        return rc;
    }
    slot *sl = find_slot(s, graph, id);
    if (!svc_status_is_final(t.status)) {
        svc_task_change c = SVC_TASK_CHANGE_INIT;
        c.status = sl ? SVC_CANCELLING : SVC_CANCELLED;
        if (t.status == SVC_CANCELLING)
            c.status = sl ? SVC_CANCELLING : SVC_CANCELLED;
        rc = svc_store_task_change(ctx->store, graph, id, &c, NULL, msg);
        if (rc == 0 && sl) {
            signal_slot(sl, SIGTERM);
            if (!sl->kill_at)
                sl->kill_at = hgc_now_ms() + KILL_GRACE_MS;
        }
        if (rc == 0)
            log_line(ctx, graph, id, "cancel requested while %s", svc_status_name(t.status));
    }
    s->kicked = 1;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    svc_task_release(&t);
    return rc;
}

void svc_scheduler_task_final(svc_scheduler *s, const char *graph, int64_t id)
{
    pthread_mutex_lock(&s->lock);
    slot *sl = find_slot(s, graph, id);
    if (sl) {
        signal_slot(sl, SIGTERM);
        if (!sl->kill_at)
            sl->kill_at = hgc_now_ms() + KILL_GRACE_MS;
    }
    pthread_mutex_unlock(&s->lock);
}

void svc_scheduler_stop(svc_scheduler *s)
{
    if (s == NULL)
        return;
    pthread_mutex_lock(&s->lock);
    s->stop = 1;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->wake);
    free(s->slots);
    free(s->pending);
    free(s);
}
