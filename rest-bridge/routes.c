/* routes.c: the REST route table of routes.h, built once at start from the
 * embedded FileDescriptorSet. protoc-c's generated code cannot see custom
 * options, so google.api.http (field 72295728 of MethodOptions) and our
 * hgc.v1 options (51001, 51002 on MethodOptions, 51101 on FieldOptions) are
 * read from the options messages' unknown fields, as protoc wrote them.
 *
 * Path templates are the subset of google/api/http.proto's syntax that
 * binds one field per segment: literals, {field} and {field=*}. Anything
 * else is refused at build time, so a .proto edit can't silently produce a
 * route that never matches. body and response_body follow http.proto too:
 * a body field's value is the whole HTTP body (a JSON array for a repeated
 * one, raw text for bytes), and response_body's field is the whole answer.
 *
 * Matching is in route_match.c, over the representation in
 * routes_internal.h.
 */
#include "routes.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "google/api/http.pb-c.h"
#include "google/protobuf/descriptor.pb-c.h"
#include "routes_internal.h"

#define TAG_HTTP           72295728u /* google.api.http on MethodOptions */
#define TAG_SUCCESS_STATUS 51001u    /* hgc.v1.http_success_status */
#define TAG_STREAM         51002u    /* hgc.v1.http_stream */
#define TAG_COLLECT        51101u    /* hgc.v1.json_collect_unknown on FieldOptions */

#define NAME_MAX_LEN 512 /* a message's full name */

/* What every binding of one method shares. */
typedef struct method_info {
    const ProtobufCServiceDescriptor *sd;
    const ProtobufCMethodDescriptor *md;
    const char *where; /* "hgc.v1.JobService.CreateJob", for messages */
    const char *full_method;
    const char *description;
    int success_status, stream_merge, client_streaming, server_streaming;
    int no_side_effects; /* idempotency_level = NO_SIDE_EFFECTS */
} method_info;

/* ---- unknown fields ---------------------------------------------------- */

static int read_varint(const uint8_t *p, size_t len, uint64_t *v, size_t *used)
{
    uint64_t x = 0;
    for (size_t i = 0; i < len && i < 10; i++) {
        x |= (uint64_t)(p[i] & 0x7f) << (7 * i);
        if (!(p[i] & 0x80)) {
            *v = x;
            *used = i + 1;
            return 0;
        }
    }
    return -1;
}

/* The last occurrence wins, as it does for a scalar on the wire. */
static const ProtobufCMessageUnknownField *find_unknown(const ProtobufCMessage *m, uint32_t tag)
{
    const ProtobufCMessageUnknownField *u = NULL;
    if (!m)
        return NULL;
    for (unsigned i = 0; i < m->n_unknown_fields; i++)
        if (m->unknown_fields[i].tag == tag)
            u = &m->unknown_fields[i];
    return u;
}

/* 1 and *v if present, 0 if absent, -1 if it is not a varint. */
static int unknown_varint(const ProtobufCMessage *m, uint32_t tag, uint64_t *v)
{
    const ProtobufCMessageUnknownField *u = find_unknown(m, tag);
    size_t used;
    if (!u)
        return 0;
    if (u->wire_type != PROTOBUF_C_WIRE_TYPE_VARINT || read_varint(u->data, u->len, v, &used))
        return -1;
    return 1;
}

/* 1 and the payload if present, 0 if absent, -1 if malformed. protobuf-c
 * 1.4.1 keeps the length varint at the front of a length-delimited unknown
 * field's data: skip it when it accounts for the rest exactly (a later
 * protobuf-c that drops it still works). */
static int unknown_bytes(const ProtobufCMessage *m, uint32_t tag, const uint8_t **data, size_t *len)
{
    const ProtobufCMessageUnknownField *u = find_unknown(m, tag);
    uint64_t n;
    size_t used;
    if (!u)
        return 0;
    if (u->wire_type != PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED)
        return -1;
    if (read_varint(u->data, u->len, &n, &used) == 0 && n == u->len - used) {
        *data = u->data + used;
        *len = (size_t)n;
    } else {
        *data = u->data;
        *len = u->len;
    }
    return 1;
}

/* ---- building ---------------------------------------------------------- */

