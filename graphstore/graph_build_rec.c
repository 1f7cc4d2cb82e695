/* graph_build_rec.c: vertices and edges with labels and properties into
 * the snapshot builder (graph_build.h, records.h): the label tables, the
 * schema (the type of every (kind, label, key), fixed by its first
 * value), the record sink, and re-adding a snapshot folder.
 *
 * Labels are u16 ids per kind, 0 being "vertex" / "edge"; the builder
 * keeps one per provisional vertex and per appended edge only once a
 * label other than 0 appears (graph_build.c), so a plain edge list costs
 * nothing here. Property values go to one column builder per key
 * (prop_column.h), keyed by provisional vertex index (the builder leaves
 * direct mode first, so the index never changes) or edge append index.
 * (edge, "edge", "weight") as a double is the builder's edge weight
 * array, the same storage a plain weighted edge uses.
 *
 * A record is checked whole before anything changes (labels may be
 * created: a label nothing uses is dropped at write). Cost per record:
 * a hash of each label and key, O(1) per property.
 */
#define _GNU_SOURCE
#include "graph_build.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fnv.h"
#include "base/utf8.h"
#include "prop_column.h"
#include "records.h"
#include "snapshot.h"
#include "store_internal.h"

static int oom(char msg[ALGO_MSG_MAX])
{
    snprintf(msg, ALGO_MSG_MAX, "out of memory");
    return -1;
}

static uint64_t hash_name(const char *s, size_t len, uint64_t seed)
{
    uint64_t h = hgc_fnv1a(HGC_FNV1A_INIT ^ seed, s, len);
    return h ^ (h >> 29);
}

/* Input quoted for a message: printable ASCII only ('?' for other
 * bytes), so messages stay valid UTF-8; long text is cut with "...". */
