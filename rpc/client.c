/* client.c: blocking gRPC calls driven by protoc-c service descriptors.
 *
 * A channel is an insecure grpc_channel (64 MiB message ceilings both
 * ways, a connection of its own) plus a small cache of registered methods, so a hot method's path
 * is parsed and interned once per channel instead of once per call.
 *
 * A unary call is one 6-op batch on a pluck completion queue of its own,
 * waited for in place (client_async.c: the same batch on the channel's
 * shared queue, finished by a callback). A stream owns a pluck queue too; each op is a batch
 * waited for in place, except RECV_STATUS_ON_CLIENT, started with the call
 * and plucked by finish (or by free), so a cancel from another thread
 * (grpc_call_cancel is thread-safe) ends whatever op is blocked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grpc/grpc_security.h>
#include <grpc/support/time.h>
#include "rpc_internal.h"

#define CLIENT_MAX_MESSAGE (64 * 1024 * 1024)
#define RECONNECT_FIRST_MS 100
#define RECONNECT_MAX_MS   500
#define REG_CACHE          64

/* Every method: a call that ends UNAVAILABLE before it has an answer is
 * tried again, up to 3 times in all, 0.2 s then 0.4 s later (gRPC adds
 * 20% jitter). UNAVAILABLE is what a failed connection attempt gives a
 * call, and what hgc-server answers when nothing changed and a retry may
 * work (a store that can't commit now, a server stopping). Needed because
 * gRPC 1.51's connect (iomgr tcp_client_posix.cc) reads errno after other
 * calls may have changed it: about one connect in a few hundred to a
 * listening loopback port fails at once ("No such file or directory"), and
 * without a retry every call on the channel fails until the reconnect
 * 100 ms later. The first retry comes after that reconnect. A stream is
 * retried only until its first answer (and while what it sent fits gRPC's
 * 256 KiB retry buffer). */
#define RETRY_SERVICE_CONFIG                                                                       \
    "{\"methodConfig\": [{\"name\": [{}], \"retryPolicy\": {\"maxAttempts\": 3, "                  \
    "\"initialBackoff\": \"0.2s\", \"maxBackoff\": \"0.4s\", \"backoffMultiplier\": 2, "           \
    "\"retryableStatusCodes\": [\"UNAVAILABLE\"]}}]}"

struct reg_entry {
    const ProtobufCMethodDescriptor *md;
    char *path; /* gRPC keeps a pointer to it: lives as long as the channel */
    void *handle;
};

struct hgc_channel {
    grpc_channel *ch;
    pthread_mutex_t mu;
    struct reg_entry regs[REG_CACHE];
    size_t n_regs;
    hgc_client_async *async; /* made by the first hgc_unary_async (under mu) */
};

int hgc_channel_new(hgc_channel **out, const char *target, char msg[HGC_MSG_MAX])
{
    hgc_channel *c = calloc(1, sizeof *c);
    if (!c) {
        if (msg)
            snprintf(msg, HGC_MSG_MAX, "out of memory");
        return -1;
    }
    hgc_rpc_init();
    grpc_arg args[6];
    memset(args, 0, sizeof args);
    args[0].type = GRPC_ARG_INTEGER;
    args[0].key = (char *)GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
    args[0].value.integer = CLIENT_MAX_MESSAGE;
    args[1].type = GRPC_ARG_INTEGER;
    args[1].key = (char *)GRPC_ARG_MAX_SEND_MESSAGE_LENGTH;
    args[1].value.integer = CLIENT_MAX_MESSAGE;
    /* Reconnect soon after the server is back: gRPC's default backoff
     * (1 s, growing 1.6x to 120 s) kept a long-lived channel (hgc-rest's)
     * failing for 4-15 s after a restart. Tries every RECONNECT_MAX_MS at
     * most (plus gRPC's 20% jitter): a refused connect costs one SYN.
     * GRPC_ARG_MIN_RECONNECT_BACKOFF_MS stays at its default: gRPC uses it
     * as the shortest deadline of one connection attempt, and a loaded
     * server needs more than half a second to finish a handshake. */
    args[2].type = GRPC_ARG_INTEGER;
    args[2].key = (char *)GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS;
    args[2].value.integer = RECONNECT_FIRST_MS;
    args[3].type = GRPC_ARG_INTEGER;
    args[3].key = (char *)GRPC_ARG_MAX_RECONNECT_BACKOFF_MS;
    args[3].value.integer = RECONNECT_MAX_MS;
    /* A connection of its own: channels to one target otherwise share
     * gRPC's global subchannel pool, i.e. one TCP connection (one HTTP/2
     * stream of frames, one server poller) for every channel of the
     * process, so the REST bridge's or a bench's channels could not
     * spread their calls. */
    args[4].type = GRPC_ARG_INTEGER;
    args[4].key = (char *)GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL;
    args[4].value.integer = 1;
    args[5].type = GRPC_ARG_STRING;
    args[5].key = (char *)GRPC_ARG_SERVICE_CONFIG;
    args[5].value.string = (char *)RETRY_SERVICE_CONFIG;
    grpc_channel_args cargs = {6, args};
    grpc_channel_credentials *creds = grpc_insecure_credentials_create();
    c->ch = grpc_channel_create(target, creds, &cargs);
    grpc_channel_credentials_release(creds);
    if (!c->ch) {
        if (msg)
            snprintf(msg, HGC_MSG_MAX, "cannot create a channel to %s", target);
        free(c);
        hgc_rpc_shutdown();
        return -1;
    }
    pthread_mutex_init(&c->mu, NULL);
    *out = c;
    return 0;
}