static void entry_release(entry *e)
{
    free(e->http_method);
    free(e->pattern);
    free(e->body);
    free(e->response_body);
    free(e->full_method);
    free(e->name);
    free(e->description);
    free(e->segbuf);
}

/* Splits `tmpl` into e->segs and writes the normalized pattern
 * ({field=*} becomes {field}). */
static int parse_template(entry *e, const char *tmpl, const char *where, char msg[REST_MSG_MAX])
{
    size_t n = strlen(tmpl), bo = 0, po = 0, nseg = 0, nvar = 0;
    char *buf = NULL, *pat = NULL;
    const char *p;
    int rc = -1;

    if (tmpl[0] != '/') {
        snprintf(msg, REST_MSG_MAX, "%s: path template '%s' must start with '/'", where, tmpl);
        goto done;
    }
    if (strchr(tmpl, ':')) {
        snprintf(msg, REST_MSG_MAX,
                 "%s: path template '%s': custom verbs (':verb') are not "
                 "supported",
                 where, tmpl);
        goto done;
    }
    buf = malloc(n + 1);
    pat = malloc(n + 2);
    if (!buf || !pat) {
        snprintf(msg, REST_MSG_MAX, "out of memory");
        goto done;
    }
    p = tmpl + 1;
    while (*p) {
        const char *q = strchr(p, '/');
        size_t len;
        seg *s;
        if (!q)
            q = p + strlen(p);
        len = (size_t)(q - p);
        if (len == 0) {
            snprintf(msg, REST_MSG_MAX, "%s: path template '%s' has an empty segment", where, tmpl);
            goto done;
        }
        if (nseg == MAX_SEGS) {
            snprintf(msg, REST_MSG_MAX, "%s: path template '%s' has more than %d segments", where,
                     tmpl, MAX_SEGS);
            goto done;
        }
        s = &e->segs[nseg];
        if (p[0] == '{') {
            const char *name = p + 1, *rest;
            size_t nl = 0;
            while (name + nl < q && (isalnum((unsigned char)name[nl]) || name[nl] == '_'))
                nl++;
            rest = name + nl;
            if (p[len - 1] != '}' || nl == 0 || isdigit((unsigned char)name[0])) {
                snprintf(msg, REST_MSG_MAX,
                         "%s: path template '%s': '%.*s' is not a variable: write {field}, one "
                         "whole segment",
                         where, tmpl, (int)len, p);
                goto done;
            }
            if (!(rest == q - 1 || (rest + 3 == q && rest[0] == '=' && rest[1] == '*'))) {
                snprintf(msg, REST_MSG_MAX,
                         "%s: path template '%s': '%.*s' is not supported: only {field} and "
                         "{field=*} (one segment, no nested field path)",
                         where, tmpl, (int)len, p);
                goto done;
            }
            if (nvar == REST_MAX_VARS) {
                snprintf(msg, REST_MSG_MAX, "%s: path template '%s' has more than %d variables",
                         where, tmpl, REST_MAX_VARS);
                goto done;
            }
            for (size_t i = 0; i < nseg; i++)
                if (e->segs[i].var && e->segs[i].len == nl && !memcmp(e->segs[i].text, name, nl)) {
                    snprintf(msg, REST_MSG_MAX, "%s: path template '%s' binds {%.*s} twice", where,
                             tmpl, (int)nl, name);
                    goto done;
                }
            s->var = 1;
            s->text = buf + bo;
            s->len = nl;
            memcpy(buf + bo, name, nl);
            bo += nl;
            buf[bo++] = '\0';
            pat[po++] = '/';
            pat[po++] = '{';
            memcpy(pat + po, name, nl);
            po += nl;
            pat[po++] = '}';
            nvar++;
        } else {
            for (size_t i = 0; i < len; i++) {
                const char *why = NULL;
                if (p[i] == '*')
                    why = "wildcards ('*', '**') are not supported: bind the segment as {field}";
                else if (p[i] == '{' || p[i] == '}')
                    why = "a variable must be one whole segment: {field}";
                if (why) {
                    snprintf(msg, REST_MSG_MAX, "%s: path template '%s': %s", where, tmpl, why);
                    goto done;
                }
            }
            s->var = 0;
            s->text = buf + bo;
            s->len = len;
            memcpy(buf + bo, p, len);
            bo += len;
            buf[bo++] = '\0';
            pat[po++] = '/';
            memcpy(pat + po, p, len);
            po += len;
        }
        nseg++;
        if (!*q)
            break;
        p = q + 1;
        if (!*p) {
            snprintf(msg, REST_MSG_MAX, "%s: path template '%s' ends with '/'", where, tmpl);
            goto done;
        }
    }
    if (po == 0)
        pat[po++] = '/';
    pat[po] = '\0';
    e->n_segs = nseg;
    e->segbuf = buf;
    e->pattern = pat;
    buf = pat = NULL;
    rc = 0;
done:
    free(buf);
    free(pat);
    return rc;
}

