/* fuzz_multipart.c: the streaming multipart/form-data parser
 * (rest-bridge/multipart.h): rest_multipart_boundary, rest_multipart_new,
 * rest_multipart_feed and rest_multipart_finish.
 *
 * Input: byte 0 = q|L (q: bit 7, L: bits 0-6). If 1 <= L and L bytes
 * follow, they are a candidate boundary (L up to 127, so over-long ones
 * too; a NUL cuts it short); the body is what follows them. Otherwise the
 * body is everything after byte 0. A candidate the parser refuses (it must
 * refuse exactly the ones RFC 2046 does) gives way to the boundary "XyZ".
 * Bit q picks a plainer or a busier Content-Type around the boundary.
 *
 * The body is parsed three times: in one feed; in pieces of 1 to 16 bytes
 * chosen by the body's own bytes, each in an exact-size copy and after an
 * empty feed; byte by byte. Each run's events (part begins with name and
 * filename, the data joined per part, part ends, the final result code and
 * message) must be the same. The sink refuses a part whose name starts
 * with "!b" at its begin, "!d" at its first data and "!e" at its end, so
 * refusals are split-independent too. Checks beyond the sanitizers, each
 * an abort() (a finding), from multipart.h's promises:
 *   - names and filenames are NUL-terminated within REST_MP_NAME_MAX;
 *   - begin only between parts; data (len >= 1) and end only inside one;
 *     nothing after an error;
 *   - a part's data never holds its delimiter CRLF "--" boundary, and an
 *     ended part's data followed by the delimiter occurs in the body;
 *   - feed and finish return 0 or -1, -1 with a message; after -1 every
 *     later feed and finish answer -1 with the same message; finish's 0
 *     only outside a part;
 *   - rest_multipart_new refuses exactly the boundaries RFC 2046 forbids;
 *   - rest_multipart_boundary on the candidate bytes and on
 *     "multipart/form-data; boundary=<candidate bytes>" returns 0 only
 *     with a valid NUL-terminated boundary that rest_multipart_new takes,
 *     and gives a valid boundary back as it was, quoted, or unquoted if it
 *     has no space.
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_multipart: %s\n", what);
    abort();
}

/* RFC 2046 bchars, 1 to 70, the last not a space: the reference. */
static int boundary_valid(const char *b)
{
    static const char extra[] = "'()+_,-./:=? ";
    size_t n = strlen(b);
    if (n == 0 || n > REST_MP_BOUNDARY_MAX || b[n - 1] == ' ')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = b[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c != '\0' && strchr(extra, c))))
            return 0;
    }
    return 1;
}

/* A growing byte log of one run's events. */
typedef struct run_log {
    unsigned char *buf;
    size_t len, cap;
    size_t data_at; /* where the open 'D' record's length is; 0: none */
    int in_part, stopped;
    char name[REST_MP_NAME_MAX + 1];
    /* The current part's data joined, for the delimiter checks. */
    char *part;
    size_t part_len, part_cap;
    const char *body, *delim;
    size_t body_len, dlen;
} run_log;

static void grow(char **p, size_t *cap, size_t need)
{
    if (need <= *cap)
        return;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    char *q = realloc(*p, c);
    if (!q)
        fail("out of memory");
    *p = q;
    *cap = c;
}

static void put(run_log *l, const void *s, size_t n)
{
    grow((char **)&l->buf, &l->cap, l->len + n);
    if (n)
        memcpy(l->buf + l->len, s, n);
    l->len += n;
}

static void put_tag(run_log *l, char tag)
{
    l->data_at = 0;
    put(l, &tag, 1);
}

static void refuse(char msg[REST_MP_MSG_MAX], const char *what)
{
    memset(msg, 'x', REST_MP_MSG_MAX); /* the whole buffer must be writable */
    snprintf(msg, REST_MP_MSG_MAX, "the sink refused %s", what);
}

