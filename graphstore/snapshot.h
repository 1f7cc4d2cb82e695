/* snapshot.h: one version of a graph with labels and properties, as a
 * folder that workers and the service map without parsing:
 *
 *   graph.hgcg      the structure: CSR both ways + id map (graph_file.h)
 *   labels.bin      the label of every vertex (u16, vertex order) and of
 *                   every edge (u16, out-CSR order), the out-CSR position
 *                   of every in-CSR edge (u64, so an in-edge finds its
 *                   label and properties), and the label names; a plain
 *                   graph (one label of a kind, no edge property) leaves
 *                   out the arrays it does not need (store_internal.h)
 *   schema.json     labels with their vertex/edge counts, and for every
 *                   (vertex|edge, label, key) its type and column file
 *   v.<n>.col, e.<n>.col   one property column per (kind, label, key)
 *                   (prop_column.h); vertex columns have n slots, edge
 *                   columns m slots in out-CSR order
 *
 * A plain weighted graph (every edge of label "edge" with a weight, the
 * only edge label, and no edge key but (edge, "edge", "weight") as
 * double) keeps its weights once, in graph.hgcg (out_w / in_w): the
 * key's schema entry says "in": "graph" instead of naming a file, there
 * is no column file for it and no in_to_out (an in-edge's weight is in_w
 * at its in-CSR position). algo_snapshot_column gives a view of out_w.
 * Folders written before this keep a real column and read as they did.
 *
 * Written to "<dir>.tmp" and renamed, so a folder is whole or absent.
 * Cost to open: O(1) maps plus reading schema.json; a column is mapped
 * only when asked for.
 */
#ifndef ALGO_SNAPSHOT_H
#define ALGO_SNAPSHOT_H

#include <stdint.h>
#include "graph_file.h"
#include "prop_column.h"
#include "records.h"

typedef struct algo_schema_key {
    char kind;      /* 'v' or 'e' */
    uint16_t label; /* index into the kind's label names */
    char key[128];
    algo_prop_type type;
    char file[32]; /* column file in the folder; "" when in_graph */
    /* The values are the structure's weights (out_w, every edge has
     * one): only (edge, "edge", "weight") as double of a weighted graph
     * whose one edge label is "edge". */
    int in_graph;
} algo_schema_key;

typedef struct algo_snapshot {
    algo_graph g;
    uint32_t n_vlabels, n_elabels;
    char (*vlabel_names)[128]; /* n_vlabels */
    char (*elabel_names)[128];
    uint64_t *vlabel_count; /* vertices per vertex label */
    uint64_t *elabel_count;
    /* vlabel and elabel are never NULL while there are vertices (edges):
     * with one label of the kind, labels.bin leaves the array out and
     * they point at read-only zero pages (mapped, never backed), so every
     * vertex (edge) has label 0 and reading costs nothing. */
    const uint16_t *vlabel; /* n */
    const uint16_t *elabel; /* m, out-CSR order */
    /* m: in-CSR position -> out-CSR position. NULL when no edge has a
     * property in a column file or a label other than 0 (no edge key but
     * an in_graph one, one edge label): an in-edge then needs nothing
     * from its out-CSR position (its weight, if any, is in_w). */
    const uint64_t *in_to_out;
    size_t n_keys;
    algo_schema_key *keys;
    char dir[4096];
    void *labels_map_;
    size_t labels_len_;
    void *zero_map_; /* the zero pages behind an absent vlabel / elabel */
    size_t zero_len_;
} algo_snapshot;

int algo_snapshot_open(algo_snapshot *s, const char *dir, char msg[ALGO_MSG_MAX]);
void algo_snapshot_close(algo_snapshot *s);

/* The schema entry of (kind, label name, key), or NULL. */
const algo_schema_key *algo_snapshot_key(const algo_snapshot *s, char kind, const char *label,
                                         const char *key);

/* Maps a key's column. An in_graph key gives a view of g.out_w (every
 * slot present, present NULL, doubles or wholes as the graph holds them,
 * nothing mapped of its own); unmapping it is still right. */
int algo_snapshot_column(const algo_snapshot *s, const algo_schema_key *k, algo_column *out,
                         char msg[ALGO_MSG_MAX]);

/* Bytes of every file in the folder. */
uint64_t algo_snapshot_size(const algo_snapshot *s);

#endif
