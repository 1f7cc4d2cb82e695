/* worker.c: hgc-worker, one algorithm of one task (docs/architecture.md,
 * "the life of a create request", steps 4-5).
 *
 * Order of work: arm PR_SET_PDEATHSIG (the server's death kills us), check
 * the arguments and options with the catalog, report RUNNING (a refusal
 * means the task was cancelled or deleted, or our attempt is stale: exit 0
 * without working), map the snapshot, run the kernel reporting progress,
 * write the result file, report SUCCEEDED with a JSON summary. Any failure
 * is reported as FAILED with a sentence a person can act on.
 *
 * Exit codes in worker.h. Log lines go to stderr (the task's log file).
 * Cost: the kernel's; reports are at most ~5 a second.
 */
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/fs.h"
#include "catalog.h"
#include "graph_file.h"
#include "hgc/v1/jobs.pb-c.h"
#include "hgc_rpc.h"
#include "kernel.h"
#include "result_file.h"

#define REPORT_TIMEOUT_MS 5000
#define REPORT_MIN_GAP    0.2 /* seconds between progress reports */
#define FAIL_MSG_MAX      512

/* ---- logging and time ------------------------------------------------ */

static double now_s(void)
{
    return hgc_now_s(); /* base/clock.h */
}

__attribute__((format(printf, 1, 2))) static void logf_(const char *fmt, ...)
{
    struct timespec ts;
    struct tm tm;
    char stamp[32];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* one write per line, so lines from a restarted attempt don't interleave */
    fprintf(stderr, "%s.%03ldZ hgc-worker[%ld]: %s\n", stamp, ts.tv_nsec / 1000000L, (long)getpid(),
            line);
    fflush(stderr);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* ---- arguments ------------------------------------------------------- */

void algo_worker_usage(FILE *f)
{
    fputs("usage: hgc-worker --snapshot PATH --algorithm NAME [options]\n"
          "Runs one graph algorithm on a snapshot and writes DIR/result.bin.\n"
          "\n"
          "  --snapshot PATH       graph snapshot file to map (required)\n"
          "  --algorithm NAME      algorithm, any spelling of the catalog's names (required)\n"
          "  --out DIR             result directory, created if missing\n"
          "                        (required with --server)\n"
          "  --threads N           compute threads, 1..4096 (default 1; at most 256 used)\n"
          "  --workers N           worker processes the task asked for, 1..4096 (default 1;\n"
          "                        recorded: one process runs until MPI support)\n"
          "  --opt KEY=VALUE       an algorithm option, repeatable (e.g. page_rank.alpha=0.15)\n"
          "  --server HOST:PORT    hgc-server to report to over gRPC; without it the worker\n"
          "                        runs standalone and prints the summary JSON on stdout\n"
          "  --graph NAME          the task's graph (required with --server)\n"
          "  --task-id N           the task's id, >= 1 (required with --server)\n"
          "  --attempt K           the run attempt, >= 1 (required with --server)\n"
          "  --parent-pid PID      exit at once if our parent is not PID\n"
          "  --help                this text\n"
          "\n"
          "Environment: HGC_WORKER_PACE_MS=N sleeps N ms (at most 10000) after each\n"
          "progress step, for tests that must catch a fast kernel in the middle.\n"
          "\n"
          "Exit status: 0 done (or the task is no longer ours), 1 failed,\n"
          "2 server unreachable, 3 parent gone before start.\n",
          f);
}

/* Whole number in [lo, hi], the whole text. */
static int parse_i64(int64_t *out, const char *s, int64_t lo, int64_t hi)
{
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno == ERANGE || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int add_opt(algo_worker_args *a, const char *kv, char msg[ALGO_MSG_MAX])
{
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv) {
        snprintf(msg, ALGO_MSG_MAX, "--opt wants KEY=VALUE, got '%.60s'", kv);
        return -1;
    }
    if (a->n_opts >= ALGO_WORKER_MAX_OPTS) {
        snprintf(msg, ALGO_MSG_MAX, "more than %d --opt flags", ALGO_WORKER_MAX_OPTS);
        return -1;
    }
    if (a->n_opts == 0) {
        a->opt_keys = calloc(ALGO_WORKER_MAX_OPTS, sizeof *a->opt_keys);
        a->opt_values = calloc(ALGO_WORKER_MAX_OPTS, sizeof *a->opt_values);
        if (!a->opt_keys || !a->opt_values) {
            snprintf(msg, ALGO_MSG_MAX, "out of memory");
            return -1;
        }
    }
    char *k = strndup(kv, (size_t)(eq - kv)), *v = strdup(eq + 1);
    if (!k || !v) {
        free(k);
        free(v);
        snprintf(msg, ALGO_MSG_MAX, "out of memory");
        return -1;
    }
    a->opt_keys[a->n_opts] = k;
    a->opt_values[a->n_opts] = v;
    a->n_opts++;
    return 0;
}

int algo_worker_args_parse(algo_worker_args *a, int argc, char **argv, char msg[ALGO_MSG_MAX])
{
    static const char *const with_value[] = {
        "--server",    "--graph",   "--task-id", "--attempt",    "--snapshot", "--out",
        "--algorithm", "--workers", "--opt",     "--parent-pid", "--threads",
    };
    memset(a, 0, sizeof *a);
    a->workers = 1;
    a->threads = 1;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *val = NULL;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            a->help = 1;
            continue;
        }
        size_t nl = strcspn(arg, "=");
        const char *flag = NULL;
        for (size_t f = 0; f < sizeof with_value / sizeof with_value[0]; f++)
            if (strlen(with_value[f]) == nl && strncmp(arg, with_value[f], nl) == 0)
                flag = with_value[f];
        if (!flag) {
            snprintf(msg, ALGO_MSG_MAX, "unknown argument '%.60s' (see --help)", arg);
            return -1;
        }
        if (arg[nl] == '=') {
            val = arg + nl + 1;
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            snprintf(msg, ALGO_MSG_MAX, "%s needs a value", flag);
            return -1;
        }

        int64_t num = 0;
        int bad = 0;
        if (strcmp(flag, "--server") == 0)
            a->server = val;
        else if (strcmp(flag, "--graph") == 0)
            a->graph = val;
        else if (strcmp(flag, "--snapshot") == 0)
            a->snapshot = val;
        else if (strcmp(flag, "--out") == 0)
            a->out = val;
        else if (strcmp(flag, "--algorithm") == 0)
            a->algorithm = val;
        else if (strcmp(flag, "--task-id") == 0)
            bad = parse_i64(&a->task_id, val, 1, INT64_MAX);
        else if (strcmp(flag, "--attempt") == 0) {
            bad = parse_i64(&num, val, 1, INT32_MAX);
            a->attempt = bad ? 0 : (int)num;
        } else if (strcmp(flag, "--workers") == 0) {
            bad = parse_i64(&num, val, 1, ALGO_WORKER_MAX_WORKERS);
            a->workers = bad ? 1 : (int)num;
        } else if (strcmp(flag, "--threads") == 0) {
            bad = parse_i64(&num, val, 1, ALGO_WORKER_MAX_WORKERS);
            a->threads = bad ? 1 : (int)num;
        } else if (strcmp(flag, "--parent-pid") == 0)
            bad = parse_i64(&a->parent_pid, val, 1, INT32_MAX);
        else if (add_opt(a, val, msg) != 0)
            return -1;
        if (bad) {
            snprintf(msg, ALGO_MSG_MAX, "%s wants a whole number%s, got '%.60s'", flag,
                     strcmp(flag, "--workers") == 0 || strcmp(flag, "--threads") == 0
                         ? " from 1 to 4096"
                         : " >= 1",
                     val);
            return -1;
        }
        if (!*val && strcmp(flag, "--opt") != 0) {
            snprintf(msg, ALGO_MSG_MAX, "%s needs a value", flag);
            return -1;
        }
    }
    if (a->help)
        return 0;
    if (!a->snapshot || !a->algorithm) {
        snprintf(msg, ALGO_MSG_MAX, "%s is required (see --help)",
                 !a->snapshot ? "--snapshot" : "--algorithm");
        return -1;
    }
    if (a->server) {
        const char *missing = !a->graph     ? "--graph"
                              : !a->task_id ? "--task-id"
                              : !a->attempt ? "--attempt"
                              : !a->out     ? "--out"
                                            : NULL;
        if (missing) {
            snprintf(msg, ALGO_MSG_MAX, "%s is required with --server", missing);
            return -1;
        }
    }
    return 0;
}

