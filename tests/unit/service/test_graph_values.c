/* The graph store's value conversions (service/graph_values.c) and the
 * version folder names GC and recovery go by (data_dir.c). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "data_dir.h"
#include "graph_values.h"
#include "hgc/v1/graphs.pb-c.h"

static char msg[256];

Test(graph_values, utf8)
{
    cr_expect(hgc_utf8_valid("plain", 5));
    cr_expect(hgc_utf8_valid("\xe6\x97\xa5\xe6\x9c\xac \xc3\xbc \xf0\x9f\x98\x80", 14));
    cr_expect(!hgc_utf8_valid("\xff", 1));
    cr_expect(!hgc_utf8_valid("\xc3", 1), "truncated sequence");
    cr_expect(!hgc_utf8_valid("\xc0\xaf", 2), "overlong");
    cr_expect(!hgc_utf8_valid("\xed\xa0\x80", 3), "surrogate");
    cr_expect(!hgc_utf8_valid("\xf4\x90\x80\x80", 4), "above U+10FFFF");
}

Test(graph_values, value_types)
{
    Hgc__V1__Value v = HGC__V1__VALUE__INIT;
    algo_prop_value p;
    v.kind_case = HGC__V1__VALUE__KIND_NUMBER;
    v.number = 2.5;
    cr_assert_eq(svc_value_to_prop(&p, &v, "k", msg), 0);
    cr_expect(p.type == ALGO_PROP_DOUBLE && p.d == 2.5);
    v.kind_case = HGC__V1__VALUE__KIND_INTEGER;
    v.integer = INT64_MIN;
    cr_assert_eq(svc_value_to_prop(&p, &v, "k", msg), 0);
    cr_expect(p.type == ALGO_PROP_INT && p.i == INT64_MIN);
    v.kind_case = HGC__V1__VALUE__KIND_BOOLEAN;
    v.boolean = 1;
    cr_assert_eq(svc_value_to_prop(&p, &v, "k", msg), 0);
    cr_expect(p.type == ALGO_PROP_BOOL && p.i == 1);
    v.kind_case = HGC__V1__VALUE__KIND_TEXT;
    v.text = (char *)"hé";
    cr_assert_eq(svc_value_to_prop(&p, &v, "k", msg), 0);
    cr_expect(p.type == ALGO_PROP_STRING && p.len == 3 && memcmp(p.s, "hé", 3) == 0);
    v.text = (char *)"\xff";
    cr_expect_eq(svc_value_to_prop(&p, &v, "name", msg), -1);
    cr_expect(strstr(msg, "'name'") != NULL, "%s", msg);
    Hgc__V1__ValueList list = HGC__V1__VALUE_LIST__INIT;
    v.kind_case = HGC__V1__VALUE__KIND_LIST;
    v.list = &list;
    cr_expect_eq(svc_value_to_prop(&p, &v, "tags", msg), -1);
    cr_expect(strstr(msg, "property 'tags' is a list") != NULL, "%s", msg);
}

Test(graph_values, empty_key_refused)
{
    Hgc__V1__Value v = HGC__V1__VALUE__INIT;
    v.kind_case = HGC__V1__VALUE__KIND_INTEGER;
    Hgc__V1__Vertex__PropertiesEntry e = HGC__V1__VERTEX__PROPERTIES_ENTRY__INIT;
    e.key = (char *)"";
    e.value = &v;
    const void *entries[] = {&e};
    algo_prop out[1];
    cr_expect_eq(svc_props_from_proto(out, entries, 1, msg), -1);
    cr_expect(strstr(msg, "non-empty") != NULL, "%s", msg);
    e.key = (char *)"age";
    cr_assert_eq(svc_props_from_proto(out, entries, 1, msg), 0);
    cr_expect(out[0].key_len == 3 && out[0].value.type == ALGO_PROP_INT);
}

Test(graph_values, read_id_candidates)
{
    Hgc__V1__VertexId id = HGC__V1__VERTEX_ID__INIT;
    algo_vid c[2];
    char buf[64];
    id.kind_case = HGC__V1__VERTEX_ID__KIND_STR;
    id.str = (char *)"\"1:marko\"";
    cr_assert_eq(svc_vid_candidates(c, &id, buf, sizeof buf, msg), 1);
    cr_expect(c[0].is_str && c[0].len == 7 && memcmp(c[0].str, "1:marko", 7) == 0);
    id.str = (char *)"\"a\\u00e9\"";
    cr_assert_eq(svc_vid_candidates(c, &id, buf, sizeof buf, msg), 1);
    cr_expect(c[0].len == 3 && memcmp(c[0].str, "a\xc3\xa9", 3) == 0);
    /* Digits stay a string: {str: "7"} is never the number 7 (issue 11). */
    id.str = (char *)"-42";
    cr_assert_eq(svc_vid_candidates(c, &id, buf, sizeof buf, msg), 1);
    cr_expect(c[0].is_str && c[0].len == 3 && memcmp(c[0].str, "-42", 3) == 0);
    id.str = (char *)"7";
    cr_assert_eq(svc_vid_candidates(c, &id, buf, sizeof buf, msg), 1);
    cr_expect(c[0].is_str && c[0].len == 1 && c[0].str[0] == '7');
    id.kind_case = HGC__V1__VERTEX_ID__KIND_NUM;
    id.num = 7;
    cr_assert_eq(svc_vid_candidates(c, &id, buf, sizeof buf, msg), 1);
    cr_expect(!c[0].is_str && c[0].num == 7);
    id.kind_case = HGC__V1__VERTEX_ID__KIND_STR;
    id.str = (char *)"";
    cr_expect_eq(svc_vid_candidates(c, &id, buf, sizeof buf, msg), -1);
    id.kind_case = HGC__V1__VERTEX_ID__KIND__NOT_SET;
    cr_expect_eq(svc_vid_candidates(c, &id, buf, sizeof buf, msg), -1);
}

