/* worker.h: hgc-worker as a library: runs one algorithm of one task on a
 * graph snapshot, writes the result file and reports status and progress to
 * hgc-server over gRPC (JobService.UpdateJobStatus).
 *
 *   hgc-worker --snapshot PATH --algorithm NAME [--out DIR] [--threads N] [--workers N]
 *              [--opt KEY=VALUE]... [--server HOST:PORT --graph NAME
 *              --task-id N --attempt K] [--parent-pid PID]
 *
 * Flags take their value as the next argument or after '='. Without
 * --server it runs standalone: no reports, the summary JSON on stdout.
 * With --server, --graph, --task-id (>= 1), --attempt (>= 1) and --out are
 * required.
 */
#ifndef ALGO_WORKER_H
#define ALGO_WORKER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "graph_file.h"

/* Exit codes of algo_worker_main. */
#define ALGO_WORKER_EXIT_OK          0 /* done, or the task is no longer ours */
#define ALGO_WORKER_EXIT_FAILED      1 /* failed (reported as FAILED if possible) */
#define ALGO_WORKER_EXIT_UNREACHABLE 2 /* the server did not answer */
#define ALGO_WORKER_EXIT_ORPHAN      3 /* the parent died before we were armed */

#define ALGO_WORKER_MAX_WORKERS 4096
#define ALGO_WORKER_MAX_OPTS    256

typedef struct algo_worker_args {
    /* borrowed from argv */
    const char *server; /* NULL: standalone */
    const char *graph;
    const char *snapshot;
    const char *out; /* result directory; NULL: none (standalone only) */
    const char *algorithm;
    int64_t task_id;    /* 0: not given */
    int attempt;        /* 0: not given */
    int workers;        /* worker processes asked for (worker_instances); default 1 */
    int threads;        /* compute threads; default 1 */
    int64_t parent_pid; /* 0: not given */
    int help;
    /* --opt KEY=VALUE, owned (split copies) */
    size_t n_opts;
    char **opt_keys;
    char **opt_values;
} algo_worker_args;

/* Parses argv[1..argc). 0 on success; negative with msg otherwise (what
 * was parsed before the error stays in *a, so a caller can still report).
 * Free with algo_worker_args_release in both cases. */
int algo_worker_args_parse(algo_worker_args *a, int argc, char **argv, char msg[ALGO_MSG_MAX]);
void algo_worker_args_release(algo_worker_args *a);

void algo_worker_usage(FILE *f);

/* The whole program; returns the exit code. */
int algo_worker_main(int argc, char **argv);

#endif
