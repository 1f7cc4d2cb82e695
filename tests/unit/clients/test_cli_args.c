/* Tests of clients/cli/cli_args.c: the parser of hgc's command line. Every
 * command with its flags, --opt splitting, numbers out of range or
 * malformed, missing and extra arguments, unknown flags and commands. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "cli_args.h"

#define MAX_ARGS 32

static hgc_cli_args args;
static char msg[HGC_CLI_MSG_MAX];

/* Parses the NULL-terminated words after the program name. */
static int parse(const char *first, ...)
{
    char *argv[MAX_ARGS] = {(char *)"hgc"};
    int argc = 1;
    va_list ap;

    va_start(ap, first);
    for (const char *w = first; w != NULL && argc < MAX_ARGS; w = va_arg(ap, const char *))
        argv[argc++] = (char *)w;
    va_end(ap);
    hgc_cli_args_release(&args);
    memset(&args, 0, sizeof(args));
    msg[0] = '\0';
    return hgc_cli_args_parse(&args, argc, argv, msg);
}

static void fini(void)
{
    hgc_cli_args_release(&args);
}

TestSuite(cli_args, .fini = fini);

/* A usage error whose message contains `needle`. */
#define cr_assert_usage(needle, ...)                                                               \
    do {                                                                                           \
        cr_assert_eq(parse(__VA_ARGS__, NULL), -1, "accepted; wanted an error with '%s'", needle); \
        cr_assert(strstr(msg, needle) != NULL, "message '%s' lacks '%s'", msg, needle);            \
    } while (0)

/* ---- help ------------------------------------------------------------ */

Test(cli_args, help_forms)
{
    cr_assert_eq(parse("--help", NULL), 0);
    cr_assert_eq(args.cmd, HGC_CLI_HELP);
    cr_assert_eq(args.topic, HGC_CLI_TOPIC_ALL);
    cr_assert_eq(parse("-h", NULL), 0);
    cr_assert_eq(args.cmd, HGC_CLI_HELP);
    cr_assert_eq(parse("help", NULL), 0);
    cr_assert_eq(args.cmd, HGC_CLI_HELP);
    cr_assert_eq(parse("job", "--help", NULL), 0);
    cr_assert_eq(args.cmd, HGC_CLI_HELP);
    cr_assert_eq(args.topic, HGC_CLI_TOPIC_JOB);
    cr_assert_eq(parse("graph", "-h", NULL), 0);
    cr_assert_eq(args.topic, HGC_CLI_TOPIC_GRAPH);
    cr_assert_eq(parse("help", "graph", NULL), 0);
    cr_assert_eq(args.topic, HGC_CLI_TOPIC_GRAPH);
    cr_assert_usage("no help on 'bogus'", "help", "bogus");
    cr_assert_eq(parse("job", "submit", "--help", NULL), 0);
    cr_assert_eq(args.cmd, HGC_CLI_HELP);
    cr_assert_eq(args.topic, HGC_CLI_TOPIC_JOB);
}

Test(cli_args, usage_text_names_every_command_and_exit_code)
{
    char buf[8192] = "";
    FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");
    const char *words[] = {"graph load", "graph list", "graph show", "graph drop", "graph create",
                           "job submit", "job list",   "job show",   "job cancel", "job delete",
                           "job result", "job watch",  "job update", "--server",   "--json",
                           "HGC_SERVER", "  0  ",      "  1  ",      "  2  ",      "  3  ",
                           "  4  "};

    cr_assert_not_null(f);
    hgc_cli_usage(f, HGC_CLI_TOPIC_ALL);
    fclose(f);
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        cr_expect(strstr(buf, words[i]) != NULL, "usage lacks '%s'", words[i]);
}

/* ---- global options ---------------------------------------------------- */

Test(cli_args, defaults)
{
    cr_assert_eq(parse("graph", "list", NULL), 0);
    cr_assert_eq(args.cmd, HGC_CLI_GRAPH_LIST);
    cr_assert_null(args.server);
    cr_assert_eq(args.json, 0);
    cr_assert_eq(args.timeout_ms, HGC_CLIENT_DEFAULT_TIMEOUT_MS);
    cr_assert_eq(args.limit, 0);
    cr_assert_eq(args.progress, -1);
    cr_assert_eq(args.workers, 0);
    cr_assert_eq(args.n_params, 0);
}

