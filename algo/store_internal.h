/* store_internal.h: what the graph-store files share (private to
 * algo_store): the section table of a file header, writing a file as
 * 64-byte aligned sections to "<path>.tmp" then fsync + rename, mapping a
 * file read-only, checking an id map (graph_file.h's encoding), and the
 * builder's state, which graph_build.c fills and graph_build_write.c
 * writes.
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

#define STORE_ALIGN 64

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
} store_out;

/* Opens "<path>.tmp" (truncated) and reserves `header_len` bytes. */
int store_out_begin(store_out *o, const char *path, size_t header_len, char msg[ALGO_MSG_MAX]);

/* Appends one section at the next aligned offset; fills *sec. */
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

/* Checks a header's section table: the sections lie one after the other
 * exactly where the writer puts them (each at the next aligned offset
 * after the previous one, the first after the header), have the expected
 * lengths, and the last one ends the file. So no section overlaps
 * another or leaves the file. */
int store_check_layout(const store_section *sec, const uint64_t *want, int count,
                       uint64_t header_len, uint64_t file_len, const char *const *names,
                       char msg[ALGO_MSG_MAX]);

/* Checks an id map whose arrays lie in mapped sections of the right
 * lengths: str_off starts at 0, never decreases and ends at `str_len`;
 * numeric ids come before string ids and each part is strictly
 * increasing (so binary search works and ids are unique). O(n + bytes). */
int store_idmap_check(const algo_idmap *ids, uint64_t str_len, char msg[ALGO_MSG_MAX]);

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
    int written; /* write renumbered the edges in place: no more adding */
};

/* Writes a graph snapshot (graph_file.c owns the format): every array of
 * `g` is written as its section; `g->map_` is ignored. */
int store_graph_write(const char *path, const algo_graph *g, char msg[ALGO_MSG_MAX]);

/* The builder's fast path for the edge parser: both ends numeric, no
 * algo_vid to fill. */
int store_builder_add_num_edge(algo_graph_builder *b, int64_t src, int64_t dst, int has_weight,
                               double weight, char msg[ALGO_MSG_MAX]);

#endif
