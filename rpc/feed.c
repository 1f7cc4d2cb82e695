/* feed.c: fed server streams (hgc_call_feed).
 *
 * A fed call always has exactly one send batch in flight until its last:
 * each completion of it asks the feed for the next message and starts the
 * next batch, on the poller that reported it. So a client that reads
 * slowly holds no thread, only the call record, the feed's state and the
 * one packed message gRPC has not written yet; a client that leaves fails
 * the batch in flight, and that failure releases the feed. Only the thread
 * whose turn it is (the handler's at first, then the poller's) touches the
 * feed fields, so they need no lock: gRPC orders a batch's start before
 * its completion.
 *
 * References: the feed holds one from hgc_call_feed until it is released;
 * each batch holds its own (hgc_call_start_batch).
 */
#include <stdlib.h>
#include <string.h>
#include "call.h"

/* The feed will not be asked again: frees its state, drops its reference.
 * c->feed_over was set before the last batch started, so the completion
 * of that batch reads nothing this thread is still writing. */
static void release(hgc_call *c, hgc_feed_release_fn rel, void *arg)
{
    if (rel)
        rel(arg);
    hgc_call_unref(c);
}

/* Asks the feed for the next message and starts its batch, or ends the
 * call with the feed's status. */
static void step(hgc_call *c)
{
    hgc_feed_release_fn rel = c->feed_release;
    void *arg = c->feed_arg;
    if (atomic_load(&c->cancelled)) {
        /* The client is gone: nobody reads a message or a status. */
        c->feed_over = 1;
        release(c, rel, arg);
        return;
    }
    const ProtobufCMessage *msg = NULL;
    int r = c->feed(c, arg, &msg);
    grpc_op ops[3];
    size_t n = 0;
    memset(ops, 0, sizeof ops);
    if (!c->sent_initial_md) {
        ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
        c->sent_initial_md = 1;
    }
    int right_type = msg && msg->descriptor == c->m->md->output;
    if (r == HGC_FEED_MORE && !right_type)
        r = hgc_call_set_error(c, GRPC_STATUS_INTERNAL, "the feed gave no %s",
                               c->m->md->output->name);
    if (r == HGC_FEED_MORE) {
        c->inflight = hgc_pack(msg);
        ops[n].op = GRPC_OP_SEND_MESSAGE;
        ops[n++].data.send_message.send_message = c->inflight;
        if (hgc_call_start_batch(c, &c->send_op, ops, n) < 0) {
            /* The call is over (gRPC refuses batches only then). */
            grpc_byte_buffer_destroy(c->inflight);
            c->inflight = NULL;
            c->feed_over = 1;
            release(c, rel, arg);
        }
        return;
    }
    grpc_status_code code = (grpc_status_code)r;
    if (r < 0 || r > GRPC_STATUS_UNAUTHENTICATED)
        code = hgc_call_set_error(c, GRPC_STATUS_INTERNAL, "the feed returned %d", r);
    if (code == GRPC_STATUS_OK && right_type) {
        c->inflight = hgc_pack(msg);
        ops[n].op = GRPC_OP_SEND_MESSAGE;
        ops[n++].data.send_message.send_message = c->inflight;
    }
    c->feed_over = 1;
    /* Refused only if the call is over; call_free frees c->inflight then. */
    hgc_call_send_status(c, ops, n, code);
    release(c, rel, arg);
}

void hgc_feed_sent(hgc_call *c, int ok)
{
    if (c->inflight) {
        grpc_byte_buffer_destroy(c->inflight);
        c->inflight = NULL;
    }
    if (c->feed_over)
        return; /* the status went (or the call is gone) */
    if (!ok) {
        /* Cancelled, deadline passed or the server cancelled all calls. */
        c->feed_over = 1;
        release(c, c->feed_release, c->feed_arg);
        return;
    }
    step(c);
}

void hgc_call_feed(hgc_call *c, hgc_feed_fn feed, hgc_feed_release_fn rel, void *arg)
{
    if (c->m->kind != HGC_RPC_SERVER_STREAM || c->fed || c->kept || c->sent_initial_md || !feed) {
        /* Misuse: the handler's own status goes as before. */
        if (rel)
            rel(arg);
        return;
    }
    c->fed = 1;
    c->feed = feed;
    c->feed_release = rel;
    c->feed_arg = arg;
    atomic_fetch_add(&c->refs, 1); /* the feed's, dropped by release */
    step(c);
}
