/* json_pb.c: JSON -> message by the parsing rules of json_pb.h, and
 * rest_pb_set_text for path variables and query parameters. Lenient
 * where HugeGraph callers are (numbers as strings, a single value for a
 * list, unknown keys into the collector map), exact about ranges, and
 * every refusal names the field by its path ("edges[3].src").
 * Memory follows protobuf-c's free_unpacked: every string, array and
 * sub-message is malloc'd, and the message is consistent after each
 * step, so a half-filled message still frees cleanly.
 * Cost: O(size of the JSON); a field by name is protobuf-c's binary
 * search; a map is deduplicated (last key wins) by one sort, only when
 * it can hold duplicates.
 */
#include "json_pb.h"
#include "json_pb_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* JSON nesting a body may have; jansson allows 2048, the stack here
 * needs no more than this for any real request. */
#define MAX_DEPTH 64

typedef rest_jp_ctx ctx;
typedef rest_jp_scalar scalar;

static int set_field(ctx *c, ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
                     const json_t *v);
static int message_from_json(ctx *c, ProtobufCMessage *m, const json_t *v);

static int unknown(ctx *c, const ProtobufCMessageDescriptor *d)
{
    char names[REST_MSG_MAX];
    size_t o = 0;
    names[0] = '\0';
    for (unsigned i = 0; i < d->n_fields; i++) {
        size_t l = strlen(d->fields[i].name);
        if (o + l + 6 >= sizeof names) {
            snprintf(names + o, sizeof names - o, "%s...", o ? ", " : "");
            break;
        }
        o +=
            (size_t)snprintf(names + o, sizeof names - o, "%s%s", o ? ", " : "", d->fields[i].name);
    }
    return rest_jp_fail(c, "unknown field '%s'; %s has: %s", c->path, d->short_name, names);
}

/* ---- the path of the value at hand ---- */

static size_t path_push(ctx *c, const char *name, size_t idx)
{
    size_t old = c->plen;
    size_t room = sizeof c->path - old;
    int n;
    if (name)
        n = snprintf(c->path + old, room, old ? ".%s" : "%s", name);
    else
        n = snprintf(c->path + old, room, "[%zu]", idx);
    c->plen = n < 0 ? old : (size_t)n >= room ? sizeof c->path - 1 : old + (size_t)n;
    return old;
}

static void path_pop(ctx *c, size_t old)
{
    c->plen = old;
    c->path[old] = '\0';
}

/* ---- singular fields and oneofs ---- */

/* Frees what a singular slot owns, by protobuf-c's free_unpacked rule
 * (a string equal to the field's default is static), and zeroes it. */
static void slot_clear(const ProtobufCFieldDescriptor *f, void *slot)
{
    if (f->type == PROTOBUF_C_TYPE_STRING) {
        char *s = *(char **)slot;
        if (s && s != (const char *)f->default_value)
            free(s);
    } else if (f->type == PROTOBUF_C_TYPE_BYTES) {
        ProtobufCBinaryData *b = slot;
        const ProtobufCBinaryData *def = f->default_value;
        if (b->data && (!def || def->data != b->data))
            free(b->data);
    } else if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
        ProtobufCMessage *sub = *(ProtobufCMessage **)slot;
        if (sub && (const void *)sub != f->default_value)
            protobuf_c_message_free_unpacked(sub, NULL);
    }
    memset(slot, 0, rest_jp_elem_size(f->type));
}

/* The slot of singular field f, made f's own: if another member of f's
 * oneof is set, it is freed and the case cleared first. */
static void *own_slot(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    void *slot = rest_jp_member(m, f);
    if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
        uint32_t *which = rest_jp_quant(m, f);
        if (*which != f->id) {
            const ProtobufCFieldDescriptor *g =
                *which ? protobuf_c_message_descriptor_get_field(m->descriptor, *which) : NULL;
            if (g)
                slot_clear(g, rest_jp_member(m, g));
            *which = 0;
            memset(slot, 0, rest_jp_elem_size(f->type));
        }
    }
    return slot;
}

static void mark_set(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
        *(uint32_t *)rest_jp_quant(m, f) = f->id;
    else if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->type != PROTOBUF_C_TYPE_STRING &&
             f->type != PROTOBUF_C_TYPE_MESSAGE)
        *(protobuf_c_boolean *)rest_jp_quant(m, f) = 1;
}

