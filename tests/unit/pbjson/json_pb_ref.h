/* json_pb_ref.h: the test oracle for the converter's printer: the
 * jansson-tree printer pbjson/json_pb_print.c had before it wrote
 * text directly (commit 791d3cf and later), kept here unchanged but for
 * its names. The text printer must give byte for byte what
 * json_dumps(ref_pb_to_json(m), JSON_COMPACT) gives. It shares the
 * converter's descriptor questions (rest_jp_shape, rest_jp_map_entry),
 * UTF-8 fixing and base64, which have tests of their own; what it does
 * not share is the printing: jansson builds and dumps here.
 * Header-only (static functions) so that every test file can use it.
 */
#ifndef TEST_JSON_PB_REF_H
#define TEST_JSON_PB_REF_H

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "json_pb.h"
#include "json_pb_internal.h"

static json_t *ref_message_json(const ProtobufCMessage *m, int nested);

static json_t *ref_string_json(const char *s)
{
    if (!s)
        return json_string("");
    size_t n = strlen(s);
    if (hgc_utf8_valid(s, n))
        return json_stringn_nocheck(s, n);
    /* protobuf-c never checks UTF-8 on unpack; a bad byte must not turn
     * a whole answer into an out-of-memory failure. */
    size_t len;
    char *fixed = rest_jp_utf8_fix(s, n, &len);
    if (!fixed)
        return NULL;
    json_t *j = json_stringn_nocheck(fixed, len);
    free(fixed);
    return j;
}

static json_t *ref_bytes_json(const ProtobufCBinaryData *b)
{
    size_t len;
    char *text = rest_jp_base64_encode(b->data, b->len, &len);
    if (!text)
        return NULL;
    json_t *j = json_stringn_nocheck(text, len);
    free(text);
    return j;
}

/* A float printed through its shortest float text, so 0.1f shows as 0.1
 * and not as the double 0.10000000149011612. */
static json_t *ref_float_json(float f)
{
    char buf[32];
    if (!isfinite(f))
        return json_null();
    for (int prec = 6; prec <= 9; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, (double)f);
        if (strtof(buf, NULL) == f)
            break;
    }
    return json_real(strtod(buf, NULL));
}

/* One value of field f (one element if repeated) stored at p. */
static json_t *ref_value_json(const ProtobufCFieldDescriptor *f, const void *p)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32: return json_integer(*(const int32_t *)p);
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32: return json_integer(*(const uint32_t *)p);
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64: return json_integer(*(const int64_t *)p);
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64: {
        uint64_t v = *(const uint64_t *)p;
        char buf[24];
        if (v <= INT64_MAX)
            return json_integer((json_int_t)v);
        /* jansson's integers are signed 64-bit: above that, the exact
         * decimal text (which the parser takes back) beats a rounded real. */
        snprintf(buf, sizeof buf, "%" PRIu64, v);
        return json_string(buf);
    }
    case PROTOBUF_C_TYPE_FLOAT: return ref_float_json(*(const float *)p);
    case PROTOBUF_C_TYPE_DOUBLE: {
        double d = *(const double *)p;
        return isfinite(d) ? json_real(d) : json_null();
    }
    case PROTOBUF_C_TYPE_BOOL: return json_boolean(*(const protobuf_c_boolean *)p);
    case PROTOBUF_C_TYPE_ENUM: {
        int v = *(const int *)p;
        /* proto3's JSON mapping: google.protobuf.NullValue is null (so a
         * google.protobuf.Value can say "null"). */
        if (strcmp(((const ProtobufCEnumDescriptor *)f->descriptor)->name,
                   "google.protobuf.NullValue") == 0)
            return json_null();
        const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(f->descriptor, v);
        return ev ? json_string(ev->name) : json_integer(v);
    }
    case PROTOBUF_C_TYPE_STRING: return ref_string_json(*(char *const *)p);
    case PROTOBUF_C_TYPE_BYTES: return ref_bytes_json((const ProtobufCBinaryData *)p);
    case PROTOBUF_C_TYPE_MESSAGE: return ref_message_json(*(ProtobufCMessage *const *)p, 1);
    }
    return json_null();
}

