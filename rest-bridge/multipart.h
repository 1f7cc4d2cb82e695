/* multipart.h: a streaming multipart/form-data parser (RFC 7578, RFC 2046
 * section 5.1), free of any HTTP library so that it can be tested alone.
 *
 * The body may come in pieces split anywhere; each part's data goes to the
 * callbacks as it is found, in pieces of any size, never gathered: memory
 * stays at one header line and the parser's state whatever the body's
 * size. A preamble before the first boundary and an epilogue after the
 * closing one are ignored. Each part needs a Content-Disposition header
 * with a name; other headers are ignored (Content-Transfer-Encoding too:
 * data is taken as sent, as every HTTP client sends it).
 */
#ifndef REST_MULTIPART_H
#define REST_MULTIPART_H

#include <stddef.h>
#include "base/limits.h"

#define REST_MP_MSG_MAX      HGC_MSG_MAX
#define REST_MP_BOUNDARY_MAX 70  /* RFC 2046 */
#define REST_MP_NAME_MAX     256 /* a part's name or filename, bytes */
#define REST_MP_LINE_MAX     2048
#define REST_MP_HEADERS_MAX  32 /* header lines of a part */

/* What a parser calls; each returns 0 to go on, or -1 with msg set (the
 * parser then stops and passes the -1 on). */
typedef struct rest_mp_sink {
    /* A part begins: its name and filename ("" if none), NUL-terminated. */
    int (*begin)(void *ud, const char *name, const char *filename, char msg[REST_MP_MSG_MAX]);
    /* A piece of the part's data (len >= 1). */
    int (*data)(void *ud, const char *data, size_t len, char msg[REST_MP_MSG_MAX]);
    /* The part ended (its closing delimiter was seen). */
    int (*end)(void *ud, char msg[REST_MP_MSG_MAX]);
    void *ud;
} rest_mp_sink;

typedef struct rest_multipart rest_multipart;

/* The boundary parameter of a Content-Type value of the media type
 * multipart/form-data ("multipart/form-data; boundary=xyz", quoted or
 * not) into out (REST_MP_BOUNDARY_MAX + 1 bytes). 0, or -1 with msg: not
 * that media type, no boundary, or one that RFC 2046 does not allow. */
int rest_multipart_boundary(const char *content_type, char out[REST_MP_BOUNDARY_MAX + 1],
                            char msg[REST_MP_MSG_MAX]);

/* A parser of a body with that boundary (checked as above); NULL if out of
 * memory. The sink is copied. */
rest_multipart *rest_multipart_new(const char *boundary, const rest_mp_sink *sink);

/* The next piece of the body. 0, or -1 with msg (malformed, or a callback
 * refused; every later call then answers -1 with the same msg). */
int rest_multipart_feed(rest_multipart *mp, const char *data, size_t len,
                        char msg[REST_MP_MSG_MAX]);

/* The end of the body: 0 if the closing boundary was seen, else -1 with
 * msg (the body ended early). */
int rest_multipart_finish(rest_multipart *mp, char msg[REST_MP_MSG_MAX]);

/* NULL is fine. */
void rest_multipart_free(rest_multipart *mp);

#endif
