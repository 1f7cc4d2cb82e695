/* test_rpc_async.c: hgc_unary_async against a real server in this process
 * (127.0.0.1:0): many calls in flight from one thread, error statuses,
 * deadlines, cancel, and a channel freed while its calls are in flight.
 *
 * Handler: GraphService.GetGraph; the request's name picks a behaviour
 * ("missing": NOT_FOUND, "sleep:MS": answers after MS, else its name back
 * with vertices = the name's number).
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hgc/v1/graphs.pb-c.h"
#include "channel_watch.h"
#include "hgc_rpc.h"

static hgc_server *srv;
static hgc_channel *ch;
static char addr[64];

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static grpc_status_code get_graph(hgc_call *call, void *ud)
{
    (void)ud;
    const Hgc__V1__GetGraphRequest *req = (const void *)hgc_call_request(call);
    if (strcmp(req->name, "missing") == 0)
        return hgc_call_set_error(call, GRPC_STATUS_NOT_FOUND, "graph %s not found", req->name);
    if (strncmp(req->name, "sleep:", 6) == 0) {
        int64_t until = now_ms() + atoi(req->name + 6);
        while (!hgc_call_wait_cancelled(call, 20) && now_ms() < until)
            ;
        if (hgc_call_cancelled(call)) /* no reply that could beat the client's own deadline */
            return GRPC_STATUS_CANCELLED;
    }
    Hgc__V1__Graph *g = hgc_call_alloc(call, sizeof *g);
    hgc__v1__graph__init(g);
    g->name = hgc_call_strdup(call, req->name);
    g->vertices = atoll(req->name);
    hgc_call_send(call, &g->base);
    return GRPC_STATUS_OK;
}

static void setup(void)
{
    char msg[HGC_MSG_MAX];
    static const hgc_method_impl impls[] = {{"GetGraph", HGC_RPC_UNARY, get_graph, 0}};
    int port = 0;
    cr_assert_eq(hgc_server_new(&srv, NULL), 0);
    cr_assert_eq(
        hgc_server_add_service(srv, &hgc__v1__graph_service__descriptor, impls, 1, NULL, msg), 0,
        "%s", msg);
    cr_assert_eq(hgc_server_start(srv, "127.0.0.1:0", &port, msg), 0, "%s", msg);
    snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
    cr_assert_eq(hgc_channel_new(&ch, addr, msg), 0, "%s", msg);
}

static void teardown(void)
{
    hgc_channel_free(ch);
    hgc_server_shutdown(srv, 1000);
    hgc_server_free(srv);
}

TestSuite(rpc_async, .init = setup, .fini = teardown, .timeout = 60);

/* What one call's callback saw. */
typedef struct result {
    atomic_int done; /* 1 once the callback ran */
    grpc_status_code code;
    char message[512];
    char name[64];
    int64_t vertices;
    int64_t at_ms;
    ProtobufCAllocator *alloc; /* the reply's */
} result;

/* Counts callbacks so a test can wait for all of them. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int n_done;

static void on_done(void *arg, const hgc_status *st, ProtobufCMessage *reply)
{
    result *r = arg;
    r->code = st->code;
    snprintf(r->message, sizeof r->message, "%s", st->message);
    if (reply) {
        const Hgc__V1__Graph *g = (const void *)reply;
        snprintf(r->name, sizeof r->name, "%s", g->name);
        r->vertices = g->vertices;
        protobuf_c_message_free_unpacked(reply, r->alloc);
    }
    r->at_ms = now_ms();
    atomic_store(&r->done, 1);
    pthread_mutex_lock(&mu);
    n_done++;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

static void reset_count(void)
{
    pthread_mutex_lock(&mu);
    n_done = 0;
    pthread_mutex_unlock(&mu);
}

/* Waits up to ms for n callbacks; how many ran. */
static int wait_done(int n, int ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&mu);
    while (n_done < n && pthread_cond_timedwait(&cv, &mu, &until) == 0)
        ;
    int got = n_done;
    pthread_mutex_unlock(&mu);
    return got;
}

static int start(hgc_channel *c, const char *name, int timeout_ms, result *r, hgc_status *st)
{
    Hgc__V1__GetGraphRequest req = HGC__V1__GET_GRAPH_REQUEST__INIT;
    req.name = (char *)name;
    return hgc_unary_async(c, &hgc__v1__graph_service__descriptor, "GetGraph", &req.base, NULL,
                           timeout_ms, on_done, r, st);
}

Test(rpc_async, one_call)
{
    result r = {0};
    hgc_status st;
    reset_count();
    cr_assert_eq(start(ch, "42", 5000, &r, &st), 0, "%s", st.message);
    cr_assert_eq(wait_done(1, 5000), 1);
    cr_assert_eq(r.code, GRPC_STATUS_OK, "%s", r.message);
    cr_assert_str_eq(r.name, "42");
    cr_assert_eq(r.vertices, 42);
}

