/* delta_record.c: see delta_record.h. One writer serves both passes of
 * an encoding: with no buffer it only counts (the sizing pass). The
 * decoder reads with bounds checks; any overrun or out-of-range flag marks
 * the record corrupt and yields zeros from there on.
 */
#include "delta_record.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROP_MIN 6 /* key len (4), type (1), smallest value (1) */

/* ---- encoding ---- */

/* Writes at p + n, or only counts when p is NULL (the sizing pass). */
typedef struct enc {
    uint8_t *p;
    size_t n;
} enc;

static void put(enc *e, const void *s, size_t len)
{
    if (e->p && len > 0)
        memcpy(e->p + e->n, s, len);
    e->n += len;
}

static void put_u8(enc *e, uint8_t v)
{
    put(e, &v, 1);
}

static void put_u32(enc *e, uint32_t v)
{
    put(e, &v, 4);
}

static void put_i64(enc *e, int64_t v)
{
    put(e, &v, 8);
}

/* The log checks a record's size against its limit (under 4 GiB) in the
 * sizing pass before any writing pass, so the u32 casts below never
 * truncate there. */
static void put_bytes(enc *e, const char *s, size_t len)
{
    put_u32(e, (uint32_t)len);
    put(e, s, len);
}

static void put_text(enc *e, algo_text t)
{
    put_bytes(e, t.s, t.s ? t.len : 0);
}

static void put_vid(enc *e, const algo_vid *v)
{
    put_u8(e, v->is_str ? 1 : 0);
    if (v->is_str)
        put_bytes(e, v->str, v->len);
    else
        put_i64(e, v->num);
}

static void put_props(enc *e, const algo_prop *p, size_t n)
{
    put_u32(e, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        put_bytes(e, p[i].key, p[i].key_len);
        put_u8(e, (uint8_t)p[i].value.type);
        switch (p[i].value.type) {
        case ALGO_PROP_INT: put_i64(e, p[i].value.i); break;
        case ALGO_PROP_DOUBLE: put(e, &p[i].value.d, 8); break;
        case ALGO_PROP_STRING: put_bytes(e, p[i].value.s, p[i].value.len); break;
        case ALGO_PROP_BOOL: put_u8(e, p[i].value.i ? 1 : 0); break;
        }
    }
}

static void put_vertex(enc *e, const algo_vertex_rec *v)
{
    put_u8(e, v->has_id ? 1 : 0);
    if (v->has_id)
        put_vid(e, &v->id);
    put_text(e, v->label);
    put_props(e, v->props, v->n_props);
}

static void put_edge(enc *e, const algo_edge_rec *r)
{
    put_vid(e, &r->src);
    put_vid(e, &r->dst);
    put_text(e, r->label);
    put_text(e, r->src_label);
    put_text(e, r->dst_label);
    put_props(e, r->props, r->n_props);
}

/* What the encoding can't say: an empty string id (the decoder refuses
 * it), a property type outside algo_prop_type, a length without bytes. */
static int check_vid(const algo_vid *v, const char *what, char msg[SVC_MSG_MAX])
{
    if (v->is_str && (v->len == 0 || !v->str)) {
        snprintf(msg, SVC_MSG_MAX, "the %s id is an empty string", what);
        return -EINVAL;
    }
    return 0;
}

static int check_props(const algo_prop *p, size_t n, char msg[SVC_MSG_MAX])
{
    for (size_t i = 0; i < n; i++) {
        algo_prop_type t = p[i].value.type;
        if (t != ALGO_PROP_INT && t != ALGO_PROP_DOUBLE && t != ALGO_PROP_STRING &&
            t != ALGO_PROP_BOOL) {
            snprintf(msg, SVC_MSG_MAX, "property %zu has the unknown type %d", i + 1, (int)t);
            return -EINVAL;
        }
        if ((p[i].key_len > 0 && !p[i].key) ||
            (t == ALGO_PROP_STRING && p[i].value.len > 0 && !p[i].value.s)) {
            snprintf(msg, SVC_MSG_MAX, "property %zu has a length but no bytes", i + 1);
            return -EINVAL;
        }
    }
    return 0;
}

int svc_record_check(uint8_t kind, const void *rec, char msg[SVC_MSG_MAX])
{
    int rc = 0;
    if (kind == SVC_RECORD_VERTEX) {
        const algo_vertex_rec *v = rec;
        if (v->has_id)
            rc = check_vid(&v->id, "vertex", msg);
        return rc < 0 ? rc : check_props(v->props, v->n_props, msg);
    }
    const algo_edge_rec *e = rec;
    rc = check_vid(&e->src, "source", msg);
    if (rc == 0)
        rc = check_vid(&e->dst, "target", msg);
    return rc < 0 ? rc : check_props(e->props, e->n_props, msg);
}

