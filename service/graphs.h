/* graphs.h: graph snapshots in the data dir: loading a new version,
 * removing versions no task needs, cleaning up after a crash.
 *
 * A load is all or nothing: the new snapshot is written under a temporary
 * name, renamed, and only then recorded in the catalog; a load that fails
 * or is cut off leaves the graph as it was, and a crash between rename
 * and record leaves a file that svc_graphs_recover() removes.
 */
#ifndef SVC_GRAPHS_H
#define SVC_GRAPHS_H

#include "graph_build.h"
#include "service.h"

typedef struct svc_load svc_load;

/* Starts a load into `graph` (created at commit if new). Waits while
 * another load of the same graph runs. Copies the current version in. */
int svc_load_begin(svc_load **out, svc_ctx *ctx, const char *graph, char msg[SVC_MSG_MAX]);
/* Edge-list text, in pieces split anywhere. */
int svc_load_text(svc_load *l, const void *data, size_t len, char msg[SVC_MSG_MAX]);
int svc_load_edge(svc_load *l, const algo_vid *src, const algo_vid *dst, int has_weight,
                  double weight, char msg[SVC_MSG_MAX]);
/* Writes the new version and records it; frees the load. Just before the
 * record, `abandoned(ud)` (if given) is asked whether the caller has gone:
 * then nothing is recorded and the answer is -ECANCELED. */
int svc_load_commit(svc_load *l, svc_graph *out, int64_t *edges_loaded, int64_t *vertices_added,
                    int (*abandoned)(void *ud), void *ud, char msg[SVC_MSG_MAX]);
/* The graph being loaded. */
const char *svc_load_graph(const svc_load *l);
/* Drops a load; nothing stored changes. NULL is fine. */
void svc_load_abort(svc_load *l);

/* Removes snapshots of `graph` older than its current version that no
 * unfinished task computes on. */
void svc_graphs_gc(svc_ctx *ctx, const char *graph);

/* At start: removes temporary files and snapshots newer than the catalog
 * knows (a load cut off between rename and record), and folders of graphs
 * the catalog doesn't have. */
void svc_graphs_recover(svc_ctx *ctx);

#endif
