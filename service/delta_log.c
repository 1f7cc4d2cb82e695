/* delta_log.c: a graph version's log of small loads (delta_log.h).
 *
 * Records are turned into payloads and back by delta_record.c; this file
 * frames, checksums, writes and reads them.
 *
 * Writing: a record is encoded straight into an in-memory buffer (a
 * counting pass first, so a record over REC_MAX is refused before any
 * byte moves), and the CRC-32 of the transaction is carried along frame
 * by frame. The buffer goes to the file when it passes FLUSH_AT, so a big
 * load's records may reach the file before its commit frame; a rollback
 * cuts the file back to the last commit and replay never sees them. A
 * commit appends the 'C' frame, writes the rest and fdatasyncs.
 *
 * Reading (open and replay): the file is read into memory (read, not
 * mmap: a writer cutting an uncommitted tail while a reader looks at it
 * must not raise SIGBUS) and walked frame by frame. A transaction counts
 * only when its commit frame is whole, its count is the number of record
 * frames before it and its CRC matches; the walk stops at the first one
 * that doesn't, and everything from there on is the torn tail. Replay
 * decodes a transaction's records only after its commit frame checked
 * out, and a record that doesn't decode inside a matching transaction is
 * corruption (an error), not a tail.
 *
 * Cost: O(file) time and memory to open or replay; appends are
 * amortised O(record); a commit is one write and one fdatasync.
 */
#include "delta_log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "delta_record.h"

#define DL_MAGIC   "HGCDLT1\n"
#define DL_HDR     8
#define FRAME_HDR  5           /* u8 kind, u32 payload length */
#define COMMIT_LEN 12          /* u64 count, u32 crc */
#define REC_MAX    (16u << 20) /* ceiling of one record's payload */
#define FLUSH_AT   (1u << 20)  /* buffered bytes that trigger a write */
#define BUF_KEEP   (2u << 20)  /* a buffer grown past this is freed at commit */

struct svc_delta {
    int fd;
    char *path;
    uint64_t committed; /* file size at the end of the last commit */
    uint64_t undo_to;   /* where the last commit began (svc_delta_undo), or 0 */
    uint64_t written;   /* bytes of the open transaction already in the file */
    uint8_t *buf;       /* bytes of the open transaction not yet written */
    size_t len, cap;
    uint64_t records; /* of the open transaction */
    uint32_t crc;     /* running CRC-32 state of its record frames */
    int broken;       /* an append failed: the transaction can only roll back */
    int dead;         /* a rollback failed: the file is in an unknown state */
};

/* ---- CRC-32 (IEEE 802.3, reflected 0xEDB88320, as zlib) ---- */

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

/* The state starts at 0xFFFFFFFF; the CRC is the final state inverted. */
static uint32_t crc_update(uint32_t c, const uint8_t *p, size_t n)
{
    pthread_once(&crc_once, crc_init);
    while (n--)
        c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return c;
}

/* ---- Writing ---- */

static void put_frame_header(uint8_t *p, uint8_t kind, uint32_t len)
{
    p[0] = kind;
    memcpy(p + 1, &len, 4);
}

