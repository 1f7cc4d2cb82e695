/* bench_rpc: unary gRPC throughput and latency of hgc-server at N callers,
 * for grpc.health.v1.Health/Check, GetJob and ListJobs(limit 100), each
 * beside the same load on a peer in the same run (bench/peer_grpc.c: a
 * bare C-core server that answers every call with an empty reply).
 *
 *   bench_rpc ADDR GRAPH TASK_ID [callers=16] [seconds=5] [server-pid]
 *             [peer-addr peer-pid]
 *
 * A caller is one call kept in flight, not a thread: every completion
 * (hgc_unary_async, on a channel's completion-queue thread) records its
 * latency and starts the caller's next call. Two channels (two HTTP/2
 * connections, two client threads) carry all callers, so on a small
 * machine the client's own CPU stays well under the server's and the
 * figures show the server.
 *
 * With a server's pid (same machine), its CPU per call: user + system
 * time from /proc/<pid>/stat over the phase, over the calls answered.
 * The client's own CPU per call is shown too (getrusage), to tell when the
 * load generator, not the server, is the limit. Each phase is preceded
 * by a short warm-up that is not counted.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "base/clock.h"
#include "grpc/health/v1/health.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "hgc_rpc.h"

#define CHANNELS 2
#define TIMEOUT  5000
#define WARMUP_S 0.5
#define N_KINDS  3

enum { KIND_HEALTH, KIND_GET, KIND_LIST };

/* Latencies of one channel's calls: appended by its one callback thread. */
typedef struct lane {
    double *lat; /* microseconds */
    size_t n, cap;
    size_t errors;
    char last_error[256];
} lane;

typedef struct phase phase;

typedef struct caller {
    phase *ph;
    hgc_channel *ch;
    lane *ln;
    double t0; /* when its call in flight started */
} caller;

struct phase {
    int kind;
    const char *graph;
    int64_t task;
    double end; /* no new call after */
    int record; /* 0 during the warm-up */
    atomic_int in_flight;
    pthread_mutex_t mu;
    pthread_cond_t idle;
};

static void on_done(void *arg, const hgc_status *st, ProtobufCMessage *reply);

/* Starts c's next call, or retires it when the phase is over. */
static void next_call(caller *c)
{
    phase *ph = c->ph;
    hgc_status st;
    double now = hgc_now_s();
    if (now < ph->end) {
        int rc;
        c->t0 = now;
        if (ph->kind == KIND_HEALTH) {
            Grpc__Health__V1__HealthCheckRequest req = GRPC__HEALTH__V1__HEALTH_CHECK_REQUEST__INIT;
            rc = hgc_unary_async(c->ch, &grpc__health__v1__health__descriptor, "Check", &req.base,
                                 NULL, TIMEOUT, on_done, c, &st);
        } else if (ph->kind == KIND_GET) {
            Hgc__V1__GetJobRequest req = HGC__V1__GET_JOB_REQUEST__INIT;
            req.graph = (char *)ph->graph;
            req.task_id = ph->task;
            rc = hgc_unary_async(c->ch, &hgc__v1__job_service__descriptor, "GetJob", &req.base,
                                 NULL, TIMEOUT, on_done, c, &st);
        } else {
            Hgc__V1__ListJobsRequest req = HGC__V1__LIST_JOBS_REQUEST__INIT;
            req.graph = (char *)ph->graph;
            req.limit = 100;
            rc = hgc_unary_async(c->ch, &hgc__v1__job_service__descriptor, "ListJobs", &req.base,
                                 NULL, TIMEOUT, on_done, c, &st);
        }
        if (rc == 0)
            return;
        c->ln->errors++;
        snprintf(c->ln->last_error, sizeof c->ln->last_error, "%s", st.message);
    }
    pthread_mutex_lock(&ph->mu);
    if (atomic_fetch_sub(&ph->in_flight, 1) == 1)
        pthread_cond_broadcast(&ph->idle);
    pthread_mutex_unlock(&ph->mu);
}

