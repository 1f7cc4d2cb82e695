/* cli.h: the commands of `hgc`, run from parsed arguments. */
#ifndef HGC_CLI_H
#define HGC_CLI_H

#include "cli_args.h"

/* Exit codes, as documented in --help and docs/cli.md. */
enum {
    HGC_EXIT_OK = 0,
    HGC_EXIT_JOB_FAILED = 1,  /* --wait / watch: the job failed or was cancelled */
    HGC_EXIT_USAGE = 2,       /* bad command line, unreadable FILE */
    HGC_EXIT_REFUSED = 3,     /* the server answered with an error */
    HGC_EXIT_UNREACHABLE = 4, /* UNAVAILABLE, DEADLINE_EXCEEDED, stream cut short */
};

/* The exit code for a failed call's status (never 0). */
int hgc_cli_exit_code(grpc_status_code code);

/* Runs one parsed command (not HGC_CLI_HELP); answers go to stdout,
 * errors to stderr as "hgc: ...". Returns the exit code. */
int hgc_cli_run(const hgc_cli_args *a);

/* The whole program: parse, usage, run. */
int hgc_cli_main(int argc, char **argv);

#endif
