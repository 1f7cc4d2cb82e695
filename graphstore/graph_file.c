/* graph_file.c: the snapshot file format (graph_file.h), its writer and
 * its read-only mapping, plus the file helpers the store shares
 * (store_internal.h).
 *
 * Layout: a 256-byte header (magic "HGCGRAPH", version, flags, n, m, the
 * file length and a table of nine sections), then the sections, each at a
 * 64-byte aligned offset (2 MiB for sections of 2 MiB or more): ids.num,
 * ids.str_off, ids.str, out_off, out_dst, out_w, in_off, in_src, in_w
 * (weights empty when unweighted). When the in-edges equal the out-edges
 * (offsets, lists and weights: every edge is there both ways, as an
 * undirected graph loaded both ways), the flag IN_IS_OUT is set and the
 * three in-sections are empty: the file, the page cache and the worker's
 * map are half the size, the map checks one CSR, and undirected kernels
 * borrow the lists without comparing them. When every weight is a whole
 * number from 0 to 2^32 - 1, the flag U32_W is set and the weights are
 * stored as uint32: the same values in half the bytes, which is half the
 * pages a weighted search first-touches and streams, and an integer
 * search reads them with no conversion or check.
 *
 * Cost of algo_graph_map: O(n + m + id bytes) to validate everything a
 * kernel indexes with (offsets monotone and ending at m, every neighbour
 * index < n and each list sorted, ids strictly increasing), so a corrupted
 * file is an error instead of an out-of-bounds read. That is one
 * sequential pass over pages the kernel is about to read anyway, the out-
 * and in-lists on two threads.
 */
#define _GNU_SOURCE
#include "graph_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/magic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "base/fs.h"
#include "graph_build.h"
#include "store_internal.h"

#define GRAPH_MAGIC     "HGCGRAPH"
#define GRAPH_VERSION   1u
#define GRAPH_WEIGHTED  1u
#define GRAPH_IN_IS_OUT 2u
#define GRAPH_U32_W     4u

enum {
    GS_NUM,
    GS_STR_OFF,
    GS_STR,
    GS_OUT_OFF,
    GS_OUT_DST,
    GS_OUT_W,
    GS_IN_OFF,
    GS_IN_SRC,
    GS_IN_W,
    GS_COUNT
};

typedef struct graph_header {
    char magic[8];
    uint32_t version;
    uint32_t flags;
    uint64_t n;
    uint64_t m;
    uint64_t file_len;
    store_section sec[GS_COUNT];
    uint8_t reserved[256 - 40 - GS_COUNT * sizeof(store_section)];
} graph_header;

_Static_assert(sizeof(graph_header) == 256, "graph header is 256 bytes");

static const char *const section_names[GS_COUNT] = {
    "numeric ids",      "string id offsets", "string ids",
    "out-edge offsets", "out-edge targets",  "out-edge weights",
    "in-edge offsets",  "in-edge sources",   "in-edge weights",
};

/* ---- writing ---------------------------------------------------------- */

#define ZERO_PIECE (64u << 10) /* pieces of a section left as holes when all zero */

static int write_all(int fd, const void *data, uint64_t len, uint64_t at, char msg[ALGO_MSG_MAX])
{
    const char *p = data;
    while (len > 0) {
        /* Linux caps one write at ~2 GiB; 1 GiB pieces keep the calls big. */
        size_t piece = len > (1u << 30) ? (1u << 30) : (size_t)len;
        ssize_t w = pwrite(fd, p, piece, (off_t)at);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            snprintf(msg, ALGO_MSG_MAX, "write: %s", strerror(errno));
            return -1;
        }
        p += w;
        at += (uint64_t)w;
        len -= (uint64_t)w;
    }
    return 0;
}

