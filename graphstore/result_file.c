/* result_file.c: one task's per-vertex values with a copy of the id map
 * (result_file.h).
 *
 * Layout (little-endian, as graph_file.c): a 320-byte header (magic
 * "HGCRSULT", version, value kind, n, file length, algorithm and property
 * names NUL-padded, a table of five sections), then the sections at
 * aligned offsets (64 bytes, 2 MiB for sections of 2 MiB or more):
 * ids.num, ids.str_off, ids.str, values and, for paths only,
 * predecessors (files of the other kinds have zeros in its table entry,
 * as files from before it had in the reserved bytes).
 *
 * Cost: writing O(n + id bytes); mapping validates the header, the
 * section bounds, the id map and (for vertex values) every index, O(n +
 * id bytes), so a corrupted file is an error, never a bad read.
 */
#include "result_file.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "store_internal.h"

#define RESULT_MAGIC   "HGCRSULT"
#define RESULT_VERSION 1u

/* RS_PRED only for paths: older files have zeros there (reserved bytes). */
enum { RS_NUM, RS_STR_OFF, RS_STR, RS_VALUES, RS_PRED, RS_COUNT };

typedef struct result_header {
    char magic[8];
    uint32_t version;
    uint32_t kind;
    uint64_t n;
    uint64_t file_len;
    char algorithm[64];
    char property[128];
    store_section sec[RS_COUNT];
    uint8_t reserved[320 - 304];
} result_header;

_Static_assert(sizeof(result_header) == 320, "result header is 320 bytes");

static const char *const section_names[RS_COUNT] = {
    "numeric ids", "string id offsets", "string ids", "values", "predecessors",
};

static size_t value_size(uint32_t kind)
{
    switch (kind) {
    case ALGO_VALUE_DOUBLE:
    case ALGO_VALUE_PATHS:
    case ALGO_VALUE_INT64: return 8;
    case ALGO_VALUE_VERTEX: return 4;
    default: return 0;
    }
}

/* Vertex values are indices the reader turns into ids: each must be < n. */
static int check_vertices(const uint32_t *v, uint64_t n, char msg[ALGO_MSG_MAX])
{
    for (uint64_t i = 0; i < n; i++)
        if (v[i] >= n) {
            snprintf(msg, ALGO_MSG_MAX, "value of vertex %llu is %u, not a vertex index",
                     (unsigned long long)i, v[i]);
            return -1;
        }
    return 0;
}

/* Predecessors: a vertex index or ALGO_RESULT_NO_VERTEX each. */
static int check_preds(const uint32_t *p, uint64_t n, char msg[ALGO_MSG_MAX])
{
    for (uint64_t i = 0; i < n; i++)
        if (p[i] >= n && p[i] != ALGO_RESULT_NO_VERTEX) {
            snprintf(msg, ALGO_MSG_MAX, "predecessor of vertex %llu is %u, not a vertex index",
                     (unsigned long long)i, p[i]);
            return -1;
        }
    return 0;
}

static int result_write(const char *path, const algo_graph *g, algo_value_kind kind,
                        const void *values, const uint32_t *pred, const char *algorithm,
                        const char *property, char msg[ALGO_MSG_MAX]);

int algo_result_write(const char *path, const algo_graph *g, algo_value_kind kind,
                      const void *values, const char *algorithm, const char *property,
                      char msg[ALGO_MSG_MAX])
{
    if (kind == ALGO_VALUE_PATHS) {
        snprintf(msg, ALGO_MSG_MAX, "paths are written with algo_result_write_paths");
        return -1;
    }
    return result_write(path, g, kind, values, NULL, algorithm, property, msg);
}

int algo_result_write_paths(const char *path, const algo_graph *g, const double *dist,
                            const uint32_t *pred, const char *algorithm, const char *property,
                            char msg[ALGO_MSG_MAX])
{
    if (check_preds(pred, g->n, msg) < 0)
        return -1;
    return result_write(path, g, ALGO_VALUE_PATHS, dist, pred, algorithm, property, msg);
}

