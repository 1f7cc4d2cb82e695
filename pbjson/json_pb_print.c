/* json_pb_print.c: message -> JSON by the printing rules of json_pb.h,
 * driven by the protoc-c descriptors. Every field is printed (zeros too)
 * because REST callers index the task's nine fields blindly; a nested
 * one-field or union message prints as its value ({"id": 7}) because
 * that is how HugeGraph's result rows look.
 *
 * The one printer writes text straight into a rest_buf (the bridge's
 * answers); rest_pb_to_json reads that text back into a jansson tree (the
 * CLI), so there is one set of rules. The text is byte for byte what
 * json_dumps(tree, JSON_COMPACT) gave for the tree this file used to
 * build, down to jansson's quirks (".0" on whole reals, a map key seen
 * twice printed once, where it first appeared, with the last value, as
 * json_object_set replaces in place), except that a real that reads back
 * from 15 significant digits prints in them: 0.1, not jansson's
 * 0.10000000000000001.
 * Cost: one pass over the message, O(size of the output); a map with
 * more than MAP_SCAN entries adds one sort of its keys.
 */
#include "json_pb.h"
#include "json_pb_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Up to this many map entries, duplicate keys are found by comparing
 * each key with the others (no allocation); above it, by one sort. */
#define MAP_SCAN 16
#define SKIP     SIZE_MAX

static void message_text(rest_buf *b, const ProtobufCMessage *m, int nested);

static void string_text(rest_buf *b, const char *s)
{
    /* protobuf-c never checks UTF-8 on unpack: a bad byte becomes U+FFFD
     * rather than turning the whole answer into a failure. */
    if (!s)
        rest_jp_put(b, "\"\"", 2);
    else
        rest_jp_put_string(b, s, strlen(s));
}

/* A float printed through its shortest float text, so 0.1f shows as the
 * double 0.1 and not as 0.10000000149011612. */
static void float_text(rest_buf *b, float f)
{
    char buf[32];
    if (!isfinite(f)) {
        rest_jp_put(b, "null", 4);
        return;
    }
    for (int prec = 6; prec <= 9; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, (double)f);
        if (strtof(buf, NULL) == f)
            break;
    }
    rest_jp_put_real(b, strtod(buf, NULL));
}

static void enum_text(rest_buf *b, const ProtobufCFieldDescriptor *f, int v)
{
    const ProtobufCEnumDescriptor *ed = f->descriptor;
    /* proto3's JSON mapping: google.protobuf.NullValue is null (so a
     * google.protobuf.Value can say "null"). */
    if (strcmp(ed->name, "google.protobuf.NullValue") == 0) {
        rest_jp_put(b, "null", 4);
        return;
    }
    const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(ed, v);
    if (ev)
        string_text(b, ev->name);
    else
        rest_jp_put_i64(b, v);
}

/* One value of field f (one element if repeated) stored at p. */
static void value_text(rest_buf *b, const ProtobufCFieldDescriptor *f, const void *p)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32: rest_jp_put_i64(b, *(const int32_t *)p); return;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32: rest_jp_put_u64(b, *(const uint32_t *)p); return;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64: rest_jp_put_i64(b, *(const int64_t *)p); return;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64: {
        uint64_t v = *(const uint64_t *)p;
        /* Above INT64_MAX, the exact decimal text (which the parser takes
         * back) as a string: readers with signed 64-bit integers (jansson)
         * would otherwise refuse or round it. */
        if (v > INT64_MAX)
            rest_jp_putc(b, '"');
        rest_jp_put_u64(b, v);
        if (v > INT64_MAX)
            rest_jp_putc(b, '"');
        return;
    }
    case PROTOBUF_C_TYPE_FLOAT: float_text(b, *(const float *)p); return;
    case PROTOBUF_C_TYPE_DOUBLE: {
        double d = *(const double *)p;
        if (isfinite(d))
            rest_jp_put_real(b, d);
        else
            rest_jp_put(b, "null", 4);
        return;
    }
    case PROTOBUF_C_TYPE_BOOL:
        if (*(const protobuf_c_boolean *)p)
            rest_jp_put(b, "true", 4);
        else
            rest_jp_put(b, "false", 5);
        return;
    case PROTOBUF_C_TYPE_ENUM: enum_text(b, f, *(const int *)p); return;
    case PROTOBUF_C_TYPE_STRING: string_text(b, *(char *const *)p); return;
    case PROTOBUF_C_TYPE_BYTES: {
        const ProtobufCBinaryData *bd = p;
        rest_jp_put_base64(b, bd->data, bd->len);
        return;
    }
    case PROTOBUF_C_TYPE_MESSAGE: message_text(b, *(ProtobufCMessage *const *)p, 1); return;
    }
    rest_jp_put(b, "null", 4);
}

/* ---- maps ---- */

/* A map key as object key text (the integer kinds: at most 20 digits and
 * a sign). */
