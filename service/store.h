/* store.h: the service's durable state in SQLite (WAL): the graph catalog
 * and the tasks. Every function is thread-safe and each is one transaction.
 * Writes go through one connection behind a mutex, in order; the reads
 * svc_store_graph_get, _graph_list, _task_get, _task_list and _task_each
 * run on a pool of read-only connections beside it (store_read.h) and see
 * every write that returned before they began.
 *
 * A write that returns 0 is durable: it survives a crash of the service
 * and a power cut (its commit is synced before the function returns;
 * writers that commit together share one sync; svc_store_graph_set_counts
 * says why it needs none). A write that fails stored nothing.
 *
 * Errors are negative errno values, mapped to gRPC statuses once, in
 * svc_grpc_status() (service.h):
 *   -ENOENT no such graph or task   -EEXIST already exists
 *   -EBUSY  refused in this state   -EPERM  a move the state machine forbids
 *   -EINVAL bad argument            -EIO    the database failed
 *   -ENOSPC the disk is full
 * with a sentence in msg[SVC_MSG_MAX] where one is given. The sentence of
 * -ENOSPC starts with SVC_MSG_DISK_FULL, that of a write's -EIO with
 * SVC_MSG_STORE_FAILED.
 */
#ifndef SVC_STORE_H
#define SVC_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "task_state.h"
#include "base/clock.h"
#include "base/limits.h"

#define SVC_MSG_MAX  HGC_MSG_MAX
#define SVC_NAME_MAX 64

/* The first words of a message refusing a write for a full disk (gRPC
 * RESOURCE_EXHAUSTED; hgc-rest answers 507 when it sees them, and 429 for
 * any other RESOURCE_EXHAUSTED), and of one whose store failed otherwise
 * (UNAVAILABLE, 503: the service answered, but could not store). */
#define SVC_MSG_DISK_FULL    "insufficient storage: "
#define SVC_MSG_STORE_FAILED "storage failed: "

typedef struct svc_store svc_store;

typedef struct svc_graph {
    char name[SVC_NAME_MAX + 1];
    int64_t version; /* 0: nothing loaded yet */
    int64_t vertices;
    int64_t edges;
    int weighted;
    int64_t created; /* epoch ms */
    int64_t updated;
} svc_graph;

typedef struct svc_task {
    char graph[SVC_NAME_MAX + 1];
    int64_t id;
    char algorithm[64]; /* canonical */
    char task_name[128];
    svc_status status;
    int progress;
    int64_t created;
    int64_t updated;
    int retries;
    char server[64];
    char *input;  /* JSON, owned (svc_task_release) */
    char *result; /* JSON or "", owned */
    int64_t graph_version;
    int workers;
    int64_t pid; /* worker process group while running, else 0 */
} svc_task;

void svc_task_release(svc_task *t);
void svc_tasks_free(svc_task *tasks, size_t n);

int svc_store_open(svc_store **out, const char *path, char msg[SVC_MSG_MAX]);
void svc_store_close(svc_store *st);

/* How a commit is made durable. The service uses SVC_SYNC_GROUP (the
 * default); the others exist for bench/ to measure it against. */
typedef enum svc_store_sync {
    SVC_SYNC_GROUP, /* synced before the write returns, one sync for writers that meet */
    SVC_SYNC_FULL,  /* SQLite's synchronous=FULL: each commit syncs, one at a time */
    SVC_SYNC_NONE,  /* synchronous=NORMAL alone: a power cut may lose the last commits */
} svc_store_sync;
int svc_store_set_sync(svc_store *st, svc_store_sync mode);

static inline int64_t svc_now_ms(void)
{
    return hgc_wall_ms();
}

/* --- graphs --- */
int svc_store_graph_get(svc_store *st, const char *name, svc_graph *out);
int svc_store_graph_list(svc_store *st, svc_graph **out, size_t *n);
int svc_store_graph_create(svc_store *st, const char *name, svc_graph *out, char msg[SVC_MSG_MAX]);
/* Records a load: the graph (created if absent) moves from version
 * `expect_version` to expect_version + 1 with the given counts. -EBUSY if
 * its version is no longer expect_version. */
