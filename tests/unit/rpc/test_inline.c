/* test_inline.c: handlers flagged HGC_METHOD_INLINE run on the polling
 * thread, and one that finds its request's work long hands the call to the
 * pool (HGC_CALL_ON_POOL): it runs again there with the same request, the
 * poller goes on with other calls meanwhile, a full queue refuses it, and
 * a handler already on the pool cannot ask again.
 *
 * Handler: GraphService.GetGraph, inline. The request's name picks what it
 * does: "short" answers where it is; "long" asks for the pool and answers
 * from there; "hold" does the same and then waits until the test lets it
 * go; "again" asks for the pool wherever it runs. Every answer carries
 * hgc_call_inline() as its vertices and the request's name.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "hgc/v1/graphs.pb-c.h"
#include "hgc_rpc.h"
#include "rpc_test.h"

static atomic_int runs_inline, runs_on_pool, holding, let_go;

static grpc_status_code get_graph(hgc_call *call, void *ud)
{
    (void)ud;
    const Hgc__V1__GetGraphRequest *req = (const void *)hgc_call_request(call);
    int on_poller = hgc_call_inline(call);
    atomic_fetch_add(on_poller ? &runs_inline : &runs_on_pool, 1);
    if (strcmp(req->name, "short") != 0 && (on_poller || strcmp(req->name, "again") == 0))
        return (grpc_status_code)HGC_CALL_ON_POOL;
    if (strcmp(req->name, "hold") == 0) {
        atomic_fetch_add(&holding, 1);
        while (!atomic_load(&let_go) && !hgc_call_wait_cancelled(call, 5))
            ;
    }
    Hgc__V1__Graph *g = hgc_call_alloc(call, sizeof *g);
    hgc__v1__graph__init(g);
    g->name = hgc_call_strdup(call, req->name);
    g->vertices = on_poller;
    hgc_call_send(call, &g->base);
    return GRPC_STATUS_OK;
}

static hgc_server *start(int max_threads, int max_queue, int *port)
{
    static const hgc_method_impl impls[] = {
        {"GetGraph", HGC_RPC_UNARY, get_graph, HGC_METHOD_INLINE},
    };
    hgc_server *s = NULL;
    char msg[HGC_MSG_MAX] = "";
    hgc_server_options o = {.max_threads = max_threads, .max_queue = max_queue};
    cr_assert_eq(hgc_server_new(&s, &o), 0);
    cr_assert_eq(
        hgc_server_add_service(s, &hgc__v1__graph_service__descriptor, impls, 1, NULL, msg), 0,
        "%s", msg);
    cr_assert_eq(hgc_server_start(s, "127.0.0.1:0", port, msg), 0, "%s", msg);
    atomic_store(&runs_inline, 0);
    atomic_store(&runs_on_pool, 0);
    atomic_store(&holding, 0);
    atomic_store(&let_go, 0);
    return s;
}

static void stop(hgc_server *s, hgc_channel *c)
{
    hgc_channel_free(c);
    hgc_server_shutdown(s, 1000);
    hgc_server_free(s);
}

/* A short call on c is answered, from the polling thread. */
static void short_call(hgc_channel *c)
{
    Hgc__V1__Graph *g = NULL;
    cr_assert_eq(rpc_test_get_graph(c, "short", 2000, &g), GRPC_STATUS_OK);
    cr_assert_eq(g->vertices, 1);
    protobuf_c_message_free_unpacked(&g->base, NULL);
}

typedef struct held_call {
    int port;
    pthread_t thread;
    grpc_status_code code;
    long long vertices;
} held_call;

static void *call_hold(void *arg)
{
    held_call *h = arg;
    hgc_channel *c = rpc_test_channel(h->port);
    Hgc__V1__Graph *g = NULL;
    h->code = rpc_test_get_graph(c, "hold", 20000, &g);
    h->vertices = g ? g->vertices : -1;
    if (g)
        protobuf_c_message_free_unpacked(&g->base, NULL);
    hgc_channel_free(c);
    return NULL;
}

/* One call named `name` to a fresh server: its answer came from the
 * polling thread or not (`answered_inline`), after `pool_runs` runs on the pool
 * (and always one inline first). */