grpc_channel *hgc_channel_core(hgc_channel *c)
{
    return c->ch;
}

hgc_client_async *hgc_channel_async(hgc_channel *c)
{
    pthread_mutex_lock(&c->mu);
    if (!c->async)
        c->async = hgc_client_async_new();
    hgc_client_async *a = c->async;
    pthread_mutex_unlock(&c->mu);
    return a;
}

hgc_client_async *hgc_channel_async_peek(hgc_channel *c)
{
    pthread_mutex_lock(&c->mu);
    hgc_client_async *a = c->async;
    pthread_mutex_unlock(&c->mu);
    return a;
}

void hgc_channel_free(hgc_channel *c)
{
    if (!c)
        return;
    /* First: its calls hold the channel, and their callbacks the caller's state. */
    hgc_client_async_free(c->async);
    grpc_channel_destroy(c->ch);
    for (size_t i = 0; i < c->n_regs; i++)
        free(c->regs[i].path);
    pthread_mutex_destroy(&c->mu);
    free(c);
    hgc_rpc_shutdown();
}

static void set_status(hgc_status *st, grpc_status_code code, const char *text)
{
    st->code = code;
    snprintf(st->message, sizeof st->message, "%s", text);
}

static void status_from_slice(hgc_status *st, grpc_status_code code, grpc_slice details)
{
    size_t n = GRPC_SLICE_LENGTH(details);
    if (n >= sizeof st->message)
        n = sizeof st->message - 1;
    st->code = code;
    memcpy(st->message, GRPC_SLICE_START_PTR(details), n);
    st->message[n] = '\0';
}

gpr_timespec hgc_deadline_of(int timeout_ms)
{
    if (timeout_ms <= 0)
        return gpr_inf_future(GPR_CLOCK_REALTIME);
    return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                        gpr_time_from_millis(timeout_ms, GPR_TIMESPAN));
}

void hgc_unary_ops(grpc_op ops[6], grpc_byte_buffer *send, grpc_metadata_array *init_md,
                   grpc_byte_buffer **recv, grpc_metadata_array *trail_md, grpc_status_code *code,
                   grpc_slice *details)
{
    memset(ops, 0, 6 * sizeof *ops);
    ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
    ops[1].op = GRPC_OP_SEND_MESSAGE;
    ops[1].data.send_message.send_message = send;
    ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
    ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
    ops[3].data.recv_initial_metadata.recv_initial_metadata = init_md;
    ops[4].op = GRPC_OP_RECV_MESSAGE;
    ops[4].data.recv_message.recv_message = recv;
    ops[5].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
    ops[5].data.recv_status_on_client.trailing_metadata = trail_md;
    ops[5].data.recv_status_on_client.status = code;
    ops[5].data.recv_status_on_client.status_details = details;
}

/* Creates the call for `md` of `svc` on `cq`: by a cached registration
 * when there is room, else by path. NULL if gRPC refuses. */
