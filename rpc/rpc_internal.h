/* rpc_internal.h: what the files of hgc_rpc share and nobody else sees.
 *
 * server.c owns the grpc_server, its completion queues, their polling
 * threads and the handler pool; call.c owns one call's life on the server
 * (its record, arena, blocking ops), feed.c fed server streams and
 * consume.c consumed client streams (all three over the record in
 * call.h); health.c is a service written against the
 * public handler API plus two questions it asks the server; common.c holds
 * init, status names and message <-> byte buffer conversion.
 *
 * Completion-queue tags: every tag the server passes to gRPC points at a
 * struct whose first member is an `enum tag_kind`, so the poller can tell
 * what finished without a lookup.
 */
#ifndef HGC_RPC_INTERNAL_H
#define HGC_RPC_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <grpc/grpc.h>
#include <grpc/byte_buffer.h>
#include "base/arena.h"
#include "base/clock.h"
#include "hgc_rpc.h"

enum tag_kind {
    TAG_REQUEST = 1, /* a registered method's posted request slot */
    TAG_GENERIC,     /* the posted catch-all request (unknown paths) */
    TAG_UNIMPL,      /* the UNIMPLEMENTED answer to an unknown path */
    TAG_CLOSE,       /* a call's RECV_CLOSE_ON_SERVER */
    TAG_SEND,        /* a call's send batch */
    TAG_RECV,        /* a call's recv batch */
    TAG_SHUTDOWN,    /* grpc_server_shutdown_and_notify */
};

/* One registered method of the server. */
typedef struct rpc_method {
    char *path; /* "/hgc.v1.JobService/GetJob" */
    void *reg;  /* grpc_server_register_method's handle */
    const ProtobufCMethodDescriptor *md;
    hgc_rpc_kind kind;
    hgc_handler_fn fn;
    int flags; /* HGC_METHOD_* */
    void *user_data;
} rpc_method;

/* --- arena (call.c) --- */

/* A protobuf-c allocator whose memory comes from `a` (free is a no-op). */
void hgc_arena_pb_allocator(hgc_arena *a, ProtobufCAllocator *out);

/* --- the call record (call.c), driven by server.c --- */

/* Takes over `gc`, `*md` (left empty) and `payload`. `deadline` is the
 * client's, any clock. Never NULL (aborts on memory exhaustion). */
hgc_call *hgc_call_new(hgc_server *s, const rpc_method *m, grpc_call *gc, gpr_timespec deadline,
                       grpc_metadata_array *md, grpc_byte_buffer *payload, int poller);
/* Poller, at arrival: starts RECV_CLOSE_ON_SERVER. */
void hgc_call_arrived(hgc_call *c);
/* Pool thread: unpacks the request, runs the handler, starts the final
 * batch, drops the dispatch reference. */
void hgc_call_run(hgc_call *c);
/* Poller: the same for a method flagged HGC_METHOD_INLINE; a handler that
 * returns HGC_CALL_ON_POOL goes to hgc_server_dispatch with its reference. */
void hgc_call_run_inline(hgc_call *c);
/* Poller, instead of running it: answers `code` with `text` (a string
 * that outlives the call) and drops the dispatch reference. */
void hgc_call_reject(hgc_call *c, grpc_status_code code, const char *text);
/* Poller: a TAG_CLOSE, TAG_SEND or TAG_RECV tag completed. */
void hgc_call_op_done(void *tag, int ok);
/* Shutdown began: a kept call's done hook hears UNAVAILABLE. */
void hgc_call_stopping(hgc_call *c);
/* A reference unless the call is already being freed (then 0). */
int hgc_call_try_ref(hgc_call *c);
void hgc_call_unref(hgc_call *c);
/* True if the call was dispatched to the priority lane (server.c sets it). */
int *hgc_call_lane(hgc_call *c);
/* Wakes whoever waits on the call (shutdown began). */
void hgc_call_wake(hgc_call *c);
/* Intrusive links the server keeps calls on (pool queue, live list). */
hgc_call **hgc_call_next_queued(hgc_call *c);
hgc_call **hgc_call_live_prev(hgc_call *c);
hgc_call **hgc_call_live_next(hgc_call *c);

/* --- server.c services to call.c and health.c --- */

/* How long the end of a client stream waits for a cancel that may be on
 * its way before the handler is told "the end" (consume.c). */
#define HGC_EOF_SETTLE_MS 20

/* Poller: queues a call that just arrived (or was handed off by its
 * inline handler) to the pool, in its method's lane; refused with
 * RESOURCE_EXHAUSTED when the plain lane's queue is full. */
