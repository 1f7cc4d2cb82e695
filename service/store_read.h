/* store_read.h: the store's reads on a pool of read-only SQLite
 * connections to hgc.db, beside the one writer connection (store.c).
 *
 * WAL lets readers run while the writer commits or syncs: a read takes no
 * lock the writer holds and never waits for a commit, a sync or a
 * checkpoint. Each connection keeps its statements prepared; a thread
 * takes a free connection with one atomic exchange (it finds the one it
 * used last free in the usual case), so reads on many threads run in
 * parallel without a shared lock. Connections are opened on demand, up
 * to `max`; beyond that a read waits for one to come back (each is held
 * for one statement only). Between writes a read takes no file lock at
 * all (store_read.c says how).
 *
 * What a read sees: every write whose svc_store_* call returned before
 * the read began. A connection's read transaction, and so its snapshot,
 * lasts from one read to the next only while no write runs: the writer
 * calls svc_read_pool_write_begin before a write and _end after it (after
 * its COMMIT has published its frames in the WAL index, before the write
 * returns); a read during a write takes a snapshot of its own, and one
 * after it a new one. A connection never shows an older state than the
 * one it showed last.
 *
 * Busy handling: a reader has no busy handler. In WAL mode a read can be
 * refused (SQLITE_BUSY) only while another connection recovers the WAL
 * after a crash, holds the database in exclusive locking mode or closes
 * it as the last connection; the store's writer opens (and recovers)
 * before the pool and closes after it, so none of them happens while the
 * pool is open. A read refused anyway fails with -EIO (UNAVAILABLE: try
 * again) rather than wait: reads may run on the gRPC polling thread.
 *
 * Used by store.c; the test opens one directly.
 */
#ifndef SVC_STORE_READ_H
#define SVC_STORE_READ_H

#include <sqlite3.h>
#include "store.h"

/* Columns of a task and of a graph, as svc_row_task / svc_row_graph read
 * them. A list shows summaries: the first ten of a task's columns, what a
 * ListJobs row shows and which algorithm ran (not input, result,
 * graph_version, workers and pid). */
#define SVC_SUMMARY_COLS                                                                           \
    "graph, id, algorithm, task_name, status, progress, created, updated, retries, server"
#define SVC_TASK_COLS  SVC_SUMMARY_COLS ", graph_version, workers, pid, input, result"
#define SVC_GRAPH_COLS "name, version, vertices, edges, weighted, created, updated"
/* The summary's columns other than graph, id and status: the tail of the
 * keys of the indexes a page is read from (store.c's tasks_page and
 * tasks_status_page), which must hold every column SVC_SUMMARY_COLS reads. */
#define SVC_SUMMARY_TAIL "algorithm, task_name, progress, created, updated, retries, server"

/* A page of a graph's tasks (?1 the graph, ?2 the last id of the page
 * before, ?3 how many), and of those in one status (?4): summaries in id
 * order, each read from an index alone (tasks_page, tasks_status_page). */
#define SVC_SQL_TASK_LIST                                                                          \
    "SELECT " SVC_SUMMARY_COLS " FROM tasks WHERE graph = ?1 AND id > ?2 ORDER BY id LIMIT ?3"
#define SVC_SQL_TASK_LIST_STATUS                                                                   \
    "SELECT " SVC_SUMMARY_COLS " FROM tasks WHERE graph = ?1 AND id > ?2 AND status = ?4 "         \
    "ORDER BY id LIMIT ?3"

/* The row a statement stands on, as a task (input and result owned: see
 * svc_task_release), as a summary (input and result NULL, nothing owned)
 * or as a graph. */
void svc_row_task(sqlite3_stmt *s, svc_task *t);
void svc_row_summary(sqlite3_stmt *s, svc_task *t);
void svc_row_graph(sqlite3_stmt *s, svc_graph *g);

/* Tasks from a statement's rows, at most limit (-1: all); *more (optional)
 * whether a row beyond the limit was there. Does not reset s. -ENOMEM,
 * -EIO. */
int svc_rows_tasks(sqlite3_stmt *s, int64_t limit, svc_task **out, size_t *n, int *more);
/* The same rows given one by one to fn as summaries (svc_task_visit_fn). */
int svc_rows_each(sqlite3_stmt *s, int64_t limit, svc_task_visit_fn fn, void *ud, int *more);

typedef struct svc_read_pool svc_read_pool;

/* The largest pool svc_store_open makes: more than the threads that can
 * read at once (handler pool, poller, scheduler), so none waits. */
#define SVC_READERS_MAX 96

/* A pool of up to `max` read-only connections to the database at `path`,
 * which must exist, be in WAL mode and stay open by a writer while the
 * pool is open. One connection is opened now (to report a bad path). */
int svc_read_pool_open(svc_read_pool **out, const char *path, int max, char msg[SVC_MSG_MAX]);
/* No read may be running. NULL is fine. */
void svc_read_pool_close(svc_read_pool *p);
/* Connections opened so far. */
int svc_read_pool_size(svc_read_pool *p);
/* Around every write to the database (the store's writer is its only
 * one: hgc.lock keeps a second server out): _begin ends the snapshots of
 * the connections no read holds, and until _end no read keeps one; after
 * _end every read takes a new one. A write the pool is not told of is
 * seen late, at the next it is told of. Never block. NULL is fine. */
void svc_read_pool_write_begin(svc_read_pool *p);
void svc_read_pool_write_end(svc_read_pool *p);

/* As svc_store_graph_get, _graph_list, _task_get, _task_list and _task_each (store.h),
 * whose work they do. Thread-safe. */
int svc_read_graph_get(svc_read_pool *p, const char *name, svc_graph *out);
int svc_read_graph_list(svc_read_pool *p, svc_graph **out, size_t *n);
int svc_read_task_get(svc_read_pool *p, const char *graph, int64_t id, svc_task *out);
int svc_read_task_list(svc_read_pool *p, const char *graph, int status, int64_t after_id,
                       int64_t limit, svc_task **out, size_t *n, int *more);
int svc_read_task_each(svc_read_pool *p, const char *graph, int status, int64_t after_id,
                       int64_t limit, svc_task_visit_fn fn, void *ud, int *more);

#endif