int rest_field_takes_text(const ProtobufCFieldDescriptor *f)
{
    const ProtobufCMessageDescriptor *d;
    if (!f)
        return 0;
    if (f->type != PROTOBUF_C_TYPE_MESSAGE)
        return 1;
    d = f->descriptor;
    if (!d || d->n_fields == 0)
        return 0;
    /* One scalar field, or scalar members of one oneof (json_pb.h prints
     * both as a bare value and reads one back from text). */
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *m = &d->fields[i];
        if (m->type == PROTOBUF_C_TYPE_MESSAGE || m->label == PROTOBUF_C_LABEL_REPEATED)
            return 0;
        if (d->n_fields > 1 && (!(m->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) ||
                                m->quantifier_offset != d->fields[0].quantifier_offset))
            return 0;
    }
    return 1;
}

/* Path variables and a body field must name fields the bridge can set;
 * a response_body must name a field of the output. */
static int check_fields(const entry *e, const ProtobufCMessageDescriptor *in,
                        const ProtobufCMessageDescriptor *out, const char *where,
                        char msg[REST_MSG_MAX])
{
    for (size_t i = 0; i < e->n_segs; i++) {
        const ProtobufCFieldDescriptor *f;
        if (!e->segs[i].var)
            continue;
        f = protobuf_c_message_descriptor_get_field_by_name(in, e->segs[i].text);
        if (!f) {
            snprintf(msg, REST_MSG_MAX, "%s: path variable {%s} of '%s' names no field of %s",
                     where, e->segs[i].text, e->pattern, in->name);
            return -1;
        }
        if (f->label == PROTOBUF_C_LABEL_REPEATED || !rest_field_takes_text(f)) {
            snprintf(msg, REST_MSG_MAX,
                     "%s: path variable {%s} of '%s' must be a single scalar field of %s (or a "
                     "message of one scalar value)",
                     where, e->segs[i].text, e->pattern, in->name);
            return -1;
        }
        if (!strcmp(e->body, e->segs[i].text)) {
            snprintf(msg, REST_MSG_MAX, "%s: field %s is both a path variable and the body", where,
                     e->body);
            return -1;
        }
    }
    if (e->body[0] && strcmp(e->body, "*") &&
        !protobuf_c_message_descriptor_get_field_by_name(in, e->body)) {
        snprintf(msg, REST_MSG_MAX, "%s: body '%s' names no field of %s", where, e->body, in->name);
        return -1;
    }
    if (e->response_body[0] &&
        !protobuf_c_message_descriptor_get_field_by_name(out, e->response_body)) {
        snprintf(msg, REST_MSG_MAX, "%s: response_body '%s' names no field of %s", where,
                 e->response_body, out->name);
        return -1;
    }
    return 0;
}

/* The body is JSON unless it is one bytes field (raw text, e.g. an edge
 * list). */
static int body_is_json(const char *body, const ProtobufCMessageDescriptor *in)
{
    const ProtobufCFieldDescriptor *f;
    if (!body[0])
        return 0;
    if (!strcmp(body, "*"))
        return 1;
    f = protobuf_c_message_descriptor_get_field_by_name(in, body);
    return !(f && f->type == PROTOBUF_C_TYPE_BYTES && f->label != PROTOBUF_C_LABEL_REPEATED);
}

static int same_shape(const entry *a, const entry *b)
{
    if (strcmp(a->http_method, b->http_method) || a->n_segs != b->n_segs)
        return 0;
    for (size_t i = 0; i < a->n_segs; i++) {
        if (a->segs[i].var != b->segs[i].var)
            return 0;
        if (!a->segs[i].var && (a->segs[i].len != b->segs[i].len ||
                                memcmp(a->segs[i].text, b->segs[i].text, a->segs[i].len)))
            return 0;
    }
    return 1;
}