size_t svc_record_encode(uint8_t *p, uint8_t kind, const void *rec)
{
    enc e = {p, 0};
    if (kind == SVC_RECORD_VERTEX)
        put_vertex(&e, rec);
    else
        put_edge(&e, rec);
    return e.n;
}

/* ---- decoding ---- */

/* Reads one frame's payload; any overrun sets bad and yields zeros. */
typedef struct dec {
    const uint8_t *p;
    size_t n, off;
    int bad;
} dec;

static const uint8_t *take(dec *r, size_t len)
{
    if (r->bad || r->n - r->off < len) {
        r->bad = 1;
        return NULL;
    }
    const uint8_t *s = r->p + r->off;
    r->off += len;
    return s;
}

static uint8_t get_u8(dec *r)
{
    const uint8_t *s = take(r, 1);
    return s ? *s : 0;
}

static uint32_t get_u32(dec *r)
{
    const uint8_t *s = take(r, 4);
    uint32_t v = 0;
    if (s)
        memcpy(&v, s, 4);
    return v;
}

static int64_t get_i64(dec *r)
{
    int64_t v = 0;
    const uint8_t *s = take(r, 8);
    if (s)
        memcpy(&v, s, 8);
    return v;
}

static const char *get_bytes(dec *r, size_t *len)
{
    *len = get_u32(r);
    const char *s = (const char *)take(r, *len);
    if (!s)
        *len = 0;
    return s;
}

static uint8_t get_flag(dec *r)
{
    uint8_t v = get_u8(r);
    if (v > 1)
        r->bad = 1;
    return v;
}

static algo_text get_text(dec *r)
{
    algo_text t;
    t.s = get_bytes(r, &t.len);
    if (t.len == 0)
        t.s = NULL;
    return t;
}

static void get_vid(dec *r, algo_vid *v)
{
    memset(v, 0, sizeof *v);
    v->is_str = get_flag(r);
    if (v->is_str) {
        v->str = get_bytes(r, &v->len);
        if (v->len == 0)
            r->bad = 1;
    } else {
        v->num = get_i64(r);
    }
}

static int get_props(dec *r, svc_record_scratch *c, const algo_prop **out, size_t *n)
{
    *out = NULL;
    *n = get_u32(r);
    if (r->bad || *n > (r->n - r->off) / PROP_MIN) {
        r->bad = 1;
        return 0;
    }
    if (*n > c->cap) {
        algo_prop *np = realloc(c->props, *n * sizeof *np);
        if (!np)
            return -ENOMEM;
        c->props = np;
        c->cap = *n;
    }
    for (size_t i = 0; i < *n && !r->bad; i++) {
        algo_prop *p = &c->props[i];
        memset(p, 0, sizeof *p);
        p->key = get_bytes(r, &p->key_len);
        p->value.type = (algo_prop_type)get_u8(r);
        switch (p->value.type) {
        case ALGO_PROP_INT: p->value.i = get_i64(r); break;
        case ALGO_PROP_DOUBLE: {
            int64_t bits = get_i64(r);
            memcpy(&p->value.d, &bits, 8);
            break;
        }
        case ALGO_PROP_STRING: p->value.s = get_bytes(r, &p->value.len); break;
        case ALGO_PROP_BOOL: p->value.i = get_flag(r); break;
        default: r->bad = 1;
        }
    }
    if (*n > 0)
        *out = c->props;
    return 0;
}

void svc_record_scratch_free(svc_record_scratch *s)
{
    free(s->props);
    s->props = NULL;
    s->cap = 0;
}

int svc_record_decode(uint8_t kind, const uint8_t *p, size_t len, svc_record_scratch *s,
                      const algo_record_sink *sink, char m[ALGO_MSG_MAX])
{
    dec r = {p, len, 0, 0};
    int rc;
    m[0] = '\0';
    if (kind == SVC_RECORD_VERTEX) {
        algo_vertex_rec v;
        memset(&v, 0, sizeof v);
        v.has_id = get_flag(&r);
        if (v.has_id)
            get_vid(&r, &v.id);
        v.label = get_text(&r);
        rc = get_props(&r, s, &v.props, &v.n_props);
        if (rc == 0 && !r.bad && r.off == r.n)
            rc = sink->vertex(sink->ud, &v, m);
    } else {
        algo_edge_rec e;
        memset(&e, 0, sizeof e);
        get_vid(&r, &e.src);
        get_vid(&r, &e.dst);
        e.label = get_text(&r);
        e.src_label = get_text(&r);
        e.dst_label = get_text(&r);
        rc = get_props(&r, s, &e.props, &e.n_props);
        if (rc == 0 && !r.bad && r.off == r.n)
            rc = sink->edge(sink->ud, &e, m);
    }
    if (rc < 0)
        return rc;
    return r.bad || r.off != r.n ? SVC_RECORD_CORRUPT : 0;
}