Test(cli_args, global_options_before_and_after_the_command)
{
    cr_assert_eq(parse("--server", "10.0.0.1:7000", "--json", "graph", "list", NULL), 0);
    cr_assert_str_eq(args.server, "10.0.0.1:7000");
    cr_assert_eq(args.json, 1);
    cr_assert_eq(parse("graph", "list", "--server=h:1", "--json", NULL), 0);
    cr_assert_str_eq(args.server, "h:1");
    cr_assert_eq(args.json, 1);
    cr_assert_eq(parse("--timeout", "2.5", "graph", "list", NULL), 0);
    cr_assert_eq(args.timeout_ms, 2500);
    cr_assert_eq(parse("--timeout=0", "graph", "list", NULL), 0);
    cr_assert_eq(args.timeout_ms, 0);
}

Test(cli_args, bad_global_options)
{
    cr_assert_usage("--server needs a value", "graph", "list", "--server");
    cr_assert_usage("got ''", "--server=", "graph", "list");
    /* gRPC would wrap these to other ports (modulo 65536, or 0: any) */
    cr_assert_usage("a port from 0 to 65535", "--server", "127.0.0.1:99999", "graph", "list");
    cr_assert_usage("a port from 0 to 65535", "--server", "127.0.0.1:65536", "graph", "list");
    cr_assert_usage("HOST:PORT", "--server", "nohostport", "graph", "list");
    cr_assert_usage("--timeout", "--timeout", "soon", "graph", "list");
    cr_assert_usage("--timeout", "--timeout", "-1", "graph", "list");
    cr_assert_usage("--timeout", "--timeout", "nan", "graph", "list");
    cr_assert_usage("takes no value", "--json=yes", "graph", "list");
}

Test(cli_args, unknown_options_and_commands)
{
    cr_assert_usage("unknown option '--bogus'", "graph", "list", "--bogus");
    cr_assert_usage("unknown option '--bogus'", "--bogus=1", "graph", "list");
    cr_assert_usage("unknown option '-x'", "-x", "graph", "list");
    cr_assert_usage("no command", "--json");
    cr_assert_usage("unknown command 'frobnicate'", "frobnicate");
    cr_assert_usage("unknown command 'graph frob'", "graph", "frob");
    cr_assert_usage("'job' needs a command", "job");
    cr_assert_eq(args.topic, HGC_CLI_TOPIC_JOB, "usage of the group for a usage error");
    cr_assert_eq(parse(NULL), -1);
}

Test(cli_args, options_that_do_not_apply)
{
    cr_assert_usage("--workers does not apply to 'job list'", "job", "list", "g", "--workers", "2");
    cr_assert_usage("--wait does not apply to 'job watch'", "job", "watch", "g", "1", "--wait");
    cr_assert_usage("--limit does not apply to 'graph list'", "graph", "list", "--limit", "3");
    cr_assert_usage("--progress does not apply", "job", "show", "g", "1", "--progress", "5");
    cr_assert_usage("--order does not apply", "job", "list", "g", "--order", "asc");
}

/* ---- graph commands ---------------------------------------------------- */

Test(cli_args, graph_commands)
{
    cr_assert_eq(parse("graph", "load", "g", "edges.txt", NULL), 0);
    cr_assert_eq(args.cmd, HGC_CLI_GRAPH_LOAD);
    cr_assert_str_eq(args.graph, "g");
    cr_assert_str_eq(args.file, "edges.txt");
    cr_assert_eq(parse("graph", "load", "g", "-", NULL), 0, "'-' is stdin, not an option");
    cr_assert_str_eq(args.file, "-");
    cr_assert_eq(parse("graph", "load", "g", "--", "-odd-name", NULL), 0);
    cr_assert_str_eq(args.file, "-odd-name");
    cr_assert_eq(parse("graph", "show", "g", NULL), 0);
    cr_assert_eq(args.cmd, HGC_CLI_GRAPH_SHOW);
    cr_assert_str_eq(args.graph, "g");
    cr_assert_eq(parse("graph", "drop", "g", NULL), 0);
    cr_assert_eq(args.cmd, HGC_CLI_GRAPH_DROP);
    cr_assert_eq(parse("graph", "create", "g", NULL), 0);
    cr_assert_eq(args.cmd, HGC_CLI_GRAPH_CREATE);
}

