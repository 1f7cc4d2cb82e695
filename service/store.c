/* store.c: graphs and tasks in SQLite (WAL).
 *
 * Writes (and the reads inside them) go through one connection behind one
 * mutex, in the order they take it. Statements are prepared per call: the
 * cost (a few µs) is far below a task's life, and it keeps this file free
 * of a statement cache. Every status change goes through
 * svc_task_move_allowed(). The reads callers make on their own (a graph,
 * a task, a page of tasks, the graph list) run on a pool of read-only
 * connections instead (store_read.h), in parallel and never behind a
 * write or its sync.
 *
 * Durability (SQLite's "WAL, synchronous=FULL", done as a group commit):
 * a write commits under the mutex with synchronous=NORMAL (its frames are
 * written to hgc.db-wal, not synced), and before it answers, outside the
 * mutex, it waits until an fdatasync of the WAL file that started after
 * its commit has finished. One thread syncs at a time for everyone who
 * committed before it began, so writers that arrive together share one
 * sync (group_sync.h). The WAL is append-only between checkpoints, and
 * NORMAL syncs it before every checkpoint and on reuse, so a finished
 * sync covers every earlier commit: an acknowledged write survives a
 * power cut. A commit that fails (a full disk: -ENOSPC; anything else:
 * -EIO) is rolled back and reported with SQLite's reason (store_fail()).
 *
 * Each write runs between lock_write and unlock_write, which tell the read
 * pool (its connections keep a snapshot between reads only while no write
 * runs) and checkpoint a long WAL at the end of the write rather than
 * inside its COMMIT (unlock_write says why).
 */
#include "store.h"

#include "data_dir.h"
#include "group_sync.h"
#include "store_read.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"

struct svc_store {
    sqlite3 *db;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    uint64_t change_count;
    svc_store_sync mode;
    svc_group_sync *wal;  /* hgc.db-wal's syncs (group_sync.h) */
    svc_read_pool *reads; /* the reads' connections (store_read.h) */
    int wal_pages;        /* hgc.db-wal's length in pages after the last commit */
};

/* WAL pages from which a write checkpoints (SQLite's automatic default). */
#define CHECKPOINT_PAGES 1000
/* The writer's wait for a lock another connection holds. */
#define WRITER_BUSY_MS 5000

/* tasks_status finds the tasks to restore or run next. tasks_page and
 * tasks_status_page hold a page of ListJobs (all of a graph's tasks, or
 * those in one status) in their keys: each carries the summary's columns
 * (store_read.h's SVC_SUMMARY_COLS) after the columns it is searched by,
 * so a page is one walk along one index, with no seek into the table per
 * row. Every change of a task rewrites its entry in each (its update
 * time is in their keys). A file an older hgc made gets them as it opens,
 * and loses the narrower tasks_graph_status they replace. */
static const char schema[] = "CREATE TABLE IF NOT EXISTS graphs("
                             "  name TEXT PRIMARY KEY,"
                             "  version INTEGER NOT NULL DEFAULT 0,"
                             "  vertices INTEGER NOT NULL DEFAULT 0,"
                             "  edges INTEGER NOT NULL DEFAULT 0,"
                             "  weighted INTEGER NOT NULL DEFAULT 0,"
                             "  created INTEGER NOT NULL,"
                             "  updated INTEGER NOT NULL,"
                             "  next_task_id INTEGER NOT NULL DEFAULT 1);"
                             "CREATE TABLE IF NOT EXISTS tasks("
                             "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                             "  graph TEXT NOT NULL,"
                             "  id INTEGER NOT NULL,"
                             "  algorithm TEXT NOT NULL,"
                             "  task_name TEXT NOT NULL,"
                             "  status INTEGER NOT NULL,"
                             "  progress INTEGER NOT NULL DEFAULT 0,"
                             "  created INTEGER NOT NULL,"
                             "  updated INTEGER NOT NULL,"
                             "  retries INTEGER NOT NULL DEFAULT 0,"
                             "  server TEXT NOT NULL,"
                             "  input TEXT NOT NULL,"
                             "  result TEXT NOT NULL DEFAULT '',"
                             "  graph_version INTEGER NOT NULL,"
                             "  workers INTEGER NOT NULL,"
                             "  pid INTEGER NOT NULL DEFAULT 0,"
                             "  UNIQUE(graph, id));"
                             "CREATE INDEX IF NOT EXISTS tasks_status ON tasks(status, seq);"
                             "DROP INDEX IF EXISTS tasks_graph_status;"
                             "CREATE INDEX IF NOT EXISTS tasks_page "
                             "  ON tasks(graph, id, status, " SVC_SUMMARY_TAIL ");"
                             "CREATE INDEX IF NOT EXISTS tasks_status_page "
                             "  ON tasks(graph, status, id, " SVC_SUMMARY_TAIL ");";

