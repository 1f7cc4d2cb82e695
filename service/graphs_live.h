/* graphs_live.h: the graphs with small loads not yet folded, shared by
 * graphs.c (which keeps them) and graph_folding.c (the thread that folds
 * them once idle). Private to the service. */
#ifndef HGC_SERVICE_GRAPHS_LIVE_H
#define HGC_SERVICE_GRAPHS_LIVE_H

#include <stdint.h>

#include "delta_log.h"
#include "graph_build.h"
#include "service.h"

/* A graph with small loads not yet folded. */
typedef struct svc_live {
    char graph[SVC_NAME_MAX + 1];
    int64_t version;             /* the version the log is on */
    algo_graph_builder *builder; /* version + log; NULL: rebuilt when needed */
    svc_delta *log;
    uint64_t fold_bytes; /* fold when the log passes this */
    /* Read by others under load_lock, so written under it too: */
    uint64_t log_bytes; /* committed bytes of the log (svc_delta_bytes) */
    int64_t changed_ms; /* the last small load's commit (after a failed fold: later,
                         * fold_idle); 0: nothing to fold */
    struct svc_live *next;
} svc_live;

/* The entry of a graph, or NULL. */
svc_live *svc_live_find(svc_ctx *ctx, const char *graph);
/* Forgets a graph's entry: closes its log (the file stays), frees its
 * builder. For the holder of the graph's load. */
void svc_live_forget(svc_ctx *ctx, const char *graph);
/* Sets an entry's shared fields (log_bytes from its log, changed_ms) under
 * load_lock, and wakes the folding thread. */
void svc_live_note(svc_ctx *ctx, svc_live *e, int64_t changed_ms);

#endif
