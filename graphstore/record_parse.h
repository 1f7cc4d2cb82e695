/* record_parse.h: the file formats of graphs with labels and properties,
 * parsed in pieces (a record may be split anywhere between two feeds)
 * into an algo_record_sink.
 *
 * JSON lines (HugeGraph's vertex and edge objects, one a line):
 *   {"label": "person", "id": 1, "properties": {"name": "marko", "age": 29}}
 *   {"label": "knows", "outV": 1, "inV": 2, "outVLabel": "person",
 *    "inVLabel": "person", "properties": {"weight": 0.5}}
 * A line with "outV" and "inV" is an edge, any other object a vertex
 * ("type": "vertex"/"edge" may say so explicitly). Ids are numbers
 * (whole, in int64) or non-empty strings. Property values: integers
 * (whole JSON numbers in int64), doubles (other numbers), strings,
 * booleans; null, arrays and objects are refused. Keys are strings
 * (JSON guarantees it); invalid UTF-8 anywhere is refused. Blank lines
 * are skipped. Lines over 1 MiB are refused.
 *
 * LDBC Graphalytics: `<name>.v` (one vertex id a line) and `<name>.e`
 * ("src dst [weight]"), vertices labelled "vertex", edges "edge", the
 * weight becoming the edge property named by the .properties file
 * (`graph.<name>.edge-properties.names`, default "weight") with its type
 * (`...edge-properties.types`: real -> double, int/long -> int).
 *
 * Every error names the line (and for JSON the column), and what is
 * wrong: "line 3, column 17: property 'age' is an array; values are
 * numbers, strings or booleans".
 *
 * Details of the JSON lines format:
 * - Keys allowed: a vertex "id", "label", "type", "properties"; an edge
 *   "label", "outV", "inV", "outVLabel", "inVLabel", "id", "type",
 *   "properties". An edge's "id" (HugeGraph writes one, derived from its
 *   ends and label) is checked like an id and then ignored. Any other key
 *   is refused, naming the keys allowed. Labels are non-empty strings.
 * - A whole number written as a real (2.0, 1e3) is accepted as an id
 *   while it is exact (|id| <= 2^53); a property value written so stays a
 *   double: 29 is an int, 29.0 a double. Integers outside int64 and reals
 *   outside the double range are refused ("not JSON: too big integer").
 * - Strings containing \u0000 are refused (jansson's rule). String ids
 *   are kept as strings even when they look like numbers ("1:marko",
 *   "42").
 * - The column counts characters (not bytes) from 1, as jansson does; for
 *   a JSON syntax error it is where jansson stopped (the end of the bad
 *   token), for a refused member its key or value. Errors about the
 *   object as a whole (an edge without "inV") and sink errors carry no
 *   column. Quoted input in messages shows only printable ASCII ('?' for
 *   other bytes), so every message is valid UTF-8.
 * - The records of one line go to the sink before the next line is read;
 *   after any error the parser refuses further input.
 *
 * Details of the Graphalytics formats:
 * - .v and .e lines are split on spaces and tabs; '#' starts a comment
 *   line; blank lines are skipped; "\r\n" is accepted; lines over 64 KiB
 *   are refused; ids follow algo_vid_parse (edge_parse.h).
 * - An edge line with a weight when weight_key is "" is refused; an edge
 *   line without one when weight_key is set gives an edge with no
 *   property (Graphalytics files are all weighted or all not, so this
 *   only matters for hand-written files). Real weights must be finite.
 * - `directed` is only reported: the caller loads an undirected graph's
 *   edges both ways.
 * - .properties: "key = value" (or "key: value") lines, '#' and '!'
 *   comments, no continuation lines; a later line for a key replaces an
 *   earlier one. The graph name is whatever the file uses, one graph a
 *   file. graph.<name>.directed is required (true/false). No
 *   edge-properties.names line (or an empty one) gives weight_key "";
 *   more than one name is refused (an .e line has one weight column). So
 *   the "weight" default named above is for a caller without a
 *   .properties file, filling the struct itself. Types: real/double ->
 *   double, int/integer/long -> int; no types line: real.
 *
 * The sink's vertex and edge functions must both be set (_new and
 * _parse_one refuse a sink without them).
 */
#ifndef ALGO_RECORD_PARSE_H
#define ALGO_RECORD_PARSE_H

#include <stddef.h>
#include "records.h"

/* ---- JSON lines ---- */
typedef struct algo_jsonl_parser algo_jsonl_parser;

int algo_jsonl_parser_new(algo_jsonl_parser **out, const algo_record_sink *sink);
void algo_jsonl_parser_free(algo_jsonl_parser *p);
int algo_jsonl_parser_feed(algo_jsonl_parser *p, const char *data, size_t len,
                           char msg[ALGO_MSG_MAX]);
int algo_jsonl_parser_finish(algo_jsonl_parser *p, char msg[ALGO_MSG_MAX]);
uint64_t algo_jsonl_parser_records(const algo_jsonl_parser *p);

/* One HugeGraph vertex or edge object (already parsed JSON text of one
 * object, e.g. one item of a REST batch) into the sink. */
/* Messages name no position but a column ("column 5: ...", or just the
 * reason): the caller puts its own in front ("item 3: "). At most 1 MiB. */
int algo_jsonl_parse_one(const algo_record_sink *sink, const char *json, size_t len,
                         char msg[ALGO_MSG_MAX]);

/* ---- LDBC Graphalytics ---- */

/* The settings of a `.properties` file that loading needs. */
typedef struct algo_graphalytics_props {
    int directed;               /* graph.<name>.directed */
    char weight_key[64];        /* "" if the edges carry no property */
    algo_prop_type weight_type; /* ALGO_PROP_DOUBLE or ALGO_PROP_INT */
} algo_graphalytics_props;

/* Parses a .properties text (whole). Unknown keys are ignored. */
int algo_graphalytics_props_parse(algo_graphalytics_props *out, const char *text, size_t len,
                                  char msg[ALGO_MSG_MAX]);

typedef struct algo_graphalytics_parser algo_graphalytics_parser;

/* `which`: 'v' for the vertex file, 'e' for the edge file. */
int algo_graphalytics_parser_new(algo_graphalytics_parser **out, char which,
                                 const algo_graphalytics_props *props,
                                 const algo_record_sink *sink);
void algo_graphalytics_parser_free(algo_graphalytics_parser *p);
int algo_graphalytics_parser_feed(algo_graphalytics_parser *p, const char *data, size_t len,
                                  char msg[ALGO_MSG_MAX]);
int algo_graphalytics_parser_finish(algo_graphalytics_parser *p, char msg[ALGO_MSG_MAX]);
/* Records delivered so far. */
uint64_t algo_graphalytics_parser_records(const algo_graphalytics_parser *p);

#endif
