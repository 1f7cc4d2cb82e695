/* records.h: vertices and edges with labels and properties, as the
 * loaders hand them to the store (HugeGraph's model, docs/algorithms.md):
 *
 *   vertex: id (a number or a string; or none, and the store assigns a
 *           number), label (default "vertex"), properties
 *   edge:   label (default "edge"), source and target ids (with the label
 *           an end vertex gets if the edge creates it), properties
 *
 * A property value is an integer, a double, a string or a boolean. The
 * first value the store sees for a (label, key) fixes the key's type for
 * that label; a later value of another type is refused.
 *
 * Every pointer in a record belongs to the parser that made it and is
 * valid only during the sink call: a sink copies what it keeps.
 */
#ifndef ALGO_RECORDS_H
#define ALGO_RECORDS_H

#include <stddef.h>
#include <stdint.h>
#include "graph_build.h"

typedef enum algo_prop_type {
    ALGO_PROP_INT = 1, /* int64 */
    ALGO_PROP_DOUBLE = 2,
    ALGO_PROP_STRING = 3, /* UTF-8 */
    ALGO_PROP_BOOL = 4,
} algo_prop_type;

/* "int", "double", "string", "bool". */
const char *algo_prop_type_name(algo_prop_type t);

typedef struct algo_prop_value {
    algo_prop_type type;
    int64_t i;     /* ALGO_PROP_INT, and ALGO_PROP_BOOL as 0/1 */
    double d;      /* ALGO_PROP_DOUBLE */
    const char *s; /* ALGO_PROP_STRING, not NUL-terminated */
    size_t len;
} algo_prop_value;

typedef struct algo_prop {
    const char *key; /* not NUL-terminated */
    size_t key_len;
    algo_prop_value value;
} algo_prop;

typedef struct algo_text {
    const char *s; /* NULL or len 0: not given */
    size_t len;
} algo_text;

typedef struct algo_vertex_rec {
    int has_id; /* 0: the store assigns a number */
    algo_vid id;
    algo_text label; /* not given: "vertex" */
    const algo_prop *props;
    size_t n_props;
} algo_vertex_rec;

typedef struct algo_edge_rec {
    algo_vid src, dst;
    algo_text label;     /* not given: "edge" */
    algo_text src_label; /* the label a created source vertex gets; not given: "vertex" */
    algo_text dst_label;
    const algo_prop *props;
    size_t n_props;
} algo_edge_rec;

/* Where parsers deliver records. Each function returns 0, or negative
 * with msg (the parser then stops and returns that error, with its own
 * position put in front: "line 12: ..."). */
typedef struct algo_record_sink {
    int (*vertex)(void *ud, const algo_vertex_rec *v, char msg[ALGO_MSG_MAX]);
    int (*edge)(void *ud, const algo_edge_rec *e, char msg[ALGO_MSG_MAX]);
    void *ud;
} algo_record_sink;

#endif