static int valid_method_token(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (!isupper((unsigned char)*s))
            return 0;
    return 1;
}

/* One route from one binding (the rule itself or one of its
 * additional_bindings, which may not nest further). */
static int add_binding(rest_routes *r, const method_info *mi, const Google__Api__HttpRule *rule,
                       int nested, char msg[REST_MSG_MAX])
{
    const char *method = NULL, *tmpl = NULL;
    entry *e = NULL;
    entry tmp;
    int rc = -1;

    memset(&tmp, 0, sizeof tmp);
    switch (rule->pattern_case) {
    case GOOGLE__API__HTTP_RULE__PATTERN_GET:
        method = "GET";
        tmpl = rule->get;
        break;
    case GOOGLE__API__HTTP_RULE__PATTERN_PUT:
        method = "PUT";
        tmpl = rule->put;
        break;
    case GOOGLE__API__HTTP_RULE__PATTERN_POST:
        method = "POST";
        tmpl = rule->post;
        break;
    case GOOGLE__API__HTTP_RULE__PATTERN_DELETE:
        method = "DELETE";
        tmpl = rule->delete_;
        break;
    case GOOGLE__API__HTTP_RULE__PATTERN_PATCH:
        method = "PATCH";
        tmpl = rule->patch;
        break;
    case GOOGLE__API__HTTP_RULE__PATTERN_CUSTOM:
        if (rule->custom) {
            method = rule->custom->kind;
            tmpl = rule->custom->path;
        }
        if (!valid_method_token(method)) {
            snprintf(msg, REST_MSG_MAX, "%s: custom http pattern needs an upper-case kind",
                     mi->where);
            goto done;
        }
        break;
    default: break;
    }
    if (!tmpl) {
        snprintf(msg, REST_MSG_MAX, "%s: http rule has no method and path", mi->where);
        goto done;
    }
    if (nested && rule->n_additional_bindings) {
        snprintf(msg, REST_MSG_MAX, "%s: additional_bindings may not have their own", mi->where);
        goto done;
    }
    if (rule->response_body && rule->response_body[0] && mi->server_streaming) {
        /* Each streamed message would need its own selection: not needed yet. */
        snprintf(msg, REST_MSG_MAX,
                 "%s: response_body on a method that streams its answer is "
                 "not supported",
                 mi->where);
        goto done;
    }
    if (parse_template(&tmp, tmpl, mi->where, msg))
        goto done;
    tmp.http_method = strdup(method);
    tmp.body = strdup(rule->body ? rule->body : "");
    tmp.response_body = strdup(rule->response_body ? rule->response_body : "");
    tmp.full_method = strdup(mi->full_method);
    tmp.name = strdup(mi->md->name);
    tmp.description = strdup(mi->description);
    if (!tmp.http_method || !tmp.body || !tmp.response_body || !tmp.full_method || !tmp.name ||
        !tmp.description) {
        snprintf(msg, REST_MSG_MAX, "out of memory");
        goto done;
    }
    if (check_fields(&tmp, mi->md->input, mi->md->output, mi->where, msg))
        goto done;
    for (size_t i = 0; i < r->n; i++)
        if (same_shape(&r->e[i], &tmp)) {
            snprintf(msg, REST_MSG_MAX, "%s: %s %s is already the route of %s", mi->where,
                     tmp.http_method, tmp.pattern, r->e[i].full_method);
            goto done;
        }
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        entry *ne = realloc(r->e, cap * sizeof *ne);
        if (!ne) {
            snprintf(msg, REST_MSG_MAX, "out of memory");
            goto done;
        }
        r->e = ne;
        r->cap = cap;
    }
    e = &r->e[r->n++];
    *e = tmp;
    memset(&tmp, 0, sizeof tmp);
    e->route.http_method = e->http_method;
    e->route.pattern = e->pattern;
    e->route.body = e->body;
    e->route.body_json = body_is_json(e->body, mi->md->input);
    e->route.response_body = e->response_body;
    e->route.success_status = mi->success_status;
    e->route.stream_merge = mi->stream_merge;
    e->route.client_streaming = mi->client_streaming;
    e->route.server_streaming = mi->server_streaming;
    e->route.head = !strcmp(method, "GET") && mi->no_side_effects && !mi->server_streaming &&
                    !mi->client_streaming;
    e->route.full_method = e->full_method;
    e->route.service = mi->sd;
    e->route.method = e->name;
    e->route.input = mi->md->input;
    e->route.output = mi->md->output;
    e->route.description = e->description;
    rc = 0;
