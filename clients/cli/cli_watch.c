/* cli_watch.c: the live view of one task (see cli_watch.h). A plain line
 * is written only when status or progress changed, so logs stay short
 * however often the server sends a snapshot. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli_json.h"
#include "cli_watch.h"

#define BAR_WIDTH 20

void hgc_cli_watch_init(hgc_cli_watch *w, FILE *out, int bar, int json)
{
    memset(w, 0, sizeof(*w));
    w->out = out;
    w->bar = bar && !json;
    w->json = json;
    w->progress = -1;
}

void hgc_cli_watch_release(hgc_cli_watch *w)
{
    free(w->result);
    w->result = NULL;
}

int hgc_cli_status_final(const char *status)
{
    return status != NULL &&
           (strcasecmp(status, "success") == 0 || strcasecmp(status, "failed") == 0 ||
            strcasecmp(status, "cancelled") == 0);
}

static void draw_bar(hgc_cli_watch *w)
{
    int progress = w->progress < 0 ? 0 : w->progress > 100 ? 100 : w->progress;
    int filled = progress * BAR_WIDTH / 100;
    char bar[BAR_WIDTH + 1];

    memset(bar, '#', (size_t)filled);
    memset(bar + filled, '.', (size_t)(BAR_WIDTH - filled));
    bar[BAR_WIDTH] = '\0';
    /* \033[K clears what a longer earlier line left ("cancelling") */
    fprintf(w->out, "\rtask %lld %s [%s] %d%%\033[K", (long long)w->task_id, w->status, bar,
            progress);
    w->drawn = 1;
}

int hgc_cli_watch_snapshot(const Hgc__V1__Task *task, void *watch)
{
    hgc_cli_watch *w = watch;
    const char *status = task->task_status != NULL ? task->task_status : "";
    int changed = !w->seen || w->progress != task->task_progress || strcmp(w->status, status) != 0;
    char *result = strdup(task->task_result != NULL ? task->task_result : "");

    if (result != NULL) {
        free(w->result);
        w->result = result;
    }
    w->seen = 1;
    w->task_id = task->id;
    w->progress = task->task_progress;
    snprintf(w->status, sizeof(w->status), "%s", status);
    if (w->json)
        hgc_cli_json_print(w->out, hgc_cli_json_message(&task->base));
    else if (w->bar && changed)
        draw_bar(w);
    else if (changed)
        fprintf(w->out, "task %lld %s %d%%\n", (long long)w->task_id, w->status, w->progress);
    fflush(w->out);
    return hgc_cli_status_final(status);
}

int hgc_cli_watch_finish(hgc_cli_watch *w)
{
    if (w->drawn) {
        fputc('\n', w->out);
        w->drawn = 0;
    }
    if (!w->seen || !hgc_cli_status_final(w->status))
        return -1;
    if (!w->json) {
        fprintf(w->out, "status: %s\n", w->status);
        fprintf(w->out, "result: %s\n", w->result != NULL ? w->result : "");
    }
    fflush(w->out);
    return strcasecmp(w->status, "success") == 0 ? 0 : 1;
}
