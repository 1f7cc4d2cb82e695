/* test_worker_args.c: hgc-worker's command line (compute/worker/worker.c), run as the
 * built program in standalone mode (no --server): flags and their checks,
 * exit codes, the summary JSON on stdout and the result file, which must
 * hold LDBC Graphalytics' page-rank for test-pr-directed.
 *
 * The algo unit tests don't link the worker library (it needs the gRPC
 * layer), so this spawns the built program (HGC_BINARY_DIR/bin/hgc-worker,
 * or compute/worker/hgc-worker in a build tree that doesn't gather programs in bin/)
 * and fails when it has not been built (the full build always builds it).
 * Reporting to a server is left to the integration tests.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "graph_build.h"
#include "result_file.h"

#define GA HGC_TEST_DATA "/graphalytics/"

extern char **environ;

static char dir[256];
static char snap[300];
static const char *WORKER;

static const char *const WHERE[] = {HGC_BINARY_DIR "/bin/hgc-worker",
                                    HGC_BINARY_DIR "/compute/worker/hgc-worker"};

static void find_worker(void)
{
    for (size_t i = 0; i < 2 && !WORKER; i++)
        if (access(WHERE[i], X_OK) == 0)
            WORKER = WHERE[i];
}

static void need_worker(void)
{
    if (!WORKER)
        cr_assert_fail("hgc-worker is not built (looked in %s); build everything first", WHERE[0]);
}

/* Runs the worker with args (NULL-terminated); returns its exit status and
 * the first bytes of stdout and stderr. */
static int run(char *out, size_t out_cap, char *err, size_t err_cap, const char *const *args)
{
    char out_path[320], err_path[320];
    snprintf(out_path, sizeof out_path, "%s/stdout", dir);
    snprintf(err_path, sizeof err_path, "%s/stderr", dir);
    const char *argv[64] = {0};
    argv[0] = WORKER;
    size_t n = 1;
    while (args[n - 1] && n < 63) {
        argv[n] = args[n - 1];
        n++;
    }
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    int rc = posix_spawn(&pid, WORKER, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    cr_assert_eq(rc, 0, "spawn: %s", strerror(rc));
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status), "worker died");

    const char *paths[2] = {out_path, err_path};
    char *bufs[2] = {out, err};
    size_t caps[2] = {out_cap, err_cap};
    for (int i = 0; i < 2; i++) {
        if (!bufs[i])
            continue;
        FILE *f = fopen(paths[i], "r");
        size_t k = f ? fread(bufs[i], 1, caps[i] - 1, f) : 0;
        bufs[i][k] = '\0';
        if (f)
            fclose(f);
    }
    return WEXITSTATUS(status);
}

/* A snapshot of test-pr-directed, built with the store's builder. */
static void setup(void)
{
    find_worker();
    if (!WORKER)
        return; /* every test skips; leave nothing behind */
    char msg[ALGO_MSG_MAX], line[128];
    algo_graph_builder *b = NULL;
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    long long x, y;
    FILE *f = fopen(GA "test-pr-directed.v", "r");
    cr_assert_not_null(f);
    while (fscanf(f, "%lld", &x) == 1) {
        algo_vid v = {.num = x};
        cr_assert_eq(algo_graph_builder_add_vertex(b, &v, msg), 0, "%s", msg);
    }
    fclose(f);
    f = fopen(GA "test-pr-directed.e", "r");
    cr_assert_not_null(f);
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%lld %lld", &x, &y) == 2) {
            algo_vid s = {.num = x}, d = {.num = y};
            cr_assert_eq(algo_graph_builder_add_edge(b, &s, &d, 0, 0, msg), 0, "%s", msg);
        }
    fclose(f);
    /* the directory last, so a failed read above leaves nothing behind */
    snprintf(dir, sizeof dir, "/tmp/hgc-test-worker-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(snap, sizeof snap, "%s/g.snap", dir);
    cr_assert_eq(algo_graph_builder_write(b, snap, msg), 0, "%s", msg);
    algo_graph_builder_free(b);
}

static void teardown(void)
{
    char cmd[300];
    if (!dir[0])
        return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        cr_log_warn("could not remove %s", dir);
}

TestSuite(worker_args, .init = setup, .fini = teardown);

Test(worker_args, help_lists_flags)
{
    need_worker();
    char out[4096];
    const char *a[] = {"--help", NULL};
    cr_assert_eq(run(out, sizeof out, NULL, 0, a), 0);
    const char *flags[] = {"--server", "--graph",     "--task-id", "--attempt", "--snapshot",
                           "--out",    "--algorithm", "--workers", "--opt",     "--parent-pid"};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        cr_expect_not_null(strstr(out, flags[i]), "--help lacks %s", flags[i]);
}

static void expect_refused(const char *const *a, const char *in_err)
{
    char err[4096];
    int rc = run(NULL, 0, err, sizeof err, a);
    cr_expect_eq(rc, 1, "exit %d for '%s'", rc, in_err);
    cr_expect_not_null(strstr(err, in_err), "stderr '%s' lacks '%s'", err, in_err);
}

