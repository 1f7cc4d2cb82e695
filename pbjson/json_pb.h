/* json_pb.h: one generic JSON <-> protobuf-c converter, driven by the
 * message descriptors protoc-c emits (no per-message code), with the
 * REST contract's choices (docs/contract.md):
 *
 * Printing (message -> JSON):
 *   - keys are the proto field names (task_id, worker_instances);
 *   - every field is printed, zero values too; an unset message field is
 *     null; of a oneof, only the member that is set;
 *   - 64-bit integers are JSON numbers; doubles that are NaN or infinite
 *     are null; bytes are base64; enums by value name, except
 *     google.protobuf.NullValue, which is null;
 *   - repeated fields are arrays; map fields (repeated XxxEntry{key,value})
 *     are objects;
 *   - a NESTED message that has exactly one field, or whose fields all
 *     belong to one oneof (VertexId, Value, ValueList, the google.protobuf
 *     wrappers), is printed as that field's value: {"id": 7}, not
 *     {"id": {"num": 7}}. The top-level message is always an object.
 *
 * Parsing (JSON -> message), the inverse, leniently where callers are:
 *   - the top level must be a JSON object;
 *   - numbers are accepted as strings ("worker_instances": "2"), and must
 *     fit the field's type (whole, in range, and exact: a real or number
 *     text with '.' or 'e' is taken for an integer only below 2^53);
 *     booleans also as "true"/"false"; a string field takes only a string
 *     ("label": 5 is refused, not stored as "5");
 *   - a repeated field takes a single value as a one-element list;
 *   - a map<string,string>'s values (options) take numbers and booleans
 *     as their text;
 *   - a nested one-field or union message takes the bare value (for a
 *     union, the first member whose type fits: a number -> num, a string
 *     -> str);
 *   - null leaves the field unset;
 *   - a key that names no field goes to the message's collector field (a
 *     map<string,string> marked json_collect_unknown in the .proto; the
 *     caller says which, see rest_json_rules) or is refused, naming the
 *     fields the message has;
 *   - every refusal says which field (a dotted path: "params.alpha") and
 *     what it takes, in a sentence for a person.
 *
 * Memory: messages made here are freed with
 * protobuf_c_message_free_unpacked(msg, NULL) like unpacked ones.
 */
/* Details the rules above leave open (json_pb.c, json_pb_print.c):
 *   - a uint64/fixed64 above 9223372036854775807 prints as its decimal
 *     text ("18446744073709551615"): jansson's integers are signed 64-bit
 *     and a real would round; the parser takes the text back;
 *   - a proto2 optional field that is not set prints null (so it reads
 *     back as not set); floats print by their shortest float text (0.1);
 *     invalid UTF-8 in a string prints as U+FFFD;
 *   - a one-field or union message also takes its object form
 *     ({"id": {"num": 7}}) when every key names one of its fields; a
 *     union picks the member of the value's own JSON kind first (7 ->
 *     int64 member, 7.0 -> double member, "7" -> string member), then
 *     the first member that takes the value leniently;
 *   - map keys go through the key type's checks ("counts.x" for a
 *     map<int64, ...> is refused); a null value in a map of scalars is
 *     skipped, in a map of messages (properties) refused; a key
 *     seen twice (unknown keys and "params" naming the same option, or a
 *     second merge) keeps the last value, as protobuf does;
 *   - a null inside a list is refused; strings with \u0000 are refused;
 *     bytes also take the URL-safe alphabet and missing padding;
 *     enums take names in any case and numbers the enum defines;
 *   - merging into a set message field or oneof member merges into it;
 *     setting another member of a oneof frees the one that was set;
 *   - nesting deeper than 64 messages is refused.
 * rest_pb_set_text: bytes take base64 text; for a union message field
 * (a VertexId path variable) the text is tried as a number before a
 * string ("7" -> num, "marko" -> str); a map field is refused (-1). */

#ifndef REST_JSON_PB_H
#define REST_JSON_PB_H

#include <stddef.h>
#include <jansson.h>
#include <protobuf-c/protobuf-c.h>
#include "base/limits.h"