void algo_worker_args_release(algo_worker_args *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n_opts; i++) {
        free(a->opt_keys[i]);
        free(a->opt_values[i]);
    }
    free(a->opt_keys);
    free(a->opt_values);
    a->opt_keys = a->opt_values = NULL;
    a->n_opts = 0;
}

/* ---- reports --------------------------------------------------------- */

typedef enum report_rc {
    REPORT_OK = 0,
    REPORT_GONE,        /* FAILED_PRECONDITION / NOT_FOUND: not our task any more */
    REPORT_UNREACHABLE, /* UNAVAILABLE / DEADLINE_EXCEEDED after the retries */
    REPORT_ERROR,       /* any other refusal */
} report_rc;

typedef struct reporter {
    const algo_worker_args *a;
    hgc_channel *ch; /* NULL: standalone, reports are no-ops */
} reporter;

/* One UpdateJobStatus (progress < 0: none sent). `retry`: on UNAVAILABLE try again with backoff
 * (~3 s in all); progress reports don't, so they never stall the kernel. */
static report_rc report(reporter *r, const char *status, int progress, const char *message,
                        int retry)
{
    if (!r->ch)
        return REPORT_OK;
    Hgc__V1__UpdateJobStatusRequest req = HGC__V1__UPDATE_JOB_STATUS_REQUEST__INIT;
    req.graph = (char *)r->a->graph;
    req.task_id = r->a->task_id;
    req.status = (char *)status;
    if (progress >= 0) {
        req.progress_present_case = HGC__V1__UPDATE_JOB_STATUS_REQUEST__PROGRESS_PRESENT_PROGRESS;
        req.progress = progress;
    }
    req.message = (char *)(message ? message : "");
    req.attempt = r->a->attempt;

    static const int backoff_ms[] = {200, 400, 800, 1600};
    int tries = retry ? 1 + (int)(sizeof backoff_ms / sizeof backoff_ms[0]) : 1;
    hgc_status st;
    for (int t = 0; t < tries; t++) {
        ProtobufCMessage *reply = NULL;
        memset(&st, 0, sizeof st);
        grpc_status_code code =
            hgc_unary(r->ch, &hgc__v1__job_service__descriptor, "UpdateJobStatus", &req.base,
                      &reply, REPORT_TIMEOUT_MS, &st);
        if (reply)
            protobuf_c_message_free_unpacked(reply, NULL);
        if (code == GRPC_STATUS_OK)
            return REPORT_OK;
        if (code == GRPC_STATUS_FAILED_PRECONDITION || code == GRPC_STATUS_NOT_FOUND) {
            logf_("server refused %s: %s: %s", status, hgc_status_name(code), st.message);
            return REPORT_GONE;
        }
        if (code == GRPC_STATUS_CANCELLED) {
            /* The server ended the call: it is stopping (its restart
             * restores the task), not a verdict on the task. */
            logf_("cannot report %s: the server cancelled the call (it is shutting down)", status);
            return REPORT_ERROR;
        }
        if (code != GRPC_STATUS_UNAVAILABLE && code != GRPC_STATUS_DEADLINE_EXCEEDED) {
            logf_("server refused %s: %s: %s", status, hgc_status_name(code), st.message);
            return REPORT_ERROR;
        }
        if (t + 1 < tries)
            sleep_ms(backoff_ms[t]);
    }
    logf_("cannot report %s to %s: %s: %s", status, r->a->server, hgc_status_name(st.code),
          st.message);
    return REPORT_UNREACHABLE;
}

