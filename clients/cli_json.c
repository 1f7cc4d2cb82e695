/* cli_json.c: a generic protobuf-c message → JSON writer, driven by the
 * descriptors protoc-c emits, so a new reply field needs no code here.
 * Only what replies use is covered: scalars, strings, enums, nested and
 * repeated messages, oneofs. Cost: one walk of the message. */
#include <math.h>
#include <string.h>

#include "cli_json.h"

#define MEMBER(m, off) ((const char *)(m) + (off))

/* A double JSON can carry; NaN and infinities become null. */
static json_t *json_double(double d)
{
    return isfinite(d) ? json_real(d) : json_null();
}

json_t *hgc_cli_json_vertex(const Hgc__V1__VertexId *id)
{
    if (id == NULL)
        return json_null();
    switch (id->kind_case) {
    case HGC__V1__VERTEX_ID__KIND_NUM:
        return json_integer(id->num);
    case HGC__V1__VERTEX_ID__KIND_STR:
        return json_string(id->str);
    default:
        return json_null();
    }
}

json_t *hgc_cli_json_value(const Hgc__V1__Value *v)
{
    json_t *arr = NULL;

    if (v == NULL)
        return json_null();
    switch (v->kind_case) {
    case HGC__V1__VALUE__KIND_NUMBER:
        return json_double(v->number);
    case HGC__V1__VALUE__KIND_INTEGER:
        return json_integer(v->integer);
    case HGC__V1__VALUE__KIND_TEXT:
        return json_string(v->text);
    case HGC__V1__VALUE__KIND_BOOLEAN:
        return json_boolean(v->boolean);
    case HGC__V1__VALUE__KIND_LIST:
        arr = json_array();
        for (size_t i = 0; arr != NULL && v->list != NULL && i < v->list->n_items; i++) {
            if (json_array_append_new(arr, hgc_cli_json_value(v->list->items[i])) != 0) {
                json_decref(arr);
                return NULL;
            }
        }
        return arr;
    default:
        return json_null();
    }
}

/* One element of a field: `p` points at the value itself (for repeated
 * fields, at one element of the array). */
static json_t *scalar(const ProtobufCFieldDescriptor *f, const void *p)
{
    const ProtobufCEnumValue *ev;

    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        return json_integer(*(const int32_t *)p);
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        return json_integer(*(const uint32_t *)p);
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        return json_integer(*(const int64_t *)p);
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        return json_integer((json_int_t) * (const uint64_t *)p);
    case PROTOBUF_C_TYPE_FLOAT:
        return json_double(*(const float *)p);
    case PROTOBUF_C_TYPE_DOUBLE:
        return json_double(*(const double *)p);
    case PROTOBUF_C_TYPE_BOOL:
        return json_boolean(*(const protobuf_c_boolean *)p);
    case PROTOBUF_C_TYPE_ENUM:
        ev = protobuf_c_enum_descriptor_get_value(f->descriptor, *(const int *)p);
        return ev != NULL ? json_string(ev->name) : json_integer(*(const int *)p);
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(const char *const *)p;
        return json_string(s != NULL ? s : "");
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
        const ProtobufCMessage *sub = *(const ProtobufCMessage *const *)p;
        return sub != NULL ? hgc_cli_json_message(sub) : json_null();
    }
    case PROTOBUF_C_TYPE_BYTES:
    default:
        return json_null();   /* no reply carries bytes */
    }
}

static size_t elem_size(ProtobufCType t)
{
    switch (t) {
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        return 8;
    case PROTOBUF_C_TYPE_DOUBLE:
        return sizeof(double);
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_STRING:
    case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(void *);
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof(ProtobufCBinaryData);
    default:
        return 4;
    }
}

json_t *hgc_cli_json_message(const ProtobufCMessage *m)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    json_t *obj = NULL;

    if (d == &hgc__v1__vertex_id__descriptor)
        return hgc_cli_json_vertex((const Hgc__V1__VertexId *)m);
    if (d == &hgc__v1__value__descriptor)
        return hgc_cli_json_value((const Hgc__V1__Value *)m);
    obj = json_object();
    if (obj == NULL)
        return NULL;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        json_t *v = NULL;

        if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
            if (*(const uint32_t *)MEMBER(m, f->quantifier_offset) != f->id)
                continue;   /* another member of the oneof, or none, is set */
            v = scalar(f, MEMBER(m, f->offset));
        } else if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(const size_t *)MEMBER(m, f->quantifier_offset);
            const char *arr = *(const char *const *)MEMBER(m, f->offset);

            v = json_array();
            for (size_t k = 0; v != NULL && k < n; k++) {
                if (json_array_append_new(v, scalar(f, arr + k * elem_size(f->type))) != 0) {
                    json_decref(v);
                    v = NULL;
                }
            }
        } else {
            v = scalar(f, MEMBER(m, f->offset));
        }
        if (json_object_set_new(obj, f->name, v) != 0) {
            json_decref(obj);
            return NULL;
        }
    }
    return obj;
}

int hgc_cli_json_print(FILE *f, json_t *j)
{
    int rc;

    if (j == NULL)
        return -1;
    rc = json_dumpf(j, f, JSON_COMPACT | JSON_ENCODE_ANY);
    if (rc == 0 && fputc('\n', f) == EOF)
        rc = -1;
    json_decref(j);
    return rc;
}
