/* graph_build_snap.c: writes a builder as a snapshot folder (snapshot.h):
 * "<dir>.tmp/" with graph.hgcg, labels.bin, one column file per schema
 * key and schema.json, each fsync'ed, then the folder renamed to <dir>.
 *
 * The CSRs come from graph_build_write.c; when edges carry labels or
 * properties the build also records which appended edge lands at each
 * out-CSR position, giving the edge permutation the columns are written
 * through. To keep the peak near the plain writer's, arrays go as soon
 * as their file is written: the in-CSR after graph.hgcg, then the
 * builder's edge arrays (so the builder can only be freed afterwards).
 * Labels no vertex or edge uses and no key names are dropped.
 *
 * A plain weighted graph (every edge of label "edge" with a weight, no
 * other edge key) writes its weights once, in graph.hgcg: the key says
 * "in": "graph" in schema.json, with no column file and no in_to_out
 * (snapshot.h), and the build is untracked like an unweighted one.
 *
 * Cost: the plain writer's, plus O(n + m) for labels and in_to_out
 * (10 bytes an edge on disk) and O(values + slots) per column.
 */
#define _GNU_SOURCE
#include "graph_build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fs.h"
#include "prop_column.h"
#include "records.h"
#include "store_internal.h"

static int oom(char msg[ALGO_MSG_MAX])
{
    snprintf(msg, ALGO_MSG_MAX, "out of memory");
    return -1;
}

/* What the write of one folder holds. */
typedef struct snap_out {
    algo_graph_builder *b;
    struct store_props *p;
    char *tmp; /* "<dir>.tmp" */
    store_csr c;
    int tracked;
    /* A plain weighted graph: the weight key is graph.hgcg's weights
     * ("in": "graph"), no column file, no in_to_out (snapshot.h). */
    int plain_w;
    /* label id -> id in the folder, or UINT16_MAX: dropped */
    uint16_t *vremap, *eremap;
    uint64_t *vcount, *ecount; /* by builder label id */
    uint32_t n_vout, n_eout;
} snap_out;

static int path_in(char *out, const char *dir, const char *name, char msg[ALGO_MSG_MAX])
{
    if ((size_t)snprintf(out, 4096, "%s/%s", dir, name) >= 4096) {
        snprintf(msg, ALGO_MSG_MAX, "path too long: %.200s", dir);
        return -1;
    }
    return 0;
}

/* Removes a leftover "<dir>.tmp" of an interrupted write: only the plain
 * files a write puts there. */
static int remove_tmp(const char *tmp, char msg[ALGO_MSG_MAX])
{
    char path[4096];
    DIR *d = opendir(tmp);
    if (!d)
        return errno == ENOENT ? 0
                               : (snprintf(msg, ALGO_MSG_MAX, "%s: %s", tmp, strerror(errno)), -1);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (path_in(path, tmp, e->d_name, msg) < 0 || unlink(path) < 0) {
            snprintf(msg, ALGO_MSG_MAX, "removing %s: %s", path, strerror(errno));
            closedir(d);
            return -1;
        }
    }
    closedir(d);
    if (rmdir(tmp) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "rmdir %s: %s", tmp, strerror(errno));
        return -1;
    }
    return 0;
}

