/* data_dir.h: where things live in the data directory
 * (docs/architecture.md), and the rule for graph names.
 *
 *   hgc.db                          SQLite: tasks, graphs
 *   graphs/<graph>/v<N>/            version N of a graph: a snapshot folder
 *                                   (graphstore/snapshot.h: graph.hgcg, labels.bin,
 *                                   schema.json, columns); "v<N>.tmp" while
 *                                   it is being written
 *   graphs/<graph>/v<N>.delta       small loads made on top of version N
 *                                   (N >= 0), until folded into v<N+1>
 *                                   (delta_log.h)
 *   results/<graph>/<id>/           one task's output (result.bin)
 *   logs/<graph>/<id>.log           one task's worker log
 */
#ifndef SVC_DATA_DIR_H
#define SVC_DATA_DIR_H

#include <errno.h>
#include <limits.h>
#include <stdint.h>

#include "base/fs.h"

/* Creates the data dir and its sub-folders. */
int svc_data_dir_init(const char *root, char msg[256]);

/* A graph name is 1 to 64 of [A-Za-z0-9_-]: safe as a folder name and in
 * a URL path. 0, or negative with a message that says so. */
int svc_graph_name_check(const char *name, char msg[256]);

void svc_path_db(char out[PATH_MAX], const char *root);
void svc_path_graph_dir(char out[PATH_MAX], const char *root, const char *graph);
/* The folder of version `version`, and the structure file inside it
 * (what a worker maps). */
void svc_path_version_dir(char out[PATH_MAX], const char *root, const char *graph, int64_t version);
void svc_path_snapshot(char out[PATH_MAX], const char *root, const char *graph, int64_t version);
/* "v<N>" (N >= 1) -> N; -1 for any other name (so "v3.tmp" is not a
 * version). */
int64_t svc_version_of_name(const char *name);
/* The delta log of version `version` (0: the graph's loads before its
 * first version). */
void svc_path_delta(char out[PATH_MAX], const char *root, const char *graph, int64_t version);
/* "v<N>.delta" (N >= 0) -> N; -1 for any other name. */
int64_t svc_delta_version_of_name(const char *name);
void svc_path_results(char out[PATH_MAX], const char *root, const char *graph, int64_t task_id);
void svc_path_log(char out[PATH_MAX], const char *root, const char *graph, int64_t task_id);

/* mkdir -p of a path's parent folders (and the path itself if
 * include_last): base/fs.h's hgc_mkdir_p (which syncs the entry of each
 * folder it creates), in the service's convention (0 or -errno). */
static inline int svc_mkdirs(const char *path, int include_last)
{
    return hgc_mkdir_p(path, include_last) < 0 ? -errno : 0;
}

/* fsync of the folder holding `path`, so that a file created, renamed or
 * removed there survives a power cut. 0 or -errno. */
int svc_sync_dir_of(const char *path);

/* rm -rf; 0 also when absent. */
int svc_remove_tree(const char *path);

/* Bytes of the files under `path`. */
int64_t svc_tree_size(const char *path);

#endif