static const char *quote(char *buf, size_t cap, const char *s, size_t len)
{
    size_t k = 0, max = cap - 4;
    for (size_t i = 0; i < len && k < max; i++)
        buf[k++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
    if (len > max)
        memcpy(buf + k, "...", 3), k += 3;
    buf[k] = 0;
    return buf;
}

static const char *vid_text(char *buf, size_t cap, const algo_vid *v)
{
    if (!v->is_str) {
        snprintf(buf, cap, "%" PRId64, v->num);
        return buf;
    }
    char q[64];
    snprintf(buf, cap, "'%s'", quote(q, sizeof q, v->str, v->len));
    return buf;
}

int store_utf8_ok(const char *s, size_t len)
{
    return memchr(s, 0, len) == NULL && hgc_utf8_valid(s, len);
}

/* A label name or key must fit snapshot.h's 128-byte fields and
 * schema.json. */
static int check_name(const char *what, const char *s, size_t len, int allow_empty,
                      char msg[ALGO_MSG_MAX])
{
    char q[64];
    if ((len == 0 && !allow_empty) || len > STORE_NAME_MAX) {
        snprintf(msg, ALGO_MSG_MAX, "%s '%s' of %zu bytes; 1 to %u allowed", what,
                 quote(q, sizeof q, s, len), len, STORE_NAME_MAX);
        return -1;
    }
    if (!store_utf8_ok(s, len)) {
        snprintf(msg, ALGO_MSG_MAX, "%s '%s' is not UTF-8 without NUL bytes", what,
                 quote(q, sizeof q, s, len));
        return -1;
    }
    return 0;
}

/* ---- label tables ------------------------------------------------------- */

static int64_t label_find(const store_labels *t, const char *s, size_t len)
{
    if (!t->slot_cap || len > STORE_NAME_MAX)
        return -1;
    for (uint64_t i = hash_name(s, len, 0) & (t->slot_cap - 1); t->slot[i];
         i = (i + 1) & (t->slot_cap - 1)) {
        const char *name = t->names[t->slot[i] - 1];
        if (strlen(name) == len && memcmp(name, s, len) == 0)
            return t->slot[i] - 1;
    }
    return -1;
}

static int label_slot_put(uint32_t *slot, uint32_t cap, const char *name, uint32_t id)
{
    uint64_t i = hash_name(name, strlen(name), 0) & (cap - 1);
    while (slot[i])
        i = (i + 1) & (cap - 1);
    slot[i] = id + 1;
    return 0;
}

/* The id of label s (kind "vertex" or "edge"), added if new. */
static int label_intern(store_labels *t, const char *kind, const char *s, size_t len, uint16_t *id,
                        char msg[ALGO_MSG_MAX])
{
    int64_t f = label_find(t, s, len);
    if (f >= 0) {
        *id = (uint16_t)f;
        return 0;
    }
    char what[32];
    snprintf(what, sizeof what, "%s label", kind);
    if (check_name(what, s, len, 0, msg) < 0)
        return -1;
    if (t->count >= STORE_LABEL_MAX) {
        char q[64];
        snprintf(msg, ALGO_MSG_MAX, "%s label '%s': more than %u %s labels", kind,
                 quote(q, sizeof q, s, len), STORE_LABEL_MAX, kind);
        return -1;
    }
    if (t->count == t->cap) {
        uint32_t c = t->cap ? t->cap * 2 : 16;
        void *p = realloc(t->names, (size_t)c * sizeof *t->names);
        if (!p)
            return oom(msg);
        t->names = p;
        t->cap = c;
    }
    if ((t->count + 1) * 2 > t->slot_cap) {
        uint32_t c = t->slot_cap ? t->slot_cap * 2 : 32;
        uint32_t *slot = calloc(c, sizeof *slot);
        if (!slot)
            return oom(msg);
        for (uint32_t i = 0; i < t->count; i++)
            label_slot_put(slot, c, t->names[i], i);
        free(t->slot);
        t->slot = slot;
        t->slot_cap = c;
    }
    memcpy(t->names[t->count], s, len);
    t->names[t->count][len] = 0;
    label_slot_put(t->slot, t->slot_cap, t->names[t->count], t->count);
    *id = (uint16_t)t->count++;
    return 0;
}

/* ---- schema keys -------------------------------------------------------- */

static uint64_t key_hash(char kind, uint16_t label, const char *key, size_t len)
{
    return hash_name(key, len, ((uint64_t)(unsigned char)kind << 16) | label);
}

store_key *store_key_find(const struct store_props *p, char kind, uint16_t label, const char *key,
                          size_t len)
{
    if (!p->kslot_cap)
        return NULL;
    for (uint64_t i = key_hash(kind, label, key, len) & (p->kslot_cap - 1); p->kslot[i];
         i = (i + 1) & (p->kslot_cap - 1)) {
        store_key *k = &p->keys[p->kslot[i] - 1];
        if (k->kind == kind && k->label == label && k->key_len == len &&
            memcmp(k->key, key, len) == 0)
            return k;
    }
    return NULL;
}

static void key_slot_put(uint32_t *slot, uint32_t cap, const store_key *k, uint32_t idx)
{
    uint64_t i = key_hash(k->kind, k->label, k->key, k->key_len) & (cap - 1);
    while (slot[i])
        i = (i + 1) & (cap - 1);
    slot[i] = idx + 1;
}

/* (edge, "edge", "weight") as a double lives in the edge weights. */
static int is_weight_key(char kind, uint16_t label, const char *key, size_t len)
{
    return kind == 'e' && label == 0 && len == 6 && memcmp(key, "weight", 6) == 0;
}

store_key *store_key_add(algo_graph_builder *b, char kind, uint16_t label, const char *key,
                         size_t len, int type, char msg[ALGO_MSG_MAX])
{
    struct store_props *p = b->props;
    if (check_name("property key", key, len, 1, msg) < 0)
        return NULL;
    if (p->nkeys == p->kcap) {
        uint32_t c = p->kcap ? p->kcap * 2 : 16;
        void *q = realloc(p->keys, (size_t)c * sizeof *p->keys);
        if (!q) {
            oom(msg);
            return NULL;
        }
        p->keys = q;
        p->kcap = c;
    }
    if ((p->nkeys + 1) * 2 > p->kslot_cap) {
        uint32_t c = p->kslot_cap ? p->kslot_cap * 2 : 32;
        uint32_t *slot = calloc(c, sizeof *slot);
        if (!slot) {
            oom(msg);
            return NULL;
        }
        for (uint32_t i = 0; i < p->nkeys; i++)
            key_slot_put(slot, c, &p->keys[i], i);
        free(p->kslot);
        p->kslot = slot;
        p->kslot_cap = c;
    }
    store_key *k = &p->keys[p->nkeys];
    memset(k, 0, sizeof *k);
    k->kind = kind;
    k->label = label;
    k->type = type;
    k->key_len = len;
    memcpy(k->key, key, len);
    int weight = is_weight_key(kind, label, key, len);
    if (!(weight && type == ALGO_PROP_DOUBLE) &&
        algo_column_builder_new(&k->col, (algo_prop_type)type) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "out of memory (or bad type %d)", type);
        return NULL;
    }
    if (weight && type != ALGO_PROP_DOUBLE)
        b->weight_type = type; /* plain weights are refused from now on */
    key_slot_put(p->kslot, p->kslot_cap, k, p->nkeys);
    p->nkeys++;
    return k;
}

