/* catalog.h: the algorithms hgc runs, as data: names and aliases, the
 * HugeGraph-Computer params classes, the options each takes with their
 * types, defaults and ranges (docs/algorithms.md).
 *
 * hgc-server links only this (never the kernels) to refuse a bad request
 * before a task exists; hgc-worker uses it to read its options.
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
} algo_option;

/* INT: 0 is refused even when inside [min, max] (-1 means "all"). */
#define ALGO_OPT_F_NOT_ZERO 1u
/* STRING: a name: 1..100 bytes of [A-Za-z0-9_.-]. */
#define ALGO_OPT_F_NAME 2u

typedef struct algo_spec {
    const char *name;           /* canonical: "page-rank" */
    const char *const *classes; /* params class suffixes after the package
                                   root, NULL-terminated */
    const char *output;         /* "double", "vertex id", ... */
    const algo_option *options; /* the algorithm's own; the common ones
                                   (bsp.*, input.*, output.*) are added */
    size_t n_options;
} algo_spec;

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

/* Typed access to a checked value by canonical key (or alias). An unknown
 * key (a programming error) gives NULL, 0 and NAN. */
const char *algo_params_str(const algo_params *p, const char *key);
int64_t algo_params_int(const algo_params *p, const char *key);
double algo_params_double(const algo_params *p, const char *key);

#endif
