/* catalog.h: the algorithms hgc runs, as data: names and aliases, the
 * HugeGraph-Computer params classes, the options each takes with their
 * types, defaults and ranges (docs/algorithms.md).
 *
 * One spec per algorithm (specs/<id>.c), listed once in
 * compute/algorithms.def, which also joins it to its kernel (kernel.h).
 * hgc-server links only this (never the kernels) to refuse a bad request
 * before a task exists; hgc-worker uses it to fill a kernel's typed options
 * (algo_params_fill): every option names the field it lands in.
 */
#ifndef ALGO_CATALOG_H
#define ALGO_CATALOG_H

#include <stddef.h>
#include <stdint.h>
#include "graph_file.h"

typedef enum algo_opt_type {
    ALGO_OPT_INT = 1, /* whole number within [min, max] */
    ALGO_OPT_DOUBLE,  /* finite number within [min, max] */
    ALGO_OPT_ENUM,    /* one of `choices` ("OUT|IN|BOTH"), any case */
    ALGO_OPT_STRING,
    ALGO_OPT_BOOL, /* true/false, any case */
} algo_opt_type;

typedef struct algo_option {
    const char *key;   /* HugeGraph-Computer's key: "page_rank.alpha" */
    const char *alias; /* another accepted spelling, or NULL */
    algo_opt_type type;
    const char *def;     /* default, as text; NULL: derived from the
                            algorithm (output.output_property_name:
                            the canonical name with '_' for '-') */
    double min, max;     /* for INT and DOUBLE */
    const char *choices; /* for ENUM */
    const char *help;
    unsigned flags; /* ALGO_OPT_F_*: extra rules beyond the type */
    size_t offset;  /* where algo_params_fill puts the value: in
                       algo_common_opts for the common options, in the
                       spec's own options struct for the others. The field's
                       C type follows the option's type: INT int64_t,
                       DOUBLE double, ENUM int (index in `choices`), BOOL
                       int, STRING const char * (into the algo_params) */
} algo_option;

/* The options every algorithm takes, as algo_params_fill gives them. */
typedef struct algo_common_opts {
    int64_t max_super_step; /* bsp.max_super_step */
    int edge_direction;     /* input.edge_direction: 0 OUT, 1 IN, 2 BOTH */
    int edge_freq;          /* input.edge_freq: 0 MULTIPLE, 1 SINGLE, 2 SINGLE_PER_LABEL */
    int64_t limit_edges;    /* input.limit_edges_in_one_vertex; -1: all */
    const char *output_property_name; /* output.output_property_name */
} algo_common_opts;

/* What a kernel writes (kernel.h's algo_output). The per-vertex shapes have
 * the numbers of result_file.h's value kinds. */
typedef enum algo_output_shape {
    ALGO_OUT_DOUBLE = 1, /* a double per vertex */
    ALGO_OUT_INT64 = 2,  /* an int64 per vertex */
    ALGO_OUT_VERTEX = 3, /* a vertex per vertex, shown as its id */
    ALGO_OUT_ROWS = 4,   /* rows of vertices (paths, rings, matches, walks),
                            each stored on one vertex */
    ALGO_OUT_PATHS = 5,  /* shortest paths from one source, O(n): a distance
                            (double; infinite: no row) and a predecessor
                            (vertex) per vertex, rebuilt into paths when read */
} algo_output_shape;

/* INT, DOUBLE: 0 is refused even when inside [min, max] (-1 means "all";
 * a DOUBLE range then is (0, max]). */
#define ALGO_OPT_F_NOT_ZERO 1u
/* STRING: a name: 1..100 bytes of [A-Za-z0-9_.-]. */
#define ALGO_OPT_F_NAME 2u
/* The caller must give it (`def` is not used); a STRING then is not empty. */
#define ALGO_OPT_F_REQUIRED 4u
/* STRING: a vertex id of the job's graph ("42", "alice"; a number-like text
 * means the number first, then the string). The catalog can't see graphs:
 * hgc-server checks that the vertex exists in the version the task pins,
 * and the worker finds it (or fails) again in the snapshot. */
