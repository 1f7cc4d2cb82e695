/* deadline.h: read deadlines of hgc-rest's connections. libmicrohttpd
 * 0.9.75 only has an idle timeout, which a slow client (one byte every
 * few seconds) resets forever. Here every connection has a deadline by
 * which it must have sent what hgc-rest waits for (the headers of a
 * request, the rest of a body); one thread looks once every
 * REST_DEADLINE_TICK_MS and shuts a connection past its deadline down,
 * which libmicrohttpd then sees as the client gone and closes. A
 * connection that is not reading (waiting for hgc-server, or sending an
 * answer) has no deadline.
 *
 * Cost: one lock per connection opened and closed; a deadline change is
 * one atomic store; the sweep walks every connection once a tick
 * (10,000 connections: well under a millisecond).
 */
#ifndef REST_DEADLINE_H
#define REST_DEADLINE_H

#include <stdint.h>
#include "json_pb.h" /* REST_MSG_MAX */

#define REST_DEADLINE_TICK_MS 250

typedef struct rest_deadlines rest_deadlines;
typedef struct rest_conn rest_conn;

/* Starts the sweeping thread. 0, or -1 with msg. */
int rest_deadlines_new(rest_deadlines **out, char msg[REST_MSG_MAX]);
/* Stops the thread and frees (every connection must be removed). NULL is fine. */
void rest_deadlines_free(rest_deadlines *d);

/* Now on the clock deadlines are set in, in ms. */
int64_t rest_deadline_now(void);

/* A connection on socket fd, due at `due` (rest_deadline_now() based;
 * 0: none). NULL if out of memory (the connection then has none). */
rest_conn *rest_conn_add(rest_deadlines *d, int fd, int64_t due);
/* Before libmicrohttpd closes its socket. NULL is fine. */
void rest_conn_remove(rest_deadlines *d, rest_conn *c);
/* A new deadline (0: none). NULL is fine. */
void rest_conn_due(rest_conn *c, int64_t due);

#endif