int store_out_begin(store_out *o, const char *path, size_t header_len, char msg[ALGO_MSG_MAX])
{
    o->fd = -1;
    o->pos = header_len;
    o->path = strdup(path);
    o->tmp_path = NULL;
    if (!o->path || asprintf(&o->tmp_path, "%s.tmp", path) < 0) {
        o->tmp_path = NULL;
        snprintf(msg, ALGO_MSG_MAX, "out of memory");
        store_out_abort(o);
        return -1;
    }
    o->fd = open(o->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (o->fd < 0) {
        snprintf(msg, ALGO_MSG_MAX, "%s: %s", o->tmp_path, strerror(errno));
        store_out_abort(o);
        return -1;
    }
    /* A hole in a tmpfs file gets its page when first read, and on a full
     * tmpfs that read is a SIGBUS (a reader of a snapshot with string
     * offsets of zero crashed hgc-server). There, zeros are written like
     * the rest, so a full file system fails the write, which says so. */
    struct statfs fs;
    o->no_holes = fstatfs(o->fd, &fs) == 0 && fs.f_type == TMPFS_MAGIC;
    return 0;
}

/* Whether the len bytes at p are all zero. */
static int all_zero(const unsigned char *p, size_t len)
{
    static const unsigned char zeros[64];
    if (len <= sizeof zeros)
        return memcmp(p, zeros, len) == 0;
    /* the first 64 bytes zero, and every byte equal to the one 64 before */
    return memcmp(p, zeros, sizeof zeros) == 0 &&
           memcmp(p, p + sizeof zeros, len - sizeof zeros) == 0;
}

int store_out_section(store_out *o, const void *data, uint64_t len, store_section *sec,
                      char msg[ALGO_MSG_MAX])
{
    /* Gaps between sections stay holes, which read back as zeros; so do
     * the section's own ZERO_PIECE-aligned pieces that are all zero (a
     * graph with numeric ids only has string offsets of zero: 8 bytes a
     * vertex in its snapshot and in every result file; many results are
     * mostly zero). The pieces between are written in runs as long as
     * possible: the page cache holds a file in folios as large as its
     * writes (see store_section_start). Not on a tmpfs (no_holes). The
     * gaps stay holes there too: nothing reads them. */
    const uint64_t at = store_section_start(o->pos, len);
    const unsigned char *p = data;
    sec->off = at;
    sec->len = len;
    uint64_t run = 0; /* the start of the run of pieces not yet written */
    for (uint64_t x = 0; x < len;) {
        uint64_t end = x + ZERO_PIECE < len ? x + ZERO_PIECE : len;
        if (!o->no_holes && all_zero(p + x, (size_t)(end - x))) {
            if (x > run && write_all(o->fd, p + run, x - run, at + run, msg) < 0)
                return -1;
            run = end;
        }
        x = end;
    }
    if (len > run && write_all(o->fd, p + run, len - run, at + run, msg) < 0)
        return -1;
    o->pos = at + len;
    return 0;
}

int store_out_commit(store_out *o, const void *header, size_t header_len, char msg[ALGO_MSG_MAX])
{
    int rc = -1;
    /* Extend to the recorded length in case the last section was empty. */
    if (ftruncate(o->fd, (off_t)o->pos) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "%s: %s", o->tmp_path, strerror(errno));
        goto out;
    }
    if (write_all(o->fd, header, header_len, 0, msg) < 0)
        goto out;
    if (fsync(o->fd) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "fsync %s: %s", o->tmp_path, strerror(errno));
        goto out;
    }
    if (close(o->fd) < 0) {
        o->fd = -1;
        snprintf(msg, ALGO_MSG_MAX, "close %s: %s", o->tmp_path, strerror(errno));
        goto out;
    }
    o->fd = -1;
    if (rename(o->tmp_path, o->path) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "rename %s: %s", o->tmp_path, strerror(errno));
        goto out;
    }
    free(o->tmp_path);
    o->tmp_path = NULL; /* nothing left to remove */
    /* The rename itself must survive a crash, or `path` could vanish. */
    if (hgc_fsync_parent(o->path) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "fsync directory of %s: %s", o->path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    store_out_abort(o);
    return rc;
}

void store_out_abort(store_out *o)
{
    if (o->fd >= 0)
        close(o->fd);
    o->fd = -1;
    if (o->tmp_path)
        unlink(o->tmp_path);
    free(o->tmp_path);
    free(o->path);
    o->tmp_path = NULL;
    o->path = NULL;
}

