/* prop_column.c: one (label, key) property as a typed column file
 * (prop_column.h), its append-only builder and its read-only mapping.
 *
 * Layout (little-endian, as graph_file.c): a 128-byte header (magic
 * "HGCCOL1", version, type, n, file length, a checksum of the header, a
 * table of four sections), then the sections at aligned offsets (64 bytes,
 * 2 MiB for sections of 2 MiB or more: store_section_start):
 * the presence bitmap ((n + 63) / 64 words), the values (int64 or double,
 * n of them; empty for strings), the string offsets (n + 1; empty for
 * other types) and the string heap. Absent slots hold 0 or the empty
 * string, so a reader that ignores the bitmap sees a neutral value.
 *
 * The builder appends (provisional index, value) pairs, string bytes to
 * one arena: setting is O(1) amortised and no hashing happens while the
 * loader runs. Writing scatters the pairs in append order straight into
 * snapshot slots through the permutation, so a later value for an index
 * overwrites an earlier one. Cost: O(values + slots) time, 8 bytes a slot
 * (16 for strings) on top of the builder.
 *
 * Mapping checks the header (with its checksum, so any damaged header
 * byte is refused), that the sections lie where the writer puts them with
 * the lengths n implies, and, O(n), that string offsets rise within the
 * heap and booleans are 0 or 1: a corrupt file is an error, never a bad
 * read.
 */
#include "prop_column.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/fnv.h"
#include "store_internal.h"

#define COL_MAGIC   "HGCCOL1" /* with its NUL, 8 bytes */
#define COL_VERSION 1u

enum { CS_PRESENT, CS_VALUES, CS_STR_OFF, CS_STR, CS_COUNT };

typedef struct col_header {
    char magic[8];
    uint32_t version;
    uint32_t type;
    uint64_t n;
    uint64_t file_len;
    uint64_t check; /* FNV-1a of the header with this field zero */
    uint64_t reserved0;
    store_section sec[CS_COUNT];
    uint8_t reserved[128 - 48 - CS_COUNT * sizeof(store_section)];
} col_header;

_Static_assert(sizeof(col_header) == 128, "column header is 128 bytes");

static const char *const section_names[CS_COUNT] = {
    "presence bitmap",
    "values",
    "string offsets",
    "string heap",
};

/* One appended value. Strings keep only where their bytes end in the
 * arena: the arena is append-only, so the previous entry's end (or 0) is
 * where they start. */
typedef struct col_entry {
    uint64_t index;
    union {
        int64_t i;
        double d;
        uint64_t end;
    } v;
} col_entry;

struct algo_column_builder {
    algo_prop_type type;
    col_entry *e;
    uint64_t count, cap;
    /* e[0 .. sorted) have strictly rising indices (what a snapshot read
     * in slot order appends): algo_column_builder_get searches them by
     * halves and scans only the entries after them. */
    uint64_t sorted;
    char *arena;
    uint64_t arena_len, arena_cap;
};

static int valid_type(algo_prop_type t)
{
    return t == ALGO_PROP_INT || t == ALGO_PROP_DOUBLE || t == ALGO_PROP_STRING ||
           t == ALGO_PROP_BOOL;
}

/* Grows *p to hold at least `need` elements of `size` bytes, doubling.
 * -1 on overflow or out of memory, *p untouched. */
