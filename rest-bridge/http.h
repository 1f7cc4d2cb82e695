/* http.h: hgc-rest's HTTP server (libmicrohttpd in epoll mode, a few
 * event-loop threads), driving the bridge. A request that needs
 * hgc-server suspends its connection; a unary call starts from the event
 * loop and its completion (on the gRPC client's thread) resumes the
 * connection with the answer; a streaming call, which blocks, runs on a
 * bounded pool (pool.h) that resumes it the same way; read
 * deadlines (deadline.h) close connections that send too slowly. Every request has one context,
 * made when its request line arrives and freed in libmicrohttpd's request-completed callback, which
 * also writes the request's log line (method, target, status, ms).
 */
#ifndef REST_HTTP_H
#define REST_HTTP_H

#include <stddef.h>
#include "bridge.h"

typedef struct rest_server rest_server;

/* Listens on the bridge's configured address and serves. `bound` gets
 * "HOST:PORT" with the real port (port 0 picks one). 0, or -1 with msg. */
int rest_server_start(rest_server **out, rest_bridge *b, char *bound, size_t bound_size,
                      char msg[REST_MSG_MAX]);

/* Stops taking connections, cancels the upstream streams in progress,
 * waits for every connection to end and frees the server. The bridge is
 * the caller's to free after. NULL is fine. */
void rest_server_stop(rest_server *s);

#endif
