/* config.c: flags and HGC_* variables of hgc-server. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/addr.h"

static const char usage[] =
    "usage: hgc-server [options]\n"
    "\n"
    "Serves hgc's JobService and GraphService over gRPC.\n"
    "\n"
    "  --listen ADDR      HOST:PORT or unix:PATH to serve on (HGC_LISTEN; default\n"
    "                     127.0.0.1:50051; port 0 picks a free one; prints\n"
    "                     'listening on HOST:PORT')\n"
    "  --data-dir DIR     tasks, graphs, results and logs (HGC_DATA_DIR; default ./hgc-data)\n"
    "  --name NAME        this instance's name, shown as task_server (HGC_NAME; default server-1)\n"
    "  --max-jobs N       jobs running at once (HGC_MAX_JOBS; default 2)\n"
    "  --max-retries N    restarts of a job whose worker died, or that a restart of the\n"
    "                     service interrupted, before it fails (HGC_MAX_RETRIES; default 3)\n"
    "  --max-workers N    largest worker_instances a job may ask for (HGC_MAX_WORKERS; default "
    "64)\n"
    "  --worker-threads N compute threads of each job's worker (HGC_WORKER_THREADS; default:\n"
    "                     this machine's cores)\n"
    "  --worker PATH      the hgc-worker program (HGC_WORKER; default: beside hgc-server)\n"
    "  --fold-after-ms MS small loads (added vertices and edges) are folded into a new\n"
    "                     version of their graph once it had none for MS milliseconds, or\n"
    "                     sooner when read or run (HGC_FOLD_AFTER_MS; default 1000)\n"
    "  --rpc-threads N    handler threads for calls that block (SQLite writes, loads);\n"
    "                     an eighth of them (one at least) only ever run workers'\n"
    "                     reports (HGC_RPC_THREADS; default 64)\n"
    "  --rpc-queue N      calls waiting for a handler thread at most; one more is\n"
    "                     answered RESOURCE_EXHAUSTED at once (HGC_RPC_QUEUE; default 4096)\n"
    "  --rpc-pollers N    gRPC completion queues, each with a polling thread; each\n"
    "                     client connection is served by one of them (HGC_RPC_POLLERS;\n"
    "                     default 1)\n"
    "  --help             this text\n";

static int set_int(int *dst, const char *what, const char *text, int min, int max)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "hgc-server: %s must be a whole number from %d to %d, got '%s'\n", what,
                min, max, text);
        return -1;
    }
    *dst = (int)v;
    return 0;
}

static int set_str(char *dst, size_t cap, const char *what, const char *text)
{
    if (text[0] == '\0' || strlen(text) >= cap) {
        fprintf(stderr, "hgc-server: %s must be 1 to %zu characters\n", what, cap - 1);
        return -1;
    }
    memcpy(dst, text, strlen(text) + 1);
    return 0;
}

enum {
    O_LISTEN = 1,
    O_DATA_DIR,
    O_NAME,
    O_MAX_JOBS,
    O_MAX_RETRIES,
    O_MAX_WORKERS,
    O_WORKER,
    O_WORKER_THREADS,
    O_FOLD_AFTER_MS,
    O_RPC_THREADS,
    O_RPC_QUEUE,
    O_RPC_POLLERS,
    O_HELP
};

static const struct setting {
    int id;
    const char *flag;
    const char *env;
} settings[] = {
    {O_LISTEN, "listen", "HGC_LISTEN"},
    {O_DATA_DIR, "data-dir", "HGC_DATA_DIR"},
    {O_NAME, "name", "HGC_NAME"},
    {O_MAX_JOBS, "max-jobs", "HGC_MAX_JOBS"},
    {O_MAX_RETRIES, "max-retries", "HGC_MAX_RETRIES"},
    {O_MAX_WORKERS, "max-workers", "HGC_MAX_WORKERS"},
    {O_WORKER, "worker", "HGC_WORKER"},
    {O_WORKER_THREADS, "worker-threads", "HGC_WORKER_THREADS"},
    {O_FOLD_AFTER_MS, "fold-after-ms", "HGC_FOLD_AFTER_MS"},
    {O_RPC_THREADS, "rpc-threads", "HGC_RPC_THREADS"},
    {O_RPC_QUEUE, "rpc-queue", "HGC_RPC_QUEUE"},
    {O_RPC_POLLERS, "rpc-pollers", "HGC_RPC_POLLERS"},
};

static int apply(svc_config *cfg, int id, const char *v)
{
    switch (id) {
    case O_LISTEN:
        if (hgc_addr_check_grpc(v) < 0) {
            fprintf(stderr,
                    "hgc-server: --listen '%.200s' is not HOST:PORT (a port from 0 to 65535) or "
                    "unix:PATH\n",
                    v);
            return -1;
        }
        return set_str(cfg->listen, sizeof cfg->listen, "--listen", v);
    case O_DATA_DIR: return set_str(cfg->data_dir, sizeof cfg->data_dir, "--data-dir", v);
    case O_NAME: return set_str(cfg->name, sizeof cfg->name, "--name", v);
    case O_MAX_JOBS: return set_int(&cfg->max_jobs, "--max-jobs", v, 1, 1024);
    case O_MAX_RETRIES: return set_int(&cfg->max_retries, "--max-retries", v, 0, 1000);
    case O_MAX_WORKERS: return set_int(&cfg->max_workers, "--max-workers", v, 1, 4096);
    case O_WORKER: return set_str(cfg->worker, sizeof cfg->worker, "--worker", v);
    case O_WORKER_THREADS: return set_int(&cfg->worker_threads, "--worker-threads", v, 1, 4096);
    case O_FOLD_AFTER_MS:
        return set_int(&cfg->fold_after_ms, "--fold-after-ms", v, 1, 24 * 3600 * 1000);
    case O_RPC_THREADS: return set_int(&cfg->rpc_threads, "--rpc-threads", v, 2, 4096);
    case O_RPC_QUEUE: return set_int(&cfg->rpc_queue, "--rpc-queue", v, 1, 1000000);
    case O_RPC_POLLERS: return set_int(&cfg->rpc_pollers, "--rpc-pollers", v, 1, 64);
    }
    return -1;
}

/* hgc-worker beside this executable. */
static void default_worker(svc_config *cfg)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        snprintf(cfg->worker, sizeof cfg->worker, "hgc-worker");
        return;
    }
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash)
        *slash = '\0';
    snprintf(cfg->worker, sizeof cfg->worker, "%s/hgc-worker", self);
}

