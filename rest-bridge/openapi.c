/* openapi.c: rest_routes_openapi, an OpenAPI 3.0.3 document of the route
 * table, so callers can read and generate clients from what the bridge
 * really serves (docs/contract.md). Built only from the public table and
 * protoc-c's message descriptors.
 *
 * Schemas follow the converter's printing rules (json_pb.h), not
 * protobuf's canonical JSON: int64 is a JSON number, maps are objects, and
 * a nested message with one field or whose fields form one oneof is its
 * bare value (VertexId is oneOf integer|string). Such a message is still
 * an object at the top of a request or answer, so there its object schema
 * is written inline and components/schemas holds its nested form.
 *
 * Cost: linear in routes and fields; built once at start or per request of
 * the document.
 */
#include "routes.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define ERROR_SCHEMA "HugeGraphError"
#define REF_PREFIX   "#/components/schemas/"

typedef struct ctx {
    json_t *schemas; /* components/schemas, also the set of messages already done */
    int oom;
} ctx;

/* jansson's *_new setters take NULL values and NULL containers safely:
 * one flag collects every failure, checked once at the end. */
static int put(ctx *c, json_t *obj, const char *key, json_t *v)
{
    if (json_object_set_new(obj, key, v)) {
        c->oom = 1;
        return -1;
    }
    return 0;
}

static void push(ctx *c, json_t *arr, json_t *v)
{
    if (json_array_append_new(arr, v))
        c->oom = 1;
}

static json_t *prim(ctx *c, const char *type, const char *format)
{
    json_t *o = json_object();
    put(c, o, "type", json_string(type));
    if (format)
        put(c, o, "format", json_string(format));
    return o;
}

/* Printed as its one field's value, or its oneof member's: json_pb.h. */
static int prints_bare(const ProtobufCMessageDescriptor *d)
{
    if (d->n_fields == 1)
        return 1;
    if (d->n_fields < 2)
        return 0;
    for (unsigned i = 0; i < d->n_fields; i++)
        if (!(d->fields[i].flags & PROTOBUF_C_FIELD_FLAG_ONEOF) ||
            d->fields[i].quantifier_offset != d->fields[0].quantifier_offset)
            return 0;
    return 1;
}

/* protoc-c has no map-entry flag: a map is a repeated XxxEntry{key=1, value=2}. */
static const ProtobufCFieldDescriptor *map_value(const ProtobufCFieldDescriptor *f)
{
    const ProtobufCMessageDescriptor *d;
    const ProtobufCFieldDescriptor *k, *v;
    size_t n;
    if (f->label != PROTOBUF_C_LABEL_REPEATED || f->type != PROTOBUF_C_TYPE_MESSAGE)
        return NULL;
    d = f->descriptor;
    n = strlen(d->short_name);
    if (d->n_fields != 2 || n < 5 || strcmp(d->short_name + n - 5, "Entry"))
        return NULL;
    k = protobuf_c_message_descriptor_get_field(d, 1);
    v = protobuf_c_message_descriptor_get_field(d, 2);
    return k && v && !strcmp(k->name, "key") && !strcmp(v->name, "value") ? v : NULL;
}

static json_t *ref(ctx *c, const ProtobufCMessageDescriptor *d);

static json_t *value_schema(ctx *c, const ProtobufCFieldDescriptor *f)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32: return prim(c, "integer", "int32");
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64: return prim(c, "integer", "int64");
    case PROTOBUF_C_TYPE_FLOAT: return prim(c, "number", "float");
    case PROTOBUF_C_TYPE_DOUBLE: return prim(c, "number", "double");
    case PROTOBUF_C_TYPE_BOOL: return prim(c, "boolean", NULL);
    case PROTOBUF_C_TYPE_STRING: return prim(c, "string", NULL);
    case PROTOBUF_C_TYPE_BYTES: return prim(c, "string", "byte");
    case PROTOBUF_C_TYPE_ENUM: {
        const ProtobufCEnumDescriptor *ed = f->descriptor;
        json_t *o = prim(c, "string", NULL), *names = json_array();
        for (unsigned i = 0; i < ed->n_values; i++)
            push(c, names, json_string(ed->values[i].name));
        put(c, o, "enum", names);
        return o;
    }
    case PROTOBUF_C_TYPE_MESSAGE: return ref(c, f->descriptor);
    default: break;
    }
    return json_object(); /* any value */
}

