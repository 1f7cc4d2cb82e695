/* delta_log.h: a graph version's log of small loads since it was written.
 *
 * Small loads (AddVertices, AddEdges, AddVertex, AddEdge) don't rewrite
 * the graph: their records are appended to graphs/<g>/v<N>.delta, the
 * log of the changes made on top of version N, and the graph as callers
 * see it is version N plus its log (graphs.h). The log is folded into
 * version N + 1 when something needs a snapshot, and then removed.
 *
 * File: the 8 bytes "HGCDLT1\n", then frames
 *
 *   u8 kind ('V' vertex, 'E' edge, 'C' commit) | u32 payload length | payload
 *
 * in host byte order. A load's records are one transaction: its 'V' and
 * 'E' frames, then one 'C' frame whose payload is the number of records
 * (u64) and the CRC-32 (u32) of every byte of the transaction's record
 * frames. Only transactions whose commit frame is whole and whose CRC
 * matches count: a load cut off mid-append, or a torn write at a crash,
 * leaves a tail that opening the log cuts away. A commit is durable once
 * svc_delta_commit returns (fdatasync).
 *
 * Record payloads (delta_record.h turns records into them and back):
 *   vid:   u8 is_str; then u32 len + bytes (string) or i64 (number)
 *   text:  u32 len + bytes (len 0: not given)
 *   props: u32 n; n times: text key, u8 type (algo_prop_type), then
 *          i64 (int), f64 (double), text (string) or u8 (bool)
 *   'V':   u8 has_id, [vid id], text label, props
 *   'E':   vid src, vid dst, text label, text src_label, text dst_label,
 *          props
 *
 * A writer is used by one thread at a time (the graph's load).
 */
#ifndef SVC_DELTA_LOG_H
#define SVC_DELTA_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "records.h"
#include "store.h"

typedef struct svc_delta svc_delta;

/* Opens `path` for appending, creating it if absent; a tail after the last
 * whole, matching transaction is cut away (truncated). 0, or negative
 * errno with msg. */
int svc_delta_open(svc_delta **out, const char *path, char msg[SVC_MSG_MAX]);

/* Appends one record to the transaction in progress (buffered: nothing is
 * durable before svc_delta_commit). 0, or negative errno with msg. */
int svc_delta_append_vertex(svc_delta *d, const algo_vertex_rec *v, char msg[SVC_MSG_MAX]);
int svc_delta_append_edge(svc_delta *d, const algo_edge_rec *e, char msg[SVC_MSG_MAX]);

/* Ends the transaction in progress with its commit frame, writes it out
 * and fdatasyncs. A transaction with no records writes nothing. On error
 * the transaction is rolled back (as svc_delta_rollback); a full disk is
 * -ENOSPC with msg starting with SVC_MSG_DISK_FULL. */
int svc_delta_commit(svc_delta *d, char msg[SVC_MSG_MAX]);

/* Undoes the last commit, when what it belonged to could not be recorded
 * (the catalog refused it): the file is cut back to where that commit
 * began, and synced. Only right after svc_delta_commit, before anything
 * is appended. 0, or negative with msg. */
int svc_delta_undo(svc_delta *d, char msg[SVC_MSG_MAX]);

/* Forgets the transaction in progress: the file is cut back to the end of
 * the last commit. */
int svc_delta_rollback(svc_delta *d, char msg[SVC_MSG_MAX]);

/* Bytes of committed transactions in the file (header included). */
uint64_t svc_delta_bytes(const svc_delta *d);

/* Closes the file (a transaction in progress is rolled back first). NULL
 * is fine. */
void svc_delta_close(svc_delta *d);

/* Hands every record of every committed transaction of the log at `path`
 * to `sink`, in order. A missing file is an empty log. A torn or corrupt
 * tail (a transaction whose commit frame is missing or whose CRC doesn't
 * match) is ignored: it was never committed. Negative with msg if the sink
 * refuses a record (msg: "record K: <sink's message>"), if a record of a
 * transaction whose CRC matched doesn't decode (-EIO, "<path>: record K
 * is corrupt": damage the CRC can't explain), or if the file can't be
 * read. *records (optional, set on success) is the number of records
 * handed over. The file is read into memory whole. */
int svc_delta_replay(const char *path, const algo_record_sink *sink, uint64_t *records,
                     char msg[SVC_MSG_MAX]);

#endif
