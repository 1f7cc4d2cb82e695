/* graphs.h: graph versions in the data dir: loading a new version,
 * removing versions no task needs, cleaning up after a crash.
 *
 * A version is a snapshot folder graphs/<g>/v<N>/ (algo/snapshot.h). A
 * load is all or nothing: the previous version is copied into a builder,
 * the new vertices and edges are added, the folder is written as
 * "v<N>.tmp", renamed, and only then recorded in the catalog; a load that
 * fails or is cut off leaves the graph as it was, and a crash between
 * rename and record leaves a folder that svc_graphs_recover() removes.
 */
#ifndef SVC_GRAPHS_H
#define SVC_GRAPHS_H

#include "graph_build.h"
#include "service.h"

typedef struct svc_load svc_load;

/* Starts a load into `graph` (created at commit if new). Waits while
 * another load of the same graph runs. Copies the current version in. */
int svc_load_begin(svc_load **out, svc_ctx *ctx, const char *graph, char msg[SVC_MSG_MAX]);
/* Text in `format` (EdgeBatch.format: "" or "edges", "jsonl",
 * "graphalytics.properties", "graphalytics.v", "graphalytics.e"), in
 * pieces split anywhere. Each format's text is a stream of its own: a
 * change of format ends the previous one (its last line without a
 * newline counts). Graphalytics .v/.e need the .properties text first;
 * an undirected graph's edges are added both ways. -EINVAL with msg
 * naming the line for bad input. */
int svc_load_text(svc_load *l, const char *format, const void *data, size_t len,
                  char msg[SVC_MSG_MAX]);
/* Whether `format` is one svc_load_text knows (NULL counts as ""). */
int svc_load_format_known(const char *format);
int svc_load_edge(svc_load *l, const algo_vid *src, const algo_vid *dst, int has_weight,
                  double weight, char msg[SVC_MSG_MAX]);
/* A vertex or edge with label and properties (records.h). A record is
 * refused whole (-EINVAL, msg without position: the caller adds it).
 * *assigned (optional) is the id a vertex without one got. */
int svc_load_vertex(svc_load *l, const struct algo_vertex_rec *v, algo_vid *assigned,
                    char msg[SVC_MSG_MAX]);
int svc_load_edge_rec(svc_load *l, const struct algo_edge_rec *e, char msg[SVC_MSG_MAX]);
/* Writes the new version and records it; frees the load. Just before the
 * record, `abandoned(ud)` (if given) is asked whether the caller has gone:
 * then nothing is recorded and the answer is -ECANCELED. */
int svc_load_commit(svc_load *l, svc_graph *out, int64_t *edges_loaded, int64_t *vertices_added,
                    int (*abandoned)(void *ud), void *ud, char msg[SVC_MSG_MAX]);
/* The graph being loaded. */
const char *svc_load_graph(const svc_load *l);
/* Drops a load; nothing stored changes. NULL is fine. */
void svc_load_abort(svc_load *l);

/* Removes versions of `graph` older than its current version that no
 * unfinished task computes on. */
void svc_graphs_gc(svc_ctx *ctx, const char *graph);

/* The versions of `graph` on disk, ascending, at most `cap`; returns how
 * many were found (may exceed cap). */
size_t svc_graphs_versions(svc_ctx *ctx, const char *graph, int64_t *out, size_t cap);

/* At start: removes temporary folders ("*.tmp") and versions newer than
 * the catalog knows (a load cut off between rename and record), and
 * folders of graphs the catalog doesn't have. */
void svc_graphs_recover(svc_ctx *ctx);

#endif