void svc_task_release(svc_task *t)
{
    if (t == NULL)
        return;
    free(t->input);
    free(t->result);
    t->input = t->result = NULL;
}

void svc_tasks_free(svc_task *tasks, size_t n)
{
    for (size_t i = 0; i < n; i++)
        svc_task_release(&tasks[i]);
    free(tasks);
}

/* Prepares `sql` and binds the arguments described by `types`: 't' text,
 * 'i' int64. */
static sqlite3_stmt *prep(svc_store *st, const char *sql, const char *types, ...)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "hgc-server: sqlite: %s in: %s\n", sqlite3_errmsg(st->db), sql);
        return NULL;
    }
    va_list ap;
    va_start(ap, types);
    for (int i = 0; types[i]; i++) {
        if (types[i] == 't')
            sqlite3_bind_text(s, i + 1, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_int64(s, i + 1, va_arg(ap, int64_t));
    }
    va_end(ap);
    return s;
}

/* A failed SQLite call as our code: -ENOSPC when the disk (or quota) is
 * full, -EIO for anything else. */
static int db_err(sqlite3 *db, int code)
{
    int sys = sqlite3_system_errno(db);
    if ((code & 0xff) == SQLITE_FULL || sys == ENOSPC || sys == EDQUOT)
        return -ENOSPC;
    return -EIO;
}

static int exec(svc_store *st, const char *sql)
{
    char *err = NULL;
    int code = sqlite3_exec(st->db, sql, NULL, NULL, &err);
    if (code != SQLITE_OK) {
        fprintf(stderr, "hgc-server: sqlite: %s in: %s\n", err ? err : "?", sql);
        sqlite3_free(err);
        return db_err(st->db, code);
    }
    return 0;
}

/* Runs a statement that returns no rows; frees it. */
static int run(sqlite3_stmt *s)
{
    if (s == NULL)
        return -EIO;
    int rc = sqlite3_step(s);
    sqlite3 *db = sqlite3_db_handle(s);
    int err = rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_err(db, rc);
    sqlite3_finalize(s);
    return err;
}

/* The message of a write the store could not make (-ENOSPC, -EIO), with
 * SQLite's reason; other codes leave msg to the caller. The markers
 * SVC_MSG_DISK_FULL and SVC_MSG_STORE_FAILED start it (store.h). */
static int store_fail(svc_store *st, int rc, char msg[SVC_MSG_MAX])
{
    if (msg == NULL || (rc != -ENOSPC && rc != -EIO))
        return rc;
    const char *why = sqlite3_errmsg(st->db);
    if (rc == -ENOSPC)
        snprintf(msg, SVC_MSG_MAX,
                 SVC_MSG_DISK_FULL "the data directory's disk is full (%s); nothing was stored: "
                                   "free some space and try again",
                 why);
    else
        snprintf(msg, SVC_MSG_MAX,
                 SVC_MSG_STORE_FAILED "the catalog could not store the change (%s); nothing was "
                                      "stored: try again",
                 why);
    return rc;
}