done:
    entry_release(&tmp);
    return rc;
}

/* The leading comment of method mi of service si: source_code_info path
 * [6 (FileDescriptorProto.service), si, 2 (ServiceDescriptorProto.method), mi]. */
static const char *leading_comment(const Google__Protobuf__FileDescriptorProto *f, size_t si,
                                   size_t mi)
{
    const Google__Protobuf__SourceCodeInfo *sci = f->source_code_info;
    if (!sci)
        return NULL;
    for (size_t i = 0; i < sci->n_location; i++) {
        const Google__Protobuf__SourceCodeInfo__Location *l = sci->location[i];
        if (l->n_path == 4 && l->path[0] == 6 && (size_t)l->path[1] == si && l->path[2] == 2 &&
            (size_t)l->path[3] == mi)
            return l->leading_comments;
    }
    return NULL;
}

/* protoc keeps the space after "//" on every line and the final newline:
 * drop both, so the text reads as written. */
static char *clean_comment(const char *c)
{
    size_t n = c ? strlen(c) : 0, o = 0;
    char *out = malloc(n + 1);
    int bol = 1;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (bol && c[i] == ' ') {
            bol = 0;
            continue;
        }
        bol = c[i] == '\n';
        out[o++] = c[i];
    }
    while (o > 0 && isspace((unsigned char)out[o - 1]))
        o--;
    out[o] = '\0';
    return out;
}

static const char *skip_dot(const char *s)
{
    return s && s[0] == '.' ? s + 1 : (s ? s : "");
}

