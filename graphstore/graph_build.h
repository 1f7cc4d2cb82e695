/* graph_build.h: builds a snapshot file (graph_file.h) from edges and
 * vertices given in any order with their callers' ids.
 *
 * Cost: amortised O(1) per edge added; writing sorts the n ids
 * (O(n log n), or O(n) when all ids are small non-negative numbers) and
 * builds both CSRs by counting sort, O(n + m). Memory: about 16 bytes per
 * edge plus the ids while building.
 */
#ifndef ALGO_GRAPH_BUILD_H
#define ALGO_GRAPH_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include "graph_file.h"

/* The longest string id a load may bring, in bytes (UTF-8): one limit
 * for every way in (edge lists, JSON lines, Graphalytics, records), and
 * one every API can read back (docs/rest.md). Ids already in a version
 * are not checked again. */
#define ALGO_ID_MAX_BYTES 512

/* A vertex id as given: a number, or a string of `len` bytes (not
 * necessarily NUL-terminated; len > 0). */
typedef struct algo_vid {
    int is_str;
    int64_t num;
    const char *str;
    size_t len;
} algo_vid;

/* The index of `v` in `ids` (graph_file.h's order: numbers by value, then
 * strings byte by byte), or -1. O(log n). */
int64_t algo_idmap_find(const algo_idmap *ids, const algo_vid *v);

/* Vertex i of `ids` as an algo_vid pointing into the map. */
void algo_idmap_get(algo_vid *out, const algo_idmap *ids, uint64_t i);

typedef struct algo_graph_builder algo_graph_builder;

int algo_graph_builder_new(algo_graph_builder **out);
void algo_graph_builder_free(algo_graph_builder *b);

/* Adds an edge src -> dst; unknown ends become vertices. `weight` is used
 * when has_weight; the first weighted edge makes the graph weighted, and
 * edges added without a weight then weigh 1. Negative on out-of-memory or
 * more than 2^32 - 1 vertices (msg says which). */
int algo_graph_builder_add_edge(algo_graph_builder *b, const algo_vid *src, const algo_vid *dst,
                                int has_weight, double weight, char msg[ALGO_MSG_MAX]);

/* Adds a vertex (no-op if known). */
int algo_graph_builder_add_vertex(algo_graph_builder *b, const algo_vid *v, char msg[ALGO_MSG_MAX]);

/* Adds every vertex and edge of a mapped snapshot (the previous version
 * when loading more edges). */
int algo_graph_builder_add_graph(algo_graph_builder *b, const algo_graph *g,
                                 char msg[ALGO_MSG_MAX]);

/* ---- Labels and properties (records.h, snapshot.h) ----
 *
 * Vertices and edges carry a label ("vertex" / "edge" when not given) and
 * properties. The first value of a (kind, label, key) fixes its type; a
 * later value of another type is refused: "property 'age' of vertex label
 * 'person' is int; got string". A vertex added again keeps its label
 * (another label is refused) and its properties are updated (last value
 * wins). An edge whose end vertices don't exist creates them with the
 * label the edge names for them (src_label / dst_label); an existing end
 * whose label differs from one the edge names is refused. A vertex given
 * without an id gets the next number after the largest numeric id the
 * builder has seen; *assigned (optional) says which.
 *
 * A plain weighted edge (algo_graph_builder_add_edge with a weight) is an
 * edge of label "edge" with the double property "weight"; the snapshot
 * keeps weights in graph.hgcg too (out_w/in_w), so weighted kernels need
 * no column; when every edge is such an edge and there is no other edge
 * key, graph.hgcg is the only place (no column file, snapshot.h).
 *
 * Details:
 * - A label not given leaves the label alone: a vertex record without
 *   one keeps an existing vertex's label (its properties are of that
 *   label), and an edge's end label is compared with an existing end only
 *   when the edge names one. New vertices get "vertex".
 * - The reverse of the weight rule holds: an edge record of label "edge"
 *   with a double "weight" gives the CSR weight too. "weight" of another
 *   label, or of another type, is an ordinary column (edges weigh 1 in
 *   the CSR); once (edge, "edge", "weight") is an int, plain weights are
 *   refused. An edge of label "edge" without a weight has no "weight"
 *   value, and weighs 1 in the CSR.
 * - Assigned ids start at 0 when no numeric id was seen.
 * - Label names and keys are UTF-8 without NUL bytes, up to 127 bytes;
 *   at most 65,535 labels a kind. A record is checked whole before
 *   anything is added (a vertex, edge or key of a refused record is not).
 */
struct algo_vertex_rec; /* records.h, which includes this header */
struct algo_edge_rec;
struct algo_record_sink;
int algo_graph_builder_add_vertex_rec(algo_graph_builder *b, const struct algo_vertex_rec *v,
                                      algo_vid *assigned, char msg[ALGO_MSG_MAX]);
int algo_graph_builder_add_edge_rec(algo_graph_builder *b, const struct algo_edge_rec *e,
                                    char msg[ALGO_MSG_MAX]);

/* Vertex `id` as the builder holds it now (every record added so far):
 * *label its label, and `prop` called once for each property it has, with
 * the value set last (key and string bytes point into the builder, valid
 * until it changes). 0, or -1 if the builder has no such vertex or was
 * written. Cost: a hash lookup of the id, O(keys of the graph), and a lookup
 * per key of its label (prop_column.h: O(log n) plus the values set since
 * the builder read its snapshot). */
struct algo_prop_value;
typedef void (*algo_vertex_prop_fn)(void *ud, const char *key, size_t key_len,
                                    const struct algo_prop_value *v);
int algo_graph_builder_vertex_get(const algo_graph_builder *b, const algo_vid *id,
                                  const char **label, algo_vertex_prop_fn prop, void *ud);

/* A record sink (records.h) that adds into this builder; valid as long as
 * the builder. For the record parsers (record_parse.h). */
const struct algo_record_sink *algo_graph_builder_sink(algo_graph_builder *b);

struct algo_snapshot;
/* Adds everything of a snapshot folder: structure, labels, properties,
 * and its schema's types (so a later load can't change a key's type). */
int algo_graph_builder_add_snapshot(algo_graph_builder *b, const struct algo_snapshot *s,
                                    char msg[ALGO_MSG_MAX]);

/* Writes a snapshot folder (snapshot.h) at `dir`: "<dir>.tmp" first,
 * fsync'ed, renamed. `dir` must not exist (a leftover "<dir>.tmp" is
 * replaced). Labels nothing has and no key names are left out. To keep
 * memory near algo_graph_builder_write's, it releases the builder's edges
 * as it goes: once it has begun writing files, the builder can only be
 * freed. */
int algo_graph_builder_write_snapshot(algo_graph_builder *b, const char *dir,
                                      char msg[ALGO_MSG_MAX]);

uint64_t algo_graph_builder_vertices(const algo_graph_builder *b);
uint64_t algo_graph_builder_edges(const algo_graph_builder *b);
/* Whether an edge carried a weight (the snapshot will be weighted). */
int algo_graph_builder_weighted(const algo_graph_builder *b);

/* Writes the snapshot to `path`: written to "<path>.tmp", fsync'ed and
 * renamed, so `path` is either absent or whole. The builder stays usable
 * (to free). 0 or negative with msg. */
int algo_graph_builder_write(algo_graph_builder *b, const char *path, char msg[ALGO_MSG_MAX]);

#endif