static void on_done(void *arg, const hgc_status *st, ProtobufCMessage *reply)
{
    caller *c = arg;
    lane *ln = c->ln;
    double us = (hgc_now_s() - c->t0) * 1e6;
    if (reply)
        protobuf_c_message_free_unpacked(reply, NULL);
    if (st->code != GRPC_STATUS_OK) {
        ln->errors++;
        snprintf(ln->last_error, sizeof ln->last_error, "%s: %s", hgc_status_name(st->code),
                 st->message);
    } else if (c->ph->record) {
        if (ln->n == ln->cap) {
            ln->cap = ln->cap ? ln->cap * 2 : 1 << 16;
            ln->lat = realloc(ln->lat, ln->cap * sizeof *ln->lat);
            if (!ln->lat)
                abort();
        }
        ln->lat[ln->n++] = us;
    }
    next_call(c);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct figures {
    double rps, p50, p99, cpu_us, client_us;
    size_t calls, errors;
    char last_error[256];
} figures;

/* utime + stime of `pid` in seconds; -1 if unknown. */
static double proc_cpu_s(int pid)
{
    char path[64], buf[1024];
    if (pid <= 0)
        return -1;
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    unsigned long ut = 0, st = 0;
    /* after ")": state ppid pgrp session tty tpgid flags minflt cminflt
     * majflt cmajflt utime stime */
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double self_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

/* Keeps `callers` calls in flight for `seconds`; waits for the last. */
static void run_phase(phase *ph, hgc_channel **chs, lane *lanes, int callers, double seconds)
{
    caller *cs = calloc((size_t)callers, sizeof *cs);
    if (!cs)
        abort();
    ph->end = hgc_now_s() + seconds;
    atomic_store(&ph->in_flight, callers);
    for (int i = 0; i < callers; i++) {
        cs[i] = (caller){.ph = ph, .ch = chs[i % CHANNELS], .ln = &lanes[i % CHANNELS]};
    }
    /* Started while the lanes' threads may already run callbacks: each
     * caller touches only its own lane through its own channel's thread. */
    for (int i = 0; i < callers; i++)
        next_call(&cs[i]);
    pthread_mutex_lock(&ph->mu);
    while (atomic_load(&ph->in_flight) > 0)
        pthread_cond_wait(&ph->idle, &ph->mu);
    pthread_mutex_unlock(&ph->mu);
    free(cs);
}

static figures measure(hgc_channel **chs, int kind, const char *graph, int64_t task, int callers,
                       double seconds, int pid)
{
    phase ph = {.kind = kind, .graph = graph, .task = task};
    pthread_mutex_init(&ph.mu, NULL);
    pthread_cond_init(&ph.idle, NULL);
    lane lanes[CHANNELS];
    memset(lanes, 0, sizeof lanes);
    run_phase(&ph, chs, lanes, callers, WARMUP_S);
    for (int i = 0; i < CHANNELS; i++)
        lanes[i].n = lanes[i].errors = 0;

    ph.record = 1;
    double cpu0 = proc_cpu_s(pid), self0 = self_cpu_s(), t0 = hgc_now_s();
    run_phase(&ph, chs, lanes, callers, seconds);
    double elapsed = hgc_now_s() - t0, cpu1 = proc_cpu_s(pid), self1 = self_cpu_s();

    figures f = {.cpu_us = -1};
    size_t total = 0;
    for (int i = 0; i < CHANNELS; i++) {
        total += lanes[i].n;
        f.errors += lanes[i].errors;
        if (lanes[i].last_error[0])
            snprintf(f.last_error, sizeof f.last_error, "%s", lanes[i].last_error);
    }
    double *all = malloc((total ? total : 1) * sizeof *all);
    size_t k = 0;
    for (int i = 0; i < CHANNELS; i++) {
        if (lanes[i].n)
            memcpy(all + k, lanes[i].lat, lanes[i].n * sizeof *all);
        k += lanes[i].n;
        free(lanes[i].lat);
    }
    qsort(all, total, sizeof *all, cmp);
    f.calls = total;
    f.rps = (double)total / elapsed;
    f.p50 = total ? all[total / 2] : 0;
    f.p99 = total ? all[(size_t)((double)total * 0.99)] : 0;
    if (cpu0 >= 0 && cpu1 >= 0 && total)
        f.cpu_us = (cpu1 - cpu0) * 1e6 / (double)total;
    f.client_us = total ? (self1 - self0) * 1e6 / (double)total : 0;
    free(all);
    pthread_cond_destroy(&ph.idle);
    pthread_mutex_destroy(&ph.mu);
    return f;
}

static void print_row(const char *name, const char *target, const figures *f)
{
    printf("%-20s %-5s %9.0f %8.3f %8.3f %7zu %12.1f %12.1f\n", name, target, f->rps, f->p50 / 1000,
           f->p99 / 1000, f->errors, f->cpu_us, f->client_us);
    if (f->errors)
        printf("    last error: %s\n", f->last_error);
}

static int open_channels(hgc_channel **chs, const char *addr)
{
    char msg[HGC_MSG_MAX];
    for (int i = 0; i < CHANNELS; i++)
        if (hgc_channel_new(&chs[i], addr, msg) < 0) {
            fprintf(stderr, "bench_rpc: %s\n", msg);
            return -1;
        }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc == 8) {
        fprintf(stderr, "usage: bench_rpc ADDR GRAPH TASK_ID [callers=16] [seconds=5] "
                        "[server-pid] [peer-addr peer-pid]\n");
        return 2;
    }
    int callers = argc > 4 ? atoi(argv[4]) : 16;
    double seconds = argc > 5 ? atof(argv[5]) : 5;
    int pid = argc > 6 ? atoi(argv[6]) : 0;
    const char *peer = argc > 8 ? argv[7] : NULL;
    int peer_pid = argc > 8 ? atoi(argv[8]) : 0;
    if (callers < 1)
        callers = 1;
    hgc_rpc_init();
    hgc_channel *chs[CHANNELS] = {0}, *peer_chs[CHANNELS] = {0};
    if (open_channels(chs, argv[1]) < 0 || (peer && open_channels(peer_chs, peer) < 0))
        return 1;
    static const char *const names[N_KINDS] = {"Health/Check", "GetJob", "ListJobs limit=100"};
    char load[64] = "?";
    FILE *lf = fopen("/proc/loadavg", "r");
    if (lf) {
        if (!fgets(load, sizeof load, lf))
            snprintf(load, sizeof load, "?");
        fclose(lf);
        char *cut = load; /* the three averages only */
        for (int spaces = 0; *cut && (*cut != ' ' || ++spaces < 3); cut++)
            ;
        *cut = '\0';
    }
    printf("%d callers (calls kept in flight by %d client threads), %.0f s each, loopback; "
           "load %s\n",
           callers, CHANNELS, seconds, load);
    printf("%-20s %-5s %9s %8s %8s %7s %12s %12s\n", "call", "srv", "calls/s", "p50 ms", "p99 ms",
           "errors", "srv us/call", "cli us/call");
    figures f[N_KINDS], pf[N_KINDS];
    for (int k = 0; k < N_KINDS; k++) {
        f[k] = measure(chs, k, argv[2], atoll(argv[3]), callers, seconds, pid);
        print_row(names[k], "hgc", &f[k]);
        if (!peer)
            continue;
        pf[k] = measure(peer_chs, k, argv[2], atoll(argv[3]), callers, seconds, peer_pid);
        print_row(names[k], "peer", &pf[k]);
        printf("%-20s %-5s %8.2fx %7.2fx %7.2fx %7s %11.2fx\n", "", "ratio",
               pf[k].rps > 0 ? f[k].rps / pf[k].rps : 0, pf[k].p50 > 0 ? f[k].p50 / pf[k].p50 : 0,
               pf[k].p99 > 0 ? f[k].p99 / pf[k].p99 : 0, "",
               pf[k].cpu_us > 0 ? f[k].cpu_us / pf[k].cpu_us : 0);
    }
    fflush(stdout);
    for (int i = 0; i < CHANNELS; i++) {
        hgc_channel_free(chs[i]);
        hgc_channel_free(peer_chs[i]);
    }
    hgc_rpc_shutdown();
    return 0;
}
