/* store_read.c: the pool of read-only connections (store_read.h).
 *
 * Each connection sits in a slot with a busy flag of its own cache line.
 * A thread remembers the slot it used last and tries it first with one
 * atomic exchange; a thread that finds it taken tries the others, then
 * opens a new connection (under the grow mutex, at most `max`), and only
 * when all `max` are busy waits on a condition variable. Releasing is a
 * store, plus a signal when someone waits. Threads that read repeatedly
 * settle on slots of their own, so the hot path touches no shared lock
 * of ours (SQLite's unix VFS still takes its own short mutexes when a
 * read transaction starts and ends).
 *
 * A connection keeps its read transaction (BEGIN ... COMMIT) from one read
 * to the next while no write runs: beginning and ending one costs four
 * fcntl calls (the database's shared lock and a WAL read mark, taken and
 * given back), two thirds of the system calls of a GetJob. The pool has a
 * generation, which the writer raises when a write begins and again when
 * it ends (svc_read_pool_write_begin / _end), and a `writing` flag. A
 * read whose connection began its transaction in another generation, or
 * that runs during a write, ends it; during a write reads run one
 * statement at a time, as SQLite's autocommit does. When a write begins,
 * the writer also ends the transactions of the connections nobody holds.
 * So while the writer commits, checkpoints and starts the WAL over, only
 * reads in progress hold a snapshot, as without any of this: a snapshot
 * kept through a write would keep checkpoints short of it and the WAL
 * from starting over, and it would grow with every write.
 *
 * Cost of a read: the statement's step (an index lookup, or a range of at
 * most limit + 1 rows) on the connection's page cache; a connection whose
 * snapshot moved since its last read re-reads the pages it touches (from
 * the OS cache: the database is mapped, WAL frames are read). Cost of a
 * write: two atomic increments, plus ending the transactions of the idle
 * connections that read since the last write.
 */
#include "store_read.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { Q_GRAPH_GET, Q_GRAPH_LIST, Q_TASK_GET, Q_TASK_LIST, Q_TASK_LIST_STATUS, Q_COUNT };

static const char *const queries[Q_COUNT] = {
    [Q_GRAPH_GET] = "SELECT " SVC_GRAPH_COLS " FROM graphs WHERE name = ?1",
    [Q_GRAPH_LIST] = "SELECT " SVC_GRAPH_COLS " FROM graphs ORDER BY name",
    [Q_TASK_GET] = "SELECT " SVC_TASK_COLS " FROM tasks WHERE graph = ?1 AND id = ?2",
    [Q_TASK_LIST] = SVC_SQL_TASK_LIST,
    [Q_TASK_LIST_STATUS] = SVC_SQL_TASK_LIST_STATUS,
};

typedef struct reader {
    _Alignas(64) atomic_int busy;
    atomic_int in_txn; /* a read transaction is open (written by the slot's holder) */
    uint64_t gen;      /* the pool's generation when it began */
    sqlite3 *db;
    sqlite3_stmt *q[Q_COUNT];
    sqlite3_stmt *begin, *end; /* BEGIN, COMMIT */
} reader;

struct svc_read_pool {
    char *path;
    int max;
    atomic_int n;       /* slots with an open connection: [0, n) */
    atomic_int waiters; /* threads waiting for a slot */
    pthread_mutex_t mu; /* opening slots, waiting for one */
    pthread_cond_t freed;
    reader *slots;                         /* max of them */
    _Alignas(64) atomic_uint_fast64_t gen; /* raised when a write begins and ends */
    atomic_int writing;                    /* a write runs: no snapshot is kept */
    atomic_int open_txns;                  /* slots with in_txn set */
};

/* The slot this thread used last (any pool: only a first guess). */
static __thread unsigned last_slot;

/* ------------------------------------------------------------ rows */

static void copy_text(char *dst, size_t cap, const unsigned char *src)
{
    size_t n = src ? strnlen((const char *)src, cap - 1) : 0;
    memcpy(dst, src ? (const char *)src : "", n);
    dst[n] = '\0';
}