int svc_store_graph_commit_load(svc_store *st, const char *name, int64_t expect_version,
                                int64_t vertices, int64_t edges, int weighted, svc_graph *out,
                                char msg[SVC_MSG_MAX]);
/* Records a small load kept in the version's delta log (delta_log.h): the
 * version stays, the counts change. -EBUSY if the version is no longer
 * `version`, -ENOENT if the graph is gone. The one write that returns
 * before its commit is synced: what it records is already durable in the
 * log, and the counts are derived from it (a power cut that loses them is
 * repaired when the log is folded at the next start). */
int svc_store_graph_set_counts(svc_store *st, const char *name, int64_t version, int64_t vertices,
                               int64_t edges, int weighted, svc_graph *out, char msg[SVC_MSG_MAX]);
/* Drops the graph and its (finished) tasks. -EBUSY if a task is unfinished. */
int svc_store_graph_drop(svc_store *st, const char *name, char msg[SVC_MSG_MAX]);
/* Whether an unfinished task computes on version `version` of `name`. */
int svc_store_version_in_use(svc_store *st, const char *name, int64_t version);

/* --- tasks --- */

/* Stores a new task (status new, then queued, in one transaction) with
 * the next id of its graph. -ENOENT if the graph is gone, -EAGAIN if the
 * graph's version is no longer t->graph_version (a load committed since
 * the caller read it: read it again, so no task pins a version that
 * garbage collection may already be removing). */
int svc_store_task_create(svc_store *st, const svc_task *t, svc_task *out, char msg[SVC_MSG_MAX]);
int svc_store_task_get(svc_store *st, const char *graph, int64_t id, svc_task *out);

/* Task summaries of a graph (input and result left empty) by id from
 * after_id + 1, at most limit (-1: all), status filter (-1: all). *more
 * says whether more follow. */
int svc_store_task_list(svc_store *st, const char *graph, int status, int64_t after_id,
                        int64_t limit, svc_task **out, size_t *n, int *more);

/* The same list without copies: fn is called with each summary in turn
 * (valid during the call only; input and result NULL). A negative return
 * from fn ends the list, and svc_store_task_each returns it. For a reply
 * built straight from the rows, with no malloc per task. */
typedef int (*svc_task_visit_fn)(void *ud, const svc_task *t);
int svc_store_task_each(svc_store *st, const char *graph, int status, int64_t after_id,
                        int64_t limit, svc_task_visit_fn fn, void *ud, int *more);

/* Removes a finished task's record. -EBUSY (msg) if unfinished. */
int svc_store_task_delete(svc_store *st, const char *graph, int64_t id, svc_task *removed,
                          char msg[SVC_MSG_MAX]);

/* One change of a task; fields left at their "keep" value don't change. */
typedef struct svc_task_change {
    int status;         /* svc_status, or -1: keep */
    int progress;       /* 0-100, or -1: keep */
    const char *result; /* NULL: keep */
    int retries_add;    /* added to retries */
    int64_t pid;        /* -1: keep */
    int attempt;        /* -1: any; else refused (-EBUSY) unless it equals retries */
    int unsynced;       /* 1: answered once committed, without waiting for the sync */
} svc_task_change;

#define SVC_TASK_CHANGE_INIT                                                                       \
    {                                                                                              \
        -1, -1, NULL, 0, -1, -1, 0                                                                 \
    }

/* Applies a change if the state machine allows the move: -EPERM with msg
 * otherwise. *after (optional) is the task afterwards. The final state a
 * task has, reported again for the attempt that ended it (c->attempt),
 * changes nothing and answers 0 once the store is synced: a report retried
 * after an answer that said the sync failed. */
int svc_store_task_change(svc_store *st, const char *graph, int64_t id, const svc_task_change *c,
                          svc_task *after, char msg[SVC_MSG_MAX]);

/* The oldest queued task of all graphs, or -ENOENT. */
int svc_store_task_next_queued(svc_store *st, svc_task *out);

/* Every unfinished task (for restore on start). */
int svc_store_task_unfinished(svc_store *st, svc_task **out, size_t *n);

/* Counter bumped by every task change; waits until it differs from
 * *seen or timeout_ms pass, then sets *seen to it. */
void svc_store_wait_change(svc_store *st, uint64_t *seen, int timeout_ms);

#endif
