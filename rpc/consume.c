/* consume.c: client streams taken message by message (hgc_call_consume).
 *
 * A consumed call has exactly one thing in progress at a time: a recv
 * batch in flight (no thread), a step queued or running on the pool (the
 * consumer's work on one message, which may block), or the end of the
 * stream settling on its poller (no thread). Each hands over to the next:
 * the batch's completion on the poller queues the step, the step starts
 * the next batch. So a client that sends slowly, or stops sending and
 * stays, holds no thread, only the call record and the consumer's state;
 * and the consume fields need no lock: gRPC orders a batch's start before
 * its completion, and the pool's queue lock orders the dispatch before the
 * step.
 *
 * The end of the stream (a recv that completes with no message) is not
 * told at once: a client that cancels can look, for a moment, like one
 * that half-closed, because the end of its messages may be delivered just
 * before the cancel itself. The poller keeps the call for
 * HGC_EOF_SETTLE_MS (server.c's settle list, no thread) and only then
 * queues the last step, which sees the cancel if one came.
 *
 * A consumer that cannot take a message yet (HGC_CALL_LATER: the graph
 * is being loaded by another call) parks the call with the message; the
 * resume runs the step again with it.
 *
 * References: the consumer holds one from hgc_call_consume until it is
 * released; each batch holds its own (hgc_call_start_batch); a step holds
 * one from its dispatch until it returns, or while it is parked.
 */
#include <string.h>
#include "call.h"

/* The consumer will not be asked again: frees its state, drops its
 * reference. */
static void release(hgc_call *c)
{
    if (c->consume_release)
        c->consume_release(c->consume_arg);
    hgc_call_unref(c);
}

/* Starts the recv batch of the next message. gRPC refuses one only when
 * the call is over: then the consumer is released here, on the pool. */
static void recv_next(hgc_call *c)
{
    grpc_op op;
    memset(&op, 0, sizeof op);
    op.op = GRPC_OP_RECV_MESSAGE;
    op.data.recv_message.recv_message = &c->recv_bb;
    c->recv_bb = NULL;
    if (hgc_call_start_batch(c, &c->recv_op, &op, 1) < 0)
        release(c);
}

void hgc_call_consume(hgc_call *c, hgc_consume_fn each, hgc_feed_release_fn rel, void *arg)
{
    if (c->m->kind != HGC_RPC_CLIENT_STREAM || c->consumed || !each) {
        /* Misuse: the handler's own status goes as before. */
        if (rel)
            rel(arg);
        return;
    }
    c->consumed = 1;
    c->consume = each;
    c->consume_release = rel;
    c->consume_arg = arg;
    atomic_fetch_add(&c->refs, 1); /* the consumer's, dropped by release */
}

void hgc_consume_begin(hgc_call *c)
{
    recv_next(c);
}

void hgc_consume_received(hgc_call *c, int ok)
{
    if (!ok || atomic_load(&c->cancelled)) {
        /* Cancelled, deadline passed or the server cancelled all calls.
         * The consumer's release may block (a load to drop), so it runs
         * on the pool too, as a last step; in the priority lane, since
         * other calls' steps may be waiting for what it frees (the next
         * load into the same graph), and with every plain thread taken
         * by them it would never run. */
        if (c->recv_bb) {
            grpc_byte_buffer_destroy(c->recv_bb);
            c->recv_bb = NULL;
        }
        c->consume_broken = 1;
    }
    atomic_fetch_add(&c->refs, 1); /* the step's */
    if (c->consume_broken)
        hgc_server_resume(c->srv, c, 1); /* ahead of clients: others may wait for it */
    else if (c->recv_bb)
        hgc_server_resume(c->srv, c, 0);
    else
        hgc_server_settle(c->srv, c); /* the end, once a cancel had time to show */
}

/* The step's end of the call: the consumer's release first (a load that
 * failed is gone before the client hears of it), then the status, with
 * the reply for OK. */
static void finish(hgc_call *c, grpc_status_code code)
{
    if (c->consume_release)
        c->consume_release(c->consume_arg);
    hgc_call_send_final(c, code);
    hgc_call_unref(c); /* the consumer's */
}

void hgc_consume_step(hgc_call *c)
{
    grpc_byte_buffer *bb = c->recv_bb;
    c->recv_bb = NULL;
    /* A message that waited (HGC_CALL_LATER) is given again; otherwise
     * the last message's memory goes before the next one is unpacked, so
     * a long stream never sits in memory. */
    int held = c->held;
    const ProtobufCMessage *msg = held ? c->held_msg : NULL;
    c->held = 0;
    c->held_msg = NULL;
    if (!held)
        hgc_arena_release(&c->recv_arena);
    if (c->consume_broken || hgc_call_cancelled(c)) {
        if (bb)
            grpc_byte_buffer_destroy(bb);
        if (hgc_server_stopping(c->srv))
            finish(c, hgc_call_set_error(c, GRPC_STATUS_UNAVAILABLE,
                                         "the server is shutting down; send the stream again"));
        else
            finish(c, hgc_call_set_error(c, GRPC_STATUS_CANCELLED, "the stream was cancelled"));
        hgc_call_unref(c);
        return;
    }
    grpc_status_code code;
    if (bb) {
        c->n_consumed++;
        msg = hgc_unpack(bb, c->m->md->input, &c->recv_pb);
        grpc_byte_buffer_destroy(bb);
        if (!msg) {
            code = hgc_call_set_error(c, GRPC_STATUS_INVALID_ARGUMENT,
                                      "message %lld of the stream is not a valid %s",
                                      (long long)c->n_consumed, c->m->md->input->name);
            goto end;
        }
    }
    int r;
    for (;;) {
        r = c->consume(c, c->consume_arg, msg);
        if (r != HGC_CALL_LATER)
            break;
        c->held = 1;
        c->held_msg = msg;
        if (hgc_call_park(c))
            return; /* the step's reference waits with it */
        c->held = 0;
        c->held_msg = NULL;
    }
    if (r == HGC_FEED_MORE && msg) {
        recv_next(c);
        hgc_call_unref(c);
        return;
    }
    if (r == HGC_FEED_MORE || r < 0 || r > GRPC_STATUS_UNAUTHENTICATED)
        r = hgc_call_set_error(c, GRPC_STATUS_INTERNAL, "the stream's handler returned %d at %s", r,
                               msg ? "a message" : "the end");
    code = (grpc_status_code)r;
end:
    finish(c, code);
    hgc_call_unref(c);
}