static int set_singular(ctx *c, ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
                        const json_t *v)
{
    if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
        ProtobufCMessage **sub = own_slot(m, f);
        if (!*sub && !(*sub = rest_pb_new(f->descriptor)))
            return rest_jp_oom(c);
        mark_set(m, f);
        return message_from_json(c, *sub, v); /* merges into a set one */
    }
    scalar s;
    if (rest_jp_scalar_parse(c, f, v, &s))
        return -1;
    void *slot = own_slot(m, f);
    slot_clear(f, slot);
    rest_jp_scalar_put(f, slot, &s);
    mark_set(m, f);
    return 0;
}

/* ---- repeated fields and maps ---- */

/* Room for k more elements. Exactly n + k: an unpacked message's array
 * has no spare capacity to know about, so one realloc per batch. */
static int reserve(ctx *c, ProtobufCMessage *m, const ProtobufCFieldDescriptor *f, size_t k)
{
    size_t n = *(size_t *)rest_jp_quant(m, f);
    size_t es = rest_jp_elem_size(f->type);
    void **arr = rest_jp_member(m, f);
    if (k == 0)
        return 0;
    if (n + k < n || n + k > SIZE_MAX / es)
        return rest_jp_oom(c);
    void *p = realloc(*arr, (n + k) * es);
    if (!p)
        return rest_jp_oom(c);
    *arr = p;
    return 0;
}

/* Appends one element (room reserved). */
static int append_one(ctx *c, ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
                      const json_t *v)
{
    size_t *n = rest_jp_quant(m, f);
    char *arr = *(char **)rest_jp_member(m, f);
    size_t es = rest_jp_elem_size(f->type);
    if (json_is_null(v))
        return rest_jp_must_field(c, f, v);
    if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
        ProtobufCMessage *sub = rest_pb_new(f->descriptor);
        if (!sub)
            return rest_jp_oom(c);
        if (message_from_json(c, sub, v)) {
            protobuf_c_message_free_unpacked(sub, NULL);
            return -1;
        }
        ((ProtobufCMessage **)arr)[(*n)++] = sub;
        return 0;
    }
    scalar s;
    if (rest_jp_scalar_parse(c, f, v, &s))
        return -1;
    rest_jp_scalar_put(f, arr + *n * es, &s);
    (*n)++;
    return 0;
}

static int append_values(ctx *c, ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
                         const json_t *v)
{
    if (!json_is_array(v))
        return reserve(c, m, f, 1) ? -1 : append_one(c, m, f, v);
    size_t k = json_array_size(v);
    if (reserve(c, m, f, k))
        return -1;
    for (size_t i = 0; i < k; i++) {
        size_t old = path_push(c, NULL, i);
        int rc = append_one(c, m, f, json_array_get(v, i));
        path_pop(c, old);
        if (rc)
            return -1;
    }
    return 0;
}

typedef struct keyed {
    const char *s; /* string keys */
    uint64_t bits; /* other keys, made comparable */
    size_t i;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int r = x->s ? strcmp(x->s, y->s) : (x->bits > y->bits) - (x->bits < y->bits);
    return r ? r : (x->i > y->i) - (x->i < y->i);
}

/* Keeps the last entry of each key, in the entries' order, as protobuf
 * does when it reads a map. */
static int map_dedupe(ctx *c, ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
                      const ProtobufCMessageDescriptor *e)
{
    size_t *n = rest_jp_quant(m, f);
    ProtobufCMessage **arr = *(ProtobufCMessage ***)rest_jp_member(m, f);
    const ProtobufCFieldDescriptor *kf = &e->fields[0];
    keyed *ks = malloc(*n * sizeof *ks);
    if (!ks)
        return rest_jp_oom(c);
    for (size_t i = 0; i < *n; i++) {
        const void *k = rest_jp_member(arr[i], kf);
        ks[i].i = i;
        ks[i].s = NULL;
        ks[i].bits = 0;
        if (kf->type == PROTOBUF_C_TYPE_STRING)
            ks[i].s = *(char *const *)k ? *(char *const *)k : "";
        else if (rest_jp_elem_size(kf->type) == 8)
            ks[i].bits = *(const uint64_t *)k;
        else
            ks[i].bits = *(const uint32_t *)k;
    }
    qsort(ks, *n, sizeof *ks, keyed_cmp);
    for (size_t i = 0; i + 1 < *n; i++) {
        int same = ks[i].s ? strcmp(ks[i].s, ks[i + 1].s) == 0 : ks[i].bits == ks[i + 1].bits;
        if (same) {
            protobuf_c_message_free_unpacked(arr[ks[i].i], NULL);
            arr[ks[i].i] = NULL;
        }
    }
    free(ks);
    size_t o = 0;
    for (size_t i = 0; i < *n; i++)
        if (arr[i])
            arr[o++] = arr[i];
    *n = o;
    return 0;
}