static int on_begin(void *ud, const char *name, const char *filename, char msg[REST_MP_MSG_MAX])
{
    run_log *l = ud;
    if (l->stopped)
        fail("begin after an error");
    if (l->in_part)
        fail("begin inside a part");
    if (!name || !filename)
        fail("begin with a NULL name or filename");
    size_t nl = strnlen(name, REST_MP_NAME_MAX + 1), fl = strnlen(filename, REST_MP_NAME_MAX + 1);
    if (nl > REST_MP_NAME_MAX || fl > REST_MP_NAME_MAX)
        fail("a name or filename over REST_MP_NAME_MAX");
    l->in_part = 1;
    memcpy(l->name, name, nl + 1);
    l->part_len = 0;
    put_tag(l, 'B');
    put(l, name, nl + 1);
    put(l, filename, fl + 1);
    if (strncmp(name, "!b", 2) == 0) {
        l->stopped = 1;
        refuse(msg, "begin");
        return -1;
    }
    return 0;
}

static int on_data(void *ud, const char *data, size_t len, char msg[REST_MP_MSG_MAX])
{
    run_log *l = ud;
    if (l->stopped)
        fail("data after an error");
    if (!l->in_part)
        fail("data outside a part");
    if (len == 0 || !data)
        fail("data of length 0 or NULL");
    if (strncmp(l->name, "!d", 2) == 0) {
        l->stopped = 1;
        refuse(msg, "data");
        return -1;
    }
    if (!l->data_at) {
        put_tag(l, 'D');
        l->data_at = l->len;
        size_t zero = 0;
        put(l, &zero, sizeof zero);
    }
    put(l, data, len);
    size_t n;
    memcpy(&n, l->buf + l->data_at, sizeof n);
    n += len;
    memcpy(l->buf + l->data_at, &n, sizeof n);

    grow(&l->part, &l->part_cap, l->part_len + len);
    memcpy(l->part + l->part_len, data, len);
    l->part_len += len;
    return 0;
}

static int on_end(void *ud, char msg[REST_MP_MSG_MAX])
{
    run_log *l = ud;
    if (l->stopped)
        fail("end after an error");
    if (!l->in_part)
        fail("end outside a part");
    l->in_part = 0;
    put_tag(l, 'E');
    if (l->part_len >= l->dlen && memmem(l->part, l->part_len, l->delim, l->dlen))
        fail("a part's data holds its delimiter");
    /* The data and its delimiter are in the body as they are. */
    grow(&l->part, &l->part_cap, l->part_len + l->dlen);
    memcpy(l->part + l->part_len, l->delim, l->dlen);
    size_t whole = l->part_len + l->dlen;
    if (!memmem(l->body, l->body_len, l->part, whole))
        fail("an ended part's data and delimiter are not in the body");
    if (strncmp(l->name, "!e", 2) == 0) {
        l->stopped = 1;
        refuse(msg, "end");
        return -1;
    }
    return 0;
}

static void check_msg(const char *msg)
{
    size_t n = strnlen(msg, REST_MP_MSG_MAX);
    if (n == 0 || n == REST_MP_MSG_MAX)
        fail("-1 without a message, or one not NUL-terminated");
}

static void end_run(run_log *l, rest_multipart *mp, int rc, const char *msg)
{
    if (rc != 0 && rc != -1)
        fail("feed or finish returned neither 0 nor -1");
    if (rc == -1) {
        check_msg(msg);
        l->stopped = 1;
        /* The error sticks, with its message. */
        char again[REST_MP_MSG_MAX] = "";
        if (rest_multipart_feed(mp, "--", 2, again) != -1 || strcmp(again, msg) != 0)
            fail("a feed after an error did not answer the same error");
        again[0] = '\0';
        if (rest_multipart_finish(mp, again) != -1 || strcmp(again, msg) != 0)
            fail("finish after an error did not answer the same error");
    } else if (l->in_part) {
        fail("finish said 0 inside a part");
    }
    put_tag(l, 'R');
    put(l, &rc, sizeof rc);
    if (rc)
        put(l, msg, strlen(msg) + 1);
}

/* mode 0: one feed; 1: pieces sized by the body's bytes; 2: byte by
 * byte. */