/* Whether every one of the m weights is a whole number from 0 to 2^32 - 1
 * (not -0, whose sign a whole number can't keep; NaN is not; the range
 * check comes first, so the conversion is defined). */
static int fits_u32(const double *w, uint64_t m)
{
    for (uint64_t e = 0; e < m; e++) {
        double x = w[e];
        if (!(x >= 0 && x < 4294967296.0) || signbit(x) || (double)(uint32_t)x != x)
            return 0;
    }
    return 1;
}

/* A section of m weights as 32-bit whole numbers, converted 8 MiB at a
 * time. The pieces are large on purpose: the page cache keeps a freshly
 * written file in folios as large as its writes, and a mapped read faults
 * a folio in at once. Written 16 KiB at a time, kron20w's 4-byte weights
 * took 5,500 faults to search where the same bytes written at once took
 * 3,100, and the search 8-20% longer. */
#define U32_PIECE (1u << 21)
static int write_u32_section(store_out *o, const double *w, uint64_t m, store_section *sec,
                             char msg[ALGO_MSG_MAX])
{
    sec->off = store_section_start(o->pos, m * 4);
    uint32_t *piece = malloc((m < U32_PIECE ? m + 1 : U32_PIECE) * sizeof *piece);
    if (!piece) {
        snprintf(msg, ALGO_MSG_MAX, "graph writer: out of memory for the weights");
        return -1;
    }
    int rc = 0;
    for (uint64_t e = 0; e < m && rc == 0;) {
        uint64_t k = m - e < U32_PIECE ? m - e : U32_PIECE;
        for (uint64_t i = 0; i < k; i++)
            piece[i] = (uint32_t)w[e + i];
        rc = write_all(o->fd, piece, k * 4, sec->off + e * 4, msg);
        e += k;
    }
    free(piece);
    sec->len = m * 4;
    o->pos = sec->off + m * 4;
    return rc < 0 ? -1 : 0;
}

/* One weight section: doubles, or whole numbers when u32. */
static int write_weights(store_out *o, const double *w, uint64_t m, int u32, store_section *sec,
                         char msg[ALGO_MSG_MAX])
{
    return u32 ? write_u32_section(o, w, m, sec, msg) : store_out_section(o, w, m * 8, sec, msg);
}

/* memcmp with no bytes to compare is true, and never sees the NULL an
 * empty array may be (memcmp(NULL, .., 0) is undefined). */
static int same_bytes(const void *a, const void *b, size_t len)
{
    return len == 0 || (a && b && memcmp(a, b, len) == 0);
}

int store_graph_write(const char *path, const algo_graph *g, char msg[ALGO_MSG_MAX])
{
    graph_header h;
    store_out o;
    uint64_t n = g->n, m = g->m;
    const double *out_w = g->out_w.d, *in_w = g->in_w.d;
    int weighted = out_w != NULL;
    if (g->out_w.u || g->in_w.u || (weighted && !in_w)) {
        snprintf(msg, ALGO_MSG_MAX, "graph writer: weights must be doubles both ways");
        return -1;
    }
    int in_is_out = g->in_is_out || (same_bytes(g->out_off, g->in_off, (n + 1) * 8) &&
                                     same_bytes(g->out_dst, g->in_src, m * 4) &&
                                     (!weighted || same_bytes(out_w, in_w, m * 8)));
    uint64_t in_edges = in_is_out ? 0 : m;
    /* The in-weights are the out-weights in another order. */
    int u32 = weighted && fits_u32(out_w, m);

    memset(&h, 0, sizeof h);
    memcpy(h.magic, GRAPH_MAGIC, 8);
    h.version = GRAPH_VERSION;
    h.flags = (weighted ? GRAPH_WEIGHTED : 0) | (in_is_out ? GRAPH_IN_IS_OUT : 0) |
              (u32 ? GRAPH_U32_W : 0);
    h.n = n;
    h.m = m;
    if (store_out_begin(&o, path, sizeof h, msg) < 0)
        return -1;
    if (store_out_section(&o, g->ids.num, n * 8, &h.sec[GS_NUM], msg) < 0 ||
        store_out_section(&o, g->ids.str_off, (n + 1) * 8, &h.sec[GS_STR_OFF], msg) < 0 ||
        store_out_section(&o, g->ids.str, g->ids.str_off[n], &h.sec[GS_STR], msg) < 0 ||
        store_out_section(&o, g->out_off, (n + 1) * 8, &h.sec[GS_OUT_OFF], msg) < 0 ||
        store_out_section(&o, g->out_dst, m * 4, &h.sec[GS_OUT_DST], msg) < 0 ||
        write_weights(&o, out_w, weighted ? m : 0, u32, &h.sec[GS_OUT_W], msg) < 0 ||
        store_out_section(&o, g->in_off, in_is_out ? 0 : (n + 1) * 8, &h.sec[GS_IN_OFF], msg) < 0 ||
        store_out_section(&o, g->in_src, in_edges * 4, &h.sec[GS_IN_SRC], msg) < 0 ||
        write_weights(&o, in_w, weighted ? in_edges : 0, u32, &h.sec[GS_IN_W], msg) < 0) {
        store_out_abort(&o);
        return -1;
    }
    h.file_len = o.pos;
    return store_out_commit(&o, &h, sizeof h, msg);
}

