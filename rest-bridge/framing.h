/* framing.h: where a request body ends, checked before it is read
 * (RFC 9112, section 6.3). libmicrohttpd 0.9.75 takes the first of two
 * different Content-Length headers, lets Transfer-Encoding: chunked win
 * over a Content-Length, and drops a connection with any other
 * Transfer-Encoding without an answer. Behind a proxy that reads such a
 * request the other way, the rest of it would be a smuggled request, so
 * hgc-rest refuses them all and closes the connection after the answer:
 *
 *   - Content-Length headers with different values: 400;
 *   - Transfer-Encoding and Content-Length together: 400;
 *   - a Transfer-Encoding other than one "chunked": 501.
 */
#ifndef REST_FRAMING_H
#define REST_FRAMING_H

#include <microhttpd.h>
#include "answer.h"

/* 0 if the framing is plain; -1 with *ans the refusal. */
int rest_framing_check(struct MHD_Connection *c, rest_answer *ans);

#endif
