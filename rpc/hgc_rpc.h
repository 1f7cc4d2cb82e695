/* hgc_rpc.h: the gRPC layer of hgc, over the gRPC C core (grpc/grpc.h).
 *
 * protobuf-c gives the message types and, per service, a descriptor listing
 * every method with its input and output message descriptors. This layer
 * turns those descriptors into a running server (completion queues, one
 * polling thread each, handlers on a pool of threads for blocking work) and
 * into client calls (blocking, or unary calls that complete on a callback).
 * No per-method plumbing: a service is registered by its descriptor plus a
 * table of handlers by method name; a method without a handler, and any
 * method nobody registered, answers UNIMPLEMENTED.
 *
 * Threads: every function here may be called from any thread. A handler
 * runs on a pool thread and may block on CPU work or SQLite; a method
 * flagged HGC_METHOD_INLINE runs on the polling thread and must never
 * block. No call holds a thread while it waits for its client:
 *   - a server stream that waits for events: its handler keeps the call
 *     (hgc_call_keep) and returns; whoever has news posts it
 *     (hgc_call_post) and ends the call (hgc_call_end);
 *   - a server stream that has all its messages at hand but should not
 *     hold a thread while a slow client reads them is fed
 *     (hgc_call_feed): the layer asks for each next message once the one
 *     before it was written;
 *   - a client stream is consumed (hgc_call_consume): the layer hands each
 *     message to the pool once it has arrived.
 *
 * Errors: functions that can fail return 0 on success, a negative value
 * otherwise, and fill a caller's `char msg[HGC_MSG_MAX]` when given one.
 */
#ifndef HGC_RPC_H
#define HGC_RPC_H

#include <stddef.h>
#include <stdint.h>
#include <grpc/status.h>
#include <protobuf-c/protobuf-c.h>

#include "base/limits.h" /* HGC_MSG_MAX */

/* Process-wide set-up and tear-down of the gRPC library; counted, so
 * nested pairs are fine. */
void hgc_rpc_init(void);
void hgc_rpc_shutdown(void);

/* Turns off abseil's mutex deadlock detector, which Debian's abseil runs
 * on every lock of gRPC's (a few % of a busy process's CPU), unless the
 * environment has HGC_ABSL_DEADLOCK_DETECTION=1 (to hunt a lock-order
 * bug). Early in main, before the first gRPC call; there is no way back
 * on. 0 (off, or kept on as asked), or -1 if this abseil has no setter we
 * know (then nothing changed). */
int hgc_rpc_no_deadlock_detector(void);

/* Canonical upper-case name of a status code ("INVALID_ARGUMENT"). */
const char *hgc_status_name(grpc_status_code code);

/* ------------------------------------------------------------------ */
/* Server side                                                         */
/* ------------------------------------------------------------------ */

typedef enum hgc_rpc_kind {
    HGC_RPC_UNARY = 0,
    HGC_RPC_SERVER_STREAM,
    HGC_RPC_CLIENT_STREAM,
    HGC_RPC_BIDI_STREAM,
} hgc_rpc_kind;

/* One call in progress on the server. Owned by the layer; valid until the
 * handler returns. */
typedef struct hgc_call hgc_call;

/* A handler. For unary and server-streaming methods the request is already
 * received: hgc_call_request(). A client-streaming handler hands the call
 * to a consumer (hgc_call_consume), which is given the messages.
 *
 * It answers with hgc_call_send() (once for unary methods, any number of
 * times for server streams) and returns the call's status. On a non-OK
 * status the text set by hgc_call_set_error() is sent as the status details
 * (a generic text if none was set); a unary reply sent before a non-OK
 * status is dropped. */
typedef grpc_status_code (*hgc_handler_fn)(hgc_call *call, void *user_data);

/* How a method's handler runs (hgc_method_impl.flags; 0: on the pool, in
 * arrival order, behind other clients' calls):
 *   HGC_METHOD_INLINE: on the polling thread, no hand-off. Only for
 *     handlers that never block (no lock held by slow work, no I/O, no
 *     SQLite writes): each one delays every other call while it runs. A
 *     handler whose work is short only for some requests (a page of a
 *     list up to some size) is flagged too, and returns HGC_CALL_ON_POOL
 *     for the others (below).
 *   HGC_METHOD_PRIORITY: on the pool, ahead of every call without it, and
 *     on threads that calls without it can never all take (the pool keeps
 *     some for these): workers' reports, health. */
enum {
    HGC_METHOD_INLINE = 1,
    HGC_METHOD_PRIORITY = 2,
};

typedef struct hgc_method_impl {
    const char *method; /* the method's name as in the .proto: "GetJob" */
    hgc_rpc_kind kind;
    hgc_handler_fn fn;
    int flags; /* HGC_METHOD_* */
} hgc_method_impl;

