/* graphs.h: graph versions in the data dir: loading, small loads and
 * their folding, removing versions no task needs, cleaning up after a
 * crash.
 *
 * A version is a snapshot folder graphs/<g>/v<N>/ (graphstore/snapshot.h). The
 * graph as callers see it is its current version N plus the small loads
 * in N's delta log (delta_log.h). Two kinds of load, both all or nothing:
 *
 * - A bulk load (LoadEdges) reads version N and its log into a builder,
 *   adds the new vertices and edges, writes the folder as "v<N+1>.tmp",
 *   renames it, and only then records N + 1 in the catalog; the log of N
 *   is then removed.
 * - A small load (AddVertices, AddEdges, AddVertex, AddEdge) checks its
 *   records against the same builder and appends them to N's log; its
 *   commit is the log's fdatasync, then the catalog's counts (synced
 *   too; if they can't be stored the log is cut back and the load is
 *   refused). The version stays N. The builder is kept in memory for the
 *   next small load, so a stream of small batches costs what its records
 *   cost.
 *
 * Folding writes version N + 1 from N and its log exactly as a bulk load
 * with no records would. It happens when something needs a snapshot (a
 * read, a job: svc_graph_settle), when the log outgrows the version's
 * size (at least 64 MiB, at most 512 MiB), when the graph has had no
 * small load for --fold-after-ms, and at start for logs a stop left. A
 * load that fails
 * or is cut off leaves the graph as it was: the bulk load's folder is
 * removed (or, after a crash, by svc_graphs_recover), the small load's
 * records are cut from the log.
 */
#ifndef SVC_GRAPHS_H
#define SVC_GRAPHS_H

#include "graph_build.h"
#include "service.h"

typedef struct svc_load svc_load;

typedef enum svc_load_kind {
    SVC_LOAD_BULK,  /* a new version */
    SVC_LOAD_SMALL, /* records into the delta log; the graph must exist */
} svc_load_kind;

/* Starts a load into `graph`: a bulk load creates it at commit if new; a
 * small load into a graph that does not exist is -ENOENT with msg. While
 * another load of the same graph runs: with `w`, -EINPROGRESS and w is
 * woken once it ended (then begin again); without, waits. Reads the
 * current version and its log in (or takes the builder the last small
 * load left). A small load takes only records (svc_load_vertex,
 * svc_load_edge_rec). */
int svc_load_begin(svc_load **out, svc_ctx *ctx, const char *graph, svc_load_kind kind,
                   const svc_waiter *w, char msg[SVC_MSG_MAX]);
/* Text in `format` (a bulk load only; formats and rules: load_text.h).
 * -EINVAL with msg naming the line for bad input. */
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
/* Vertex `id` of the graph as this load holds it: its version, the
 * small loads in the version's log and this load's own records, without
 * writing or reading a version (algo_graph_builder_vertex_get: label and
 * properties, pointing into the load, valid until it changes or ends).
 * 0, or -ENOENT if the graph has no such vertex. */
int svc_load_vertex_get(const svc_load *l, const algo_vid *id, const char **label,
                        algo_vertex_prop_fn prop, void *ud);
/* The graph's vertices with what this load added so far. */
int64_t svc_load_vertices(const svc_load *l);
/* The graph being loaded. */
const char *svc_load_graph(const svc_load *l);
/* Drops a load; nothing stored changes. NULL is fine. */
void svc_load_abort(svc_load *l);

/* Folds the small loads of `graph`, if any, into a new version, so its
 * current version is the graph as callers see it. 0 (also for a graph
 * that doesn't exist: the caller says so), or negative with msg; waits
 * for a load in progress as svc_load_begin does (`w`). */
int svc_graph_settle(svc_ctx *ctx, const char *graph, const svc_waiter *w, char msg[SVC_MSG_MAX]);

/* Holds `graph` as a load does (waiting for one in progress as
 * svc_load_begin does), for dropping it; svc_graph_release(..., 1) also
 * forgets its unfolded state. */
int svc_graph_hold(svc_ctx *ctx, const char *graph, const svc_waiter *w);
void svc_graph_release(svc_ctx *ctx, const char *graph, int forget);

/* The thread that folds graphs idle for cfg->fold_after_ms. Stop also
 * frees what the small loads keep in memory (their logs stay, and are
 * folded at the next start). */
int svc_graphs_folder_start(svc_ctx *ctx, char msg[SVC_MSG_MAX]);
void svc_graphs_folder_stop(svc_ctx *ctx);

/* Removes versions of `graph` older than its current version that no
 * unfinished task computes on. */
void svc_graphs_gc(svc_ctx *ctx, const char *graph);

/* The versions of `graph` on disk, ascending, at most `cap`; returns how
 * many were found (may exceed cap). */
size_t svc_graphs_versions(svc_ctx *ctx, const char *graph, int64_t *out, size_t cap);

/* At start: removes temporary folders ("*.tmp") and versions newer than
 * the catalog knows (a load cut off between rename and record), logs of
 * versions no longer current, folders of graphs the catalog doesn't have
 * and empty ones; folds the logs of current versions. (A refused load
 * removes what it wrote at once: svc_load_abort.) */
void svc_graphs_recover(svc_ctx *ctx);

#endif
