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

#endif
