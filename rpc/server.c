/* server.c: the gRPC server of hgc, driven by protoc-c service descriptors.
 *
 * N pollers (hgc_server_options.pollers), each a thread with a completion
 * queue of its own and its own posted requests: gRPC binds each accepted
 * connection to one queue (round robin), so the calls of several
 * connections spread over the pollers, and a call's every batch completes
 * on the queue it arrived on. One poller is the default (grpc-notes: a
 * second one mostly adds wake-ups on 2 cores; docs/operations.md has the
 * figures). A poller re-posts
 * requests, starts each call's RECV_CLOSE_ON_SERVER, runs the handlers of
 * methods flagged HGC_METHOD_INLINE itself (they never block; one that
 * finds its request's work long hands the call on: HGC_CALL_ON_POOL),
 * hands every other call to a pool of handler threads (grown on demand up to
 * max_threads) and signals the per-call condvars that blocking handler ops
 * wait on (call.c). Calls come back to the pool later without a new
 * arrival: a consumed client stream's next message (consume.c), a parked
 * call's resume (HGC_CALL_LATER); those are never refused for a full
 * queue. The end of a consumed stream waits HGC_EOF_SETTLE_MS on its
 * poller's settle list, which sets how long the poller sleeps. The pool has two FIFOs: priority
 * calls (workers' reports) go first, and calls without the flag may hold at most max_threads -
 * reserve threads, so a pool full of slow client calls never delays a priority one. A call that
 * finds max_queue calls already waiting is answered RESOURCE_EXHAUSTED at once instead of waiting.
 *
 * Every method with a handler is registered by its path, with several
 * requests kept posted. Anything else (a method without a handler, a
 * service never added) reaches the generic request, which is answered
 * UNIMPLEMENTED from the poller; without it such calls would hang.
 *
 * Shutdown follows grpc-notes: stop re-posting, shutdown_and_notify, wait
 * up to the grace period, cancel all calls, wait for the handlers, destroy
 * the server, then shut down and drain the queue.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grpc/grpc_security.h>
#include <grpc/support/time.h>
#include "base/addr.h"
#include "rpc_internal.h"

#define SLOTS_PER_METHOD    8
#define GENERIC_SLOTS       2
#define DEFAULT_POLLERS     1
#define MAX_POLLERS         64
#define DEFAULT_THREADS     64
#define DEFAULT_QUEUE       4096
#define DEFAULT_MAX_MESSAGE (64 * 1024 * 1024)

enum state { ST_NEW, ST_RUNNING, ST_DOWN };

struct service_entry {
    const ProtobufCServiceDescriptor *svc;
    hgc_method_impl *impls;
    size_t n_impls;
    void *user_data;
};

/* One completion queue and the thread that polls it. */
struct poller {
    hgc_server *s;
    int idx;
    grpc_completion_queue *cq;
    pthread_t thread;
    int started;
    /* Consumed client streams whose end settles (hgc_server_settle), in
     * the order they are due; only this poller's thread touches it. */
    hgc_call *settle_head, *settle_tail;
};

struct hgc_server {
    int max_threads, max_queue, reserve, max_message_bytes, n_pollers;
    enum state state;
    struct service_entry *services;
    size_t n_services;
    rpc_method *methods; /* fixed at start: request slots point into it */
    size_t n_methods;

    grpc_server *gs;
    struct poller *pollers; /* n_pollers */
    pthread_condattr_t condattr;
    atomic_int stopping;
    enum tag_kind shutdown_tag;

    pthread_mutex_t mu; /* everything below */
    pthread_cond_t cv;  /* shutdown progress */
    pthread_cond_t work_cv;
    hgc_call *queue_head, *queue_tail; /* calls without a flag */
    hgc_call *prio_head, *prio_tail;   /* HGC_METHOD_PRIORITY calls */
    int n_queued, n_busy_plain;        /* waiting, and running, plain calls */
    pthread_t *threads;
    int n_threads, n_idle, n_wakes, pool_stop;
    hgc_call *live; /* calls not yet freed, for waking them at shutdown */
    size_t n_live;  /* + UNIMPLEMENTED answers in flight */
    int shutdown_done;
};