/* Ends the transaction BEGIN started: COMMIT when rc is 0, else (or when
 * the COMMIT fails) ROLLBACK. Returns rc, or the COMMIT's error with msg;
 * *seq (optional) is set to the commit's number for wait_durable. */
static int finish(svc_store *st, int rc, uint64_t *seq, char msg[SVC_MSG_MAX]);

/* The lock around a write: while it is held, the read pool's connections
 * keep no snapshot from one read to the next (store_read.h says why), and
 * after it every read takes a new one. */
static void lock_write(svc_store *st)
{
    pthread_mutex_lock(&st->lock);
    svc_read_pool_write_begin(st->reads);
}

/* How long the checkpoint waits for reads in progress: 20 tries 100 µs
 * apart. A read is one statement, microseconds; one still running after
 * that (its thread descheduled) is left to the next write's checkpoint
 * rather than held up for SQLite's default waits, which reach a second. */
static int checkpoint_busy(void *arg, int tries)
{
    (void)arg;
    if (tries >= 20)
        return 0;
    usleep(100);
    return 1;
}

/* The checkpoint, when the WAL has grown long, comes here, with the read
 * pool's idle snapshots ended (lock_write) and none kept until write_end:
 * RESTART waits for the reads in progress (microseconds) so that every
 * frame is copied and the next write starts the WAL over. SQLite's own
 * PASSIVE checkpoint inside COMMIT (off: wal_length) skips what any read
 * still sees, and with reads running all the time the WAL never started
 * over and grew with every write. */
static void unlock_write(svc_store *st)
{
    if (st->wal_pages >= CHECKPOINT_PAGES) {
        st->wal_pages = 0;
        sqlite3_busy_handler(st->db, checkpoint_busy, NULL);
        int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_RESTART, NULL, NULL);
        sqlite3_busy_timeout(st->db, WRITER_BUSY_MS);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            fprintf(stderr, "hgc-server: sqlite: checkpoint: %s\n", sqlite3_errmsg(st->db));
    }
    svc_read_pool_write_end(st->reads);
    pthread_mutex_unlock(&st->lock);
}

/* SQLite's WAL hook, called after each commit: notes the WAL's length and,
 * unlike the default hook it replaces, checkpoints nothing. */
static int wal_length(void *arg, sqlite3 *db, const char *name, int pages)
{
    (void)db;
    (void)name;
    ((svc_store *)arg)->wal_pages = pages;
    return SQLITE_OK;
}

/* Notes a write committed (under st->lock); its ticket for wait_durable. */
static uint64_t note_commit(svc_store *st)
{
    return st->mode == SVC_SYNC_GROUP ? svc_group_sync_note(st->wal) : 0;
}

static int finish(svc_store *st, int rc, uint64_t *seq, char msg[SVC_MSG_MAX])
{
    if (rc == 0) {
        int code = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
        if (code == SQLITE_OK) {
            if (seq)
                *seq = note_commit(st);
            return 0;
        }
        rc = db_err(st->db, code);
        fprintf(stderr, "hgc-server: sqlite: %s in: COMMIT\n", sqlite3_errmsg(st->db));
    }
    store_fail(st, rc, msg); /* before ROLLBACK resets the reason */
    if (!sqlite3_get_autocommit(st->db))
        exec(st, "ROLLBACK");
    return rc;
}

/* Waits until commit `seq` is durable (the file's opening comment): 0, or
 * -ENOSPC / -EIO with msg if the sync that should cover it failed (the
 * change is then stored but may not survive a power cut). Called without
 * st->lock. */
static int wait_durable(svc_store *st, uint64_t seq, char msg[SVC_MSG_MAX])
{
    int err = svc_group_sync_wait(st->wal, seq);
    if (err < 0 && msg) {
        int full = err == -ENOSPC || err == -EDQUOT;
        snprintf(msg, SVC_MSG_MAX,
                 "%scannot sync the catalog's log %s (%s): the change may not survive a power "
                 "cut; check the disk",
                 full ? SVC_MSG_DISK_FULL : SVC_MSG_STORE_FAILED, svc_group_sync_path(st->wal),
                 strerror(-err));
    }
    return err == 0 ? 0 : err == -ENOSPC || err == -EDQUOT ? -ENOSPC : -EIO;
}

