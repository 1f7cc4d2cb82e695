/* test_feed.c: fed server streams (hgc_call_feed). WatchJob here is a
 * fed stream of task_id messages of 1 KiB each (task_id < 0: -task_id
 * messages, then ABORTED); GetGraph is a plain unary call on the pool.
 * The server has one plain handler thread (max_threads 1), so a stream
 * that held a thread while its client does not read would stop every
 * GetGraph. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "hgc_rpc.h"
#include "rpc_test.h"

static hgc_server *srv;
static hgc_channel *ch, *ch2;
static atomic_int released, fed, feeds_at_once; /* feeds_at_once: of one call */

struct feed_state {
    int64_t next, n;
    int fail;
    atomic_int feeding;
    char text[1024];
    Hgc__V1__Task t;
};

static int feed(hgc_call *call, void *arg, const ProtobufCMessage **msg)
{
    struct feed_state *f = arg;
    if (atomic_fetch_add(&f->feeding, 1) != 0)
        atomic_fetch_add(&feeds_at_once, 1);
    atomic_fetch_add(&fed, 1);
    int r;
    if (f->next == f->n && f->fail) {
        r = hgc_call_set_error(call, GRPC_STATUS_ABORTED, "stopped after %lld", (long long)f->n);
    } else {
        hgc__v1__task__init(&f->t);
        f->t.id = f->next++;
        f->t.task_name = f->text;
        *msg = &f->t.base;
        /* the last goes with the status, unless a failure follows */
        r = f->next < f->n || f->fail ? HGC_FEED_MORE : GRPC_STATUS_OK;
    }
    atomic_fetch_sub(&f->feeding, 1);
    return r;
}

static void feed_release(void *arg)
{
    free(arg);
    atomic_fetch_add(&released, 1);
}

static grpc_status_code watch_job(hgc_call *call, void *ud)
{
    (void)ud;
    const Hgc__V1__WatchJobRequest *req = (const void *)hgc_call_request(call);
    if (req->task_id == 0)
        return GRPC_STATUS_OK; /* an empty stream, not fed */
    struct feed_state *f = calloc(1, sizeof *f);
    if (!f)
        return GRPC_STATUS_RESOURCE_EXHAUSTED;
    f->n = req->task_id < 0 ? -req->task_id : req->task_id;
    f->fail = req->task_id < 0;
    memset(f->text, 'x', sizeof f->text - 1);
    hgc_call_feed(call, feed, feed_release, f);
    return GRPC_STATUS_INTERNAL; /* ignored: the feed has the call */
}

static const hgc_method_impl graph_impls[] = {
    {"GetGraph", HGC_RPC_UNARY, rpc_test_answer_g, 0},
};
static const hgc_method_impl job_impls[] = {
    {"WatchJob", HGC_RPC_SERVER_STREAM, watch_job, 0},
};

static void setup(void)
{
    char msg[HGC_MSG_MAX] = "";
    int port = 0;
    atomic_store(&released, 0);
    atomic_store(&fed, 0);
    atomic_store(&feeds_at_once, 0);
    hgc_server_options o = {.max_threads = 1, .pollers = 2};
    cr_assert_eq(hgc_server_new(&srv, &o), 0);
    cr_assert_eq(
        hgc_server_add_service(srv, &hgc__v1__graph_service__descriptor, graph_impls, 1, NULL, msg),
        0, "%s", msg);
    cr_assert_eq(
        hgc_server_add_service(srv, &hgc__v1__job_service__descriptor, job_impls, 1, NULL, msg), 0,
        "%s", msg);
    cr_assert_eq(hgc_server_start(srv, "127.0.0.1:0", &port, msg), 0, "%s", msg);
    ch = rpc_test_channel(port);
    ch2 = rpc_test_channel(port);
}

static void teardown(void)
{
    hgc_channel_free(ch);
    hgc_channel_free(ch2);
    if (srv) {
        hgc_server_shutdown(srv, 1000);
        hgc_server_free(srv);
    }
}

TestSuite(feed, .init = setup, .fini = teardown, .timeout = 60);

static hgc_stream *open_feed(hgc_channel *c, int64_t n)
{
    char msg[HGC_MSG_MAX];
    hgc_stream *s = NULL;
    Hgc__V1__WatchJobRequest req = HGC__V1__WATCH_JOB_REQUEST__INIT;
    req.task_id = n;
    cr_assert_eq(hgc_stream_start(&s, c, &hgc__v1__job_service__descriptor, "WatchJob", &req.base,
                                  30000, msg),
                 0, "%s", msg);
    return s;
}

/* Reads up to `max` messages, checking their ids count up from 0. */
static int64_t read_n(hgc_stream *s, int64_t max)
{
    int64_t got = 0;
    ProtobufCMessage *m = NULL;
    while (got < max && hgc_stream_recv(s, &m) == 1) {
        Hgc__V1__Task *t = (Hgc__V1__Task *)m;
        cr_assert_eq(t->id, got);
        cr_assert_eq(strlen(t->task_name), 1023);
        protobuf_c_message_free_unpacked(m, NULL);
        got++;
    }
    return got;
}