/* A posted grpc_server_request_registered_call. */
struct req_slot {
    enum tag_kind kind;
    const rpc_method *m;
    struct poller *p;
    grpc_call *call;
    gpr_timespec deadline;
    grpc_metadata_array md;
    grpc_byte_buffer *payload;
};

/* A posted grpc_server_request_call (unknown paths). */
struct gen_slot {
    enum tag_kind kind;
    struct poller *p;
    grpc_call *call;
    grpc_call_details details;
    grpc_metadata_array md;
};

/* An UNIMPLEMENTED answer in flight. */
struct unimpl {
    enum tag_kind kind;
    grpc_call *call;
    int cancelled;
};

__attribute__((format(printf, 2, 3))) static void set_msg(char *msg, const char *fmt, ...)
{
    if (!msg)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, HGC_MSG_MAX, fmt, ap);
    va_end(ap);
}

int hgc_server_new(hgc_server **out, const hgc_server_options *opts)
{
    hgc_server *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    s->max_threads = opts && opts->max_threads > 0 ? opts->max_threads : DEFAULT_THREADS;
    if (s->max_threads < 2)
        s->max_threads = 2; /* one at least for priority calls */
    s->reserve = s->max_threads / 8 > 1 ? s->max_threads / 8 : 1;
    s->max_queue = opts && opts->max_queue > 0 ? opts->max_queue : DEFAULT_QUEUE;
    s->max_message_bytes =
        opts && opts->max_message_bytes > 0 ? opts->max_message_bytes : DEFAULT_MAX_MESSAGE;
    s->n_pollers = opts && opts->pollers > 0 ? opts->pollers : DEFAULT_POLLERS;
    if (s->n_pollers > MAX_POLLERS)
        s->n_pollers = MAX_POLLERS;
    pthread_condattr_init(&s->condattr);
    pthread_condattr_setclock(&s->condattr, CLOCK_MONOTONIC);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, &s->condattr);
    pthread_cond_init(&s->work_cv, NULL);
    atomic_init(&s->stopping, 0);
    s->shutdown_tag = TAG_SHUTDOWN;
    hgc_rpc_init();
    *out = s;
    return 0;
}

int hgc_server_add_service(hgc_server *s, const ProtobufCServiceDescriptor *svc,
                           const hgc_method_impl *impls, size_t n_impls, void *user_data,
                           char msg[HGC_MSG_MAX])
{
    int rc = -1;
    hgc_method_impl *copy = NULL;
    if (s->state != ST_NEW) {
        set_msg(msg, "service %s added after start", svc->name);
        goto cleanup;
    }
    for (size_t i = 0; i < s->n_services; i++) {
        if (strcmp(s->services[i].svc->name, svc->name) == 0) {
            set_msg(msg, "service %s added twice", svc->name);
            goto cleanup;
        }
    }
    for (size_t i = 0; i < n_impls; i++) {
        if (!impls[i].fn ||
            !protobuf_c_service_descriptor_get_method_by_name(svc, impls[i].method)) {
            set_msg(msg, "service %s has no method %s (or no handler given)", svc->name,
                    impls[i].method);
            goto cleanup;
        }
        /* An inline handler cannot wait for a client's messages: the
         * thread that would deliver them is the one it runs on. */
        if ((impls[i].flags & HGC_METHOD_INLINE) &&
            (impls[i].kind == HGC_RPC_CLIENT_STREAM || impls[i].kind == HGC_RPC_BIDI_STREAM)) {
            set_msg(msg, "service %s: method %s reads a client stream and cannot run inline",
                    svc->name, impls[i].method);
            goto cleanup;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(impls[i].method, impls[j].method) == 0) {
                set_msg(msg, "service %s: method %s has two handlers", svc->name, impls[i].method);
                goto cleanup;
            }
        }
    }
    struct service_entry *grown = realloc(s->services, (s->n_services + 1) * sizeof *grown);
    if (!grown)
        goto cleanup;
    s->services = grown;
    if (n_impls && !(copy = malloc(n_impls * sizeof *copy)))
        goto cleanup;
    if (n_impls)
        memcpy(copy, impls, n_impls * sizeof *copy);
    s->services[s->n_services++] = (struct service_entry){svc, copy, n_impls, user_data};
    copy = NULL;
    rc = 0;
cleanup:
    free(copy);
    return rc;
}