static void props_free(struct store_props *p)
{
    if (!p)
        return;
    free(p->vl.names);
    free(p->vl.slot);
    free(p->el.names);
    free(p->el.slot);
    for (uint32_t i = 0; i < p->nkeys; i++)
        algo_column_builder_free(p->keys[i].col);
    free(p->keys);
    free(p->kslot);
    free(p->sink);
    free(p);
}

struct store_props *store_props_get(algo_graph_builder *b)
{
    char msg[ALGO_MSG_MAX];
    uint16_t id;
    if (b->props)
        return b->props;
    struct store_props *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    if (label_intern(&p->vl, "vertex", "vertex", 6, &id, msg) < 0 ||
        label_intern(&p->el, "edge", "edge", 4, &id, msg) < 0) {
        props_free(p);
        return NULL;
    }
    b->props = p;
    b->props_free = props_free;
    return p;
}

/* ---- checking a record's properties ------------------------------------- */

static const char *kind_name(char kind)
{
    return kind == 'v' ? "vertex" : "edge";
}

static int type_clash(char msg[ALGO_MSG_MAX], const struct store_props *p, char kind,
                      uint16_t label, const char *key, size_t len, int have, int got)
{
    char q[64], l[64];
    const char *name = (kind == 'v' ? p->vl.names : p->el.names)[label];
    snprintf(msg, ALGO_MSG_MAX, "property '%s' of %s label '%s' is %s; got %s",
             quote(q, sizeof q, key, len), kind_name(kind), quote(l, sizeof l, name, strlen(name)),
             algo_prop_type_name((algo_prop_type)have), algo_prop_type_name((algo_prop_type)got));
    return -1;
}

/* The type a key has or will have: its schema entry, the edge weights
 * once the graph is weighted, or an earlier property of this record. */
static int known_type(const algo_graph_builder *b, char kind, uint16_t label, const algo_prop *ps,
                      size_t i)
{
    const algo_prop *pr = &ps[i];
    const store_key *k = store_key_find(b->props, kind, label, pr->key, pr->key_len);
    if (k)
        return k->type;
    if (is_weight_key(kind, label, pr->key, pr->key_len) && b->ew)
        return ALGO_PROP_DOUBLE;
    for (size_t j = 0; j < i; j++)
        if (ps[j].key_len == pr->key_len && memcmp(ps[j].key, pr->key, pr->key_len) == 0)
            return ps[j].value.type;
    return 0;
}

/* Every property of a record against the schema, before any change. */
static int check_props(const algo_graph_builder *b, char kind, uint16_t label, const algo_prop *ps,
                       size_t n, char msg[ALGO_MSG_MAX])
{
    for (size_t i = 0; i < n; i++) {
        const algo_prop *pr = &ps[i];
        int t = pr->value.type;
        if (t < ALGO_PROP_INT || t > ALGO_PROP_BOOL) {
            snprintf(msg, ALGO_MSG_MAX, "property %zu has no valid type (%d)", i, t);
            return -1;
        }
        if (check_name("property key", pr->key, pr->key_len, 1, msg) < 0)
            return -1;
        int have = known_type(b, kind, label, ps, i);
        if (have && have != t)
            return type_clash(msg, b->props, kind, label, pr->key, pr->key_len, have, t);
    }
    return 0;
}