static char *dup_text(const unsigned char *src)
{
    char *s = strdup(src ? (const char *)src : "");
    if (s == NULL)
        abort(); /* out of memory: nothing sensible to do in a store read */
    return s;
}

void svc_row_summary(sqlite3_stmt *s, svc_task *t)
{
    memset(t, 0, sizeof *t);
    copy_text(t->graph, sizeof t->graph, sqlite3_column_text(s, 0));
    t->id = sqlite3_column_int64(s, 1);
    copy_text(t->algorithm, sizeof t->algorithm, sqlite3_column_text(s, 2));
    copy_text(t->task_name, sizeof t->task_name, sqlite3_column_text(s, 3));
    t->status = (svc_status)sqlite3_column_int(s, 4);
    t->progress = sqlite3_column_int(s, 5);
    t->created = sqlite3_column_int64(s, 6);
    t->updated = sqlite3_column_int64(s, 7);
    t->retries = sqlite3_column_int(s, 8);
    copy_text(t->server, sizeof t->server, sqlite3_column_text(s, 9));
}

/* The columns SVC_TASK_COLS has after the summary's. */
static void row_task_tail(sqlite3_stmt *s, svc_task *t)
{
    t->graph_version = sqlite3_column_int64(s, 10);
    t->workers = sqlite3_column_int(s, 11);
    t->pid = sqlite3_column_int64(s, 12);
    t->input = dup_text(sqlite3_column_text(s, 13));
    t->result = dup_text(sqlite3_column_text(s, 14));
}

void svc_row_task(sqlite3_stmt *s, svc_task *t)
{
    svc_row_summary(s, t);
    row_task_tail(s, t);
}

void svc_row_graph(sqlite3_stmt *s, svc_graph *g)
{
    memset(g, 0, sizeof *g);
    copy_text(g->name, sizeof g->name, sqlite3_column_text(s, 0));
    g->version = sqlite3_column_int64(s, 1);
    g->vertices = sqlite3_column_int64(s, 2);
    g->edges = sqlite3_column_int64(s, 3);
    g->weighted = sqlite3_column_int(s, 4);
    g->created = sqlite3_column_int64(s, 5);
    g->updated = sqlite3_column_int64(s, 6);
}

int svc_rows_each(sqlite3_stmt *s, int64_t limit, svc_task_visit_fn fn, void *ud, int *more)
{
    int rc;
    int64_t seen = 0;
    if (more)
        *more = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (limit >= 0 && seen == limit) {
            if (more)
                *more = 1;
            return 0;
        }
        svc_task t;
        svc_row_summary(s, &t);
        seen++;
        int stop = fn(ud, &t);
        if (stop < 0)
            return stop;
    }
    return rc == SQLITE_DONE ? 0 : -EIO;
}

/* The visitor that collects rows into an array: whole tasks (the rest of
 * the statement's columns, input and result copied), or summaries with
 * input and result "" (s NULL). */
typedef struct collect {
    sqlite3_stmt *s;
    int64_t limit;
    svc_task *arr;
    size_t len, cap;
} collect;

static int collect_row(void *ud, const svc_task *t)
{
    collect *c = ud;
    if (c->len == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : (c->limit > 0 && c->limit < 64 ? (size_t)c->limit : 64);
        svc_task *grown = realloc(c->arr, cap * sizeof *grown);
        if (grown == NULL)
            return -ENOMEM;
        c->arr = grown;
        c->cap = cap;
    }
    svc_task *row = &c->arr[c->len++];
    *row = *t;
    if (c->s) {
        row_task_tail(c->s, row);
    } else {
        row->input = dup_text(NULL);
        row->result = dup_text(NULL);
    }
    return 0;
}

/* The collected array as the answer of a visit that returned rc. */
static int collected(collect *c, int rc, svc_task **out, size_t *n)
{
    if (rc < 0) {
        svc_tasks_free(c->arr, c->len);
        return rc;
    }
    *out = c->arr;
    *n = c->len;
    return 0;
}

