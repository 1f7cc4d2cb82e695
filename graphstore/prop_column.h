/* prop_column.h: one property key of one label as a typed column file
 * that a worker maps without parsing, next to a snapshot.
 *
 * A column has one slot per vertex (or per edge, in out-CSR order) of the
 * snapshot; a slot is present or absent (a bitmap), and present slots
 * hold an int64, a double, a boolean (stored as int64 0/1) or a string
 * (offsets into a byte heap).
 *
 * Built in two steps: values are appended as the loader meets them, keyed
 * by the provisional index the builder gave the vertex or edge (any
 * order, a later value for the same index replaces the earlier one); at
 * write time a permutation (provisional index -> snapshot index) puts
 * them in snapshot order. Cost: O(values + slots) to write; reading a
 * slot is O(1).
 */
#ifndef ALGO_PROP_COLUMN_H
#define ALGO_PROP_COLUMN_H

#include <stddef.h>
#include <stdint.h>
#include "graph_file.h"
#include "records.h"

typedef struct algo_column_builder algo_column_builder;

/* -1 for a type outside algo_prop_type or out of memory. */
int algo_column_builder_new(algo_column_builder **out, algo_prop_type type);
void algo_column_builder_free(algo_column_builder *b);
algo_prop_type algo_column_builder_type(const algo_column_builder *b);

/* Values appended so far (a replaced value still counts): 16 bytes each
 * plus string bytes, for callers that budget memory. */
uint64_t algo_column_builder_count(const algo_column_builder *b);

/* Sets slot `index` (provisional). The value's type must be the
 * column's: -1 with msg naming both types otherwise ("is int, got
 * string"; the caller puts the key in front). Booleans are stored as
 * v->i != 0. The value is copied. */
int algo_column_builder_set(algo_column_builder *b, uint64_t index, const algo_prop_value *v,
                            char msg[ALGO_MSG_MAX]);

/* The value set last at provisional index `index`: 1 with *out filled
 * (a string points into the builder, valid until the next set or free),
 * 0 if none was set. Cost: O(log k) for the k values set in rising index
 * order first (a snapshot read back), plus a scan of the values set after
 * them (a graph's small loads since then). */
int algo_column_builder_get(const algo_column_builder *b, uint64_t index, algo_prop_value *out);

/* Writes the column for `n_slots` slots: slot perm[i] of the file gets
 * the value set at provisional index i (perm has `n_perm` entries; a
 * provisional index >= n_perm is dropped; perm NULL: identity). Written
 * to "<path>.tmp" and renamed. A value whose slot would be >= n_slots
 * is an error (-1, nothing written). The builder is unchanged and may be written
 * again. */
int algo_column_builder_write(algo_column_builder *b, const char *path, uint64_t n_slots,
                              const uint32_t *perm, uint64_t n_perm, char msg[ALGO_MSG_MAX]);

/* A mapped column. */
typedef struct algo_column {
    algo_prop_type type;
    uint64_t n;              /* slots */
    const uint64_t *present; /* bitmap, (n + 63) / 64 words; NULL: all */
    const int64_t *ints;     /* INT, BOOL: n */
    const double *doubles;   /* DOUBLE: n, or NULL when wholes holds them */
    const uint32_t *wholes;  /* DOUBLE held as whole numbers (a view of u32 graph weights): n */
    const uint64_t *str_off; /* STRING: n + 1 */
    const char *str;         /* STRING heap */
    void *map_;              /* NULL: a view of memory someone else owns */
    size_t map_len_;
} algo_column;

/* Maps and validates (sizes, offsets monotone and within the heap).
 * 0, or -1 with msg (c untouched): a corrupt file never crashes. */
int algo_column_map(algo_column *c, const char *path, char msg[ALGO_MSG_MAX]);
void algo_column_unmap(algo_column *c);

static inline int algo_column_has(const algo_column *c, uint64_t i)
{
    return i < c->n && (!c->present || ((c->present[i >> 6] >> (i & 63)) & 1));
}

/* The value of a DOUBLE column's slot i < n. */
static inline double algo_column_double(const algo_column *c, uint64_t i)
{
    return c->wholes ? (double)c->wholes[i] : c->doubles[i];
}

/* The value of a present slot (strings point into the mapping). An
 * absent slot gives 0 or the empty string; i >= n too. */
void algo_column_get(const algo_column *c, uint64_t i, algo_prop_value *out);

#endif