static json_t *field_schema(ctx *c, const ProtobufCFieldDescriptor *f)
{
    const ProtobufCFieldDescriptor *mv = map_value(f);
    json_t *o;
    if (mv) {
        o = prim(c, "object", NULL);
        put(c, o, "additionalProperties", value_schema(c, mv));
        return o;
    }
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
        o = prim(c, "array", NULL);
        put(c, o, "items", value_schema(c, f));
        return o;
    }
    return value_schema(c, f);
}

static void fill_object(ctx *c, json_t *o, const ProtobufCMessageDescriptor *d)
{
    json_t *props = json_object();
    put(c, o, "type", json_string("object"));
    for (unsigned i = 0; i < d->n_fields; i++)
        put(c, props, d->fields[i].name, field_schema(c, &d->fields[i]));
    put(c, o, "properties", props);
}

static json_t *object_schema(ctx *c, const ProtobufCMessageDescriptor *d)
{
    json_t *o = json_object();
    fill_object(c, o, d);
    return o;
}

static json_t *bare_schema(ctx *c, const ProtobufCMessageDescriptor *d)
{
    json_t *o, *alts;
    if (d->n_fields == 1)
        return field_schema(c, &d->fields[0]);
    o = json_object();
    alts = json_array();
    for (unsigned i = 0; i < d->n_fields; i++)
        push(c, alts, field_schema(c, &d->fields[i]));
    put(c, o, "oneOf", alts);
    return o;
}

/* A $ref to the message's component, made on first use. The component is
 * put in place before it is filled, so recursive types (Value -> ValueList
 * -> Value) stop at the second visit. */
static json_t *ref(ctx *c, const ProtobufCMessageDescriptor *d)
{
    char buf[512];
    json_t *o;
    if (!json_object_get(c->schemas, d->name)) {
        json_t *s = json_object();
        if (put(c, c->schemas, d->name, s) == 0) {
            if (prints_bare(d)) {
                json_t *v = bare_schema(c, d);
                if (!v || json_object_update(s, v))
                    c->oom = 1;
                json_decref(v);
            } else {
                fill_object(c, s, d);
            }
        }
    }
    snprintf(buf, sizeof buf, REF_PREFIX "%s", d->name);
    o = json_object();
    put(c, o, "$ref", json_string(buf));
    return o;
}

/* A request or answer: always an object (json_pb.h's top-level rule). */
static json_t *top_schema(ctx *c, const ProtobufCMessageDescriptor *d)
{
    return prints_bare(d) ? object_schema(c, d) : ref(c, d);
}

static json_t *content(ctx *c, const char *mime, json_t *schema)
{
    json_t *o = json_object(), *m = json_object();
    put(c, m, "schema", schema);
    put(c, o, mime, m);
    return o;
}

/* Is `name` a {variable} of the pattern? */
static int in_path(const char *pattern, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{'))
        if (!strncmp(p + 1, name, n) && p[1 + n] == '}')
            return 1;
    return 0;
}

static json_t *parameters(ctx *c, const rest_route *rt)
{
    json_t *params = json_array();
    const ProtobufCMessageDescriptor *in = rt->input;

    for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
        char name[128];
        const char *end = strchr(p, '}');
        const ProtobufCFieldDescriptor *f;
        json_t *o;
        if (!end || (size_t)(end - p - 1) >= sizeof name)
            continue;
        memcpy(name, p + 1, (size_t)(end - p - 1));
        name[end - p - 1] = '\0';
        f = protobuf_c_message_descriptor_get_field_by_name(in, name);
        o = json_object();
        put(c, o, "name", json_string(name));
        put(c, o, "in", json_string("path"));
        put(c, o, "required", json_true());
        put(c, o, "schema", f ? field_schema(c, f) : prim(c, "string", NULL));
        push(c, params, o);
    }
    /* Query: the fields text can set (scalars, VertexId) neither in the
     * path nor the body field. With body "*" they are listed too: the
     * bridge takes them from the query as well (update's ?status=,
     * contract.md). */
    for (unsigned i = 0; i < in->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &in->fields[i];
        json_t *o;
        if (!rest_field_takes_text(f) || in_path(rt->pattern, f->name) ||
            !strcmp(rt->body, f->name))
            continue;
        o = json_object();
        put(c, o, "name", json_string(f->name));
        put(c, o, "in", json_string("query"));
        put(c, o, "required", json_false());
        put(c, o, "schema", field_schema(c, f));
        push(c, params, o);
    }
    return params;
}