Test(cli_args, graph_missing_and_extra_arguments)
{
    cr_assert_usage("missing FILE", "graph", "load", "g");
    cr_assert_usage("missing NAME", "graph", "load");
    cr_assert_usage("missing NAME", "graph", "show");
    cr_assert_usage("missing NAME", "graph", "drop");
    cr_assert_usage("missing NAME", "graph", "create");
    cr_assert_usage("unexpected 'x'", "graph", "list", "x");
    cr_assert_usage("unexpected 'h'", "graph", "show", "g", "h");
    cr_assert_usage("unexpected 'more'", "graph", "load", "g", "f", "more");
}

/* ---- job submit -------------------------------------------------------- */

Test(cli_args, job_submit_plain)
{
    cr_assert_eq(parse("job", "submit", "g", "page-rank", NULL), 0);
    cr_assert_eq(args.cmd, HGC_CLI_JOB_SUBMIT);
    cr_assert_str_eq(args.graph, "g");
    cr_assert_str_eq(args.algorithm, "page-rank");
    cr_assert_eq(args.workers, 0);
    cr_assert_eq(args.wait, 0);
    cr_assert_eq(args.n_params, 0);
}

Test(cli_args, job_submit_all_flags)
{
    cr_assert_eq(parse("job", "submit", "--workers", "4", "g", "--opt", "page_rank.alpha=0.15",
                       "pagerank", "--opt=bsp.max_super_step=20", "--wait", NULL),
                 0, "%s", msg);
    cr_assert_str_eq(args.graph, "g");
    cr_assert_str_eq(args.algorithm, "pagerank");
    cr_assert_eq(args.workers, 4);
    cr_assert_eq(args.wait, 1);
    cr_assert_eq(args.n_params, 2);
    cr_assert_str_eq(args.params[0].key, "page_rank.alpha");
    cr_assert_str_eq(args.params[0].value, "0.15");
    cr_assert_str_eq(args.params[1].key, "bsp.max_super_step");
    cr_assert_str_eq(args.params[1].value, "20");
    cr_assert_eq(parse("job", "submit", "g", "pagerank", "--workers=2", NULL), 0);
    cr_assert_eq(args.workers, 2);
}

Test(cli_args, opt_value_keeps_its_equals_signs_and_may_be_empty)
{
    cr_assert_eq(parse("job", "submit", "g", "a", "--opt", "filter=x=1&&y==2", "--opt", "k=", NULL),
                 0);
    cr_assert_eq(args.n_params, 2);
    cr_assert_str_eq(args.params[0].key, "filter");
    cr_assert_str_eq(args.params[0].value, "x=1&&y==2");
    cr_assert_str_eq(args.params[1].key, "k");
    cr_assert_str_eq(args.params[1].value, "");
}

Test(cli_args, opt_given_twice_keeps_the_last)
{
    cr_assert_eq(
        parse("job", "submit", "g", "a", "--opt", "k=1", "--opt", "j=2", "--opt", "k=3", NULL), 0);
    cr_assert_eq(args.n_params, 2);
    cr_assert_str_eq(args.params[0].key, "k");
    cr_assert_str_eq(args.params[0].value, "3");
    cr_assert_str_eq(args.params[1].key, "j");
}

Test(cli_args, bad_opts)
{
    cr_assert_usage("key=value", "job", "submit", "g", "a", "--opt", "novalue");
    cr_assert_usage("empty key", "job", "submit", "g", "a", "--opt", "=5");
    cr_assert_usage("--opt needs a value", "job", "submit", "g", "a", "--opt");
}

Test(cli_args, split_opt_directly)
{
    hgc_client_param p;

    cr_assert_eq(hgc_cli_split_opt(&p, "a=b=c", msg), 0);
    cr_assert_str_eq(p.key, "a");
    cr_assert_str_eq(p.value, "b=c");
    free((char *)p.key);
    cr_assert_eq(hgc_cli_split_opt(&p, "a", msg), -1);
    cr_assert_eq(hgc_cli_split_opt(&p, "=a", msg), -1);
}