int svc_rows_tasks(sqlite3_stmt *s, int64_t limit, svc_task **out, size_t *n, int *more)
{
    collect c = {s, limit, NULL, 0, 0};
    return collected(&c, svc_rows_each(s, limit, collect_row, &c, more), out, n);
}

/* ------------------------------------------------------------ slots */

static void reader_close(reader *r)
{
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(r->q[i]);
    sqlite3_finalize(r->begin);
    sqlite3_finalize(r->end);
    sqlite3_close(r->db); /* an open read transaction ends with it */
    memset(r->q, 0, sizeof r->q);
    r->begin = r->end = NULL;
    r->db = NULL;
}

static int reader_open(reader *r, const char *path, char msg[SVC_MSG_MAX])
{
    /* NOMUTEX: a connection is used by the thread holding its slot only. */
    if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        snprintf(msg, SVC_MSG_MAX, "cannot open %s to read: %s", path,
                 r->db ? sqlite3_errmsg(r->db) : "out of memory");
        reader_close(r);
        return -EIO;
    }
    /* No busy handler (the header says why); the database file mapped, so
     * pages not in the WAL are read without a copy into the page cache. */
    sqlite3_busy_timeout(r->db, 0);
    sqlite3_exec(r->db, "PRAGMA mmap_size=268435456", NULL, NULL, NULL);
    for (int i = 0; i <= Q_COUNT + 1; i++) {
        const char *sql = i < Q_COUNT ? queries[i] : i == Q_COUNT ? "BEGIN" : "COMMIT";
        sqlite3_stmt **to = i < Q_COUNT ? &r->q[i] : i == Q_COUNT ? &r->begin : &r->end;
        if (sqlite3_prepare_v3(r->db, sql, -1, SQLITE_PREPARE_PERSISTENT, to, NULL) != SQLITE_OK) {
            snprintf(msg, SVC_MSG_MAX, "cannot read %s: %s", path, sqlite3_errmsg(r->db));
            reader_close(r);
            return -EIO;
        }
    }
    return 0;
}

static int try_take(reader *r)
{
    return atomic_load_explicit(&r->busy, memory_order_relaxed) == 0 &&
           atomic_exchange_explicit(&r->busy, 1, memory_order_acquire) == 0;
}

/* A free slot of the open ones, first the one this thread used last. */
static reader *scan(svc_read_pool *p)
{
    unsigned n = (unsigned)atomic_load_explicit(&p->n, memory_order_acquire);
    unsigned first = last_slot < n ? last_slot : 0;
    for (unsigned i = 0; i < n; i++) {
        unsigned k = first + i < n ? first + i : first + i - n;
        if (try_take(&p->slots[k])) {
            last_slot = k;
            return &p->slots[k];
        }
    }
    return NULL;
}

/* A connection of the caller's own until put(); NULL (msg) only if a new
 * one was needed and could not be opened. */
static reader *take(svc_read_pool *p)
{
    reader *r = scan(p);
    if (r)
        return r;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        if ((r = scan(p)) != NULL)
            break;
        int n = atomic_load_explicit(&p->n, memory_order_relaxed);
        if (n < p->max) {
            char msg[SVC_MSG_MAX];
            r = &p->slots[n];
            atomic_store_explicit(&r->busy, 1, memory_order_relaxed);
            if (reader_open(r, p->path, msg) < 0) {
                atomic_store_explicit(&r->busy, 0, memory_order_relaxed);
                fprintf(stderr, "hgc-server: %s\n", msg);
                r = NULL;
                break;
            }
            atomic_store_explicit(&p->n, n + 1, memory_order_release);
            last_slot = (unsigned)n;
            break;
        }
        /* All busy: announce the wait, then look once more, so that a put()
         * either sees the waiter or left a slot this scan finds. */
        atomic_fetch_add(&p->waiters, 1);
        if ((r = scan(p)) == NULL)
            pthread_cond_wait(&p->freed, &p->mu);
        atomic_fetch_sub(&p->waiters, 1);
        if (r)
            break;
    }
    pthread_mutex_unlock(&p->mu);
    return r;
}