/* ---- the kernel ---------------------------------------------------- */

typedef struct run_ctx {
    reporter *rep;
    const algo_spec *spec;
    double t_step, t_last_report;
    int gone;    /* a report was refused: stop */
    int pace_ms; /* HGC_WORKER_PACE_MS: a pause after each step, for tests */
} run_ctx;

/* HGC_WORKER_PACE_MS, 0..10000 (anything else: 0). A test aid: it lets a
 * cancel or a progress check land in the middle of a kernel that would
 * otherwise end in milliseconds on a test graph. */
static int pace_from_env(void)
{
    const char *v = getenv("HGC_WORKER_PACE_MS");
    char *end;
    if (!v || !*v)
        return 0;
    long ms = strtol(v, &end, 10);
    return *end == '\0' && ms > 0 && ms <= 10000 ? (int)ms : 0;
}

/* The kernels' progress hook: a log line per step, RUNNING with a
 * percentage at most every REPORT_MIN_GAP seconds (and at the last step). */
static int on_progress(void *user, uint64_t done, uint64_t total, double metric)
{
    run_ctx *c = user;
    double t = now_s();
    char shown[64] = "";
    if (c->spec->metric_name)
        snprintf(shown, sizeof shown, " %s=%.3g", c->spec->metric_name, metric);
    logf_("%s %llu/%llu%s %.3f ms", c->spec->step_name ? c->spec->step_name : "step",
          (unsigned long long)done, (unsigned long long)total, shown, (t - c->t_step) * 1e3);
    c->t_step = t;
    if (c->pace_ms > 0 && done < total) {
        sleep_ms(c->pace_ms);
        c->t_step = now_s();
    }
    if (done < total && c->t_step - c->t_last_report < REPORT_MIN_GAP)
        return 0;
    c->t_last_report = c->t_step;
    int progress = total ? (int)(done * 100 / total) : 0;
    if (progress > 99)
        progress = 99;
    if (c->rep->a->server && report(c->rep, "RUNNING", progress, NULL, 0) == REPORT_GONE) {
        c->gone = 1;
        return 1;
    }
    return 0;
}