Test(cli_args, bad_worker_counts)
{
    cr_assert_usage("--workers", "job", "submit", "g", "a", "--workers", "0");
    cr_assert_usage("--workers", "job", "submit", "g", "a", "--workers", "-2");
    cr_assert_usage("--workers", "job", "submit", "g", "a", "--workers", "two");
    cr_assert_usage("--workers", "job", "submit", "g", "a", "--workers", "3x");
    cr_assert_usage("--workers", "job", "submit", "g", "a", "--workers", "");
    cr_assert_usage("--workers", "job", "submit", "g", "a", "--workers", " 3");
    cr_assert_usage("--workers", "job", "submit", "g", "a", "--workers", "99999999999");
    cr_assert_usage("--workers", "job", "submit", "g", "a", "--workers", "1.5");
}

Test(cli_args, job_submit_missing_arguments)
{
    cr_assert_usage("missing ALGO", "job", "submit", "g");
    cr_assert_usage("missing GRAPH", "job", "submit");
    cr_assert_usage("unexpected 'extra'", "job", "submit", "g", "a", "extra");
}

/* ---- other job commands ------------------------------------------------ */

Test(cli_args, job_list_flags)
{
    cr_assert_eq(parse("job", "list", "g", NULL), 0);
    cr_assert_eq(args.cmd, HGC_CLI_JOB_LIST);
    cr_assert_str_eq(args.graph, "g");
    cr_assert_eq(args.limit, 0);
    cr_assert_null(args.status);
    cr_assert_null(args.page);
    cr_assert_eq(
        parse("job", "list", "g", "--limit", "5", "--status", "RUNNING", "--page", "tok", NULL), 0);
    cr_assert_eq(args.limit, 5);
    cr_assert_str_eq(args.status, "RUNNING");
    cr_assert_str_eq(args.page, "tok");
    cr_assert_eq(parse("job", "list", "g", "--limit", "-1", NULL), 0, "-1 means all");
    cr_assert_eq(args.limit, -1);
    cr_assert_usage("--limit", "job", "list", "g", "--limit", "-2");
    cr_assert_usage("--limit", "job", "list", "g", "--limit", "ten");
    cr_assert_usage("--limit", "job", "list", "g", "--limit", "99999999999999999999");
    cr_assert_usage("missing GRAPH", "job", "list");
}

Test(cli_args, job_commands_on_one_task)
{
    static const struct {
        const char *name;
        hgc_cli_cmd cmd;
    } cases[] = {
        {"show", HGC_CLI_JOB_SHOW},     {"cancel", HGC_CLI_JOB_CANCEL},
        {"delete", HGC_CLI_JOB_DELETE}, {"watch", HGC_CLI_JOB_WATCH},
        {"result", HGC_CLI_JOB_RESULT},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cr_assert_eq(parse("job", cases[i].name, "g", "42", NULL), 0, "%s: %s", cases[i].name, msg);
        cr_assert_eq(args.cmd, cases[i].cmd);
        cr_assert_str_eq(args.graph, "g");
        cr_assert_eq(args.task_id, 42);
        cr_assert_usage("missing ID", "job", cases[i].name, "g");
        cr_assert_usage("missing GRAPH", "job", cases[i].name);
        cr_assert_usage("task ID", "job", cases[i].name, "g", "0");
        cr_assert_usage("task ID", "job", cases[i].name, "g", "abc");
        cr_assert_usage("task ID", "job", cases[i].name, "g", "7a");
        cr_assert_usage("unexpected '9'", "job", cases[i].name, "g", "1", "9");
    }
}

Test(cli_args, big_task_ids)
{
    cr_assert_eq(parse("job", "show", "g", "9223372036854775807", NULL), 0);
    cr_assert_eq(args.task_id, INT64_MAX);
    cr_assert_usage("task ID", "job", "show", "g", "9223372036854775808");
}

Test(cli_args, job_result_flags)
{
    cr_assert_eq(parse("job", "result", "g", "3", NULL), 0);
    cr_assert_null(args.order);
    cr_assert_eq(args.limit, 0);
    cr_assert_eq(args.offset, 0);
    cr_assert_eq(parse("job", "result", "g", "3", "--limit", "10", "--offset", "20", "--order",
                       "DESC", NULL),
                 0);
    cr_assert_eq(args.limit, 10);
    cr_assert_eq(args.offset, 20);
    cr_assert_str_eq(args.order, "desc");
    cr_assert_eq(parse("job", "result", "g", "3", "--order=asc", NULL), 0);
    cr_assert_str_eq(args.order, "asc");
    cr_assert_usage("--order wants asc or desc", "job", "result", "g", "3", "--order", "up");
    cr_assert_usage("--offset", "job", "result", "g", "3", "--offset", "-1");
    cr_assert_usage("--offset", "job", "result", "g", "3", "--offset", "x");
}