/* Stores a checked record's properties at `index`; an edge's double
 * "weight" of label "edge" was taken by the caller (weight_at). */
static int set_props(algo_graph_builder *b, char kind, uint16_t label, const algo_prop *ps,
                     size_t n, uint64_t index, char msg[ALGO_MSG_MAX])
{
    for (size_t i = 0; i < n; i++) {
        const algo_prop *pr = &ps[i];
        store_key *k = store_key_find(b->props, kind, label, pr->key, pr->key_len);
        if (!k && !(k = store_key_add(b, kind, label, pr->key, pr->key_len, pr->value.type, msg)))
            return -1;
        if (!k->col)
            continue;
        if (algo_column_builder_set(k->col, index, &pr->value, msg) < 0)
            return -1;
    }
    return 0;
}

/* Which property of a checked edge of label "edge" is its weight, or
 * -1. (check_props refused a double where the key has another type.) */
static int weight_at(const algo_prop *ps, size_t n, uint16_t label)
{
    int last = -1;
    for (size_t i = 0; label == 0 && i < n; i++)
        if (is_weight_key('e', 0, ps[i].key, ps[i].key_len) && ps[i].value.type == ALGO_PROP_DOUBLE)
            last = (int)i; /* a repeated key: the last value wins, as in a column */
    return last;
}

/* ---- records ------------------------------------------------------------ */

static int label_of(store_labels *t, const char *kind, const algo_text *given, uint16_t def,
                    uint16_t *id, char msg[ALGO_MSG_MAX])
{
    if (!given->s || given->len == 0) {
        *id = def;
        return 0;
    }
    return label_intern(t, kind, given->s, given->len, id, msg);
}

static int label_clash(char msg[ALGO_MSG_MAX], const struct store_props *p, const algo_vid *v,
                       uint16_t have, uint16_t got, const char *who)
{
    char id[80], a[64], c[64];
    snprintf(msg, ALGO_MSG_MAX, "vertex %s has label '%s'; %s '%s'", vid_text(id, sizeof id, v),
             quote(a, sizeof a, p->vl.names[have], strlen(p->vl.names[have])), who,
             quote(c, sizeof c, p->vl.names[got], strlen(p->vl.names[got])));
    return -1;
}

int algo_graph_builder_add_vertex_rec(algo_graph_builder *b, const algo_vertex_rec *v,
                                      algo_vid *assigned, char msg[ALGO_MSG_MAX])
{
    struct store_props *p;
    uint16_t label;
    uint32_t idx;
    algo_vid id;
    int given = v->label.s && v->label.len > 0;
    if (store_builder_check_open(b, msg) < 0)
        return -1;
    if (!(p = store_props_get(b)))
        return oom(msg);
    if (label_of(&p->vl, "vertex", &v->label, 0, &label, msg) < 0)
        return -1;
    /* Labels and columns are kept by provisional index: fix them. */
    if ((label != 0 || v->n_props > 0 || !v->has_id) && store_builder_to_mapped(b, msg) < 0)
        return -1;
    if (v->has_id) {
        id = v->id;
    } else {
        id = (algo_vid){.is_str = 0};
        if (store_builder_next_id(b, &id.num, msg) < 0)
            return -1;
    }
    /* Not naming a label: the vertex keeps (and its properties are of)
     * the label it has. */
    uint32_t known = store_builder_find(b, &id);
    if (!given && known != STORE_NONE)
        label = store_vlabel(b, known);
    if (check_props(b, 'v', label, v->props, v->n_props, msg) < 0)
        return -1;
    if (known != STORE_NONE && given && store_vlabel(b, known) != label)
        return label_clash(msg, p, &id, store_vlabel(b, known), label, "got");
    if (store_builder_lookup(b, &id, &idx, msg) < 0)
        return -1;
    if (known == STORE_NONE && store_builder_set_vlabel(b, idx, label, msg) < 0)
        return -1;
    if (set_props(b, 'v', label, v->props, v->n_props, idx, msg) < 0)
        return -1;
    if (assigned)
        *assigned = id;
    return 0;
}

