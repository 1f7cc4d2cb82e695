/* ndjson_response.h: an ndjson stream (stream.h) as libmicrohttpd's
 * response. Its next block is read on a pool thread (it may wait for
 * hgc-server's next event as long as the stream lasts) while the
 * connection is suspended; the event loop only copies it out.
 */
#ifndef REST_NDJSON_RESPONSE_H
#define REST_NDJSON_RESPONSE_H

#include <microhttpd.h>

#include "pool.h"
#include "stream.h"

/* The response (application/x-ndjson, unknown length) for connection c,
 * its blocks read on pool. It owns nd from here on, also when it returns
 * NULL (out of memory). */
struct MHD_Response *rest_ndjson_response(rest_ndjson *nd, struct MHD_Connection *c,
                                          rest_pool *pool);

#endif
