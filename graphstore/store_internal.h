/* store_internal.h: what the graph-store files share (private to
 * algo_store): the section table of a file header, writing a file as
 * aligned sections (store_section_start) to "<path>.tmp" then fsync +
 * rename, mapping a file read-only, checking an id map (graph_file.h's
 * encoding), the builder's state, which graph_build.c and
 * graph_build_rec.c fill and graph_build_write.c and graph_build_snap.c
 * write, and the labels.bin format (graph_build_snap.c writes,
 * snapshot.c reads).
 *
 * Files are little-endian; we write host structs directly, so the store
 * builds only on little-endian hosts (checked below).
 */
#ifndef ALGO_STORE_INTERNAL_H
#define ALGO_STORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "graph_build.h"
#include "graph_file.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the graph store file formats assume a little-endian host"
#endif

#define STORE_ALIGN     64
#define STORE_LABEL_MAX 65535u /* labels of one kind: u16 ids 0 .. 65534 */
#define STORE_NAME_MAX  127u   /* bytes of a label name or key */

/* Where a section of len bytes starts after pos: the next STORE_ALIGN
 * boundary, or for a section of 2 MiB or more the next 2 MiB boundary.
 * The page cache holds a freshly written file in folios as large as its
 * writes allow and aligned in the file; a section that starts on 2 MiB
 * is held in whole 2 MiB folios, which a mapping maps with one page-table
 * entry each: one fault and one TLB entry for 512 pages. kron20's
 * snapshot: 1,340 -> 790 faults and a map of 0.073 -> 0.045 s. The gap
 * before such a section stays a hole (no disk, no page cache). */
#define STORE_HUGE_ALIGN (2u << 20)
static inline uint64_t store_section_start(uint64_t pos, uint64_t len)
{
    uint64_t a = len >= STORE_HUGE_ALIGN ? STORE_HUGE_ALIGN : STORE_ALIGN;
    return (pos + a - 1) & ~(a - 1);
}

/* Where a section lies in its file: byte offset (a multiple of
 * STORE_ALIGN) and length in bytes. */
typedef struct store_section {
    uint64_t off;
    uint64_t len;
} store_section;

/* A file being written: sections are appended, the header is written last
 * at offset 0 (its space reserved by store_out_begin). */
typedef struct store_out {
    int fd;
    uint64_t pos;
    char *path;
    char *tmp_path;
    int no_holes; /* on a tmpfs: zeros are written, not left as holes */
} store_out;

/* Opens "<path>.tmp" (truncated) and reserves `header_len` bytes. */
int store_out_begin(store_out *o, const char *path, size_t header_len, char msg[ALGO_MSG_MAX]);

/* Appends one section at store_section_start(pos, len); fills *sec. */
int store_out_section(store_out *o, const void *data, uint64_t len, store_section *sec,
                      char msg[ALGO_MSG_MAX]);

/* Writes the header at offset 0, fsyncs, renames onto the final path and
 * fsyncs the directory. The file length is o->pos after the last section.
 * Always releases `o`. */
int store_out_commit(store_out *o, const void *header, size_t header_len, char msg[ALGO_MSG_MAX]);

/* Closes and removes the temporary file (safe after commit or on a zeroed
 * struct with fd -1). */
void store_out_abort(store_out *o);

/* Maps `path` read-only; the file must hold at least `min_len` bytes. */
int store_map(const char *path, size_t min_len, void **map, size_t *len, char msg[ALGO_MSG_MAX]);

/* Maps the pages of [p, p + len) of a mapping now, all in one call
 * (MADV_POPULATE_READ), for a section about to be read in full: a fault
 * per page (or per 64 KiB) is what the first read pays otherwise, and a
 * fault is dear in a virtual machine. A hint: refused (a kernel before
 * 5.14) or failed, the reads fault as before. */
void store_populate(const void *p, uint64_t len);

/* Checks a header's section table: the sections lie one after the other
 * exactly where the writer puts them (each at store_section_start after
 * the previous one, or at the next 64-byte boundary as files written
 * before large sections were 2 MiB-aligned have them; the first after
 * the header), have the expected lengths, and the last one ends the
 * file. So no section overlaps another or leaves the file. */
