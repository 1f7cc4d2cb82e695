/* load_text.h: the text a bulk load brings (EdgeBatch.text), in its
 * formats: "" or "edges" (edge list), "jsonl" (HugeGraph vertex and edge
 * objects), "graphalytics.properties", "graphalytics.v",
 * "graphalytics.e". Each format's text is a stream of its own, in pieces
 * split anywhere: a change of format ends the previous one (its last line
 * without a newline counts); "" goes on with the stream in progress, and
 * starts an edge list when there is none. Graphalytics .v/.e need the .properties text
 * first; an undirected graph's edges are added both ways. */
#ifndef SVC_LOAD_TEXT_H
#define SVC_LOAD_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "graph_build.h"
#include "store.h"

typedef struct svc_text_load svc_text_load;

/* Text into `b`, which must outlive the text load. */
int svc_text_load_new(svc_text_load **out, algo_graph_builder *b);
/* A piece of text in `format`. -EINVAL with msg naming the line for bad
 * input or an unknown format, -ENOMEM. */
int svc_text_load_feed(svc_text_load *t, const char *format, const void *data, size_t len,
                       char msg[SVC_MSG_MAX]);
/* Ends the stream in progress. 0, or -EINVAL with msg. */
int svc_text_load_finish(svc_text_load *t, char msg[SVC_MSG_MAX]);
/* Edges added so far (finished edge-list streams and every record). */
int64_t svc_text_load_edges(const svc_text_load *t);
void svc_text_load_free(svc_text_load *t);

/* Whether `format` is one of the above (NULL counts as ""). */
int svc_text_format_known(const char *format);

#endif