Test(feed, every_message_in_order_then_ok)
{
    hgc_stream *s = open_feed(ch, 5000);
    cr_assert_eq(read_n(s, 1 << 30), 5000);
    hgc_status st;
    cr_assert_eq(hgc_stream_finish(s, &st), GRPC_STATUS_OK, "%s", st.message);
    hgc_stream_free(s);
    cr_assert_eq(rpc_test_wait_value(&released, 1, 5000), 1);
    cr_assert_eq(atomic_load(&fed), 5000);
    cr_assert_eq(atomic_load(&feeds_at_once), 0);
}

Test(feed, one_message_goes_with_the_status)
{
    hgc_stream *s = open_feed(ch, 1);
    cr_assert_eq(read_n(s, 10), 1);
    hgc_status st;
    cr_assert_eq(hgc_stream_finish(s, &st), GRPC_STATUS_OK, "%s", st.message);
    hgc_stream_free(s);
    cr_assert_eq(rpc_test_wait_value(&released, 1, 5000), 1);
}

Test(feed, an_error_from_the_feed_is_the_status)
{
    hgc_stream *s = open_feed(ch, -3);
    cr_assert_eq(read_n(s, 10), 3);
    hgc_status st;
    cr_assert_eq(hgc_stream_finish(s, &st), GRPC_STATUS_ABORTED, "%s", st.message);
    cr_assert_str_eq(st.message, "stopped after 3");
    hgc_stream_free(s);
    cr_assert_eq(rpc_test_wait_value(&released, 1, 5000), 1);
}

Test(feed, a_slow_reader_holds_no_handler_thread)
{
    /* Far more than flow control lets through unread: 100 MiB. */
    hgc_stream *streams[4];
    for (int i = 0; i < 4; i++) {
        streams[i] = open_feed(i % 2 ? ch2 : ch, 100000);
        cr_assert_eq(read_n(streams[i], 1), 1);
    }
    usleep(100 * 1000); /* the feeds run until flow control stops them */
    int before = atomic_load(&fed);
    cr_assert_lt(before, 4 * 100000);
    /* The one plain handler thread is free: unary calls on both
     * connections are answered while the streams sit unread. */
    for (int i = 0; i < 50; i++)
        cr_assert_eq(rpc_test_get_graph(i % 2 ? ch2 : ch, "g", 2000, NULL), GRPC_STATUS_OK,
                     "call %d", i);
    cr_assert_eq(atomic_load(&released), 0);
    /* Cancel mid-feed: each feed is released, nothing is asked after. */
    for (int i = 0; i < 4; i++) {
        hgc_stream_cancel(streams[i]);
        hgc_status st;
        cr_assert_eq(hgc_stream_finish(streams[i], &st), GRPC_STATUS_CANCELLED, "%s", st.message);
        hgc_stream_free(streams[i]);
    }
    cr_assert_eq(rpc_test_wait_value(&released, 4, 5000), 4);
    int after = atomic_load(&fed);
    usleep(50 * 1000);
    cr_assert_eq(atomic_load(&fed), after);
    cr_assert_lt(after, 4 * 100000);
    cr_assert_eq(atomic_load(&feeds_at_once), 0);
    cr_assert_eq(rpc_test_get_graph(ch, "g", 2000, NULL), GRPC_STATUS_OK);
}

Test(feed, shutdown_with_unread_feeds_releases_them)
{
    hgc_stream *streams[3];
    for (int i = 0; i < 3; i++) {
        streams[i] = open_feed(ch, 100000);
        cr_assert_eq(read_n(streams[i], 1), 1);
    }
    int64_t t0 = hgc_now_ms();
    hgc_server_shutdown(srv, 100);
    cr_assert_lt(hgc_now_ms() - t0, 5000);
    cr_assert_eq(atomic_load(&released), 3);
    hgc_server_free(srv);
    srv = NULL;
    for (int i = 0; i < 3; i++) {
        ProtobufCMessage *m = NULL;
        while (hgc_stream_recv(streams[i], &m) == 1)
            protobuf_c_message_free_unpacked(m, NULL);
        hgc_status st;
        cr_assert_neq(hgc_stream_finish(streams[i], &st), GRPC_STATUS_OK);
        hgc_stream_free(streams[i]);
    }
}

Test(feed, a_handler_that_does_not_feed_answers_as_before)
{
    hgc_stream *s = open_feed(ch, 0);
    cr_assert_eq(read_n(s, 10), 0);
    hgc_status st;
    cr_assert_eq(hgc_stream_finish(s, &st), GRPC_STATUS_OK, "%s", st.message);
    hgc_stream_free(s);
    cr_assert_eq(atomic_load(&released), 0);
}
