/* call.h: the server's call record, shared by call.c (a call's life and
 * the handler API) and feed.c (fed server streams). Nobody else sees it.
 */
#ifndef HGC_RPC_CALL_H
#define HGC_RPC_CALL_H

#include "rpc_internal.h"

#define ARENA_FIRST 2048 /* the first block of the arena, inside the call record */

/* A call that gRPC closed this close to its deadline ended by it. */
#define DEADLINE_SLACK_MS 20

struct op {
    enum tag_kind kind; /* first: the tag */
    hgc_call *call;
    int done, ok;
};

struct hgc_call {
    struct op close_op, send_op, recv_op;
    hgc_server *srv;
    const rpc_method *m;
    grpc_call *gc;
    int64_t deadline_ms; /* hgc_now_ms() clock; INT64_MAX: none */
    grpc_metadata_array md;
    grpc_byte_buffer *payload; /* request of unary/server-stream calls */
    const ProtobufCMessage *request;
    grpc_byte_buffer *reply; /* unary/client-stream reply, sent at the end */
    int close_cancelled;     /* RECV_CLOSE_ON_SERVER's out value */
    int sent_initial_md;
    atomic_int cancelled;
    atomic_int refs;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    const char *error; /* hgc_call_set_error's text, in the arena */
    const char *peer;  /* lazily, in the arena */
    /* Kept calls (hgc_call_keep), all under mu: the message being sent,
     * the one waiting, the end and the done hook. */
    int kept, handler_done, send_busy, end_queued, end_started, done_fired;
    grpc_byte_buffer *inflight, *pending;
    grpc_status_code end_code;
    char *end_details; /* malloc'd */
    hgc_done_fn done;
    void *done_arg;
    /* Fed calls (hgc_call_feed, feed.c): the feed, its state, and
     * whether it was released. Only the thread holding the one send
     * batch's turn touches them. */
    int fed, feed_over;
    hgc_feed_fn feed;
    hgc_feed_release_fn feed_release;
    void *feed_arg;
    /* Consumed client streams (hgc_call_consume, consume.c): the
     * consumer, the message received and how many came. Only whoever has
     * the call's one turn (batch, step or settle) touches them. */
    int consumed, consume_broken;
    hgc_consume_fn consume;
    hgc_feed_release_fn consume_release;
    void *consume_arg;
    grpc_byte_buffer *recv_bb;
    int64_t n_consumed;
    int64_t settle_due_ms; /* server.c's settle list */
    /* HGC_CALL_LATER: PARK_* (atomic: hgc_call_resume comes from any
     * thread), how often it parked, and a consumer's message that waits
     * with it. */
    atomic_int park;
    int parks, held;
    const ProtobufCMessage *held_msg;
    hgc_call *next_queued, *live_prev, *live_next;
    int lane;      /* server.c's: which pool queue it came from */
    int on_poller; /* its handler runs inline now (hgc_call_run_inline) */
    int poller;    /* the poller (completion queue) it arrived on */
    hgc_arena arena, recv_arena;
    ProtobufCAllocator pb, recv_pb;
    _Alignas(max_align_t) char first[ARENA_FIRST];
};

/* Starts a batch tagged with `o`, holding a reference while it runs.
 * Returns 0, or -1 if gRPC refused it (then no reference is held). */
int hgc_call_start_batch(hgc_call *c, struct op *o, const grpc_op *ops, size_t n);
/* Appends SEND_STATUS_FROM_SERVER (code; c->error, or the code's name, as
 * details when not OK) to the n ops already in `ops` (room for one more)
 * and starts the batch on the send op; as hgc_call_start_batch. */
int hgc_call_send_status(hgc_call *c, grpc_op *ops, size_t n, grpc_status_code code);

enum { PARK_NONE = 0, PARK_PARKED, PARK_EARLY };

/* After a handler or consumer returned HGC_CALL_LATER: 1 if the call is
 * parked now (whoever runs it keeps its reference for the resume), 0 if
 * the resume came first (run it again now). */
int hgc_call_park(hgc_call *c);

/* The status of a call whose handler is done (with the reply for OK on
 * unary and client-stream methods), in one batch that is not waited for. */
void hgc_call_send_final(hgc_call *c, grpc_status_code code);

/* --- feed.c --- */

/* Poller: the send batch of a fed call completed. */
void hgc_feed_sent(hgc_call *c, int ok);

/* --- consume.c --- */

/* Pool, after the handler returned having called hgc_call_consume: asks
 * for the first message. */
void hgc_consume_begin(hgc_call *c);
/* Poller: the recv batch of a consumed call completed. */
void hgc_consume_received(hgc_call *c, int ok);
/* Pool: gives the consumer the message received (or the end), then asks
 * for the next or ends the call. */
void hgc_consume_step(hgc_call *c);

#endif
