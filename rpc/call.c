/* call.c: one call's life on the server, and the API a handler sees.
 *
 * A call record is made by the poller when gRPC hands over a call; the
 * poller starts RECV_CLOSE_ON_SERVER at once (the only way to hear of a
 * cancel or a passed deadline) and queues the call to the pool. A pool
 * thread unpacks the request, runs the handler and starts the final batch
 * (initial metadata if not sent yet, the unary reply, the status) without
 * waiting for it. Every batch in flight holds a reference; the poller drops
 * it after signalling the call's condvar, so whoever drops the last one
 * (usually the poller) frees the record and its arena: one completion point.
 *
 * A stream send a handler starts blocks on the call's condvar until the
 * poller reports it. gRPC allows one send and one recv batch in flight per
 * call; a handler is one thread, so that holds as long as a handler does
 * not share its call between threads. Client streams are read by
 * completion events, not by a waiting thread (consume.c).
 *
 * Memory: a per-call arena (first 2 KiB inside the record, so a small unary
 * call costs one malloc) for requests, replies built by the handler and
 * strings; client-stream messages go to a second arena that is emptied
 * before each next message, so a long upload need not stay resident.
 */
#define _GNU_SOURCE /* vasprintf */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>
#include "call.h"

/* ------------------------------------------------------------------ */
/* Arena                                                               */
/* ------------------------------------------------------------------ */

/* The call's arenas (base/arena.h) have no ceiling: as with malloc in
 * this file, running out of memory aborts. */
static void *arena_alloc(hgc_arena *a, size_t size)
{
    void *p = hgc_arena_alloc(a, size);
    if (!p)
        abort();
    return p;
}

static void *pb_alloc(void *data, size_t size)
{
    return arena_alloc(data, size);
}

void hgc_arena_pb_allocator(hgc_arena *a, ProtobufCAllocator *out)
{
    out->alloc = pb_alloc;
    out->free = hgc_arena_free_cb;
    out->allocator_data = a;
}

/* ------------------------------------------------------------------ */
/* Call record                                                         */
/* ------------------------------------------------------------------ */

hgc_call **hgc_call_next_queued(hgc_call *c)
{
    return &c->next_queued;
}
hgc_call **hgc_call_live_prev(hgc_call *c)
{
    return &c->live_prev;
}
hgc_call **hgc_call_live_next(hgc_call *c)
{
    return &c->live_next;
}
int *hgc_call_lane(hgc_call *c)
{
    return &c->lane;
}
hgc_server *hgc_call_server(hgc_call *c)
{
    return c->srv;
}
int hgc_call_poller(hgc_call *c)
{
    return c->poller;
}
int hgc_call_inline(hgc_call *c)
{
    return c->on_poller;
}
const rpc_method *hgc_call_method(hgc_call *c)
{
    return c->m;
}
int64_t *hgc_call_settle_due(hgc_call *c)
{
    return &c->settle_due_ms;
}

static int is_unary_reply(const hgc_call *c)
{
    return c->m->kind == HGC_RPC_UNARY || c->m->kind == HGC_RPC_CLIENT_STREAM;
}

static int has_payload(const hgc_call *c)
{
    return c->m->kind == HGC_RPC_UNARY || c->m->kind == HGC_RPC_SERVER_STREAM;
}