int algo_graph_builder_vertex_get(const algo_graph_builder *b, const algo_vid *id,
                                  const char **label, algo_vertex_prop_fn prop, void *ud)
{
    if (b->written)
        return -1;
    uint32_t idx = store_builder_find(b, id);
    if (idx == STORE_NONE)
        return -1;
    uint16_t l = store_vlabel(b, idx);
    const struct store_props *p = b->props;
    *label = p ? p->vl.names[l] : "vertex";
    for (uint32_t k = 0; p && k < p->nkeys; k++) {
        const store_key *key = &p->keys[k];
        algo_prop_value v;
        /* Vertex keys all have columns (only an edge weight has none). */
        if (key->kind != 'v' || key->label != l || !key->col)
            continue;
        if (algo_column_builder_get(key->col, idx, &v))
            prop(ud, key->key, key->key_len, &v);
    }
    return 0;
}

static int same_vid(const algo_vid *a, const algo_vid *c)
{
    if (a->is_str != c->is_str)
        return 0;
    return a->is_str ? a->len == c->len && memcmp(a->str, c->str, a->len) == 0 : a->num == c->num;
}

int algo_graph_builder_add_edge_rec(algo_graph_builder *b, const algo_edge_rec *e,
                                    char msg[ALGO_MSG_MAX])
{
    struct store_props *p;
    uint16_t label, sl, dl;
    uint32_t s, d;
    int sgiven = e->src_label.s && e->src_label.len > 0;
    int dgiven = e->dst_label.s && e->dst_label.len > 0;
    if (store_builder_check_open(b, msg) < 0)
        return -1;
    if (!(p = store_props_get(b)))
        return oom(msg);
    if (label_of(&p->el, "edge", &e->label, 0, &label, msg) < 0 ||
        label_of(&p->vl, "vertex", &e->src_label, 0, &sl, msg) < 0 ||
        label_of(&p->vl, "vertex", &e->dst_label, 0, &dl, msg) < 0 ||
        check_props(b, 'e', label, e->props, e->n_props, msg) < 0)
        return -1;
    if ((sl != 0 || dl != 0) && store_builder_to_mapped(b, msg) < 0)
        return -1;

    uint32_t ks = store_builder_find(b, &e->src), kd = store_builder_find(b, &e->dst);
    if (ks != STORE_NONE && sgiven && store_vlabel(b, ks) != sl)
        return label_clash(msg, p, &e->src, store_vlabel(b, ks), sl, "the edge names");
    if (kd != STORE_NONE && dgiven && store_vlabel(b, kd) != dl)
        return label_clash(msg, p, &e->dst, store_vlabel(b, kd), dl, "the edge names");
    if (ks == STORE_NONE && sgiven && dgiven && sl != dl && same_vid(&e->src, &e->dst))
        return label_clash(msg, p, &e->src, sl, dl, "the edge also names");

    /* A new self-loop vertex takes whichever end label the edge names. */
    int loop = same_vid(&e->src, &e->dst), direct = b->direct;
    if (store_builder_lookup(b, &e->src, &s, msg) < 0 ||
        (ks == STORE_NONE && store_builder_set_vlabel(b, s, loop && !sgiven ? dl : sl, msg) < 0))
        return -1;
    if (store_builder_lookup(b, &e->dst, &d, msg) < 0 ||
        (kd == STORE_NONE && !loop && store_builder_set_vlabel(b, d, dl, msg) < 0))
        return -1;
    /* A string dst ends direct mode, renumbering src (whose label is 0:
     * other labels left direct mode above). */
    if (direct && !b->direct && store_builder_lookup(b, &e->src, &s, msg) < 0)
        return -1;

    int w = weight_at(e->props, e->n_props, label);
    uint64_t at = b->m;
    if (store_builder_append_edge(b, s, d, w >= 0, w >= 0 ? e->props[w].value.d : 1.0, msg) < 0 ||
        store_builder_set_elabel(b, at, label, msg) < 0)
        return -1;
    return set_props(b, 'e', label, e->props, e->n_props, at, msg);
}