/* Ends r's read transaction, if open; by the slot's holder. */
static void end_txn(svc_read_pool *p, reader *r)
{
    if (!atomic_load_explicit(&r->in_txn, memory_order_relaxed))
        return;
    sqlite3_step(r->end);
    sqlite3_reset(r->end);
    if (!sqlite3_get_autocommit(r->db)) /* COMMIT refused: a read one never is */
        sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
    atomic_store_explicit(&r->in_txn, 0, memory_order_relaxed);
    atomic_fetch_sub_explicit(&p->open_txns, 1, memory_order_relaxed);
}

/* r, just taken, in a read transaction of the current generation: kept if
 * it began in this one and no write runs, else ended and (no write
 * running) begun anew. The generation is read before BEGIN, whose
 * snapshot comes with the first step: the snapshot is that generation's
 * or newer, never older. During a write the read runs in autocommit. */
static void begin_txn(svc_read_pool *p, reader *r)
{
    uint64_t gen = atomic_load(&p->gen);
    int writing = atomic_load(&p->writing);
    if (atomic_load_explicit(&r->in_txn, memory_order_relaxed)) {
        if (r->gen == gen && !writing)
            return;
        end_txn(p, r);
    }
    if (writing)
        return;
    int ok = sqlite3_step(r->begin) == SQLITE_DONE;
    sqlite3_reset(r->begin);
    if (!ok)
        return; /* the read runs in autocommit mode */
    r->gen = gen;
    atomic_fetch_add_explicit(&p->open_txns, 1, memory_order_relaxed);
    atomic_store_explicit(&r->in_txn, 1, memory_order_relaxed);
}

void svc_read_pool_write_begin(svc_read_pool *p)
{
    if (p == NULL)
        return;
    atomic_store(&p->writing, 1);
    atomic_fetch_add(&p->gen, 1);
    if (atomic_load_explicit(&p->open_txns, memory_order_relaxed) == 0)
        return;
    int n = atomic_load_explicit(&p->n, memory_order_acquire);
    for (int i = 0; i < n; i++) {
        reader *r = &p->slots[i];
        /* A held slot ends its own when its read is done (done()); a free
         * one is ended here. */
        if (atomic_load_explicit(&r->in_txn, memory_order_relaxed) && try_take(r)) {
            end_txn(p, r);
            atomic_store_explicit(&r->busy, 0, memory_order_release);
        }
    }
    if (atomic_load(&p->waiters) > 0) {
        pthread_mutex_lock(&p->mu);
        pthread_cond_broadcast(&p->freed);
        pthread_mutex_unlock(&p->mu);
    }
}

void svc_read_pool_write_end(svc_read_pool *p)
{
    if (p == NULL)
        return;
    atomic_fetch_add(&p->gen, 1);
    atomic_store(&p->writing, 0);
}

static void put(svc_read_pool *p, reader *r)
{
    atomic_store(&r->busy, 0);
    if (atomic_load(&p->waiters) > 0) {
        pthread_mutex_lock(&p->mu);
        pthread_cond_signal(&p->freed);
        pthread_mutex_unlock(&p->mu);
    }
}

/* A connection of the pool in a read transaction of the current
 * generation; NULL as take(). */
static reader *take_reading(svc_read_pool *p)
{
    reader *r = take(p);
    if (r)
        begin_txn(p, r);
    return r;
}

/* A prepared statement of the slot; the caller binds, steps and hands it
 * to done(), which resets it. The read transaction stays for the next
 * read, unless a write began meanwhile (the writer skipped this slot
 * while it was held) or the statement failed (the next read starts
 * afresh). */
static void done(svc_read_pool *p, reader *r, sqlite3_stmt *s)
{
    if (sqlite3_reset(s) != SQLITE_OK || sqlite3_get_autocommit(r->db) ||
        r->gen != atomic_load(&p->gen))
        end_txn(p, r);
    put(p, r);
}

