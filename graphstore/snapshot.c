/* snapshot.c: opens a snapshot folder (snapshot.h): maps graph.hgcg
 * (graph_file.c checks it) and labels.bin, reads schema.json, and checks
 * that they agree, so a damaged folder is an error and never a bad read:
 * every label id below its kind's label count, every in_to_out entry
 * below m, the label names and counts of schema.json those of labels.bin
 * (counts summing to n and m), every key's label known and its column
 * file a name the writer makes ("v.<k>.col"), never a path, or the key
 * the weights of graph.hgcg ("in": "graph", snapshot.h) only where the
 * writer puts them there.
 *
 * Cost: O(n + m) to check the labels (one sequential pass, as
 * graph_file.c's own check) plus parsing schema.json (at most 64 MiB);
 * columns are mapped on demand.
 */
#define _GNU_SOURCE
#include "snapshot.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "base/fnv.h"
#include "store_internal.h"

#define SCHEMA_MAX ((off_t)64 << 20)

static const char *const section_names[LS_COUNT] = {
    "vertex labels", "edge labels", "in_to_out", "vertex label names", "edge label names",
};

uint64_t store_labels_check(const store_labels_header *h)
{
    store_labels_header t = *h;
    t.check = 0;
    return hgc_fnv1a(HGC_FNV1A_INIT, &t, sizeof t);
}

static int file_path(char out[4096], const char *dir, const char *name, char msg[ALGO_MSG_MAX])
{
    if ((size_t)snprintf(out, 4096, "%s/%s", dir, name) >= 4096) {
        snprintf(msg, ALGO_MSG_MAX, "path too long: %.200s", dir);
        return -1;
    }
    return 0;
}

/* `count` names, each 1..127 bytes and NUL-terminated, filling the
 * section exactly. */
static int read_names(const char *sec, uint64_t len, uint32_t count, char (**out)[128],
                      char msg[ALGO_MSG_MAX])
{
    char(*names)[128] = calloc(count + 1, sizeof *names);
    uint64_t at = 0;
    if (!names) {
        snprintf(msg, ALGO_MSG_MAX, "out of memory");
        return -1;
    }
    for (uint32_t i = 0; i < count; i++) {
        const char *end = memchr(sec + at, 0, len - at);
        size_t l = end ? (size_t)(end - (sec + at)) : 0;
        if (!end || l == 0 || l > STORE_NAME_MAX || !store_utf8_ok(sec + at, l)) {
            snprintf(msg, ALGO_MSG_MAX, "corrupt file: label name %u", i);
            free(names);
            return -1;
        }
        memcpy(names[i], sec + at, l);
        at += l + 1;
    }
    if (at != len) {
        snprintf(msg, ALGO_MSG_MAX, "corrupt file: label names end at %llu of %llu",
                 (unsigned long long)at, (unsigned long long)len);
        free(names);
        return -1;
    }
    *out = names;
    return 0;
}

/* Counts labels per id, refusing an id past the count; lab NULL: all 0. */
static int count_labels(const uint16_t *lab, uint64_t n, uint32_t nl, uint64_t **out,
                        const char *what, char msg[ALGO_MSG_MAX])
{
    uint64_t *c = calloc(nl + 1, sizeof *c);
    if (!c) {
        snprintf(msg, ALGO_MSG_MAX, "out of memory");
        return -1;
    }
    if (!lab) { /* absent: every one has label 0 */
        c[0] = n;
        *out = c;
        return 0;
    }
    for (uint64_t i = 0; i < n; i++) {
        if (lab[i] >= nl) {
            snprintf(msg, ALGO_MSG_MAX, "corrupt file: %s %llu has label %u of %u", what,
                     (unsigned long long)i, lab[i], nl);
            free(c);
            return -1;
        }
        c[lab[i]]++;
    }
    *out = c;
    return 0;
}

/* Read-only zero pages standing for the label arrays a file leaves out:
 * mapped, never backed, so they cost nothing to open or to read. */