static int sink_vertex(void *ud, const algo_vertex_rec *v, char msg[ALGO_MSG_MAX])
{
    return algo_graph_builder_add_vertex_rec(ud, v, NULL, msg);
}

static int sink_edge(void *ud, const algo_edge_rec *e, char msg[ALGO_MSG_MAX])
{
    return algo_graph_builder_add_edge_rec(ud, e, msg);
}

const algo_record_sink *algo_graph_builder_sink(algo_graph_builder *b)
{
    struct store_props *p = store_props_get(b);
    if (!p)
        return NULL;
    if (!p->sink) {
        p->sink = malloc(sizeof *p->sink);
        if (!p->sink)
            return NULL;
        *p->sink = (algo_record_sink){.vertex = sink_vertex, .edge = sink_edge, .ud = b};
    }
    return p->sink;
}

/* ---- a previous snapshot ------------------------------------------------ */

/* The snapshot's labels of one kind as builder label ids. */
static int map_labels(store_labels *t, const char *kind, char (*names)[128], uint32_t count,
                      uint16_t *map, char msg[ALGO_MSG_MAX])
{
    for (uint32_t i = 0; i < count; i++)
        if (label_intern(t, kind, names[i], strlen(names[i]), &map[i], msg) < 0)
            return -1;
    return 0;
}

/* The snapshot's schema into ours: a key keeps its type across versions. */
static int merge_schema(algo_graph_builder *b, const algo_snapshot *s, const uint16_t *vmap,
                        const uint16_t *emap, char msg[ALGO_MSG_MAX])
{
    for (size_t i = 0; i < s->n_keys; i++) {
        const algo_schema_key *sk = &s->keys[i];
        uint16_t label = (sk->kind == 'v' ? vmap : emap)[sk->label];
        size_t len = strlen(sk->key);
        store_key *k = store_key_find(b->props, sk->kind, label, sk->key, len);
        int have = k                                                       ? k->type
                   : is_weight_key(sk->kind, label, sk->key, len) && b->ew ? ALGO_PROP_DOUBLE
                                                                           : 0;
        if (have && have != (int)sk->type)
            return type_clash(msg, b->props, sk->kind, label, sk->key, len, have, (int)sk->type);
        if (!k && !store_key_add(b, sk->kind, label, sk->key, len, (int)sk->type, msg))
            return -1;
    }
    return 0;
}

/* Feeds a key's column values at the builder's indices (map[slot], or
 * base + slot for edges). A double "weight" of label "edge" went in with
 * the edges. */
static int feed_column(algo_graph_builder *b, const algo_snapshot *s, const algo_schema_key *sk,
                       const uint16_t *vmap, const uint16_t *emap, const uint32_t *map,
                       uint64_t base, char msg[ALGO_MSG_MAX])
{
    algo_column c;
    algo_prop_value v;
    uint16_t label = (sk->kind == 'v' ? vmap : emap)[sk->label];
    store_key *k = store_key_find(b->props, sk->kind, label, sk->key, strlen(sk->key));
    int rc = 0;
    if (!k || !k->col)
        return 0;
    if (algo_snapshot_column(s, sk, &c, msg) < 0)
        return -1;
    for (uint64_t i = 0; i < c.n && rc == 0; i++) {
        if (!algo_column_has(&c, i))
            continue;
        algo_column_get(&c, i, &v);
        rc = algo_column_builder_set(k->col, map ? map[i] : base + i, &v, msg);
    }
    algo_column_unmap(&c);
    return rc;
}

