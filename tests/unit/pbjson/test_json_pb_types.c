/* Every protobuf scalar type through the converter (pbjson/json_pb.h),
 * on a message described by hand here the way protoc-c would describe
 *   message AllTypes { int32 i32 = 1; ... map<bool, int32> flags = 26; }
 * (no .proto: the build compiles only the contract's). Round trips are
 * compared as packed bytes; ranges, set_text and map keys of every kind;
 * the text printer against the oracle (json_pb_ref.h) on random values
 * of every type, duplicate map keys of number and bool kinds.
 */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "json_pb.h"
#include "json_pb_ref.h"

/* ---- the hand-made descriptor ---- */

typedef enum { COLOR_RED = 0, COLOR_GREEN = 1, COLOR_BLUE = 2 } Color;

typedef struct CountsEntry {
    ProtobufCMessage base;
    int64_t key;
    char *value;
} CountsEntry;

typedef struct FlagsEntry {
    ProtobufCMessage base;
    protobuf_c_boolean key;
    int32_t value;
} FlagsEntry;

typedef struct AllTypes AllTypes;
struct AllTypes {
    ProtobufCMessage base;
    int32_t i32;
    int64_t i64;
    uint32_t u32;
    uint64_t u64;
    int32_t s32;
    int64_t s64;
    uint32_t f32;
    uint64_t f64;
    int32_t sf32;
    int64_t sf64;
    float fl;
    double db;
    protobuf_c_boolean b;
    char *s;
    ProtobufCBinaryData by;
    Color color;
    AllTypes *child;
    size_t n_ri64;
    int64_t *ri64;
    size_t n_rs;
    char **rs;
    size_t n_rchild;
    AllTypes **rchild;
    size_t n_counts;
    CountsEntry **counts;
    uint32_t pick_case;
    union {
        int64_t pick_num;
        char *pick_str;
    };
    size_t n_rdb;
    double *rdb;
    size_t n_rby;
    ProtobufCBinaryData *rby;
    size_t n_flags;
    FlagsEntry **flags;
};

static const ProtobufCEnumValue color_values[] = {
    {"RED", "COLOR_RED", 0}, {"GREEN", "COLOR_GREEN", 1}, {"BLUE", "COLOR_BLUE", 2}};
static const ProtobufCEnumValueIndex color_by_name[] = {{"BLUE", 2}, {"GREEN", 1}, {"RED", 0}};
static const ProtobufCIntRange color_ranges[] = {{0, 0}, {0, 3}};
static const ProtobufCEnumDescriptor color_desc = {PROTOBUF_C__ENUM_DESCRIPTOR_MAGIC,
                                                   "test.Color",
                                                   "Color",
                                                   "Color",
                                                   "test",
                                                   3,
                                                   color_values,
                                                   3,
                                                   color_by_name,
                                                   1,
                                                   color_ranges,
                                                   NULL,
                                                   NULL,
                                                   NULL,
                                                   NULL};

static const ProtobufCMessageDescriptor at_desc, counts_desc, flags_desc;

static void at_init(ProtobufCMessage *m)
{
    AllTypes *a = (AllTypes *)m;
    memset(a, 0, sizeof *a);
    a->base.descriptor = &at_desc;
    a->s = (char *)protobuf_c_empty_string;
}
static void counts_init(ProtobufCMessage *m)
{
    CountsEntry *e = (CountsEntry *)m;
    memset(e, 0, sizeof *e);
    e->base.descriptor = &counts_desc;
    e->value = (char *)protobuf_c_empty_string;
}
static void flags_init(ProtobufCMessage *m)
{
    memset(m, 0, sizeof(FlagsEntry));
    m->descriptor = &flags_desc;
}

#define FIELD(name, id, label, type, q, member, desc, def, flags)                                  \
    {                                                                                              \
        name, id, PROTOBUF_C_LABEL_##label, PROTOBUF_C_TYPE_##type, q, offsetof(AllTypes, member), \
            desc, def, flags, 0, NULL, NULL                                                        \
    }