#define REST_MSG_MAX HGC_MSG_MAX

typedef struct rest_json_rules {
    /* The name of the map<string,string> field of `d` that collects
     * unknown keys, or NULL (refuse them). NULL function: none anywhere. */
    const char *(*collector)(const ProtobufCMessageDescriptor *d, void *ud);
    void *ud;
} rest_json_rules;

/* A new message of type d, every field at its default. NULL on OOM. */
ProtobufCMessage *rest_pb_new(const ProtobufCMessageDescriptor *d);

/* Merges the JSON object `obj` into `m` (fields present in obj are set,
 * repeated ones appended). 0, or -1 with err. On error `m` may be
 * partly filled: free it, don't use it. */
int rest_json_to_pb(ProtobufCMessage *m, const json_t *obj, const rest_json_rules *rules,
                    char err[REST_MSG_MAX]);

/* Sets one field by name from text, as a path variable or query
 * parameter gives it ("7" for an int64, "RUNNING" for a string, "true").
 * A repeated field gets the value appended. 0; -1 with err (a bad value);
 * -2 if the message has no such field. */
int rest_pb_set_text(ProtobufCMessage *m, const char *field, const char *text,
                     char err[REST_MSG_MAX]);

/* A growable text buffer with a ceiling: what the printer writes into.
 * Embed it, rest_buf_init it, rest_buf_release it (or detach the text).
 * data is malloc'd (NULL until the first write) and NUL-terminated after
 * a successful print; len excludes the NUL. A failed write is sticky:
 * err says why and later writes do nothing until rest_buf_reset. */
typedef struct rest_buf {
    char *data;
    size_t len, cap;
    size_t max; /* ceiling on len */
    int err;    /* 0, REST_TEXT_OOM or REST_TEXT_FULL */
} rest_buf;

#define REST_TEXT_OOM  (-1) /* out of memory */
#define REST_TEXT_FULL (-2) /* the text would pass the buffer's ceiling */

void rest_buf_init(rest_buf *b, size_t max);
/* Frees the text; the buffer is as after init (same ceiling). */
void rest_buf_release(rest_buf *b);
/* Empties the buffer and clears err, keeping its memory for reuse. */
void rest_buf_reset(rest_buf *b);
/* Room for n more bytes without another allocation: a size hint. 0, or
 * the buffer's err. */
int rest_buf_reserve(rest_buf *b, size_t n);
/* Appends n bytes. 0, or the buffer's err. */
int rest_buf_append(rest_buf *b, const void *data, size_t n);
/* The text (malloc'd, NUL-terminated; free() it), *len its length; the
 * buffer is left empty. NULL on OOM or if err is set. */
char *rest_buf_detach(rest_buf *b, size_t *len);

/* Appends the message as compact JSON text, by the printing rules: the
 * same text json_dumps(rest_pb_to_json(m), JSON_COMPACT) gives (keys in
 * field order, "20.0", "1e21"), except that a real that reads back from
 * 15 significant digits prints in them ("0.1", where jansson prints 17
 * digits), without building a tree. No allocation but the buffer's growth (and a
 * map with more than a few entries: one index array). 0; REST_TEXT_OOM
 * or REST_TEXT_FULL (out holds a partial text: reset or release it). */
int rest_pb_to_json_text(rest_buf *out, const ProtobufCMessage *m);

/* Appends the JSON of one field of m, as its value reads inside m's
 * object (a list, a map's object, a bare value, null). 0, an error as
 * above, or REST_TEXT_NO_FIELD (m has no such field, or it is a oneof
 * member that is not set: nothing is written). */
#define REST_TEXT_NO_FIELD (-3)
int rest_pb_field_to_json_text(rest_buf *out, const ProtobufCMessage *m, const char *field);

/* The message as JSON (new reference), by the printing rules: the text
 * of rest_pb_to_json_text read back, so the two cannot differ. NULL only
 * on OOM (or nesting deeper than jansson reads, 2048). */
json_t *rest_pb_to_json(const ProtobufCMessage *m);

#endif