Test(cli_args, job_update_flags)
{
    cr_assert_eq(parse("job", "update", "g", "5", "RUNNING", NULL), 0);
    cr_assert_eq(args.cmd, HGC_CLI_JOB_UPDATE);
    cr_assert_eq(args.task_id, 5);
    cr_assert_str_eq(args.status, "RUNNING");
    cr_assert_eq(args.progress, -1);
    cr_assert_null(args.message);
    cr_assert_eq(parse("job", "update", "g", "5", "running", "--progress", "100", "--message",
                       "half way -- nearly", NULL),
                 0);
    cr_assert_eq(args.progress, 100);
    cr_assert_str_eq(args.message, "half way -- nearly");
    cr_assert_eq(parse("job", "update", "g", "5", "failed", "--message", "--bad input", NULL), 0,
                 "an option's value may start with '-'");
    cr_assert_str_eq(args.message, "--bad input");
    cr_assert_usage("--progress", "job", "update", "g", "5", "RUNNING", "--progress", "101");
    cr_assert_usage("--progress", "job", "update", "g", "5", "RUNNING", "--progress", "-1");
    cr_assert_usage("--progress", "job", "update", "g", "5", "RUNNING", "--progress", "half");
    cr_assert_usage("missing STATUS", "job", "update", "g", "5");
}

/* ---- graph vertex, graph edges ---------------------------------------- */

Test(cli_args, graph_vertex_ids)
{
    cr_assert_eq(parse("graph", "vertex", "g", "42", NULL), 0);
    cr_assert_eq(args.cmd, HGC_CLI_GRAPH_VERTEX);
    cr_assert_str_eq(args.graph, "g");
    cr_assert_str_eq(args.vertex_id, "42");
    cr_assert_eq(args.vertex_is_num, 1);
    cr_assert_eq(args.vertex_num, 42);

    /* a negative number is an argument, not an option */
    cr_assert_eq(parse("graph", "vertex", "g", "-7", NULL), 0);
    cr_assert_eq(args.vertex_is_num, 1);
    cr_assert_eq(args.vertex_num, -7);
    cr_assert_eq(parse("graph", "vertex", "g", "9223372036854775807", NULL), 0);
    cr_assert_eq(args.vertex_is_num, 1);
    cr_assert_eq(args.vertex_num, INT64_MAX);
    cr_assert_eq(parse("graph", "vertex", "g", "-9223372036854775808", NULL), 0);
    cr_assert_eq(args.vertex_is_num, 1);
    cr_assert_eq(args.vertex_num, INT64_MIN);

    /* everything else is a string id */
    const char *strings[] = {
        "1:marko", "marko", "9223372036854775808", "+5", " 5", "5 ", "1e3", "0x10", "-",
        "--",      "-x"};
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        cr_assert_eq(parse("graph", "vertex", "g", "--", strings[i], NULL), 0, "%s: %s", strings[i],
                     msg);
        cr_assert_str_eq(args.vertex_id, strings[i]);
        cr_assert_eq(args.vertex_is_num, 0, "'%s' taken for a number", strings[i]);
    }
    cr_assert_eq(parse("graph", "vertex", "g", "1:marko", NULL), 0);
    cr_assert_eq(args.vertex_is_num, 0);

    /* --string-id, before or after the ID */
    cr_assert_eq(parse("graph", "vertex", "g", "42", "--string-id", NULL), 0);
    cr_assert_str_eq(args.vertex_id, "42");
    cr_assert_eq(args.vertex_is_num, 0);
    cr_assert_eq(parse("--string-id", "graph", "vertex", "g", "-7", NULL), 0);
    cr_assert_str_eq(args.vertex_id, "-7");
    cr_assert_eq(args.vertex_is_num, 0);
    cr_assert_eq(parse("--json", "graph", "vertex", "g", "1", NULL), 0);
    cr_assert_eq(args.json, 1);
}