/* A new entry of map e with key text `key`, value from v. */
static int map_entry_new(ctx *c, const ProtobufCMessageDescriptor *e, const char *key, size_t klen,
                         const json_t *v, ProtobufCMessage **out)
{
    ProtobufCMessage *en = NULL;
    json_t *kj = NULL;
    int rc = -1;
    if (strlen(key) != klen) {
        rc = rest_jp_fail(c, "field '%s' has a key with a NUL character", c->path);
        goto done;
    }
    en = rest_pb_new(e);
    kj = json_stringn_nocheck(key, klen);
    if (!en || !kj) {
        rc = rest_jp_oom(c);
        goto done;
    }
    /* The key's own text goes through the same checks as a value: a
     * map<int64, ...> refuses the key "abc". */
    if (set_singular(c, en, &e->fields[0], kj))
        goto done;
    /* A map<string,string> value (an algorithm option) takes numbers and
     * booleans as their text: "bsp.max_super_step": 20. */
    int text_any = c->text_any;
    c->text_any = e->fields[1].type == PROTOBUF_C_TYPE_STRING;
    int vrc = set_field(c, en, &e->fields[1], v);
    c->text_any = text_any;
    if (vrc)
        goto done;
    *out = en;
    en = NULL;
    rc = 0;
done:
    json_decref(kj);
    if (en)
        protobuf_c_message_free_unpacked(en, NULL);
    return rc;
}

static int map_from_json(ctx *c, ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
                         const ProtobufCMessageDescriptor *e, const json_t *v)
{
    const char *key;
    size_t klen;
    json_t *val;
    size_t *n = rest_jp_quant(m, f);
    size_t n0 = *n;
    if (!json_is_object(v))
        return rest_jp_must(c, "an object", v);
    if (reserve(c, m, f, json_object_size(v)))
        return -1;
    json_object_keylen_foreach((json_t *)v, key, klen, val)
    {
        ProtobufCMessage *en;
        /* null in a map of scalars (options) leaves the key out; a map of
         * messages (properties) has no "no value" to store, and dropping
         * the key would store less than was sent. */
        if (json_is_null(val) && e->fields[1].type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        size_t old = path_push(c, key, 0);
        if (json_is_null(val)) {
            rest_jp_fail(c, "field '%s' is null; give it a value or leave the key out", c->path);
            path_pop(c, old);
            return -1;
        }
        int rc = map_entry_new(c, e, key, klen, val, &en);
        path_pop(c, old);
        if (rc)
            return -1;
        (*(ProtobufCMessage ***)rest_jp_member(m, f))[(*n)++] = en;
    }
    /* A JSON object's keys are unique, but not once entries were already
     * there or keys are numbers ("7" and "07"). */
    if (*n > 1 && (n0 > 0 || e->fields[0].type != PROTOBUF_C_TYPE_STRING))
        return map_dedupe(c, m, f, e);
    return 0;
}

/* ---- messages ---- */

static int set_field(ctx *c, ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
                     const json_t *v)
{
    if (json_is_null(v))
        return 0;
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
        const ProtobufCMessageDescriptor *e = rest_jp_map_entry(m->descriptor, f);
        return e ? map_from_json(c, m, f, e, v) : append_values(c, m, f, v);
    }
    return set_singular(c, m, f, v);
}

static int names_fields(const ProtobufCMessageDescriptor *d, const json_t *obj);

/* Does v have the JSON kind that member f holds natively? */
static int exact_fit(const ProtobufCFieldDescriptor *f, const json_t *v)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_DOUBLE: return json_is_real(v);
    case PROTOBUF_C_TYPE_BOOL: return json_is_boolean(v);
    case PROTOBUF_C_TYPE_STRING: return json_is_string(v);
    case PROTOBUF_C_TYPE_ENUM:
    case PROTOBUF_C_TYPE_BYTES: return 0;
    case PROTOBUF_C_TYPE_MESSAGE: {
        const ProtobufCMessageDescriptor *d = f->descriptor;
        int shape = rest_jp_shape(d);
        /* An object fits a bare-valued member (Value's list) only in its
         * object form: {"y": 1} is no ValueList, and taking it for one
         * would recurse until the depth limit instead of saying so. A
         * bare map (Value's map) takes any object. */
        if (json_is_object(v))
            return shape == REST_JP_OBJECT || names_fields(d, v) ||
                   (shape == REST_JP_SINGLE && rest_jp_map_entry(d, &d->fields[0]));
        return json_is_array(v) && shape == REST_JP_SINGLE &&
               d->fields[0].label == PROTOBUF_C_LABEL_REPEATED;
    }
    default: return json_is_integer(v);
    }
}