/* A map key as JSON object key text. */
static const char *ref_key_text(const ProtobufCFieldDescriptor *kf, const void *p, char buf[24])
{
    switch (kf->type) {
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(char *const *)p;
        return s ? s : "";
    }
    case PROTOBUF_C_TYPE_BOOL: return *(const protobuf_c_boolean *)p ? "true" : "false";
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32: snprintf(buf, 24, "%" PRIu32, *(const uint32_t *)p); return buf;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64: snprintf(buf, 24, "%" PRIu64, *(const uint64_t *)p); return buf;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64: snprintf(buf, 24, "%" PRId64, *(const int64_t *)p); return buf;
    default: snprintf(buf, 24, "%" PRId32, *(const int32_t *)p); return buf;
    }
}

static json_t *ref_map_json(const ProtobufCMessageDescriptor *e, ProtobufCMessage *const *entries,
                            size_t n)
{
    json_t *obj = json_object();
    if (!obj)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const ProtobufCMessage *en = entries[i];
        char buf[24];
        if (!en)
            continue;
        const char *k = ref_key_text(&e->fields[0], rest_jp_member(en, &e->fields[0]), buf);
        json_t *v = ref_value_json(&e->fields[1], rest_jp_member(en, &e->fields[1]));
        int rc;
        size_t kl = strlen(k);
        if (hgc_utf8_valid(k, kl)) {
            rc = json_object_setn_new_nocheck(obj, k, kl, v);
        } else {
            size_t fl;
            char *fixed = rest_jp_utf8_fix(k, kl, &fl);
            rc = fixed ? json_object_setn_new_nocheck(obj, fixed, fl, v) : (json_decref(v), -1);
            free(fixed);
        }
        if (rc) {
            json_decref(obj);
            return NULL;
        }
    }
    return obj;
}

/* Whole field f of m: an array, an object for a map, or one value. */
static json_t *ref_field_json(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    const void *p = rest_jp_member(m, f);
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
        size_t n = *(const size_t *)rest_jp_quant(m, f);
        const char *arr = *(char *const *)p;
        const ProtobufCMessageDescriptor *e = rest_jp_map_entry(m->descriptor, f);
        if (e)
            return ref_map_json(e, (ProtobufCMessage *const *)arr, n);
        json_t *a = json_array();
        size_t es = rest_jp_elem_size(f->type);
        if (!a)
            return NULL;
        for (size_t i = 0; i < n; i++) {
            if (json_array_append_new(a, ref_value_json(f, arr + i * es))) {
                json_decref(a);
                return NULL;
            }
        }
        return a;
    }
    if (f->label == PROTOBUF_C_LABEL_OPTIONAL && !(f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)) {
        /* proto2: presence as protobuf-c packs it; an absent field prints
         * null, which the parser reads back as absent. */
        int present;
        if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE) {
            const void *ptr = *(const void *const *)p;
            present = ptr && ptr != f->default_value;
        } else {
            present = *(const protobuf_c_boolean *)rest_jp_quant(m, f);
        }
        if (!present)
            return json_null();
    }
    return ref_value_json(f, p);
}

static json_t *ref_message_json(const ProtobufCMessage *m, int nested)
{
    if (!m)
        return json_null();
    const ProtobufCMessageDescriptor *d = m->descriptor;
    if (nested) {
        int shape = rest_jp_shape(d);
        if (shape == REST_JP_SINGLE)
            return ref_field_json(m, &d->fields[0]);
        if (shape == REST_JP_UNION) {
            uint32_t which = *(const uint32_t *)rest_jp_quant(m, &d->fields[0]);
            const ProtobufCFieldDescriptor *f =
                which ? protobuf_c_message_descriptor_get_field(d, which) : NULL;
            return f ? ref_value_json(f, rest_jp_member(m, f)) : json_null();
        }
    }
    json_t *obj = json_object();
    if (!obj)
        return NULL;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
            *(const uint32_t *)rest_jp_quant(m, f) != f->id)
            continue;
        if (json_object_set_new_nocheck(obj, f->name, ref_field_json(m, f))) {
            json_decref(obj);
            return NULL;
        }
    }
    return obj;
}