Test(cli_args, graph_vertex_errors)
{
    cr_assert_usage("missing NAME", "graph", "vertex");
    cr_assert_usage("missing ID", "graph", "vertex", "g");
    cr_assert_usage("unexpected 'x'", "graph", "vertex", "g", "1", "x");
    cr_assert_usage("empty", "graph", "vertex", "g", "");
    cr_assert_usage("takes no value", "graph", "vertex", "g", "1", "--string-id=yes");
    cr_assert_usage("--direction does not apply", "graph", "vertex", "g", "1", "--direction",
                    "out");
    cr_assert_usage("--label does not apply", "graph", "vertex", "g", "1", "--label", "knows");
    cr_assert_usage("--limit does not apply", "graph", "vertex", "g", "1", "--limit", "5");
    cr_assert_usage("--string-id does not apply", "graph", "show", "g", "--string-id");
    cr_assert_usage("--string-id does not apply", "job", "show", "g", "1", "--string-id");
}

Test(cli_args, graph_edges_flags)
{
    cr_assert_eq(parse("graph", "edges", "g", "1", NULL), 0);
    cr_assert_eq(args.cmd, HGC_CLI_GRAPH_EDGES);
    cr_assert_str_eq(args.graph, "g");
    cr_assert_eq(args.vertex_is_num, 1);
    cr_assert_eq(args.vertex_num, 1);
    cr_assert_null(args.direction);
    cr_assert_null(args.label);
    cr_assert_eq(args.limit, 0);

    cr_assert_eq(parse("graph", "edges", "g", "a", "--direction", "out", "--label", "knows",
                       "--limit", "5", NULL),
                 0);
    cr_assert_eq(args.vertex_is_num, 0);
    cr_assert_str_eq(args.vertex_id, "a");
    cr_assert_str_eq(args.direction, "OUT");
    cr_assert_str_eq(args.label, "knows");
    cr_assert_eq(args.limit, 5);
    cr_assert_eq(parse("graph", "edges", "g", "1", "--direction=IN", "--limit=-1", NULL), 0);
    cr_assert_str_eq(args.direction, "IN");
    cr_assert_eq(args.limit, -1);
    cr_assert_eq(parse("graph", "edges", "g", "1", "--direction", "Both", NULL), 0);
    cr_assert_str_eq(args.direction, "BOTH");
    cr_assert_eq(parse("graph", "edges", "g", "7", "--string-id", "--label=", NULL), 0);
    cr_assert_eq(args.vertex_is_num, 0);
    cr_assert_str_eq(args.vertex_id, "7");
    cr_assert_str_eq(args.label, "");

    cr_assert_usage("--direction wants out, in or both", "graph", "edges", "g", "1", "--direction",
                    "sideways");
    cr_assert_usage("--direction needs a value", "graph", "edges", "g", "1", "--direction");
    cr_assert_usage("--limit", "graph", "edges", "g", "1", "--limit", "-2");
    cr_assert_usage("--limit", "graph", "edges", "g", "1", "--limit", "many");
    cr_assert_usage("missing ID", "graph", "edges", "g");
    cr_assert_usage("--offset does not apply", "graph", "edges", "g", "1", "--offset", "1");
    cr_assert_usage("--direction does not apply", "job", "list", "g", "--direction", "in");
}

Test(cli_args, usage_text_names_vertex_commands)
{
    char buf[8192] = "";
    FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");
    const char *words[] = {"graph vertex", "graph edges", "--string-id", "--direction", "--label"};

    cr_assert_not_null(f);
    hgc_cli_usage(f, HGC_CLI_TOPIC_GRAPH);
    fclose(f);
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        cr_expect(strstr(buf, words[i]) != NULL, "graph usage lacks '%s'", words[i]);
}

Test(cli_args, parse_int_bounds)
{
    int64_t v = 0;

    cr_assert_eq(hgc_cli_parse_int(&v, "17", 0, 100), 0);
    cr_assert_eq(v, 17);
    cr_assert_eq(hgc_cli_parse_int(&v, "-1", -1, 5), 0);
    cr_assert_eq(v, -1);
    cr_assert_eq(hgc_cli_parse_int(&v, "101", 0, 100), -1);
    cr_assert_eq(hgc_cli_parse_int(&v, "", 0, 100), -1);
    cr_assert_eq(hgc_cli_parse_int(&v, NULL, 0, 100), -1);
    cr_assert_eq(hgc_cli_parse_int(&v, "0x10", 0, 100), -1);
    cr_assert_eq(hgc_cli_parse_int(&v, "5 ", 0, 100), -1);
}