typedef struct hgc_server hgc_server;

typedef struct hgc_server_options {
    int max_threads;       /* handler threads at most (calls beyond wait); 0: 64 */
    int max_queue;         /* calls waiting for a thread at most; beyond, a call is
                            * answered RESOURCE_EXHAUSTED at once; 0: 4096 */
    int max_message_bytes; /* largest message received; 0: 64 MiB */
    int pollers;           /* completion queues, each with its polling thread; gRPC
                            * binds each connection to one of them (round robin);
                            * 0: 1, at most 64 */
} hgc_server_options;

int hgc_server_new(hgc_server **out, const hgc_server_options *opts /* may be NULL */);

/* Registers every method of `svc`; those named in `impls` are served by
 * their handler, the rest answer UNIMPLEMENTED. Before hgc_server_start. */
int hgc_server_add_service(hgc_server *s, const ProtobufCServiceDescriptor *svc,
                           const hgc_method_impl *impls, size_t n_impls, void *user_data,
                           char msg[HGC_MSG_MAX]);

/* Serves grpc.health.v1.Health/Check (and Watch): SERVING for "" and for
 * every service added, SERVICE_UNKNOWN (NOT_FOUND for Check) otherwise;
 * NOT_SERVING for all once shutdown began. Before hgc_server_start. */
int hgc_server_add_health(hgc_server *s, char msg[HGC_MSG_MAX]);

/* Binds `addr` ("127.0.0.1:0" picks a free port), starts serving. On
 * success *bound_port is the port. */
int hgc_server_start(hgc_server *s, const char *addr, int *bound_port, char msg[HGC_MSG_MAX]);

/* Stops taking calls, lets calls in progress finish for up to grace_ms,
 * then cancels the rest and waits for their handlers to return. Safe to
 * call once from any thread except a handler. */
void hgc_server_shutdown(hgc_server *s, int grace_ms);

/* After hgc_server_shutdown (or if never started). NULL is fine. */
void hgc_server_free(hgc_server *s);

/* --- inside a handler --- */

/* The request of a unary or server-streaming call (never NULL there). */
const ProtobufCMessage *hgc_call_request(hgc_call *call);

/* Sends one reply message. For unary methods it is kept and sent with the
 * status when the handler returns. For streams it is sent now; the return
 * is negative if the client has gone (cancelled, deadline passed). */
int hgc_call_send(hgc_call *call, const ProtobufCMessage *msg);

/* Status details for a non-OK return; printf-style. Returns `code`, so a
 * handler can `return hgc_call_set_error(call, GRPC_STATUS_NOT_FOUND, ...)`. */
