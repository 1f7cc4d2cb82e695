/* main.c: hgc-rest, HugeGraph's graph computing REST endpoints over
 * hgc-server's gRPC API. Parses flags, starts the bridge and the HTTP
 * server, waits for SIGTERM or SIGINT, stops cleanly. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "base/malloc_tune.h"
#include "bridge.h"
#include "config.h"
#include "hgc_rpc.h"
#include "http.h"

int main(int argc, char **argv)
{
    rest_config cfg;
    char msg[REST_MSG_MAX] = "";
    int rc = rest_config_parse(&cfg, argc, argv, msg);
    if (rc != 0) {
        if (rc < 0)
            fprintf(stderr, "hgc-rest: %s\n", msg);
        return rc < 0 ? 2 : 0;
    }
    /* A client gone mid-answer must not kill the process. Block the stop
     * signals before any thread starts (gRPC's, libmicrohttpd's), so that
     * only sigwait below receives them. */
    signal(SIGPIPE, SIG_IGN);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    /* gRPC's locks without abseil's deadlock detector (rpc/absl_quiet.c);
     * freed memory kept, not trimmed per request (base/malloc_tune.h) */
    hgc_rpc_no_deadlock_detector();
    hgc_malloc_keep_freed();

    rest_bridge *b = NULL;
    rest_server *srv = NULL;
    char bound[REST_ADDR_MAX + 16];
    if (rest_bridge_new(&b, &cfg, msg) < 0) {
        fprintf(stderr, "hgc-rest: %s\n", msg);
        return 1;
    }
    if (rest_server_start(&srv, b, bound, sizeof bound, msg) < 0) {
        fprintf(stderr, "hgc-rest: %s\n", msg);
        rest_bridge_free(b);
        return 1;
    }
    printf("listening on %s\n", bound);
    fflush(stdout);
    fprintf(stderr, "hgc-rest: serving on %s, upstream %s\n", bound, cfg.upstream);

    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "hgc-rest: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    rest_server_stop(srv);
    rest_bridge_free(b);
    return 0;
}
