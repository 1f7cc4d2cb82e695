/* results.c: result rows out of result.bin (graphstore/result_file.h).
 *
 * By vertex, rows come straight from the mapped file. By value, the rows
 * up to the page's end are put in order first (result_order.h): a top-k
 * page costs O(n log k), a page deep into the result O(n log n); a cached
 * order is the next step if that shows.
 *
 * The stream is fed (hgc_call_feed): the handler maps the file and puts
 * the rows in order on its pool thread (the sort is the long part), then
 * hands the call to a feed that builds one page each time the one before
 * was written, on the polling thread. A client that reads slowly holds no
 * thread, only the mapping, the order and its place. Pages are built in
 * scratch memory of the thread that builds them (the layer packs a page
 * before that thread builds another), so an open stream does not keep a
 * page's buffers while it waits.
 */
#include "results.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

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

/* Page buffers of one thread (see the top). */
typedef struct page_scratch {
    Hgc__V1__ResultRow rows[PAGE_ROWS], *row_ptrs[PAGE_ROWS];
    Hgc__V1__VertexId ids[PAGE_ROWS], value_ids[PAGE_ROWS];
    Hgc__V1__Value values[PAGE_ROWS];
    svc_path_value paths[PAGE_ROWS];
    size_t n_paths; /* of the last page: freed when the next is built */
    char *text;     /* string ids of the page, NUL-terminated */
    size_t text_cap;
} page_scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void free_paths(page_scratch *ps)
{
    for (size_t j = 0; j < ps->n_paths; j++)
        svc_path_value_free(&ps->paths[j]);
    ps->n_paths = 0;
}

static void scratch_free(void *p)
{
    page_scratch *ps = p;
    if (!ps)
        return;
    free_paths(ps);
    free(ps->text);
    free(ps);
}

static void scratch_key_make(void)
{
    pthread_key_create(&scratch_key, scratch_free);
}

/* This thread's scratch, its last page's paths freed; NULL if out of memory. */
static page_scratch *scratch_get(void)
{
    pthread_once(&scratch_once, scratch_key_make);
    page_scratch *ps = pthread_getspecific(scratch_key);
    if (!ps) {
        ps = calloc(1, sizeof *ps);
        if (!ps || pthread_setspecific(scratch_key, ps) != 0) {
            free(ps);
            return NULL;
        }
    }
    free_paths(ps);
    return ps;
}

/* One open ReadResult stream. */
typedef struct result_feed {
    algo_result r;
    uint32_t *index; /* row order, or NULL for the file's */
    uint64_t pos, end, n_rows;
    int64_t task_id;
    Hgc__V1__ResultPage page;
} result_feed;

static void feed_release(void *arg)
{
    result_feed *f = arg;
    free(f->index);
    algo_result_unmap(&f->r);
    free(f);
}

/* Bytes the string ids of rows [pos, pos + k) need, NULs included. */
static size_t text_need(const result_feed *f, uint64_t pos, size_t k)
{
    size_t need = 0;
    const algo_idmap *ids = &f->r.ids;
    for (size_t j = 0; j < k; j++) {
        uint64_t v = f->index ? f->index[pos + j] : pos + j;
        if (algo_idmap_is_str(ids, v))
            need += ids->str_off[v + 1] - ids->str_off[v] + 1;
        if (f->r.kind == ALGO_VALUE_VERTEX) {
            uint32_t u = ((const uint32_t *)f->r.values)[v];
            if (algo_idmap_is_str(ids, u))
                need += ids->str_off[u + 1] - ids->str_off[u] + 1;
        }
    }
    return need;
}

/* Vertex i's id; a string id is copied to *text (advanced past it). */
static void put_id(Hgc__V1__VertexId *id, const algo_idmap *ids, uint64_t i, char **text)
{
    hgc__v1__vertex_id__init(id);
    if (algo_idmap_is_str(ids, i)) {
        size_t len = ids->str_off[i + 1] - ids->str_off[i];
        memcpy(*text, ids->str + ids->str_off[i], len);
        (*text)[len] = '\0';
        id->kind_case = HGC__V1__VERTEX_ID__KIND_STR;
        id->str = *text;
        *text += len + 1;
    } else {
        id->kind_case = HGC__V1__VERTEX_ID__KIND_NUM;
        id->num = ids->num[i];
    }
}