Test(worker_args, bad_arguments)
{
    need_worker();
    const char *a1[] = {"--snapshot", snap, NULL};
    expect_refused(a1, "--algorithm is required");
    const char *a2[] = {"--algorithm", "page-rank", NULL};
    expect_refused(a2, "--snapshot is required");
    const char *a3[] = {"--snapshot", snap, "--algorithm", "page-rank", "--bogus", NULL};
    expect_refused(a3, "unknown argument '--bogus'");
    const char *a4[] = {"--snapshot", snap, "--algorithm", "page-rank", "--workers", "0", NULL};
    expect_refused(a4, "--workers wants a whole number from 1 to 4096, got '0'");
    const char *a5[] = {"--snapshot", snap, "--algorithm", "page-rank", "--workers=x", NULL};
    expect_refused(a5, "got 'x'");
    const char *a6[] = {"--snapshot", snap, "--algorithm", "page-rank", "--opt", "alpha", NULL};
    expect_refused(a6, "--opt wants KEY=VALUE, got 'alpha'");
    const char *a7[] = {"--snapshot", snap, "--algorithm", "page-rank", "--workers", NULL};
    expect_refused(a7, "--workers needs a value");
    const char *a8[] = {"--snapshot",  snap,      "--algorithm", "page-rank", "--server",
                        "127.0.0.1:1", "--graph", "g",           NULL};
    expect_refused(a8, "--task-id is required with --server");
    const char *a9[] = {"--snapshot", snap, "--algorithm", "page-rank", "--task-id", "-3", NULL};
    expect_refused(a9, "--task-id wants a whole number >= 1, got '-3'");
}

Test(worker_args, catalog_refusals)
{
    need_worker();
    const char *a1[] = {"--snapshot", snap, "--algorithm", "nope", NULL};
    expect_refused(a1, "the algorithm 'nope' is not supported; supported: page-rank");
    const char *a2[] = {"--snapshot",        snap, "--algorithm", "page-rank", "--opt",
                        "page_rank.alpha=2", NULL};
    expect_refused(a2, "option 'page_rank.alpha' must be a number from 0 to 1, got '2'");
    const char *a3[] = {"--snapshot", snap, "--algorithm", "page-rank", "--opt", "x.y=1", NULL};
    expect_refused(a3, "unknown option 'x.y' for page-rank");
    const char *a4[] = {"--snapshot", "/nonexistent/g.snap", "--algorithm", "page-rank", NULL};
    expect_refused(a4, "cannot map snapshot /nonexistent/g.snap");
}

Test(worker_args, orphan_exits_at_once)
{
    need_worker();
    char pid[32];
    snprintf(pid, sizeof pid, "%ld", (long)getpid() + 100000); /* not our parent */
    const char *a[] = {"--snapshot", snap, "--algorithm", "page-rank", "--parent-pid", pid, NULL};
    cr_expect_eq(run(NULL, 0, NULL, 0, a), 3);
    snprintf(pid, sizeof pid, "%ld", (long)getpid()); /* the worker's parent: runs */
    cr_expect_eq(run(NULL, 0, NULL, 0, a), 0);
}

Test(worker_args, standalone_run_writes_graphalytics_ranks)
{
    need_worker();
    char out[4096], err[16384], res_dir[320], res[340];
    snprintf(res_dir, sizeof res_dir, "%s/results/g/7", dir);
    snprintf(res, sizeof res, "%s/result.bin", res_dir);
    const char *a[] = {"--snapshot",
                       snap,
                       "--algorithm=PageRank",
                       "--out",
                       res_dir,
                       "--workers",
                       "3",
                       "--opt",
                       "page_rank.alpha=0.15",
                       "--opt=pagerank.l1DiffThreshold=0",
                       "--opt",
                       "bsp.max_super_step=14",
                       "--opt",
                       "output.output_property_name=pr",
                       NULL};
    cr_assert_eq(run(out, sizeof out, err, sizeof err, a), 0, "stderr: %s", err);
    cr_expect_not_null(strstr(out, "\"algorithm\":\"page-rank\""), "%s", out);
    cr_expect_not_null(strstr(out, "\"property\":\"pr\""), "%s", out);
    cr_expect_not_null(strstr(out, "\"vertices\":50"), "%s", out);
    cr_expect_not_null(strstr(out, "\"edges\":246"), "%s", out);
    cr_expect_not_null(strstr(out, "\"supersteps\":14"), "%s", out);
    cr_expect_not_null(strstr(out, "\"converged\":false"), "%s", out);
    cr_expect_not_null(strstr(err, "superstep 14/14 l1="), "%s", err);

    algo_result r;
    char msg[ALGO_MSG_MAX];
    cr_assert_eq(algo_result_map(&r, res, msg), 0, "%s", msg);
    cr_expect_eq(r.kind, ALGO_VALUE_DOUBLE);
    cr_expect_str_eq(r.algorithm, "page-rank");
    cr_expect_str_eq(r.property, "pr");
    cr_assert_eq(r.n, 50);
    FILE *f = fopen(GA "test-pr-directed-PR", "r");
    cr_assert_not_null(f);
    long long id;
    double want;
    const double *got = r.values;
    while (fscanf(f, "%lld %lf", &id, &want) == 2) {
        /* vertices are in id order; the ids here are 1..50 */
        uint64_t i = (uint64_t)(id - 1);
        cr_assert_lt(i, r.n);
        cr_expect_eq(r.ids.num[i], id);
        cr_expect_leq(fabs(got[i] - want), 1e-5 * want, "vertex %lld", id);
    }
    fclose(f);
    algo_result_unmap(&r);
}