#define ALGO_OPT_F_VERTEX 8u

typedef struct algo_spec {
    const char *name;           /* canonical: "page-rank" */
    const char *const *classes; /* params class suffixes after the package
                                   root, NULL-terminated */
    const char *output;         /* "double", "vertex id", ... */
    algo_output_shape shape;    /* what the kernel writes */
    const algo_option *options; /* the algorithm's own; the common ones
                                   (bsp.*, input.*, output.*) are added */
    size_t n_options;
    size_t opts_size; /* sizeof the algorithm's own options struct */
    /* how the worker's log names a progress report (progress.h): the unit
       ("superstep", "source"; NULL: "step") and the metric (NULL: none) */
    const char *step_name, *metric_name;
} algo_spec;

/* One spec's own options: ALGO_SPEC_OPTIONS(table, struct type). */
#define ALGO_SPEC_OPTIONS(table, type)                                                             \
    .options = (table), .n_options = sizeof(table) / sizeof((table)[0]), .opts_size = sizeof(type)

size_t algo_catalog_count(void);
const algo_spec *algo_catalog_at(size_t i);

/* "page-rank", "page_rank", "PageRank", "pagerank" ... -> the spec, or NULL. */
const algo_spec *algo_catalog_find(const char *name);

/* A params class under either package root and any sub-package the class
 * has lived in -> the spec, or NULL. */
const algo_spec *algo_catalog_find_class(const char *params_class);

/* "page-rank, ..." : the canonical names, for error messages. */
const char *algo_catalog_names(void);

/* Checked options: every option of the algorithm (its own and the common
 * ones) under its canonical key, with the caller's value or the default,
 * normalised (numbers re-printed, enums upper case). */
typedef struct algo_params {
    const algo_spec *spec;
    size_t n;
    struct algo_param {
        const algo_option *opt;
        char value[256];
        int given; /* the caller set it */
    } * items;
} algo_params;

/* Checks caller options against the spec: unknown key, wrong type, out of
 * range -> negative with msg naming the key and what is allowed (for an
 * unknown key: the keys the algorithm knows). On success fills *out (free
 * with algo_params_release).
 *
 * Keys match ignoring ASCII case and surrounding white space; an alias is
 * the same option, so a key given twice in any spelling is refused.
 * Values are trimmed of surrounding white space. INT: a decimal whole
 * number ("20", "-1"; not "1.5", "2e1"). DOUBLE: a finite decimal number
 * ("0.15", "1e-5"; not "nan", "inf", hex). ENUM, BOOL: any case.
 * Normalised values: INT "%lld", DOUBLE the shortest text that reads back
 * to the same double ("1e-05"), ENUM as in `choices`, BOOL "true"/"false". */
int algo_params_check(algo_params *out, const algo_spec *spec, const char *const *keys,
                      const char *const *values, size_t n, char msg[ALGO_MSG_MAX]);
void algo_params_release(algo_params *p);

/* The checked values as typed fields: the common options into *common and
 * the algorithm's own into *opts (a zeroed struct of spec->opts_size bytes,
 * laid out as the spec's offsets say). Strings point into p, which must
 * outlive both. 0, or negative with msg on a catalog error (a value that
 * doesn't read back as its type). */
int algo_params_fill(const algo_params *p, algo_common_opts *common, void *opts,
                     char msg[ALGO_MSG_MAX]);

/* Every option of spec, its own then the common ones: i < n_options +
 * algo_common_count(). For the catalog's self-checks. */
size_t algo_common_count(void);
const algo_option *algo_spec_option(const algo_spec *spec, size_t i);

/* Typed access to a checked value by canonical key (or alias), for tests
 * and messages; kernels get typed structs instead. An unknown key (a
 * programming error) gives NULL, 0 and NAN. */
const char *algo_params_str(const algo_params *p, const char *key);
int64_t algo_params_int(const algo_params *p, const char *key);
double algo_params_double(const algo_params *p, const char *key);

#endif
