/* test_multipart.c: the streaming multipart/form-data parser of
 * rest-bridge/multipart.c: the boundary from a Content-Type, parts and
 * their data whatever the body's split points (every split in two, byte
 * by byte), delimiter look-alikes inside data, and refusals (a body cut
 * short anywhere, malformed headers, a callback's refusal). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "multipart.h"

/* What the callbacks saw: "[name|filename]data{end}" per part, the data
 * pieces joined. */
typedef struct trace {
    char text[8192];
    size_t len;
    const char *refuse; /* a part name begin refuses */
    int pieces;
} trace;

static void put(trace *l, const char *s, size_t n)
{
    cr_assert(l->len + n < sizeof l->text);
    memcpy(l->text + l->len, s, n);
    l->len += n;
    l->text[l->len] = '\0';
}

static int on_begin(void *ud, const char *name, const char *filename, char msg[REST_MP_MSG_MAX])
{
    trace *l = ud;
    if (l->refuse && strcmp(name, l->refuse) == 0) {
        snprintf(msg, REST_MP_MSG_MAX, "no part %s", name);
        return -1;
    }
    put(l, "[", 1);
    put(l, name, strlen(name));
    put(l, "|", 1);
    put(l, filename, strlen(filename));
    put(l, "]", 1);
    return 0;
}

static int on_data(void *ud, const char *data, size_t len, char msg[REST_MP_MSG_MAX])
{
    trace *l = ud;
    cr_assert_gt(len, 0);
    l->pieces++;
    put(l, data, len);
    return 0;
}

static int on_end(void *ud, char msg[REST_MP_MSG_MAX])
{
    put(ud, "{end}", 5);
    return 0;
}

static rest_multipart *parser(trace *l, const char *boundary)
{
    memset(l, 0, sizeof *l);
    rest_mp_sink sink = {on_begin, on_data, on_end, l};
    rest_multipart *mp = rest_multipart_new(boundary, &sink);
    cr_assert_not_null(mp);
    return mp;
}

/* Feeds body in pieces cut at cuts[0..n) (increasing offsets); the feed
 * and finish results: 0 if both went well. */
static int run(trace *l, const char *boundary, const char *body, size_t len, const size_t *cuts,
               size_t ncuts, char msg[REST_MP_MSG_MAX])
{
    rest_multipart *mp = parser(l, boundary);
    size_t at = 0;
    int rc = 0;
    for (size_t i = 0; i <= ncuts && rc == 0; i++) {
        size_t end = i < ncuts ? cuts[i] : len;
        rc = rest_multipart_feed(mp, body + at, end - at, msg);
        at = end;
    }
    if (rc == 0)
        rc = rest_multipart_finish(mp, msg);
    rest_multipart_free(mp);
    return rc;
}

static const char BODY[] =
    "preamble to ignore\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"properties\"; filename=\"g.properties\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "graph.g.directed = true\n"
    "\r\n"
    "--XyZ  \r\n" /* blanks after a boundary are allowed */
    "content-disposition: form-data; name=v\r\n"
    "\r\n"
    "1\r\n2\r\n--XyA\r\n-\r\n--\r\r\n--Xy\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; filename=\"x;\\\"y\\\".e\"; name=\"e\"\n" /* bare LF */
    "\n"
    "\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"empty\"\r\n"
    "\r\n"
    "\r\n"
    "--XyZ--\r\n"
    "epilogue --XyZ to ignore\r\n";

static const char WANT[] = "[properties|g.properties]graph.g.directed = true\n{end}"
                           "[v|]1\r\n2\r\n--XyA\r\n-\r\n--\r\r\n--Xy{end}"
                           "[e|x;\"y\".e]{end}"
                           "[empty|]{end}";

Test(rest_multipart, whole_body)
{
    trace l;
    char msg[REST_MP_MSG_MAX] = "";
    cr_assert_eq(run(&l, "XyZ", BODY, strlen(BODY), NULL, 0, msg), 0, "%s", msg);
    cr_expect_str_eq(l.text, WANT);
}

Test(rest_multipart, every_split_in_two)
{
    size_t len = strlen(BODY);
    for (size_t cut = 0; cut <= len; cut++) {
        trace l;
        char msg[REST_MP_MSG_MAX] = "";
        cr_assert_eq(run(&l, "XyZ", BODY, len, &cut, 1, msg), 0, "cut %zu: %s", cut, msg);
        cr_assert_str_eq(l.text, WANT, "cut %zu", cut);
    }
}

Test(rest_multipart, every_split_in_three)
{
    size_t len = strlen(BODY);
    for (size_t a = 0; a <= len; a += 3)
        for (size_t b = a; b <= len; b++) {
            size_t cuts[2] = {a, b};
            trace l;
            char msg[REST_MP_MSG_MAX] = "";
            cr_assert_eq(run(&l, "XyZ", BODY, len, cuts, 2, msg), 0, "cuts %zu %zu: %s", a, b, msg);
            cr_assert_str_eq(l.text, WANT, "cuts %zu %zu", a, b);
        }
}