#define ONE(name, id, type, member) FIELD(name, id, NONE, type, 0, member, NULL, NULL, 0)
#define REP(name, id, type, member, desc)                                                          \
    FIELD(name, id, REPEATED, type, offsetof(AllTypes, n_##member), member, desc, NULL, 0)
#define PICK(name, id, type, member)                                                               \
    FIELD(name, id, NONE, type, offsetof(AllTypes, pick_case), member, NULL, NULL,                 \
          PROTOBUF_C_FIELD_FLAG_ONEOF)

static const ProtobufCFieldDescriptor at_fields[] = {
    ONE("i32", 1, INT32, i32),
    ONE("i64", 2, INT64, i64),
    ONE("u32", 3, UINT32, u32),
    ONE("u64", 4, UINT64, u64),
    ONE("s32", 5, SINT32, s32),
    ONE("s64", 6, SINT64, s64),
    ONE("f32", 7, FIXED32, f32),
    ONE("f64", 8, FIXED64, f64),
    ONE("sf32", 9, SFIXED32, sf32),
    ONE("sf64", 10, SFIXED64, sf64),
    ONE("fl", 11, FLOAT, fl),
    ONE("db", 12, DOUBLE, db),
    ONE("b", 13, BOOL, b),
    FIELD("s", 14, NONE, STRING, 0, s, NULL, &protobuf_c_empty_string, 0),
    ONE("by", 15, BYTES, by),
    FIELD("color", 16, NONE, ENUM, 0, color, &color_desc, NULL, 0),
    FIELD("child", 17, NONE, MESSAGE, 0, child, &at_desc, NULL, 0),
    REP("ri64", 18, INT64, ri64, NULL),
    REP("rs", 19, STRING, rs, NULL),
    REP("rchild", 20, MESSAGE, rchild, &at_desc),
    REP("counts", 21, MESSAGE, counts, &counts_desc),
    PICK("pick_num", 22, INT64, pick_num),
    PICK("pick_str", 23, STRING, pick_str),
    REP("rdb", 24, DOUBLE, rdb, NULL),
    REP("rby", 25, BYTES, rby, NULL),
    REP("flags", 26, MESSAGE, flags, &flags_desc),
};
enum { N_AT = sizeof at_fields / sizeof at_fields[0] };
static unsigned at_by_name[N_AT];
static const ProtobufCIntRange at_ranges[] = {{1, 0}, {0, N_AT}};
static const ProtobufCMessageDescriptor at_desc = {PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC,
                                                   "test.AllTypes",
                                                   "AllTypes",
                                                   "AllTypes",
                                                   "test",
                                                   sizeof(AllTypes),
                                                   N_AT,
                                                   at_fields,
                                                   at_by_name,
                                                   1,
                                                   at_ranges,
                                                   at_init,
                                                   NULL,
                                                   NULL,
                                                   NULL};

static const ProtobufCFieldDescriptor counts_fields[] = {
    {"key", 1, PROTOBUF_C_LABEL_NONE, PROTOBUF_C_TYPE_INT64, 0, offsetof(CountsEntry, key), NULL,
     NULL, 0, 0, NULL, NULL},
    {"value", 2, PROTOBUF_C_LABEL_NONE, PROTOBUF_C_TYPE_STRING, 0, offsetof(CountsEntry, value),
     NULL, &protobuf_c_empty_string, 0, 0, NULL, NULL}};
static const ProtobufCFieldDescriptor flags_fields[] = {
    {"key", 1, PROTOBUF_C_LABEL_NONE, PROTOBUF_C_TYPE_BOOL, 0, offsetof(FlagsEntry, key), NULL,
     NULL, 0, 0, NULL, NULL},
    {"value", 2, PROTOBUF_C_LABEL_NONE, PROTOBUF_C_TYPE_INT32, 0, offsetof(FlagsEntry, value), NULL,
     NULL, 0, 0, NULL, NULL}};
static const unsigned kv_by_name[] = {0, 1};
static const ProtobufCIntRange kv_ranges[] = {{1, 0}, {0, 2}};
static const ProtobufCMessageDescriptor counts_desc = {PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC,
                                                       "test.AllTypes.CountsEntry",
                                                       "CountsEntry",
                                                       "AllTypes__CountsEntry",
                                                       "test",
                                                       sizeof(CountsEntry),
                                                       2,
                                                       counts_fields,
                                                       kv_by_name,
                                                       1,
                                                       kv_ranges,
                                                       counts_init,
                                                       NULL,
                                                       NULL,
                                                       NULL};
static const ProtobufCMessageDescriptor flags_desc = {PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC,
                                                      "test.AllTypes.FlagsEntry",
                                                      "FlagsEntry",
                                                      "AllTypes__FlagsEntry",
                                                      "test",
                                                      sizeof(FlagsEntry),
                                                      2,
                                                      flags_fields,
                                                      kv_by_name,
                                                      1,
                                                      kv_ranges,
                                                      flags_init,
                                                      NULL,
                                                      NULL,
                                                      NULL};

static int by_name_cmp(const void *a, const void *b)
{
    return strcmp(at_fields[*(const unsigned *)a].name, at_fields[*(const unsigned *)b].name);
}

static void setup(void)
{
    for (unsigned i = 0; i < N_AT; i++)
        at_by_name[i] = i;
    qsort(at_by_name, N_AT, sizeof at_by_name[0], by_name_cmp);
}

TestSuite(types, .init = setup);

/* ---- helpers ---- */

static AllTypes *at_new(void)
{
    AllTypes *a = (AllTypes *)rest_pb_new(&at_desc);
    cr_assert_not_null(a);
    return a;
}

static AllTypes *parse(const char *text, char err[REST_MSG_MAX])
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    cr_assert_not_null(j, "bad test JSON %s: %s", text, je.text);
    AllTypes *a = at_new();
    int rc = rest_json_to_pb(&a->base, j, NULL, err);
    json_decref(j);
    if (rc) {
        protobuf_c_message_free_unpacked(&a->base, NULL);
        return NULL;
    }
    return a;
}

static uint8_t *pack(const ProtobufCMessage *m, size_t *n)
{
    *n = protobuf_c_message_get_packed_size(m);
    uint8_t *buf = malloc(*n + 1);
    protobuf_c_message_pack(m, buf);
    return buf;
}

/* m -> JSON text -> message: same packed bytes, same text. */
static void round_trip(const ProtobufCMessage *m)
{
    char err[REST_MSG_MAX];
    json_t *j = rest_pb_to_json(m);
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    AllTypes *back = parse(text, err);
    cr_assert_not_null(back, "refused its own JSON %s: %s", text, err);
    size_t na, nb;
    uint8_t *pa = pack(m, &na), *pb = pack(&back->base, &nb);
    cr_assert(na == nb && memcmp(pa, pb, na) == 0, "round trip changed %s", text);
    j = rest_pb_to_json(&back->base);
    char *again = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    cr_assert_str_eq(again, text);
    free(again);
    free(pa);
    free(pb);
    free(text);
    protobuf_c_message_free_unpacked(&back->base, NULL);
}

/* ---- tests ---- */

Test(types, every_scalar_round_trips_at_its_limits)
{
    AllTypes *a = at_new();
    round_trip(&a->base); /* all zero */
    a->i32 = INT32_MIN;
    a->i64 = INT64_MIN;
    a->u32 = UINT32_MAX;
    a->u64 = UINT64_MAX;
    a->s32 = INT32_MAX;
    a->s64 = INT64_MAX;
    a->f32 = UINT32_MAX;
    a->f64 = (uint64_t)INT64_MAX + 1;
    a->sf32 = -1;
    a->sf64 = INT64_MIN;
    a->fl = FLT_MAX;
    a->db = -DBL_MAX;
    a->b = 1;
    a->color = COLOR_BLUE;
    round_trip(&a->base);
    a->fl = 0.1f;
    a->db = 5e-324;
    a->u64 = 12345;
    round_trip(&a->base);
    a->fl = -FLT_MIN / 4; /* subnormal */
    a->db = 0.15;
    round_trip(&a->base);
    protobuf_c_message_free_unpacked(&a->base, NULL);

    /* As unpacked from the wire too (every string malloc'd). */
    char err[REST_MSG_MAX];
    a = parse("{\"s\":\"h\xc3\xa9\",\"by\":\"AP8=\",\"rs\":[\"\",\"x\"],\"ri64\":[-1,0,1],"
              "\"rdb\":[0.5,1e300],\"rby\":[\"\",\"AA==\"],\"pick_str\":\"p\","
              "\"child\":{\"i32\":1,\"child\":{\"s\":\"deep\"}},\"rchild\":[{},{\"b\":true}],"
              "\"counts\":{\"-5\":\"a\",\"7\":\"b\"},\"flags\":{\"true\":1,\"false\":-2}}",
              err);
    cr_assert_not_null(a, "%s", err);
    round_trip(&a->base);
    size_t n;
    uint8_t *buf = pack(&a->base, &n);
    ProtobufCMessage *u = protobuf_c_message_unpack(&at_desc, NULL, n, buf);
    cr_assert_not_null(u);
    round_trip(u);
    free(buf);
    protobuf_c_message_free_unpacked(u, NULL);
    protobuf_c_message_free_unpacked(&a->base, NULL);
}

Test(types, printed_forms)
{
    AllTypes *a = at_new();
    a->fl = 0.1f;
    a->u64 = UINT64_MAX;
    a->f64 = 5;
    a->color = COLOR_GREEN;
    a->pick_case = 22;
    a->pick_num = 0;
    json_t *j = rest_pb_to_json(&a->base);
    /* 0.1f prints as 0.1, not 0.10000000149011612. */
    cr_assert_eq(json_real_value(json_object_get(j, "fl")), 0.1);
    cr_assert_str_eq(json_string_value(json_object_get(j, "u64")), "18446744073709551615");
    cr_assert_eq(json_integer_value(json_object_get(j, "f64")), 5);
    cr_assert_str_eq(json_string_value(json_object_get(j, "color")), "GREEN");
    cr_assert(json_is_null(json_object_get(j, "child")));
    cr_assert_eq(json_integer_value(json_object_get(j, "pick_num")), 0);
    cr_assert_null(json_object_get(j, "pick_str"));
    cr_assert(json_is_object(json_object_get(j, "counts")));
    cr_assert_eq(json_object_size(j), N_AT - 1);
    json_decref(j);
    /* An enum value the descriptor doesn't know prints as its number. */
    a->color = 9;
    j = rest_pb_to_json(&a->base);
    cr_assert_eq(json_integer_value(json_object_get(j, "color")), 9);
    json_decref(j);
    a->db = INFINITY;
    a->fl = -INFINITY;
    j = rest_pb_to_json(&a->base);
    cr_assert(json_is_null(json_object_get(j, "db")));
    cr_assert(json_is_null(json_object_get(j, "fl")));
    json_decref(j);
    protobuf_c_message_free_unpacked(&a->base, NULL);
}

Test(types, ranges_of_every_integer_type)
{
    static const struct {
        const char *field, *ok[4], *bad[4];
    } cases[] = {
        {"i32",
         {"-2147483648", "2147483647", "\"-0\"", "1e9"},
         {"2147483648", "\"2147483648\"", "-2147483649", "2.5"}},
        {"s32",
         {"-2147483648", "\"2147483647\"", "0", "-1"},
         {"\"-2147483649\"", "1e10", "\"1.5\"", "\"abc\""}},
        {"sf32", {"-1", "\"+7\"", "2e1", "\"007\""}, {"2147483648", "true", "[]", "\"\""}},
        {"u32",
         {"0", "4294967295", "\"4294967295\"", "\"-0\""},
         {"-1", "\"-1\"", "4294967296", "\"4294967296\""}},
        {"f32", {"0", "4294967295", "\"1e3\"", "1.0"}, {"-1", "4294967296", "0.5", "\"x\""}},
        {"i64",
         {"\"9223372036854775807\"", "\"-9223372036854775808\"", "9223372036854775807",
          "-9223372036854775808"},
         {"\"9223372036854775808\"", "\"-9223372036854775809\"", "9.3e18", "\"NaN\""}},
        {"s64",
         {"\"9223372036854775807\"", "1", "-1", "\"1e18\""},
         {"\"9223372036854775808\"", "1e19", "\"Infinity\"", "\"0x1\""}},
        {"sf64",
         {"\"-9223372036854775808\"", "0", "1e15", "\"12\""},
         {"\"-9223372036854775809\"", "-1e19", "1.5", "false"}},
        {"u64",
         {"\"18446744073709551615\"", "9223372036854775807", "0", "\"1.8e19\""},
         {"\"18446744073709551616\"", "-1", "\"-1\"", "1.9e19"}},
        {"f64",
         {"\"18446744073709551615\"", "1", "\"0\"", "\"1e19\""},
         {"\"18446744073709551616\"", "-5", "\"-5\"", "\"1e20\""}},
    };
    char err[REST_MSG_MAX], text[128];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int k = 0; k < 4; k++) {
            snprintf(text, sizeof text, "{\"%s\":%s}", cases[i].field, cases[i].ok[k]);
            AllTypes *a = parse(text, err);
            cr_assert_not_null(a, "refused %s: %s", text, err);
            protobuf_c_message_free_unpacked(&a->base, NULL);
            snprintf(text, sizeof text, "{\"%s\":%s}", cases[i].field, cases[i].bad[k]);
            cr_assert_null(parse(text, err), "accepted %s", text);
            cr_assert(strncmp(err, "field '", 7) == 0 && strstr(err, "must be a whole number"),
                      "%s", err);
        }
    }
    AllTypes *a =
        parse("{\"u64\":\"18446744073709551615\",\"f64\":\"1.8e19\",\"sf32\":\"007\"}", err);
    cr_assert_not_null(a, "%s", err);
    cr_assert_eq(a->u64, UINT64_MAX);
    cr_assert_eq(a->f64, 18000000000000000000u);
    cr_assert_eq(a->sf32, 7);
    protobuf_c_message_free_unpacked(&a->base, NULL);
    cr_assert_null(parse("{\"u32\":-1}", err));
    cr_assert_str_eq(err, "field 'u32' must be a whole number from 0 to 4294967295, got -1");
}