int hgc_server_stopping(const hgc_server *s)
{
    return atomic_load_explicit(&s->stopping, memory_order_relaxed);
}

const pthread_condattr_t *hgc_server_condattr(const hgc_server *s)
{
    return &s->condattr;
}

int hgc_server_knows_service(hgc_server *s, const char *name)
{
    if (name[0] == '\0')
        return 1;
    for (size_t i = 0; i < s->n_services; i++)
        if (strcmp(s->services[i].svc->name, name) == 0)
            return 1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Handler pool                                                        */
/* ------------------------------------------------------------------ */

enum { LANE_PLAIN = 0, LANE_PRIO = 1 };

/* Under s->mu: the next call this thread may run, or NULL. */
static hgc_call *take(hgc_server *s)
{
    hgc_call *c = s->prio_head;
    if (c) {
        s->prio_head = *hgc_call_next_queued(c);
        if (!s->prio_head)
            s->prio_tail = NULL;
        return c;
    }
    c = s->queue_head;
    if (!c || s->n_busy_plain >= s->max_threads - s->reserve)
        return NULL;
    s->queue_head = *hgc_call_next_queued(c);
    if (!s->queue_head)
        s->queue_tail = NULL;
    s->n_queued--;
    s->n_busy_plain++;
    return c;
}

static void *worker_main(void *arg)
{
    hgc_server *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        hgc_call *c = take(s);
        if (!c) {
            if (s->pool_stop)
                break;
            s->n_idle++;
            pthread_cond_wait(&s->work_cv, &s->mu);
            s->n_idle--;
            if (s->n_wakes > 0)
                s->n_wakes--;
            continue;
        }
        int plain = *hgc_call_lane(c) == LANE_PLAIN;
        pthread_mutex_unlock(&s->mu);
        hgc_call_run(c);
        pthread_mutex_lock(&s->mu);
        if (plain)
            s->n_busy_plain--;
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* Poller: the call joins the live list (shutdown wakes and waits for it). */
static void track(hgc_server *s, hgc_call *c)
{
    pthread_mutex_lock(&s->mu);
    *hgc_call_live_prev(c) = NULL;
    *hgc_call_live_next(c) = s->live;
    if (s->live)
        *hgc_call_live_prev(s->live) = c;
    s->live = c;
    s->n_live++;
    pthread_mutex_unlock(&s->mu);
}

/* Queues the call in its lane, wakes an idle thread not already woken, or
 * starts a new one while below the ceiling. A new plain call that finds
 * the queue full is answered RESOURCE_EXHAUSTED; an `admitted` one (a
 * stream's next step) always joins. */
static void dispatch(hgc_server *s, hgc_call *c, int lane, int admitted)
{
    pthread_mutex_lock(&s->mu);
    if (!admitted && lane == LANE_PLAIN && s->n_queued >= s->max_queue) {
        pthread_mutex_unlock(&s->mu);
        hgc_call_reject(c, GRPC_STATUS_RESOURCE_EXHAUSTED,
                        "the server is busy: too many calls wait for a handler; try again later");
        return;
    }
    *hgc_call_lane(c) = lane;
    *hgc_call_next_queued(c) = NULL;
    hgc_call **head = lane == LANE_PRIO ? &s->prio_head : &s->queue_head;
    hgc_call **tail = lane == LANE_PRIO ? &s->prio_tail : &s->queue_tail;
    if (*tail)
        *hgc_call_next_queued(*tail) = c;
    else
        *head = c;
    *tail = c;
    if (lane == LANE_PLAIN)
        s->n_queued++;
    int runnable = lane == LANE_PRIO || s->n_busy_plain < s->max_threads - s->reserve;
    if (!runnable) {
        /* Waits for a plain call to finish; that thread takes it. */
    } else if (s->n_idle > s->n_wakes) {
        s->n_wakes++;
        pthread_cond_signal(&s->work_cv);
    } else if (s->n_threads < s->max_threads) {
        if (pthread_create(&s->threads[s->n_threads], NULL, worker_main, s) == 0)
            s->n_threads++;
        else if (s->n_threads == 0)
            fprintf(stderr, "hgc_rpc: cannot start a handler thread\n");
    }
    pthread_mutex_unlock(&s->mu);
}

void hgc_server_dispatch(hgc_server *s, hgc_call *c)
{
    dispatch(s, c, (hgc_call_method(c)->flags & HGC_METHOD_PRIORITY) ? LANE_PRIO : LANE_PLAIN, 0);
}

void hgc_server_resume(hgc_server *s, hgc_call *c, int urgent)
{
    dispatch(s, c, urgent ? LANE_PRIO : *hgc_call_lane(c), 1);
}

void hgc_server_settle(hgc_server *s, hgc_call *c)
{
    struct poller *p = &s->pollers[hgc_call_poller(c)];
    *hgc_call_settle_due(c) = hgc_now_ms() + HGC_EOF_SETTLE_MS;
    *hgc_call_next_queued(c) = NULL;
    if (p->settle_tail)
        *hgc_call_next_queued(p->settle_tail) = c;
    else
        p->settle_head = c;
    p->settle_tail = c;
}

/* Poller: the settled calls whose time came go to the pool. */
static void settle_due(hgc_server *s, struct poller *p)
{
    if (!p->settle_head)
        return;
    int64_t now = hgc_now_ms();
    while (p->settle_head && *hgc_call_settle_due(p->settle_head) <= now) {
        hgc_call *c = p->settle_head;
        p->settle_head = *hgc_call_next_queued(c);
        if (!p->settle_head)
            p->settle_tail = NULL;
        /* A cancel that came meanwhile makes it cleanup (consume.c). */
        hgc_server_resume(s, c, hgc_call_cancelled(c));
    }
}

/* Poller: how long it may sleep: until the first settled call is due. */
static gpr_timespec poll_until(const struct poller *p)
{
    if (!p->settle_head)
        return gpr_inf_future(GPR_CLOCK_MONOTONIC);
    int64_t left = *hgc_call_settle_due(p->settle_head) - hgc_now_ms();
    return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                        gpr_time_from_millis(left > 0 ? left : 0, GPR_TIMESPAN));
}

/* `c` NULL: an UNIMPLEMENTED answer, counted but not on the list. */
void hgc_server_call_freed(hgc_server *s, hgc_call *c)
{
    pthread_mutex_lock(&s->mu);
    if (c) {
        hgc_call *prev = *hgc_call_live_prev(c), *next = *hgc_call_live_next(c);
        if (prev)
            *hgc_call_live_next(prev) = next;
        else
            s->live = next;
        if (next)
            *hgc_call_live_prev(next) = prev;
    }
    if (--s->n_live == 0)
        pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* ------------------------------------------------------------------ */
/* Posting requests and the poller                                     */
/* ------------------------------------------------------------------ */

static int post_slot(hgc_server *s, struct req_slot *r)
{
    r->call = NULL;
    r->payload = NULL;
    grpc_metadata_array_init(&r->md);
    grpc_byte_buffer **payload =
        r->m->kind == HGC_RPC_UNARY || r->m->kind == HGC_RPC_SERVER_STREAM ? &r->payload : NULL;
    return grpc_server_request_registered_call(s->gs, r->m->reg, &r->call, &r->deadline, &r->md,
                                               payload, r->p->cq, r->p->cq, r) == GRPC_CALL_OK
               ? 0
               : -1;
}

static int post_generic(hgc_server *s, struct gen_slot *g)
{
    g->call = NULL;
    grpc_call_details_init(&g->details);
    grpc_metadata_array_init(&g->md);
    return grpc_server_request_call(s->gs, &g->call, &g->details, &g->md, g->p->cq, g->p->cq, g) ==
                   GRPC_CALL_OK
               ? 0
               : -1;
}

static void on_request(hgc_server *s, struct req_slot *r, int ok)
{
    if (ok) {
        hgc_call *c = hgc_call_new(s, r->m, r->call, r->deadline, &r->md, r->payload, r->p->idx);
        r->payload = NULL;
        hgc_call_arrived(c);
        track(s, c);
        if (r->m->flags & HGC_METHOD_INLINE)
            hgc_call_run_inline(c);
        else
            hgc_server_dispatch(s, c);
        grpc_metadata_array_destroy(&r->md);
        if (!hgc_server_stopping(s) && post_slot(s, r) == 0)
            return;
    }
    /* Shutting down: the slot is done. */
    grpc_metadata_array_destroy(&r->md);
    if (r->payload)
        grpc_byte_buffer_destroy(r->payload);
    free(r);
}

static void on_generic(hgc_server *s, struct gen_slot *g, int ok)
{
    if (ok) {
        struct unimpl *u = calloc(1, sizeof *u);
        if (u) {
            char text[300];
            snprintf(text, sizeof text, "method %.*s is not implemented",
                     (int)GRPC_SLICE_LENGTH(g->details.method),
                     (const char *)GRPC_SLICE_START_PTR(g->details.method));
            grpc_slice details = grpc_slice_from_copied_string(text);
            grpc_op ops[3];
            memset(ops, 0, sizeof ops);
            ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
            ops[1].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
            ops[1].data.recv_close_on_server.cancelled = &u->cancelled;
            ops[2].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
            ops[2].data.send_status_from_server.status = GRPC_STATUS_UNIMPLEMENTED;
            ops[2].data.send_status_from_server.status_details = &details;
            u->kind = TAG_UNIMPL;
            u->call = g->call;
            pthread_mutex_lock(&s->mu);
            s->n_live++;
            pthread_mutex_unlock(&s->mu);
            if (grpc_call_start_batch(u->call, ops, 3, u, NULL) != GRPC_CALL_OK) {
                grpc_call_unref(u->call);
                free(u);
                hgc_server_call_freed(s, NULL);
            }
            grpc_slice_unref(details);
        } else {
            grpc_call_cancel_with_status(g->call, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory",
                                         NULL);
            grpc_call_unref(g->call);
        }
    }
    grpc_call_details_destroy(&g->details);
    grpc_metadata_array_destroy(&g->md);
    if (ok && !hgc_server_stopping(s) && post_generic(s, g) == 0)
        return;
    free(g);
}

static void *poll_main(void *arg)
{
    struct poller *p = arg;
    hgc_server *s = p->s;
    for (;;) {
        grpc_event ev = grpc_completion_queue_next(p->cq, poll_until(p), NULL);
        if (ev.type == GRPC_QUEUE_SHUTDOWN)
            break;
        settle_due(s, p);
        if (ev.type != GRPC_OP_COMPLETE)
            continue;
        switch (*(enum tag_kind *)ev.tag) {
        case TAG_REQUEST: on_request(s, ev.tag, ev.success); break;
        case TAG_GENERIC: on_generic(s, ev.tag, ev.success); break;
        case TAG_UNIMPL: {
            struct unimpl *u = ev.tag;
            grpc_call_unref(u->call);
            free(u);
            hgc_server_call_freed(s, NULL);
            break;
        }
        case TAG_CLOSE:
        case TAG_SEND:
        case TAG_RECV: hgc_call_op_done(ev.tag, ev.success); break;
        case TAG_SHUTDOWN:
            pthread_mutex_lock(&s->mu);
            s->shutdown_done = 1;
            pthread_cond_broadcast(&s->cv);
            pthread_mutex_unlock(&s->mu);
            break;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Start, shutdown, free                                               */
/* ------------------------------------------------------------------ */

/* One rpc_method per handler, in service order. */
static int build_methods(hgc_server *s, char msg[HGC_MSG_MAX])
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_services; i++)
        n += s->services[i].n_impls;
    s->methods = calloc(n ? n : 1, sizeof *s->methods);
    if (!s->methods) {
        set_msg(msg, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < s->n_services; i++) {
        const struct service_entry *e = &s->services[i];
        for (size_t j = 0; j < e->n_impls; j++) {
            rpc_method *m = &s->methods[s->n_methods++];
            char path[512];
            m->md = protobuf_c_service_descriptor_get_method_by_name(e->svc, e->impls[j].method);
            if (hgc_method_path(path, sizeof path, e->svc, m->md) < 0 ||
                !(m->path = strdup(path))) {
                set_msg(msg, "cannot register %s.%s", e->svc->name, m->md->name);
                return -1;
            }
            m->kind = e->impls[j].kind;
            m->fn = e->impls[j].fn;
            m->flags = e->impls[j].flags;
            m->user_data = e->user_data;
        }
    }
    return 0;
}

/* Every method's request slots and the generic ones, on poller `p`. */
static void post_all(hgc_server *s, struct poller *p)
{
    for (size_t i = 0; i < s->n_methods; i++) {
        for (int k = 0; k < SLOTS_PER_METHOD; k++) {
            struct req_slot *r = calloc(1, sizeof *r);
            if (!r)
                break;
            r->kind = TAG_REQUEST;
            r->m = &s->methods[i];
            r->p = p;
            if (post_slot(s, r) < 0) {
                grpc_metadata_array_destroy(&r->md);
                free(r);
            }
        }
    }
    for (int k = 0; k < GENERIC_SLOTS; k++) {
        struct gen_slot *g = calloc(1, sizeof *g);
        if (!g)
            break;
        g->kind = TAG_GENERIC;
        g->p = p;
        if (post_generic(s, g) < 0) {
            grpc_call_details_destroy(&g->details);
            grpc_metadata_array_destroy(&g->md);
            free(g);
        }
    }
}

int hgc_server_start(hgc_server *s, const char *addr, int *bound_port, char msg[HGC_MSG_MAX])
{
    int port = 0;
    if (s->state != ST_NEW) {
        set_msg(msg, "server already started");
        return -1;
    }
    if (build_methods(s, msg) < 0)
        goto fail;
    s->threads = calloc((size_t)s->max_threads, sizeof *s->threads);
    s->pollers = calloc((size_t)s->n_pollers, sizeof *s->pollers);
    if (!s->threads || !s->pollers) {
        set_msg(msg, "out of memory");
        goto fail;
    }
    grpc_arg args[3];
    memset(args, 0, sizeof args);
    args[0].type = GRPC_ARG_INTEGER;
    args[0].key = (char *)GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
    args[0].value.integer = s->max_message_bytes;
    args[1].type = GRPC_ARG_INTEGER;
    args[1].key = (char *)GRPC_ARG_MAX_SEND_MESSAGE_LENGTH;
    args[1].value.integer = s->max_message_bytes;
    /* Without this a second server on a busy port would share it silently. */
    args[2].type = GRPC_ARG_INTEGER;
    args[2].key = (char *)GRPC_ARG_ALLOW_REUSEPORT;
    args[2].value.integer = 0;
    grpc_channel_args cargs = {3, args};
    s->gs = grpc_server_create(&cargs, NULL);
    for (int i = 0; i < s->n_pollers; i++) {
        struct poller *p = &s->pollers[i];
        p->s = s;
        p->idx = i;
        p->cq = grpc_completion_queue_create_for_next(NULL);
        grpc_server_register_completion_queue(s->gs, p->cq, NULL);
    }
    for (size_t i = 0; i < s->n_methods; i++) {
        rpc_method *m = &s->methods[i];
        int read_payload = m->kind == HGC_RPC_UNARY || m->kind == HGC_RPC_SERVER_STREAM;
        m->reg = grpc_server_register_method(
            s->gs, m->path, NULL,
            read_payload ? GRPC_SRM_PAYLOAD_READ_INITIAL_BYTE_BUFFER : GRPC_SRM_PAYLOAD_NONE, 0);
        if (!m->reg) {
            set_msg(msg, "cannot register method %s", m->path);
            goto fail;
        }
    }
    grpc_server_credentials *creds = grpc_insecure_server_credentials_create();
    port = grpc_server_add_http2_port(s->gs, addr, creds);
    grpc_server_credentials_release(creds);
    if (port <= 0) {
        char why[160];
        if (hgc_addr_listen_error(addr, why, sizeof why) < 0)
            set_msg(msg, "cannot listen on %s: %s", addr, why);
        else
            set_msg(msg, "cannot listen on %s", addr);
        goto fail;
    }
    /* The pollers first: nothing can arrive before grpc_server_start, so
     * a poller that cannot start leaves nothing to undo but the queues. */
    for (int i = 0; i < s->n_pollers; i++) {
        struct poller *p = &s->pollers[i];
        if (pthread_create(&p->thread, NULL, poll_main, p) != 0) {
            set_msg(msg, "cannot start the polling threads");
            goto fail;
        }
        p->started = 1;
    }
    grpc_server_start(s->gs);
    s->state = ST_RUNNING;
    for (int i = 0; i < s->n_pollers; i++)
        post_all(s, &s->pollers[i]);
    if (bound_port)
        *bound_port = port;
    return 0;
fail:
    if (s->gs) {
        /* Not started: no listener runs, no call exists. */
        grpc_server_destroy(s->gs);
        s->gs = NULL;
    }
    for (int i = 0; s->pollers && i < s->n_pollers; i++) {
        struct poller *p = &s->pollers[i];
        if (!p->cq)
            continue;
        grpc_completion_queue_shutdown(p->cq);
        if (p->started)
            pthread_join(p->thread, NULL); /* it sees the shutdown */
        p->started = 0;
        grpc_completion_queue_destroy(p->cq);
        p->cq = NULL;
    }
    s->state = ST_DOWN;
    return -1;
}

static void wait_shutdown_tag(hgc_server *s, int64_t until_ms)
{
    struct timespec ts;
    hgc_abs_timespec(until_ms, &ts);
    while (!s->shutdown_done && (until_ms == INT64_MAX || hgc_now_ms() < until_ms)) {
        if (until_ms == INT64_MAX)
            pthread_cond_wait(&s->cv, &s->mu);
        else
            pthread_cond_timedwait(&s->cv, &s->mu, &ts);
    }
}

void hgc_server_shutdown(hgc_server *s, int grace_ms)
{
    if (!s || s->state != ST_RUNNING) {
        if (s)
            s->state = ST_DOWN;
        return;
    }
    s->state = ST_DOWN;
    /* Handlers polling hgc_call_cancelled / waiting in
     * hgc_call_wait_cancelled learn of it now, not at the end of the grace. */
    atomic_store(&s->stopping, 1);
    pthread_mutex_lock(&s->mu);
    size_t n_kept = 0;
    hgc_call **kept = malloc((s->n_live ? s->n_live : 1) * sizeof *kept);
    for (hgc_call *c = s->live; c; c = *hgc_call_live_next(c)) {
        hgc_call_wake(c);
        if (kept && hgc_call_try_ref(c))
            kept[n_kept++] = c;
    }
    pthread_mutex_unlock(&s->mu);
    /* Subscriptions (kept calls) end now, each with its own last words. */
    for (size_t i = 0; i < n_kept; i++) {
        hgc_call_stopping(kept[i]);
        hgc_call_unref(kept[i]);
    }
    free(kept);

    grpc_server_shutdown_and_notify(s->gs, s->pollers[0].cq, &s->shutdown_tag);
    pthread_mutex_lock(&s->mu);
    wait_shutdown_tag(s, hgc_now_ms() + (grace_ms > 0 ? grace_ms : 0));
    if (!s->shutdown_done) {
        pthread_mutex_unlock(&s->mu);
        grpc_server_cancel_all_calls(s->gs);
        pthread_mutex_lock(&s->mu);
        wait_shutdown_tag(s, INT64_MAX);
    }
    /* Every handler returned and every call record is gone. */
    while (s->n_live > 0)
        pthread_cond_wait(&s->cv, &s->mu);
    pthread_mutex_unlock(&s->mu);

    grpc_server_destroy(s->gs);
    s->gs = NULL;
    for (int i = 0; i < s->n_pollers; i++) {
        struct poller *p = &s->pollers[i];
        grpc_completion_queue_shutdown(p->cq);
        pthread_join(p->thread, NULL);
        grpc_completion_queue_destroy(p->cq);
        p->cq = NULL;
        p->started = 0;
    }

    pthread_mutex_lock(&s->mu);
    s->pool_stop = 1;
    pthread_cond_broadcast(&s->work_cv);
    pthread_mutex_unlock(&s->mu);
    for (int i = 0; i < s->n_threads; i++)
        pthread_join(s->threads[i], NULL);
    s->n_threads = 0;
}

void hgc_server_free(hgc_server *s)
{
    if (!s)
        return;
    if (s->state == ST_RUNNING)
        hgc_server_shutdown(s, 0);
    for (size_t i = 0; i < s->n_methods; i++)
        free(s->methods[i].path);
    free(s->methods);
    for (size_t i = 0; i < s->n_services; i++)
        free(s->services[i].impls);
    free(s->services);
    free(s->threads);
    free(s->pollers);
    pthread_cond_destroy(&s->work_cv);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    pthread_condattr_destroy(&s->condattr);
    free(s);
    hgc_rpc_shutdown();
}
