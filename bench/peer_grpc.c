/* peer_grpc: the transport's floor for bench_rpc. A bare gRPC C-core
 * server: one completion queue polled by one thread, every call on any
 * path answered at once with OK and an empty message (which parses as any
 * proto3 reply: Health/Check, GetJob, ListJobs), no handler pool, no
 * parsing. What hgc-server costs beyond it is what our layer and handlers
 * cost.
 *
 *   peer_grpc [ADDR=127.0.0.1:0]    prints "listening on HOST:PORT"; stops on SIGTERM/SIGINT
 *
 * Per call: one request slot posted in advance (SLOTS kept posted), then
 * one batch of five ops (receive the request and the close, send metadata,
 * the empty reply and the status); its completion frees the call.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/support/time.h>

#define SLOTS 64

typedef struct slot {
    int answering; /* 0: posted, waiting for a call; 1: its batch runs */
    grpc_call *call;
    grpc_call_details details;
    grpc_metadata_array md;
    grpc_byte_buffer *recv, *reply;
    int cancelled;
} slot;

static grpc_server *server;
static grpc_completion_queue *cq;
static int stopping;
static char shutdown_tag;

static void post(void)
{
    slot *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    grpc_call_details_init(&s->details);
    grpc_metadata_array_init(&s->md);
    if (grpc_server_request_call(server, &s->call, &s->details, &s->md, cq, cq, s) != GRPC_CALL_OK)
        abort();
}

static void slot_free(slot *s)
{
    if (s->recv)
        grpc_byte_buffer_destroy(s->recv);
    if (s->reply)
        grpc_byte_buffer_destroy(s->reply);
    grpc_call_details_destroy(&s->details);
    grpc_metadata_array_destroy(&s->md);
    if (s->call)
        grpc_call_unref(s->call);
    free(s);
}

static void answer(slot *s)
{
    grpc_op ops[5];
    memset(ops, 0, sizeof ops);
    s->reply = grpc_raw_byte_buffer_create(NULL, 0);
    ops[0].op = GRPC_OP_RECV_MESSAGE;
    ops[0].data.recv_message.recv_message = &s->recv;
    ops[1].op = GRPC_OP_SEND_INITIAL_METADATA;
    ops[2].op = GRPC_OP_SEND_MESSAGE;
    ops[2].data.send_message.send_message = s->reply;
    ops[3].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
    ops[3].data.send_status_from_server.status = GRPC_STATUS_OK;
    ops[4].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
    ops[4].data.recv_close_on_server.cancelled = &s->cancelled;
    s->answering = 1;
    if (grpc_call_start_batch(s->call, ops, 5, s, NULL) != GRPC_CALL_OK)
        slot_free(s);
}

static void *poll_main(void *arg)
{
    (void)arg;
    for (;;) {
        grpc_event ev = grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
        if (ev.type == GRPC_QUEUE_SHUTDOWN)
            break;
        if (ev.type != GRPC_OP_COMPLETE || ev.tag == &shutdown_tag)
            continue;
        slot *s = ev.tag;
        if (s->answering) {
            slot_free(s);
        } else if (!ev.success) { /* the server is shutting down */
            slot_free(s);
        } else {
            if (!__atomic_load_n(&stopping, __ATOMIC_ACQUIRE))
                post();
            answer(s);
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    const char *addr = argc > 1 ? argv[1] : "127.0.0.1:0";
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    grpc_init();
    server = grpc_server_create(NULL, NULL);
    cq = grpc_completion_queue_create_for_next(NULL);
    grpc_server_register_completion_queue(server, cq, NULL);
    grpc_server_credentials *creds = grpc_insecure_server_credentials_create();
    int port = grpc_server_add_http2_port(server, addr, creds);
    grpc_server_credentials_release(creds);
    if (!port) {
        fprintf(stderr, "peer_grpc: cannot listen on %s\n", addr);
        return 1;
    }
    grpc_server_start(server);
    for (int i = 0; i < SLOTS; i++)
        post();
    pthread_t t;
    pthread_create(&t, NULL, poll_main, NULL);
    char host[256];
    snprintf(host, sizeof host, "%s", addr);
    char *colon = strrchr(host, ':');
    if (colon)
        *colon = '\0';
    printf("listening on %s:%d\n", host, port);
    fflush(stdout);

    int sig = 0;
    sigwait(&stop, &sig);
    __atomic_store_n(&stopping, 1, __ATOMIC_RELEASE);
    grpc_server_shutdown_and_notify(server, cq, &shutdown_tag);
    grpc_server_cancel_all_calls(server);
    /* The poller frees every slot as its tag comes back; the shutdown
     * tag is the last thing the server posts, then the queue drains. */
    grpc_completion_queue_shutdown(cq);
    pthread_join(t, NULL);
    grpc_server_destroy(server);
    grpc_completion_queue_destroy(cq);
    grpc_shutdown();
    return 0;
}