static int add_method(rest_routes *r, const Google__Protobuf__FileDescriptorProto *f, size_t si,
                      size_t mi, const ProtobufCServiceDescriptor *sd, char msg[REST_MSG_MAX])
{
    const Google__Protobuf__MethodDescriptorProto *m = f->service[si]->method[mi];
    const ProtobufCMessage *opts = m->options ? &m->options->base : NULL;
    Google__Api__HttpRule *rule = NULL;
    char *desc = NULL, *full = NULL, *where = NULL;
    const uint8_t *data;
    size_t len, n;
    uint64_t v;
    method_info info;
    int k, rc = -1;

    memset(&info, 0, sizeof info);
    info.no_side_effects = m->options && m->options->has_idempotency_level &&
                           m->options->idempotency_level ==
                               GOOGLE__PROTOBUF__METHOD_OPTIONS__IDEMPOTENCY_LEVEL__NO_SIDE_EFFECTS;
    n = strlen(sd->name) + strlen(m->name) + 3;
    full = malloc(n);
    where = malloc(n);
    if (!full || !where) {
        snprintf(msg, REST_MSG_MAX, "out of memory");
        goto done;
    }
    snprintf(full, n, "/%s/%s", sd->name, m->name);
    snprintf(where, n, "%s.%s", sd->name, m->name);
    k = unknown_bytes(opts, TAG_HTTP, &data, &len);
    if (k < 0) {
        snprintf(msg, REST_MSG_MAX, "%s: google.api.http is not a message", where);
        goto done;
    }
    if (k == 0) {
        rc = 0; /* not on REST */
        goto done;
    }
    for (unsigned i = 0; i < sd->n_methods && !info.md; i++)
        if (!strcmp(sd->methods[i].name, m->name))
            info.md = &sd->methods[i];
    if (!info.md) {
        snprintf(msg, REST_MSG_MAX,
                 "%s is in the descriptor set but not in the C service (stale generated code?)",
                 where);
        goto done;
    }
    if (strcmp(skip_dot(m->input_type), info.md->input->name) ||
        strcmp(skip_dot(m->output_type), info.md->output->name)) {
        snprintf(msg, REST_MSG_MAX,
                 "%s: the descriptor set and the C service disagree on its "
                 "message types (stale generated code?)",
                 where);
        goto done;
    }
    rule = google__api__http_rule__unpack(NULL, len, data);
    if (!rule) {
        snprintf(msg, REST_MSG_MAX, "%s: google.api.http does not parse", where);
        goto done;
    }
    info.sd = sd;
    info.where = where;
    info.full_method = full;
    info.client_streaming = m->has_client_streaming && m->client_streaming;
    info.server_streaming = m->has_server_streaming && m->server_streaming;
    info.success_status = 200;
    k = unknown_varint(opts, TAG_SUCCESS_STATUS, &v);
    if (k > 0) {
        int32_t st = (int32_t)(uint32_t)v;
        if (st < 200 || st > 299) {
            snprintf(msg, REST_MSG_MAX, "%s: http_success_status %d is not a 2xx status", where,
                     (int)st);
            goto done;
        }
        info.success_status = st;
    } else if (k < 0) {
        snprintf(msg, REST_MSG_MAX, "%s: http_success_status is not an int32", where);
        goto done;
    }
    k = unknown_bytes(opts, TAG_STREAM, &data, &len);
    if (k < 0 || (k > 0 && !(len == 5 && !memcmp(data, "merge", 5)) &&
                  !(len == 6 && !memcmp(data, "ndjson", 6)))) {
        snprintf(msg, REST_MSG_MAX, "%s: http_stream must be \"merge\" or \"ndjson\"", where);
        goto done;
    }
    info.stream_merge = k > 0 && len == 5;
    if (info.stream_merge && !info.server_streaming) {
        snprintf(msg, REST_MSG_MAX,
                 "%s: http_stream \"merge\" on a method that does not stream "
                 "its answer",
                 where);
        goto done;
    }
    desc = clean_comment(leading_comment(f, si, mi));
    if (!desc) {
        snprintf(msg, REST_MSG_MAX, "out of memory");
        goto done;
    }
    info.description = desc;
    if (add_binding(r, &info, rule, 0, msg))
        goto done;
    for (size_t i = 0; i < rule->n_additional_bindings; i++)
        if (add_binding(r, &info, rule->additional_bindings[i], 1, msg))
            goto done;
    rc = 0;
done:
    if (rule)
        google__api__http_rule__free_unpacked(rule, NULL);
    free(desc);
    free(full);
    free(where);
    return rc;
}

static int add_collector(rest_routes *r, const char *message, const char *field,
                         char msg[REST_MSG_MAX])
{
    collect c = {strdup(message), strdup(field)};
    if (c.message && c.field && r->n_c == r->cap_c) {
        size_t cap = r->cap_c ? 2 * r->cap_c : 8;
        collect *nc = realloc(r->c, cap * sizeof *nc);
        if (nc) {
            r->c = nc;
            r->cap_c = cap;
        }
    }
    if (!c.message || !c.field || r->n_c == r->cap_c) {
        free(c.message);
        free(c.field);
        snprintf(msg, REST_MSG_MAX, "out of memory");
        return -1;
    }
    r->c[r->n_c++] = c;
    return 0;
}

/* Records the json_collect_unknown field of every message (nested ones
 * too: the converter asks for any message it parses). */
static int index_collectors(rest_routes *r, const char *scope,
                            Google__Protobuf__DescriptorProto *const *msgs, size_t n,
                            char msg[REST_MSG_MAX])
{
    char full[NAME_MAX_LEN];
    for (size_t i = 0; i < n; i++) {
        const Google__Protobuf__DescriptorProto *d = msgs[i];
        const char *found = NULL;
        if ((size_t)snprintf(full, sizeof full, "%s%s%s", scope, scope[0] ? "." : "", d->name) >=
            sizeof full) {
            snprintf(msg, REST_MSG_MAX, "message name longer than %d: %.64s...", NAME_MAX_LEN,
                     full);
            return -1;
        }
        for (size_t j = 0; j < d->n_field; j++) {
            const Google__Protobuf__FieldDescriptorProto *fd = d->field[j];
            uint64_t v = 0;
            int k = unknown_varint(fd->options ? &fd->options->base : NULL, TAG_COLLECT, &v);
            if (k < 0) {
                snprintf(msg, REST_MSG_MAX, "%s.%s: json_collect_unknown is not a bool", full,
                         fd->name);
                return -1;
            }
            if (k == 0 || v == 0)
                continue;
            if (fd->label != GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_REPEATED ||
                fd->type != GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_MESSAGE) {
                snprintf(msg, REST_MSG_MAX,
                         "%s.%s: json_collect_unknown needs a map<string, string>", full, fd->name);
                return -1;
            }
            if (found) {
                snprintf(msg, REST_MSG_MAX, "%s: json_collect_unknown on both %s and %s", full,
                         found, fd->name);
                return -1;
            }
            found = fd->name;
        }
        if (found && add_collector(r, full, found, msg))
            return -1;
        if (index_collectors(r, full, d->nested_type, d->n_nested_type, msg))
            return -1;
    }
    return 0;
}

