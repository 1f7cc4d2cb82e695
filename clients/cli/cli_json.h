/* cli_json.h: protobuf-c messages as JSON (jansson) for `hgc --json`.
 *
 * Field names as in the .proto; every field of a proto3 message is
 * written, defaults included, so scripts can rely on each key being there;
 * int64 fields are JSON integers. A VertexId is written as its number or
 * string, a Value as its number, string, boolean or array (the same
 * converter as the REST bridge). */
#ifndef HGC_CLI_JSON_H
#define HGC_CLI_JSON_H

#include <stdio.h>

#include <jansson.h>

#include "hgc_client.h"

/* New references; NULL only when out of memory. */
json_t *hgc_cli_json_message(const ProtobufCMessage *m);
json_t *hgc_cli_json_vertex(const Hgc__V1__VertexId *id);
json_t *hgc_cli_json_value(const Hgc__V1__Value *v);

/* Prints `j` compact on one line and drops the reference. Returns 0, or
 * -1 if j is NULL (out of memory) or the write failed. */
int hgc_cli_json_print(FILE *f, json_t *j);

#endif