static void run(run_log *l, const char *boundary, const char *delim, const char *body, size_t len,
                int mode)
{
    memset(l, 0, sizeof *l);
    l->body = body;
    l->body_len = len;
    l->delim = delim;
    l->dlen = strlen(delim);
    rest_mp_sink sink = {on_begin, on_data, on_end, l};
    rest_multipart *mp = rest_multipart_new(boundary, &sink);
    if (!mp)
        fail("rest_multipart_new refused a valid boundary");
    char msg[REST_MP_MSG_MAX] = "";
    int rc = 0;
    if (mode == 0) {
        rc = rest_multipart_feed(mp, body, len, msg);
    } else {
        size_t at = 0;
        for (size_t k = 0; at < len && rc == 0; k++) {
            size_t n = mode == 2 ? 1 : 1 + (((unsigned char)body[at] ^ k) & 15);
            if (n > len - at)
                n = len - at;
            char *piece = malloc(n); /* exact size: ASan sees reads past it */
            if (!piece)
                fail("out of memory");
            memcpy(piece, body + at, n);
            rc = rest_multipart_feed(mp, piece, 0, msg);
            if (rc == 0)
                rc = rest_multipart_feed(mp, piece, n, msg);
            free(piece);
            at += n;
        }
    }
    if (rc == 0)
        rc = rest_multipart_finish(mp, msg);
    end_run(l, mp, rc, msg);
    rest_multipart_free(mp);
}

static void check_ct(const char *ct, const char *want)
{
    char out[REST_MP_BOUNDARY_MAX + 1], msg[REST_MP_MSG_MAX];
    memset(out, 0x5a, sizeof out);
    memset(msg, 0, sizeof msg);
    int rc = rest_multipart_boundary(ct, out, msg);
    if (rc == 0) {
        if (!memchr(out, '\0', sizeof out) || !boundary_valid(out))
            fail("rest_multipart_boundary gave an invalid boundary");
        if (want && strcmp(out, want) != 0)
            fail("rest_multipart_boundary changed the boundary");
        rest_mp_sink sink = {on_begin, on_data, on_end, NULL};
        rest_multipart *mp = rest_multipart_new(out, &sink);
        if (!mp)
            fail("rest_multipart_new refused rest_multipart_boundary's boundary");
        rest_multipart_free(mp);
    } else if (rc == -1) {
        check_msg(msg);
        if (want)
            fail("rest_multipart_boundary refused a valid boundary");
    } else {
        fail("rest_multipart_boundary returned neither 0 nor -1");
    }
}

static void content_types(const char *cand, int busy)
{
    const char *pre = busy ? " Multipart/Form-Data ;charset=utf-8;\tBoundary = "
                           : "multipart/form-data; boundary=";
    size_t cap = strlen(pre) + strlen(cand) + 8;
    char *ct = malloc(cap);
    if (!ct)
        fail("out of memory");
    int valid = boundary_valid(cand);
    check_ct(cand, NULL);                 /* the bytes as a whole Content-Type */
    snprintf(ct, cap, "%s%s", pre, cand); /* raw, valid or not */
    check_ct(ct, valid && !strchr(cand, ' ') ? cand : NULL);
    snprintf(ct, cap, "%s\"%s\"%s", pre, cand, busy ? " ; x=y" : "");
    check_ct(ct, valid ? cand : NULL);
    free(ct);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t L = data[0] & 0x7f;
    int busy = data[0] >> 7;
    char cand[128] = "";
    size_t skip = 1;
    if (L >= 1 && size - 1 >= L) {
        memcpy(cand, data + 1, L);
        cand[L] = '\0';
        skip += L;
    }
    content_types(cand, busy);

    const char *boundary = "XyZ";
    rest_mp_sink sink = {on_begin, on_data, on_end, NULL};
    rest_multipart *probe = rest_multipart_new(cand, &sink);
    if (!probe != !boundary_valid(cand))
        fail("rest_multipart_new disagrees with RFC 2046 on a boundary");
    if (probe)
        boundary = cand;
    rest_multipart_free(probe);
    char delim[REST_MP_BOUNDARY_MAX + 5];
    snprintf(delim, sizeof delim, "\r\n--%s", boundary);

    size_t len = size - skip;
    char *body = malloc(len ? len : 1);
    if (!body)
        return 0;
    memcpy(body, data + skip, len);

    run_log whole, pieces;
    run(&whole, boundary, delim, body, len, 0);
    for (int mode = 1; mode <= 2; mode++) {
        run(&pieces, boundary, delim, body, len, mode);
        if (pieces.len != whole.len || memcmp(pieces.buf, whole.buf, whole.len) != 0) {
            fprintf(stderr, "fuzz_multipart: boundary '%s', %s: events differ from one feed\n",
                    boundary, mode == 1 ? "pieces" : "byte by byte");
            abort();
        }
        free(pieces.buf);
        free(pieces.part);
    }
    free(whole.buf);
    free(whole.part);
    free(body);
    return 0;
}