/* ---- mapping and checking ---------------------------------------------- */

int store_map(const char *path, size_t min_len, void **map, size_t *len, char msg[ALGO_MSG_MAX])
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc = -1;
    if (fd < 0) {
        snprintf(msg, ALGO_MSG_MAX, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size < min_len) {
        snprintf(msg, ALGO_MSG_MAX, "%s: not a store file (%lld bytes)", path,
                 (long long)st.st_size);
        goto out;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
        snprintf(msg, ALGO_MSG_MAX, "mmap %s: %s", path, strerror(errno));
        goto out;
    }
    /* The check right after reads every page; start the reads now. */
    (void)madvise(p, (size_t)st.st_size, MADV_WILLNEED);
    *map = p;
    *len = (size_t)st.st_size;
    rc = 0;
out:
    close(fd);
    return rc;
}

void store_populate(const void *p, uint64_t len)
{
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = (uintptr_t)p & ~(page - 1), hi = (uintptr_t)p + len;
    if (len > 0)
        (void)madvise((void *)lo, hi - lo, MADV_POPULATE_READ);
}

int store_check_layout(const store_section *sec, const uint64_t *want, int count,
                       uint64_t header_len, uint64_t file_len, const char *const *names,
                       char msg[ALGO_MSG_MAX])
{
    uint64_t at = header_len;
    for (int s = 0; s < count; s++) {
        uint64_t at64 = store_section_start(at, 0);
        at = store_section_start(at, want[s]);
        if (sec[s].off == at64)
            at = at64; /* written before large sections were page-aligned */
        /* `at` stays within the file (checked here), so no overflow. */
        if (sec[s].off != at || sec[s].len != want[s] || at > file_len ||
            sec[s].len > file_len - at) {
            snprintf(msg, ALGO_MSG_MAX,
                     "corrupt file: section %s at %llu, %llu bytes (expected %llu, %llu bytes, "
                     "file %llu)",
                     names[s], (unsigned long long)sec[s].off, (unsigned long long)sec[s].len,
                     (unsigned long long)at, (unsigned long long)want[s],
                     (unsigned long long)file_len);
            return -1;
        }
        at += sec[s].len;
    }
    if (at != file_len) {
        snprintf(msg, ALGO_MSG_MAX, "corrupt file: sections end at %llu, file at %llu",
                 (unsigned long long)at, (unsigned long long)file_len);
        return -1;
    }
    return 0;
}

int store_str_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c != 0)
        return c;
    return alen < blen ? -1 : alen > blen;
}