Test(types, floating_and_bool_and_enum_and_bytes)
{
    char err[REST_MSG_MAX];
    AllTypes *a = parse("{\"db\":\"0.15\",\"fl\":\"-2.5e3\",\"b\":\"false\",\"color\":\"blue\","
                        "\"by\":\"aGk\"}",
                        err);
    cr_assert_not_null(a, "%s", err);
    cr_assert_eq(a->db, 0.15);
    cr_assert_eq(a->fl, -2500.0f);
    cr_assert_eq(a->b, 0);
    cr_assert_eq(a->color, COLOR_BLUE);
    cr_assert_eq(a->by.len, 2);
    cr_assert(memcmp(a->by.data, "hi", 2) == 0);
    protobuf_c_message_free_unpacked(&a->base, NULL);

    a = parse("{\"db\":7,\"fl\":3.4e38,\"b\":true,\"color\":2}", err);
    cr_assert_not_null(a, "%s", err);
    cr_assert_eq(a->db, 7.0);
    protobuf_c_message_free_unpacked(&a->base, NULL);

    static const char *bad[][2] = {
        {"{\"db\":\"NaN\"}", "field 'db' must be a number, got \"NaN\""},
        {"{\"db\":\"Infinity\"}", NULL},
        {"{\"db\":\"-Infinity\"}", NULL},
        {"{\"db\":\"inf\"}", NULL},
        {"{\"db\":\"1e999\"}", NULL},
        {"{\"db\":\"0x1p3\"}", NULL},
        {"{\"db\":\"1.\"}", NULL}, /* not in JSON's grammar, but harmless: see below */
        {"{\"db\":true}", "field 'db' must be a number, got true"},
        {"{\"fl\":3.5e38}", "field 'fl' must be a number from -3.40282e+38 to 3.40282e+38, "
                            "got 3.5e+38"},
        {"{\"b\":\"yes\"}", "field 'b' must be true or false, got \"yes\""},
        {"{\"b\":0}", NULL},
        {"{\"color\":\"PURPLE\"}", "field 'color' must be one of RED, GREEN, BLUE, got \"PURPLE\""},
        {"{\"color\":3}", NULL},
        {"{\"color\":true}", NULL},
        {"{\"by\":\"a$==\"}", "field 'by' must be base64 text, got \"a$==\""},
        {"{\"by\":\"a\"}", NULL},
        {"{\"by\":\"aGk=a\"}", NULL},
        {"{\"by\":[1]}", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        a = parse(bad[i][0], err);
        if (i == 6) { /* "1." reads as 1: a number as text, leniently */
            cr_assert_not_null(a, "%s", err);
            cr_assert_eq(a->db, 1.0);
            protobuf_c_message_free_unpacked(&a->base, NULL);
            continue;
        }
        cr_assert_null(a, "accepted %s", bad[i][0]);
        if (bad[i][1])
            cr_assert_str_eq(err, bad[i][1]);
    }
}

Test(types, repeated_takes_one_value_and_appends)
{
    char err[REST_MSG_MAX];
    AllTypes *a = parse("{\"ri64\":\"5\",\"rs\":\"7\",\"rdb\":[1,\"2.5\"],\"rby\":\"AA==\","
                        "\"rchild\":{\"i32\":3}}",
                        err);
    cr_assert_not_null(a, "%s", err);
    cr_assert_eq(a->n_ri64, 1);
    cr_assert_eq(a->ri64[0], 5);
    cr_assert_str_eq(a->rs[0], "7");
    cr_assert_eq(a->rdb[1], 2.5);
    cr_assert_eq(a->rby[0].len, 1);
    cr_assert_eq(a->rchild[0]->i32, 3);
    json_t *more = json_loads("{\"ri64\":[6,7],\"rs\":[\"true\",\"1.5\"]}", 0, NULL);
    cr_assert_eq(rest_json_to_pb(&a->base, more, NULL, err), 0, "%s", err);
    json_decref(more);
    cr_assert_eq(a->n_ri64, 3);
    cr_assert_eq(a->ri64[2], 7);
    cr_assert_eq(a->n_rs, 3);
    cr_assert_str_eq(a->rs[1], "true");
    cr_assert_str_eq(a->rs[2], "1.5");
    protobuf_c_message_free_unpacked(&a->base, NULL);

    cr_assert_null(parse("{\"ri64\":[1,\"x\"]}", err));
    cr_assert_str_eq(err, "field 'ri64[1]' must be a whole number from -9223372036854775808 to "
                          "9223372036854775807, got \"x\"");
    cr_assert_null(parse("{\"rchild\":[{},{\"child\":{\"u32\":-1}}]}", err));
    cr_assert_str_eq(err, "field 'rchild[1].child.u32' must be a whole number from 0 to "
                          "4294967295, got -1");
}

Test(types, maps_with_number_and_bool_keys)
{
    char err[REST_MSG_MAX];
    AllTypes *a = parse("{\"counts\":{\"7\":\"a\",\"-5\":6,\"07\":\"c\",\"x\":null},"
                        "\"flags\":{\"TRUE\":\"1\",\"false\":2,\"true\":3}}",
                        err);
    cr_assert_not_null(a, "%s", err);
    /* "7" and "07" are one key: the later one wins. */
    cr_assert_eq(a->n_counts, 2);
    cr_assert_eq(a->counts[0]->key, -5);
    cr_assert_str_eq(a->counts[0]->value, "6");
    cr_assert_eq(a->counts[1]->key, 7);
    cr_assert_str_eq(a->counts[1]->value, "c");
    cr_assert_eq(a->n_flags, 2);
    cr_assert_eq(a->flags[0]->key, 0);
    cr_assert_eq(a->flags[1]->key, 1);
    cr_assert_eq(a->flags[1]->value, 3);
    json_t *j = rest_pb_to_json(&a->base);
    char *s = json_dumps(json_object_get(j, "counts"), JSON_COMPACT);
    cr_assert_str_eq(s, "{\"-5\":\"6\",\"7\":\"c\"}");
    free(s);
    s = json_dumps(json_object_get(j, "flags"), JSON_COMPACT);
    cr_assert_str_eq(s, "{\"false\":2,\"true\":3}");
    free(s);
    json_decref(j);
    round_trip(&a->base);
    protobuf_c_message_free_unpacked(&a->base, NULL);

    cr_assert_null(parse("{\"counts\":{\"seven\":\"a\"}}", err));
    cr_assert_str_eq(err, "field 'counts.seven' must be a whole number from "
                          "-9223372036854775808 to 9223372036854775807, got \"seven\"");
    cr_assert_null(parse("{\"counts\":[\"a\"]}", err));
    cr_assert_str_eq(err, "field 'counts' must be an object, got an array");
    cr_assert_null(parse("{\"flags\":{\"true\":\"x\"}}", err));
    cr_assert_str_eq(err, "field 'flags.true' must be a whole number from -2147483648 to "
                          "2147483647, got \"x\"");
}

Test(types, oneof_members_replace_each_other)
{
    char err[REST_MSG_MAX];
    AllTypes *a = parse("{\"pick_str\":\"one\",\"pick_num\":0}", err);
    cr_assert_not_null(a, "%s", err);
    cr_assert_eq(a->pick_case, 22);
    cr_assert_eq(a->pick_num, 0);
    cr_assert_eq(rest_pb_set_text(&a->base, "pick_str", "two", err), 0);
    cr_assert_eq(rest_pb_set_text(&a->base, "pick_str", "three", err), 0);
    cr_assert_eq(a->pick_case, 23);
    cr_assert_str_eq(a->pick_str, "three");
    round_trip(&a->base);
    /* A failed value leaves the set member alone. */
    cr_assert_eq(rest_pb_set_text(&a->base, "pick_num", "x", err), -1);
    cr_assert_eq(a->pick_case, 23);
    protobuf_c_message_free_unpacked(&a->base, NULL); /* ASan: nothing leaked */
}

Test(types, set_text_every_type)
{
    static const struct {
        const char *field, *text;
    } ok[] = {{"i32", "-2147483648"}, {"i64", "-9223372036854775808"},
              {"u32", "4294967295"},  {"u64", "18446744073709551615"},
              {"s32", "+5"},          {"s64", "1e3"},
              {"f32", "12"},          {"f64", "13"},
              {"sf32", "-14"},        {"sf64", "15"},
              {"fl", "0.5"},          {"db", "0.15"},
              {"b", "true"},          {"s", "RUNNING"},
              {"by", "aGk="},         {"color", "GREEN"},
              {"ri64", "7"},          {"ri64", "8"},
              {"rs", "a b"},          {"pick_num", "9"},
              {"rdb", "-0.5"},        {"rby", ""},
              {"s", "again"},         {"b", "FALSE"},
              {"color", "2"}};
    static const struct {
        const char *field, *text;
    } bad[] = {{"i32", "2147483648"}, {"i64", "9223372036854775808"},
               {"u32", "-1"},         {"u64", "-1"},
               {"s32", "abc"},        {"s64", "1.5"},
               {"f32", "4294967296"}, {"f64", "x"},
               {"sf32", ""},          {"sf64", "1e19"},
               {"fl", "1e39"},        {"db", "NaN"},
               {"db", "Infinity"},    {"b", "1"},
               {"by", "%%%"},         {"color", "PINK"},
               {"ri64", "x"},         {"child", "x"},
               {"counts", "a=b"},     {"s", "\xc3\x28"}};
    char err[REST_MSG_MAX];
    AllTypes *a = at_new();
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        cr_assert_eq(rest_pb_set_text(&a->base, ok[i].field, ok[i].text, err), 0, "%s=%s: %s",
                     ok[i].field, ok[i].text, err);
    cr_assert_eq(a->i32, INT32_MIN);
    cr_assert_eq(a->i64, INT64_MIN);
    cr_assert_eq(a->u32, UINT32_MAX);
    cr_assert_eq(a->u64, UINT64_MAX);
    cr_assert_eq(a->s32, 5);
    cr_assert_eq(a->s64, 1000);
    cr_assert_eq(a->f32, 12);
    cr_assert_eq(a->f64, 13);
    cr_assert_eq(a->sf32, -14);
    cr_assert_eq(a->sf64, 15);
    cr_assert_eq(a->fl, 0.5f);
    cr_assert_eq(a->db, 0.15);
    cr_assert_eq(a->b, 0);
    cr_assert_str_eq(a->s, "again");
    cr_assert_eq(a->by.len, 2);
    cr_assert_eq(a->color, COLOR_BLUE);
    cr_assert_eq(a->n_ri64, 2);
    cr_assert_eq(a->ri64[1], 8);
    cr_assert_str_eq(a->rs[0], "a b");
    cr_assert_eq(a->pick_case, 22);
    cr_assert_eq(a->pick_num, 9);
    cr_assert_eq(a->rdb[0], -0.5);
    cr_assert_eq(a->n_rby, 1);
    cr_assert_eq(a->rby[0].len, 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        cr_assert_eq(rest_pb_set_text(&a->base, bad[i].field, bad[i].text, err), -1, "%s=%s",
                     bad[i].field, bad[i].text);
        cr_assert(strstr(err, bad[i].field), "%s", err);
    }
    /* Refusals changed nothing. */
    cr_assert_eq(a->i32, INT32_MIN);
    cr_assert_eq(a->n_ri64, 2);
    cr_assert_str_eq(a->s, "again");
    cr_assert_eq(rest_pb_set_text(&a->base, "nope", "1", err), -2);
    round_trip(&a->base);
    protobuf_c_message_free_unpacked(&a->base, NULL);
}

/* ---- the text printer on every type (oracle: json_pb_ref.h) ---- */

static uint64_t rnd_state = 0x243F6A8885A308D3u;
static uint64_t rnd(void)
{
    rnd_state ^= rnd_state >> 12;
    rnd_state ^= rnd_state << 25;
    rnd_state ^= rnd_state >> 27;
    return rnd_state * 0x2545F4914F6CDD1Du;
}

static char *rnd_text(void)
{
    static const char *const texts[] = {"", "x", "a\"b", "\x01\n", "\xc3\xa9", "\xff", "7"};
    return strdup(texts[rnd() % (sizeof texts / sizeof texts[0])]);
}

/* Fills a with random values of every field; children down to depth. */
static void at_fill(AllTypes *a, int depth)
{
    uint64_t r = rnd();
    a->i32 = (int32_t)r;
    a->i64 = (int64_t)rnd();
    a->u32 = (uint32_t)(r >> 32);
    a->u64 = rnd() >> (rnd() % 2); /* half of them over INT64_MAX */
    a->s32 = -(int32_t)(r & 0xffff);
    a->s64 = rnd() % 2 ? INT64_MIN : INT64_MAX;
    a->f32 = (uint32_t)rnd();
    a->f64 = rnd();
    a->sf32 = (int32_t)rnd();
    a->sf64 = (int64_t)rnd();
    uint32_t fb = (uint32_t)rnd();
    memcpy(&a->fl, &fb, sizeof a->fl); /* any float: NaN, inf, subnormal */
    uint64_t db = rnd();
    memcpy(&a->db, &db, sizeof a->db);
    a->b = (protobuf_c_boolean)(r & 1);
    a->color = (Color)(rnd() % 5); /* 3 and 4: no name */
    a->s = rnd_text();
    a->by.len = rnd() % 7;
    a->by.data = malloc(a->by.len + 1);
    for (size_t i = 0; i < a->by.len; i++)
        a->by.data[i] = (uint8_t)rnd();
    a->n_ri64 = rnd() % 4;
    a->ri64 = malloc((a->n_ri64 + 1) * sizeof *a->ri64);
    for (size_t i = 0; i < a->n_ri64; i++)
        a->ri64[i] = (int64_t)rnd();
    a->n_rs = rnd() % 3;
    a->rs = malloc((a->n_rs + 1) * sizeof *a->rs);
    for (size_t i = 0; i < a->n_rs; i++)
        a->rs[i] = rnd_text();
    a->n_rdb = rnd() % 4;
    a->rdb = malloc((a->n_rdb + 1) * sizeof *a->rdb);
    for (size_t i = 0; i < a->n_rdb; i++)
        a->rdb[i] = (double)(int64_t)rnd() / (double)(1 + rnd() % 1000);
    a->n_rby = rnd() % 3;
    a->rby = calloc(a->n_rby + 1, sizeof *a->rby);
    for (size_t i = 0; i < a->n_rby; i++) {
        a->rby[i].len = rnd() % 5;
        a->rby[i].data = malloc(a->rby[i].len + 1);
        memset(a->rby[i].data, (int)(rnd() & 0xff), a->rby[i].len);
    }
    if (rnd() % 2) {
        a->pick_case = 22;
        a->pick_num = (int64_t)rnd();
    } else if (rnd() % 2) {
        a->pick_case = 23;
        a->pick_str = rnd_text();
    }
    /* Maps with keys drawn from a few, so duplicates are common; over
     * 16 entries the printer sorts instead of scanning. */
    a->n_counts = rnd() % 2 ? rnd() % 6 : 17 + rnd() % 40;
    a->counts = malloc((a->n_counts + 1) * sizeof *a->counts);
    for (size_t i = 0; i < a->n_counts; i++) {
        CountsEntry *e = calloc(1, sizeof *e);
        e->base.descriptor = &counts_desc;
        e->key = rnd() % 8 ? (int64_t)(rnd() % 9) - 4 : INT64_MIN + (int64_t)(rnd() % 3);
        e->value = rnd_text();
        a->counts[i] = e;
    }
    a->n_flags = rnd() % 5;
    a->flags = malloc((a->n_flags + 1) * sizeof *a->flags);
    for (size_t i = 0; i < a->n_flags; i++) {
        FlagsEntry *e = calloc(1, sizeof *e);
        e->base.descriptor = &flags_desc;
        e->key = (protobuf_c_boolean)(rnd() % 2);
        e->value = (int32_t)rnd();
        a->flags[i] = e;
    }
    if (depth > 0 && rnd() % 2) {
        a->child = at_new();
        at_fill(a->child, depth - 1);
    }
    if (depth > 0) {
        a->n_rchild = rnd() % 3;
        a->rchild = malloc((a->n_rchild + 1) * sizeof *a->rchild);
        for (size_t i = 0; i < a->n_rchild; i++) {
            a->rchild[i] = at_new();
            at_fill(a->rchild[i], depth - 1);
        }
    }
}

Test(types, text_printer_matches_the_oracle_on_random_messages)
{
    for (int i = 0; i < 400; i++) {
        AllTypes *a = at_new();
        at_fill(a, 2);
        expect_same_text(&a->base);
        protobuf_c_message_free_unpacked(&a->base, NULL);
    }
    AllTypes *z = at_new();
    expect_same_text(&z->base); /* all zero */
    protobuf_c_message_free_unpacked(&z->base, NULL);
}