static void one_call(const char *name, int answered_inline, int pool_runs)
{
    int port = 0;
    hgc_server *s = start(4, 0, &port);
    hgc_channel *c = rpc_test_channel(port);
    Hgc__V1__Graph *g = NULL;
    cr_assert_eq(rpc_test_get_graph(c, name, 5000, &g), GRPC_STATUS_OK);
    cr_assert_str_eq(g->name, name);
    cr_assert_eq(g->vertices, answered_inline, "%s: answered %s the polling thread", name,
                 g->vertices ? "on" : "off");
    cr_assert_eq(atomic_load(&runs_inline), 1);
    cr_assert_eq(atomic_load(&runs_on_pool), pool_runs);
    protobuf_c_message_free_unpacked(&g->base, NULL);
    stop(s, c);
}

Test(inline_calls, a_short_request_is_answered_on_the_polling_thread, .timeout = 30)
{
    one_call("short", 1, 0);
}

Test(inline_calls, a_long_request_runs_again_on_the_pool_with_the_same_request, .timeout = 30)
{
    one_call("long", 0, 1);
}

Test(inline_calls, a_call_handed_to_the_pool_holds_no_poller, .timeout = 30)
{
    int port = 0;
    hgc_server *s = start(4, 0, &port);
    held_call h = {.port = port};
    cr_assert_eq(pthread_create(&h.thread, NULL, call_hold, &h), 0);
    cr_assert_eq(rpc_test_wait_value(&holding, 1, 10000), 1, "the held call never ran");
    /* the one poller answers a short call while the long one runs */
    hgc_channel *c = rpc_test_channel(port);
    short_call(c);
    atomic_store(&let_go, 1);
    pthread_join(h.thread, NULL);
    cr_assert_eq(h.code, GRPC_STATUS_OK);
    cr_assert_eq(h.vertices, 0);
    stop(s, c);
}

Test(inline_calls, a_full_queue_refuses_a_call_handed_to_the_pool, .timeout = 30)
{
    int port = 0;
    /* 2 threads keep 1 for priority calls: one plain call runs, one waits */
    hgc_server *s = start(2, 1, &port);
    held_call h[2] = {{.port = port}, {.port = port}};
    cr_assert_eq(pthread_create(&h[0].thread, NULL, call_hold, &h[0]), 0);
    cr_assert_eq(rpc_test_wait_value(&holding, 1, 10000), 1, "the first held call never ran");
    cr_assert_eq(pthread_create(&h[1].thread, NULL, call_hold, &h[1]), 0);
    /* its inline run is over once counted: the poller queued it before
     * it takes the next call */
    cr_assert_eq(rpc_test_wait_value(&runs_inline, 2, 10000), 2, "the second never came");
    hgc_channel *c = rpc_test_channel(port);
    hgc_status st;
    ProtobufCMessage *m = NULL;
    Hgc__V1__GetGraphRequest req = HGC__V1__GET_GRAPH_REQUEST__INIT;
    req.name = (char *)"long";
    cr_assert_eq(
        hgc_unary(c, &hgc__v1__graph_service__descriptor, "GetGraph", &req.base, &m, 5000, &st),
        GRPC_STATUS_RESOURCE_EXHAUSTED, "%s %s", hgc_status_name(st.code), st.message);
    cr_assert_null(m);
    /* while a short one is still answered inline */
    short_call(c);
    atomic_store(&let_go, 1);
    for (int i = 0; i < 2; i++) {
        pthread_join(h[i].thread, NULL);
        cr_assert_eq(h[i].code, GRPC_STATUS_OK, "held call %d: %s", i, hgc_status_name(h[i].code));
    }
    stop(s, c);
}

Test(inline_calls, asking_for_the_pool_from_the_pool_is_internal, .timeout = 30)
{
    int port = 0;
    hgc_server *s = start(4, 0, &port);
    hgc_channel *c = rpc_test_channel(port);
    cr_assert_eq(rpc_test_get_graph(c, "again", 5000, NULL), GRPC_STATUS_INTERNAL);
    cr_assert_eq(atomic_load(&runs_inline), 1);
    cr_assert_eq(atomic_load(&runs_on_pool), 1);
    stop(s, c);
}