static json_t *request_body(ctx *c, const rest_route *rt)
{
    json_t *o = json_object();
    if (!strcmp(rt->body, "*")) {
        put(c, o, "content", content(c, "application/json", top_schema(c, rt->input)));
    } else {
        const ProtobufCFieldDescriptor *f =
            protobuf_c_message_descriptor_get_field_by_name(rt->input, rt->body);
        if (!rt->body_json) {
            /* The raw body is the field's bytes (an edge list for LoadEdges),
             * as text, bytes or JSON lines; with a "format" field also a
             * form of Graphalytics files (upload_form.h). */
            static const char *const raw[] = {"application/octet-stream", "application/x-ndjson"};
            json_t *types = content(c, "text/plain", prim(c, "string", NULL));
            for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
                put(c, types, raw[i], json_pack("{s:o}", "schema", prim(c, "string", NULL)));
            if (protobuf_c_message_descriptor_get_field_by_name(rt->input, "format")) {
                json_t *form = json_object(), *parts = json_object();
                static const char *const names[] = {"properties", "v", "e"};
                for (size_t i = 0; i < 3; i++)
                    put(c, parts, names[i], prim(c, "string", "binary"));
                put(c, form, "type", json_string("object"));
                put(c, form, "properties", parts);
                put(c, types, "multipart/form-data", json_pack("{s:o}", "schema", form));
            }
            put(c, o, "content", types);
        } else {
            /* The field's value: an array of objects for AddVertices' "vertices". */
            put(c, o, "content",
                content(c, "application/json", f ? field_schema(c, f) : json_object()));
        }
    }
    return o;
}

static json_t *responses(ctx *c, const rest_route *rt)
{
    json_t *o = json_object(), *ok = json_object(), *err = json_object();
    char code[16];
    const char *what = "Success.";
    const char *mime = "application/json";

    if (rt->server_streaming && !rt->stream_merge) {
        what = "The stream's messages, one JSON object a line as they come.";
        mime = "application/x-ndjson";
    } else if (rt->server_streaming) {
        what = "The stream's messages merged into one object (repeated fields concatenated).";
    }
    if (rt->success_status == 204)
        what = "Done; no body.";
    put(c, ok, "description", json_string(what));
    if (rt->success_status != 204) {
        const ProtobufCFieldDescriptor *f =
            rt->response_body[0]
                ? protobuf_c_message_descriptor_get_field_by_name(rt->output, rt->response_body)
                : NULL;
        /* response_body: that field's value is the whole answer (the
         * batches' array of ids). */
        put(c, ok, "content", content(c, mime, f ? field_schema(c, f) : top_schema(c, rt->output)));
    }
    snprintf(code, sizeof code, "%d", rt->success_status);
    put(c, o, code, ok);

    put(c, err, "description", json_string("An error, in HugeGraph's error body."));
    {
        json_t *r = json_object();
        put(c, r, "$ref", json_string(REF_PREFIX ERROR_SCHEMA));
        put(c, err, "content", content(c, "application/json", r));
    }
    put(c, o, "default", err);
    return o;
}

/* The comment's first sentence on one line, cut at a word if long: a
 * summary is what tools show in a list. */
