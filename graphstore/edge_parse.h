/* edge_parse.h: the plain edge-list text format, fed in pieces.
 *
 * One edge a line: "src dst [weight]", fields separated by spaces or tabs,
 * '#' starts a comment line, blank lines are skipped, "\r\n" is accepted.
 * An id made only of an optional '-' and decimal digits that fits in int64
 * is a number; any other field (non-ASCII bytes included, valid UTF-8
 * required) is a string id. The weight is a finite decimal number.
 * A line may be split anywhere between two feeds.
 */
#ifndef ALGO_EDGE_PARSE_H
#define ALGO_EDGE_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include "graph_build.h"

typedef struct algo_edge_parser algo_edge_parser;

/* Each parsed edge goes to `b`. */
int algo_edge_parser_new(algo_edge_parser **out, algo_graph_builder *b);
void algo_edge_parser_free(algo_edge_parser *p);

/* Parses a piece of text. On a bad line: negative, msg names the line
 * number and what is wrong ("line 12: weight 'x' is not a number"), and the
 * parser refuses further input. Lines longer than 64 KiB are refused. */
int algo_edge_parser_feed(algo_edge_parser *p, const char *data, size_t len,
                          char msg[ALGO_MSG_MAX]);

/* End of input: parses a last line that has no newline. */
int algo_edge_parser_finish(algo_edge_parser *p, char msg[ALGO_MSG_MAX]);

/* Edges parsed so far. */
uint64_t algo_edge_parser_edges(const algo_edge_parser *p);

/* Parses one field as an id: 0 and *v (pointing into `s`), or negative if
 * it is empty or not valid UTF-8. */
int algo_vid_parse(algo_vid *v, const char *s, size_t len);

#endif