Test(rpc_async, thousands_in_flight_from_one_thread)
{
    enum { N = 5000 };
    result *rs = calloc(N, sizeof *rs);
    hgc_status st;
    reset_count();
    for (int i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof name, "%d", i);
        cr_assert_eq(start(ch, name, 20000, &rs[i], &st), 0, "%s", st.message);
    }
    cr_assert_eq(wait_done(N, 30000), N);
    for (int i = 0; i < N; i++) {
        cr_assert_eq(rs[i].code, GRPC_STATUS_OK, "call %d: %s", i, rs[i].message);
        cr_assert_eq(rs[i].vertices, i, "call %d got the reply of %lld", i,
                     (long long)rs[i].vertices);
    }
    free(rs);
}

Test(rpc_async, slow_calls_do_not_hold_up_fast_ones)
{
    result slow[8] = {{0}}, fast = {0};
    hgc_status st;
    reset_count();
    for (int i = 0; i < 8; i++)
        cr_assert_eq(start(ch, "sleep:1000", 10000, &slow[i], &st), 0);
    int64_t t0 = now_ms();
    cr_assert_eq(start(ch, "7", 10000, &fast, &st), 0);
    while (!atomic_load(&fast.done) && now_ms() - t0 < 5000)
        usleep(1000);
    cr_assert(atomic_load(&fast.done));
    cr_assert_lt(fast.at_ms - t0, 500, "the fast call waited %lld ms",
                 (long long)(fast.at_ms - t0));
    cr_assert_eq(wait_done(9, 10000), 9);
    for (int i = 0; i < 8; i++)
        cr_assert_eq(slow[i].code, GRPC_STATUS_OK);
}

Test(rpc_async, error_status_and_message)
{
    result r = {0};
    hgc_status st;
    reset_count();
    cr_assert_eq(start(ch, "missing", 5000, &r, &st), 0);
    cr_assert_eq(wait_done(1, 5000), 1);
    cr_assert_eq(r.code, GRPC_STATUS_NOT_FOUND);
    cr_assert_str_eq(r.message, "graph missing not found");
    cr_assert_str_eq(r.name, "");
}

Test(rpc_async, refused_before_starting)
{
    Hgc__V1__GetGraphRequest req = HGC__V1__GET_GRAPH_REQUEST__INIT;
    Hgc__V1__ListGraphsRequest other = HGC__V1__LIST_GRAPHS_REQUEST__INIT;
    result r = {0};
    hgc_status st;
    req.name = (char *)"x";
    cr_assert_lt(hgc_unary_async(ch, &hgc__v1__graph_service__descriptor, "NoSuchMethod", &req.base,
                                 NULL, 1000, on_done, &r, &st),
                 0);
    cr_assert_eq(st.code, GRPC_STATUS_UNIMPLEMENTED);
    cr_assert_lt(hgc_unary_async(ch, &hgc__v1__graph_service__descriptor, "GetGraph", &other.base,
                                 NULL, 1000, on_done, &r, &st),
                 0);
    cr_assert_eq(st.code, GRPC_STATUS_INTERNAL);
    usleep(100 * 1000);
    cr_assert_eq(atomic_load(&r.done), 0, "a refused call's callback ran");
}

Test(rpc_async, deadline_exceeded)
{
    result r = {0};
    hgc_status st;
    reset_count();
    int64_t t0 = now_ms();
    cr_assert_eq(start(ch, "sleep:5000", 100, &r, &st), 0);
    cr_assert_eq(wait_done(1, 5000), 1);
    cr_assert_eq(r.code, GRPC_STATUS_DEADLINE_EXCEEDED, "%d %s", r.code, r.message);
    cr_assert_lt(r.at_ms - t0, 2000);
}

Test(rpc_async, unreachable_server_is_unavailable)
{
    char msg[HGC_MSG_MAX];
    hgc_channel *c = NULL;
    result r = {0};
    hgc_status st;
    cr_assert_eq(hgc_channel_new(&c, "127.0.0.1:1", msg), 0);
    reset_count();
    cr_assert_eq(start(c, "1", 5000, &r, &st), 0);
    cr_assert_eq(wait_done(1, 6000), 1);
    cr_assert_eq(r.code, GRPC_STATUS_UNAVAILABLE, "%d %s", r.code, r.message);
    hgc_channel_free(c);
}

Test(rpc_async, cancel_ends_calls_in_flight)
{
    result r[4] = {{0}};
    hgc_status st;
    reset_count();
    for (int i = 0; i < 4; i++)
        cr_assert_eq(start(ch, "sleep:10000", 20000, &r[i], &st), 0);
    usleep(50 * 1000);
    int64_t t0 = now_ms();
    hgc_channel_cancel_async(ch);
    cr_assert_eq(wait_done(4, 5000), 4);
    cr_assert_lt(now_ms() - t0, 2000);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(r[i].code, GRPC_STATUS_CANCELLED, "%d %s", r[i].code, r[i].message);
    /* The channel still works. */
    result ok = {0};
    reset_count();
    cr_assert_eq(start(ch, "5", 5000, &ok, &st), 0);
    cr_assert_eq(wait_done(1, 5000), 1);
    cr_assert_eq(ok.code, GRPC_STATUS_OK);
}

