/* bench_commit: commits per second of the store (service/store.c) when
 * each commit must be durable before it is acknowledged, at N concurrent
 * writers, beside the same store with no sync (synchronous=NORMAL alone,
 * the setting before issue 8: a power cut may lose acknowledged commits)
 * in the same run. Each commit is one CreateJob's store write
 * (svc_store_task_create: BEGIN IMMEDIATE, three statements, COMMIT).
 *
 *   bench_commit DIR [seconds=3] [threads=1,4,16]
 *
 * Modes: none (no sync: the peer), full (SQLite's synchronous=FULL: one
 * sync per commit, under the store's lock), group (what hgc-server uses:
 * synced before answering, one fdatasync shared by the writers that meet).
 * DIR should be on the disk the data dir will live on: the figures are
 * that disk's fdatasync.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

typedef struct writer {
    svc_store *st;
    double until;
    long commits, errors;
} writer;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *run(void *arg)
{
    writer *w = arg;
    char msg[SVC_MSG_MAX];
    svc_task t = {0};
    snprintf(t.graph, sizeof t.graph, "bench");
    snprintf(t.algorithm, sizeof t.algorithm, "page-rank");
    snprintf(t.task_name, sizeof t.task_name, "computer-proxy:page-rank");
    snprintf(t.server, sizeof t.server, "bench");
    char input[] = "{\"algorithm\":\"page-rank\"}"; /* the store reads it, never frees it */
    t.input = input;
    t.graph_version = 1;
    t.workers = 1;
    while (now_s() < w->until) {
        if (svc_store_task_create(w->st, &t, NULL, msg) == 0)
            w->commits++;
        else
            w->errors++;
    }
    return NULL;
}

/* One mode at `threads` writers on a fresh store: commits per second. */
static double measure(const char *dir, svc_store_sync mode, int threads, double seconds)
{
    char path[4096], msg[SVC_MSG_MAX];
    static int n;
    snprintf(path, sizeof path, "%s/bench-%d.db", dir, n++);
    svc_store *st = NULL;
    svc_graph g;
    if (svc_store_open(&st, path, msg) < 0 || svc_store_set_sync(st, mode) < 0 ||
        svc_store_graph_commit_load(st, "bench", 0, 1, 1, 0, &g, msg) < 0) {
        fprintf(stderr, "bench_commit: %s: %s\n", path, msg);
        exit(1);
    }
    writer *w = calloc((size_t)threads, sizeof *w);
    pthread_t *th = calloc((size_t)threads, sizeof *th);
    double t0 = now_s();
    for (int i = 0; i < threads; i++) {
        w[i].st = st;
        w[i].until = t0 + seconds;
        pthread_create(&th[i], NULL, run, &w[i]);
    }
    long commits = 0, errors = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        commits += w[i].commits;
        errors += w[i].errors;
    }
    double took = now_s() - t0;
    svc_store_close(st);
    char side[4200];
    const char *ext[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(side, sizeof side, "%s%s", path, ext[i]);
        unlink(side);
    }
    free(w);
    free(th);
    if (errors)
        fprintf(stderr, "bench_commit: %ld commits failed\n", errors);
    return (double)commits / took;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_commit DIR [seconds=3] [threads=1,4,16]\n");
        return 2;
    }
    double seconds = argc > 2 ? atof(argv[2]) : 3.0;
    char list[256];
    snprintf(list, sizeof list, "%s", argc > 3 ? argv[3] : "1,4,16");
    static const struct {
        svc_store_sync mode;
        const char *name;
    } modes[] = {{SVC_SYNC_NONE, "none"}, {SVC_SYNC_FULL, "full"}, {SVC_SYNC_GROUP, "group"}};
    printf("%-8s %7s %12s %14s\n", "threads", "mode", "commits/s", "vs none");
    for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        int threads = atoi(tok);
        if (threads < 1)
            continue;
        double base = 0;
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
            double r = measure(argv[1], modes[m].mode, threads, seconds);
            if (m == 0)
                base = r;
            printf("%-8d %7s %12.0f %13.3fx\n", threads, modes[m].name, r, base > 0 ? r / base : 0);
            fflush(stdout);
        }
    }
    return 0;
}
