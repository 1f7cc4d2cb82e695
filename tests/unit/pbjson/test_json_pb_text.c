/* Tests of the direct text printer (rest_pb_to_json_text, json_pb_print.c
 * and the writers in json_pb_text.c) against the oracle of json_pb_ref.h,
 * the jansson-tree printer the bridge used before: on every message the
 * REST answers carry (tasks, lists of 0/1/100 with the page absent, null
 * or a token, result pages with every kind of id and value, graphs),
 * reals of every shape and thousands of random ones, strings of random
 * bytes, maps with duplicate and invalid keys, proto2 presence; and the
 * text buffer's ceiling and reuse. The answer must be byte for byte what
 * the bridge sent before (json_dumps(tree, JSON_COMPACT)), except that a
 * real that reads back from 15 digits prints in them (0.1, where jansson
 * prints 0.10000000000000001).
 */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "google/protobuf/descriptor.pb-c.h"
#include "google/protobuf/struct.pb-c.h"
#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "json_pb.h"
#include "json_pb_ref.h"

/* ---- helpers ---- */

/* The message as the bridge gets it: packed by the service, unpacked
 * here (strings at "" rather than NULL, arrays exactly sized). */
static ProtobufCMessage *repack(const ProtobufCMessage *m)
{
    size_t n = protobuf_c_message_get_packed_size(m);
    uint8_t *buf = malloc(n + 1);
    protobuf_c_message_pack(m, buf);
    ProtobufCMessage *u = protobuf_c_message_unpack(m->descriptor, NULL, n, buf);
    free(buf);
    cr_assert_not_null(u);
    return u;
}

/* Both the message as built and as unpacked from its bytes. */
static void expect_same_both(const ProtobufCMessage *m)
{
    expect_same_text(m);
    ProtobufCMessage *u = repack(m);
    expect_same_text(u);
    protobuf_c_message_free_unpacked(u, NULL);
}

/* xorshift64*: reproducible random numbers. */
static uint64_t rnd_state = 0x9E3779B97F4A7C15u;
static uint64_t rnd(void)
{
    rnd_state ^= rnd_state >> 12;
    rnd_state ^= rnd_state << 25;
    rnd_state ^= rnd_state >> 27;
    return rnd_state * 0x2545F4914F6CDD1Du;
}

static const char *const awkward[] = {
    "",
    "plain",
    "\"quoted\" and back\\slash",
    "\b\f\n\r\t",
    "\x01\x02\x1b\x1f \x7f",
    "/slash/ not escaped",
    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 \xe2\x80\xa8",
    "bad \xff byte",
    "cut \xe6\x97",
    "overlong \xc0\xaf, surrogate \xed\xa0\x80, too big \xf4\x90\x80\x80",
    "{\"alpha\":0.85,\"s\":\"x\\ny\"}",
};
#define N_AWKWARD (sizeof awkward / sizeof awkward[0])

static void fill_summary(Hgc__V1__TaskSummary *t, int64_t i)
{
    hgc__v1__task_summary__init(t);
    t->id = i + 1;
    t->task_type = (char *)"computer-proxy";
    t->task_name = (char *)"computer-proxy:page-rank";
    t->task_status = i % 3 ? (char *)"success" : (char *)"failed";
    t->task_progress = (int32_t)(i % 101);
    t->task_create = 1700000000000 + i;
    t->task_update = 1700000000000 + 2 * i;
    t->task_retries = (int32_t)(i % 2);
    t->task_server = i % 7 ? (char *)"server-1" : (char *)awkward[i % N_AWKWARD];
}

/* ---- the messages of the answers ---- */