int svc_read_pool_open(svc_read_pool **out, const char *path, int max, char msg[SVC_MSG_MAX])
{
    svc_read_pool *p = calloc(1, sizeof *p);
    if (p == NULL || max < 1 || (p->path = strdup(path)) == NULL ||
        (p->slots = aligned_alloc(64, (size_t)max * sizeof *p->slots)) == NULL) {
        snprintf(msg, SVC_MSG_MAX, max < 1 ? "a read pool needs a connection" : "out of memory");
        if (p)
            free(p->path);
        free(p);
        return max < 1 ? -EINVAL : -ENOMEM;
    }
    memset(p->slots, 0, (size_t)max * sizeof *p->slots);
    p->max = max;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->freed, NULL);
    int rc = reader_open(&p->slots[0], path, msg);
    if (rc < 0) {
        svc_read_pool_close(p);
        return rc;
    }
    atomic_store(&p->n, 1);
    *out = p;
    return 0;
}

void svc_read_pool_close(svc_read_pool *p)
{
    if (p == NULL)
        return;
    int n = atomic_load(&p->n);
    for (int i = 0; i < n; i++)
        reader_close(&p->slots[i]);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->freed);
    free(p->slots);
    free(p->path);
    free(p);
}

int svc_read_pool_size(svc_read_pool *p)
{
    return atomic_load(&p->n);
}

/* ------------------------------------------------------------ reads */

int svc_read_graph_get(svc_read_pool *p, const char *name, svc_graph *out)
{
    reader *r = take_reading(p);
    if (r == NULL)
        return -EIO;
    sqlite3_stmt *s = r->q[Q_GRAPH_GET];
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && out)
        svc_row_graph(s, out);
    done(p, r, s);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int svc_read_graph_list(svc_read_pool *p, svc_graph **out, size_t *n)
{
    svc_graph *arr = NULL;
    size_t len = 0, cap = 0;
    reader *r = take_reading(p);
    if (r == NULL)
        return -EIO;
    sqlite3_stmt *s = r->q[Q_GRAPH_LIST];
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 16;
            svc_graph *grown = realloc(arr, cap * sizeof *arr);
            if (grown == NULL) {
                rc = SQLITE_NOMEM;
                break;
            }
            arr = grown;
        }
        svc_row_graph(s, &arr[len++]);
    }
    done(p, r, s);
    if (rc != SQLITE_DONE) {
        free(arr);
        return rc == SQLITE_NOMEM ? -ENOMEM : -EIO;
    }
    *out = arr;
    *n = len;
    return 0;
}

int svc_read_task_get(svc_read_pool *p, const char *graph, int64_t id, svc_task *out)
{
    reader *r = take_reading(p);
    if (r == NULL)
        return -EIO;
    sqlite3_stmt *s = r->q[Q_TASK_GET];
    sqlite3_bind_text(s, 1, graph, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && out)
        svc_row_task(s, out);
    done(p, r, s);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

/* The list statement for these filters, bound, on reader r. */
static sqlite3_stmt *bind_list(reader *r, const char *graph, int status, int64_t after_id,
                               int64_t limit)
{
    sqlite3_stmt *s = r->q[status < 0 ? Q_TASK_LIST : Q_TASK_LIST_STATUS];
    sqlite3_bind_text(s, 1, graph, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after_id);
    /* One row past the limit tells whether more follow. */
    sqlite3_bind_int64(s, 3, limit < 0 ? -1 : limit + 1);
    if (status >= 0)
        sqlite3_bind_int64(s, 4, status);
    return s;
}

int svc_read_task_each(svc_read_pool *p, const char *graph, int status, int64_t after_id,
                       int64_t limit, svc_task_visit_fn fn, void *ud, int *more)
{
    reader *r = take_reading(p);
    if (r == NULL)
        return -EIO;
    sqlite3_stmt *s = bind_list(r, graph, status, after_id, limit);
    int rc = svc_rows_each(s, limit, fn, ud, more);
    done(p, r, s);
    return rc;
}

int svc_read_task_list(svc_read_pool *p, const char *graph, int status, int64_t after_id,
                       int64_t limit, svc_task **out, size_t *n, int *more)
{
    collect c = {NULL, limit, NULL, 0, 0};
    int rc = svc_read_task_each(p, graph, status, after_id, limit, collect_row, &c, more);
    return collected(&c, rc, out, n);
}
