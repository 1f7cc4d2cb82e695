/* routes_internal.h: the route table's representation, shared by the
 * builder (routes.c) and the matcher (route_match.c). Not for callers. */
#ifndef REST_ROUTES_INTERNAL_H
#define REST_ROUTES_INTERNAL_H

#include <stddef.h>

#include "routes.h"

#define MAX_SEGS      16 /* template segments; ours have at most 6 */
#define MAX_PATH_SEGS 32 /* request path segments; more never match */
#define VAR_CAP       sizeof(((rest_path_vars *)0)->items[0].value)

typedef struct seg {
    const char *text; /* literal, or the variable's field name (NUL-terminated) */
    size_t len;
    int var;
} seg;

typedef struct entry {
    rest_route route; /* the public view; points at the strings below */
    char *http_method, *pattern, *body, *response_body, *full_method, *name, *description;
    char *segbuf; /* the segments' texts, each NUL-terminated */
    size_t n_segs;
    seg segs[MAX_SEGS];
} entry;

typedef struct collect {
    char *message; /* full name: "hgc.v1.CreateJobRequest" */
    char *field;
} collect;

struct rest_routes {
    entry *e;
    size_t n, cap;
    collect *c;
    size_t n_c, cap_c;
};

#endif