static const char *key_text(const ProtobufCFieldDescriptor *kf, const void *p, char buf[24],
                            size_t *len)
{
    switch (kf->type) {
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(char *const *)p;
        s = s ? s : "";
        *len = strlen(s);
        return s;
    }
    case PROTOBUF_C_TYPE_BOOL:
        *len = *(const protobuf_c_boolean *)p ? 4 : 5;
        return *len == 4 ? "true" : "false";
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        *len = (size_t)snprintf(buf, 24, "%" PRIu32, *(const uint32_t *)p);
        return buf;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        *len = (size_t)snprintf(buf, 24, "%" PRIu64, *(const uint64_t *)p);
        return buf;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        *len = (size_t)snprintf(buf, 24, "%" PRId64, *(const int64_t *)p);
        return buf;
    default: *len = (size_t)snprintf(buf, 24, "%" PRId32, *(const int32_t *)p); return buf;
    }
}

/* A string key as it prints: itself, or its U+FFFD-fixed copy (*owned,
 * malloc'd) if it is not UTF-8. NULL on OOM. */
static const char *printed_key(const char *s, size_t n, size_t *len, char **owned)
{
    *owned = NULL;
    *len = n;
    if (hgc_utf8_valid(s, n))
        return s;
    return *owned = rest_jp_utf8_fix(s, n, len);
}

#define CMP(x, y) (((x) > (y)) - ((x) < (y)))

/* Orders keys by the text they print as (for integer keys, by value:
 * the same equality); 0: one key of the object. */
static int key_cmp(const ProtobufCFieldDescriptor *kf, const ProtobufCMessage *x,
                   const ProtobufCMessage *y)
{
    const void *px = rest_jp_member(x, kf), *py = rest_jp_member(y, kf);
    switch (kf->type) {
    case PROTOBUF_C_TYPE_STRING: {
        const char *sx = *(char *const *)px, *sy = *(char *const *)py;
        sx = sx ? sx : "";
        sy = sy ? sy : "";
        char *ox, *oy;
        size_t lx, ly;
        const char *fx = printed_key(sx, strlen(sx), &lx, &ox);
        const char *fy = printed_key(sy, strlen(sy), &ly, &oy);
        int c;
        if (fx && fy) {
            c = memcmp(fx, fy, lx < ly ? lx : ly);
            c = c ? c : CMP(lx, ly);
        } else {
            c = strcmp(sx, sy); /* out of memory: the raw bytes */
        }
        free(ox);
        free(oy);
        return c;
    }
    case PROTOBUF_C_TYPE_BOOL:
        return CMP(*(const protobuf_c_boolean *)px != 0, *(const protobuf_c_boolean *)py != 0);
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64: return CMP(*(const uint64_t *)px, *(const uint64_t *)py);
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32: return CMP(*(const uint32_t *)px, *(const uint32_t *)py);
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64: return CMP(*(const int64_t *)px, *(const int64_t *)py);
    default: return CMP(*(const int32_t *)px, *(const int32_t *)py);
    }
}

typedef struct key_ref {
    const ProtobufCFieldDescriptor *kf;
    const ProtobufCMessage *en;
    size_t i;
} key_ref;

static int key_ref_cmp(const void *a, const void *b)
{
    const key_ref *x = a, *y = b;
    int c = key_cmp(x->kf, x->en, y->en);
    return c ? c : CMP(x->i, y->i);
}

/* use[i]: the entry whose value prints at entry i's place, or SKIP (a
 * NULL entry, or a key printed at an earlier place). -1 on OOM. */
static int map_plan(const ProtobufCMessageDescriptor *e, ProtobufCMessage *const *entries, size_t n,
                    size_t *use)
{
    const ProtobufCFieldDescriptor *kf = &e->fields[0];
    if (n <= MAP_SCAN) {
        for (size_t i = 0; i < n; i++) {
            use[i] = entries[i] ? i : SKIP;
            for (size_t j = 0; j < i && use[i] != SKIP; j++)
                if (entries[j] && key_cmp(kf, entries[i], entries[j]) == 0)
                    use[i] = SKIP;
            for (size_t j = i + 1; j < n && use[i] != SKIP; j++)
                if (entries[j] && key_cmp(kf, entries[i], entries[j]) == 0)
                    use[i] = j;
        }
        return 0;
    }
    key_ref *refs = malloc(n * sizeof *refs);
    if (!refs)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        use[i] = SKIP;
        if (entries[i])
            refs[k++] = (key_ref){kf, entries[i], i};
    }
    /* Sorted by key, then by place: each run of one key starts with the
     * place it prints at and ends with the value it prints. */
    qsort(refs, k, sizeof *refs, key_ref_cmp);
    for (size_t r = 0; r < k;) {
        size_t end = r + 1;
        while (end < k && key_cmp(kf, refs[r].en, refs[end].en) == 0)
            end++;
        use[refs[r].i] = refs[end - 1].i;
        r = end;
    }
    free(refs);
    return 0;
}