int store_check_layout(const store_section *sec, const uint64_t *want, int count,
                       uint64_t header_len, uint64_t file_len, const char *const *names,
                       char msg[ALGO_MSG_MAX]);

/* Checks an id map whose arrays lie in mapped sections of the right
 * lengths: str_off starts at 0, never decreases and ends at `str_len`;
 * numeric ids come before string ids and each part is strictly
 * increasing (so binary search works and ids are unique). O(n + bytes). */
int store_idmap_check(const algo_idmap *ids, uint64_t str_len, char msg[ALGO_MSG_MAX]);

/* The first i in [0, n] with off[i] >= at, off ascending (any answer in
 * [0, n] if it is not: a search over a file's offsets before they are
 * checked stays in bounds). */
static inline uint64_t store_first_at_least(const uint64_t *off, uint64_t n, uint64_t at)
{
    uint64_t lo = 0, hi = n;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (off[mid] < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* csr_check.c: a mapped graph's adjacency in both directions (offsets
 * spanning the edges, neighbours in range and sorted), on several threads;
 * sets g's out_simple and in_simple. 0, or -1 with msg naming the first
 * bad place. */
int store_csr_check(algo_graph *g, char msg[ALGO_MSG_MAX]);

/* Binary searches of a checked id map. */
int64_t store_idmap_find_num(const algo_idmap *ids, int64_t id);
int64_t store_idmap_find_str(const algo_idmap *ids, const char *s, size_t len);

/* Compares two string ids: bytewise, the shorter first on a common prefix. */
int store_str_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* ---- the snapshot builder (graph_build.c adds, graph_build_write.c
 * writes) ---- */

#define STORE_NONE UINT32_MAX /* no index: empty slot, absent id */

typedef struct store_str_entry {
    uint64_t off; /* in the arena */
    uint32_t len;
    uint32_t prov;
} store_str_entry;

struct algo_graph_builder {
    uint64_t n; /* vertices = next provisional index */

    /* Direct mode, while every id is a small non-negative number: an
     * edge holds the ids themselves and `seen` marks the ids in use, a
     * bitmap small enough to stay in cache (1 MiB per 8M ids), so adding
     * costs no lookup at all; ranks come at write time. The first other
     * id switches to mapped mode for good (to_mapped in graph_build.c). */
    int direct;
    uint64_t *seen;
    uint64_t seen_cap; /* ids covered, a multiple of 64 */

    uint32_t *dense; /* numeric id x in [0, dense_cap) -> index or STORE_NONE */
    uint64_t dense_cap;

    int64_t *nh_key; /* the other numeric ids; nh_val STORE_NONE = empty slot */
    uint32_t *nh_val;
    uint64_t nh_cap, nh_count; /* cap a power of two, load <= 1/2 */

    char *arena;
    uint64_t arena_len, arena_cap;
    store_str_entry *strs;
    uint64_t nstr, strs_cap;
    uint32_t *sh_slot; /* strs index + 1, 0 = empty */
    uint32_t *sh_hash;
    uint64_t sh_cap;

    uint32_t *esrc, *edst;
    double *ew; /* NULL until the first weighted edge */
    uint64_t m, ecap;
    int written; /* STORE_WRITTEN, STORE_CONSUMED: no more adding */

    /* Labels (graph_build_rec.c): label 0 is "vertex" / "edge", and an
     * index at or past a cap has label 0, so a plain load never touches
     * these arrays. Vertex labels exist only in mapped mode (indexed by
     * provisional index, which then never changes). */
    uint16_t *vlab;
    uint64_t vlab_cap;
    uint16_t *elab; /* by append index */
    uint64_t elab_cap;
    /* Bit e set: edge e has no "weight" although the graph is weighted
     * (it weighs 1 in the CSR). Bits past the cap are clear. */
    uint64_t *wmiss;
    uint64_t wmiss_cap; /* bits, a multiple of 64 */
    /* The type of (edge, "edge", "weight") when it is not double: plain
     * weights are refused then. 0 while double or unknown. */
    int weight_type;
    /* Mapped mode: the largest numeric id (for ids the builder assigns). */
    int has_num;
    int64_t num_max;

    /* Labels, schema and property columns (graph_build_rec.c), freed
     * through the pointer so the edge-list core links without them. */
    struct store_props *props;
    void (*props_free)(struct store_props *p);
};

#define STORE_WRITTEN  1 /* edges renumbered and sorted by a write */
#define STORE_CONSUMED 2 /* write_snapshot released the edge arrays */

/* The label of a provisional vertex or an appended edge. */
static inline uint16_t store_vlabel(const algo_graph_builder *b, uint64_t v)
{
    return v < b->vlab_cap ? b->vlab[v] : 0;
}
static inline uint16_t store_elabel(const algo_graph_builder *b, uint64_t e)
{
    return e < b->elab_cap ? b->elab[e] : 0;
}
static inline int store_wmissing(const algo_graph_builder *b, uint64_t e)
{
    return e < b->wmiss_cap && ((b->wmiss[e >> 6] >> (e & 63)) & 1);
}

/* Writes a graph snapshot (graph_file.c owns the format): every array of
 * `g` is written as its section; `g->map_` is ignored. */
int store_graph_write(const char *path, const algo_graph *g, char msg[ALGO_MSG_MAX]);

/* The builder's fast path for the edge parser: both ends numeric, no
 * algo_vid to fill. */
int store_builder_add_num_edge(algo_graph_builder *b, int64_t src, int64_t dst, int has_weight,
                               double weight, char msg[ALGO_MSG_MAX]);

/* ---- what graph_build.c offers the labelled builder ---- */

/* The index of a vertex, adding it if new. In direct mode the index is
 * the id, and a later switch to mapped mode renumbers it. */
int store_builder_lookup(algo_graph_builder *b, const algo_vid *v, uint32_t *idx,
                         char msg[ALGO_MSG_MAX]);
/* The same for an id a stored version already holds: no length limit
 * (a version written before ALGO_ID_MAX_BYTES stays loadable). */
int store_builder_lookup_stored(algo_graph_builder *b, const algo_vid *v, uint32_t *idx,
                                char msg[ALGO_MSG_MAX]);
/* The index of a known vertex, or STORE_NONE; changes nothing. */
uint32_t store_builder_find(const algo_graph_builder *b, const algo_vid *v);
/* Leaves direct mode (no-op in mapped mode), so indices stay fixed. */
int store_builder_to_mapped(algo_graph_builder *b, char msg[ALGO_MSG_MAX]);
/* The id for a vertex given without one (leaves direct mode). */
int store_builder_next_id(algo_graph_builder *b, int64_t *id, char msg[ALGO_MSG_MAX]);
/* Appends an edge between two indices (what lookup gave). */
int store_builder_append_edge(algo_graph_builder *b, uint32_t s, uint32_t d, int has_weight,
                              double w, char msg[ALGO_MSG_MAX]);
/* Sets the label of vertex v / edge e (growing the arrays with label 0). */
int store_builder_set_vlabel(algo_graph_builder *b, uint64_t v, uint16_t label,
                             char msg[ALGO_MSG_MAX]);
int store_builder_set_elabel(algo_graph_builder *b, uint64_t e, uint16_t label,
                             char msg[ALGO_MSG_MAX]);
/* "the graph builder was already written" when it was. */
int store_builder_check_open(const algo_graph_builder *b, char msg[ALGO_MSG_MAX]);

/* ---- labels, schema and columns of a builder (graph_build_rec.c) ---- */

struct algo_column_builder;

/* The label names of one kind; id = index. A hash of name -> id + 1. */
typedef struct store_labels {
    char (*names)[STORE_NAME_MAX + 1];
    uint32_t count, cap;
    uint32_t *slot; /* id + 1, 0 empty */
    uint32_t slot_cap;
} store_labels;

/* One (kind, label, key) of the schema. */
typedef struct store_key {
    char kind; /* 'v' or 'e' */
    uint16_t label;
    int type; /* algo_prop_type */
    size_t key_len;
    char key[STORE_NAME_MAX + 1];
    /* Values by provisional vertex index or edge append index; NULL for
     * (edge, "edge", "weight") as double, which lives in the builder's
     * edge weights (ew, wmiss). */
    struct algo_column_builder *col;
} store_key;

struct store_props {
    store_labels vl, el; /* 0 is "vertex" / "edge" */
    store_key *keys;
    uint32_t nkeys, kcap;
    uint32_t *kslot; /* key index + 1, 0 empty */
    uint32_t kslot_cap;
    struct algo_record_sink *sink;
};

/* The builder's labels and schema, made on first use. NULL: out of memory. */
struct store_props *store_props_get(algo_graph_builder *b);
/* The key, or NULL. */
store_key *store_key_find(const struct store_props *p, char kind, uint16_t label, const char *key,
                          size_t len);
/* Adds a key (which must not exist); msg on a bad name or out of memory. */
store_key *store_key_add(algo_graph_builder *b, char kind, uint16_t label, const char *key,
                         size_t len, int type, char msg[ALGO_MSG_MAX]);

/* ---- the final numbering and the CSRs (graph_build_write.c) ---- */

typedef struct store_csr {
    uint32_t *perm; /* provisional index (direct mode: id) -> final index */
    int64_t *num;   /* the id map, n (+1) */
    uint64_t *str_off;
    char *str;
    uint64_t *out_off, *in_off; /* n + 1 */
    uint64_t *cur;              /* scratch, n + 1 */
    uint32_t *in_src;           /* m */
    double *in_w;               /* m, weighted only */
    uint32_t *out_eid;          /* tracked: out-CSR position -> append index */
    uint32_t *scratch;          /* tracked: m entries, free for the caller after the build */
} store_csr;

/* Numbers the vertices in id order and builds both CSRs; the out-CSR is
 * the builder's own edge arrays (esrc/edst/ew, now sorted). `track`
 * also records which appended edge lands at each out position (needs
 * m < 2^32). Then b->written is STORE_WRITTEN. */
int store_builder_csr(algo_graph_builder *b, store_csr *c, int track, char msg[ALGO_MSG_MAX]);
/* The graph as store_graph_write takes it. */
void store_csr_graph(const algo_graph_builder *b, const store_csr *c, algo_graph *g);
/* in_to_out[in position] = out position, by another walk of the out-CSR
 * (c->in_off and c->cur needed, c->in_src not). */
void store_csr_in_to_out(const algo_graph_builder *b, store_csr *c, uint64_t *in_to_out);
void store_csr_release(store_csr *c);

/* ---- labels.bin (graph_build_snap.c writes, snapshot.c reads) ----
 *
 * A 192-byte header, then sections at 64-byte aligned offsets: vertex
 * labels (u16, n), edge labels (u16, m, out-CSR order), in_to_out (u64,
 * m), vertex label names and edge label names (each name followed by a
 * NUL).
 *
 * Version 2 leaves out (length 0) what a plain graph does not need: the
 * vertex labels unless n_vlabels > 1, the edge labels unless
 * n_elabels > 1 (absent: every label is 0), in_to_out unless the edge
 * labels are there or schema.json has an edge key with a column file
 * (absent: no edge has a label other than 0 or a property, but maybe the
 * weights graph.hgcg holds, "in": "graph", snapshot.h). The reader holds
 * a file to exactly these rules. Version 1 files have every section in full. */
#define STORE_LABELS_MAGIC        "HGCLABL" /* with its NUL, 8 bytes */
#define STORE_LABELS_VERSION      2u
#define STORE_LABELS_VERSION_FULL 1u /* still read: every section present */

enum { LS_VLABEL, LS_ELABEL, LS_IN_TO_OUT, LS_VNAMES, LS_ENAMES, LS_COUNT };

typedef struct store_labels_header {
    char magic[8];
    uint32_t version;
    uint32_t n_vlabels;
    uint32_t n_elabels;
    uint32_t reserved0;
    uint64_t n;
    uint64_t m;
    uint64_t file_len;
    uint64_t check; /* FNV-1a of the header with this field zero */
    store_section sec[LS_COUNT];
    uint8_t reserved[192 - 56 - LS_COUNT * sizeof(store_section)];
} store_labels_header;

_Static_assert(sizeof(store_labels_header) == 192, "labels header is 192 bytes");

uint64_t store_labels_check(const store_labels_header *h);

/* 1 if s[0..len) is valid UTF-8 without NUL bytes. */
int store_utf8_ok(const char *s, size_t len);

/* Text from the input quoted in a message: at most 40 bytes, bytes other
 * than printable ASCII as '?' (so a message is always valid UTF-8), "..."
 * when cut. */
void store_quote(char *dst, size_t cap, const char *s, size_t len);

#endif