Test(rest_multipart, byte_by_byte)
{
    size_t len = strlen(BODY);
    size_t cuts[sizeof BODY];
    for (size_t i = 0; i < len; i++)
        cuts[i] = i + 1;
    trace l;
    char msg[REST_MP_MSG_MAX] = "";
    cr_assert_eq(run(&l, "XyZ", BODY, len, cuts, len, msg), 0, "%s", msg);
    cr_expect_str_eq(l.text, WANT);
}

Test(rest_multipart, data_is_streamed_not_gathered)
{
    /* A large part comes out in pieces as it is fed. */
    trace l;
    char msg[REST_MP_MSG_MAX];
    rest_multipart *mp = parser(&l, "b");
    const char *head = "--b\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n";
    cr_assert_eq(rest_multipart_feed(mp, head, strlen(head), msg), 0);
    char chunk[1000];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(rest_multipart_feed(mp, chunk, sizeof chunk, msg), 0);
        cr_assert_geq(l.len, (size_t)(i + 1) * sizeof chunk - 4 + strlen("[e|]"));
    }
    cr_assert_eq(rest_multipart_feed(mp, "\r\n--b--", 7, msg), 0);
    cr_assert_eq(rest_multipart_finish(mp, msg), 0, "%s", msg);
    cr_expect_eq(l.len, strlen("[e|]") + 5 * sizeof chunk + strlen("{end}"));
    rest_multipart_free(mp);
}

Test(rest_multipart, cut_short_anywhere)
{
    /* Every prefix of the body before the end of its closing boundary is
     * refused at the end, saying so. */
    size_t close = (size_t)(strstr(BODY, "--XyZ--") - BODY) + strlen("--XyZ--");
    for (size_t n = 0; n < close; n++) {
        trace l;
        char msg[REST_MP_MSG_MAX] = "";
        cr_assert_eq(run(&l, "XyZ", BODY, n, NULL, 0, msg), -1, "prefix %zu", n);
        cr_assert(strstr(msg, "boundary"), "prefix %zu: %s", n, msg);
    }
    trace l;
    char msg[REST_MP_MSG_MAX] = "";
    cr_expect_eq(run(&l, "XyZ", BODY, close, NULL, 0, msg), 0, "%s", msg);
    cr_expect_str_eq(l.text, WANT);
}

Test(rest_multipart, no_parts)
{
    trace l;
    char msg[REST_MP_MSG_MAX] = "";
    cr_expect_eq(run(&l, "b", "--b--", 5, NULL, 0, msg), 0, "%s", msg);
    cr_expect_str_eq(l.text, "");
    cr_expect_eq(run(&l, "b", "", 0, NULL, 0, msg), -1);
    cr_expect(strstr(msg, "no boundary line '--b'"), "%s", msg);
    cr_expect_eq(run(&l, "b", "just text\r\n", 11, NULL, 0, msg), -1);
    cr_expect(strstr(msg, "no boundary line"), "%s", msg);
}

static void expect_refused(const char *body, const char *says)
{
    trace l;
    char msg[REST_MP_MSG_MAX] = "";
    size_t len = strlen(body);
    cr_expect_eq(run(&l, "b", body, len, NULL, 0, msg), -1, "%s", body);
    cr_expect(strstr(msg, says), "%s: %s", body, msg);
    /* The same byte by byte. */
    size_t cuts[512];
    cr_assert_lt(len, 512);
    for (size_t i = 0; i < len; i++)
        cuts[i] = i + 1;
    msg[0] = '\0';
    cr_expect_eq(run(&l, "b", body, len, cuts, len, msg), -1, "%s", body);
    cr_expect(strstr(msg, says), "%s: %s", body, msg);
}

Test(rest_multipart, malformed)
{
    expect_refused("--b\r\n\r\ndata\r\n--b--", "part 1 has no Content-Disposition");
    expect_refused("--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--",
                   "part 1 has no Content-Disposition");
    expect_refused("--b\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--b--",
                   "not form-data");
    expect_refused("--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--",
                   "malformed");
    expect_refused("--b\r\nno colon here\r\n\r\nx\r\n--b--", "has no name");
    expect_refused("--bx\r\n", "followed by other text");
    expect_refused("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b-x",
                   "followed by other text");
    expect_refused("--b \rx", "followed by other text");
}