static void map_text(rest_buf *b, const ProtobufCMessageDescriptor *e,
                     ProtobufCMessage *const *entries, size_t n)
{
    size_t small[MAP_SCAN];
    size_t *use = n <= MAP_SCAN ? small : malloc(n * sizeof *use);
    if (!use || map_plan(e, entries, n, use) < 0) {
        if (use != small)
            free(use);
        b->err = b->err ? b->err : REST_TEXT_OOM;
        return;
    }
    int first = 1;
    rest_jp_putc(b, '{');
    for (size_t i = 0; i < n && !b->err; i++) {
        if (use[i] == SKIP)
            continue;
        char buf[24];
        size_t kl;
        const char *k =
            key_text(&e->fields[0], rest_jp_member(entries[i], &e->fields[0]), buf, &kl);
        if (!first)
            rest_jp_putc(b, ',');
        first = 0;
        if (e->fields[0].type == PROTOBUF_C_TYPE_STRING) {
            rest_jp_put_string(b, k, kl); /* fixes bad UTF-8 itself */
        } else {
            rest_jp_putc(b, '"');
            rest_jp_put(b, k, kl);
            rest_jp_putc(b, '"');
        }
        rest_jp_putc(b, ':');
        value_text(b, &e->fields[1], rest_jp_member(entries[use[i]], &e->fields[1]));
    }
    rest_jp_putc(b, '}');
    if (use != small)
        free(use);
}

/* ---- fields and messages ---- */

/* Whole field f of m: an array, an object for a map, or one value. */
static void field_text(rest_buf *b, const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    const void *p = rest_jp_member(m, f);
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
        size_t n = *(const size_t *)rest_jp_quant(m, f);
        const char *arr = *(char *const *)p;
        const ProtobufCMessageDescriptor *e = rest_jp_map_entry(m->descriptor, f);
        if (e) {
            map_text(b, e, (ProtobufCMessage *const *)arr, n);
            return;
        }
        size_t es = rest_jp_elem_size(f->type);
        rest_jp_putc(b, '[');
        for (size_t i = 0; i < n && !b->err; i++) {
            if (i)
                rest_jp_putc(b, ',');
            value_text(b, f, arr + i * es);
        }
        rest_jp_putc(b, ']');
        return;
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
        if (!present) {
            rest_jp_put(b, "null", 4);
            return;
        }
    }
    value_text(b, f, p);
}

static void message_text(rest_buf *b, const ProtobufCMessage *m, int nested)
{
    if (!m) {
        rest_jp_put(b, "null", 4);
        return;
    }
    const ProtobufCMessageDescriptor *d = m->descriptor;
    if (nested) {
        int shape = rest_jp_shape(d);
        if (shape == REST_JP_SINGLE) {
            field_text(b, m, &d->fields[0]);
            return;
        }
        if (shape == REST_JP_UNION) {
            uint32_t which = *(const uint32_t *)rest_jp_quant(m, &d->fields[0]);
            const ProtobufCFieldDescriptor *f =
                which ? protobuf_c_message_descriptor_get_field(d, which) : NULL;
            if (f)
                value_text(b, f, rest_jp_member(m, f));
            else
                rest_jp_put(b, "null", 4);
            return;
        }
    }
    int first = 1;
    rest_jp_putc(b, '{');
    for (unsigned i = 0; i < d->n_fields && !b->err; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
            *(const uint32_t *)rest_jp_quant(m, f) != f->id)
            continue;
        if (!first)
            rest_jp_putc(b, ',');
        first = 0;
        /* Field names are identifiers ([A-Za-z0-9_]): nothing to escape. */
        size_t nl = strlen(f->name);
        char *w = rest_jp_room(b, nl + 3);
        if (w) {
            w[0] = '"';
            memcpy(w + 1, f->name, nl);
            w[nl + 1] = '"';
            w[nl + 2] = ':';
            b->len += nl + 3;
        }
        field_text(b, m, f);
    }
    rest_jp_putc(b, '}');
}

int rest_pb_to_json_text(rest_buf *out, const ProtobufCMessage *m)
{
    if (out->err)
        return out->err;
    message_text(out, m, 0);
    if (!out->err && rest_jp_room(out, 0))
        out->data[out->len] = '\0';
    return out->err;
}

int rest_pb_field_to_json_text(rest_buf *out, const ProtobufCMessage *m, const char *field)
{
    const ProtobufCFieldDescriptor *f =
        m ? protobuf_c_message_descriptor_get_field_by_name(m->descriptor, field) : NULL;
    if (!f || ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
               *(const uint32_t *)rest_jp_quant(m, f) != f->id))
        return REST_TEXT_NO_FIELD;
    if (out->err)
        return out->err;
    field_text(out, m, f);
    if (!out->err && rest_jp_room(out, 0))
        out->data[out->len] = '\0';
    return out->err;
}

json_t *rest_pb_to_json(const ProtobufCMessage *m)
{
    rest_buf b;
    json_t *j = NULL;
    rest_buf_init(&b, SIZE_MAX);
    if (rest_pb_to_json_text(&b, m) == 0)
        j = json_loadb(b.data, b.len, JSON_DECODE_ANY, NULL);
    rest_buf_release(&b);
    return j;
}
