/* bench_rpc: unary gRPC latency and throughput of hgc-server at N
 * concurrent callers, for GetJob and ListJobs(limit 100), beside
 * grpc.health.v1.Health/Check on the same server in the same run (the
 * transport's floor: the ratio is what our handlers cost).
 *
 *   bench_rpc ADDR GRAPH TASK_ID [threads=16] [seconds=5] [server-pid]
 *
 * With the server's pid (same machine), each call's server CPU is also
 * shown: the server's user + system time over the phase, per call.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "grpc/health/v1/health.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "hgc_rpc.h"

enum { KIND_HEALTH, KIND_GET, KIND_LIST };

typedef struct worker {
    hgc_channel *ch;
    int kind;
    const char *graph;
    int64_t task;
    double seconds;
    double *lat; /* microseconds */
    size_t n, cap;
    size_t errors;
} worker;

static void *run(void *arg)
{
    worker *w = arg;
    double end = hgc_now_s() + w->seconds;
    while (hgc_now_s() < end) {
        ProtobufCMessage *reply = NULL;
        hgc_status st;
        double t0 = hgc_now_s();
        if (w->kind == KIND_HEALTH) {
            Grpc__Health__V1__HealthCheckRequest req = GRPC__HEALTH__V1__HEALTH_CHECK_REQUEST__INIT;
            hgc_unary(w->ch, &grpc__health__v1__health__descriptor, "Check", &req.base, &reply,
                      5000, &st);
        } else if (w->kind == KIND_GET) {
            Hgc__V1__GetJobRequest req = HGC__V1__GET_JOB_REQUEST__INIT;
            req.graph = (char *)w->graph;
            req.task_id = w->task;
            hgc_unary(w->ch, &hgc__v1__job_service__descriptor, "GetJob", &req.base, &reply, 5000,
                      &st);
        } else {
            Hgc__V1__ListJobsRequest req = HGC__V1__LIST_JOBS_REQUEST__INIT;
            req.graph = (char *)w->graph;
            req.limit = 100;
            hgc_unary(w->ch, &hgc__v1__job_service__descriptor, "ListJobs", &req.base, &reply, 5000,
                      &st);
        }
        double us = (hgc_now_s() - t0) * 1e6;
        if (st.code != GRPC_STATUS_OK) {
            w->errors++;
            continue;
        }
        protobuf_c_message_free_unpacked(reply, NULL);
        if (w->n == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 4096;
            w->lat = realloc(w->lat, w->cap * sizeof *w->lat);
        }
        w->lat[w->n++] = us;
    }
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct figures {
    double rps, p50, p99, cpu_us;
    size_t calls, errors;
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

static figures measure(hgc_channel **chs, int kind, const char *graph, int64_t task, int threads,
                       double seconds, int pid)
{
    double cpu0 = proc_cpu_s(pid);
    worker *ws = calloc((size_t)threads, sizeof *ws);
    pthread_t *ts = calloc((size_t)threads, sizeof *ts);
    for (int i = 0; i < threads; i++) {
        ws[i] = (worker){
            .ch = chs[i % 4], .kind = kind, .graph = graph, .task = task, .seconds = seconds};
        pthread_create(&ts[i], NULL, run, &ws[i]);
    }
    size_t total = 0, errors = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ts[i], NULL);
        total += ws[i].n;
        errors += ws[i].errors;
    }
    double *all = malloc((total ? total : 1) * sizeof *all);
    size_t k = 0;
    for (int i = 0; i < threads; i++) {
        memcpy(all + k, ws[i].lat, ws[i].n * sizeof *all);
        k += ws[i].n;
        free(ws[i].lat);
    }
    qsort(all, total, sizeof *all, cmp);
    figures f = {.rps = (double)total / seconds,
                 .p50 = total ? all[total / 2] : 0,
                 .p99 = total ? all[(size_t)((double)total * 0.99)] : 0,
                 .calls = total,
                 .errors = errors,
                 .cpu_us = -1};
    double cpu1 = proc_cpu_s(pid);
    if (cpu0 >= 0 && cpu1 >= 0 && total)
        f.cpu_us = (cpu1 - cpu0) * 1e6 / (double)total;
    free(all);
    free(ws);
    free(ts);
    return f;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr,
                "usage: bench_rpc ADDR GRAPH TASK_ID [threads=16] [seconds=5] [server-pid]\n");
        return 2;
    }
    int threads = argc > 4 ? atoi(argv[4]) : 16;
    double seconds = argc > 5 ? atof(argv[5]) : 5;
    int pid = argc > 6 ? atoi(argv[6]) : 0;
    char msg[HGC_MSG_MAX];
    hgc_rpc_init();
    hgc_channel *chs[4];
    for (int i = 0; i < 4; i++)
        if (hgc_channel_new(&chs[i], argv[1], msg) < 0) {
            fprintf(stderr, "bench_rpc: %s\n", msg);
            return 1;
        }
    static const char *const names[] = {"Health/Check (peer)", "GetJob", "ListJobs limit=100"};
    figures f[3];
    for (int k = 0; k < 3; k++)
        f[k] = measure(chs, k, argv[2], atoll(argv[3]), threads, seconds, pid);
    printf("%d concurrent callers, %.0f s each, loopback\n", threads, seconds);
    printf("%-22s %10s %9s %9s %8s %12s %14s\n", "call", "calls/s", "p50 ms", "p99 ms", "errors",
           "vs peer p50", "srv CPU us/call");
    for (int k = 0; k < 3; k++)
        printf("%-22s %10.0f %9.3f %9.3f %8zu %11.2fx %14.1f\n", names[k], f[k].rps,
               f[k].p50 / 1000, f[k].p99 / 1000, f[k].errors, f[k].p50 / f[0].p50, f[k].cpu_us);
    for (int i = 0; i < 4; i++)
        hgc_channel_free(chs[i]);
    hgc_rpc_shutdown();
    return 0;
}
