/* json_pb_internal.h: what the converter's files (json_pb.c parses,
 * json_pb_print.c prints, json_pb_text.c holds the text codecs and the
 * text buffer's writers) share.
 * Not for callers: json_pb.h is the interface.
 */
#ifndef REST_JSON_PB_INTERNAL_H
#define REST_JSON_PB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <protobuf-c/protobuf-c.h>

#include "base/utf8.h"

/* How a nested message prints and parses (see json_pb.h). */
enum { REST_JP_OBJECT = 0, REST_JP_SINGLE = 1, REST_JP_UNION = 2 };
int rest_jp_shape(const ProtobufCMessageDescriptor *d);

/* The XxxEntry descriptor if field f of message `owner` is a map, else
 * NULL. protobuf-c has no map-entry flag: a map is a repeated message
 * field whose type is nested in `owner`, is named after the field in
 * CamelCase + "Entry" (as protoc names it) and has exactly key = 1 (an
 * integer, bool or string) and value = 2. */
const ProtobufCMessageDescriptor *rest_jp_map_entry(const ProtobufCMessageDescriptor *owner,
                                                    const ProtobufCFieldDescriptor *f);

/* Bytes one element of field type t takes in a message or array. */
size_t rest_jp_elem_size(ProtobufCType t);

/* The oneof case word of a oneof member, the has_ flag or the n_ count. */
static inline void *rest_jp_quant(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    return (char *)m + f->quantifier_offset;
}
static inline void *rest_jp_member(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    return (char *)m + f->offset;
}

/* UTF-8 checks: hgc_utf8_valid, hgc_utf8_seq (base/utf8.h). */
/* Cuts a trailing incomplete UTF-8 sequence (left by a truncating
 * snprintf) so the text can go into a JSON error body. */
void rest_jp_utf8_trim(char *s);
/* A valid UTF-8 copy of s[0..n), each bad byte as U+FFFD. malloc'd. */
char *rest_jp_utf8_fix(const char *s, size_t n, size_t *out_len);

/* The shortest "%.Ng" text that reads back as d (0.15 -> "0.15",
 * 20.0 -> "20"). buf has 32 bytes. */
const char *rest_jp_real_text(double d, char buf[32]);

/* Base64, standard alphabet with padding. Encode: malloc'd, NUL
 * terminated, *out_len without the NUL. Decode accepts the URL-safe
 * alphabet and missing padding too; -1 on anything else. */
char *rest_jp_base64_encode(const uint8_t *data, size_t len, size_t *out_len);
int rest_jp_base64_decode(const char *s, size_t n, uint8_t **out, size_t *out_len);

/* ---- printing text (json_pb_text.c writes, json_pb_print.c walks) ---- */

#include <jansson.h>
#include "json_pb.h"

/* Grows b so that n more bytes and a NUL fit; the write position, or
 * NULL with b->err set. */
char *rest_jp_grow(rest_buf *b, size_t n);
static inline char *rest_jp_room(rest_buf *b, size_t n)
{
    if (b->cap - b->len > n)
        return b->data + b->len;
    return rest_jp_grow(b, n);
}
static inline void rest_jp_put(rest_buf *b, const char *s, size_t n)
{
    char *w = rest_jp_room(b, n);
    if (w) {
        memcpy(w, s, n);
        b->len += n;
    }
}
static inline void rest_jp_putc(rest_buf *b, char c)
{
    char *w = rest_jp_room(b, 1);
    if (w) {
        *w = c;
        b->len++;
    }
}
/* Decimal integers, by hand. */
void rest_jp_put_i64(rest_buf *b, int64_t v);
void rest_jp_put_u64(rest_buf *b, uint64_t v);
/* A finite double in 15 significant digits where they read back as the
 * same double, else in 17 (a subnormal in its fewest), in jansson's shape
 * otherwise: ".0" added to a whole number, the exponent's '+' and leading
 * zeros dropped (20.0 -> "20.0", 0.1 -> "0.1", 1/3 ->
 * "0.33333333333333331", 1e21 -> "1e21"). jansson's json_dumps prints
 * every real in 17 ("0.10000000000000001"). */
void rest_jp_put_real(rest_buf *b, double d);
/* s[0..n) as a JSON string as jansson prints it: '"' and '\\' escaped,
 * \b \f \n \r \t, other control characters as \u00XX (upper-case
 * hex), the rest of UTF-8 as is; each byte of invalid UTF-8 as U+FFFD
 * (as rest_jp_utf8_fix). */
void rest_jp_put_string(rest_buf *b, const char *s, size_t n);
/* Base64 of data[0..n) in quotes. */
void rest_jp_put_base64(rest_buf *b, const uint8_t *data, size_t n);

/* ---- parsing (json_pb.c, json_pb_scalar.c) ---- */

/* 2^53: from here on a double no longer holds every whole number, so a
 * real (1e16, 9007199254740993.0) may have been rounded on the way in. */
#define REST_JP_EXACT_MAX 9007199254740992.0

/* One parse: where its message goes and where in the body it is. */
typedef struct rest_jp_ctx {
    const rest_json_rules *rules;
    char *err;
    int quiet;     /* trying a union member: no message */
    int from_text; /* a path variable or query parameter */
    int text_any;  /* a map<string,string> value: numbers and booleans as text */
    int depth;
    size_t plen;
    char path[REST_MSG_MAX];                        /* "edges[3].src" */
    const ProtobufCMessageDescriptor *collector_of; /* cache of rules->collector */
    const ProtobufCFieldDescriptor *collector;
} rest_jp_ctx;

/* One parsed scalar, before it is stored in its slot. */
typedef union rest_jp_scalar {
    int32_t i32;
    uint32_t u32;
    int64_t i64;
    uint64_t u64;
    float f;
    double d;
    protobuf_c_boolean b;
    int e;
    char *s;
    ProtobufCBinaryData bytes;
} rest_jp_scalar;

/* Sets c->err (unless c->quiet) and returns -1. */
__attribute__((format(printf, 2, 3))) int rest_jp_fail(rest_jp_ctx *c, const char *fmt, ...);
/* "an array", "\"abc\"", "7" for "..., got %s". */
const char *rest_jp_got_text(const json_t *v, char buf[96]);
/* "field '<path>' must be <what>, got <v>"; -1. */
int rest_jp_must(rest_jp_ctx *c, const char *what, const json_t *v);
int rest_jp_must_field(rest_jp_ctx *c, const ProtobufCFieldDescriptor *f, const json_t *v);
int rest_jp_oom(rest_jp_ctx *c);
/* What field f takes, in words ("a whole number from 0 to 4294967295"). */
void rest_jp_describe(const ProtobufCFieldDescriptor *f, char *buf, size_t n, int depth);

/* v as (one element of) scalar field f; on success *out owns its string
 * or bytes. put writes it into a slot of f's element size. */
int rest_jp_scalar_parse(rest_jp_ctx *c, const ProtobufCFieldDescriptor *f, const json_t *v,
                         rest_jp_scalar *out);
void rest_jp_scalar_release(const ProtobufCFieldDescriptor *f, rest_jp_scalar *s);
void rest_jp_scalar_put(const ProtobufCFieldDescriptor *f, void *slot, const rest_jp_scalar *s);

#endif
