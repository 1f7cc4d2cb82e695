/* json_kind.h: what a JSON value is, as an error message names it ("the
 * body must be a JSON object, not an array"). Header-only, so that base
 * itself needs no jansson: only the folders that parse JSON include it. */
#ifndef HGC_JSON_KIND_H
#define HGC_JSON_KIND_H

#include <jansson.h>

/* "an object", "an array", "a string", "a number", "a boolean" or "null". */
static inline const char *hgc_json_kind(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

#endif
