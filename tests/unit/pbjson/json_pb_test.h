/* json_pb_test.h: what the test_json_pb_*.c files on the hgc messages
 * share: JSON text to a jansson tree (asserting it parses), parsing text
 * into a new message of a given type (NULL with the refusal's sentence),
 * and comparing two messages by their packed bytes. Header-only (static
 * functions; each test file is one program).
 */
#ifndef TEST_JSON_PB_TEST_H
#define TEST_JSON_PB_TEST_H

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_pb.h"

/* text as a jansson tree (asserts that it parses). */
static inline json_t *J(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    cr_assert_not_null(j, "bad test JSON %s: %s", text, e.text);
    return j;
}

/* Parses text into a new message of type d; NULL (and err set) if refused. */
static inline ProtobufCMessage *parse_as(const ProtobufCMessageDescriptor *d, const char *text,
                                         const rest_json_rules *rules, char err[REST_MSG_MAX])
{
    json_t *j = J(text);
    ProtobufCMessage *m = rest_pb_new(d);
    cr_assert_not_null(m);
    err[0] = '\0';
    int rc = rest_json_to_pb(m, j, rules, err);
    json_decref(j);
    if (rc) {
        cr_assert_eq(rc, -1);
        cr_assert(err[0], "a refusal without a message");
        protobuf_c_message_free_unpacked(m, NULL);
        return NULL;
    }
    return m;
}

/* 1 if a and b pack to the same bytes. */
static inline int packed_equal(const ProtobufCMessage *a, const ProtobufCMessage *b)
{
    size_t na = protobuf_c_message_get_packed_size(a);
    size_t nb = protobuf_c_message_get_packed_size(b);
    uint8_t *pa = malloc(na + 1), *pb = malloc(nb + 1);
    protobuf_c_message_pack(a, pa);
    protobuf_c_message_pack(b, pb);
    int eq = na == nb && memcmp(pa, pb, na) == 0;
    free(pa);
    free(pb);
    return eq;
}

#endif