Test(text, task_every_string_and_int64_extremes)
{
    for (size_t i = 0; i < N_AWKWARD; i++) {
        Hgc__V1__Task t = HGC__V1__TASK__INIT;
        t.id = i % 2 ? INT64_MAX : INT64_MIN;
        t.task_type = (char *)"computer-proxy";
        t.task_name = (char *)awkward[i];
        t.task_status = (char *)awkward[(i + 3) % N_AWKWARD];
        t.task_progress = i % 2 ? INT32_MIN : INT32_MAX;
        t.task_create = -1;
        t.task_update = 1700000000123;
        t.task_retries = (int32_t)i;
        t.task_server = NULL; /* a hand-built message may leave a string NULL: "" */
        t.task_input = (char *)awkward[N_AWKWARD - 1 - i];
        t.task_result = (char *)awkward[i];
        expect_same_text(&t.base);
    }
    Hgc__V1__Task z = HGC__V1__TASK__INIT;
    expect_same_both(&z.base);
}

Test(text, task_exact_bytes)
{
    /* One answer spelled out, so the oracle itself is pinned. */
    Hgc__V1__Task t = HGC__V1__TASK__INIT;
    t.id = -9223372036854775807 - 1;
    t.task_name = (char *)"a\"b\\c\x01\x1f\xc3\xa9\xff";
    t.task_progress = 100;
    rest_buf b;
    rest_buf_init(&b, 4096);
    cr_assert_eq(rest_pb_to_json_text(&b, &t.base), 0);
    cr_assert_str_eq(b.data, "{\"id\":-9223372036854775808,\"task_type\":\"\",\"task_name\":"
                             "\"a\\\"b\\\\c\\u0001\\u001F\xc3\xa9\xef\xbf\xbd\",\"task_status\":"
                             "\"\",\"task_progress\":100,\"task_create\":0,\"task_update\":0,"
                             "\"task_retries\":0,\"task_server\":\"\",\"task_input\":\"\","
                             "\"task_result\":\"\"}");
    rest_buf_release(&b);
}

Test(text, list_jobs_0_1_100_and_every_page_form)
{
    static Hgc__V1__TaskSummary sums[100];
    static Hgc__V1__TaskSummary *ptrs[100];
    for (int i = 0; i < 100; i++) {
        fill_summary(&sums[i], i);
        ptrs[i] = &sums[i];
    }
    static const size_t counts[] = {0, 1, 100};
    for (size_t c = 0; c < 3; c++) {
        for (int page = 0; page < 5; page++) {
            Hgc__V1__ListJobsResponse r = HGC__V1__LIST_JOBS_RESPONSE__INIT;
            Google__Protobuf__Value v = GOOGLE__PROTOBUF__VALUE__INIT;
            r.n_tasks = counts[c];
            r.tasks = ptrs;
            switch (page) {
            case 0: break; /* not asked: absent */
            case 1:        /* the end: null */
                v.kind_case = GOOGLE__PROTOBUF__VALUE__KIND_NULL_VALUE;
                break;
            case 2:
                v.kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE;
                v.string_value = (char *)"p100";
                break;
            case 3:
                v.kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE;
                v.string_value = (char *)"tok/+=\"\\\xe2\x82\xac";
                break;
            case 4: /* the member set, its Value unset: null */ break;
            }
            if (page) {
                r.page_present_case = HGC__V1__LIST_JOBS_RESPONSE__PAGE_PRESENT_PAGE;
                r.page = page == 4 ? NULL : &v;
            }
            if (page == 4)
                expect_same_text(&r.base); /* (protobuf-c cannot pack it) */
            else
                expect_same_both(&r.base);
        }
    }
}