hgc_call *hgc_call_new(hgc_server *s, const rpc_method *m, grpc_call *gc, gpr_timespec deadline,
                       grpc_metadata_array *md, grpc_byte_buffer *payload, int poller)
{
    hgc_call *c = malloc(sizeof *c);
    if (!c)
        abort();
    memset(c, 0, offsetof(hgc_call, first));
    c->close_op = (struct op){TAG_CLOSE, c, 0, 0};
    c->send_op = (struct op){TAG_SEND, c, 0, 0};
    c->recv_op = (struct op){TAG_RECV, c, 0, 0};
    c->srv = s;
    c->m = m;
    c->gc = gc;
    c->poller = poller;
    c->md = *md;
    grpc_metadata_array_init(md);
    c->payload = payload;
    c->deadline_ms = INT64_MAX;
    if (gpr_time_cmp(deadline, gpr_inf_future(deadline.clock_type)) != 0) {
        /* Relative to gRPC's clock of the same type, then onto ours. */
        gpr_timespec left = gpr_time_sub(deadline, gpr_now(deadline.clock_type));
        c->deadline_ms = hgc_now_ms() + gpr_time_to_millis(left);
    }
    atomic_init(&c->cancelled, 0);
    atomic_init(&c->park, PARK_NONE);
    atomic_init(&c->refs, 2); /* dispatch + RECV_CLOSE_ON_SERVER */
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, hgc_server_condattr(s));
    hgc_arena_init(&c->arena, c->first, sizeof c->first, HGC_ARENA_NO_CEILING);
    hgc_arena_init(&c->recv_arena, NULL, 0, HGC_ARENA_NO_CEILING);
    hgc_arena_pb_allocator(&c->arena, &c->pb);
    hgc_arena_pb_allocator(&c->recv_arena, &c->recv_pb);
    return c;
}