int svc_config_parse(svc_config *cfg, int argc, char **argv)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->listen, sizeof cfg->listen, "127.0.0.1:50051");
    snprintf(cfg->data_dir, sizeof cfg->data_dir, "./hgc-data");
    snprintf(cfg->name, sizeof cfg->name, "server-1");
    cfg->max_jobs = 2;
    cfg->max_retries = 3;
    cfg->max_workers = 64;
    cfg->fold_after_ms = 1000;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    cfg->worker_threads = cores < 1 ? 1 : cores > 4096 ? 4096 : (int)cores;
    cfg->rpc_threads = 64;
    cfg->rpc_queue = 4096;
    cfg->rpc_pollers = 1;
    default_worker(cfg);

    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        const char *v = getenv(settings[i].env);
        if (v && *v && apply(cfg, settings[i].id, v) < 0) {
            fprintf(stderr, "hgc-server: (that value comes from the environment variable %s)\n",
                    settings[i].env);
            return -1;
        }
    }

    struct option opts[sizeof settings / sizeof settings[0] + 2];
    size_t k = 0;
    for (; k < sizeof settings / sizeof settings[0]; k++)
        opts[k] = (struct option){settings[k].flag, required_argument, NULL, settings[k].id};
    opts[k++] = (struct option){"help", no_argument, NULL, O_HELP};
    opts[k] = (struct option){NULL, 0, NULL, 0};

    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == O_HELP || c == 'h') {
            fputs(usage, stdout);
            return 1;
        }
        if (c == '?' || apply(cfg, c, optarg) < 0) {
            fputs(usage, stderr);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "hgc-server: unexpected argument '%s'\n%s", argv[optind], usage);
        return -1;
    }
    return 0;
}