Test(text, result_page_ids_and_every_value_kind)
{
    enum { N = 40 };
    Hgc__V1__VertexId ids[N];
    Hgc__V1__Value vals[N], items[4];
    Hgc__V1__ValueList list = HGC__V1__VALUE_LIST__INIT, empty = HGC__V1__VALUE_LIST__INIT;
    Hgc__V1__ResultRow rows[N];
    Hgc__V1__ResultRow *rp[N];
    Hgc__V1__Value *ip[4];
    for (int i = 0; i < 4; i++) {
        hgc__v1__value__init(&items[i]);
        ip[i] = &items[i];
    }
    items[0].kind_case = HGC__V1__VALUE__KIND_NUMBER;
    items[0].number = 0.5;
    items[1].kind_case = HGC__V1__VALUE__KIND_TEXT;
    items[1].text = (char *)"x\ny";
    items[2].kind_case = HGC__V1__VALUE__KIND_LIST;
    items[2].list = &empty;
    items[3].kind_case = HGC__V1__VALUE__KIND_INTEGER;
    items[3].integer = -3;
    list.n_items = 4;
    list.items = ip;

    static const double numbers[] = {0.85, 0.1,      1e-7,      1e21,   1e300,  -0.0,
                                     20.0, 1e16,     1e17,      1.5e17, 5e-324, DBL_MAX,
                                     NAN,  INFINITY, -INFINITY, 0.0,    -2.5,   123456789.125};
    const size_t n_numbers = sizeof numbers / sizeof numbers[0];
    for (int i = 0; i < N; i++) {
        hgc__v1__vertex_id__init(&ids[i]);
        hgc__v1__value__init(&vals[i]);
        hgc__v1__result_row__init(&rows[i]);
        if (i % 3 == 0) {
            ids[i].kind_case = HGC__V1__VERTEX_ID__KIND_STR;
            ids[i].str = (char *)awkward[(size_t)i % N_AWKWARD];
        } else if (i % 3 == 1) {
            ids[i].kind_case = HGC__V1__VERTEX_ID__KIND_NUM;
            ids[i].num = i % 2 ? INT64_MIN : INT64_MAX - i;
        } /* else: a VertexId with nothing set prints null */
        switch (i % 6) {
        case 0:
        case 1:
            vals[i].kind_case = HGC__V1__VALUE__KIND_NUMBER;
            vals[i].number = numbers[(size_t)i % n_numbers];
            break;
        case 2:
            vals[i].kind_case = HGC__V1__VALUE__KIND_INTEGER;
            vals[i].integer = i % 4 ? INT64_MIN : INT64_MAX;
            break;
        case 3:
            vals[i].kind_case = HGC__V1__VALUE__KIND_TEXT;
            vals[i].text = (char *)awkward[(size_t)i % N_AWKWARD];
            break;
        case 4:
            vals[i].kind_case = HGC__V1__VALUE__KIND_BOOLEAN;
            vals[i].boolean = i % 4 == 0;
            break;
        case 5:
            vals[i].kind_case = HGC__V1__VALUE__KIND_LIST;
            vals[i].list = &list;
            break;
        }
        rows[i].id = i == 7 ? NULL : &ids[i]; /* an unset message: null */
        rows[i].value = i == 8 ? NULL : &vals[i];
        rp[i] = &rows[i];
    }
    Hgc__V1__ResultPage p = HGC__V1__RESULT_PAGE__INIT;
    p.task_id = 42;
    p.algorithm = (char *)"page-rank";
    p.property = (char *)"r\xc3\xa4nk";
    p.total = INT64_MAX;
    p.n_rows = N;
    p.rows = rp;
    expect_same_both(&p.base);

    /* Every double on its own, each as a whole answer. */
    for (size_t i = 0; i < n_numbers; i++) {
        Hgc__V1__ResultRow r = HGC__V1__RESULT_ROW__INIT;
        Hgc__V1__Value v = HGC__V1__VALUE__INIT;
        v.kind_case = HGC__V1__VALUE__KIND_NUMBER;
        v.number = numbers[i];
        r.value = &v;
        expect_same_text(&r.base);
    }
}

/* A real that reads back from 15 significant digits prints in them, as a
 * person wrote it, not in jansson's 17 (0.10000000000000001); others in
 * 17; a subnormal in its fewest. */
