/* result_paths.c: {"path": [ids], "total_weight": w} from predecessors
 * (result_paths.h). O(path length) per row; the walk is bounded by n, so
 * a corrupt file gives an error, never a loop. */
#include "result_paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int svc_path_value_build(svc_path_value *pv, const algo_result *r, uint64_t v, char msg[256])
{
    memset(pv, 0, sizeof *pv);
    const uint32_t *pred = r->pred;
    const algo_idmap *ids = &r->ids;
    uint64_t len = 1, text = 0;
    for (uint64_t x = v; pred[x] != x; len++) {
        x = pred[x];
        if (x == ALGO_RESULT_NO_VERTEX || len > r->n) {
            snprintf(msg, 256, "the stored path to vertex %llu does not lead to the source",
                     (unsigned long long)v);
            return -1;
        }
    }
    for (uint64_t x = v, k = 0; k < len; k++, x = pred[x])
        if (algo_idmap_is_str(ids, x))
            text += ids->str_off[x + 1] - ids->str_off[x] + 1;
    pv->items = calloc(len, sizeof *pv->items);
    pv->item_ptrs = calloc(len, sizeof *pv->item_ptrs);
    pv->text = malloc(text ? text : 1);
    if (!pv->items || !pv->item_ptrs || !pv->text) {
        snprintf(msg, 256, "out of memory for a path of %llu vertices", (unsigned long long)len);
        return -1;
    }
    char *t = pv->text;
    uint64_t x = v;
    for (uint64_t k = len; k-- > 0; x = pred[x]) {
        Hgc__V1__Value *it = &pv->items[k];
        hgc__v1__value__init(it);
        if (algo_idmap_is_str(ids, x)) {
            size_t n = ids->str_off[x + 1] - ids->str_off[x];
            memcpy(t, ids->str + ids->str_off[x], n);
            t[n] = '\0';
            it->kind_case = HGC__V1__VALUE__KIND_TEXT;
            it->text = t;
            t += n + 1;
        } else {
            it->kind_case = HGC__V1__VALUE__KIND_INTEGER;
            it->integer = ids->num[x];
        }
        pv->item_ptrs[k] = it;
    }
    hgc__v1__value_list__init(&pv->list);
    pv->list.n_items = len;
    pv->list.items = pv->item_ptrs;
    hgc__v1__value__init(&pv->path);
    pv->path.kind_case = HGC__V1__VALUE__KIND_LIST;
    pv->path.list = &pv->list;
    hgc__v1__value__init(&pv->total);
    pv->total.kind_case = HGC__V1__VALUE__KIND_NUMBER;
    pv->total.number = ((const double *)r->values)[v];
    static char path_key[] = "path", total_key[] = "total_weight";
    for (int i = 0; i < 2; i++) {
        hgc__v1__value_map__fields_entry__init(&pv->entry[i]);
        pv->entry[i].key = i ? total_key : path_key;
        pv->entry[i].value = i ? &pv->total : &pv->path;
        pv->entry_ptr[i] = &pv->entry[i];
    }
    hgc__v1__value_map__init(&pv->map);
    pv->map.n_fields = 2;
    pv->map.fields = pv->entry_ptr;
    hgc__v1__value__init(&pv->value);
    pv->value.kind_case = HGC__V1__VALUE__KIND_MAP;
    pv->value.map = &pv->map;
    return 0;
}

void svc_path_value_free(svc_path_value *pv)
{
    if (!pv)
        return;
    free(pv->items);
    free(pv->item_ptrs);
    free(pv->text);
    memset(pv, 0, sizeof *pv);
}