/* Runs spec's kernel on g: typed options, the view they ask for, a team of
 * `threads`, one process. *out holds the result. 0, or negative with msg. */
static int run_kernel(algo_output *out, const algo_spec *spec, const algo_params *params,
                      const algo_graph *g, int threads, run_ctx *c, char msg[ALGO_MSG_MAX])
{
    algo_common_opts common;
    void *opts = calloc(1, spec->opts_size ? spec->opts_size : 1);
    algo_graph_view view;
    algo_team *team = NULL;
    algo_comm comm;
    algo_progress progress = {on_progress, c, 0};
    int rc = ALGO_ENOMEM;

    memset(&common, 0, sizeof common);
    memset(&view, 0, sizeof view);
    algo_kernel_fn kernel = algo_kernel_for(spec);
    if (!kernel) { /* the list joins every spec to a kernel: can't happen */
        snprintf(msg, ALGO_MSG_MAX, "this hgc-worker has no kernel for %s", spec->name);
        rc = ALGO_EINVAL;
        goto done;
    }
    if (!opts) {
        snprintf(msg, ALGO_MSG_MAX, "out of memory");
        goto done;
    }
    if (algo_params_fill(params, &common, opts, msg) != 0) {
        rc = ALGO_EINVAL;
        goto done;
    }
    rc = algo_graph_view_init(&view, g, (algo_edge_dir)common.edge_direction,
                              (algo_edge_freq)common.edge_freq, common.limit_edges, msg);
    if (rc != 0)
        goto done;
    if (algo_team_new(&team, threads, msg) != 0) {
        rc = ALGO_ENOMEM;
        goto done;
    }
    algo_comm_init_single(&comm);
    rc = algo_output_init(out, spec->shape, g->n, msg);
    if (rc != 0)
        goto done;
    algo_kernel_ctx k = {.graph = g,
                         .view = &view,
                         .team = team,
                         .comm = &comm,
                         .common = &common,
                         .opts = opts,
                         .progress = &progress};
    rc = kernel(out, &k, msg);
done:
    algo_team_free(team);
    algo_graph_view_release(&view);
    free(opts);
    return rc;
}

/* The kernel's summary fields into the task's summary. */
static void add_stats(json_t *summary, const algo_output *out)
{
    for (int i = 0; i < out->n_stats; i++) {
        const algo_stat *st = &out->stats[i];
        json_t *v = st->type == ALGO_STAT_INT      ? json_integer((json_int_t)st->i)
                    : st->type == ALGO_STAT_DOUBLE ? json_real(st->d)
                                                   : json_boolean(st->i);
        json_object_set_new(summary, st->key, v);
    }
}