/* Which member of union d takes v: the first of the native kind (7 ->
 * an integer member, 0.25 -> a floating one, "x" -> a string one), else
 * the first that accepts it leniently. Text from a path or query has
 * no kind: numbers are tried before strings. */
static const ProtobufCFieldDescriptor *union_pick(ctx *c, const ProtobufCMessageDescriptor *d,
                                                  const json_t *v)
{
    unsigned i;
    if (!c->from_text) {
        for (i = 0; i < d->n_fields; i++)
            if (exact_fit(&d->fields[i], v))
                return &d->fields[i];
    }
    int quiet = c->quiet;
    c->quiet = 1;
    const ProtobufCFieldDescriptor *pick = NULL;
    for (int pass = 0; pass < 2 && !pick; pass++) {
        for (i = 0; i < d->n_fields && !pick; i++) {
            const ProtobufCFieldDescriptor *f = &d->fields[i];
            int textual = f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_BYTES;
            scalar s;
            if (f->type == PROTOBUF_C_TYPE_MESSAGE || (c->from_text && textual != pass) ||
                (!c->from_text && pass == 1))
                continue;
            if (rest_jp_scalar_parse(c, f, v, &s) == 0) {
                rest_jp_scalar_release(f, &s);
                pick = f;
            }
        }
    }
    c->quiet = quiet;
    return pick;
}

/* Are all of obj's keys fields of d? Then it is the object form of a
 * one-field or union message, not its bare value. */
static int names_fields(const ProtobufCMessageDescriptor *d, const json_t *obj)
{
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)obj, key, val)
    {
        (void)val;
        if (!protobuf_c_message_descriptor_get_field_by_name(d, key))
            return 0;
    }
    return 1;
}

static const ProtobufCFieldDescriptor *collector_field(ctx *c, const ProtobufCMessageDescriptor *d)
{
    if (!c->rules || !c->rules->collector)
        return NULL;
    /* A list of rows asks for the same type over and over. */
    if (c->collector_of == d)
        return c->collector;
    const char *name = c->rules->collector(d, c->rules->ud);
    const ProtobufCFieldDescriptor *f =
        name ? protobuf_c_message_descriptor_get_field_by_name(d, name) : NULL;
    const ProtobufCMessageDescriptor *e = f ? rest_jp_map_entry(d, f) : NULL;
    /* Only a map with string keys can hold arbitrary names. */
    c->collector_of = d;
    c->collector = e && e->fields[0].type == PROTOBUF_C_TYPE_STRING ? f : NULL;
    return c->collector;
}

/* Entries for unknown keys, held until the object is done so the map
 * grows by one realloc, not one per key. */
typedef struct pending {
    ProtobufCMessage **items;
    size_t n, cap;
} pending;

static int pending_flush(ctx *c, ProtobufCMessage *m, const ProtobufCFieldDescriptor *cf,
                         pending *p)
{
    if (!p->n)
        return 0;
    size_t *n = rest_jp_quant(m, cf);
    size_t n0 = *n;
    if (reserve(c, m, cf, p->n))
        return -1;
    memcpy(*(ProtobufCMessage ***)rest_jp_member(m, cf) + n0, p->items, p->n * sizeof *p->items);
    *n += p->n;
    p->n = 0;
    return n0 ? map_dedupe(c, m, cf, cf->descriptor) : 0;
}

static int collect(ctx *c, const ProtobufCFieldDescriptor *cf, const char *key, size_t klen,
                   const json_t *v, pending *p)
{
    ProtobufCMessage *en;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 8;
        ProtobufCMessage **items = realloc(p->items, cap * sizeof *items);
        if (!items)
            return rest_jp_oom(c);
        p->items = items;
        p->cap = cap;
    }
    if (map_entry_new(c, cf->descriptor, key, klen, v, &en))
        return -1;
    p->items[p->n++] = en;
    return 0;
}