int store_idmap_check(const algo_idmap *ids, uint64_t str_len, char msg[ALGO_MSG_MAX])
{
    uint64_t n = ids->n;
    const uint64_t *so = ids->str_off;
    /* read in full below */
    store_populate(ids->num, n * sizeof *ids->num);
    store_populate(so, (n + 1) * sizeof *so);
    store_populate(ids->str, str_len);
    if (so[0] != 0 || so[n] != str_len) {
        snprintf(msg, ALGO_MSG_MAX, "corrupt file: string id offsets do not span the ids");
        return -1;
    }
    for (uint64_t i = 0; i < n; i++) {
        if (so[i + 1] < so[i] || so[i + 1] > str_len) {
            snprintf(msg, ALGO_MSG_MAX, "corrupt file: string id offset %llu out of order",
                     (unsigned long long)i + 1);
            return -1;
        }
        if (i == 0)
            continue;
        int prev_str = so[i] > so[i - 1], cur_str = so[i + 1] > so[i];
        int ordered;
        if (!prev_str && !cur_str)
            ordered = ids->num[i - 1] < ids->num[i];
        else if (prev_str && cur_str)
            ordered = store_str_cmp(ids->str + so[i - 1], so[i] - so[i - 1], ids->str + so[i],
                                    so[i + 1] - so[i]) < 0;
        else
            ordered = cur_str; /* a number after a string is out of order */
        if (!ordered) {
            snprintf(msg, ALGO_MSG_MAX, "corrupt file: vertex ids %llu and %llu out of order",
                     (unsigned long long)i - 1, (unsigned long long)i);
            return -1;
        }
    }
    return 0;
}