static int fsync_dir(const char *path, char msg[ALGO_MSG_MAX])
{
    if (hgc_fsync_dir(path) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "fsync %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- labels ------------------------------------------------------------- */

/* Counts every label's vertices and edges (the edges through out_eid
 * when tracked, else all are "edge") and numbers the labels kept. */
static int count_labels(snap_out *w, char msg[ALGO_MSG_MAX])
{
    algo_graph_builder *b = w->b;
    struct store_props *p = w->p;
    w->vcount = calloc(p->vl.count, sizeof *w->vcount);
    w->ecount = calloc(p->el.count, sizeof *w->ecount);
    w->vremap = malloc(p->vl.count * sizeof *w->vremap);
    w->eremap = malloc(p->el.count * sizeof *w->eremap);
    if (!w->vcount || !w->ecount || !w->vremap || !w->eremap)
        return oom(msg);
    uint64_t vl = b->vlab_cap < b->n ? b->vlab_cap : b->n;
    for (uint64_t v = 0; v < vl; v++)
        w->vcount[b->vlab[v]]++;
    w->vcount[0] += b->n - vl;
    uint64_t el = b->elab_cap < b->m ? b->elab_cap : b->m;
    for (uint64_t e = 0; e < el; e++)
        w->ecount[b->elab[e]]++;
    w->ecount[0] += b->m - el;

    /* A label stays if something has it or a key names it. */
    uint8_t *vkey = calloc(p->vl.count, 1), *ekey = calloc(p->el.count, 1);
    if (!vkey || !ekey) {
        free(vkey);
        free(ekey);
        return oom(msg);
    }
    for (uint32_t i = 0; i < p->nkeys; i++)
        (p->keys[i].kind == 'v' ? vkey : ekey)[p->keys[i].label] = 1;
    w->n_vout = w->n_eout = 0;
    for (uint32_t i = 0; i < p->vl.count; i++)
        w->vremap[i] = w->vcount[i] || vkey[i] ? (uint16_t)w->n_vout++ : UINT16_MAX;
    for (uint32_t i = 0; i < p->el.count; i++)
        w->eremap[i] = w->ecount[i] || ekey[i] ? (uint16_t)w->n_eout++ : UINT16_MAX;
    free(vkey);
    free(ekey);
    return 0;
}

/* The names kept, each followed by a NUL. */
static char *names_blob(const store_labels *t, const uint16_t *remap, uint64_t *len)
{
    uint64_t total = 0;
    for (uint32_t i = 0; i < t->count; i++)
        if (remap[i] != UINT16_MAX)
            total += strlen(t->names[i]) + 1;
    char *s = malloc(total + 1), *at = s;
    if (!s)
        return NULL;
    for (uint32_t i = 0; i < t->count; i++)
        if (remap[i] != UINT16_MAX) {
            size_t l = strlen(t->names[i]) + 1;
            memcpy(at, t->names[i], l);
            at += l;
        }
    *len = total;
    return s;
}

/* labels.bin, leaving out what a plain graph does not need
 * (store_internal.h): the vertex (edge) labels with one label of the
 * kind, in_to_out without edge labels or edge keys. */
static int write_labels(snap_out *w, char msg[ALGO_MSG_MAX])
{
    algo_graph_builder *b = w->b;
    uint64_t n = b->n, m = b->m, vn_len = 0, en_len = 0;
    store_labels_header h;
    store_out o = {.fd = -1};
    char path[4096];
    int rc = -1, has_v = w->n_vout > 1, has_e = w->n_eout > 1, has_i2o = has_e;
    for (uint32_t i = 0; i < w->p->nkeys && !has_i2o && !w->plain_w; i++)
        has_i2o = w->p->keys[i].kind == 'e';
    uint16_t *vout = NULL, *eout = NULL;
    uint64_t *in_to_out = NULL;
    char *vnames = names_blob(&w->p->vl, w->vremap, &vn_len);
    char *enames = names_blob(&w->p->el, w->eremap, &en_len);
    /* calloc'ed zeros: unset labels are 0 and cost no memory. */
    if ((has_v && !(vout = calloc(n + 1, sizeof *vout))) ||
        (has_e && !(eout = calloc(m + 1, sizeof *eout))) ||
        (has_i2o && !(in_to_out = malloc((m + 1) * sizeof *in_to_out))) || !vnames || !enames) {
        oom(msg);
        goto out;
    }
    if (has_v && b->vlab) /* mapped mode: perm is by provisional index */
        for (uint64_t v = 0; v < n && v < b->vlab_cap; v++)
            vout[w->c.perm[v]] = w->vremap[b->vlab[v]];
    if (has_e && w->tracked)
        for (uint64_t i = 0; i < m; i++)
            eout[i] = w->eremap[store_elabel(b, w->c.out_eid[i])];
    if (has_i2o)
        store_csr_in_to_out(b, &w->c, in_to_out);

    memset(&h, 0, sizeof h);
    memcpy(h.magic, STORE_LABELS_MAGIC, 8);
    h.version = STORE_LABELS_VERSION;
    h.n_vlabels = w->n_vout;
    h.n_elabels = w->n_eout;
    h.n = n;
    h.m = m;
    if (path_in(path, w->tmp, "labels.bin", msg) < 0 ||
        store_out_begin(&o, path, sizeof h, msg) < 0)
        goto out;
    if (store_out_section(&o, vout, has_v ? n * 2 : 0, &h.sec[LS_VLABEL], msg) < 0 ||
        store_out_section(&o, eout, has_e ? m * 2 : 0, &h.sec[LS_ELABEL], msg) < 0 ||
        store_out_section(&o, in_to_out, has_i2o ? m * 8 : 0, &h.sec[LS_IN_TO_OUT], msg) < 0 ||
        store_out_section(&o, vnames, vn_len, &h.sec[LS_VNAMES], msg) < 0 ||
        store_out_section(&o, enames, en_len, &h.sec[LS_ENAMES], msg) < 0)
        goto out;
    h.file_len = o.pos;
    h.check = store_labels_check(&h);
    rc = store_out_commit(&o, &h, sizeof h, msg);
out:
    store_out_abort(&o);
    free(vout);
    free(eout);
    free(in_to_out);
    free(vnames);
    free(enames);
    return rc;
}

/* ---- columns ------------------------------------------------------------ */

/* The edge weights as the column of (edge, "edge", "weight"): every edge
 * of label "edge" that had a weight, in out-CSR order. */
static int write_weights(snap_out *w, const char *path, char msg[ALGO_MSG_MAX])
{
    algo_graph_builder *b = w->b;
    algo_column_builder *col = NULL;
    algo_prop_value v = {.type = ALGO_PROP_DOUBLE};
    int rc = -1;
    if (algo_column_builder_new(&col, ALGO_PROP_DOUBLE) < 0)
        return oom(msg);
    for (uint64_t i = 0; b->ew && i < b->m; i++) {
        if (w->tracked) {
            uint32_t e = w->c.out_eid[i];
            if (store_elabel(b, e) != 0 || store_wmissing(b, e))
                continue;
        }
        v.d = b->ew[i];
        if (algo_column_builder_set(col, i, &v, msg) < 0)
            goto out;
    }
    /* The column has them now; the builder is consumed. */
    free(b->ew);
    b->ew = NULL;
    rc = algo_column_builder_write(col, path, b->m, NULL, b->m, msg);
out:
    algo_column_builder_free(col);
    return rc;
}

/* Every key's column file, named by kind and number ("v.0.col"), never
 * by the key, which may be any text. */
static int write_columns(snap_out *w, char (*files)[32], char msg[ALGO_MSG_MAX])
{
    algo_graph_builder *b = w->b;
    struct store_props *p = w->p;
    char path[4096];
    uint32_t nv = 0, ne = 0;
    for (uint32_t i = 0; i < p->nkeys; i++) {
        const store_key *k = &p->keys[i];
        int vertex = k->kind == 'v';
        if (!k->col && w->plain_w) {
            files[i][0] = 0; /* the weights in graph.hgcg */
            continue;
        }
        snprintf(files[i], 32, "%c.%u.col", k->kind, vertex ? nv++ : ne++);
        if (path_in(path, w->tmp, files[i], msg) < 0)
            return -1;
        if (!k->col) {
            if (write_weights(w, path, msg) < 0)
                return -1;
            continue;
        }
        /* Edges: the inverse of out_eid, put in scratch by the caller. */
        /* Vertex values exist only in mapped mode, where perm is by
         * provisional index. Untracked edges have no column values. */
        int r = vertex ? algo_column_builder_write(k->col, path, b->n, w->c.perm,
                                                   b->direct ? 0 : b->n, msg)
                       : algo_column_builder_write(k->col, path, b->m,
                                                   w->tracked ? w->c.scratch : NULL, b->m, msg);
        if (r < 0) {
            char why[ALGO_MSG_MAX];
            memcpy(why, msg, sizeof why);
            snprintf(msg, ALGO_MSG_MAX, "column %s: %.200s", files[i], why);
            return -1;
        }
    }
    return 0;
}

/* ---- schema.json -------------------------------------------------------- */

static json_t *labels_json(const store_labels *t, const uint16_t *remap, const uint64_t *count)
{
    json_t *a = json_array();
    for (uint32_t i = 0; a && i < t->count; i++) {
        if (remap[i] == UINT16_MAX)
            continue;
        if (json_array_append_new(a, json_pack("{s:s, s:I}", "name", t->names[i], "count",
                                               (json_int_t)count[i])) < 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static int write_schema(snap_out *w, char (*files)[32], char msg[ALGO_MSG_MAX])
{
    struct store_props *p = w->p;
    char path[4096];
    int rc = -1, fd = -1;
    char *text = NULL;
    json_t *root = json_object(), *keys = json_array();
    json_t *vl = labels_json(&p->vl, w->vremap, w->vcount);
    json_t *el = labels_json(&p->el, w->eremap, w->ecount);
    /* set_new takes the reference even when it fails. */
    if (!root) {
        json_decref(vl);
        json_decref(el);
        json_decref(keys);
        goto fail_oom;
    }
    if (json_object_set_new(root, "vertex_labels", vl) < 0 ||
        json_object_set_new(root, "edge_labels", el) < 0 ||
        json_object_set_new(root, "keys", keys) < 0)
        goto fail_oom;
    for (uint32_t i = 0; i < p->nkeys; i++) {
        const store_key *k = &p->keys[i];
        const char *label = (k->kind == 'v' ? p->vl.names : p->el.names)[k->label];
        json_t *o = json_pack("{s:s%, s:s, s:s%, s:s, s:s}", "kind", &k->kind, (size_t)1, "label",
                              label, "key", k->key, k->key_len, "type",
                              algo_prop_type_name((algo_prop_type)k->type),
                              files[i][0] ? "file" : "in", files[i][0] ? files[i] : "graph");
        if (json_array_append_new(keys, o) < 0)
            goto fail_oom;
    }
    text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    if (!text)
        goto fail_oom;
    if (path_in(path, w->tmp, "schema.json", msg) < 0)
        goto out;
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    size_t len = strlen(text), at = 0;
    while (fd >= 0 && at < len) {
        ssize_t r = write(fd, text + at, len - at);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        at += (size_t)r;
    }
    if (fd < 0 || at < len || fsync(fd) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "%s: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
    goto out;
fail_oom:
    oom(msg);
out:
    if (fd >= 0 && close(fd) < 0 && rc == 0) {
        snprintf(msg, ALGO_MSG_MAX, "close %s: %s", path, strerror(errno));
        rc = -1;
    }
    free(text);
    json_decref(root);
    return rc;
}

/* ---- the folder --------------------------------------------------------- */

/* The graph's weights are a key of their own once the graph is weighted. */
static int ensure_weight_key(algo_graph_builder *b, char msg[ALGO_MSG_MAX])
{
    if (!b->ew || store_key_find(b->props, 'e', 0, "weight", 6))
        return 0;
    return store_key_add(b, 'e', 0, "weight", 6, ALGO_PROP_DOUBLE, msg) ? 0 : -1;
}

/* Weighted, every edge with its weight and of label "edge", and no edge
 * key but the weights: then graph.hgcg's weights are the key. */
static int plain_weighted(const algo_graph_builder *b)
{
    if (!b->ew)
        return 0;
    for (uint64_t i = 0; i < b->wmiss_cap / 64; i++)
        if (b->wmiss[i])
            return 0;
    for (uint64_t e = 0; e < b->m && e < b->elab_cap; e++)
        if (b->elab[e])
            return 0;
    for (uint32_t i = 0; i < b->props->nkeys; i++)
        if (b->props->keys[i].kind == 'e' && b->props->keys[i].col)
            return 0;
    return 1;
}

static int need_tracking(const algo_graph_builder *b)
{
    if (b->elab || b->wmiss)
        return 1;
    for (uint32_t i = 0; i < b->props->nkeys; i++)
        if (b->props->keys[i].kind == 'e' && b->props->keys[i].col)
            return 1;
    return 0;
}

int algo_graph_builder_write_snapshot(algo_graph_builder *b, const char *dir,
                                      char msg[ALGO_MSG_MAX])
{
    snap_out w = {.b = b};
    char path[4096], (*files)[32] = NULL;
    algo_graph g;
    struct stat st;
    int rc = -1, made = 0;

    if (b->written == STORE_CONSUMED) {
        snprintf(msg, ALGO_MSG_MAX, "the graph builder was already written as a snapshot");
        return -1;
    }
    if (!(w.p = store_props_get(b)) || asprintf(&w.tmp, "%s.tmp", dir) < 0) {
        w.tmp = NULL;
        return oom(msg);
    }
    if (stat(dir, &st) == 0) {
        snprintf(msg, ALGO_MSG_MAX, "%.200s: exists already", dir);
        goto out;
    }
    if (ensure_weight_key(b, msg) < 0 || remove_tmp(w.tmp, msg) < 0)
        goto out;
    if (mkdir(w.tmp, 0755) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "mkdir %.200s: %s", w.tmp, strerror(errno));
        goto out;
    }
    made = 1;
    if (!(files = calloc(w.p->nkeys + 1, sizeof *files))) {
        oom(msg);
        goto out;
    }

    w.plain_w = plain_weighted(b);
    w.tracked = !w.plain_w && need_tracking(b);
    if (store_builder_csr(b, &w.c, w.tracked, msg) < 0)
        goto out;
    store_csr_graph(b, &w.c, &g);
    if (path_in(path, w.tmp, "graph.hgcg", msg) < 0 || store_graph_write(path, &g, msg) < 0)
        goto out;
    /* Not needed again: make room for in_to_out and the columns. The
     * builder can only be freed from here on. */
    free(w.c.in_src);
    free(w.c.in_w);
    free(b->esrc);
    w.c.in_src = b->esrc = NULL;
    w.c.in_w = NULL;
    if (w.plain_w) { /* the weights are written: they are the key */
        free(b->ew);
        b->ew = NULL;
    }
    b->written = STORE_CONSUMED;

    if (count_labels(&w, msg) < 0 || write_labels(&w, msg) < 0)
        goto out;
    free(b->edst);
    b->edst = NULL;
    /* The edge permutation (append index -> out position) for the edge
     * columns; out_eid is still needed by the weight column, so both. */
    if (w.tracked)
        for (uint64_t i = 0; i < b->m; i++)
            w.c.scratch[w.c.out_eid[i]] = (uint32_t)i;
    if (write_columns(&w, files, msg) < 0 || write_schema(&w, files, msg) < 0)
        goto out;
    if (fsync_dir(w.tmp, msg) < 0)
        goto out;
    if (rename(w.tmp, dir) < 0) {
        snprintf(msg, ALGO_MSG_MAX, "rename %.200s: %s", w.tmp, strerror(errno));
        goto out;
    }
    made = 0;
    /* The rename must survive a crash too: sync the parent. */
    char *slash = strrchr(w.tmp, '/');
    if (slash == w.tmp)
        slash[1] = 0;
    else if (slash)
        *slash = 0;
    else
        strcpy(w.tmp, ".");
    if (fsync_dir(w.tmp, msg) < 0)
        goto out;
    rc = 0;
out:
    if (made) {
        char why[ALGO_MSG_MAX];
        remove_tmp(w.tmp, why); /* best effort: the error to report is msg */
    }
    store_csr_release(&w.c);
    free(w.tmp);
    free(files);
    free(w.vremap);
    free(w.eremap);
    free(w.vcount);
    free(w.ecount);
    return rc;
}
