/* snap_cache.h: open snapshots of graphs' current versions, shared by the
 * readers (GetVertex, ListEdges, GetGraph).
 *
 * Opening a snapshot folder checks its labels, O(n + m): 0.1 s for a
 * 31M-edge graph, far more than the O(log n) lookup a vertex read needs.
 * So a version, once opened, stays open for the next reader, until a
 * newer version of its graph is opened, the graph is dropped, or more
 * than SVC_SNAP_CACHE_MAX graphs are open (the least recently used unused
 * one goes). A view in use is freed by its last reader. Property columns
 * are mapped on first use and stay mapped with the view.
 */
#ifndef SVC_SNAP_CACHE_H
#define SVC_SNAP_CACHE_H

#include <pthread.h>
#include <stdint.h>

#include "prop_column.h"
#include "service.h"
#include "snapshot.h"

#define SVC_SNAP_CACHE_MAX 16

typedef struct svc_snap {
    algo_snapshot s;
    /* private to snap_cache.c: */
    algo_column *cols;    /* per schema key */
    unsigned char *state; /* per key: 0 not mapped yet, 1 mapped, 2 unreadable */
    pthread_mutex_t col_lock;
    char graph[SVC_NAME_MAX + 1];
    int64_t version;
    int refs;      /* readers, and 1 for the cache while cached */
    uint64_t used; /* the cache's clock at the last get */
    struct svc_snap *next;
} svc_snap;

/* Version `version` of `graph`, opened or shared; svc_snap_put when done.
 * 0, or negative with msg (the folder is gone or damaged). */
int svc_snap_get(svc_ctx *ctx, const char *graph, int64_t version, svc_snap **out,
                 char msg[SVC_MSG_MAX]);
void svc_snap_put(svc_ctx *ctx, svc_snap *v);

/* Key k's column (mapped on first use), or NULL if it can't be read. */
const algo_column *svc_snap_column(svc_snap *v, size_t k);

/* Drops the cached views of `graph` older than version `below` (INT64_MAX:
 * all, for a dropped graph, whose name may come back with version 1);
 * readers keep theirs until they put them. */
void svc_snap_forget(svc_ctx *ctx, const char *graph, int64_t below);
/* Drops every cached view (at stop, with no readers left). */
void svc_snaps_free(svc_ctx *ctx);

#endif