grpc_call *hgc_channel_make_call(hgc_channel *c, const ProtobufCServiceDescriptor *svc,
                                 const ProtobufCMethodDescriptor *md, grpc_completion_queue *cq,
                                 gpr_timespec deadline)
{
    char path[512];
    if (hgc_method_path(path, sizeof path, svc, md) < 0)
        return NULL;
    void *handle = NULL;
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < c->n_regs; i++) {
        /* Pointer first (cheap); the path guards against a reused address. */
        if (c->regs[i].md == md && strcmp(c->regs[i].path, path) == 0) {
            handle = c->regs[i].handle;
            break;
        }
    }
    if (!handle && c->n_regs < REG_CACHE) {
        char *copy = strdup(path);
        if (copy) {
            handle = grpc_channel_register_call(c->ch, copy, NULL, NULL);
            c->regs[c->n_regs++] = (struct reg_entry){md, copy, handle};
        }
    }
    pthread_mutex_unlock(&c->mu);
    if (handle)
        return grpc_channel_create_registered_call(c->ch, NULL, GRPC_PROPAGATE_DEFAULTS, cq, handle,
                                                   deadline, NULL);
    grpc_slice method = grpc_slice_from_copied_string(path);
    grpc_call *call = grpc_channel_create_call(c->ch, NULL, GRPC_PROPAGATE_DEFAULTS, cq, method,
                                               NULL, deadline, NULL);
    grpc_slice_unref(method); /* trap 6: the call does not keep ours */
    return call;
}

static void destroy_cq(grpc_completion_queue *cq)
{
    grpc_completion_queue_shutdown(cq);
    while (grpc_completion_queue_pluck(cq, NULL, gpr_inf_future(GPR_CLOCK_REALTIME), NULL).type !=
           GRPC_QUEUE_SHUTDOWN)
        ;
    grpc_completion_queue_destroy(cq);
}

grpc_status_code hgc_unary(hgc_channel *ch, const ProtobufCServiceDescriptor *svc,
                           const char *method, const ProtobufCMessage *req,
                           ProtobufCMessage **reply, int timeout_ms, hgc_status *st)
{
    return hgc_unary_alloc(ch, svc, method, req, reply, NULL, timeout_ms, st);
}

