/* id_text.h: a vertex named by a caller's text (an option value such as
 * ppr.source), found in a snapshot's ids.
 *
 * A text that reads as a number in the edge-list sense (edge_parse.h: an
 * optional '-' and decimal digits that fit in int64) names the numeric id
 * first and, if the graph has no such number, the string id of the same
 * text; any other text names a string id. hgc-server (to refuse a job
 * before it exists) and hgc-worker (to find the vertex) both use this, so
 * they agree.
 */
#ifndef ALGO_ID_TEXT_H
#define ALGO_ID_TEXT_H

#include <stdint.h>
#include "graph_file.h"

/* The index of the vertex `text` names, or -1. O(log n). */
int64_t algo_idmap_find_text(const algo_idmap *ids, const char *text);

#endif
