/* delta_log.c: a graph version's log of small loads (delta_log.h).
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

#define DL_MAGIC   "HGCDLT1\n"
#define DL_HDR     8
#define FRAME_HDR  5           /* u8 kind, u32 payload length */
#define COMMIT_LEN 12          /* u64 count, u32 crc */
#define REC_MAX    (16u << 20) /* ceiling of one record's payload */
#define FLUSH_AT   (1u << 20)  /* buffered bytes that trigger a write */
#define BUF_KEEP   (2u << 20)  /* a buffer grown past this is freed at commit */
#define PROP_MIN   6           /* key len (4), type (1), smallest value (1) */

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

/* ---- Encoding ---- */

/* Writes at p + n, or only counts when p is NULL (the sizing pass). */
typedef struct enc {
    uint8_t *p;
    size_t n;
} enc;

static void put(enc *e, const void *s, size_t len)
{
    if (e->p && len > 0)
        memcpy(e->p + e->n, s, len);
    e->n += len;
}

static void put_u8(enc *e, uint8_t v)
{
    put(e, &v, 1);
}

static void put_u32(enc *e, uint32_t v)
{
    put(e, &v, 4);
}

static void put_i64(enc *e, int64_t v)
{
    put(e, &v, 8);
}

/* Lengths are checked against REC_MAX by the sizing pass before any
 * writing pass, so the u32 casts below never truncate there. */
static void put_bytes(enc *e, const char *s, size_t len)
{
    put_u32(e, (uint32_t)len);
    put(e, s, len);
}

static void put_text(enc *e, algo_text t)
{
    put_bytes(e, t.s, t.s ? t.len : 0);
}

static void put_vid(enc *e, const algo_vid *v)
{
    put_u8(e, v->is_str ? 1 : 0);
    if (v->is_str)
        put_bytes(e, v->str, v->len);
    else
        put_i64(e, v->num);
}

static void put_props(enc *e, const algo_prop *p, size_t n)
{
    put_u32(e, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        put_bytes(e, p[i].key, p[i].key_len);
        put_u8(e, (uint8_t)p[i].value.type);
        switch (p[i].value.type) {
        case ALGO_PROP_INT: put_i64(e, p[i].value.i); break;
        case ALGO_PROP_DOUBLE: put(e, &p[i].value.d, 8); break;
        case ALGO_PROP_STRING: put_bytes(e, p[i].value.s, p[i].value.len); break;
        case ALGO_PROP_BOOL: put_u8(e, p[i].value.i ? 1 : 0); break;
        }
    }
}

static void put_vertex(enc *e, const algo_vertex_rec *v)
{
    put_u8(e, v->has_id ? 1 : 0);
    if (v->has_id)
        put_vid(e, &v->id);
    put_text(e, v->label);
    put_props(e, v->props, v->n_props);
}

static void put_edge(enc *e, const algo_edge_rec *r)
{
    put_vid(e, &r->src);
    put_vid(e, &r->dst);
    put_text(e, r->label);
    put_text(e, r->src_label);
    put_text(e, r->dst_label);
    put_props(e, r->props, r->n_props);
}

/* What the encoding can't say: an empty string id (the decoder refuses
 * it), a property type outside algo_prop_type, a length without bytes
 * (a record past REC_MAX is refused by append). */
static int check_vid(const algo_vid *v, const char *what, char msg[SVC_MSG_MAX])
{
    if (v->is_str && (v->len == 0 || !v->str)) {
        snprintf(msg, SVC_MSG_MAX, "the %s id is an empty string", what);
        return -EINVAL;
    }
    return 0;
}

