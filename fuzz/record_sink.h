/* record_sink.h: a record sink for the record-parser fuzz targets that
 * folds every record it gets into a hash (FNV-1a), so two parses of the
 * same bytes can be compared, and ASan sees every pointer a record holds
 * while the sink runs (records' memory is only valid during the call). */
#ifndef FUZZ_RECORD_SINK_H
#define FUZZ_RECORD_SINK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/fnv.h"
#include "records.h"

static uint64_t sink_hash;

static void mix(const void *p, size_t n)
{
    sink_hash = hgc_fnv1a(sink_hash, p, n);
}

static void mix_vid(const algo_vid *v)
{
    if (v->is_str)
        mix(v->str, v->len);
    else
        mix(&v->num, sizeof v->num);
}

static void mix_text(algo_text t)
{
    if (t.s)
        mix(t.s, t.len);
}

static void mix_props(const algo_prop *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mix(p[i].key, p[i].key_len);
        mix(&p[i].value.type, sizeof p[i].value.type);
        if (p[i].value.type == ALGO_PROP_STRING) {
            mix(p[i].value.s, p[i].value.len);
        } else {
            mix(&p[i].value.i, sizeof p[i].value.i);
            mix(&p[i].value.d, sizeof p[i].value.d);
        }
    }
}

static int on_vertex(void *ud, const algo_vertex_rec *v, char msg[ALGO_MSG_MAX])
{
    (void)ud, (void)msg;
    mix("V", 1);
    if (v->has_id)
        mix_vid(&v->id);
    mix_text(v->label);
    mix_props(v->props, v->n_props);
    return 0;
}

static int on_edge(void *ud, const algo_edge_rec *e, char msg[ALGO_MSG_MAX])
{
    (void)ud, (void)msg;
    mix("E", 1);
    mix_vid(&e->src);
    mix_vid(&e->dst);
    mix_text(e->label);
    mix_text(e->src_label);
    mix_text(e->dst_label);
    mix_props(e->props, e->n_props);
    return 0;
}

static const algo_record_sink hash_sink = {on_vertex, on_edge, NULL};

/* Error messages are for people: printable ASCII only. */
static void check_message(const char *m)
{
    for (; *m; m++)
        if (*m < 0x20 || *m > 0x7e)
            abort();
}

#endif