static const uint16_t *zero_labels(algo_snapshot *t, uint64_t count, char msg[ALGO_MSG_MAX])
{
    if (count == 0)
        return NULL;
    if (!t->zero_map_) {
        uint64_t most = t->g.n > t->g.m ? t->g.n : t->g.m;
        void *z =
            mmap(NULL, most * 2, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (z == MAP_FAILED) {
            snprintf(msg, ALGO_MSG_MAX, "out of address space for %llu labels",
                     (unsigned long long)most);
            return NULL;
        }
        t->zero_map_ = z;
        t->zero_len_ = most * 2;
    }
    return t->zero_map_;
}

static int map_labels(algo_snapshot *t, const char *path, char msg[ALGO_MSG_MAX])
{
    char why[ALGO_MSG_MAX];
    void *map = NULL;
    size_t len = 0;
    if (store_map(path, sizeof(store_labels_header), &map, &len, msg) < 0)
        return -1;
    t->labels_map_ = map;
    t->labels_len_ = len;
    const store_labels_header *h = map;
    const char *base = map;
    uint64_t n = t->g.n, m = t->g.m;
    if (memcmp(h->magic, STORE_LABELS_MAGIC, 8) != 0) {
        snprintf(msg, ALGO_MSG_MAX, "%.200s: not a labels file (bad magic)", path);
        return -1;
    }
    if (h->check != store_labels_check(h) ||
        (h->version != STORE_LABELS_VERSION && h->version != STORE_LABELS_VERSION_FULL)) {
        snprintf(msg, ALGO_MSG_MAX, "%.200s: corrupt header (checksum) or version %u", path,
                 h->version);
        return -1;
    }
    if (h->n != n || h->m != m || h->file_len != len || h->n_vlabels > STORE_LABEL_MAX ||
        h->n_elabels > STORE_LABEL_MAX || (n > 0 && !h->n_vlabels) || (m > 0 && !h->n_elabels)) {
        snprintf(msg, ALGO_MSG_MAX,
                 "%.200s: header says n %llu m %llu, %u/%u labels; graph has "
                 "n %llu m %llu",
                 path, (unsigned long long)h->n, (unsigned long long)h->m, h->n_vlabels,
                 h->n_elabels, (unsigned long long)n, (unsigned long long)m);
        return -1;
    }
    /* Which arrays the file has: all (version 1), or those the labels
     * need; in_to_out is present or absent, checked against the schema's
     * edge keys once they are read (algo_snapshot_open). */
    int full = h->version == STORE_LABELS_VERSION_FULL;
    int has_v = full || h->n_vlabels > 1, has_e = full || h->n_elabels > 1;
    int has_i2o = full || has_e || (m > 0 && h->sec[LS_IN_TO_OUT].len != 0);
    uint64_t want[LS_COUNT] = {
        [LS_VLABEL] = has_v ? n * 2 : 0,      [LS_ELABEL] = has_e ? m * 2 : 0,
        [LS_IN_TO_OUT] = has_i2o ? m * 8 : 0, [LS_VNAMES] = h->sec[LS_VNAMES].len,
        [LS_ENAMES] = h->sec[LS_ENAMES].len,
    };
    if (store_check_layout(h->sec, want, LS_COUNT, sizeof *h, len, section_names, why) < 0 ||
        read_names(base + h->sec[LS_VNAMES].off, h->sec[LS_VNAMES].len, h->n_vlabels,
                   &t->vlabel_names, why) < 0 ||
        read_names(base + h->sec[LS_ENAMES].off, h->sec[LS_ENAMES].len, h->n_elabels,
                   &t->elabel_names, why) < 0)
        goto bad;
    t->n_vlabels = h->n_vlabels;
    t->n_elabels = h->n_elabels;
    if (count_labels(has_v ? (const uint16_t *)(base + h->sec[LS_VLABEL].off) : NULL, n,
                     t->n_vlabels, &t->vlabel_count, "vertex", why) < 0 ||
        count_labels(has_e ? (const uint16_t *)(base + h->sec[LS_ELABEL].off) : NULL, m,
                     t->n_elabels, &t->elabel_count, "edge", why) < 0)
        goto bad;
    t->vlabel = has_v ? (const uint16_t *)(base + h->sec[LS_VLABEL].off) : zero_labels(t, n, why);
    t->elabel = has_e ? (const uint16_t *)(base + h->sec[LS_ELABEL].off) : zero_labels(t, m, why);
    if ((n > 0 && !t->vlabel) || (m > 0 && !t->elabel))
        goto bad;
    if (has_i2o && m > 0) {
        t->in_to_out = (const uint64_t *)(base + h->sec[LS_IN_TO_OUT].off);
        for (uint64_t i = 0; i < m; i++)
            if (t->in_to_out[i] >= m) {
                snprintf(why, sizeof why,
                         "corrupt file: in-edge %llu maps to out-edge %llu of %llu",
                         (unsigned long long)i, (unsigned long long)t->in_to_out[i],
                         (unsigned long long)m);
                goto bad;
            }
    }
    return 0;
bad:
    snprintf(msg, ALGO_MSG_MAX, "%.100s: %.150s", path, why);
    return -1;
}

/* in_to_out is there exactly when an in-edge needs it (store_internal.h):
 * edge labels other than 0 or an edge key with a column file (the
 * weights "in": "graph" an in-edge finds in in_w). Version 1 has it
 * always. */
static int check_in_to_out(const algo_snapshot *t, char msg[ALGO_MSG_MAX])
{
    const store_labels_header *h = t->labels_map_;
    int need = t->n_elabels > 1;
    for (size_t i = 0; i < t->n_keys && !need; i++)
        need = t->keys[i].kind == 'e' && !t->keys[i].in_graph;
    if (t->g.m == 0 || h->version == STORE_LABELS_VERSION_FULL || need == (t->in_to_out != NULL))
        return 0;
    snprintf(msg, ALGO_MSG_MAX, "%.200s/labels.bin: in_to_out %s, but the graph has %s", t->dir,
             t->in_to_out ? "present" : "absent",
             need ? "edge labels or edge keys" : "neither edge labels nor edge keys");
    return -1;
}

/* schema.json's labels of one kind: the names and counts labels.bin has. */
static int check_schema_labels(const json_t *a, const char *what, uint32_t count,
                               char (*names)[128], const uint64_t *counts, char msg[ALGO_MSG_MAX])
{
    if (!json_is_array(a) || json_array_size(a) != count) {
        snprintf(msg, ALGO_MSG_MAX, "%s: not an array of %u labels", what, count);
        return -1;
    }
    for (uint32_t i = 0; i < count; i++) {
        const json_t *o = json_array_get(a, i), *name = json_object_get(o, "name");
        const json_t *c = json_object_get(o, "count");
        if (!json_is_string(name) || strcmp(json_string_value(name), names[i]) != 0 ||
            !json_is_integer(c) || json_integer_value(c) < 0 ||
            (uint64_t)json_integer_value(c) != counts[i]) {
            snprintf(msg, ALGO_MSG_MAX, "%s %u: name or count differs from labels.bin", what, i);
            return -1;
        }
    }
    return 0;
}

static int64_t find_label(char (*names)[128], uint32_t count, const char *name)
{
    for (uint32_t i = 0; i < count; i++)
        if (!strcmp(names[i], name))
            return i;
    return -1;
}

/* A column file name the writer makes: "<kind>.<digits>.col". */
static int file_ok(const char *f, char kind)
{
    size_t len = strlen(f), d = 0;
    if (len < 7 || len >= 32 || f[0] != kind || f[1] != '.' || strcmp(f + len - 4, ".col") != 0)
        return 0;
    for (size_t i = 2; i < len - 4; i++, d++)
        if (f[i] < '0' || f[i] > '9')
            return 0;
    return d > 0 && d < 10;
}

static int parse_type(const char *s)
{
    for (int t = ALGO_PROP_INT; t <= ALGO_PROP_BOOL; t++)
        if (!strcmp(s, algo_prop_type_name((algo_prop_type)t)))
            return t;
    return 0;
}

/* A key whose values are the structure's weights ("in": "graph"), as
 * the writer makes it: (edge, "edge", "weight") as double, the graph
 * weighted and "edge" its one edge label, so every edge has a weight. */
static int in_graph_ok(const algo_snapshot *t, const algo_schema_key *k, const json_t *in)
{
    return json_is_string(in) && !strcmp(json_string_value(in), "graph") && k->kind == 'e' &&
           t->n_elabels == 1 && !strcmp(t->elabel_names[k->label], "edge") &&
           !strcmp(k->key, "weight") && k->type == ALGO_PROP_DOUBLE &&
           algo_weights_on(t->g.out_w) && algo_weights_on(t->g.in_w);
}

static int read_keys(algo_snapshot *t, const json_t *a, char msg[ALGO_MSG_MAX])
{
    size_t nk = json_array_size(a);
    if (!json_is_array(a)) {
        snprintf(msg, ALGO_MSG_MAX, "keys: not an array");
        return -1;
    }
    t->keys = calloc(nk + 1, sizeof *t->keys);
    if (!t->keys) {
        snprintf(msg, ALGO_MSG_MAX, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < nk; i++) {
        const json_t *o = json_array_get(a, i);
        const char *kind = json_string_value(json_object_get(o, "kind"));
        const char *label = json_string_value(json_object_get(o, "label"));
        const json_t *key = json_object_get(o, "key");
        const char *type = json_string_value(json_object_get(o, "type"));
        const char *file = json_string_value(json_object_get(o, "file"));
        const json_t *in = json_object_get(o, "in");
        algo_schema_key *k = &t->keys[i];
        k->in_graph = in != NULL;
        if (!kind || !label || !json_is_string(key) || !type || !file == !k->in_graph ||
            (strcmp(kind, "v") != 0 && strcmp(kind, "e") != 0)) {
            snprintf(msg, ALGO_MSG_MAX, "key %zu: needs kind v/e, label, key, type, file or in", i);
            return -1;
        }
        k->kind = kind[0];
        int64_t l = k->kind == 'v' ? find_label(t->vlabel_names, t->n_vlabels, label)
                                   : find_label(t->elabel_names, t->n_elabels, label);
        size_t klen = json_string_length(key);
        if (l < 0 || klen > STORE_NAME_MAX || strlen(json_string_value(key)) != klen ||
            !(k->type = (algo_prop_type)parse_type(type)) || (file && !file_ok(file, k->kind))) {
            snprintf(msg, ALGO_MSG_MAX, "key %zu: unknown label, bad key, type or file", i);
            return -1;
        }
        k->label = (uint16_t)l;
        memcpy(k->key, json_string_value(key), klen + 1);
        if (file)
            strcpy(k->file, file);
        if (k->in_graph && !in_graph_ok(t, k, in)) {
            snprintf(msg, ALGO_MSG_MAX,
                     "key %zu: only the weights of a weighted graph with the one edge label "
                     "\"edge\" (edge, \"edge\", \"weight\", double) are \"in\": \"graph\"",
                     i);
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (t->keys[j].kind == k->kind && t->keys[j].label == k->label &&
                !strcmp(t->keys[j].key, k->key)) {
                snprintf(msg, ALGO_MSG_MAX, "key %zu: repeats key %zu", i, j);
                return -1;
            }
    }
    t->n_keys = nk;
    return 0;
}

static int read_schema(algo_snapshot *t, const char *path, char msg[ALGO_MSG_MAX])
{
    struct stat st;
    json_error_t err;
    char why[ALGO_MSG_MAX];
    json_t *root = NULL;
    int rc = -1;
    if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > SCHEMA_MAX) {
        snprintf(msg, ALGO_MSG_MAX, "%.200s: missing, not a file or over 64 MiB", path);
        return -1;
    }
    root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        snprintf(msg, ALGO_MSG_MAX, "%.150s: line %d: %.80s", path, err.line, err.text);
        return -1;
    }
    if (!json_is_object(root) ||
        check_schema_labels(json_object_get(root, "vertex_labels"), "vertex_labels", t->n_vlabels,
                            t->vlabel_names, t->vlabel_count, why) < 0 ||
        check_schema_labels(json_object_get(root, "edge_labels"), "edge_labels", t->n_elabels,
                            t->elabel_names, t->elabel_count, why) < 0 ||
        read_keys(t, json_object_get(root, "keys"), why) < 0) {
        if (!json_is_object(root))
            snprintf(why, sizeof why, "not a JSON object");
        snprintf(msg, ALGO_MSG_MAX, "%.100s: %.150s", path, why);
        goto out;
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}

int algo_snapshot_open(algo_snapshot *s, const char *dir, char msg[ALGO_MSG_MAX])
{
    algo_snapshot t;
    char path[4096];
    memset(&t, 0, sizeof t);
    if (strlen(dir) >= sizeof t.dir) {
        snprintf(msg, ALGO_MSG_MAX, "path too long: %.200s", dir);
        return -1;
    }
    strcpy(t.dir, dir);
    if (file_path(path, dir, "graph.hgcg", msg) < 0 || algo_graph_map(&t.g, path, msg) < 0)
        goto fail;
    if (file_path(path, dir, "labels.bin", msg) < 0 || map_labels(&t, path, msg) < 0)
        goto fail;
    if (file_path(path, dir, "schema.json", msg) < 0 || read_schema(&t, path, msg) < 0 ||
        check_in_to_out(&t, msg) < 0)
        goto fail;
    *s = t;
    return 0;
fail:
    algo_snapshot_close(&t);
    return -1;
}

void algo_snapshot_close(algo_snapshot *s)
{
    algo_graph_unmap(&s->g);
    if (s->labels_map_)
        munmap(s->labels_map_, s->labels_len_);
    if (s->zero_map_)
        munmap(s->zero_map_, s->zero_len_);
    free(s->vlabel_names);
    free(s->elabel_names);
    free(s->vlabel_count);
    free(s->elabel_count);
    free(s->keys);
    memset(s, 0, sizeof *s);
}

const algo_schema_key *algo_snapshot_key(const algo_snapshot *s, char kind, const char *label,
                                         const char *key)
{
    for (size_t i = 0; i < s->n_keys; i++) {
        const algo_schema_key *k = &s->keys[i];
        const char *name = (k->kind == 'v' ? s->vlabel_names : s->elabel_names)[k->label];
        if (k->kind == kind && !strcmp(name, label) && !strcmp(k->key, key))
            return k;
    }
    return NULL;
}

int algo_snapshot_column(const algo_snapshot *s, const algo_schema_key *k, algo_column *out,
                         char msg[ALGO_MSG_MAX])
{
    char path[4096];
    algo_column c;
    uint64_t want = k->kind == 'v' ? s->g.n : s->g.m;
    if (k->in_graph) { /* checked at open: weighted, every edge has a weight */
        *out = (algo_column){
            .type = ALGO_PROP_DOUBLE, .n = s->g.m, .doubles = s->g.out_w.d, .wholes = s->g.out_w.u};
        return 0;
    }
    if (file_path(path, s->dir, k->file, msg) < 0 || algo_column_map(&c, path, msg) < 0)
        return -1;
    if (c.type != k->type || c.n != want) {
        snprintf(msg, ALGO_MSG_MAX, "%.200s: a %s column of %llu slots; the schema wants %s, %llu",
                 path, algo_prop_type_name(c.type), (unsigned long long)c.n,
                 algo_prop_type_name(k->type), (unsigned long long)want);
        algo_column_unmap(&c);
        return -1;
    }
    *out = c;
    return 0;
}

uint64_t algo_snapshot_size(const algo_snapshot *s)
{
    static const char *const fixed[] = {"graph.hgcg", "labels.bin", "schema.json"};
    char path[4096], msg[ALGO_MSG_MAX];
    struct stat st;
    uint64_t total = 0;
    for (size_t i = 0; i < 3 + s->n_keys; i++) {
        const char *name = i < 3 ? fixed[i] : s->keys[i - 3].file;
        if (name[0] && file_path(path, s->dir, name, msg) == 0 && stat(path, &st) == 0)
            total += (uint64_t)st.st_size;
    }
    return total;
}