static int check_props(const algo_prop *p, size_t n, char msg[SVC_MSG_MAX])
{
    for (size_t i = 0; i < n; i++) {
        algo_prop_type t = p[i].value.type;
        if (t != ALGO_PROP_INT && t != ALGO_PROP_DOUBLE && t != ALGO_PROP_STRING &&
            t != ALGO_PROP_BOOL) {
            snprintf(msg, SVC_MSG_MAX, "property %zu has the unknown type %d", i + 1, (int)t);
            return -EINVAL;
        }
        if ((p[i].key_len > 0 && !p[i].key) ||
            (t == ALGO_PROP_STRING && p[i].value.len > 0 && !p[i].value.s)) {
            snprintf(msg, SVC_MSG_MAX, "property %zu has a length but no bytes", i + 1);
            return -EINVAL;
        }
    }
    return 0;
}

/* ---- Writing ---- */

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
    if (rc < 0)
        return rc;
    enc e = {NULL, 0};
    if (kind == 'V')
        put_vertex(&e, rec);
    else
        put_edge(&e, rec);
    if (e.n > REC_MAX) {
        snprintf(msg, SVC_MSG_MAX, "a record of %zu bytes is over the log's limit of %u", e.n,
                 REC_MAX);
        return -EINVAL;
    }
    if (reserve(d, FRAME_HDR + e.n) < 0) {
        snprintf(msg, SVC_MSG_MAX, "out of memory for a record of %zu bytes", e.n);
        return -ENOMEM;
    }
    size_t start = d->len;
    enc w = {d->buf + start, 0};
    put_u8(&w, kind);
    put_u32(&w, (uint32_t)e.n);
    if (kind == 'V')
        put_vertex(&w, rec);
    else
        put_edge(&w, rec);
    d->len += w.n;
    d->crc = crc_update(d->crc, d->buf + start, w.n);
    d->records++;
    if (d->len >= FLUSH_AT && (rc = flush(d, msg)) < 0) {
        d->broken = 1;
        return rc;
    }
    return 0;
}

int svc_delta_append_vertex(svc_delta *d, const algo_vertex_rec *v, char msg[SVC_MSG_MAX])
{
    int rc = 0;
    if (v->has_id)
        rc = check_vid(&v->id, "vertex", msg);
    if (rc == 0)
        rc = check_props(v->props, v->n_props, msg);
    return rc < 0 ? rc : append(d, 'V', v, msg);
}