/* fsync of the folder holding `path`: 0 or -errno. */
static int sync_dir(const char *path)
{
    char *dir = strdup(path);
    if (!dir)
        return -ENOMEM;
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    int fd = open(slash ? (dir[0] ? dir : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = fd < 0 || fsync(fd) < 0 ? -errno : 0;
    if (fd >= 0)
        close(fd);
    free(dir);
    return rc;
}

static int write_at(int fd, const uint8_t *p, size_t n, uint64_t off)
{
    while (n > 0) {
        ssize_t w = pwrite(fd, p, n, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -errno;
        if (w == 0)
            return -EIO;
        p += w;
        n -= (size_t)w;
        off += (uint64_t)w;
    }
    return 0;
}

/* A failed write or sync as the log's error: -ENOSPC (msg starting with
 * SVC_MSG_DISK_FULL) for a full disk, else -EIO. */
static int io_fail(svc_delta *d, int err, const char *what, char msg[SVC_MSG_MAX])
{
    int full = err == -ENOSPC || err == -EDQUOT;
    snprintf(msg, SVC_MSG_MAX, "%scannot %s %s (%s); nothing was stored%s",
             full ? SVC_MSG_DISK_FULL "the data directory's disk is full: " : SVC_MSG_STORE_FAILED,
             what, d->path, strerror(-err), full ? ": free some space and try again" : "");
    return full ? -ENOSPC : -EIO;
}

/* Writes the buffer after what the transaction already has in the file. */
static int flush(svc_delta *d, char msg[SVC_MSG_MAX])
{
    int rc = write_at(d->fd, d->buf, d->len, d->committed + d->written);
    if (rc < 0)
        return io_fail(d, rc, "write", msg);
    d->written += d->len;
    d->len = 0;
    return 0;
}

static void reset_txn(svc_delta *d)
{
    d->len = 0;
    d->written = 0;
    d->records = 0;
    d->crc = 0xFFFFFFFFu;
    d->broken = 0;
    if (d->cap > BUF_KEEP) {
        free(d->buf);
        d->buf = NULL;
        d->cap = 0;
    }
}

static int reserve(svc_delta *d, size_t more)
{
    if (d->cap - d->len >= more)
        return 0;
    size_t cap = d->cap ? d->cap : 4096;
    while (cap - d->len < more)
        cap *= 2;
    uint8_t *nb = realloc(d->buf, cap);
    if (!nb)
        return -ENOMEM;
    d->buf = nb;
    d->cap = cap;
    return 0;
}

static int usable(svc_delta *d, char msg[SVC_MSG_MAX])
{
    if (d->dead) {
        snprintf(msg, SVC_MSG_MAX, "%s: an earlier write error left the log unusable; reopen it",
                 d->path);
        return -EIO;
    }
    return 0;
}

/* Frames one record ('V': an algo_vertex_rec, 'E': an algo_edge_rec)
 * into the buffer and folds the frame into the transaction's CRC. */
static int append(svc_delta *d, uint8_t kind, const void *rec, char msg[SVC_MSG_MAX])
{
    int rc = usable(d, msg);
    if (rc == 0)
        rc = svc_record_check(kind, rec, msg);
    if (rc < 0)
        return rc;
    size_t len = svc_record_encode(NULL, kind, rec);
    if (len > REC_MAX) {
        snprintf(msg, SVC_MSG_MAX, "a record of %zu bytes is over the log's limit of %u", len,
                 REC_MAX);
        return -EINVAL;
    }
    if (reserve(d, FRAME_HDR + len) < 0) {
        snprintf(msg, SVC_MSG_MAX, "out of memory for a record of %zu bytes", len);
        return -ENOMEM;
    }
    uint8_t *frame = d->buf + d->len;
    put_frame_header(frame, kind, (uint32_t)len);
    svc_record_encode(frame + FRAME_HDR, kind, rec);
    d->len += FRAME_HDR + len;
    d->crc = crc_update(d->crc, frame, FRAME_HDR + len);
    d->records++;
    if (d->len >= FLUSH_AT && (rc = flush(d, msg)) < 0) {
        d->broken = 1;
        return rc;
    }
    return 0;
}

int svc_delta_append_vertex(svc_delta *d, const algo_vertex_rec *v, char msg[SVC_MSG_MAX])
{
    return append(d, SVC_RECORD_VERTEX, v, msg);
}

int svc_delta_append_edge(svc_delta *d, const algo_edge_rec *e, char msg[SVC_MSG_MAX])
{
    return append(d, SVC_RECORD_EDGE, e, msg);
}

int svc_delta_rollback(svc_delta *d, char msg[SVC_MSG_MAX])
{
    int rc = usable(d, msg);
    if (rc < 0)
        return rc;
    int touched = d->written > 0 || d->broken;
    reset_txn(d);
    if (touched && ftruncate(d->fd, (off_t)d->committed) < 0) {
        snprintf(msg, SVC_MSG_MAX, "cannot cut %s back to its last commit: %s", d->path,
                 strerror(errno));
        d->dead = 1;
        return -EIO;
    }
    return 0;
}

int svc_delta_commit(svc_delta *d, char msg[SVC_MSG_MAX])
{
    int rc = usable(d, msg);
    if (rc < 0)
        return rc;
    if (d->broken) {
        snprintf(msg, SVC_MSG_MAX, "%s: an append of this transaction failed; rolled back",
                 d->path);
        rc = -EIO;
        goto fail;
    }
    if (d->records == 0)
        return 0;
    if (reserve(d, FRAME_HDR + COMMIT_LEN) < 0) {
        snprintf(msg, SVC_MSG_MAX, "out of memory committing to %s", d->path);
        rc = -ENOMEM;
        goto fail;
    }
    uint8_t *frame = d->buf + d->len;
    uint32_t crc = d->crc ^ 0xFFFFFFFFu;
    put_frame_header(frame, 'C', COMMIT_LEN);
    memcpy(frame + FRAME_HDR, &d->records, 8);
    memcpy(frame + FRAME_HDR + 8, &crc, 4);
    d->len += FRAME_HDR + COMMIT_LEN;
    if ((rc = flush(d, msg)) < 0)
        goto fail;
    if (fdatasync(d->fd) < 0) {
        rc = io_fail(d, -errno, "sync", msg);
        goto fail;
    }
    d->undo_to = d->committed;
    d->committed += d->written;
    reset_txn(d);
    return 0;

fail:
    d->broken = 1; /* so the rollback cuts the file whatever reached it */
    char ignored[SVC_MSG_MAX];
    svc_delta_rollback(d, ignored);
    return rc < 0 ? rc : -EIO;
}

int svc_delta_undo(svc_delta *d, char msg[SVC_MSG_MAX])
{
    int rc = usable(d, msg);
    if (rc < 0)
        return rc;
    if (d->undo_to == 0 || d->records > 0 || d->written > 0) {
        snprintf(msg, SVC_MSG_MAX, "%s: no commit to undo", d->path);
        return -EINVAL;
    }
    if (ftruncate(d->fd, (off_t)d->undo_to) < 0 || fdatasync(d->fd) < 0) {
        snprintf(msg, SVC_MSG_MAX, "cannot cut %s back before its last commit: %s", d->path,
                 strerror(errno));
        d->dead = 1;
        return -EIO;
    }
    d->committed = d->undo_to;
    d->undo_to = 0;
    return 0;
}

uint64_t svc_delta_bytes(const svc_delta *d)
{
    return d->committed;
}

void svc_delta_close(svc_delta *d)
{
    if (!d)
        return;
    if (!d->dead && (d->records > 0 || d->written > 0 || d->broken)) {
        char ignored[SVC_MSG_MAX];
        svc_delta_rollback(d, ignored);
    }
    close(d->fd);
    free(d->buf);
    free(d->path);
    free(d);
}

/* ---- Reading ---- */

/* The whole file in a heap buffer (*len may be short of st_size if the
 * file shrank meanwhile). */
static int read_all(int fd, uint8_t **out, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return -errno;
    size_t size = (size_t)st.st_size, n = 0;
    uint8_t *p = malloc(size ? size : 1);
    if (!p)
        return -ENOMEM;
    while (n < size) {
        ssize_t r = pread(fd, p + n, size - n, (off_t)n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int err = -errno;
            free(p);
            return err;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *out = p;
    *len = n;
    return 0;
}

static uint32_t load_u32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

typedef int (*txn_fn)(void *ud, const uint8_t *p, size_t start, size_t end, uint64_t count);

/* Walks the transactions after the header; for each one whose commit
 * frame checks out, calls fn (if any) with its record frames [start, end).
 * *good is the end of the last such transaction. fn's error stops it. */
static int walk(const uint8_t *p, size_t n, size_t *good, txn_fn fn, void *ud)
{
    size_t off = DL_HDR, start = DL_HDR;
    uint64_t count = 0;
    uint32_t crc = 0xFFFFFFFFu;
    *good = DL_HDR;
    while (n - off >= FRAME_HDR) {
        uint8_t kind = p[off];
        uint32_t len = load_u32(p + off + 1);
        if (kind == 'C') {
            if (len != COMMIT_LEN || n - off - FRAME_HDR < COMMIT_LEN)
                break;
            uint64_t c;
            memcpy(&c, p + off + FRAME_HDR, 8);
            if (c == 0 || c != count || load_u32(p + off + FRAME_HDR + 8) != (crc ^ 0xFFFFFFFFu))
                break;
            if (fn) {
                int rc = fn(ud, p, start, off, count);
                if (rc < 0)
                    return rc;
            }
            off += FRAME_HDR + COMMIT_LEN;
            *good = start = off;
            count = 0;
            crc = 0xFFFFFFFFu;
        } else if (kind == SVC_RECORD_VERTEX || kind == SVC_RECORD_EDGE) {
            if (len > REC_MAX || n - off - FRAME_HDR < len)
                break;
            crc = crc_update(crc, p + off, FRAME_HDR + len);
            count++;
            off += FRAME_HDR + len;
        } else {
            break;
        }
    }
    return 0;
}

typedef struct replay_ctx {
    const algo_record_sink *sink;
    const char *path;
    char *msg;
    uint64_t records;
    svc_record_scratch scratch;
} replay_ctx;

/* Decodes and hands over one verified transaction's records. */
static int replay_txn(void *ud, const uint8_t *p, size_t start, size_t end, uint64_t count)
{
    replay_ctx *c = ud;
    (void)count;
    for (size_t off = start; off < end;) {
        uint8_t kind = p[off];
        uint32_t len = load_u32(p + off + 1);
        char m[ALGO_MSG_MAX];
        int rc = svc_record_decode(kind, p + off + FRAME_HDR, len, &c->scratch, c->sink, m);
        off += FRAME_HDR + len;
        c->records++;
        if (rc == -ENOMEM && !m[0]) {
            snprintf(c->msg, SVC_MSG_MAX, "%s: out of memory at record %llu", c->path,
                     (unsigned long long)c->records);
            return rc;
        }
        if (rc < 0) {
            snprintf(c->msg, SVC_MSG_MAX, "record %llu: %s", (unsigned long long)c->records, m);
            return rc;
        }
        if (rc == SVC_RECORD_CORRUPT) {
            snprintf(c->msg, SVC_MSG_MAX, "%s: record %llu is corrupt", c->path,
                     (unsigned long long)c->records);
            return -EIO;
        }
    }
    return 0;
}

/* Reads the log at an open fd: 1 if it is shorter than the header (an
 * empty log), 0 with the bytes, or negative with msg. */
static int load(int fd, const char *path, uint8_t **p, size_t *n, char msg[SVC_MSG_MAX])
{
    int rc = read_all(fd, p, n);
    if (rc < 0) {
        snprintf(msg, SVC_MSG_MAX, "cannot read %s: %s", path, strerror(-rc));
        return rc;
    }
    if (*n < DL_HDR)
        return 1;
    if (memcmp(*p, DL_MAGIC, DL_HDR) != 0) {
        snprintf(msg, SVC_MSG_MAX, "%s is not a delta log (its first 8 bytes are not %s)", path,
                 "\"HGCDLT1\\n\"");
        free(*p);
        *p = NULL;
        return -EINVAL;
    }
    return 0;
}

int svc_delta_replay(const char *path, const algo_record_sink *sink, uint64_t *records,
                     char msg[SVC_MSG_MAX])
{
    uint8_t *p = NULL;
    size_t n = 0, good;
    replay_ctx c = {sink, path, msg, 0, {NULL, 0}};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            if (records)
                *records = 0;
            return 0;
        }
        int err = -errno;
        snprintf(msg, SVC_MSG_MAX, "cannot open %s: %s", path, strerror(errno));
        return err;
    }
    int rc = load(fd, path, &p, &n, msg);
    close(fd);
    if (rc == 0)
        rc = walk(p, n, &good, replay_txn, &c);
    else if (rc == 1)
        rc = 0;
    free(p);
    svc_record_scratch_free(&c.scratch);
    if (rc == 0 && records)
        *records = c.records;
    return rc;
}

int svc_delta_open(svc_delta **out, const char *path, char msg[SVC_MSG_MAX])
{
    svc_delta *d = calloc(1, sizeof *d);
    uint8_t *p = NULL;
    size_t n = 0, good = DL_HDR;
    int rc = 0;
    if (!d || !(d->path = strdup(path))) {
        snprintf(msg, SVC_MSG_MAX, "out of memory opening %s", path);
        free(d);
        return -ENOMEM;
    }
    d->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (d->fd < 0) {
        rc = -errno;
        snprintf(msg, SVC_MSG_MAX, "cannot open %s: %s", path, strerror(errno));
        goto fail;
    }
    rc = load(d->fd, path, &p, &n, msg);
    if (rc < 0)
        goto fail;
    if (rc == 1) {
        /* New, or cut off while its header was written; its folder entry
         * is synced too, or a power cut could lose the whole file. */
        rc = ftruncate(d->fd, 0) < 0 ? -errno : 0;
        if (rc == 0)
            rc = write_at(d->fd, (const uint8_t *)DL_MAGIC, DL_HDR, 0);
        if (rc == 0 && fdatasync(d->fd) < 0)
            rc = -errno;
        if (rc == 0)
            rc = sync_dir(path);
        if (rc < 0) {
            rc = io_fail(d, rc, "write the header of", msg);
            goto fail;
        }
    } else {
        walk(p, n, &good, NULL, NULL);
        struct stat st;
        if (fstat(d->fd, &st) < 0 ||
            ((uint64_t)st.st_size != good && ftruncate(d->fd, (off_t)good) < 0)) {
            rc = -errno;
            snprintf(msg, SVC_MSG_MAX, "cannot cut the torn tail of %s: %s", path, strerror(errno));
            goto fail;
        }
    }
    free(p);
    d->committed = good;
    reset_txn(d);
    *out = d;
    return 0;

fail:
    free(p);
    if (d->fd >= 0)
        close(d->fd);
    free(d->path);
    free(d);
    return rc;
}