static void notify(svc_store *st)
{
    st->change_count++;
    pthread_cond_broadcast(&st->changed);
}

static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int svc_store_open(svc_store **out, const char *path, char msg[SVC_MSG_MAX])
{
    svc_store *st = calloc(1, sizeof *st);
    if (st == NULL) {
        snprintf(msg, SVC_MSG_MAX, "out of memory");
        return -ENOMEM;
    }
    pthread_mutex_init(&st->lock, NULL);
    pthread_cond_init(&st->changed, NULL);
    st->mode = SVC_SYNC_GROUP;
    /* The connection is only used under st->lock: SQLite's own mutexes
     * (per connection, and around its allocator's statistics) would only
     * add a lock and unlock to every call. MEMSTATUS must be set before
     * SQLite initialises; later it fails harmlessly. */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_setup);
    if (sqlite3_open_v2(path, &st->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(msg, SVC_MSG_MAX, "cannot open %s: %s", path,
                 st->db ? sqlite3_errmsg(st->db) : "out of memory");
        svc_store_close(st);
        return -EIO;
    }
    sqlite3_busy_timeout(st->db, WRITER_BUSY_MS);
    const char *file = sqlite3_db_filename(st->db, "main");
    char wal[PATH_MAX];
    snprintf(wal, sizeof wal, "%s-wal", file && file[0] ? file : path);
    if (svc_group_sync_new(&st->wal, wal) < 0) {
        snprintf(msg, SVC_MSG_MAX, "out of memory");
        svc_store_close(st);
        return -ENOMEM;
    }
    int rc =
        exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
    sqlite3_wal_hook(st->db, wal_length, st); /* checkpoints in unlock_write */
    if (rc == 0)
        rc = exec(st, schema);
    /* The files' entries (hgc.db, its WAL) must survive a power cut too. */
    if (rc == 0 && (rc = svc_group_sync_now(st->wal)) == 0)
        rc = svc_sync_dir_of(path);
    if (rc < 0) {
        snprintf(msg, SVC_MSG_MAX, "cannot set up %s: %s", path,
                 rc == -EIO || rc == -ENOSPC ? sqlite3_errmsg(st->db) : strerror(-rc));
        svc_store_close(st);
        return rc == -ENOSPC ? rc : -EIO;
    }
    /* Readers open once the writer has set the file up (and recovered
     * its WAL), and close before it (store_read.h: why they never wait). */
    if ((rc = svc_read_pool_open(&st->reads, file && file[0] ? file : path, SVC_READERS_MAX, msg)) <
        0) {
        svc_store_close(st);
        return rc;
    }
    *out = st;
    return 0;
}