static int grow(void **p, uint64_t *cap, uint64_t need, size_t size)
{
    uint64_t c = *cap ? *cap : 64;
    while (c < need) {
        if (c > UINT64_MAX / 2)
            return -1;
        c *= 2;
    }
    if (c > SIZE_MAX / size)
        return -1;
    void *q = realloc(*p, (size_t)c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

int algo_column_builder_new(algo_column_builder **out, algo_prop_type type)
{
    if (!valid_type(type))
        return -1;
    algo_column_builder *b = calloc(1, sizeof *b);
    if (!b)
        return -1;
    b->type = type;
    *out = b;
    return 0;
}

void algo_column_builder_free(algo_column_builder *b)
{
    if (!b)
        return;
    free(b->e);
    free(b->arena);
    free(b);
}

algo_prop_type algo_column_builder_type(const algo_column_builder *b)
{
    return b->type;
}

uint64_t algo_column_builder_count(const algo_column_builder *b)
{
    return b->count;
}

int algo_column_builder_set(algo_column_builder *b, uint64_t index, const algo_prop_value *v,
                            char msg[ALGO_MSG_MAX])
{
    if (v->type != b->type) {
        /* The caller knows the key and puts "property 'age' " in front. */
        snprintf(msg, ALGO_MSG_MAX, "is %s, got %s", algo_prop_type_name(b->type),
                 algo_prop_type_name(v->type));
        return -1;
    }
    if (b->count == b->cap && grow((void **)&b->e, &b->cap, b->count + 1, sizeof *b->e) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "out of memory");
        return -1;
    }
    col_entry *e = &b->e[b->count];
    e->index = index;
    switch (b->type) {
    case ALGO_PROP_INT: e->v.i = v->i; break;
    case ALGO_PROP_BOOL: e->v.i = v->i != 0; break;
    case ALGO_PROP_DOUBLE: e->v.d = v->d; break;
    case ALGO_PROP_STRING:
        if (v->len > 0 && !v->s) {
            snprintf(msg, ALGO_MSG_MAX, "string value of %zu bytes without bytes", v->len);
            return -1;
        }
        if (v->len > UINT64_MAX - b->arena_len ||
            (b->arena_len + v->len > b->arena_cap &&
             grow((void **)&b->arena, &b->arena_cap, b->arena_len + v->len, 1) < 0)) {
            snprintf(msg, ALGO_MSG_MAX, "out of memory");
            return -1;
        }
        if (v->len > 0)
            memcpy(b->arena + b->arena_len, v->s, v->len);
        b->arena_len += v->len;
        e->v.end = b->arena_len;
        break;
    }
    b->count++;
    if (b->sorted == b->count - 1 && (b->count == 1 || index > b->e[b->count - 2].index))
        b->sorted = b->count;
    return 0;
}

/* Entry k's value as the caller sees it. */
static void entry_value(const algo_column_builder *b, uint64_t k, algo_prop_value *out)
{
    const col_entry *e = &b->e[k];
    memset(out, 0, sizeof *out);
    out->type = b->type;
    switch (b->type) {
    case ALGO_PROP_INT:
    case ALGO_PROP_BOOL: out->i = e->v.i; break;
    case ALGO_PROP_DOUBLE: out->d = e->v.d; break;
    case ALGO_PROP_STRING: {
        uint64_t start = k > 0 ? b->e[k - 1].v.end : 0;
        out->s = b->arena ? b->arena + start : "";
        out->len = (size_t)(e->v.end - start);
        break;
    }
    }
}

int algo_column_builder_get(const algo_column_builder *b, uint64_t index, algo_prop_value *out)
{
    /* The last value set wins: the entries after the sorted prefix are
     * newer than it, so they are looked at first, newest first. */
    for (uint64_t k = b->count; k-- > b->sorted;) {
        if (b->e[k].index == index) {
            entry_value(b, k, out);
            return 1;
        }
    }
    uint64_t lo = 0, hi = b->sorted;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (b->e[mid].index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < b->sorted && b->e[lo].index == index) {
        entry_value(b, lo, out);
        return 1;
    }
    return 0;
}

/* FNV-1a over the header with its checksum field taken as zero. */
static uint64_t header_check(const col_header *h)
{
    col_header t = *h;
    t.check = 0;
    return hgc_fnv1a(HGC_FNV1A_INIT, &t, sizeof t);
}

/* The snapshot slot of entry index `index`: 1 with *slot set, 0 when the
 * index is dropped (>= n_perm), -1 when the permutation leaves the
 * column. */
static int slot_of(uint64_t index, const uint32_t *perm, uint64_t n_perm, uint64_t n_slots,
                   uint64_t *slot, char msg[ALGO_MSG_MAX])
{
    if (index >= n_perm)
        return 0;
    uint64_t s = perm ? perm[index] : index;
    if (s >= n_slots) {
        snprintf(msg, ALGO_MSG_MAX, "index %llu maps to slot %llu of a %llu-slot column",
                 (unsigned long long)index, (unsigned long long)s, (unsigned long long)n_slots);
        return -1;
    }
    *slot = s;
    return 1;
}

int algo_column_builder_write(algo_column_builder *b, const char *path, uint64_t n_slots,
                              const uint32_t *perm, uint64_t n_perm, char msg[ALGO_MSG_MAX])
{
    int rc = -1;
    uint64_t *present = NULL, *vals = NULL, *win = NULL, *soff = NULL;
    char *heap = NULL;
    store_out o = {.fd = -1};
    col_header h;
    int is_str = b->type == ALGO_PROP_STRING;
    uint64_t words = n_slots / 64 + (n_slots % 64 != 0), heap_len = 0, slot;

    /* n + 1 words must fit a size_t byte count. */
    if (n_slots >= SIZE_MAX / 8) {
        snprintf(msg, ALGO_MSG_MAX, "column of %llu slots is too large",
                 (unsigned long long)n_slots);
        return -1;
    }
    /* calloc(0) may return NULL: one spare element keeps NULL meaning
     * out of memory. */
    present = calloc(words + 1, 8);
    if (is_str) {
        win = calloc(n_slots + 1, 8);
        soff = calloc(n_slots + 1, 8);
    } else {
        vals = calloc(n_slots + 1, 8);
    }
    if (!present || (is_str ? !win || !soff : !vals)) {
        snprintf(msg, ALGO_MSG_MAX, "out of memory");
        goto out;
    }

    /* Every pass below walks the entries (and so the arena) in append
     * order and touches slots at random: independent random accesses
     * overlap, where chasing entries from slots would stall on each. */
    for (uint64_t k = 0; k < b->count; k++) {
        int r = slot_of(b->e[k].index, perm, n_perm, n_slots, &slot, msg);
        if (r < 0)
            goto out;
        if (r == 0)
            continue;
        present[slot >> 6] |= UINT64_C(1) << (slot & 63);
        if (is_str) {
            win[slot] = k + 1; /* 0: absent */
            soff[slot + 1] = b->e[k].v.end - (k > 0 ? b->e[k - 1].v.end : 0);
        } else {
            memcpy(&vals[slot], &b->e[k].v, 8); /* int64 or double bits */
        }
    }

    if (is_str) {
        /* Lengths to offsets. Each entry wins at most one slot, so the
         * heap is at most the arena: no overflow. */
        for (uint64_t s = 0; s < n_slots; s++)
            soff[s + 1] += soff[s];
        heap_len = soff[n_slots];
        heap = malloc(heap_len + 1);
        if (!heap) {
            snprintf(msg, ALGO_MSG_MAX, "out of memory");
            goto out;
        }
        for (uint64_t k = 0; k < b->count; k++) {
            if (slot_of(b->e[k].index, perm, n_perm, n_slots, &slot, msg) <= 0 ||
                win[slot] != k + 1)
                continue; /* dropped, or replaced later */
            uint64_t begin = k > 0 ? b->e[k - 1].v.end : 0;
            if (b->e[k].v.end > begin) /* the arena is NULL while all are empty */
                memcpy(heap + soff[slot], b->arena + begin, b->e[k].v.end - begin);
        }
        free(win);
        win = NULL;
    }

    memset(&h, 0, sizeof h);
    memcpy(h.magic, COL_MAGIC, 8);
    h.version = COL_VERSION;
    h.type = (uint32_t)b->type;
    h.n = n_slots;
    if (store_out_begin(&o, path, sizeof h, msg) < 0)
        goto out;
    if (store_out_section(&o, present, words * 8, &h.sec[CS_PRESENT], msg) < 0 ||
        store_out_section(&o, vals, is_str ? 0 : n_slots * 8, &h.sec[CS_VALUES], msg) < 0 ||
        store_out_section(&o, soff, is_str ? (n_slots + 1) * 8 : 0, &h.sec[CS_STR_OFF], msg) < 0 ||
        store_out_section(&o, heap, heap_len, &h.sec[CS_STR], msg) < 0)
        goto out;
    h.file_len = o.pos;
    h.check = header_check(&h);
    rc = store_out_commit(&o, &h, sizeof h, msg);
out:
    store_out_abort(&o); /* a no-op after commit */
    free(present);
    free(vals);
    free(win);
    free(soff);
    free(heap);
    return rc;
}

/* ---- mapping ------------------------------------------------------------ */

/* What the header's sizes promise about the data, O(n) for strings and
 * booleans, nothing to do for ints and doubles. */
static int check_data(const algo_column *c, uint64_t heap_len, char msg[ALGO_MSG_MAX])
{
    uint64_t n = c->n;
    if (c->type == ALGO_PROP_STRING) {
        const uint64_t *so = c->str_off;
        if (so[0] != 0 || so[n] != heap_len) {
            snprintf(msg, ALGO_MSG_MAX, "corrupt file: string offsets do not span the heap");
            return -1;
        }
        for (uint64_t i = 0; i < n; i++) {
            if (so[i + 1] < so[i] || so[i + 1] > heap_len) {
                snprintf(msg, ALGO_MSG_MAX, "corrupt file: string offset %llu out of order",
                         (unsigned long long)i + 1);
                return -1;
            }
        }
    } else if (c->type == ALGO_PROP_BOOL) {
        for (uint64_t i = 0; i < n; i++) {
            if ((uint64_t)c->ints[i] > 1) {
                snprintf(msg, ALGO_MSG_MAX, "corrupt file: boolean slot %llu holds %lld",
                         (unsigned long long)i, (long long)c->ints[i]);
                return -1;
            }
        }
    }
    return 0;
}

int algo_column_map(algo_column *c, const char *path, char msg[ALGO_MSG_MAX])
{
    void *map = NULL;
    size_t len = 0;
    algo_column t;
    char why[ALGO_MSG_MAX];
    if (store_map(path, sizeof(col_header), &map, &len, msg) < 0)
        return -1;
    const col_header *h = map;
    const char *base = map;

    if (memcmp(h->magic, COL_MAGIC, 8) != 0) {
        snprintf(msg, ALGO_MSG_MAX, "%s: not a property column (bad magic)", path);
        goto fail;
    }
    if (h->check != header_check(h)) {
        snprintf(msg, ALGO_MSG_MAX, "%s: corrupt column header (checksum)", path);
        goto fail;
    }
    if (h->version != COL_VERSION || !valid_type((algo_prop_type)h->type)) {
        snprintf(msg, ALGO_MSG_MAX, "%s: unsupported column version %u type %u", path, h->version,
                 h->type);
        goto fail;
    }
    /* Every type spends at least 8 bytes a slot, so n <= len / 8; that
     * bound keeps the products below from overflowing. */
    uint64_t n = h->n;
    int is_str = h->type == ALGO_PROP_STRING;
    if (h->file_len != len || n > len / 8) {
        snprintf(msg, ALGO_MSG_MAX, "%s: corrupt column header (n %llu, length %llu of %zu)", path,
                 (unsigned long long)n, (unsigned long long)h->file_len, len);
        goto fail;
    }
    uint64_t want[CS_COUNT] = {
        [CS_PRESENT] = (n / 64 + (n % 64 != 0)) * 8,
        [CS_VALUES] = is_str ? 0 : n * 8,
        [CS_STR_OFF] = is_str ? (n + 1) * 8 : 0,
        [CS_STR] = is_str ? h->sec[CS_STR].len : 0,
    };
    if (store_check_layout(h->sec, want, CS_COUNT, sizeof *h, len, section_names, why) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "%.100s: %.150s", path, why);
        goto fail;
    }

    memset(&t, 0, sizeof t);
    t.type = (algo_prop_type)h->type;
    t.n = n;
    t.present = (const uint64_t *)(base + h->sec[CS_PRESENT].off);
    if (is_str) {
        t.str_off = (const uint64_t *)(base + h->sec[CS_STR_OFF].off);
        t.str = base + h->sec[CS_STR].off;
    } else if (t.type == ALGO_PROP_DOUBLE) {
        t.doubles = (const double *)(base + h->sec[CS_VALUES].off);
    } else {
        t.ints = (const int64_t *)(base + h->sec[CS_VALUES].off);
    }
    t.map_ = map;
    t.map_len_ = len;
    if (check_data(&t, h->sec[CS_STR].len, why) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "%.100s: %.150s", path, why);
        goto fail;
    }
    *c = t;
    return 0;
fail:
    munmap(map, len);
    return -1;
}

void algo_column_unmap(algo_column *c)
{
    if (c->map_)
        munmap(c->map_, c->map_len_);
    memset(c, 0, sizeof *c);
}

void algo_column_get(const algo_column *c, uint64_t i, algo_prop_value *out)
{
    memset(out, 0, sizeof *out);
    out->type = c->type;
    if (i >= c->n)
        return; /* a neutral value rather than a read past the column */
    switch (c->type) {
    case ALGO_PROP_INT:
    case ALGO_PROP_BOOL: out->i = c->ints[i]; break;
    case ALGO_PROP_DOUBLE: out->d = algo_column_double(c, i); break;
    case ALGO_PROP_STRING:
        out->s = c->str + c->str_off[i];
        out->len = (size_t)(c->str_off[i + 1] - c->str_off[i]);
        break;
    }
}
