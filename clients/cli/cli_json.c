/* cli_json.c: `hgc --json` output. Messages go through the project's one
 * protobuf -> JSON converter (pbjson/json_pb.h), so the CLI prints
 * exactly what the REST bridge prints: proto field names, every field,
 * 64-bit integers as numbers, ids and values bare. */
#include "cli_json.h"

#include "json_pb.h"

json_t *hgc_cli_json_message(const ProtobufCMessage *m)
{
    return rest_pb_to_json(m);
}

/* A nested VertexId or Value prints bare; print it inside a row and take
 * it out, so the rule lives in one place. */
static json_t *row_member(const Hgc__V1__VertexId *id, const Hgc__V1__Value *v, const char *key)
{
    Hgc__V1__ResultRow row = HGC__V1__RESULT_ROW__INIT;
    row.id = (Hgc__V1__VertexId *)id;
    row.value = (Hgc__V1__Value *)v;
    json_t *obj = rest_pb_to_json(&row.base);
    json_t *member = json_incref(json_object_get(obj, key));
    json_decref(obj);
    return member ? member : json_null();
}

json_t *hgc_cli_json_vertex(const Hgc__V1__VertexId *id)
{
    return row_member(id, NULL, "id");
}

json_t *hgc_cli_json_value(const Hgc__V1__Value *v)
{
    return row_member(NULL, v, "value");
}

int hgc_cli_json_print(FILE *f, json_t *j)
{
    if (j == NULL)
        return -1;
    int rc = json_dumpf(j, f, JSON_COMPACT | JSON_ENCODE_ANY) < 0 || fputc('\n', f) == EOF ? -1 : 0;
    json_decref(j);
    return rc;
}
