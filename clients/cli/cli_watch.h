/* cli_watch.h: how `hgc job watch` and `job submit --wait` show a task
 * as it changes. On a terminal (stdout is a tty) one line redrawn in place
 * with a bar; otherwise one plain line per change; with --json one Task
 * object per line. */
#ifndef HGC_CLI_WATCH_H
#define HGC_CLI_WATCH_H

#include <stdio.h>

#include "hgc_client.h"

typedef struct hgc_cli_watch {
    FILE *out;
    int bar; /* redraw one line with '\r' */
    int json;
    int seen;  /* a snapshot came */
    int drawn; /* a bar line is on screen, not yet ended */
    int64_t task_id;
    char status[32];
    int progress;
    char *result; /* task_result of the last snapshot (owned) */
} hgc_cli_watch;

void hgc_cli_watch_init(hgc_cli_watch *w, FILE *out, int bar, int json);
void hgc_cli_watch_release(hgc_cli_watch *w);

/* An hgc_client_task_fn: shows one snapshot; returns 1 once the task is
 * final, so the watch ends there. */
int hgc_cli_watch_snapshot(const Hgc__V1__Task *task, void *watch);

/* True for success, failed, cancelled (any case). */
int hgc_cli_status_final(const char *status);

/* After the stream: ends the bar line and prints the outcome
 * ("status: S", "result: R"). Returns the exit code, 0 for success and 1
 * for failed or cancelled, or -1 if no final state was seen. */
int hgc_cli_watch_finish(hgc_cli_watch *w);

#endif