int svc_store_set_sync(svc_store *st, svc_store_sync mode)
{
    pthread_mutex_lock(&st->lock);
    int rc =
        exec(st, mode == SVC_SYNC_FULL ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    if (rc == 0)
        st->mode = mode;
    pthread_mutex_unlock(&st->lock);
    return rc;
}

void svc_store_close(svc_store *st)
{
    if (st == NULL)
        return;
    svc_read_pool_close(st->reads);
    sqlite3_close(st->db);
    svc_group_sync_free(st->wal);
    pthread_mutex_destroy(&st->lock);
    pthread_cond_destroy(&st->changed);
    free(st);
}

/* ------------------------------------------------------------ graphs */

static int graph_get_locked(svc_store *st, const char *name, svc_graph *out)
{
    sqlite3_stmt *s = prep(st, "SELECT " SVC_GRAPH_COLS " FROM graphs WHERE name = ?", "t", name);
    if (s == NULL)
        return -EIO;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && out)
        svc_row_graph(s, out);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int svc_store_graph_get(svc_store *st, const char *name, svc_graph *out)
{
    return svc_read_graph_get(st->reads, name, out);
}

int svc_store_graph_list(svc_store *st, svc_graph **out, size_t *n)
{
    return svc_read_graph_list(st->reads, out, n);
}

int svc_store_graph_create(svc_store *st, const char *name, svc_graph *out, char msg[SVC_MSG_MAX])
{
    int64_t now = svc_now_ms();
    uint64_t seq = 0;
    lock_write(st);
    int rc = graph_get_locked(st, name, NULL);
    if (rc == 0)
        rc = -EEXIST;
    else if (rc == -ENOENT)
        rc = run(prep(st, "INSERT INTO graphs(name, created, updated) VALUES (?, ?, ?)", "tii",
                      name, now, now));
    if (rc == 0)
        seq = note_commit(st);
    else
        store_fail(st, rc, msg);
    if (rc == 0 && out)
        rc = graph_get_locked(st, name, out);
    unlock_write(st);
    return rc == 0 ? wait_durable(st, seq, msg) : rc;
}

int svc_store_graph_commit_load(svc_store *st, const char *name, int64_t expect_version,
                                int64_t vertices, int64_t edges, int weighted, svc_graph *out,
                                char msg[SVC_MSG_MAX])
{
    int64_t now = svc_now_ms();
    uint64_t seq = 0;
    svc_graph cur;
    lock_write(st);
    int rc = exec(st, "BEGIN IMMEDIATE");
    if (rc < 0) {
        store_fail(st, rc, msg);
        goto done;
    }
    rc = graph_get_locked(st, name, &cur);
    if (rc == -ENOENT) {
        rc = expect_version == 0
                 ? run(prep(st, "INSERT INTO graphs(name, created, updated) VALUES (?, ?, ?)",
                            "tii", name, now, now))
                 : -EBUSY;
    } else if (rc == 0 && cur.version != expect_version) {
        rc = -EBUSY;
    }
    if (rc == 0)
        rc = run(prep(st,
                      "UPDATE graphs SET version = ?, vertices = ?, edges = ?, weighted = ?, "
                      "updated = ? WHERE name = ?",
                      "iiiiit", expect_version + 1, vertices, edges, (int64_t)weighted, now, name));
    if (rc == 0 && out)
        rc = graph_get_locked(st, name, out);
    rc = finish(st, rc, &seq, msg);
done:
    unlock_write(st);
    return rc == 0 ? wait_durable(st, seq, msg) : rc;
}

int svc_store_graph_set_counts(svc_store *st, const char *name, int64_t version, int64_t vertices,
                               int64_t edges, int weighted, svc_graph *out, char msg[SVC_MSG_MAX])
{
    svc_graph cur;
    lock_write(st);
    int rc = exec(st, "BEGIN IMMEDIATE");
    if (rc < 0) {
        store_fail(st, rc, msg);
        goto done;
    }
    rc = graph_get_locked(st, name, &cur);
    if (rc == 0 && cur.version != version)
        rc = -EBUSY;
    if (rc == 0)
        rc = run(prep(st,
                      "UPDATE graphs SET vertices = ?, edges = ?, weighted = ?, updated = ? "
                      "WHERE name = ?",
                      "iiiit", vertices, edges, (int64_t)weighted, svc_now_ms(), name));
    if (rc == 0 && out)
        rc = graph_get_locked(st, name, out);
    /* Not waited for: the records are durable in the delta log, and the
     * counts follow from version + log (store.h). */
    rc = finish(st, rc, NULL, msg);
done:
    unlock_write(st);
    return rc;
}

static int count_unfinished(svc_store *st, const char *graph, int64_t version, int64_t *count)
{
    sqlite3_stmt *s =
        version < 0
            ? prep(st, "SELECT count(*) FROM tasks WHERE graph = ? AND status NOT IN (?, ?, ?)",
                   "tiii", graph, (int64_t)SVC_SUCCESS, (int64_t)SVC_CANCELLED, (int64_t)SVC_FAILED)
            : prep(st,
                   "SELECT count(*) FROM tasks WHERE graph = ? AND graph_version = ? AND "
                   "status NOT IN (?, ?, ?)",
                   "tiiii", graph, version, (int64_t)SVC_SUCCESS, (int64_t)SVC_CANCELLED,
                   (int64_t)SVC_FAILED);
    if (s == NULL)
        return -EIO;
    int rc = sqlite3_step(s) == SQLITE_ROW ? 0 : -EIO;
    *count = rc == 0 ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    return rc;
}

int svc_store_graph_drop(svc_store *st, const char *name, char msg[SVC_MSG_MAX])
{
    int64_t busy = 0;
    uint64_t seq = 0;
    lock_write(st);
    int rc = exec(st, "BEGIN IMMEDIATE");
    if (rc < 0) {
        store_fail(st, rc, msg);
        goto done;
    }
    rc = graph_get_locked(st, name, NULL);
    if (rc == -ENOENT)
        snprintf(msg, SVC_MSG_MAX, "graph '%s' does not exist", name);
    if (rc == 0)
        rc = count_unfinished(st, name, -1, &busy);
    if (rc == 0 && busy > 0) {
        snprintf(msg, SVC_MSG_MAX,
                 "graph '%s' has %lld unfinished task(s); cancel them before dropping it", name,
                 (long long)busy);
        rc = -EBUSY;
    }
    if (rc == 0)
        rc = run(prep(st, "DELETE FROM tasks WHERE graph = ?", "t", name));
    if (rc == 0)
        rc = run(prep(st, "DELETE FROM graphs WHERE name = ?", "t", name));
    rc = finish(st, rc, &seq, msg);
    if (rc == 0)
        notify(st);
done:
    unlock_write(st);
    return rc == 0 ? wait_durable(st, seq, msg) : rc;
}

int svc_store_version_in_use(svc_store *st, const char *name, int64_t version)
{
    int64_t n = 1;
    pthread_mutex_lock(&st->lock);
    if (count_unfinished(st, name, version, &n) < 0)
        n = 1; /* when in doubt, keep the snapshot */
    pthread_mutex_unlock(&st->lock);
    return n > 0;
}

/* ------------------------------------------------------------- tasks */

static int task_get_locked(svc_store *st, const char *graph, int64_t id, svc_task *out)
{
    sqlite3_stmt *s =
        prep(st, "SELECT " SVC_TASK_COLS " FROM tasks WHERE graph = ? AND id = ?", "ti", graph, id);
    if (s == NULL)
        return -EIO;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && out)
        svc_row_task(s, out);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int svc_store_task_get(svc_store *st, const char *graph, int64_t id, svc_task *out)
{
    return svc_read_task_get(st->reads, graph, id, out);
}

int svc_store_task_create(svc_store *st, const svc_task *t, svc_task *out, char msg[SVC_MSG_MAX])
{
    int64_t now = svc_now_ms(), id = 0;
    uint64_t seq = 0;
    svc_task made;
    int have = 0;
    lock_write(st);
    int rc = exec(st, "BEGIN IMMEDIATE");
    if (rc < 0) {
        store_fail(st, rc, msg);
        goto done;
    }
    sqlite3_stmt *s =
        prep(st, "SELECT next_task_id, version FROM graphs WHERE name = ?", "t", t->graph);
    if (s == NULL) {
        rc = -EIO;
    } else {
        int step = sqlite3_step(s);
        rc = step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? -ENOENT : -EIO;
        if (rc == 0) {
            id = sqlite3_column_int64(s, 0);
            if (sqlite3_column_int64(s, 1) != t->graph_version)
                rc = -EAGAIN;
        }
        sqlite3_finalize(s);
    }
    if (rc == 0)
        rc = run(
            prep(st, "UPDATE graphs SET next_task_id = ? WHERE name = ?", "it", id + 1, t->graph));
    /* Stored as new, then moved to queued: the state machine's first step. */
    if (rc == 0)
        rc = run(prep(
            st,
            "INSERT INTO tasks(graph, id, algorithm, task_name, status, created, updated, "
            "server, input, graph_version, workers) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            "tittiiittii", t->graph, id, t->algorithm, t->task_name, (int64_t)SVC_NEW, now, now,
            t->server, t->input ? t->input : "{}", t->graph_version, (int64_t)t->workers));
    if (rc == 0 && svc_task_move_allowed(SVC_NEW, SVC_QUEUED))
        rc = run(prep(st, "UPDATE tasks SET status = ? WHERE graph = ? AND id = ?", "iti",
                      (int64_t)SVC_QUEUED, t->graph, id));
    /* Read inside the transaction, handed out only once it is durable. */
    if (rc == 0 && out)
        have = (rc = task_get_locked(st, t->graph, id, &made)) == 0;
    rc = finish(st, rc, &seq, msg);
    if (rc == 0)
        notify(st);
done:
    unlock_write(st);
    if (rc == 0)
        rc = wait_durable(st, seq, msg);
    if (have && rc == 0)
        *out = made;
    else if (have)
        svc_task_release(&made);
    return rc;
}

int svc_store_task_list(svc_store *st, const char *graph, int status, int64_t after_id,
                        int64_t limit, svc_task **out, size_t *n, int *more)
{
    return svc_read_task_list(st->reads, graph, status, after_id, limit, out, n, more);
}

int svc_store_task_each(svc_store *st, const char *graph, int status, int64_t after_id,
                        int64_t limit, svc_task_visit_fn fn, void *ud, int *more)
{
    return svc_read_task_each(st->reads, graph, status, after_id, limit, fn, ud, more);
}

int svc_store_task_delete(svc_store *st, const char *graph, int64_t id, svc_task *removed,
                          char msg[SVC_MSG_MAX])
{
    svc_task t;
    uint64_t seq = 0;
    lock_write(st);
    int rc = task_get_locked(st, graph, id, &t);
    if (rc == -ENOENT)
        snprintf(msg, SVC_MSG_MAX, "task %lld of graph '%s' does not exist", (long long)id, graph);
    if (rc < 0)
        goto done;
    if (!svc_status_is_final(t.status)) {
        snprintf(msg, SVC_MSG_MAX,
                 "task %lld is %s; only a finished task (success, failed, cancelled) can be "
                 "deleted: cancel it first",
                 (long long)id, svc_status_name(t.status));
        svc_task_release(&t);
        rc = -EBUSY;
        goto done;
    }
    rc = run(prep(st, "DELETE FROM tasks WHERE graph = ? AND id = ?", "ti", graph, id));
    if (rc == 0) {
        seq = note_commit(st);
        notify(st);
    } else {
        store_fail(st, rc, msg);
    }
    unlock_write(st);
    if (rc == 0)
        rc = wait_durable(st, seq, msg);
    if (rc == 0 && removed)
        *removed = t;
    else
        svc_task_release(&t);
    return rc;
done:
    unlock_write(st);
    return rc;
}

int svc_store_task_change(svc_store *st, const char *graph, int64_t id, const svc_task_change *c,
                          svc_task *after, char msg[SVC_MSG_MAX])
{
    svc_task t;
    uint64_t seq = 0;
    lock_write(st);
    int rc = task_get_locked(st, graph, id, &t);
    if (rc == -ENOENT)
        snprintf(msg, SVC_MSG_MAX, "task %lld of graph '%s' does not exist", (long long)id, graph);
    if (rc < 0)
        goto done;
    if (c->attempt >= 0 && c->attempt != t.retries) {
        snprintf(msg, SVC_MSG_MAX,
                 "task %lld is on attempt %d, not %d: this report comes from another run",
                 (long long)id, t.retries + 1, c->attempt + 1); /* attempts count from 1 */
        rc = -EBUSY;
        goto release;
    }
    svc_status to = c->status >= 0 ? (svc_status)c->status : t.status;
    if (c->attempt >= 0 && svc_status_is_final(t.status) && to == t.status) {
        /* The same attempt's end again: its first report was stored, but
         * answered with a failed sync (or the answer was lost). Nothing to
         * write; a sync that begins now covers that first write. */
        seq = note_commit(st);
        if (after) {
            *after = t;
            goto done;
        }
        goto release;
    }
    if (!svc_task_move_allowed(t.status, to)) {
        if (svc_status_is_final(t.status))
            snprintf(msg, SVC_MSG_MAX, "task %lld is already %s, a final state; it can't become %s",
                     (long long)id, svc_status_name(t.status), svc_status_name(to));
        else
            snprintf(msg, SVC_MSG_MAX, "task %lld can't move from %s to %s", (long long)id,
                     svc_status_name(t.status), svc_status_name(to));
        rc = -EPERM;
        goto release;
    }
    int progress = c->progress >= 0 ? c->progress : t.progress;
    if (to == SVC_SUCCESS)
        progress = 100;
    /* A change callers can't see (the worker's pid alone) keeps
     * task_update: recording it after "running" is no visible change. */
    int visible = to != t.status || progress != t.progress || c->result || c->retries_add;
    rc = run(prep(st,
                  "UPDATE tasks SET status = ?, progress = ?, updated = ?, retries = retries + ?, "
                  "result = coalesce(?, result), pid = CASE WHEN ? < 0 THEN pid ELSE ? END "
                  "WHERE graph = ? AND id = ?",
                  "iiiitiiti", (int64_t)to, (int64_t)progress, visible ? svc_now_ms() : t.updated,
                  (int64_t)c->retries_add, c->result, c->pid, c->pid, graph, id));
    if (rc == 0) {
        seq = note_commit(st);
        notify(st);
        if (after && (rc = task_get_locked(st, graph, id, after)) < 0)
            after = NULL;
    } else {
        store_fail(st, rc, msg);
    }
release:
    svc_task_release(&t);
done:
    unlock_write(st);
    if (rc == 0 && !c->unsynced && (rc = wait_durable(st, seq, msg)) < 0 && after)
        svc_task_release(after);
    return rc;
}

int svc_store_task_next_queued(svc_store *st, svc_task *out)
{
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s =
        prep(st, "SELECT " SVC_TASK_COLS " FROM tasks WHERE status = ? ORDER BY seq LIMIT 1", "i",
             (int64_t)SVC_QUEUED);
    int rc = -EIO;
    if (s) {
        int step = sqlite3_step(s);
        rc = step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? -ENOENT : -EIO;
        if (rc == 0)
            svc_row_task(s, out);
        sqlite3_finalize(s);
    }
    pthread_mutex_unlock(&st->lock);
    return rc;
}

int svc_store_task_unfinished(svc_store *st, svc_task **out, size_t *n)
{
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s =
        prep(st, "SELECT " SVC_TASK_COLS " FROM tasks WHERE status NOT IN (?, ?, ?) ORDER BY seq",
             "iii", (int64_t)SVC_SUCCESS, (int64_t)SVC_CANCELLED, (int64_t)SVC_FAILED);
    int rc = s ? svc_rows_tasks(s, -1, out, n, NULL) : -EIO;
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->lock);
    return rc;
}

void svc_store_wait_change(svc_store *st, uint64_t *seen, int timeout_ms)
{
    struct timespec until;
    hgc_deadline_in(&until, timeout_ms);
    pthread_mutex_lock(&st->lock);
    while (st->change_count == *seen) {
        if (pthread_cond_timedwait(&st->changed, &st->lock, &until) == ETIMEDOUT)
            break;
    }
    *seen = st->change_count;
    pthread_mutex_unlock(&st->lock);
}
