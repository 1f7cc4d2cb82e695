/* test_pollers.c: a server with several pollers (hgc_server_options.
 * pollers): calls from several connections are spread over the pollers'
 * completion queues and every one is answered; shutdown is clean with
 * calls of every kind in progress. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "hgc_rpc.h"
#include "rpc_test.h"

#define POLLERS  4
#define CHANNELS 8
#define CALLS    300

static atomic_int seen[64]; /* calls per poller */
static atomic_int watchers; /* kept WatchJob calls not yet ended */

static grpc_status_code get_graph(hgc_call *call, void *ud)
{
    (void)ud;
    const Hgc__V1__GetGraphRequest *req = (const void *)hgc_call_request(call);
    int p = hgc_call_poller(call);
    if (p >= 0 && p < 64)
        atomic_fetch_add(&seen[p], 1);
    if (strcmp(req->name, "slow") == 0)
        hgc_call_wait_cancelled(call, 3000);
    Hgc__V1__Graph g = HGC__V1__GRAPH__INIT;
    g.name = (char *)req->name;
    g.vertices = p;
    hgc_call_send(call, &g.base);
    return GRPC_STATUS_OK;
}

static void watch_done(hgc_call *call, void *arg, grpc_status_code why)
{
    (void)arg;
    hgc_call_end(call, why, NULL);
    atomic_fetch_sub(&watchers, 1);
}

/* A subscription that never gets news: only its done hook ends it. */
static grpc_status_code watch_job(hgc_call *call, void *ud)
{
    (void)ud;
    Hgc__V1__Task t = HGC__V1__TASK__INIT;
    atomic_fetch_add(&watchers, 1);
    hgc_call_keep(call, watch_done, NULL);
    hgc_call_post(call, &t.base);
    return GRPC_STATUS_OK;
}

static const hgc_method_impl graph_impls[] = {
    {"GetGraph", HGC_RPC_UNARY, get_graph, 0},
};
static const hgc_method_impl job_impls[] = {
    {"WatchJob", HGC_RPC_SERVER_STREAM, watch_job, 0},
};

static hgc_server *start(int pollers, int *port)
{
    hgc_server *s = NULL;
    char msg[HGC_MSG_MAX] = "";
    hgc_server_options o = {.max_threads = 16, .pollers = pollers};
    cr_assert_eq(hgc_server_new(&s, &o), 0);
    cr_assert_eq(
        hgc_server_add_service(s, &hgc__v1__graph_service__descriptor, graph_impls, 1, NULL, msg),
        0, "%s", msg);
    cr_assert_eq(
        hgc_server_add_service(s, &hgc__v1__job_service__descriptor, job_impls, 1, NULL, msg), 0,
        "%s", msg);
    cr_assert_eq(hgc_server_add_health(s, msg), 0, "%s", msg);
    cr_assert_eq(hgc_server_start(s, "127.0.0.1:0", port, msg), 0, "%s", msg);
    return s;
}

/* GetGraph of `name`; *poller (if given): the poller that answered. */
static grpc_status_code get(hgc_channel *c, const char *name, int timeout_ms, int *poller)
{
    Hgc__V1__Graph *g = NULL;
    grpc_status_code code = rpc_test_get_graph(c, name, timeout_ms, &g);
    if (g) {
        if (poller)
            *poller = (int)g->vertices;
        protobuf_c_message_free_unpacked(&g->base, NULL);
    }
    return code;
}

struct caller {
    hgc_channel *ch;
    int ok;
    grpc_status_code first_error; /* of the first call that failed */
};

static void *call_many(void *arg)
{
    struct caller *c = arg;
    for (int i = 0; i < CALLS; i++) {
        grpc_status_code code = get(c->ch, "g", 5000, NULL);
        if (code == GRPC_STATUS_OK)
            c->ok++;
        else if (c->first_error == GRPC_STATUS_OK)
            c->first_error = code;
    }
    return NULL;
}