static json_t *ref_pb_to_json(const ProtobufCMessage *m)
{
    return ref_message_json(m, 0);
}

/* jansson's text with each real (a number with '.' or an exponent) in 15
 * significant digits where they read back as the same double (strtod),
 * else in 17 as jansson prints it; a subnormal in its fewest digits, by
 * trying each count from 1 up; in jansson's shape (".0" on a whole number,
 * no '+' or leading zeros in the exponent). A whole real below 1e17 keeps
 * all its digits ("20.0", not "2e1"). malloc'd. */
static char *ref_short_reals(const char *text)
{
    size_t n = strlen(text), o = 0;
    char *out = malloc(2 * n + 1);
    int in_string = 0;
    cr_assert_not_null(out);
    for (size_t i = 0; i < n;) {
        char c = text[i];
        if (in_string || c == '"') {
            if (in_string && c == '\\') {
                out[o++] = text[i++];
            } else if (c == '"') {
                in_string = !in_string;
            }
            out[o++] = text[i++];
            continue;
        }
        if (c != '-' && (c < '0' || c > '9')) {
            out[o++] = text[i++];
            continue;
        }
        size_t end = i + strspn(text + i, "-+0123456789.eE");
        double d = strtod(text + i, NULL);
        if ((!memchr(text + i, '.', end - i) && !memchr(text + i, 'e', end - i)) ||
            (fabs(d) < 1e17 && d == floor(d))) {
            /* an integer, or a whole real printed in all its digits */
            memcpy(out + o, text + i, end - i);
            o += end - i;
            i = end;
            continue;
        }
        char buf[40];
        int subnormal = fabs(d) < DBL_MIN;
        for (int prec = subnormal ? 1 : 15; prec <= 17; prec += subnormal ? 1 : 2) {
            snprintf(buf, sizeof buf, "%.*g", prec, d);
            if (strtod(buf, NULL) == d)
                break;
        }
        char *e = strchr(buf, 'e');
        if (!e && !strchr(buf, '.'))
            strcat(buf, ".0");
        for (const char *p = buf; *p; p++) {
            out[o++] = *p;
            if (p == e) {
                if (p[1] == '+')
                    p++;
                else if (p[1] == '-')
                    out[o++] = *++p;
                while (p[1] == '0' && p[2])
                    p++;
            }
        }
        i = end;
    }
    out[o] = 0;
    return out;
}

/* The text printer against the oracle, on m: the text is byte for byte
 * the oracle's tree dumped compactly (its reals in 15 digits where they
 * read back: ref_short_reals), reads back (json_loadb) equal to that tree, and
 * rest_pb_to_json gives an equal tree. */
__attribute__((unused)) static void expect_same_text(const ProtobufCMessage *m)
{
    json_t *ref = ref_pb_to_json(m);
    cr_assert_not_null(ref, "the oracle cannot print this %s", m->descriptor->name);
    char *dumped = json_dumps(ref, JSON_COMPACT | JSON_ENCODE_ANY);
    cr_assert_not_null(dumped);
    char *want = ref_short_reals(dumped);
    free(dumped);
    rest_buf b;
    rest_buf_init(&b, SIZE_MAX);
    cr_assert_eq(rest_pb_to_json_text(&b, m), 0);
    cr_assert_eq(strlen(b.data), b.len, "a NUL inside the text of %s", m->descriptor->name);
    cr_assert_str_eq(b.data, want, "%s:\n got %.400s\nwant %.400s", m->descriptor->name, b.data,
                     want);
    json_error_t e;
    json_t *back = json_loadb(b.data, b.len, JSON_DECODE_ANY, &e);
    cr_assert_not_null(back, "the text does not parse: %s", e.text);
    cr_assert(json_equal(back, ref), "read back, the text is another value: %s", b.data);
    json_t *tree = rest_pb_to_json(m);
    cr_assert(json_equal(tree, ref), "rest_pb_to_json differs from the oracle: %s", want);
    json_decref(tree);
    json_decref(back);
    json_decref(ref);
    free(want);
    rest_buf_release(&b);
}

#endif