static int merge_object(ctx *c, ProtobufCMessage *m, const json_t *obj)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    const ProtobufCFieldDescriptor *cf = collector_field(c, d);
    pending p = {NULL, 0, 0};
    const char *key;
    size_t klen;
    json_t *val;
    int rc = 0;
    json_object_keylen_foreach((json_t *)obj, key, klen, val)
    {
        const ProtobufCFieldDescriptor *f =
            strlen(key) == klen ? protobuf_c_message_descriptor_get_field_by_name(d, key) : NULL;
        size_t old = path_push(c, key, 0);
        if (f && f == cf)
            rc = pending_flush(c, m, cf, &p); /* keep the body's order */
        if (rc == 0 && f)
            rc = set_field(c, m, f, val);
        else if (rc == 0 && cf && !json_is_null(val))
            rc = collect(c, cf, key, klen, val, &p);
        else if (rc == 0 && !cf)
            rc = unknown(c, d);
        path_pop(c, old);
        if (rc)
            goto done;
    }
    rc = cf ? pending_flush(c, m, cf, &p) : 0;
done:
    for (size_t i = 0; i < p.n; i++)
        protobuf_c_message_free_unpacked(p.items[i], NULL);
    free(p.items);
    return rc;
}

static int message_from_json(ctx *c, ProtobufCMessage *m, const json_t *v)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    int shape = rest_jp_shape(d);
    int rc;
    if (c->depth >= MAX_DEPTH)
        return rest_jp_fail(c, "field '%s' is nested more than %d deep", c->path, MAX_DEPTH);
    c->depth++;
    if (shape != REST_JP_OBJECT && !(json_is_object(v) && names_fields(d, v))) {
        if (shape == REST_JP_SINGLE) {
            rc = set_field(c, m, &d->fields[0], v);
        } else {
            const ProtobufCFieldDescriptor *f = union_pick(c, d, v);
            if (f) {
                rc = set_field(c, m, f, v);
            } else {
                ProtobufCFieldDescriptor self = {0};
                self.type = PROTOBUF_C_TYPE_MESSAGE;
                self.descriptor = d;
                rc = rest_jp_must_field(c, &self, v);
            }
        }
    } else if (!json_is_object(v)) {
        rc = rest_jp_must(c, "an object", v);
    } else {
        rc = merge_object(c, m, v);
    }
    c->depth--;
    return rc;
}

/* ---- the interface ---- */

ProtobufCMessage *rest_pb_new(const ProtobufCMessageDescriptor *d)
{
    ProtobufCMessage *m = malloc(d->sizeof_message);
    if (m)
        protobuf_c_message_init(d, m);
    return m;
}

int rest_json_to_pb(ProtobufCMessage *m, const json_t *obj, const rest_json_rules *rules,
                    char err[REST_MSG_MAX])
{
    char scratch[REST_MSG_MAX];
    ctx c = {.rules = rules, .err = err ? err : scratch};
    if (!json_is_object(obj)) {
        char buf[96];
        rest_jp_fail(&c, "the body must be a JSON object, got %s",
                     obj ? rest_jp_got_text(obj, buf) : "nothing");
        return -1;
    }
    return merge_object(&c, m, obj) ? -1 : 0;
}

int rest_pb_set_text(ProtobufCMessage *m, const char *field, const char *text,
                     char err[REST_MSG_MAX])
{
    char scratch[REST_MSG_MAX];
    ctx c = {.err = err ? err : scratch, .from_text = 1};
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field_by_name(m->descriptor, field);
    json_t *v = NULL;
    int rc = -1;
    if (f && !text) {
        rest_jp_fail(&c, "field '%s' has no value", field);
        return -1;
    }
    if (!f) {
        rest_jp_fail(&c, "unknown field '%s'", field);
        return -2;
    }
    path_push(&c, field, 0);
    size_t n = strlen(text);
    if (!hgc_utf8_valid(text, n)) {
        rest_jp_fail(&c, "field '%s' must be UTF-8 text", field);
        goto done;
    }
    if (f->label == PROTOBUF_C_LABEL_REPEATED && rest_jp_map_entry(m->descriptor, f)) {
        rest_jp_fail(&c, "field '%s' is a map: set it in the body", field);
        goto done;
    }
    if (!(v = json_stringn_nocheck(text, n))) {
        rest_jp_oom(&c);
        goto done;
    }
    rc = set_field(&c, m, f, v) ? -1 : 0;
done:
    json_decref(v);
    return rc;
}