/* Numeric ids are the prefix [0, k) of the vertices: k by binary search. */
static uint64_t numeric_count(const algo_idmap *ids)
{
    uint64_t lo = 0, hi = ids->n;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (algo_idmap_is_str(ids, mid))
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

int64_t store_idmap_find_num(const algo_idmap *ids, int64_t id)
{
    uint64_t lo = 0, hi = numeric_count(ids);
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (ids->num[mid] == id)
            return (int64_t)mid;
        if (ids->num[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int64_t store_idmap_find_str(const algo_idmap *ids, const char *s, size_t len)
{
    uint64_t lo = numeric_count(ids), hi = ids->n;
    if (len == 0)
        return -1;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        const uint64_t *so = ids->str_off;
        int c = store_str_cmp(ids->str + so[mid], so[mid + 1] - so[mid], s, len);
        if (c == 0)
            return (int64_t)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* The weights at p, wsize bytes each: 4 whole numbers, 8 doubles, 0 none. */
static algo_weights weights_at(const char *p, uint64_t wsize)
{
    algo_weights w = {NULL, NULL};
    if (wsize == 4)
        w.u = (const uint32_t *)p;
    else if (wsize == 8)
        w.d = (const double *)p;
    return w;
}

int algo_graph_map(algo_graph *g, const char *path, char msg[ALGO_MSG_MAX])
{
    void *map = NULL;
    size_t len = 0;
    algo_graph t;
    if (store_map(path, sizeof(graph_header), &map, &len, msg) < 0)
        return -1;
    const graph_header *h = map;
    const char *base = map;

    if (memcmp(h->magic, GRAPH_MAGIC, 8) != 0) {
        snprintf(msg, ALGO_MSG_MAX, "%s: not a graph snapshot (bad magic)", path);
        goto fail;
    }
    if (h->version != GRAPH_VERSION ||
        (h->flags & ~(GRAPH_WEIGHTED | GRAPH_IN_IS_OUT | GRAPH_U32_W)) != 0 ||
        (h->flags & (GRAPH_WEIGHTED | GRAPH_U32_W)) == GRAPH_U32_W) {
        snprintf(msg, ALGO_MSG_MAX, "%s: unsupported snapshot version %u flags %#x", path,
                 h->version, h->flags);
        goto fail;
    }
    /* Bounding n and m by the file size first keeps the products below
     * from overflowing. */
    uint64_t n = h->n, m = h->m;
    int weighted = (h->flags & GRAPH_WEIGHTED) != 0;
    int in_is_out = (h->flags & GRAPH_IN_IS_OUT) != 0;
    uint64_t wsize = !weighted ? 0 : (h->flags & GRAPH_U32_W) ? 4 : 8;
    uint64_t in_n1 = in_is_out ? 0 : n + 1, in_m = in_is_out ? 0 : m;
    if (h->file_len != len || n >= UINT32_MAX || n > len / 8 || m > len / 4) {
        snprintf(msg, ALGO_MSG_MAX, "%s: corrupt header (n %llu, m %llu, length %llu of %zu)", path,
                 (unsigned long long)n, (unsigned long long)m, (unsigned long long)h->file_len,
                 len);
        goto fail;
    }
    uint64_t want[GS_COUNT] = {
        [GS_NUM] = n * 8,           [GS_STR_OFF] = (n + 1) * 8, [GS_STR] = h->sec[GS_STR].len,
        [GS_OUT_OFF] = (n + 1) * 8, [GS_OUT_DST] = m * 4,       [GS_OUT_W] = m * wsize,
        [GS_IN_OFF] = in_n1 * 8,    [GS_IN_SRC] = in_m * 4,     [GS_IN_W] = in_m * wsize,
    };
    char why[ALGO_MSG_MAX];
    if (store_check_layout(h->sec, want, GS_COUNT, sizeof *h, len, section_names, why) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "%.100s: %.150s", path, why);
        goto fail;
    }

    memset(&t, 0, sizeof t);
    t.n = n;
    t.m = m;
    t.ids.n = n;
    t.ids.num = (const int64_t *)(base + h->sec[GS_NUM].off);
    t.ids.str_off = (const uint64_t *)(base + h->sec[GS_STR_OFF].off);
    t.ids.str = base + h->sec[GS_STR].off;
    t.out_off = (const uint64_t *)(base + h->sec[GS_OUT_OFF].off);
    t.out_dst = (const uint32_t *)(base + h->sec[GS_OUT_DST].off);
    t.out_w = weights_at(base + h->sec[GS_OUT_W].off, wsize);
    t.in_is_out = in_is_out;
    t.in_off = in_is_out ? t.out_off : (const uint64_t *)(base + h->sec[GS_IN_OFF].off);
    t.in_src = in_is_out ? t.out_dst : (const uint32_t *)(base + h->sec[GS_IN_SRC].off);
    t.in_w = in_is_out ? t.out_w : weights_at(base + h->sec[GS_IN_W].off, wsize);
    t.map_ = map;
    t.map_len_ = len;

    if (store_idmap_check(&t.ids, h->sec[GS_STR].len, why) < 0 || store_csr_check(&t, why) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "%.100s: %.150s", path, why);
        goto fail;
    }
    *g = t;
    return 0;
fail:
    munmap(map, len);
    return -1;
}

void algo_graph_unmap(algo_graph *g)
{
    if (g->map_)
        munmap(g->map_, g->map_len_);
    memset(g, 0, sizeof *g);
}

int64_t algo_graph_find_num(const algo_graph *g, int64_t id)
{
    return store_idmap_find_num(&g->ids, id);
}

int64_t algo_graph_find_str(const algo_graph *g, const char *id, size_t len)
{
    return store_idmap_find_str(&g->ids, id, len);
}

int64_t algo_idmap_find(const algo_idmap *ids, const algo_vid *v)
{
    return v->is_str ? store_idmap_find_str(ids, v->str, v->len)
                     : store_idmap_find_num(ids, v->num);
}

void algo_idmap_get(algo_vid *out, const algo_idmap *ids, uint64_t i)
{
    if (algo_idmap_is_str(ids, i))
        *out = (algo_vid){.is_str = 1,
                          .str = ids->str + ids->str_off[i],
                          .len = ids->str_off[i + 1] - ids->str_off[i]};
    else
        *out = (algo_vid){.is_str = 0, .num = ids->num[i]};
}

void store_quote(char *dst, size_t cap, const char *s, size_t len)
{
    size_t k = len < 40 ? len : 40, i;
    for (i = 0; i < k && i + 4 < cap; i++)
        dst[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    if (k < len && i + 4 < cap) {
        memcpy(dst + i, "...", 3);
        i += 3;
    }
    dst[i] = '\0';
}