Test(text, reals_in_15_digits_where_they_read_back)
{
    static const struct {
        double d;
        const char *text;
    } cases[] = {
        {0.1, "0.1"},
        {0.85, "0.85"},
        {1e-7, "1e-7"},
        {1.5e300, "1.5e300"},
        {-2.5e-5, "-2.5e-5"},
        {123456.789012345, "123456.789012345"},
        {1.0 / 3.0, "0.33333333333333331"},
        {0.16974700820391631, "0.16974700820391631"},
        {0.99999999999999989, "0.99999999999999989"},
        {0.1 + 0.2, "0.30000000000000004"},
        {DBL_MAX, "1.7976931348623157e308"},
        {DBL_MIN, "2.2250738585072014e-308"},
        {4.9406564584124654e-324, "5e-324"},
        {20.0, "20.0"},
        {1e17, "1e17"},
        {1e16, "10000000000000000.0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Hgc__V1__Value v = HGC__V1__VALUE__INIT;
        v.kind_case = HGC__V1__VALUE__KIND_NUMBER;
        v.number = cases[i].d;
        Hgc__V1__ResultRow row = HGC__V1__RESULT_ROW__INIT;
        row.value = &v;
        char want[80];
        snprintf(want, sizeof want, "{\"id\":null,\"value\":%s}", cases[i].text);
        rest_buf b;
        rest_buf_init(&b, SIZE_MAX);
        cr_assert_eq(rest_pb_to_json_text(&b, &row.base), 0);
        cr_assert_str_eq(b.data, want, "%.17g: %s", cases[i].d, b.data);
        rest_buf_release(&b);
    }
}

/* Reals are where a hand-written printer drifts: random bit patterns
 * (every exponent), random whole numbers around the 1e16/1e17 and 2^53
 * edges, values with few digits, and numbers of up to 15 digits at any
 * scale (each must come back in its 15-digit text). */
Test(text, random_reals_against_the_oracle)
{
    enum { N = 20000 };
    Hgc__V1__Value *vals = calloc(N, sizeof *vals);
    Hgc__V1__Value **vp = calloc(N, sizeof *vp);
    Hgc__V1__ValueList list = HGC__V1__VALUE_LIST__INIT;
    for (size_t i = 0; i < N; i++) {
        double d;
        uint64_t r = rnd();
        char text[40];
        switch (i % 6) {
        case 0: memcpy(&d, &r, sizeof d); break;
        case 5: /* up to 15 digits, as a person writes them, at any scale */
            snprintf(text, sizeof text, "%llue%d", (unsigned long long)(r % 1000000000000000u) + 1,
                     (int)(r >> 50) % 600 - 300);
            d = strtod(text, NULL);
            break;
        case 1: d = (double)(int64_t)(r % 200000000000000000u) - 1e17; break;
        case 2: d = ldexp((double)(r % 1000), (int)(r >> 54) % 120 - 60); break;
        case 3: d = (double)(int64_t)(r % 10000) / 100.0; break;
        default: d = (double)((r % 9007199254740993u) + (i % 2 ? 0 : 9007199254740992u)); break;
        }
        if (r & 1u << 20)
            d = -d;
        hgc__v1__value__init(&vals[i]);
        vals[i].kind_case = HGC__V1__VALUE__KIND_NUMBER;
        vals[i].number = d; /* NaN and inf too: null */
        vp[i] = &vals[i];
    }
    list.n_items = N;
    list.items = vp;
    Hgc__V1__Value top = HGC__V1__VALUE__INIT;
    top.kind_case = HGC__V1__VALUE__KIND_LIST;
    top.list = &list;
    Hgc__V1__ResultRow row = HGC__V1__RESULT_ROW__INIT;
    row.value = &top;
    expect_same_text(&row.base);
    free(vals);
    free(vp);
}

Test(text, random_bytes_as_strings)
{
    char buf[64];
    for (int i = 0; i < 3000; i++) {
        size_t n = rnd() % (sizeof buf - 1);
        for (size_t k = 0; k < n; k++) {
            static const char special[] = "\"\\/\x7f\xc3\xa9\xe2\x82\xf0\x9f\x80\xed\xc0";
            uint64_t r = rnd();
            /* Mostly bytes that matter: controls, quotes, UTF-8 leads. */
            if (r % 4 == 0)
                buf[k] = (char)((r >> 8) % 0x20);
            else if (r % 4 == 1)
                buf[k] = special[(r >> 8) % (sizeof special - 1)];
            else
                buf[k] = (char)((r >> 8) & 0xff);
            if (!buf[k])
                buf[k] = 'z';
        }
        buf[n] = '\0';
        Hgc__V1__JobReply j = HGC__V1__JOB_REPLY__INIT;
        j.task_id = (int64_t)rnd();
        j.message = buf;
        expect_same_text(&j.base);
    }
}

Test(text, graph_and_list_of_graphs)
{
    Hgc__V1__Graph g = HGC__V1__GRAPH__INIT;
    expect_same_both(&g.base);
    g.name = (char *)"hugegraph \xe4\xba\xba";
    g.vertices = 6;
    g.edges = INT64_MAX;
    g.version = 3;
    g.created = 1700000000000;
    g.updated = INT64_MIN;
    g.size_bytes = 123456;
    g.weighted = 1;
    expect_same_both(&g.base);
    Hgc__V1__Graph *gs[] = {&g, &g, &g};
    Hgc__V1__ListGraphsResponse lg = HGC__V1__LIST_GRAPHS_RESPONSE__INIT;
    expect_same_both(&lg.base);
    lg.n_graphs = 3;
    lg.graphs = gs;
    expect_same_both(&lg.base);
}

/* A key seen twice prints once, at its first place, with its last value
 * (what jansson's object did); keys that fix to the same text (bad
 * UTF-8) are one key. Small maps and big ones take different paths. */
Test(text, maps_with_duplicate_and_invalid_keys)
{
    static const char *const keys[] = {"alpha", "b", "alpha", "\xff", "\xfe",        "\xef\xbf\xbd",
                                       "",      "b", "\"q\"", "\n",   "caf\xc3\xa9", ""};
    enum { BIG = 300 };
    Hgc__V1__CreateJobRequest__ParamsEntry *es = calloc(BIG, sizeof *es);
    Hgc__V1__CreateJobRequest__ParamsEntry **ep = calloc(BIG, sizeof *ep);
    char(*text)[16] = calloc(BIG, sizeof *text);
    for (size_t n = 0; n <= BIG; n = n < 20 ? n + 1 : n * 3) {
        if (n > BIG)
            n = BIG;
        for (size_t i = 0; i < n; i++) {
            hgc__v1__create_job_request__params_entry__init(&es[i]);
            snprintf(text[i], sizeof text[i], "v%zu", i);
            es[i].key = i < 12 ? (char *)keys[i] : text[rnd() % (i / 2 + 1)];
            es[i].value = text[i];
            ep[i] = &es[i];
        }
        Hgc__V1__CreateJobRequest c = HGC__V1__CREATE_JOB_REQUEST__INIT;
        c.graph = (char *)"g";
        c.n_params = n;
        c.params = ep;
        expect_same_both(&c.base);
        if (n == BIG)
            break;
    }
    free(es);
    free(ep);
    free(text);
}

Test(text, struct_and_list_values)
{
    Google__Protobuf__Value leaf[4], top = GOOGLE__PROTOBUF__VALUE__INIT;
    Google__Protobuf__Value *lp[4];
    for (int i = 0; i < 4; i++) {
        google__protobuf__value__init(&leaf[i]);
        lp[i] = &leaf[i];
    }
    leaf[0].kind_case = GOOGLE__PROTOBUF__VALUE__KIND_NUMBER_VALUE;
    leaf[0].number_value = 0.3;
    leaf[1].kind_case = GOOGLE__PROTOBUF__VALUE__KIND_BOOL_VALUE;
    leaf[1].bool_value = 1;
    leaf[2].kind_case = GOOGLE__PROTOBUF__VALUE__KIND_NULL_VALUE;
    Google__Protobuf__ListValue lv = GOOGLE__PROTOBUF__LIST_VALUE__INIT;
    lv.n_values = 3;
    lv.values = lp;
    leaf[3].kind_case = GOOGLE__PROTOBUF__VALUE__KIND_LIST_VALUE;
    leaf[3].list_value = &lv;
    Google__Protobuf__Struct__FieldsEntry f1 = GOOGLE__PROTOBUF__STRUCT__FIELDS_ENTRY__INIT,
                                          f2 = GOOGLE__PROTOBUF__STRUCT__FIELDS_ENTRY__INIT;
    Google__Protobuf__Struct__FieldsEntry *fp[] = {&f1, &f2};
    f1.key = (char *)"list";
    f1.value = &leaf[3];
    f2.key = (char *)"none";
    f2.value = NULL;
    Google__Protobuf__Struct st = GOOGLE__PROTOBUF__STRUCT__INIT;
    st.n_fields = 2;
    st.fields = fp;
    top.kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE;
    top.struct_value = &st;
    Hgc__V1__ListJobsResponse r = HGC__V1__LIST_JOBS_RESPONSE__INIT;
    r.page_present_case = HGC__V1__LIST_JOBS_RESPONSE__PAGE_PRESENT_PAGE;
    r.page = &top;
    expect_same_text(&r.base);
    expect_same_text(&st.base);
    expect_same_text(&top.base);
}

Test(text, proto2_presence_uint64_bytes_enums)
{
    Google__Protobuf__UninterpretedOption__NamePart np =
        GOOGLE__PROTOBUF__UNINTERPRETED_OPTION__NAME_PART__INIT;
    Google__Protobuf__UninterpretedOption__NamePart *nps[] = {&np};
    np.name_part = (char *)"x";
    np.is_extension = 1;
    Google__Protobuf__UninterpretedOption o = GOOGLE__PROTOBUF__UNINTERPRETED_OPTION__INIT;
    expect_same_both(&o.base); /* nothing set: nulls */
    o.n_name = 1;
    o.name = nps;
    o.has_positive_int_value = 1;
    o.positive_int_value = UINT64_MAX; /* over INT64_MAX: a string */
    o.has_negative_int_value = 1;
    o.negative_int_value = INT64_MIN;
    o.has_double_value = 1;
    o.double_value = NAN;
    o.has_string_value = 1;
    o.string_value.data = (uint8_t *)"\x00\xff\x01\x02\x03";
    o.string_value.len = 5;
    o.identifier_value = (char *)"id";
    expect_same_both(&o.base);
    for (size_t len = 0; len < 5; len++) {
        o.string_value.len = len;
        o.positive_int_value = len % 2 ? (uint64_t)INT64_MAX : (uint64_t)INT64_MAX + 1;
        o.double_value = len ? 1.0 / (double)len : -INFINITY;
        expect_same_both(&o.base);
    }

    Google__Protobuf__FieldOptions fo = GOOGLE__PROTOBUF__FIELD_OPTIONS__INIT;
    Google__Protobuf__FieldDescriptorProto fd = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__INIT;
    fd.name = (char *)"f";
    fd.has_number = 1;
    fd.number = 3;
    fd.has_label = 1;
    fd.label = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_REPEATED;
    fd.has_type = 1;
    fd.type = (Google__Protobuf__FieldDescriptorProto__Type)99; /* no name: the number */
    fo.has_packed = 1;
    fo.packed = 1;
    fo.has_ctype = 1;
    fo.ctype = GOOGLE__PROTOBUF__FIELD_OPTIONS__CTYPE__CORD;
    fd.options = &fo;
    expect_same_text(&fd.base);
    fd.type = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_DOUBLE;
    expect_same_both(&fd.base);

    Google__Protobuf__FileOptions fileo = GOOGLE__PROTOBUF__FILE_OPTIONS__INIT;
    expect_same_both(&fileo.base);
    fileo.java_package = (char *)"org.x";
    fileo.has_optimize_for = 1;
    fileo.optimize_for = GOOGLE__PROTOBUF__FILE_OPTIONS__OPTIMIZE_MODE__LITE_RUNTIME;
    fileo.has_cc_enable_arenas = 1;
    expect_same_both(&fileo.base);
}

Test(text, deep_nesting)
{
    enum { DEPTH = 500 };
    Hgc__V1__Value *v = calloc(DEPTH, sizeof *v);
    Hgc__V1__ValueList *l = calloc(DEPTH, sizeof *l);
    Hgc__V1__Value **p = calloc(DEPTH, sizeof *p);
    for (int i = 0; i < DEPTH; i++) {
        hgc__v1__value__init(&v[i]);
        hgc__v1__value_list__init(&l[i]);
        v[i].kind_case = HGC__V1__VALUE__KIND_LIST;
        v[i].list = &l[i];
        if (i + 1 < DEPTH) {
            p[i] = &v[i + 1];
            l[i].n_items = 1;
            l[i].items = &p[i];
        }
    }
    Hgc__V1__ResultRow r = HGC__V1__RESULT_ROW__INIT;
    r.value = v;
    expect_same_text(&r.base);
    free(v);
    free(l);
    free(p);
}

/* ---- the buffer ---- */

Test(buf, ceiling_reuse_and_detach)
{
    Hgc__V1__JobReply j = HGC__V1__JOB_REPLY__INIT;
    j.task_id = 7;
    j.message = (char *)"success";
    const char *want = "{\"task_id\":7,\"message\":\"success\"}";
    size_t wl = strlen(want);

    /* Exactly at the ceiling: fine; one byte under it: full. */
    rest_buf b;
    rest_buf_init(&b, wl);
    cr_assert_eq(rest_pb_to_json_text(&b, &j.base), 0);
    cr_assert_str_eq(b.data, want);
    cr_assert_leq(b.cap, wl + 1, "the allocation passed the ceiling: %zu", b.cap);
    rest_buf_release(&b);
    rest_buf_init(&b, wl - 1);
    cr_assert_eq(rest_pb_to_json_text(&b, &j.base), REST_TEXT_FULL);
    cr_assert_eq(b.err, REST_TEXT_FULL);
    cr_assert_leq(b.len, wl - 1);
    cr_assert_eq(rest_buf_append(&b, "x", 1), REST_TEXT_FULL, "errors are sticky");
    size_t len = 99;
    cr_assert_null(rest_buf_detach(&b, &len));
    rest_buf_release(&b);

    /* Reset keeps the memory; appends follow the text. */
    rest_buf_init(&b, 1 << 20);
    cr_assert_eq(rest_pb_to_json_text(&b, &j.base), 0);
    char *mem = b.data;
    rest_buf_reset(&b);
    cr_assert_eq(b.len, 0);
    cr_assert_eq(rest_pb_to_json_text(&b, &j.base), 0);
    cr_assert_eq(rest_buf_append(&b, "\n", 1), 0);
    cr_assert_eq(b.data, mem);
    cr_assert_eq(rest_buf_reserve(&b, 100000), 0);
    cr_assert_geq(b.cap - b.len, 100001);
    char *text = rest_buf_detach(&b, &len);
    cr_assert_not_null(text);
    cr_assert_eq(len, wl + 1);
    cr_assert_eq(memcmp(text, want, wl), 0);
    cr_assert_eq(text[wl], '\n');
    cr_assert_eq(text[wl + 1], '\0');
    cr_assert_null(b.data);
    free(text);
    /* Empty, then detached: "" */
    text = rest_buf_detach(&b, &len);
    cr_assert_not_null(text);
    cr_assert_eq(len, 0);
    cr_assert_str_eq(text, "");
    free(text);
    rest_buf_release(&b);

    /* A big answer against a small ceiling stops, and says why. */
    enum { N = 1000 };
    Hgc__V1__TaskSummary *sums = calloc(N, sizeof *sums);
    Hgc__V1__TaskSummary **ptrs = calloc(N, sizeof *ptrs);
    for (int i = 0; i < N; i++) {
        fill_summary(&sums[i], i);
        ptrs[i] = &sums[i];
    }
    Hgc__V1__ListJobsResponse r = HGC__V1__LIST_JOBS_RESPONSE__INIT;
    r.n_tasks = N;
    r.tasks = ptrs;
    rest_buf_init(&b, 10000);
    cr_assert_eq(rest_pb_to_json_text(&b, &r.base), REST_TEXT_FULL);
    rest_buf_release(&b);
    free(sums);
    free(ptrs);
}