int rest_routes_new(rest_routes **out, const uint8_t *desc_set, size_t len,
                    const ProtobufCServiceDescriptor *const *services, size_t n_services,
                    char msg[REST_MSG_MAX])
{
    Google__Protobuf__FileDescriptorSet *set = NULL;
    rest_routes *r = NULL;
    char *seen = NULL;
    char full[NAME_MAX_LEN];
    int rc = -1;

    msg[0] = '\0';
    if (!out || (!desc_set && len) || (!services && n_services)) {
        snprintf(msg, REST_MSG_MAX, "rest_routes_new: bad arguments");
        goto done;
    }
    set = google__protobuf__file_descriptor_set__unpack(NULL, len, desc_set);
    if (!set) {
        snprintf(msg, REST_MSG_MAX, "the descriptor set (%zu bytes) is not a FileDescriptorSet",
                 len);
        goto done;
    }
    r = calloc(1, sizeof *r);
    seen = calloc(n_services ? n_services : 1, 1);
    if (!r || !seen) {
        snprintf(msg, REST_MSG_MAX, "out of memory");
        goto done;
    }
    for (size_t fi = 0; fi < set->n_file; fi++) {
        const Google__Protobuf__FileDescriptorProto *f = set->file[fi];
        const char *pkg = f->package ? f->package : "";
        if (index_collectors(r, pkg, f->message_type, f->n_message_type, msg))
            goto done;
        for (size_t si = 0; si < f->n_service; si++) {
            const Google__Protobuf__ServiceDescriptorProto *s = f->service[si];
            const ProtobufCServiceDescriptor *sd = NULL;
            snprintf(full, sizeof full, "%s%s%s", pkg, pkg[0] ? "." : "", s->name);
            for (size_t k = 0; k < n_services && !sd; k++)
                if (services[k] && !strcmp(services[k]->name, full)) {
                    sd = services[k];
                    seen[k] = 1;
                }
            if (!sd)
                continue;
            for (size_t mi = 0; mi < s->n_method; mi++)
                if (add_method(r, f, si, mi, sd, msg))
                    goto done;
        }
    }
    for (size_t k = 0; k < n_services; k++)
        if (!seen[k]) {
            snprintf(msg, REST_MSG_MAX, "service %s is not in the descriptor set",
                     services[k] ? services[k]->name : "(null)");
            goto done;
        }
    *out = r;
    r = NULL;
    rc = 0;
done:
    if (set)
        google__protobuf__file_descriptor_set__free_unpacked(set, NULL);
    rest_routes_free(r);
    free(seen);
    return rc;
}

void rest_routes_free(rest_routes *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        entry_release(&r->e[i]);
    for (size_t i = 0; i < r->n_c; i++) {
        free(r->c[i].message);
        free(r->c[i].field);
    }
    free(r->e);
    free(r->c);
    free(r);
}

size_t rest_routes_count(const rest_routes *r)
{
    return r ? r->n : 0;
}

const rest_route *rest_routes_at(const rest_routes *r, size_t i)
{
    return r && i < r->n ? &r->e[i].route : NULL;
}

const char *rest_routes_collector(const ProtobufCMessageDescriptor *d, void *routes)
{
    const rest_routes *r = routes;
    if (!d || !r)
        return NULL;
    for (size_t i = 0; i < r->n_c; i++)
        if (!strcmp(r->c[i].message, d->name))
            return r->c[i].field;
    return NULL;
}
