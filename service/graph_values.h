/* graph_values.h: the graph store's values between protobuf and the
 * store's records (graphstore/records.h): vertex ids, property values, edge ids,
 * and finding an id in a sorted id map. Pure functions, no I/O.
 */
#ifndef SVC_GRAPH_VALUES_H
#define SVC_GRAPH_VALUES_H

#include <stddef.h>
#include <stdint.h>

#include "base/utf8.h"
#include "graph_build.h"
#include "graph_file.h"
#include "hgc/v1/common.pb-c.h"
#include "records.h"

/* The most items one message of a load may carry (vertices or edges):
 * keeps one message's records within a bounded amount of memory. */
#define SVC_BATCH_MAX 100000

/* UTF-8 checks: hgc_utf8_valid (base/utf8.h). */

/* The longest string id, in bytes of UTF-8 (docs/rest.md): writes are
 * refused beyond it, so every id stored can be read back through every
 * API, JSON-quoted in a REST path or query too (at most 6 * 512 + 2
 * bytes, which the bridge takes). The loaders hold the same limit
 * (ALGO_ID_MAX_BYTES). */
#define SVC_ID_MAX_BYTES ALGO_ID_MAX_BYTES

/* A VertexId of a record: a number, or a non-empty UTF-8 string of at
 * most SVC_ID_MAX_BYTES taken as is (a string that looks like a number
 * stays a string, as in JSON lines). Pointers into `id`. 0, or -1 with
 * msg. An absent id is -1 too: callers that allow one check first. */
int svc_vid_from_proto(algo_vid *out, const Hgc__V1__VertexId *id, char msg[256]);

/* A Value as a property value: number -> double, integer -> int, text ->
 * string, boolean -> bool. Strings point into `v`. A list, an unset value
 * or text that isn't UTF-8 is -1 with msg naming the key. */
int svc_value_to_prop(algo_prop_value *out, const Hgc__V1__Value *v, const char *key,
                      char msg[256]);

/* Property map entries of any of the generated *PropertiesEntry types
 * (all are {base, key, value}) as records' properties. `out` has room
 * for n. Keys must be non-empty UTF-8. 0, or -1 with msg. */
int svc_props_from_proto(algo_prop *out, const void *const *entries, size_t n, char msg[256]);

/* The id a reader gave (GetVertex, ListEdges) as the candidates to look
 * up, best first: a JSON-quoted string ("\"1:marko\"", as HugeGraph's
 * REST paths carry string ids) is that string, unquoted into `buf` (cap
 * over SVC_ID_MAX_BYTES); an id (unquoted) over the limit is -1; any
 * other string is itself, digits or not ({str: "7"} is never the number
 * 7), and a number is itself. Returns how many (1 today; room for 2), or
 * -1 with msg for an absent or empty id. Strings point into `id` or `buf`
 * (cap bytes). */
int svc_vid_candidates(algo_vid out[2], const Hgc__V1__VertexId *id, char *buf, size_t cap,
                       char msg[256]);

/* An id as text: the number in decimal or the string. Returns the length
 * it needs (snprintf's rule). */
int svc_vid_format(char *out, size_t cap, const algo_vid *v);

/* An edge's id as answers show it: "<outV>><label>><inV>". */
int svc_edge_id_format(char *out, size_t cap, const algo_vid *src, const char *label,
                       const algo_vid *dst);

#endif