int svc_delta_append_edge(svc_delta *d, const algo_edge_rec *e, char msg[SVC_MSG_MAX])
{
    int rc = check_vid(&e->src, "source", msg);
    if (rc == 0)
        rc = check_vid(&e->dst, "target", msg);
    if (rc == 0)
        rc = check_props(e->props, e->n_props, msg);
    return rc < 0 ? rc : append(d, 'E', e, msg);
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
    enc w = {d->buf + d->len, 0};
    put_u8(&w, 'C');
    put_u32(&w, COMMIT_LEN);
    put(&w, &d->records, 8);
    put_u32(&w, d->crc ^ 0xFFFFFFFFu);
    d->len += w.n;
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
        } else if (kind == 'V' || kind == 'E') {
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

/* Reads one frame's payload; any overrun sets bad and yields zeros. */
typedef struct dec {
    const uint8_t *p;
    size_t n, off;
    int bad;
} dec;

static const uint8_t *take(dec *r, size_t len)
{
    if (r->bad || r->n - r->off < len) {
        r->bad = 1;
        return NULL;
    }
    const uint8_t *s = r->p + r->off;
    r->off += len;
    return s;
}

static uint8_t get_u8(dec *r)
{
    const uint8_t *s = take(r, 1);
    return s ? *s : 0;
}

static uint32_t get_u32(dec *r)
{
    const uint8_t *s = take(r, 4);
    return s ? load_u32(s) : 0;
}

static int64_t get_i64(dec *r)
{
    int64_t v = 0;
    const uint8_t *s = take(r, 8);
    if (s)
        memcpy(&v, s, 8);
    return v;
}

static const char *get_bytes(dec *r, size_t *len)
{
    *len = get_u32(r);
    const char *s = (const char *)take(r, *len);
    if (!s)
        *len = 0;
    return s;
}

static uint8_t get_flag(dec *r)
{
    uint8_t v = get_u8(r);
    if (v > 1)
        r->bad = 1;
    return v;
}

static algo_text get_text(dec *r)
{
    algo_text t;
    t.s = get_bytes(r, &t.len);
    if (t.len == 0)
        t.s = NULL;
    return t;
}

static void get_vid(dec *r, algo_vid *v)
{
    memset(v, 0, sizeof *v);
    v->is_str = get_flag(r);
    if (v->is_str) {
        v->str = get_bytes(r, &v->len);
        if (v->len == 0)
            r->bad = 1;
    } else {
        v->num = get_i64(r);
    }
}

typedef struct replay_ctx {
    const algo_record_sink *sink;
    const char *path;
    char *msg;
    uint64_t records;
    algo_prop *props; /* reused from record to record */
    size_t props_cap;
} replay_ctx;

static int get_props(dec *r, replay_ctx *c, const algo_prop **out, size_t *n)
{
    *out = NULL;
    *n = get_u32(r);
    if (r->bad || *n > (r->n - r->off) / PROP_MIN) {
        r->bad = 1;
        return 0;
    }
    if (*n > c->props_cap) {
        algo_prop *np = realloc(c->props, *n * sizeof *np);
        if (!np)
            return -ENOMEM;
        c->props = np;
        c->props_cap = *n;
    }
    for (size_t i = 0; i < *n && !r->bad; i++) {
        algo_prop *p = &c->props[i];
        memset(p, 0, sizeof *p);
        p->key = get_bytes(r, &p->key_len);
        p->value.type = (algo_prop_type)get_u8(r);
        switch (p->value.type) {
        case ALGO_PROP_INT: p->value.i = get_i64(r); break;
        case ALGO_PROP_DOUBLE: {
            int64_t bits = get_i64(r);
            memcpy(&p->value.d, &bits, 8);
            break;
        }
        case ALGO_PROP_STRING: p->value.s = get_bytes(r, &p->value.len); break;
        case ALGO_PROP_BOOL: p->value.i = get_flag(r); break;
        default: r->bad = 1;
        }
    }
    if (*n > 0)
        *out = c->props;
    return 0;
}

/* Decodes and hands over one verified transaction's records. */
static int replay_txn(void *ud, const uint8_t *p, size_t start, size_t end, uint64_t count)
{
    replay_ctx *c = ud;
    (void)count;
    for (size_t off = start; off < end;) {
        uint8_t kind = p[off];
        uint32_t len = load_u32(p + off + 1);
        dec r = {p + off + FRAME_HDR, len, 0, 0};
        off += FRAME_HDR + len;
        c->records++;
        char m[ALGO_MSG_MAX] = "";
        int rc = 0;
        if (kind == 'V') {
            algo_vertex_rec v;
            memset(&v, 0, sizeof v);
            v.has_id = get_flag(&r);
            if (v.has_id)
                get_vid(&r, &v.id);
            v.label = get_text(&r);
            rc = get_props(&r, c, &v.props, &v.n_props);
            if (rc == 0 && !r.bad && r.off == r.n)
                rc = c->sink->vertex(c->sink->ud, &v, m);
        } else {
            algo_edge_rec e;
            memset(&e, 0, sizeof e);
            get_vid(&r, &e.src);
            get_vid(&r, &e.dst);
            e.label = get_text(&r);
            e.src_label = get_text(&r);
            e.dst_label = get_text(&r);
            rc = get_props(&r, c, &e.props, &e.n_props);
            if (rc == 0 && !r.bad && r.off == r.n)
                rc = c->sink->edge(c->sink->ud, &e, m);
        }
        if (rc == -ENOMEM && !m[0]) {
            snprintf(c->msg, SVC_MSG_MAX, "%s: out of memory at record %llu", c->path,
                     (unsigned long long)c->records);
            return rc;
        }
        if (rc < 0) {
            snprintf(c->msg, SVC_MSG_MAX, "record %llu: %s", (unsigned long long)c->records, m);
            return rc;
        }
        if (r.bad || r.off != r.n) {
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
    replay_ctx c = {sink, path, msg, 0, NULL, 0};
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
    free(c.props);
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