void hgc_server_dispatch(hgc_server *s, hgc_call *c);
/* Queues a call that was already admitted (a consumed stream's next step)
 * to the pool, never refused for a full queue: in its lane, or `urgent`ly
 * in the priority lane (cleanup that other calls may wait for). Any
 * thread. */
void hgc_server_resume(hgc_server *s, hgc_call *c, int urgent);
/* Poller of the call, only: after HGC_EOF_SETTLE_MS, hgc_server_resume. */
void hgc_server_settle(hgc_server *s, hgc_call *c);
/* The time the call leaves the settle list (server.c keeps it there). */
int64_t *hgc_call_settle_due(hgc_call *c);

/* The call record is gone: unlinks it from the live list. */
void hgc_server_call_freed(hgc_server *s, hgc_call *c);
/* True once hgc_server_shutdown began. */
int hgc_server_stopping(const hgc_server *s);
/* True if `name` is "" or the full name of a service added to `s`. */
int hgc_server_knows_service(hgc_server *s, const char *name);
/* The condition attribute (CLOCK_MONOTONIC) for per-call condvars. */
const pthread_condattr_t *hgc_server_condattr(const hgc_server *s);
/* The call's server. */
hgc_server *hgc_call_server(hgc_call *c);
/* The method it calls. */
const rpc_method *hgc_call_method(hgc_call *c);

/* --- common.c --- */

/* Packs `msg` into a new byte buffer (one slice, one copy). */
grpc_byte_buffer *hgc_pack(const ProtobufCMessage *msg);
/* Unpacks a received byte buffer as `desc`; NULL if it does not parse.
 * `alloc` NULL means malloc (free with protobuf_c_message_free_unpacked). */
ProtobufCMessage *hgc_unpack(grpc_byte_buffer *bb, const ProtobufCMessageDescriptor *desc,
                             ProtobufCAllocator *alloc);
/* "/" + service name + "/" + method name into buf; 0, or -1 if too long. */
int hgc_method_path(char *buf, size_t size, const ProtobufCServiceDescriptor *svc,
                    const ProtobufCMethodDescriptor *md);
/* The core channel of a client channel (client.c), for channel_watch.c. */
grpc_channel *hgc_channel_core(hgc_channel *c);

/* --- client async (client_async.c), used by client.c --- */

/* A channel's asynchronous side: its completion queue, the thread that
 * polls it and runs the callbacks, and the calls in flight (for cancel
 * and free). Made with the channel's first asynchronous call. */
typedef struct hgc_client_async hgc_client_async;

/* What the async side's thread runs for each event of its queue: every
 * tag put on that queue (hgc_client_async_cq) begins with one of these. */
typedef struct hgc_async_tag hgc_async_tag;
struct hgc_async_tag {
    void (*run)(hgc_async_tag *tag, int success);
};

/* NULL on failure (out of memory, no thread). */
hgc_client_async *hgc_client_async_new(void);
/* Its queue, for ops whose tag is an hgc_async_tag (channel_watch.c): one
 * queue and one polling thread per channel, so the gRPC core never hands
 * polling from one thread to another between a call's events. */
grpc_completion_queue *hgc_client_async_cq(hgc_client_async *a);
/* Cancels the calls in flight, waits for their callbacks, stops the
 * thread, frees. NULL is fine. */
void hgc_client_async_free(hgc_client_async *a);
void hgc_client_async_cancel(hgc_client_async *a);

/* client.c's services to client_async.c. */

/* The channel's asynchronous side, made on first use; NULL if it cannot
 * be made. */
hgc_client_async *hgc_channel_async(hgc_channel *c);
/* The async side if it was made, else NULL (no side effect). */
hgc_client_async *hgc_channel_async_peek(hgc_channel *c);
/* A call of `md` of `svc` on `cq` (a cached registration when there is
 * room); NULL if gRPC refuses. */
grpc_call *hgc_channel_make_call(hgc_channel *c, const ProtobufCServiceDescriptor *svc,
                                 const ProtobufCMethodDescriptor *md, grpc_completion_queue *cq,
                                 gpr_timespec deadline);
/* timeout_ms <= 0: infinite. */
gpr_timespec hgc_deadline_of(int timeout_ms);
/* The six ops of a whole unary call (initial metadata, `send`, close;
 * then the reply's metadata, message and status into the pointers). */
void hgc_unary_ops(grpc_op ops[6], grpc_byte_buffer *send, grpc_metadata_array *init_md,
                   grpc_byte_buffer **recv, grpc_metadata_array *trail_md, grpc_status_code *code,
                   grpc_slice *details);

#endif