static const char *summary(const char *text, char *out, size_t size)
{
    size_t o = 0, last_space = 0;
    for (const char *p = text; *p && o + 4 < size; p++) {
        char ch = *p == '\n' ? ' ' : *p;
        if (ch == ' ')
            last_space = o;
        out[o++] = ch;
        if (ch == '.' && (p[1] == '\0' || p[1] == ' ' || p[1] == '\n')) {
            out[o] = '\0';
            return out;
        }
    }
    if (text[o] != '\0' && last_space > 0) {
        memcpy(out + last_space, "...", 3);
        o = last_space + 3;
    }
    out[o] = '\0';
    return out;
}

static json_t *operation(ctx *c, const rest_routes *r, size_t idx)
{
    const rest_route *rt = rest_routes_at(r, idx);
    json_t *op = json_object(), *tags = json_array();
    size_t binding = 0;
    char id[256];

    /* operationId must be unique: the second binding of a method is
     * "Service.Method.2". */
    for (size_t i = 0; i < idx; i++)
        if (!strcmp(rest_routes_at(r, i)->full_method, rt->full_method))
            binding++;
    if (binding)
        snprintf(id, sizeof id, "%s.%s.%zu", rt->service->short_name, rt->method, binding + 1);
    else
        snprintf(id, sizeof id, "%s.%s", rt->service->short_name, rt->method);
    put(c, op, "operationId", json_string(id));
    push(c, tags, json_string(rt->service->short_name));
    put(c, op, "tags", tags);
    if (rt->description[0]) {
        char sum[128];
        put(c, op, "summary", json_string(summary(rt->description, sum, sizeof sum)));
        put(c, op, "description", json_string(rt->description));
    }
    put(c, op, "parameters", parameters(c, rt));
    if (rt->body[0])
        put(c, op, "requestBody", request_body(c, rt));
    put(c, op, "responses", responses(c, rt));
    put(c, op, "x-grpc-method", json_string(rt->full_method));
    return op;
}

static json_t *error_schema(ctx *c)
{
    static const char *const fields[] = {"exception", "message", "cause"};
    json_t *o = prim(c, "object", NULL), *props = json_object(), *req = json_array();
    for (size_t i = 0; i < 3; i++) {
        put(c, props, fields[i], prim(c, "string", NULL));
        push(c, req, json_string(fields[i]));
    }
    put(c, o, "required", req);
    put(c, o, "properties", props);
    put(c, o, "example",
        json_pack("{s:s, s:s, s:s}", "exception", "class java.lang.IllegalArgumentException",
                  "message", "The algorithm 'foo' is not supported", "cause", ""));
    return o;
}

json_t *rest_routes_openapi(const rest_routes *r)
{
    static const char *const verbs[] = {"get",     "put",  "post",  "delete",
                                        "options", "head", "patch", "trace"};
    ctx c = {json_object(), 0};
    json_t *doc = json_object(), *paths = json_object(), *comp = json_object();

    put(&c, doc, "openapi", json_string("3.0.3"));
    put(&c, doc, "info",
        json_pack("{s:s, s:s, s:s}", "title", "hgc", "version", "v1", "description",
                  "HugeGraph's graph computing (computerdis) REST API over the hgc gRPC "
                  "services."));
    put(&c, c.schemas, ERROR_SCHEMA, error_schema(&c));
    for (size_t i = 0; i < rest_routes_count(r); i++) {
        const rest_route *rt = rest_routes_at(r, i);
        char verb[16];
        size_t n = strlen(rt->http_method), k;
        json_t *item;
        if (n >= sizeof verb)
            continue;
        for (k = 0; k < n; k++)
            verb[k] = (char)tolower((unsigned char)rt->http_method[k]);
        verb[n] = '\0';
        for (k = 0; k < sizeof verbs / sizeof verbs[0] && strcmp(verbs[k], verb); k++)
            ;
        if (k == sizeof verbs / sizeof verbs[0])
            continue; /* a custom method OpenAPI can't express */
        item = json_object_get(paths, rt->pattern);
        if (!item) {
            item = json_object();
            if (put(&c, paths, rt->pattern, item))
                continue;
        }
        put(&c, item, verb, operation(&c, r, i));
    }
    put(&c, doc, "paths", paths);
    put(&c, comp, "schemas", c.schemas);
    put(&c, doc, "components", comp);
    if (c.oom) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}