static int result_write(const char *path, const algo_graph *g, algo_value_kind kind,
                        const void *values, const uint32_t *pred, const char *algorithm,
                        const char *property, char msg[ALGO_MSG_MAX])
{
    result_header h;
    store_out o;
    uint64_t n = g->n;
    size_t vs = value_size((uint32_t)kind);

    if (vs == 0) {
        snprintf(msg, ALGO_MSG_MAX, "unknown value kind %d", (int)kind);
        return -1;
    }
    if (strlen(algorithm) >= sizeof h.algorithm || strlen(property) >= sizeof h.property) {
        snprintf(msg, ALGO_MSG_MAX, "algorithm or property name too long");
        return -1;
    }
    if (kind == ALGO_VALUE_VERTEX && check_vertices(values, n, msg) < 0)
        return -1;

    memset(&h, 0, sizeof h);
    memcpy(h.magic, RESULT_MAGIC, 8);
    h.version = RESULT_VERSION;
    h.kind = (uint32_t)kind;
    h.n = n;
    strcpy(h.algorithm, algorithm);
    strcpy(h.property, property);
    if (store_out_begin(&o, path, sizeof h, msg) < 0)
        return -1;
    if (store_out_section(&o, g->ids.num, n * 8, &h.sec[RS_NUM], msg) < 0 ||
        store_out_section(&o, g->ids.str_off, (n + 1) * 8, &h.sec[RS_STR_OFF], msg) < 0 ||
        store_out_section(&o, g->ids.str, g->ids.str_off[n], &h.sec[RS_STR], msg) < 0 ||
        store_out_section(&o, values, n * vs, &h.sec[RS_VALUES], msg) < 0 ||
        (pred && store_out_section(&o, pred, n * 4, &h.sec[RS_PRED], msg) < 0)) {
        store_out_abort(&o);
        return -1;
    }
    h.file_len = o.pos;
    return store_out_commit(&o, &h, sizeof h, msg);
}

int algo_result_map(algo_result *r, const char *path, char msg[ALGO_MSG_MAX])
{
    void *map = NULL;
    size_t len = 0;
    algo_result t;
    char why[ALGO_MSG_MAX];

    if (store_map(path, sizeof(result_header), &map, &len, msg) < 0)
        return -1;
    const result_header *h = map;
    const char *base = map;
    size_t vs = value_size(h->kind);

    if (memcmp(h->magic, RESULT_MAGIC, 8) != 0) {
        snprintf(msg, ALGO_MSG_MAX, "%s: not a result file (bad magic)", path);
        goto fail;
    }
    if (h->version != RESULT_VERSION || vs == 0) {
        snprintf(msg, ALGO_MSG_MAX, "%s: unsupported result version %u kind %u", path, h->version,
                 h->kind);
        goto fail;
    }
    uint64_t n = h->n;
    if (h->file_len != len || n >= UINT32_MAX || n > len / 8 ||
        !memchr(h->algorithm, '\0', sizeof h->algorithm) ||
        !memchr(h->property, '\0', sizeof h->property)) {
        snprintf(msg, ALGO_MSG_MAX, "%s: corrupt result header", path);
        goto fail;
    }
    uint64_t want[RS_COUNT] = {
        [RS_NUM] = n * 8,     [RS_STR_OFF] = (n + 1) * 8, [RS_STR] = h->sec[RS_STR].len,
        [RS_VALUES] = n * vs, [RS_PRED] = n * 4,
    };
    int nsec = h->kind == ALGO_VALUE_PATHS ? RS_COUNT : RS_PRED;
    if (store_check_layout(h->sec, want, nsec, sizeof *h, len, section_names, why) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "%.100s: %.150s", path, why);
        goto fail;
    }

    memset(&t, 0, sizeof t);
    t.kind = (algo_value_kind)h->kind;
    t.n = n;
    memcpy(t.algorithm, h->algorithm, sizeof t.algorithm);
    memcpy(t.property, h->property, sizeof t.property);
    t.ids.n = n;
    t.ids.num = (const int64_t *)(base + h->sec[RS_NUM].off);
    t.ids.str_off = (const uint64_t *)(base + h->sec[RS_STR_OFF].off);
    t.ids.str = base + h->sec[RS_STR].off;
    t.values = base + h->sec[RS_VALUES].off;
    if (t.kind == ALGO_VALUE_PATHS)
        t.pred = (const uint32_t *)(base + h->sec[RS_PRED].off);
    t.map_ = map;
    t.map_len_ = len;
    if (store_idmap_check(&t.ids, h->sec[RS_STR].len, why) < 0 ||
        (t.kind == ALGO_VALUE_VERTEX && check_vertices(t.values, n, why) < 0) ||
        (t.pred && check_preds(t.pred, n, why) < 0)) {
        snprintf(msg, ALGO_MSG_MAX, "%.100s: %.150s", path, why);
        goto fail;
    }
    *r = t;
    return 0;
fail:
    munmap(map, len);
    return -1;
}

void algo_result_unmap(algo_result *r)
{
    if (r->map_)
        munmap(r->map_, r->map_len_);
    memset(r, 0, sizeof *r);
}