/* Issue 8: one id limit for writes and reads; a quoted form may be longer
 * than the id it names (every byte escaped: 6 * 512 + 2). */
Test(graph_values, id_limit_for_writes_and_reads)
{
    static char at_limit[SVC_ID_MAX_BYTES + 2], quoted[6 * SVC_ID_MAX_BYTES + 8];
    Hgc__V1__VertexId id = HGC__V1__VERTEX_ID__INIT;
    algo_vid v, c[2];
    char buf[SVC_ID_MAX_BYTES + 1];
    memset(at_limit, 'k', SVC_ID_MAX_BYTES);
    id.kind_case = HGC__V1__VERTEX_ID__KIND_STR;
    id.str = at_limit;
    cr_assert_eq(svc_vid_from_proto(&v, &id, msg), 0, "%s", msg);
    cr_expect_eq(v.len, SVC_ID_MAX_BYTES);
    cr_assert_eq(svc_vid_candidates(c, &id, buf, sizeof buf, msg), 1, "%s", msg);

    size_t o = 0;
    quoted[o++] = '"';
    for (int i = 0; i < SVC_ID_MAX_BYTES; i++)
        o += (size_t)snprintf(quoted + o, sizeof quoted - o, "\\u006b");
    quoted[o++] = '"';
    id.str = quoted;
    cr_assert_eq(svc_vid_candidates(c, &id, buf, sizeof buf, msg), 1, "%s", msg);
    cr_expect(c[0].is_str && c[0].len == SVC_ID_MAX_BYTES && memcmp(c[0].str, at_limit, 512) == 0);

    at_limit[SVC_ID_MAX_BYTES] = 'k'; /* one byte more */
    id.str = at_limit;
    cr_expect_eq(svc_vid_from_proto(&v, &id, msg), -1);
    cr_expect_str_eq(msg, "a string id may have at most 512 bytes (UTF-8), this one has 513");
    cr_expect_eq(svc_vid_candidates(c, &id, buf, sizeof buf, msg), -1);
    cr_expect_str_eq(msg, "a string id may have at most 512 bytes (UTF-8), this one has 513");
    quoted[o - 1] = '\0';
    strcat(quoted, "k\"");
    id.str = quoted;
    cr_expect_eq(svc_vid_candidates(c, &id, buf, sizeof buf, msg), -1);
    cr_expect_str_eq(msg, "a string id may have at most 512 bytes (UTF-8), this one has 513");
}

Test(graph_values, idmap_find)
{
    /* ids in file order: -5, 3, 70, "a", "ab", "b" */
    int64_t num[] = {-5, 3, 70, 0, 0, 0};
    uint64_t off[] = {0, 0, 0, 0, 1, 3, 4};
    algo_idmap ids = {.n = 6, .num = num, .str_off = off, .str = "aabb"};
    algo_vid v = {.is_str = 0, .num = 70};
    cr_expect_eq(algo_idmap_find(&ids, &v), 2);
    v.num = 4;
    cr_expect_eq(algo_idmap_find(&ids, &v), -1);
    v = (algo_vid){.is_str = 1, .str = "ab", .len = 2};
    cr_expect_eq(algo_idmap_find(&ids, &v), 4);
    v.len = 1;
    cr_expect_eq(algo_idmap_find(&ids, &v), 3);
    v = (algo_vid){.is_str = 1, .str = "b", .len = 1};
    cr_expect_eq(algo_idmap_find(&ids, &v), 5);
    v = (algo_vid){.is_str = 1, .str = "c", .len = 1};
    cr_expect_eq(algo_idmap_find(&ids, &v), -1);
}

Test(graph_values, edge_id)
{
    algo_vid s = {.is_str = 1, .str = "1:marko", .len = 7}, d = {.is_str = 0, .num = -3};
    char out[64];
    int n = svc_edge_id_format(out, sizeof out, &s, "knows", &d);
    cr_expect_str_eq(out, "1:marko>knows>-3");
    cr_expect_eq(n, (int)strlen(out));
    cr_expect_eq(svc_edge_id_format(NULL, 0, &s, "knows", &d), n);
    char small[5];
    svc_edge_id_format(small, sizeof small, &s, "knows", &d);
    cr_expect_str_eq(small, "1:ma");
}

Test(data_dir, version_names)
{
    cr_expect_eq(svc_version_of_name("v1"), 1);
    cr_expect_eq(svc_version_of_name("v123"), 123);
    cr_expect_eq(svc_version_of_name("v0"), -1);
    cr_expect_eq(svc_version_of_name("v01"), -1);
    cr_expect_eq(svc_version_of_name("v3.tmp"), -1);
    cr_expect_eq(svc_version_of_name("v3.hgcg"), -1);
    cr_expect_eq(svc_version_of_name("x3"), -1);
    cr_expect_eq(svc_version_of_name("v"), -1);
    cr_expect_eq(svc_version_of_name("v99999999999999999999"), -1);
}