/* The layer's feed: the next page (the last one goes with status OK). */
static int feed_page(hgc_call *call, void *arg, const ProtobufCMessage **out)
{
    result_feed *f = arg;
    char msg[ALGO_MSG_MAX] = "";
    page_scratch *ps = scratch_get();
    if (!ps)
        return hgc_call_set_error(call, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    uint64_t left = f->end - f->pos;
    size_t k = left < PAGE_ROWS ? (size_t)left : PAGE_ROWS;
    size_t need = text_need(f, f->pos, k);
    if (need > ps->text_cap) {
        char *grown = realloc(ps->text, need);
        if (!grown)
            return hgc_call_set_error(call, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
        ps->text = grown;
        ps->text_cap = need;
    }
    char *text = ps->text;
    const algo_result *r = &f->r;
    for (size_t j = 0; j < k; j++) {
        uint64_t v = f->index ? f->index[f->pos + j] : f->pos + j;
        hgc__v1__result_row__init(&ps->rows[j]);
        put_id(&ps->ids[j], &r->ids, v, &text);
        Hgc__V1__Value *val = &ps->values[j];
        hgc__v1__value__init(val);
        switch (r->kind) {
        case ALGO_VALUE_DOUBLE:
            val->kind_case = HGC__V1__VALUE__KIND_NUMBER;
            val->number = ((const double *)r->values)[v];
            break;
        case ALGO_VALUE_INT64:
            val->kind_case = HGC__V1__VALUE__KIND_INTEGER;
            val->integer = ((const int64_t *)r->values)[v];
            break;
        case ALGO_VALUE_VERTEX: {
            /* A vertex as its id: a number, or text. */
            uint32_t u = ((const uint32_t *)r->values)[v];
            put_id(&ps->value_ids[j], &r->ids, u, &text);
            if (ps->value_ids[j].kind_case == HGC__V1__VERTEX_ID__KIND_STR) {
                val->kind_case = HGC__V1__VALUE__KIND_TEXT;
                val->text = ps->value_ids[j].str;
            } else {
                val->kind_case = HGC__V1__VALUE__KIND_INTEGER;
                val->integer = ps->value_ids[j].num;
            }
            break;
        }
        case ALGO_VALUE_PATHS:
            ps->n_paths = j + 1; /* freed with the page, also after a failure */
            if (svc_path_value_build(&ps->paths[j], r, v, msg) < 0)
                return hgc_call_set_error(call, GRPC_STATUS_INTERNAL, "cannot read the result: %s",
                                          msg);
            *val = ps->paths[j].value;
            break;
        }
        ps->rows[j].id = &ps->ids[j];
        ps->rows[j].value = val;
        ps->row_ptrs[j] = &ps->rows[j];
    }
    f->pos += k;
    f->page.n_rows = k;
    f->page.rows = ps->row_ptrs;
    *out = &f->page.base;
    return f->pos < f->end ? HGC_FEED_MORE : GRPC_STATUS_OK;
}

grpc_status_code svc_results_stream(hgc_call *call, const char *dir, int64_t task_id,
                                    svc_result_order order, int64_t offset, int64_t limit)
{
    char path[PATH_MAX], msg[ALGO_MSG_MAX] = "";
    result_feed *f = calloc(1, sizeof *f);
    if (!f)
        return hgc_call_set_error(call, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    snprintf(path, sizeof path, "%s/result.bin", dir);
    struct stat st;
    if (stat(path, &st) < 0 && errno == ENOENT) {
        free(f);
        return hgc_call_set_error(call, GRPC_STATUS_FAILED_PRECONDITION,
                                  "task %lld has no result file to read (a success reported by "
                                  "an update, not by a worker's run, has none)",
                                  (long long)task_id);
    }
    if (algo_result_map(&f->r, path, msg) < 0) {
        free(f);
        return hgc_call_set_error(call, GRPC_STATUS_INTERNAL, "cannot read the result: %s", msg);
    }
    algo_result *r = &f->r;
    /* rows: every vertex, or for paths those with a finite distance */
    uint64_t n_rows = r->n;
    if ((order != SVC_ORDER_VERTEX || r->kind == ALGO_VALUE_PATHS) && r->n > 0) {
        f->index = malloc(r->n * sizeof *f->index);
        if (f->index == NULL) {
            feed_release(f);
            return hgc_call_set_error(call, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
        }
        n_rows = 0;
        for (uint64_t i = 0; i < r->n; i++)
            if (r->kind != ALGO_VALUE_PATHS || ((const double *)r->values)[i] < INFINITY)
                f->index[n_rows++] = (uint32_t)i;
    }
    uint64_t begin = (uint64_t)offset < n_rows ? (uint64_t)offset : n_rows;
    uint64_t end = limit < 0 || begin + (uint64_t)limit > n_rows ? n_rows : begin + (uint64_t)limit;
    /* The order here, on the pool: O(n log n) for a deep page of a big
     * result is too long for the polling thread the feed runs on. */
    if (order != SVC_ORDER_VERTEX && n_rows > 0 &&
        svc_result_order_rows(f->index, n_rows, r, order == SVC_ORDER_DESC, end) != 0) {
        feed_release(f);
        return hgc_call_set_error(call, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    }
    f->pos = begin;
    f->end = end;
    f->n_rows = n_rows;
    f->task_id = task_id;
    hgc__v1__result_page__init(&f->page);
    f->page.task_id = task_id;
    f->page.algorithm = r->algorithm;
    f->page.property = r->property;
    f->page.total = (int64_t)n_rows;
    /* An empty range still sends one page: the header fields. */
    hgc_call_feed(call, feed_page, feed_release, f);
    return GRPC_STATUS_OK; /* ignored: the feed has the call */
}