Test(rest_multipart, limits)
{
    char body[REST_MP_LINE_MAX + 200];
    int n = snprintf(body, sizeof body, "--b\r\nX-Long: ");
    memset(body + n, 'a', REST_MP_LINE_MAX);
    strcpy(body + n + REST_MP_LINE_MAX, "\r\n\r\n--b--");
    trace l;
    char msg[REST_MP_MSG_MAX] = "";
    cr_expect_eq(run(&l, "b", body, strlen(body), NULL, 0, msg), -1);
    cr_expect(strstr(msg, "header line is over"), "%s", msg);

    char name[REST_MP_NAME_MAX + 2];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    snprintf(body, sizeof body,
             "--b\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n\r\n--b--", name);
    cr_expect_eq(run(&l, "b", body, strlen(body), NULL, 0, msg), -1);
    cr_expect(strstr(msg, "name is over"), "%s", msg);

    size_t o = (size_t)snprintf(body, sizeof body, "--b\r\n");
    for (int i = 0; i <= REST_MP_HEADERS_MAX; i++)
        o += (size_t)snprintf(body + o, sizeof body - o, "X-%d: 1\r\n", i);
    snprintf(body + o, sizeof body - o, "\r\n\r\n--b--");
    cr_expect_eq(run(&l, "b", body, strlen(body), NULL, 0, msg), -1);
    cr_expect(strstr(msg, "header lines"), "%s", msg);
}

Test(rest_multipart, callback_refusal_sticks)
{
    trace l;
    char msg[REST_MP_MSG_MAX] = "";
    rest_multipart *mp = parser(&l, "b");
    l.refuse = "bad";
    const char *body = "--b\r\nContent-Disposition: form-data; name=ok\r\n\r\n1\r\n"
                       "--b\r\nContent-Disposition: form-data; name=bad\r\n\r\n2\r\n--b--";
    cr_expect_eq(rest_multipart_feed(mp, body, strlen(body), msg), -1);
    cr_expect_str_eq(msg, "no part bad");
    cr_expect_str_eq(l.text, "[ok|]1{end}");
    msg[0] = '\0';
    cr_expect_eq(rest_multipart_feed(mp, "x", 1, msg), -1);
    cr_expect_str_eq(msg, "no part bad");
    cr_expect_eq(rest_multipart_finish(mp, msg), -1);
    cr_expect_str_eq(msg, "no part bad");
    rest_multipart_free(mp);
}

Test(rest_multipart, boundary_from_content_type)
{
    char b[REST_MP_BOUNDARY_MAX + 1], msg[REST_MP_MSG_MAX];
    cr_assert_eq(rest_multipart_boundary("multipart/form-data; boundary=abc", b, msg), 0, "%s",
                 msg);
    cr_expect_str_eq(b, "abc");
    cr_assert_eq(
        rest_multipart_boundary("Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b:c\"", b, msg), 0,
        "%s", msg);
    cr_expect_str_eq(b, "a b:c");
    cr_assert_eq(rest_multipart_boundary(
                     "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW", b, msg),
                 0);
    cr_expect_str_eq(b, "----WebKitFormBoundary7MA4YWxkTrZu0gW");

    cr_expect_eq(rest_multipart_boundary("multipart/form-data", b, msg), -1);
    cr_expect(strstr(msg, "no boundary"), "%s", msg);
    cr_expect_eq(rest_multipart_boundary("multipart/form-data; charset=x", b, msg), -1);
    cr_expect(strstr(msg, "no boundary"), "%s", msg);
    cr_expect_eq(rest_multipart_boundary("multipart/form-data; boundary=", b, msg), -1);
    cr_expect_eq(rest_multipart_boundary("multipart/form-data; boundary=\"\"", b, msg), -1);
    cr_expect_eq(rest_multipart_boundary("multipart/form-data; boundary=\"a\rb\"", b, msg), -1);
    cr_expect_eq(rest_multipart_boundary("multipart/form-data; boundary=\"ab \"", b, msg), -1);
    cr_expect_eq(rest_multipart_boundary("multipart/form-data; boundary=\"abc", b, msg), -1);
    cr_expect_eq(rest_multipart_boundary("multipart/form-data; boundary", b, msg), -1);
    char longer[128] = "multipart/form-data; boundary=";
    memset(longer + strlen(longer), 'x', REST_MP_BOUNDARY_MAX + 1);
    cr_expect_eq(rest_multipart_boundary(longer, b, msg), -1);
    longer[strlen(longer) - 1] = '\0'; /* 70: the most RFC 2046 allows */
    cr_expect_eq(rest_multipart_boundary(longer, b, msg), 0, "%s", msg);
    cr_expect_eq(rest_multipart_boundary("text/plain; boundary=abc", b, msg), -1);
    cr_expect_eq(rest_multipart_boundary(NULL, b, msg), -1);

    trace l;
    rest_mp_sink sink = {on_begin, on_data, on_end, &l};
    cr_expect_null(rest_multipart_new("", &sink));
    cr_expect_null(rest_multipart_new("a\r\nb", &sink));
}