/* Adds the snapshot's vertices with their labels: map[v] = builder index. */
static int add_vertices(algo_graph_builder *b, const algo_snapshot *s, const uint16_t *vmap,
                        uint32_t *map, char msg[ALGO_MSG_MAX])
{
    const algo_graph *g = &s->g;
    const algo_idmap *ids = &g->ids;
again:;
    int direct = b->direct;
    for (uint64_t v = 0; v < g->n; v++) {
        algo_vid id = {.is_str = algo_idmap_is_str(ids, v)};
        if (id.is_str) {
            id.str = ids->str + ids->str_off[v];
            id.len = ids->str_off[v + 1] - ids->str_off[v];
        } else {
            id.num = ids->num[v];
        }
        uint16_t label = vmap[s->vlabel[v]];
        uint32_t known = store_builder_find(b, &id);
        if (known != STORE_NONE && store_vlabel(b, known) != label)
            return label_clash(msg, b->props, &id, store_vlabel(b, known), label,
                               "the snapshot says");
        if (store_builder_lookup_stored(b, &id, &map[v], msg) < 0)
            return -1;
        if (direct && !b->direct)
            goto again; /* the indices so far were renumbered */
        if (known == STORE_NONE && store_builder_set_vlabel(b, map[v], label, msg) < 0)
            return -1;
    }
    return 0;
}

int algo_graph_builder_add_snapshot(algo_graph_builder *b, const algo_snapshot *s,
                                    char msg[ALGO_MSG_MAX])
{
    const algo_graph *g = &s->g;
    uint16_t *vmap = NULL, *emap = NULL;
    uint32_t *map = NULL;
    algo_column wc = {0};
    const algo_schema_key *wk = NULL;
    int rc = -1, labelled = 0;
    if (store_builder_check_open(b, msg) < 0)
        return -1;
    if (!store_props_get(b) || !(vmap = malloc((s->n_vlabels + 1) * sizeof *vmap)) ||
        !(emap = malloc((s->n_elabels + 1) * sizeof *emap)) ||
        !(map = malloc((g->n ? g->n : 1) * sizeof *map))) {
        oom(msg);
        goto out;
    }
    if (map_labels(&b->props->vl, "vertex", s->vlabel_names, s->n_vlabels, vmap, msg) < 0 ||
        map_labels(&b->props->el, "edge", s->elabel_names, s->n_elabels, emap, msg) < 0 ||
        merge_schema(b, s, vmap, emap, msg) < 0)
        goto out;
    for (uint32_t i = 0; i < s->n_vlabels; i++)
        labelled |= vmap[i] != 0;
    for (size_t i = 0; i < s->n_keys; i++)
        labelled |= s->keys[i].kind == 'v';
    if (labelled && store_builder_to_mapped(b, msg) < 0)
        goto out;
    if (add_vertices(b, s, vmap, map, msg) < 0)
        goto out;

    /* The edge weights as a property, if the snapshot has them. */
    for (uint32_t i = 0; i < s->n_elabels && !wk; i++)
        if (emap[i] == 0 && (wk = algo_snapshot_key(s, 'e', s->elabel_names[i], "weight")) &&
            wk->type != ALGO_PROP_DOUBLE)
            wk = NULL;
    if (wk && algo_snapshot_column(s, wk, &wc, msg) < 0)
        goto out;
    uint64_t base = b->m;
    for (uint64_t v = 0; v < g->n; v++)
        for (uint64_t i = g->out_off[v]; i < g->out_off[v + 1]; i++) {
            uint16_t label = emap[s->elabel[i]];
            int has_w = wk && label == 0 && algo_column_has(&wc, i);
            if (store_builder_append_edge(b, map[v], map[g->out_dst[i]], has_w,
                                          has_w ? algo_column_double(&wc, i) : 1.0, msg) < 0 ||
                store_builder_set_elabel(b, base + i, label, msg) < 0)
                goto out;
        }
    for (size_t i = 0; i < s->n_keys; i++) {
        const algo_schema_key *sk = &s->keys[i];
        if (feed_column(b, s, sk, vmap, emap, sk->kind == 'v' ? map : NULL, base, msg) < 0)
            goto out;
    }
    rc = 0;
out:
    if (wk)
        algo_column_unmap(&wc);
    free(vmap);
    free(emap);
    free(map);
    return rc;
}
