/* stream.h: server-streaming routes over HTTP/1.1, two ways, as the
 * method's hgc.v1.http_stream option says:
 *
 *  - "merge" (ReadResult): every message is read and the stream merged as
 *    protobuf merges (repeated fields concatenate, scalars: the last one
 *    wins), answered as one JSON object;
 *  - otherwise ndjson (WatchJob): application/x-ndjson, one JSON object a
 *    line as the messages come. An error before the first message is a
 *    normal error answer; after it (the status line is long gone) the
 *    body ends with {"error": {HugeGraph's error body, "status": N}}.
 */
#ifndef REST_STREAM_H
#define REST_STREAM_H

#include <stddef.h>
#include "bridge.h"

/* The merged object may not exceed this (packed protobuf bytes); past it
 * the caller is told to page (limit/offset). */
#define REST_MERGE_MAX ((size_t)256 * 1024 * 1024)

void rest_stream_merge(rest_bridge *b, const rest_route *rt, const ProtobufCMessage *in,
                       int timeout_ms, rest_answer *out);

typedef struct rest_ndjson rest_ndjson;

/* Starts the stream and waits for its first message. 1: *out is ready to
 * be read (answer 200 with it); 0: *ans is the whole answer (an error,
 * or an empty stream: 200 with an empty body). */
int rest_ndjson_open(rest_ndjson **out, rest_bridge *b, const rest_route *rt,
                     const ProtobufCMessage *in, int timeout_ms, rest_answer *ans);

/* Up to max bytes of the body; blocks for the next message when the last
 * line is all out. 0: the end. */
size_t rest_ndjson_read(rest_ndjson *n, char *buf, size_t max);

/* Cancels the stream if it is still going (the client went away). */
void rest_ndjson_free(rest_ndjson *n);

#endif