grpc_status_code hgc_call_set_error(hgc_call *call, grpc_status_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* True once the client cancelled, its deadline passed or the server is
 * shutting down. Long-running handlers check it. */
int hgc_call_cancelled(hgc_call *call);

/* Blocks up to timeout_ms or until the call is cancelled, whichever is
 * first; returns hgc_call_cancelled(). For handlers that poll. */
int hgc_call_wait_cancelled(hgc_call *call, int timeout_ms);

/* Milliseconds left before the client's deadline; INT64_MAX for none. */
int64_t hgc_call_deadline_ms(hgc_call *call);

/* Memory that lives until the call ends (an arena; never NULL: aborts on
 * exhaustion of memory). For building replies. */
void *hgc_call_alloc(hgc_call *call, size_t size);
char *hgc_call_strdup(hgc_call *call, const char *s);
char *hgc_call_printf(hgc_call *call, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The value of a request metadata key (first one), or NULL. */
const char *hgc_call_metadata(hgc_call *call, const char *key);

/* "ipv4:127.0.0.1:53422" */
const char *hgc_call_peer(hgc_call *call);

/* Which of the server's pollers (0 .. pollers-1) the call arrived on. */
int hgc_call_poller(hgc_call *call);

/* True while the handler runs on the polling thread (HGC_METHOD_INLINE). */
int hgc_call_inline(hgc_call *call);

/* Returned by a handler running inline before it sent anything: "this
 * request's work is not short: run me again, from the start, on the
 * pool". The call then queues as one that came with its method not
 * flagged inline (refused with RESOURCE_EXHAUSTED when the queue is full;
 * in the priority lane for HGC_METHOD_PRIORITY). A handler on the pool
 * that returns it ends its call with INTERNAL. */
#define HGC_CALL_ON_POOL (-3)

/* --- server streams that wait for events: subscriptions --- */

/* Called once when a kept call ends without hgc_call_end: `why` is
 * CANCELLED (the client went away), DEADLINE_EXCEEDED (its deadline
 * passed) or UNAVAILABLE (the server is shutting down). It runs on the
 * polling thread or a pool thread, never while the handler still runs,
 * and must end the call (hgc_call_end) before it returns, unless an
 * hgc_call_end of another thread got there first (then it does nothing).
 * The call's memory (hgc_call_alloc) stays valid while it runs. */
typedef void (*hgc_done_fn)(hgc_call *call, void *arg, grpc_status_code why);

/* For server-streaming handlers: the call outlives the handler. The
 * handler's return value is then ignored; the call ends with
 * hgc_call_end, from any thread. `done` tells of the client's leaving. */
void hgc_call_keep(hgc_call *call, hgc_done_fn done, void *arg);

/* Queues one message of a kept call without waiting: sent when the one
 * before it went out. At most one waits: a newer message replaces a
 * queued one that has not started (a slow reader gets the latest, not a
 * backlog). -1 once the call ended. Any thread. */
int hgc_call_post(hgc_call *call, const ProtobufCMessage *msg);

/* Ends a kept call: queued messages go first, then the status (`fmt` its
 * details for a non-OK code; NULL: the code's name). The call must not be
 * used after. A second end, or one after `done` ended it, does nothing. */
void hgc_call_end(hgc_call *call, grpc_status_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* --- server streams fed message by message --- */

/* Returned by a feed for "here is *msg, ask me again". */
#define HGC_FEED_MORE (-1)

/* Asked for a fed stream's next message. Either sets *msg and returns
 * HGC_FEED_MORE: the message is packed at once (its memory is the feed's
 * again on return) and the feed is asked again once it was written; or
 * returns the call's status: for GRPC_STATUS_OK a *msg set is the last
 * message, sent with the status; for other codes *msg is ignored and the
 * text of hgc_call_set_error is the status details.
 *
 * It runs on the polling thread (the first time on the thread calling
 * hgc_call_feed), never twice at once, and must not block: CPU work such
 * as reading a mapped file and building a page is fine; a lock held by
 * slow work, I/O that can wait, or SQLite is not. hgc_call_set_error is
 * the only call API it uses besides hgc_call_cancelled. */
typedef int (*hgc_feed_fn)(hgc_call *call, void *arg, const ProtobufCMessage **msg);

/* Runs once when the feed will not be asked again (it finished, failed,
 * the client left or the server stopped): frees what `arg` holds. Any
 * thread; never while the feed runs. */
typedef void (*hgc_feed_release_fn)(void *arg);

/* For server-streaming handlers: hands the call to `feed`, which is asked
 * for the first message at once (on this thread) and for each next one
 * from the completion queue, so a slow reader holds no thread. After it
 * the handler must not use the call and returns at once (its return value
 * is ignored). `release` (may be NULL) runs exactly once, perhaps before
 * hgc_call_feed returns. Not for calls already kept or sent on. */
void hgc_call_feed(hgc_call *call, hgc_feed_fn feed, hgc_feed_release_fn release, void *arg);

/* --- client streams consumed message by message --- */

/* Given each message of a consumed client stream, on a pool thread (it may
 * block: parsing, disk, SQLite), one at a time, in order; then once with
 * msg NULL at the end of the stream (the client half-closed; a stream
 * the client cancelled never gets here). `msg` and what it points at are
 * valid until it returns.
 *
 * For a message it returns HGC_FEED_MORE ("give me the next") or a status
 * that ends the call at once (the rest of the stream is not read: an
 * error, with hgc_call_set_error). At the end it returns the call's
 * status, after hgc_call_send of the reply for GRPC_STATUS_OK. Either
 * time it may return HGC_CALL_LATER (below): it is given the same message
 * (or the end) again once resumed. */
typedef int (*hgc_consume_fn)(hgc_call *call, void *arg, const ProtobufCMessage *msg);

/* For client-streaming handlers: hands the call to `each`. The handler
 * then returns at once without using the call (its return value is
 * ignored); the first message is asked for after it returned. Between
 * messages the call holds no thread. `release` (may be NULL) runs exactly
 * once, after the last `each` or when the client left or the server
 * stopped while a message was awaited, and frees what `arg` holds (a load
 * not finished is dropped there). */
void hgc_call_consume(hgc_call *call, hgc_consume_fn each, hgc_feed_release_fn release, void *arg);

/* --- calls that wait for something else without a thread --- */

/* Returned by a handler on the pool (before it sent or kept anything) or
 * by a consumer: "I cannot go on until something else ends; run me again,
 * from the start, once hgc_call_resume(call) is called". The call holds
 * no thread meanwhile; it runs again with the same request (a consumer:
 * the same message). Before returning it, the handler has arranged for
 * one hgc_call_resume (it may even have happened already, on another
 * thread: then it runs again at once). A call that was cancelled or whose
 * server began to stop meanwhile ends when resumed, without running. */
#define HGC_CALL_LATER (-2)

/* A reference that keeps `call` valid until hgc_call_resume, which drops
 * it. Taken by whoever promises the resume. */
void hgc_call_hold(hgc_call *call);
/* Runs a call that returned HGC_CALL_LATER again, on the pool (once per
 * hgc_call_hold). Any thread. */
void hgc_call_resume(hgc_call *call);

/* ------------------------------------------------------------------ */
/* Client side                                                         */
/* ------------------------------------------------------------------ */

typedef struct hgc_status {
    grpc_status_code code;
    char message[512];
} hgc_status;

typedef struct hgc_channel hgc_channel;

/* An insecure channel to "host:port". Connects lazily. */
int hgc_channel_new(hgc_channel **out, const char *target, char msg[HGC_MSG_MAX]);
/* Cancels the asynchronous calls still in flight and waits for their
 * `done` to have run, then frees. Never from a `done` callback. NULL is
 * fine. */
void hgc_channel_free(hgc_channel *ch);

/* A unary call to `method` of `svc`. On GRPC_STATUS_OK *reply is set
 * (free it with protobuf_c_message_free_unpacked(*reply, NULL)); otherwise
 * st says why. timeout_ms <= 0: no deadline. Returns st->code. */
grpc_status_code hgc_unary(hgc_channel *ch, const ProtobufCServiceDescriptor *svc,
                           const char *method, const ProtobufCMessage *req,
                           ProtobufCMessage **reply, int timeout_ms, hgc_status *st);

/* (Addition) hgc_unary with the reply unpacked by `alloc` (NULL: protobuf-c's
 * malloc, as hgc_unary), e.g. an arena that lives as long as the request:
 * then *reply goes with the arena, or is freed with
 * protobuf_c_message_free_unpacked(*reply, alloc). An allocator that fails
 * makes the call INTERNAL ("a reply that does not parse"). */
grpc_status_code hgc_unary_alloc(hgc_channel *ch, const ProtobufCServiceDescriptor *svc,
                                 const char *method, const ProtobufCMessage *req,
                                 ProtobufCMessage **reply, ProtobufCAllocator *alloc,
                                 int timeout_ms, hgc_status *st);

/* Asynchronous unary calls: nothing blocks while one is in flight. The
 * call starts here and `done` runs once, later, on the channel's
 * completion-queue thread (one per channel, started with its first
 * asynchronous call), with the status and, on GRPC_STATUS_OK, the reply
 * unpacked by `alloc` (NULL: malloc) that `done` now owns: it frees it with
 * protobuf_c_message_free_unpacked(reply, alloc), or keeps it. On any other
 * status reply is NULL. `done` must not block (every other call's
 * completion waits behind it) and must not free the channel. `req` and
 * `st` are the caller's again when hgc_unary_async returns; `alloc` must
 * live until `done` runs.
 *
 * Returns 0 if the call started (`done` will run), or a negative value
 * with *st saying why not (`done` will not run). timeout_ms <= 0: no
 * deadline. */
typedef void (*hgc_unary_done_fn)(void *arg, const hgc_status *st, ProtobufCMessage *reply);

int hgc_unary_async(hgc_channel *ch, const ProtobufCServiceDescriptor *svc, const char *method,
                    const ProtobufCMessage *req, ProtobufCAllocator *alloc, int timeout_ms,
                    hgc_unary_done_fn done, void *arg, hgc_status *st);

/* Cancels every asynchronous call in flight on the channel (their `done`
 * hears CANCELLED; calls started after are not affected). Any thread. */
void hgc_channel_cancel_async(hgc_channel *ch);

/* Streaming calls, one message at a time, blocking. */
typedef struct hgc_stream hgc_stream;

/* Starts a call. For a server-streaming method pass its one request as
 * `req` (it is sent and the sending side closed); for client- and bidi-
 * streaming methods pass NULL and use hgc_stream_send. */
int hgc_stream_start(hgc_stream **out, hgc_channel *ch, const ProtobufCServiceDescriptor *svc,
                     const char *method, const ProtobufCMessage *req, int timeout_ms,
                     char msg[HGC_MSG_MAX]);
/* 0 sent; negative if the call already ended (read the status with finish). */
int hgc_stream_send(hgc_stream *s, const ProtobufCMessage *msg);
/* Half-close: no more messages from this side. */
int hgc_stream_close_send(hgc_stream *s);
/* 1 and *msg (free with protobuf_c_message_free_unpacked), 0 at the end of
 * the server's messages (then call finish), negative on error. */
int hgc_stream_recv(hgc_stream *s, ProtobufCMessage **msg);
/* Waits for the status. Returns st->code. */
grpc_status_code hgc_stream_finish(hgc_stream *s, hgc_status *st);
/* Cancels the call (any thread); a later finish reports CANCELLED. */
void hgc_stream_cancel(hgc_stream *s);
/* Cancels if not finished, frees. NULL is fine. */
void hgc_stream_free(hgc_stream *s);

#endif
