/* cli_usage.c: the usage texts of `hgc` (--help), kept in step with
 * docs/cli.md and with the tables of cli_args.c. */
#include "cli_args.h"

static const char usage_head[] =
    "usage: hgc [--server HOST:PORT] [--json] [--timeout SEC] GROUP COMMAND [ARGS] [OPTIONS]\n"
    "\n"
    "Global options (anywhere on the line):\n"
    "  --server HOST:PORT  server to talk to; default $HGC_SERVER, else 127.0.0.1:50051\n"
    "  --json              print the server's answers as JSON, one object a line\n"
    "  --timeout SEC       deadline of each request in seconds (0: none; default 30);\n"
    "                      loads, watches and result reads have none\n"
    "  -h, --help          this text; `hgc graph --help`, `hgc job --help` for a group\n";

static const char usage_graph[] =
    "\n"
    "Graph commands:\n"
    "  hgc graph load NAME FILE   load an edge list (\"src dst [weight]\" lines, '#' comments;\n"
    "                             FILE \"-\" is stdin); creates the graph if missing\n"
    "      --format edges|jsonl|graphalytics\n"
    "                             jsonl: HugeGraph vertex/edge objects, one a line;\n"
    "                             graphalytics: FILE.properties, FILE.v, FILE.e\n"
    "  hgc graph list             all graphs, one row each\n"
    "  hgc graph show NAME        one graph, key: value lines, with labels and keys\n"
    "  hgc graph create NAME      an empty graph\n"
    "  hgc graph drop NAME        remove a graph and everything it holds\n"
    "  hgc graph vertex NAME ID [--string-id]\n"
    "                             one vertex: id, label, then KEY: VALUE per property\n"
    "                             (algorithm results included); an all-digit ID is a\n"
    "                             number, --string-id sends it as a string\n"
    "  hgc graph edges NAME ID [--direction out|in|both] [--label L] [--limit N]\n"
    "                             [--string-id]   a vertex's edges: ID LABEL OUT IN PROPERTIES\n"
    "                             (default both directions; limit 0: 100, -1: all)\n";

static const char usage_job[] =
    "\n"
    "Job commands:\n"
    "  hgc job submit GRAPH ALGO [--workers N] [--opt KEY=VALUE]... [--wait]\n"
    "                             start a job; prints its task id. --wait follows it\n"
    "                             like `job watch` and exits by its final state\n"
    "  hgc job list GRAPH [--limit N] [--status S] [--page TOKEN]\n"
    "                             tasks, oldest first (limit 0: server default 100, -1: all)\n"
    "  hgc job show GRAPH ID      one task, key: value lines\n"
    "  hgc job watch GRAPH ID     follow a task until it ends\n"
    "  hgc job result GRAPH ID [--limit N] [--offset N] [--order asc|desc]\n"
    "                             result rows, one \"ID<TAB>VALUE\" line each\n"
    "  hgc job cancel GRAPH ID    cancel a task (a finished one is left as it is)\n"
    "  hgc job delete GRAPH ID    delete a finished task and its results\n"
    "  hgc job update GRAPH ID STATUS [--progress P] [--message M]\n"
    "                             report a task's state (RUNNING, SUCCEEDED, FAILED...)\n";

static const char usage_tail[] =
    "\n"
    "Exit codes:\n"
    "  0  success (submit --wait, watch: the job succeeded)\n"
    "  1  the job ended failed or cancelled (submit --wait, watch)\n"
    "  2  usage error: bad option, argument or command; a FILE that can't be read\n"
    "  3  the server refused the request (unknown graph or task, bad option...)\n"
    "  4  the server could not be reached or did not answer in time\n";

void hgc_cli_usage(FILE *f, hgc_cli_topic topic)
{
    fputs(usage_head, f);
    if (topic != HGC_CLI_TOPIC_JOB)
        fputs(usage_graph, f);
    if (topic != HGC_CLI_TOPIC_GRAPH)
        fputs(usage_job, f);
    fputs(usage_tail, f);
}
