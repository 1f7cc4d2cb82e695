/* results.c: result rows out of result.bin (graphstore/result_file.h).
 *
 * By vertex, rows come straight from the mapped file. By value, the rows
 * up to the page's end are put in order first (result_order.h): a top-k
 * page costs O(n log k), a page deep into the result O(n log n); a cached
 * order is the next step if that shows.
 */
#include "results.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hgc/v1/jobs.pb-c.h"
#include "result_file.h"
#include "result_order.h"
#include "result_paths.h"

#define PAGE_ROWS 1000

int svc_result_order_parse(svc_result_order *out, const char *text)
{
    if (text == NULL || text[0] == '\0')
        *out = SVC_ORDER_VERTEX;
    else if (strcasecmp(text, "asc") == 0)
        *out = SVC_ORDER_ASC;
    else if (strcasecmp(text, "desc") == 0)
        *out = SVC_ORDER_DESC;
    else
        return -1;
    return 0;
}

static void set_id(Hgc__V1__VertexId *id, const algo_idmap *ids, uint64_t i, char *buf, size_t cap)
{
    hgc__v1__vertex_id__init(id);
    if (algo_idmap_is_str(ids, i)) {
        size_t len = ids->str_off[i + 1] - ids->str_off[i];
        if (len >= cap)
            len = cap - 1;
        memcpy(buf, ids->str + ids->str_off[i], len);
        buf[len] = '\0';
        id->kind_case = HGC__V1__VERTEX_ID__KIND_STR;
        id->str = buf;
    } else {
        id->kind_case = HGC__V1__VERTEX_ID__KIND_NUM;
        id->num = ids->num[i];
    }
}

grpc_status_code svc_results_stream(hgc_call *call, const char *dir, int64_t task_id,
                                    svc_result_order order, int64_t offset, int64_t limit)
{
    char path[PATH_MAX], msg[ALGO_MSG_MAX] = "";
    algo_result r = {0};
    uint32_t *index = NULL;
    Hgc__V1__ResultRow *rows = NULL, **row_ptrs = NULL;
    Hgc__V1__VertexId *ids = NULL, *value_ids = NULL;
    Hgc__V1__Value *values = NULL;
    svc_path_value *paths = NULL;
    char *idbuf = NULL, *valbuf = NULL;
    grpc_status_code code = GRPC_STATUS_OK;
    enum { IDCAP = 1024 };

    snprintf(path, sizeof path, "%s/result.bin", dir);
    if (algo_result_map(&r, path, msg) < 0)
        return hgc_call_set_error(call, GRPC_STATUS_INTERNAL, "cannot read the result: %s", msg);
    /* rows: every vertex, or for paths those with a finite distance */
    uint64_t n_rows = r.n;
    if ((order != SVC_ORDER_VERTEX || r.kind == ALGO_VALUE_PATHS) && r.n > 0) {
        index = malloc(r.n * sizeof *index);
        if (index == NULL) {
            code = hgc_call_set_error(call, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
            goto done;
        }
        n_rows = 0;
        for (uint64_t i = 0; i < r.n; i++)
            if (r.kind != ALGO_VALUE_PATHS || ((const double *)r.values)[i] < INFINITY)
                index[n_rows++] = (uint32_t)i;
    }
    uint64_t begin = (uint64_t)offset < n_rows ? (uint64_t)offset : n_rows;
    uint64_t end = limit < 0 || begin + (uint64_t)limit > n_rows ? n_rows : begin + (uint64_t)limit;
    if (order != SVC_ORDER_VERTEX && n_rows > 0 &&
        svc_result_order_rows(index, n_rows, &r, order == SVC_ORDER_DESC, end) != 0) {
        code = hgc_call_set_error(call, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
        goto done;
    }

    rows = calloc(PAGE_ROWS, sizeof *rows);
    row_ptrs = calloc(PAGE_ROWS, sizeof *row_ptrs);
    ids = calloc(PAGE_ROWS, sizeof *ids);
    value_ids = calloc(PAGE_ROWS, sizeof *value_ids);
    values = calloc(PAGE_ROWS, sizeof *values);
    idbuf = malloc((size_t)PAGE_ROWS * IDCAP);
    valbuf = malloc((size_t)PAGE_ROWS * IDCAP);
    if (r.kind == ALGO_VALUE_PATHS)
        paths = calloc(PAGE_ROWS, sizeof *paths);
    if ((r.kind == ALGO_VALUE_PATHS && !paths) || !rows || !row_ptrs || !ids || !value_ids ||
        !values || !idbuf || !valbuf) {
        code = hgc_call_set_error(call, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
        goto done;
    }
    uint64_t pos = begin;
    do {
        Hgc__V1__ResultPage page = HGC__V1__RESULT_PAGE__INIT;
        page.task_id = task_id;
        page.algorithm = r.algorithm;
        page.property = r.property;
        page.total = (int64_t)n_rows;
        size_t k = 0;
        for (; k < PAGE_ROWS && pos < end; k++, pos++) {
            uint64_t v = index ? index[pos] : pos;
            hgc__v1__result_row__init(&rows[k]);
            set_id(&ids[k], &r.ids, v, idbuf + k * IDCAP, IDCAP);
            hgc__v1__value__init(&values[k]);
            switch (r.kind) {
            case ALGO_VALUE_DOUBLE:
                values[k].kind_case = HGC__V1__VALUE__KIND_NUMBER;
                values[k].number = ((const double *)r.values)[v];
                break;
            case ALGO_VALUE_INT64:
                values[k].kind_case = HGC__V1__VALUE__KIND_INTEGER;
                values[k].integer = ((const int64_t *)r.values)[v];
                break;
            case ALGO_VALUE_VERTEX: {
                /* A vertex as its id: a number, or text. */
                uint32_t u = ((const uint32_t *)r.values)[v];
                set_id(&value_ids[k], &r.ids, u, valbuf + k * IDCAP, IDCAP);
                if (value_ids[k].kind_case == HGC__V1__VERTEX_ID__KIND_STR) {
                    values[k].kind_case = HGC__V1__VALUE__KIND_TEXT;
                    values[k].text = value_ids[k].str;
                } else {
                    values[k].kind_case = HGC__V1__VALUE__KIND_INTEGER;
                    values[k].integer = value_ids[k].num;
                }
                break;
            }
            case ALGO_VALUE_PATHS:
                if (svc_path_value_build(&paths[k], &r, v, msg) < 0) {
                    code = hgc_call_set_error(call, GRPC_STATUS_INTERNAL,
                                              "cannot read the result: %s", msg);
                    goto done;
                }
                values[k] = paths[k].value;
                break;
            }
            rows[k].id = &ids[k];
            rows[k].value = &values[k];
            row_ptrs[k] = &rows[k];
        }
        page.n_rows = k;
        page.rows = row_ptrs;
        int sent = hgc_call_send(call, &page.base);
        for (size_t j = 0; paths && j < k; j++)
            svc_path_value_free(&paths[j]);
        if (sent < 0) {
            code = hgc_call_set_error(call, GRPC_STATUS_CANCELLED, "the reader went away");
            goto done;
        }
    } while (pos < end);
done:
    for (size_t j = 0; paths && j < PAGE_ROWS; j++)
        svc_path_value_free(&paths[j]);
    free(paths);
    free(index);
    free(rows);
    free(row_ptrs);
    free(ids);
    free(value_ids);
    free(values);
    free(idbuf);
    free(valbuf);
    algo_result_unmap(&r);
    return code;
}