/* ---- files ----------------------------------------------------------- */

/* ---- the program ----------------------------------------------------- */

int algo_worker_main(int argc, char **argv)
{
    int exit_code = ALGO_WORKER_EXIT_FAILED;
    algo_worker_args a;
    algo_params params = {0};
    algo_graph g;
    reporter rep = {&a, NULL};
    run_ctx ctx = {&rep, NULL, 0, 0, 0, pace_from_env()};
    json_t *summary = NULL;
    algo_output out;
    char *summary_text = NULL;
    char msg[ALGO_MSG_MAX] = "", fail[FAIL_MSG_MAX] = "", result_path[PATH_MAX];
    int rpc_up = 0, mapped = 0;

    memset(&g, 0, sizeof g);
    memset(&out, 0, sizeof out);
    /* before anything else: if the server dies from here on, so do we */
    prctl(PR_SET_PDEATHSIG, SIGKILL);

    if (algo_worker_args_parse(&a, argc, argv, msg) != 0) {
        snprintf(fail, sizeof fail, "hgc-worker was started with bad arguments: %s", msg);
        goto report_failure;
    }
    if (a.help) {
        algo_worker_usage(stdout);
        exit_code = ALGO_WORKER_EXIT_OK;
        goto done;
    }
    if (a.parent_pid && (int64_t)getppid() != a.parent_pid) {
        logf_("parent %lld is gone (parent now %ld); exiting", (long long)a.parent_pid,
              (long)getppid());
        exit_code = ALGO_WORKER_EXIT_ORPHAN;
        goto done;
    }

    const algo_spec *spec = algo_catalog_find(a.algorithm);
    if (!spec) {
        snprintf(fail, sizeof fail, "the algorithm '%.64s' is not supported; supported: %s",
                 a.algorithm, algo_catalog_names());
        goto report_failure;
    }
    if (algo_params_check(&params, spec, (const char *const *)a.opt_keys,
                          (const char *const *)a.opt_values, a.n_opts, msg) != 0) {
        snprintf(fail, sizeof fail, "%s", msg);
        goto report_failure;
    }
    const char *property = algo_params_str(&params, "output.output_property_name");

    if (a.server) {
        hgc_rpc_init();
        rpc_up = 1;
        if (hgc_channel_new(&rep.ch, a.server, msg) != 0) {
            logf_("cannot open a channel to %s: %s", a.server, msg);
            exit_code = ALGO_WORKER_EXIT_UNREACHABLE;
            goto done;
        }
        switch (report(&rep, "RUNNING", 0, NULL, 1)) {
        case REPORT_OK: break;
        case REPORT_GONE:
            logf_("task %lld attempt %d of graph %s is no longer ours; not running",
                  (long long)a.task_id, a.attempt, a.graph);
            exit_code = ALGO_WORKER_EXIT_OK;
            goto done;
        case REPORT_UNREACHABLE: exit_code = ALGO_WORKER_EXIT_UNREACHABLE; goto done;
        case REPORT_ERROR: goto done;
        }
    }

    double t0 = now_s();
    if (algo_graph_map(&g, a.snapshot, msg) != 0) {
        /* the store's message usually starts with the path already */
        if (strncmp(msg, a.snapshot, strlen(a.snapshot)) == 0)
            snprintf(fail, sizeof fail, "cannot map snapshot %s", msg);
        else
            snprintf(fail, sizeof fail, "cannot map snapshot %.200s: %s", a.snapshot, msg);
        goto report_failure;
    }
    mapped = 1;
    double t_mapped = now_s();
    if (a.server)
        logf_("task %lld attempt %d of graph %s", (long long)a.task_id, a.attempt, a.graph);
    logf_("%s on %s: %llu vertices, %llu edges, %d thread(s), %d worker process(es) asked for, 1 "
          "run",
          spec->name, a.snapshot, (unsigned long long)g.n, (unsigned long long)g.m, a.threads,
          a.workers);
    for (size_t i = 0; i < params.n; i++)
        if (params.items[i].given)
            logf_("option %s=%s", params.items[i].opt->key, params.items[i].value);

    summary = json_object();
    if (!summary) {
        snprintf(fail, sizeof fail, "out of memory");
        goto report_failure;
    }
    json_object_set_new(summary, "algorithm", json_string(spec->name));
    json_object_set_new(summary, "property", json_string(property));
    json_object_set_new(summary, "vertices", json_integer((json_int_t)g.n));
    json_object_set_new(summary, "edges", json_integer((json_int_t)g.m));

    ctx.spec = spec;
    ctx.t_step = ctx.t_last_report = now_s();
    int rc = run_kernel(&out, spec, &params, &g, a.threads, &ctx, msg);
    double t_done = now_s();
    if (rc == ALGO_ESTOPPED && ctx.gone) {
        logf_("stopped: task %lld attempt %d is no longer ours", (long long)a.task_id, a.attempt);
        exit_code = ALGO_WORKER_EXIT_OK;
        goto done;
    }
    if (rc != 0) {
        snprintf(fail, sizeof fail, "%s failed: %s", spec->name, msg);
        goto report_failure;
    }
    add_stats(summary, &out);
    json_object_set_new(summary, "seconds", json_real(round((t_done - t_mapped) * 1e6) / 1e6));

    if (a.out) {
        if (hgc_mkdir_p(a.out, 1) != 0) {
            snprintf(fail, sizeof fail, "cannot create result directory %.200s: %s", a.out,
                     strerror(errno));
            goto report_failure;
        }
        if ((size_t)snprintf(result_path, sizeof result_path, "%s/result.bin", a.out) >=
            sizeof result_path) {
            snprintf(fail, sizeof fail, "result directory name too long: %.200s", a.out);
            goto report_failure;
        }
        if (out.shape == ALGO_OUT_ROWS) {
            snprintf(fail, sizeof fail, "%s writes rows, which result files can't hold yet",
                     spec->name);
            goto report_failure;
        }
        if ((out.shape == ALGO_OUT_PATHS
                 ? algo_result_write_paths(result_path, &g, out.f64, out.pred, spec->name, property,
                                           msg)
                 : algo_result_write(result_path, &g, (algo_value_kind)out.shape, out.values,
                                     spec->name, property, msg)) != 0) {
            snprintf(fail, sizeof fail, "cannot write result %.200s: %s", result_path, msg);
            goto report_failure;
        }
    }
    summary_text = json_dumps(summary, JSON_COMPACT | JSON_REAL_PRECISION(12));
    if (!summary_text) {
        snprintf(fail, sizeof fail, "out of memory");
        goto report_failure;
    }
    logf_("done in %.3f s (map %.3f s, compute %.3f s): %s", now_s() - t0, t_mapped - t0,
          t_done - t_mapped, summary_text);

    if (!a.server) {
        printf("%s\n", summary_text);
        fflush(stdout);
        exit_code = ALGO_WORKER_EXIT_OK;
        goto done;
    }
    switch (report(&rep, "SUCCEEDED", 100, summary_text, 1)) {
    case REPORT_OK:
    case REPORT_GONE: /* cancelled meanwhile: the server discards the result */
        exit_code = ALGO_WORKER_EXIT_OK;
        break;
    case REPORT_UNREACHABLE: exit_code = ALGO_WORKER_EXIT_UNREACHABLE; break;
    case REPORT_ERROR: exit_code = ALGO_WORKER_EXIT_FAILED; break;
    }
    goto done;

report_failure:
    logf_("failed: %s", fail);
    exit_code = ALGO_WORKER_EXIT_FAILED;
    if (a.server && a.graph && a.task_id > 0) {
        if (!rpc_up) {
            hgc_rpc_init();
            rpc_up = 1;
        }
        if (rep.ch || hgc_channel_new(&rep.ch, a.server, msg) == 0) {
            report_rc r = report(&rep, "FAILED", -1, fail, 1);
            if (r == REPORT_UNREACHABLE)
                exit_code = ALGO_WORKER_EXIT_UNREACHABLE;
        }
    }
done:
    free(summary_text);
    json_decref(summary);
    algo_output_release(&out);
    if (mapped)
        algo_graph_unmap(&g);
    algo_params_release(&params);
    if (rep.ch)
        hgc_channel_free(rep.ch);
    if (rpc_up)
        hgc_rpc_shutdown();
    algo_worker_args_release(&a);
    return exit_code;
}
