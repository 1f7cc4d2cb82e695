/* ndjson_response.c: see ndjson_response.h. */
#include "ndjson_response.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "answer.h"

#define NDJSON_BLOCK (16 * 1024)

typedef struct ndjson_pump {
    rest_ndjson *nd;
    struct MHD_Connection *c;
    rest_pool *pool;
    size_t have, off;
    int eof;
    char buf[NDJSON_BLOCK];
} ndjson_pump;

static void ndjson_fill(void *arg)
{
    ndjson_pump *p = arg;
    p->have = rest_ndjson_read(p->nd, p->buf, sizeof p->buf);
    p->off = 0;
    p->eof = p->have == 0;
    MHD_resume_connection(p->c);
}

static ssize_t ndjson_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    ndjson_pump *p = cls;
    if (p->off < p->have) {
        size_t n = p->have - p->off < max ? p->have - p->off : max;
        memcpy(buf, p->buf + p->off, n);
        p->off += n;
        return (ssize_t)n;
    }
    if (p->eof)
        return MHD_CONTENT_READER_END_OF_STREAM;
    /* Suspended first, so that the job's resume always finds it so. */
    MHD_suspend_connection(p->c);
    if (rest_pool_submit(p->pool, ndjson_fill, p) < 0) { /* stopping, or full */
        p->eof = 1;
        MHD_resume_connection(p->c);
    }
    return 0;
}

/* Runs when libmicrohttpd is done with the response: the end of the
 * stream, or the client gone (never while a fill runs: the connection is
 * suspended then). The stream belongs to the response, not to the
 * request context, because libmicrohttpd may destroy the response after
 * the request-completed callback. */
static void ndjson_free(void *cls)
{
    ndjson_pump *p = cls;
    rest_ndjson_free(p->nd);
    free(p);
}

struct MHD_Response *rest_ndjson_response(rest_ndjson *nd, struct MHD_Connection *c,
                                          rest_pool *pool)
{
    ndjson_pump *p = calloc(1, sizeof *p);
    if (!p) {
        rest_ndjson_free(nd);
        return NULL;
    }
    p->nd = nd;
    p->c = c;
    p->pool = pool;
    struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, NDJSON_BLOCK,
                                                                  ndjson_reader, p, ndjson_free);
    if (!resp) {
        ndjson_free(p);
        return NULL;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, REST_NDJSON_TYPE);
    return resp;
}
