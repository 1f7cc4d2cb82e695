/* cli_args.h: the command line of `hgc`, parsed into one struct.
 *
 * Pure: no I/O, no server; a bad command line comes back as a negative
 * return and a one-line reason, which the caller prints with the usage
 * (exit code 2). See docs/cli.md for the syntax.
 */
#ifndef HGC_CLI_ARGS_H
#define HGC_CLI_ARGS_H

#include <stdint.h>
#include <stdio.h>

#include "hgc_client.h"
#include "base/limits.h"

#define HGC_CLI_MSG_MAX HGC_MSG_MAX

typedef enum hgc_cli_cmd {
    HGC_CLI_HELP = 0, /* --help, -h or `help`: print usage, exit 0 */
    HGC_CLI_GRAPH_LOAD,
    HGC_CLI_GRAPH_LIST,
    HGC_CLI_GRAPH_SHOW,
    HGC_CLI_GRAPH_DROP,
    HGC_CLI_GRAPH_CREATE,
    HGC_CLI_GRAPH_VERTEX,
    HGC_CLI_GRAPH_EDGES,
    HGC_CLI_JOB_SUBMIT,
    HGC_CLI_JOB_LIST,
    HGC_CLI_JOB_SHOW,
    HGC_CLI_JOB_CANCEL,
    HGC_CLI_JOB_DELETE,
    HGC_CLI_JOB_RESULT,
    HGC_CLI_JOB_WATCH,
    HGC_CLI_JOB_UPDATE,
} hgc_cli_cmd;

/* Which usage text: all, graph commands, job commands. */
typedef enum hgc_cli_topic {
    HGC_CLI_TOPIC_ALL = 0,
    HGC_CLI_TOPIC_GRAPH,
    HGC_CLI_TOPIC_JOB,
} hgc_cli_topic;

/* Strings point into argv, except params[].key (owned). Fields a command
 * does not take keep their defaults. */
typedef struct hgc_cli_args {
    hgc_cli_cmd cmd;
    hgc_cli_topic topic; /* for HGC_CLI_HELP and for usage errors */

    /* global */
    const char *server; /* NULL: $HGC_SERVER or the default */
    int json;
    int timeout_ms; /* --timeout SEC; default HGC_CLIENT_DEFAULT_TIMEOUT_MS */

    /* positionals */
    const char *graph;     /* graph name (GRAPH or NAME) */
    const char *file;      /* graph load; "-" is stdin */
    const char *algorithm; /* job submit */
    int64_t task_id;       /* >= 1 */
    const char *status;    /* job update STATUS; job list --status */
    /* graph vertex, graph edges: the vertex ID as given; it is a number
     * (vertex_is_num, vertex_num) when it is all digits, optionally after
     * a '-', and fits int64, unless --string-id; else a string */
    const char *vertex_id;
    int vertex_is_num;
    int64_t vertex_num;

    /* flags */
    int workers;              /* --workers, 0: the server's default */
    hgc_client_param *params; /* --opt key=value, in order, keys unique */
    size_t n_params;
    int wait;              /* --wait */
    int64_t limit;         /* --limit: 0 the server's default, -1 all */
    int64_t offset;        /* --offset */
    const char *order;     /* --order asc|desc; NULL by vertex */
    const char *page;      /* --page TOKEN */
    int progress;          /* --progress 0-100; -1 not given */
    const char *message;   /* --message */
    const char *format;    /* graph load --format edges|jsonl|graphalytics; NULL edges */
    const char *direction; /* graph edges --direction: "OUT", "IN", "BOTH"; NULL both */
    const char *label;     /* graph edges --label; NULL all */
} hgc_cli_args;

/* Parses argv[1..argc-1]. Returns 0 with *out set, or -1 with `msg` set
 * (*out then holds the topic for the usage text and nothing to release).
 * Release a parsed struct with hgc_cli_args_release. */
int hgc_cli_args_parse(hgc_cli_args *out, int argc, char **argv, char msg[HGC_CLI_MSG_MAX]);
void hgc_cli_args_release(hgc_cli_args *a);

/* Splits "key=value" at the first '='. The key must be non-empty; the
 * value may be empty and may contain '='. On 0, out->key is a copy the
 * caller frees and out->value points into `arg`; -1 with `msg` otherwise. */
int hgc_cli_split_opt(hgc_client_param *out, const char *arg, char msg[HGC_CLI_MSG_MAX]);

/* A whole decimal number in [min, max], nothing else around it. */
int hgc_cli_parse_int(int64_t *out, const char *s, int64_t min, int64_t max);

void hgc_cli_usage(FILE *f, hgc_cli_topic topic);

#endif