Test(pollers, calls_spread_over_the_pollers_and_all_are_answered, .timeout = 60)
{
    int port = 0;
    for (int i = 0; i < 64; i++)
        atomic_store(&seen[i], 0);
    hgc_server *s = start(POLLERS, &port);
    struct caller cs[CHANNELS];
    pthread_t th[CHANNELS];
    for (int i = 0; i < CHANNELS; i++) {
        cs[i] = (struct caller){rpc_test_channel(port), 0, GRPC_STATUS_OK};
        pthread_create(&th[i], NULL, call_many, &cs[i]);
    }
    int total = 0;
    grpc_status_code error = GRPC_STATUS_OK;
    for (int i = 0; i < CHANNELS; i++) {
        pthread_join(th[i], NULL);
        total += cs[i].ok;
        if (error == GRPC_STATUS_OK)
            error = cs[i].first_error;
        hgc_channel_free(cs[i].ch);
    }
    cr_assert_eq(total, CHANNELS * CALLS, "answered %d of %d (first error: status %d)", total,
                 CHANNELS * CALLS, error);
    int used = 0, sum = 0;
    for (int i = 0; i < 64; i++) {
        sum += atomic_load(&seen[i]);
        if (atomic_load(&seen[i]) > 0) {
            cr_assert_lt(i, POLLERS, "a call on poller %d of %d", i, POLLERS);
            used++;
        }
    }
    cr_assert_eq(sum, CHANNELS * CALLS);
    cr_log_info("calls per poller: %d %d %d %d", atomic_load(&seen[0]), atomic_load(&seen[1]),
                atomic_load(&seen[2]), atomic_load(&seen[3]));
    /* gRPC binds connections to queues round robin: 8 connections, 4
     * queues, two each (600 calls per poller here). */
    cr_assert_eq(used, POLLERS, "all %d calls came through %d poller(s)", sum, used);
    hgc_server_shutdown(s, 1000);
    hgc_server_free(s);
}

Test(pollers, one_channel_is_one_connection_on_one_poller, .timeout = 30)
{
    int port = 0;
    hgc_server *s = start(POLLERS, &port);
    hgc_channel *c = rpc_test_channel(port);
    int first = -1;
    for (int i = 0; i < 50; i++) {
        int p = -1;
        cr_assert_eq(get(c, "g", 5000, &p), GRPC_STATUS_OK);
        cr_assert(p >= 0 && p < POLLERS);
        if (first < 0)
            first = p;
        /* Requests of other queues are taken only when its own run out;
         * one caller at a time never runs them out. */
        cr_assert_eq(p, first, "call %d on poller %d, the first on %d", i, p, first);
    }
    hgc_channel_free(c);
    hgc_server_shutdown(s, 1000);
    hgc_server_free(s);
}

struct slow_arg {
    hgc_channel *ch;
    grpc_status_code code;
};

static void *slow_call(void *arg)
{
    struct slow_arg *a = arg;
    a->code = get(a->ch, "slow", 10000, NULL);
    return NULL;
}

Test(pollers, shutdown_is_clean_with_calls_on_every_poller, .timeout = 60)
{
    int port = 0;
    atomic_store(&watchers, 0);
    hgc_server *s = start(3, &port);
    hgc_channel *chs[6];
    hgc_stream *streams[6];
    struct slow_arg slow[6];
    pthread_t th[6];
    char msg[HGC_MSG_MAX];
    for (int i = 0; i < 6; i++) {
        chs[i] = rpc_test_channel(port);
        Hgc__V1__WatchJobRequest req = HGC__V1__WATCH_JOB_REQUEST__INIT;
        cr_assert_eq(hgc_stream_start(&streams[i], chs[i], &hgc__v1__job_service__descriptor,
                                      "WatchJob", &req.base, 0, msg),
                     0, "%s", msg);
        ProtobufCMessage *m = NULL;
        cr_assert_eq(hgc_stream_recv(streams[i], &m), 1);
        protobuf_c_message_free_unpacked(m, NULL);
        slow[i] = (struct slow_arg){chs[i], GRPC_STATUS_OK};
        pthread_create(&th[i], NULL, slow_call, &slow[i]);
    }
    cr_assert_eq(atomic_load(&watchers), 6);
    usleep(200 * 1000); /* the slow calls reach their handlers */
    hgc_server_shutdown(s, 200);
    /* Every kept call ended through its done hook; every slow handler saw
     * the shutdown and returned. */
    cr_assert_eq(atomic_load(&watchers), 0);
    for (int i = 0; i < 6; i++) {
        pthread_join(th[i], NULL);
        hgc_status st;
        ProtobufCMessage *m = NULL;
        while (hgc_stream_recv(streams[i], &m) == 1)
            protobuf_c_message_free_unpacked(m, NULL);
        cr_assert_eq(hgc_stream_finish(streams[i], &st), GRPC_STATUS_UNAVAILABLE, "%s", st.message);
        hgc_stream_free(streams[i]);
        hgc_channel_free(chs[i]);
    }
    hgc_server_free(s);
}

Test(pollers, default_is_one_poller, .timeout = 30)
{
    int port = 0;
    hgc_server *s = start(0, &port);
    hgc_channel *c = rpc_test_channel(port);
    for (int i = 0; i < 20; i++) {
        int p = -1;
        cr_assert_eq(get(c, "g", 5000, &p), GRPC_STATUS_OK);
        cr_assert_eq(p, 0);
    }
    hgc_channel_free(c);
    hgc_server_shutdown(s, 1000);
    hgc_server_free(s);
}