grpc_status_code hgc_unary_alloc(hgc_channel *ch, const ProtobufCServiceDescriptor *svc,
                                 const char *method, const ProtobufCMessage *req,
                                 ProtobufCMessage **reply, ProtobufCAllocator *alloc,
                                 int timeout_ms, hgc_status *st)
{
    grpc_completion_queue *cq = NULL;
    grpc_call *call = NULL;
    grpc_byte_buffer *send = NULL, *recv = NULL;
    grpc_metadata_array init_md, trail_md;
    grpc_status_code code = GRPC_STATUS_UNKNOWN;
    grpc_slice details = grpc_empty_slice();
    grpc_metadata_array_init(&init_md);
    grpc_metadata_array_init(&trail_md);
    set_status(st, GRPC_STATUS_OK, "");

    const ProtobufCMethodDescriptor *md =
        protobuf_c_service_descriptor_get_method_by_name(svc, method);
    if (!md) {
        set_status(st, GRPC_STATUS_UNIMPLEMENTED, "no such method in the service descriptor");
        snprintf(st->message, sizeof st->message, "service %s has no method %s", svc->name, method);
        goto cleanup;
    }
    if (!req || req->descriptor != md->input) {
        snprintf(st->message, sizeof st->message, "%s.%s takes a %s", svc->name, method,
                 md->input->name);
        st->code = GRPC_STATUS_INTERNAL;
        goto cleanup;
    }
    cq = grpc_completion_queue_create_for_pluck(NULL);
    call = hgc_channel_make_call(ch, svc, md, cq, hgc_deadline_of(timeout_ms));
    if (!call) {
        set_status(st, GRPC_STATUS_INTERNAL, "cannot create the call");
        goto cleanup;
    }
    send = hgc_pack(req);
    grpc_op ops[6];
    hgc_unary_ops(ops, send, &init_md, &recv, &trail_md, &code, &details);
    if (grpc_call_start_batch(call, ops, 6, ops, NULL) != GRPC_CALL_OK) {
        set_status(st, GRPC_STATUS_INTERNAL, "cannot start the call");
        goto cleanup;
    }
    grpc_completion_queue_pluck(cq, ops, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
    status_from_slice(st, code, details);
    if (code != GRPC_STATUS_OK)
        goto cleanup;
    ProtobufCMessage *m = recv ? hgc_unpack(recv, md->output, alloc) : NULL;
    if (!m) {
        snprintf(st->message, sizeof st->message, "%s from %s.%s",
                 recv ? "a reply that does not parse" : "no reply", svc->name, method);
        st->code = GRPC_STATUS_INTERNAL;
        goto cleanup;
    }
    *reply = m;
cleanup:
    if (send)
        grpc_byte_buffer_destroy(send);
    if (recv)
        grpc_byte_buffer_destroy(recv);
    grpc_metadata_array_destroy(&init_md);
    grpc_metadata_array_destroy(&trail_md);
    grpc_slice_unref(details);
    if (call)
        grpc_call_unref(call);
    if (cq)
        destroy_cq(cq);
    return st->code;
}

/* ------------------------------------------------------------------ */
/* Streams                                                             */
/* ------------------------------------------------------------------ */

struct hgc_stream {
    grpc_call *call;
    grpc_completion_queue *cq;
    const ProtobufCMethodDescriptor *md;
    grpc_metadata_array init_md, trail_md;
    grpc_status_code code;
    grpc_slice details;
    int got_init_md, send_closed, recv_eof, recv_failed, finished, status_started;
    atomic_int cancelled;                /* hgc_stream_cancel ran (maybe on another thread) */
    char tag_send, tag_recv, tag_status; /* their addresses are the tags */
};

/* Runs one batch and waits for it; 1 if it succeeded. */
static int run_batch(hgc_stream *s, const grpc_op *ops, size_t n, void *tag)
{
    if (grpc_call_start_batch(s->call, ops, n, tag, NULL) != GRPC_CALL_OK)
        return 0;
    return grpc_completion_queue_pluck(s->cq, tag, gpr_inf_future(GPR_CLOCK_REALTIME), NULL)
        .success;
}

int hgc_stream_start(hgc_stream **out, hgc_channel *ch, const ProtobufCServiceDescriptor *svc,
                     const char *method, const ProtobufCMessage *req, int timeout_ms,
                     char msg[HGC_MSG_MAX])
{
    grpc_byte_buffer *send = NULL;
    hgc_stream *s = NULL;
    const ProtobufCMethodDescriptor *md =
        protobuf_c_service_descriptor_get_method_by_name(svc, method);
    if (!md) {
        if (msg)
            snprintf(msg, HGC_MSG_MAX, "service %s has no method %s", svc->name, method);
        goto fail;
    }
    if (req && req->descriptor != md->input) {
        if (msg)
            snprintf(msg, HGC_MSG_MAX, "%s.%s takes a %s", svc->name, method, md->input->name);
        goto fail;
    }
    if (!(s = calloc(1, sizeof *s)))
        goto fail;
    s->md = md;
    grpc_metadata_array_init(&s->init_md);
    grpc_metadata_array_init(&s->trail_md);
    s->details = grpc_empty_slice();
    s->cq = grpc_completion_queue_create_for_pluck(NULL);
    s->call = hgc_channel_make_call(ch, svc, md, s->cq, hgc_deadline_of(timeout_ms));
    if (!s->call) {
        if (msg)
            snprintf(msg, HGC_MSG_MAX, "cannot create a call to %s.%s", svc->name, method);
        goto fail;
    }
    grpc_op ops[3];
    size_t n = 0;
    memset(ops, 0, sizeof ops);
    ops[n++].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
    ops[0].data.recv_status_on_client.trailing_metadata = &s->trail_md;
    ops[0].data.recv_status_on_client.status = &s->code;
    ops[0].data.recv_status_on_client.status_details = &s->details;
    if (grpc_call_start_batch(s->call, ops, 1, &s->tag_status, NULL) != GRPC_CALL_OK) {
        if (msg)
            snprintf(msg, HGC_MSG_MAX, "cannot start a call to %s.%s", svc->name, method);
        goto fail;
    }
    s->status_started = 1;
    /* A failed first batch is not an error here: the call ended, and
     * recv/finish report why (UNAVAILABLE, DEADLINE_EXCEEDED ...). */
    memset(ops, 0, sizeof ops);
    n = 0;
    ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
    if (req) {
        send = hgc_pack(req);
        ops[n].op = GRPC_OP_SEND_MESSAGE;
        ops[n++].data.send_message.send_message = send;
        ops[n++].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
        s->send_closed = 1;
    }
    run_batch(s, ops, n, &s->tag_send);
    if (send)
        grpc_byte_buffer_destroy(send);
    *out = s;
    return 0;
fail:
    hgc_stream_free(s);
    return -1;
}

int hgc_stream_send(hgc_stream *s, const ProtobufCMessage *msg)
{
    if (s->send_closed || s->finished || !msg || msg->descriptor != s->md->input)
        return -1;
    grpc_byte_buffer *bb = hgc_pack(msg);
    grpc_op op;
    memset(&op, 0, sizeof op);
    op.op = GRPC_OP_SEND_MESSAGE;
    op.data.send_message.send_message = bb;
    int ok = run_batch(s, &op, 1, &s->tag_send);
    grpc_byte_buffer_destroy(bb);
    return ok ? 0 : -1;
}

int hgc_stream_close_send(hgc_stream *s)
{
    if (s->send_closed)
        return 0;
    if (s->finished)
        return -1;
    s->send_closed = 1;
    grpc_op op;
    memset(&op, 0, sizeof op);
    op.op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
    return run_batch(s, &op, 1, &s->tag_send) ? 0 : -1;
}

int hgc_stream_recv(hgc_stream *s, ProtobufCMessage **msg)
{
    if (s->recv_eof)
        return 0;
    if (s->recv_failed || s->finished)
        return -1;
    grpc_byte_buffer *bb = NULL;
    grpc_op ops[2];
    size_t n = 0;
    memset(ops, 0, sizeof ops);
    if (!s->got_init_md) {
        ops[n].op = GRPC_OP_RECV_INITIAL_METADATA;
        ops[n++].data.recv_initial_metadata.recv_initial_metadata = &s->init_md;
        s->got_init_md = 1;
    }
    ops[n].op = GRPC_OP_RECV_MESSAGE;
    ops[n++].data.recv_message.recv_message = &bb;
    if (!run_batch(s, ops, n, &s->tag_recv)) {
        s->recv_failed = 1;
        if (bb)
            grpc_byte_buffer_destroy(bb);
        return -1;
    }
    if (!bb) {
        /* A cancelled call's recv ends "cleanly" too: report it as what it is. */
        if (atomic_load(&s->cancelled)) {
            s->recv_failed = 1;
            return -1;
        }
        s->recv_eof = 1;
        return 0;
    }
    ProtobufCMessage *m = hgc_unpack(bb, s->md->output, NULL);
    grpc_byte_buffer_destroy(bb);
    if (!m) {
        s->recv_failed = 1;
        grpc_call_cancel_with_status(s->call, GRPC_STATUS_INTERNAL,
                                     "a reply message does not parse", NULL);
        return -1;
    }
    *msg = m;
    return 1;
}

grpc_status_code hgc_stream_finish(hgc_stream *s, hgc_status *st)
{
    if (!s->finished) {
        hgc_stream_close_send(s);
        /* The status comes after the server's messages: read what is left. */
        ProtobufCMessage *m;
        while (hgc_stream_recv(s, &m) == 1)
            protobuf_c_message_free_unpacked(m, NULL);
        grpc_completion_queue_pluck(s->cq, &s->tag_status, gpr_inf_future(GPR_CLOCK_REALTIME),
                                    NULL);
        s->finished = 1;
    }
    status_from_slice(st, s->code, s->details);
    return st->code;
}

void hgc_stream_cancel(hgc_stream *s)
{
    if (s) {
        atomic_store(&s->cancelled, 1);
        grpc_call_cancel(s->call, NULL);
    }
}

void hgc_stream_free(hgc_stream *s)
{
    if (!s)
        return;
    if (s->call && s->status_started && !s->finished) {
        grpc_call_cancel(s->call, NULL);
        grpc_completion_queue_pluck(s->cq, &s->tag_status, gpr_inf_future(GPR_CLOCK_REALTIME),
                                    NULL);
    }
    grpc_metadata_array_destroy(&s->init_md);
    grpc_metadata_array_destroy(&s->trail_md);
    grpc_slice_unref(s->details);
    if (s->call)
        grpc_call_unref(s->call);
    if (s->cq)
        destroy_cq(s->cq);
    free(s);
}