static void call_free(hgc_call *c)
{
    /* Off the live list first: shutdown may be about to wake it. */
    hgc_server_call_freed(c->srv, c);
    if (c->payload)
        grpc_byte_buffer_destroy(c->payload);
    if (c->reply)
        grpc_byte_buffer_destroy(c->reply);
    if (c->inflight)
        grpc_byte_buffer_destroy(c->inflight);
    if (c->pending)
        grpc_byte_buffer_destroy(c->pending);
    if (c->recv_bb)
        grpc_byte_buffer_destroy(c->recv_bb);
    free(c->end_details);
    grpc_metadata_array_destroy(&c->md);
    grpc_call_unref(c->gc);
    hgc_arena_release(&c->arena);
    hgc_arena_release(&c->recv_arena);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static void call_unref(hgc_call *c)
{
    if (atomic_fetch_sub_explicit(&c->refs, 1, memory_order_acq_rel) == 1)
        call_free(c);
}

int hgc_call_try_ref(hgc_call *c)
{
    int n = atomic_load(&c->refs);
    while (n > 0)
        if (atomic_compare_exchange_weak(&c->refs, &n, n + 1))
            return 1;
    return 0;
}

void hgc_call_unref(hgc_call *c)
{
    call_unref(c);
}

int hgc_call_start_batch(hgc_call *c, struct op *o, const grpc_op *ops, size_t n)
{
    o->done = 0;
    o->ok = 0;
    atomic_fetch_add_explicit(&c->refs, 1, memory_order_relaxed);
    if (grpc_call_start_batch(c->gc, ops, n, o, NULL) != GRPC_CALL_OK) {
        atomic_fetch_sub_explicit(&c->refs, 1, memory_order_relaxed);
        return -1;
    }
    return 0;
}

static int wait_op(hgc_call *c, struct op *o)
{
    pthread_mutex_lock(&c->mu);
    while (!o->done)
        pthread_cond_wait(&c->cv, &c->mu);
    int ok = o->ok;
    pthread_mutex_unlock(&c->mu);
    return ok;
}

void hgc_call_arrived(hgc_call *c)
{
    grpc_op op;
    memset(&op, 0, sizeof op);
    op.op = GRPC_OP_RECV_CLOSE_ON_SERVER;
    op.data.recv_close_on_server.cancelled = &c->close_cancelled;
    /* The reference for this batch was counted in hgc_call_new. */
    if (grpc_call_start_batch(c->gc, &op, 1, &c->close_op, NULL) != GRPC_CALL_OK) {
        atomic_store(&c->cancelled, 1);
        atomic_fetch_sub(&c->refs, 1);
    }
}

static void kept_send_next(hgc_call *c);

/* Why a call that gRPC closed without our status ended. */
static grpc_status_code close_reason(const hgc_call *c)
{
    if (hgc_server_stopping(c->srv))
        return GRPC_STATUS_UNAVAILABLE;
    /* gRPC's own deadline timer closed it: within a few ms of ours. */
    if (c->deadline_ms != INT64_MAX && hgc_now_ms() + DEADLINE_SLACK_MS >= c->deadline_ms)
        return GRPC_STATUS_DEADLINE_EXCEEDED;
    return GRPC_STATUS_CANCELLED;
}

/* Under c->mu: claims the done hook if it is due (kept, the handler
 * returned, not ended, not fired). The caller runs it without the lock. */
static int claim_done(hgc_call *c)
{
    if (!c->kept || !c->handler_done || c->done_fired || c->end_queued)
        return 0;
    c->done_fired = 1;
    return 1;
}

void hgc_call_op_done(void *tag, int ok)
{
    struct op *o = tag;
    hgc_call *c = o->call;
    int fire = 0;
    if (o->kind == TAG_SEND && c->fed) {
        /* Only a fed call's own sends: nobody waits on its condvar. */
        hgc_feed_sent(c, ok);
        call_unref(c);
        return;
    }
    if (o->kind == TAG_RECV && c->consumed) {
        /* A consumed stream's message (or end): nobody waits on it. */
        hgc_consume_received(c, ok);
        call_unref(c);
        return;
    }
    pthread_mutex_lock(&c->mu);
    o->done = 1;
    o->ok = ok;
    if (o->kind == TAG_CLOSE && (!ok || c->close_cancelled)) {
        atomic_store(&c->cancelled, 1);
        fire = claim_done(c);
    }
    if (o->kind == TAG_SEND && c->kept && c->send_busy) {
        c->send_busy = 0;
        if (c->inflight) {
            grpc_byte_buffer_destroy(c->inflight);
            c->inflight = NULL;
        }
        kept_send_next(c);
    }
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    if (fire)
        c->done(c, c->done_arg, close_reason(c));
    call_unref(c);
}

/* Shutdown: a kept call whose handler returned hears UNAVAILABLE now
 * rather than at the end of the grace period. The caller holds a reference. */
void hgc_call_stopping(hgc_call *c)
{
    pthread_mutex_lock(&c->mu);
    int fire = claim_done(c);
    pthread_mutex_unlock(&c->mu);
    if (fire)
        c->done(c, c->done_arg, GRPC_STATUS_UNAVAILABLE);
}

void hgc_call_wake(hgc_call *c)
{
    pthread_mutex_lock(&c->mu);
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

/* The status (and, for unary replies, the message) in one batch. */
void hgc_call_send_final(hgc_call *c, grpc_status_code code)
{
    grpc_op ops[3];
    size_t n = 0;
    memset(ops, 0, sizeof ops);
    if (!c->sent_initial_md) {
        ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
        c->sent_initial_md = 1;
    }
    if (code == GRPC_STATUS_OK && is_unary_reply(c)) {
        if (!c->reply) /* a handler that sent nothing answers the default message */
            c->reply = grpc_raw_byte_buffer_create(NULL, 0);
        ops[n].op = GRPC_OP_SEND_MESSAGE;
        ops[n++].data.send_message.send_message = c->reply;
    }
    if (code == GRPC_STATUS_CANCELLED && c->deadline_ms != INT64_MAX &&
        hgc_now_ms() + DEADLINE_SLACK_MS >= c->deadline_ms) {
        /* A handler that stopped because the deadline passed: say so, as
         * gRPC itself does for every other call. */
        code = GRPC_STATUS_DEADLINE_EXCEEDED;
        c->error = "the deadline passed";
    }
    hgc_call_send_status(c, ops, n, code);
}

int hgc_call_send_status(hgc_call *c, grpc_op *ops, size_t n, grpc_status_code code)
{
    grpc_slice details;
    int has_details = code != GRPC_STATUS_OK;
    if (has_details)
        details = grpc_slice_from_copied_string(c->error ? c->error : hgc_status_name(code));
    ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
    ops[n].data.send_status_from_server.status = code;
    ops[n++].data.send_status_from_server.status_details = has_details ? &details : NULL;
    int r = hgc_call_start_batch(c, &c->send_op, ops, n);
    if (has_details)
        grpc_slice_unref(details);
    return r;
}

void hgc_call_run(hgc_call *c)
{
    grpc_status_code code;
    if (c->consumed) {
        /* A consumed stream's next message (the handler ran before). */
        hgc_consume_step(c);
        return;
    }
    if (c->parks > 0 && hgc_call_cancelled(c)) {
        /* Parked, then left (or the server stops): not run again. */
        code = hgc_server_stopping(c->srv)
                   ? hgc_call_set_error(c, GRPC_STATUS_UNAVAILABLE, "the server is shutting down")
                   : hgc_call_set_error(c, GRPC_STATUS_CANCELLED, "the call was cancelled");
        goto finish;
    }
    if (has_payload(c) && !c->request) {
        const ProtobufCMessageDescriptor *in = c->m->md->input;
        c->request = c->payload ? hgc_unpack(c->payload, in, &c->pb) : NULL;
        if (c->payload) {
            grpc_byte_buffer_destroy(c->payload);
            c->payload = NULL;
        }
        if (!c->request) {
            code = hgc_call_set_error(c, GRPC_STATUS_INVALID_ARGUMENT, "request is not a valid %s",
                                      in->name);
            goto finish;
        }
    }
again:
    code = c->m->fn(c, c->m->user_data);
    int was_inline = c->on_poller;
    c->on_poller = 0; /* whatever runs it next runs on the pool */
    if ((int)code == HGC_CALL_ON_POOL && was_inline && !c->reply && !c->sent_initial_md &&
        !c->consumed && !c->fed && !c->kept) {
        hgc_server_dispatch(c->srv, c); /* with its reference */
        return;
    }
    if ((int)code == HGC_CALL_LATER && !c->consumed && !c->fed && !c->kept) {
        if (hgc_call_park(c))
            return; /* its reference goes with it to the resume */
        goto again;
    }
    if (c->consumed) {
        /* The consumer has the call now: its first message is asked for. */
        hgc_consume_begin(c);
        call_unref(c);
        return;
    }
    if (c->fed) {
        /* The feed has the call; it may even be over already. */
        call_unref(c);
        return;
    }
    if (c->kept) {
        /* The call is the subscriber's now; tell it of a close that came
         * while the handler ran. */
        pthread_mutex_lock(&c->mu);
        c->handler_done = 1;
        int fire = atomic_load(&c->cancelled) && claim_done(c);
        if (!fire && hgc_server_stopping(c->srv))
            fire = claim_done(c);
        pthread_mutex_unlock(&c->mu);
        if (fire)
            c->done(c, c->done_arg, close_reason(c));
        call_unref(c);
        return;
    }
    if ((int)code < 0 || code > GRPC_STATUS_UNAUTHENTICATED)
        code = hgc_call_set_error(c, GRPC_STATUS_INTERNAL, "handler returned status %d", (int)code);
finish:
    hgc_call_send_final(c, code);
    call_unref(c);
}

void hgc_call_run_inline(hgc_call *c)
{
    c->on_poller = 1;
    hgc_call_run(c);
}

int hgc_call_park(hgc_call *c)
{
    c->parks++;
    int s = PARK_NONE;
    if (atomic_compare_exchange_strong(&c->park, &s, PARK_PARKED))
        return 1;
    atomic_store(&c->park, PARK_NONE); /* PARK_EARLY: the resume came first */
    return 0;
}

void hgc_call_hold(hgc_call *c)
{
    atomic_fetch_add(&c->refs, 1);
}

void hgc_call_resume(hgc_call *c)
{
    int s = atomic_load(&c->park);
    for (;;) {
        if (s == PARK_PARKED) {
            if (atomic_compare_exchange_weak(&c->park, &s, PARK_NONE)) {
                hgc_server_resume(c->srv, c, 0);
                break;
            }
        } else if (s == PARK_NONE) {
            if (atomic_compare_exchange_weak(&c->park, &s, PARK_EARLY))
                break;
        } else {
            break; /* already asked */
        }
    }
    call_unref(c); /* hgc_call_hold's */
}

void hgc_call_reject(hgc_call *c, grpc_status_code code, const char *text)
{
    c->error = text;
    hgc_call_send_final(c, code);
    call_unref(c);
}

/* ------------------------------------------------------------------ */
/* Kept calls                                                          */
/* ------------------------------------------------------------------ */

void hgc_call_keep(hgc_call *c, hgc_done_fn done, void *arg)
{
    pthread_mutex_lock(&c->mu);
    if (!c->kept) {
        c->kept = 1;
        c->done = done;
        c->done_arg = arg;
        atomic_fetch_add(&c->refs, 1); /* the keeper's, dropped by hgc_call_end */
    }
    pthread_mutex_unlock(&c->mu);
}

/* Under c->mu, no send in flight: starts the waiting message, or the end. */
static void kept_send_next(hgc_call *c)
{
    grpc_op ops[2];
    size_t n = 0;
    memset(ops, 0, sizeof ops);
    if (!c->sent_initial_md) {
        ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
        c->sent_initial_md = 1;
    }
    if (c->pending) {
        c->inflight = c->pending;
        c->pending = NULL;
        ops[n].op = GRPC_OP_SEND_MESSAGE;
        ops[n++].data.send_message.send_message = c->inflight;
        c->send_busy = 1;
        if (hgc_call_start_batch(c, &c->send_op, ops, n) < 0) {
            c->send_busy = 0;
            grpc_byte_buffer_destroy(c->inflight);
            c->inflight = NULL;
        } else {
            return;
        }
        n = 0; /* refused: the call is over; still try the status */
    }
    if (!c->end_queued || c->end_started)
        return;
    c->end_started = 1;
    grpc_slice details;
    int has_details = c->end_code != GRPC_STATUS_OK;
    if (has_details)
        details = grpc_slice_from_copied_string(c->end_details ? c->end_details
                                                               : hgc_status_name(c->end_code));
    ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
    ops[n].data.send_status_from_server.status = c->end_code;
    ops[n++].data.send_status_from_server.status_details = has_details ? &details : NULL;
    c->send_busy = 1;
    if (hgc_call_start_batch(c, &c->send_op, ops, n) < 0)
        c->send_busy = 0;
    if (has_details)
        grpc_slice_unref(details);
}

int hgc_call_post(hgc_call *c, const ProtobufCMessage *msg)
{
    if (!msg || msg->descriptor != c->m->md->output)
        return -1;
    grpc_byte_buffer *bb = hgc_pack(msg);
    pthread_mutex_lock(&c->mu);
    if (!c->kept || c->end_queued || atomic_load(&c->cancelled)) {
        pthread_mutex_unlock(&c->mu);
        grpc_byte_buffer_destroy(bb);
        return -1;
    }
    if (c->pending)
        grpc_byte_buffer_destroy(c->pending);
    c->pending = bb;
    if (!c->send_busy)
        kept_send_next(c);
    pthread_mutex_unlock(&c->mu);
    return 0;
}

void hgc_call_end(hgc_call *c, grpc_status_code code, const char *fmt, ...)
{
    char *text = NULL;
    if (fmt && code != GRPC_STATUS_OK) {
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(&text, fmt, ap) < 0)
            text = NULL;
        va_end(ap);
    }
    pthread_mutex_lock(&c->mu);
    if (!c->kept || c->end_queued) {
        pthread_mutex_unlock(&c->mu);
        free(text);
        return;
    }
    c->end_queued = 1;
    c->done_fired = 1; /* ended here: the hook has nothing left to do */
    c->end_code = code;
    c->end_details = text;
    if (!c->send_busy)
        kept_send_next(c);
    pthread_mutex_unlock(&c->mu);
    call_unref(c); /* the keeper's */
}

/* ------------------------------------------------------------------ */
/* Handler API                                                         */
/* ------------------------------------------------------------------ */

const ProtobufCMessage *hgc_call_request(hgc_call *call)
{
    return call->request;
}

int hgc_call_send(hgc_call *c, const ProtobufCMessage *msg)
{
    if (!msg || msg->descriptor != c->m->md->output)
        return -1;
    if (is_unary_reply(c)) {
        if (c->reply)
            return -1;
        c->reply = hgc_pack(msg);
        return 0;
    }
    if (atomic_load(&c->cancelled))
        return -1;
    grpc_op ops[2];
    size_t n = 0;
    memset(ops, 0, sizeof ops);
    if (!c->sent_initial_md) {
        ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
        c->sent_initial_md = 1;
    }
    grpc_byte_buffer *bb = hgc_pack(msg);
    ops[n].op = GRPC_OP_SEND_MESSAGE;
    ops[n++].data.send_message.send_message = bb;
    int ok = hgc_call_start_batch(c, &c->send_op, ops, n) == 0 && wait_op(c, &c->send_op);
    grpc_byte_buffer_destroy(bb);
    return ok ? 0 : -1;
}

static char *copy_n(hgc_call *c, const char *s, size_t n)
{
    char *p = arena_alloc(&c->arena, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Formats into the arena: once on the stack, again only if it was longer. */
__attribute__((format(printf, 2, 0))) static char *arena_vprintf(hgc_call *c, const char *fmt,
                                                                 va_list ap)
{
    char buf[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    char *p;
    if (n < 0) {
        p = copy_n(c, "", 0);
    } else if ((size_t)n < sizeof buf) {
        p = copy_n(c, buf, (size_t)n);
    } else {
        p = arena_alloc(&c->arena, (size_t)n + 1);
        vsnprintf(p, (size_t)n + 1, fmt, ap2);
    }
    va_end(ap2);
    return p;
}

grpc_status_code hgc_call_set_error(hgc_call *c, grpc_status_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    c->error = arena_vprintf(c, fmt, ap);
    va_end(ap);
    return code;
}

int hgc_call_cancelled(hgc_call *c)
{
    return atomic_load_explicit(&c->cancelled, memory_order_relaxed) ||
           hgc_server_stopping(c->srv) ||
           (c->deadline_ms != INT64_MAX && hgc_now_ms() >= c->deadline_ms);
}

int hgc_call_wait_cancelled(hgc_call *c, int timeout_ms)
{
    int64_t until = hgc_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    if (c->deadline_ms < until)
        until = c->deadline_ms;
    struct timespec ts;
    hgc_abs_timespec(until, &ts);
    pthread_mutex_lock(&c->mu);
    while (!hgc_call_cancelled(c) && hgc_now_ms() < until)
        pthread_cond_timedwait(&c->cv, &c->mu, &ts);
    pthread_mutex_unlock(&c->mu);
    return hgc_call_cancelled(c);
}

int64_t hgc_call_deadline_ms(hgc_call *c)
{
    if (c->deadline_ms == INT64_MAX)
        return INT64_MAX;
    int64_t left = c->deadline_ms - hgc_now_ms();
    return left > 0 ? left : 0;
}

void *hgc_call_alloc(hgc_call *c, size_t size)
{
    return arena_alloc(&c->arena, size);
}

char *hgc_call_strdup(hgc_call *c, const char *s)
{
    return copy_n(c, s, strlen(s));
}

char *hgc_call_printf(hgc_call *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(c, fmt, ap);
    va_end(ap);
    return p;
}

const char *hgc_call_metadata(hgc_call *c, const char *key)
{
    size_t klen = strlen(key);
    for (size_t i = 0; i < c->md.count; i++) {
        const grpc_metadata *e = &c->md.metadata[i];
        if (GRPC_SLICE_LENGTH(e->key) == klen &&
            memcmp(GRPC_SLICE_START_PTR(e->key), key, klen) == 0)
            return copy_n(c, (const char *)GRPC_SLICE_START_PTR(e->value),
                          GRPC_SLICE_LENGTH(e->value));
    }
    return NULL;
}

const char *hgc_call_peer(hgc_call *c)
{
    if (!c->peer) {
        char *p = grpc_call_get_peer(c->gc);
        c->peer = hgc_call_strdup(c, p ? p : "");
        gpr_free(p);
    }
    return c->peer;
}
