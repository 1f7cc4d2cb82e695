/* graph_values.c: conversions of the graph store's values (graph_values.h).
 * Cost: linear in the value's size; lookups O(log n). */
#include "graph_values.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An id without the length limit: what a reader sent may be a quoted
 * form, longer than the id it names. */
static int vid_any(algo_vid *out, const Hgc__V1__VertexId *id, char msg[256])
{
    if (id == NULL || id->kind_case == HGC__V1__VERTEX_ID__KIND__NOT_SET) {
        snprintf(msg, 256, "the id is missing; give a number or a string");
        return -1;
    }
    if (id->kind_case == HGC__V1__VERTEX_ID__KIND_NUM) {
        *out = (algo_vid){.is_str = 0, .num = id->num};
        return 0;
    }
    size_t len = id->str ? strlen(id->str) : 0;
    if (len == 0) {
        snprintf(msg, 256, "a string id must not be empty");
        return -1;
    }
    if (!hgc_utf8_valid(id->str, len)) {
        snprintf(msg, 256, "a string id must be valid UTF-8");
        return -1;
    }
    *out = (algo_vid){.is_str = 1, .str = id->str, .len = len};
    return 0;
}

static int too_long(size_t len, char msg[256])
{
    snprintf(msg, 256, "a string id may have at most %d bytes (UTF-8), this one has %zu",
             SVC_ID_MAX_BYTES, len);
    return -1;
}

int svc_vid_from_proto(algo_vid *out, const Hgc__V1__VertexId *id, char msg[256])
{
    if (vid_any(out, id, msg) < 0)
        return -1;
    if (out->is_str && out->len > SVC_ID_MAX_BYTES)
        return too_long(out->len, msg);
    return 0;
}

int svc_value_to_prop(algo_prop_value *out, const Hgc__V1__Value *v, const char *key, char msg[256])
{
    memset(out, 0, sizeof *out);
    switch (v ? v->kind_case : HGC__V1__VALUE__KIND__NOT_SET) {
    case HGC__V1__VALUE__KIND_NUMBER:
        out->type = ALGO_PROP_DOUBLE;
        out->d = v->number;
        return 0;
    case HGC__V1__VALUE__KIND_INTEGER:
        out->type = ALGO_PROP_INT;
        out->i = v->integer;
        return 0;
    case HGC__V1__VALUE__KIND_BOOLEAN:
        out->type = ALGO_PROP_BOOL;
        out->i = v->boolean != 0;
        return 0;
    case HGC__V1__VALUE__KIND_TEXT:
        out->type = ALGO_PROP_STRING;
        out->s = v->text ? v->text : "";
        out->len = strlen(out->s);
        if (!hgc_utf8_valid(out->s, out->len)) {
            snprintf(msg, 256, "property '%.64s' is not valid UTF-8", key);
            return -1;
        }
        return 0;
    case HGC__V1__VALUE__KIND_LIST:
    case HGC__V1__VALUE__KIND_MAP:
        snprintf(
            msg, 256,
            "property '%.64s' is a list or object; values are numbers, integers, text or booleans",
            key);
        return -1;
    default: snprintf(msg, 256, "property '%.64s' has no value", key); return -1;
    }
}

/* The layout every generated map entry shares. */
typedef struct prop_entry {
    ProtobufCMessage base;
    char *key;
    Hgc__V1__Value *value;
} prop_entry;

int svc_props_from_proto(algo_prop *out, const void *const *entries, size_t n, char msg[256])
{
    for (size_t i = 0; i < n; i++) {
        const prop_entry *e = entries[i];
        const char *key = e->key ? e->key : "";
        size_t len = strlen(key);
        if (len == 0) {
            snprintf(msg, 256, "a property key must be a non-empty string");
            return -1;
        }
        if (!hgc_utf8_valid(key, len)) {
            snprintf(msg, 256, "a property key must be valid UTF-8");
            return -1;
        }
        out[i].key = key;
        out[i].key_len = len;
        if (svc_value_to_prop(&out[i].value, e->value, key, msg) < 0)
            return -1;
    }
    return 0;
}

int svc_vid_candidates(algo_vid out[2], const Hgc__V1__VertexId *id, char *buf, size_t cap,
                       char msg[256])
{
    algo_vid v;
    if (vid_any(&v, id, msg) < 0)
        return -1;
    if (!v.is_str) {
        out[0] = v;
        return 1;
    }
    if (v.len >= 2 && v.str[0] == '"' && v.str[v.len - 1] == '"') {
        json_error_t err;
        json_t *j = json_loadb(v.str, v.len, JSON_DECODE_ANY, &err);
        if (j != NULL && json_is_string(j) && json_string_length(j) > 0) {
            size_t len = json_string_length(j);
            if (len > SVC_ID_MAX_BYTES || len >= cap) {
                json_decref(j);
                return too_long(len, msg);
            }
            memcpy(buf, json_string_value(j), len);
            buf[len] = '\0';
            json_decref(j);
            out[0] = (algo_vid){.is_str = 1, .str = buf, .len = len};
            return 1;
        }
        json_decref(j);
    }
    if (v.len > SVC_ID_MAX_BYTES)
        return too_long(v.len, msg);
    /* A string of digits stays a string: over gRPC an id is what the
     * caller sent (common.proto). Reading "7" in a REST path as the number
     * is the bridge's business (rest-bridge/json_pb.h). */
    out[0] = v;
    return 1;
}

int svc_vid_format(char *out, size_t cap, const algo_vid *v)
{
    if (!v->is_str)
        return snprintf(out, cap, "%lld", (long long)v->num);
    int len = v->len > 65536 ? 65536 : (int)v->len;
    return snprintf(out, cap, "%.*s", len, v->str);
}

int svc_edge_id_format(char *out, size_t cap, const algo_vid *src, const char *label,
                       const algo_vid *dst)
{
    int a = svc_vid_format(out, cap, src);
    size_t used = a < 0 ? 0 : (size_t)a;
    int b = snprintf(used < cap ? out + used : NULL, used < cap ? cap - used : 0, ">%s>", label);
    used += b < 0 ? 0 : (size_t)b;
    int c = svc_vid_format(used < cap ? out + used : NULL, used < cap ? cap - used : 0, dst);
    return (int)(used + (c < 0 ? 0 : (size_t)c));
}