Test(rpc_async, channel_freed_with_calls_in_flight)
{
    enum { N = 64 };
    char msg[HGC_MSG_MAX];
    hgc_channel *c = NULL;
    result *rs = calloc(N, sizeof *rs);
    hgc_status st;
    cr_assert_eq(hgc_channel_new(&c, addr, msg), 0);
    reset_count();
    for (int i = 0; i < N; i++)
        cr_assert_eq(start(c, i % 2 ? "sleep:10000" : "3", 20000, &rs[i], &st), 0);
    int64_t t0 = now_ms();
    hgc_channel_free(c);
    cr_assert_lt(now_ms() - t0, 3000, "free waited for the slow calls");
    /* Every callback has run by the time free returns. */
    for (int i = 0; i < N; i++) {
        cr_assert_eq(atomic_load(&rs[i].done), 1, "call %d: no callback", i);
        if (i % 2)
            cr_assert_eq(rs[i].code, GRPC_STATUS_CANCELLED, "call %d: %d", i, rs[i].code);
        else
            cr_assert(rs[i].code == GRPC_STATUS_OK || rs[i].code == GRPC_STATUS_CANCELLED);
    }
    free(rs);
}

/* A reply unpacked into the caller's allocator. */
static void *bump(void *ud, size_t n)
{
    char **p = ud;
    void *r = *p;
    *p += (n + 15) & ~(size_t)15;
    return r;
}
static void nofree(void *ud, void *p)
{
    (void)ud;
    (void)p;
}

Test(rpc_async, reply_in_the_callers_allocator)
{
    static char space[4096] __attribute__((aligned(16)));
    char *cur = space;
    ProtobufCAllocator alloc = {bump, nofree, &cur};
    Hgc__V1__GetGraphRequest req = HGC__V1__GET_GRAPH_REQUEST__INIT;
    result r = {.alloc = &alloc};
    hgc_status st;
    req.name = (char *)"99";
    reset_count();
    cr_assert_eq(hgc_unary_async(ch, &hgc__v1__graph_service__descriptor, "GetGraph", &req.base,
                                 &alloc, 5000, on_done, &r, &st),
                 0);
    cr_assert_eq(wait_done(1, 5000), 1);
    cr_assert_eq(r.code, GRPC_STATUS_OK);
    cr_assert_str_eq(r.name, "99");
    cr_assert_gt(cur, space, "the reply was not unpacked into the allocator");
}

/* Threads named as the main thread is: a thread gets its creator's name
 * (gRPC names its own; the old watcher thread kept the caller's). */
static int unnamed_threads(void)
{
    char main_name[32] = "", name[32], path[64];
    FILE *f = fopen("/proc/self/comm", "r");
    cr_assert(f && fgets(main_name, sizeof main_name, f));
    fclose(f);
    DIR *d = opendir("/proc/self/task");
    cr_assert(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
        if ((f = fopen(path, "r"))) {
            n += fgets(name, sizeof name, f) && strcmp(name, main_name) == 0;
            fclose(f);
        }
    }
    closedir(d);
    return n;
}

/* The watcher polls with the calls' own thread: a second thread polling
 * made the gRPC core hand its polling turn between the two on every call. */
Test(rpc_async, the_channel_watcher_has_no_thread_of_its_own)
{
    result r[2] = {{0}};
    hgc_status st;
    char msg[HGC_MSG_MAX];
    reset_count();
    cr_assert_eq(start(ch, "1", 5000, &r[0], &st), 0, "%s", st.message);
    cr_assert_eq(wait_done(1, 5000), 1);
    int before = unnamed_threads();
    hgc_channel_watch *w = NULL;
    cr_assert_eq(hgc_channel_watch_new(&w, ch, msg), 0, "%s", msg);
    usleep(100 * 1000);
    int after = unnamed_threads();
    int started = start(ch, "2", 5000, &r[1], &st);
    int done = wait_done(2, 5000);
    int64_t t0 = now_ms();
    hgc_channel_watch_free(w); /* before the teardown frees the channel */
    int64_t stop_ms = now_ms() - t0;
    cr_assert_eq(after, before, "the watcher started a thread (%d, then %d)", before, after);
    cr_assert_eq(started, 0, "%s", st.message);
    cr_assert_eq(done, 2);
    cr_assert_eq(r[1].code, GRPC_STATUS_OK, "%s", r[1].message);
    cr_assert_lt(stop_ms, 1500, "the watcher took %lld ms to stop", (long long)stop_ms);
}
