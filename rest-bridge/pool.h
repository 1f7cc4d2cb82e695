/* pool.h: a small bounded pool of threads for the bridge's blocking work
 * (the upstream gRPC calls), so that libmicrohttpd's event-loop threads
 * never wait on hgc-server. A request suspends its connection, hands its
 * call to the pool, and the job resumes the connection when the answer is
 * made.
 *
 * Threads are started on demand up to max_threads and then stay; jobs
 * beyond the idle threads wait in a FIFO queue of at most max_queued, past
 * which rest_pool_submit refuses (the caller answers 503 rather than
 * hang). Every function may run on any thread, except drain and free
 * (not from a job).
 */
#ifndef REST_POOL_H
#define REST_POOL_H

#include <stddef.h>
#include "json_pb.h" /* REST_MSG_MAX */

typedef struct rest_pool rest_pool;
typedef void (*rest_pool_fn)(void *arg);

/* 0, or -1 with msg. */
int rest_pool_new(rest_pool **out, unsigned max_threads, size_t max_queued, char msg[REST_MSG_MAX]);

/* Queues fn(arg). 0; -1 if the queue is full or the pool is closing (fn
 * will not run). */
int rest_pool_submit(rest_pool *p, rest_pool_fn fn, void *arg);

/* Refuses new jobs from now on, runs every job already queued and joins
 * the threads. rest_pool_submit stays safe to call (it refuses). */
void rest_pool_drain(rest_pool *p);

/* Drains (if not yet) and frees. NULL is fine. */
void rest_pool_free(rest_pool *p);

#endif
