/* multipart.c: the streaming multipart/form-data parser (see multipart.h).
 *
 * The delimiter of a part's end is CRLF "--" boundary. The body's first
 * boundary has no CRLF before it: the parser starts as if that CRLF had
 * been seen. The delimiter is searched byte by byte across pieces; the
 * bytes of a partial match are held back (they are the delimiter's own
 * first bytes, so only their count is kept) until a mismatch shows they
 * were data. As a boundary holds no CR, a mismatch can only restart the
 * match at the mismatching byte itself.
 */
#include "multipart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse.h"

typedef enum mp_state {
    ST_PREAMBLE = 0, /* before the first boundary: ignored */
    ST_AFTER_DELIM,  /* "--" closes; else optional blanks, then CRLF */
    ST_AFTER_DASH,   /* one '-' seen */
    ST_AFTER_BLANK,  /* blanks seen: only CRLF may follow */
    ST_AFTER_CR,
    ST_HEADERS,
    ST_BODY,
    ST_DONE, /* the closing boundary was seen: the epilogue is ignored */
    ST_ERROR,
} mp_state;

struct rest_multipart {
    rest_mp_sink sink;
    mp_state state;
    char delim[REST_MP_BOUNDARY_MAX + 5]; /* CRLF "--" boundary */
    size_t dlen;
    size_t k; /* delimiter bytes matched so far */
    int parts;
    char line[REST_MP_LINE_MAX + 1];
    size_t line_len;
    int header_lines;
    int have_name;
    char name[REST_MP_NAME_MAX + 1], filename[REST_MP_NAME_MAX + 1];
    char msg[REST_MP_MSG_MAX]; /* ST_ERROR: why */
};

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* RFC 2046 bchars: 1 to 70 of them, the last not a space. */
static int boundary_ok(const char *b)
{
    static const char extra[] = "'()+_,-./:=? ";
    size_t n = strlen(b);
    if (n == 0 || n > REST_MP_BOUNDARY_MAX || b[n - 1] == ' ')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = b[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              strchr(extra, c)))
            return 0;
    }
    return 1;
}

/* The next parameter "; key=value" (value a token or a quoted string) of
 * a header value at *cur. 1: a parameter (value truncated to vsize - 1
 * bytes sets *long_val); 0: the end; -1: malformed. */
static int next_param(const char **cur, char *key, size_t ksize, char *val, size_t vsize,
                      int *long_val)
{
    const char *p = *cur;
    while (is_blank(*p))
        p++;
    if (*p == '\0')
        return 0;
    if (*p != ';')
        return -1;
    p++;
    while (is_blank(*p))
        p++;
    size_t kn = 0;
    while (*p && *p != '=' && *p != ';' && !is_blank(*p)) {
        if (kn + 1 < ksize)
            key[kn++] = *p;
        p++;
    }
    key[kn] = '\0';
    while (is_blank(*p))
        p++;
    if (kn == 0 || *p != '=')
        return -1;
    p++;
    while (is_blank(*p))
        p++;
    size_t vn = 0;
    *long_val = 0;
    if (*p == '"') {
        for (p++; *p != '"'; p++) {
            if (*p == '\0')
                return -1;
            if (*p == '\\' && p[1])
                p++;
            if (vn + 1 < vsize)
                val[vn++] = *p;
            else
                *long_val = 1;
        }
        p++;
    } else {
        for (; *p && *p != ';' && !is_blank(*p); p++) {
            if (vn + 1 < vsize)
                val[vn++] = *p;
            else
                *long_val = 1;
        }
    }
    val[vn] = '\0';
    *cur = p;
    return 1;
}

int rest_multipart_boundary(const char *ct, char out[REST_MP_BOUNDARY_MAX + 1],
                            char msg[REST_MP_MSG_MAX])
{
    if (!rest_media_is(ct, "multipart/form-data")) {
        snprintf(msg, REST_MP_MSG_MAX, "the Content-Type is not multipart/form-data");
        return -1;
    }
    const char *cur = strchr(ct, ';');
    char key[32], val[REST_MP_BOUNDARY_MAX + 2];
    int got, long_val;
    out[0] = '\0';
    while (cur && (got = next_param(&cur, key, sizeof key, val, sizeof val, &long_val)) != 0) {
        if (got < 0) {
            snprintf(msg, REST_MP_MSG_MAX, "the Content-Type's parameters are malformed");
            return -1;
        }
        if (strcasecmp(key, "boundary") != 0)
            continue;
        if (long_val || !boundary_ok(val)) {
            snprintf(msg, REST_MP_MSG_MAX,
                     "the multipart boundary must be 1 to %d letters, digits or '()+_,-./:=? "
                     "(RFC 2046)",
                     REST_MP_BOUNDARY_MAX);
            return -1;
        }
        memcpy(out, val, strlen(val) + 1);
    }
    if (!out[0]) {
        snprintf(msg, REST_MP_MSG_MAX,
                 "the Content-Type multipart/form-data has no boundary parameter");
        return -1;
    }
    return 0;
}

rest_multipart *rest_multipart_new(const char *boundary, const rest_mp_sink *sink)
{
    if (!boundary_ok(boundary))
        return NULL;
    rest_multipart *mp = calloc(1, sizeof *mp);
    if (!mp)
        return NULL;
    mp->sink = *sink;
    mp->dlen = (size_t)snprintf(mp->delim, sizeof mp->delim, "\r\n--%s", boundary);
    mp->k = 2; /* the first boundary may open the body: its CRLF is implied */
    return mp;
}

static int fail(rest_multipart *mp, char msg[REST_MP_MSG_MAX])
{
    if (msg != mp->msg)
        snprintf(mp->msg, sizeof mp->msg, "%s", msg);
    mp->state = ST_ERROR;
    return -1;
}

/* Part data up to the delimiter in p[0..n) (ST_PREAMBLE drops it). The
 * bytes used (through the delimiter if *found), or -1 (a callback
 * refused, mp->msg set). */
static long scan(rest_multipart *mp, const char *p, size_t n, int *found)
{
    int emit = mp->state == ST_BODY;
    size_t start = 0;             /* data not passed on yet starts here */
    long mstart = mp->k ? -1 : 0; /* where the partial match began; -1: before p */
    const rest_mp_sink *s = &mp->sink;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == mp->delim[mp->k]) {
            if (mp->k == 0)
                mstart = (long)i;
            if (++mp->k == mp->dlen) {
                size_t end = mstart < 0 ? start : (size_t)mstart;
                if (emit && end > start && s->data(s->ud, p + start, end - start, mp->msg) < 0)
                    return -1;
                mp->k = 0;
                *found = 1;
                return (long)(i + 1);
            }
            continue;
        }
        if (mp->k == 0)
            continue;
        if (mstart < 0) { /* the held-back bytes were data after all */
            if (emit && s->data(s->ud, mp->delim, mp->k, mp->msg) < 0)
                return -1;
            start = i;
        }
        mp->k = 0;
        if (p[i] == mp->delim[0]) {
            mstart = (long)i;
            mp->k = 1;
        }
    }
    size_t end = mp->k == 0 ? n : mstart < 0 ? start : (size_t)mstart;
    if (emit && end > start && s->data(s->ud, p + start, end - start, mp->msg) < 0)
        return -1;
    return (long)n;
}

/* One header line of a part, CRLF (or LF) gone. Only Content-Disposition
 * matters. */
static int header_line(rest_multipart *mp, const char *line, char msg[REST_MP_MSG_MAX])
{
    const char *colon = strchr(line, ':');
    if (!colon || colon == line) {
        snprintf(msg, REST_MP_MSG_MAX, "part %d: a header line has no name", mp->parts);
        return -1;
    }
    if ((size_t)(colon - line) != strlen("Content-Disposition") ||
        strncasecmp(line, "Content-Disposition", (size_t)(colon - line)) != 0)
        return 0;
    const char *v = colon + 1;
    while (is_blank(*v))
        v++;
    size_t tn = strcspn(v, "; \t");
    if (tn != strlen("form-data") || strncasecmp(v, "form-data", tn) != 0) {
        snprintf(msg, REST_MP_MSG_MAX, "part %d: the Content-Disposition is not form-data",
                 mp->parts);
        return -1;
    }
    const char *cur = v + tn;
    char key[32], val[REST_MP_NAME_MAX + 1];
    int got, long_val;
    while ((got = next_param(&cur, key, sizeof key, val, sizeof val, &long_val)) != 0) {
        if (got < 0) {
            snprintf(msg, REST_MP_MSG_MAX, "part %d: the Content-Disposition is malformed",
                     mp->parts);
            return -1;
        }
        char *dst = strcasecmp(key, "name") == 0       ? mp->name
                    : strcasecmp(key, "filename") == 0 ? mp->filename
                                                       : NULL;
        if (!dst)
            continue;
        if (long_val) {
            snprintf(msg, REST_MP_MSG_MAX, "part %d: its %s is over %d bytes", mp->parts, key,
                     REST_MP_NAME_MAX);
            return -1;
        }
        memcpy(dst, val, strlen(val) + 1);
        if (dst == mp->name)
            mp->have_name = 1;
    }
    return 0;
}

/* Header bytes: lines gathered one at a time. The bytes used, or -1. */
static long headers(rest_multipart *mp, const char *p, size_t n, char msg[REST_MP_MSG_MAX])
{
    const char *nl = memchr(p, '\n', n);
    size_t take = nl ? (size_t)(nl - p) : n;
    if (take > REST_MP_LINE_MAX - mp->line_len) {
        snprintf(msg, REST_MP_MSG_MAX, "part %d: a header line is over %d bytes", mp->parts,
                 REST_MP_LINE_MAX);
        return -1;
    }
    memcpy(mp->line + mp->line_len, p, take);
    mp->line_len += take;
    if (!nl)
        return (long)n;
    if (mp->line_len && mp->line[mp->line_len - 1] == '\r')
        mp->line_len--;
    mp->line[mp->line_len] = '\0';
    size_t len = mp->line_len;
    mp->line_len = 0;
    if (len > 0) {
        if (++mp->header_lines > REST_MP_HEADERS_MAX) {
            snprintf(msg, REST_MP_MSG_MAX, "part %d has over %d header lines", mp->parts,
                     REST_MP_HEADERS_MAX);
            return -1;
        }
        if (strlen(mp->line) != len) {
            snprintf(msg, REST_MP_MSG_MAX, "part %d: a header line holds a NUL byte", mp->parts);
            return -1;
        }
        return header_line(mp, mp->line, msg) < 0 ? -1 : (long)take + 1;
    }
    if (!mp->have_name) {
        snprintf(msg, REST_MP_MSG_MAX,
                 "part %d has no Content-Disposition header with a name (form-data; name=\"...\")",
                 mp->parts);
        return -1;
    }
    if (mp->sink.begin(mp->sink.ud, mp->name, mp->filename, msg) < 0)
        return -1;
    mp->state = ST_BODY;
    return (long)take + 1;
}

static void part_start(rest_multipart *mp)
{
    mp->state = ST_HEADERS;
    mp->parts++;
    mp->line_len = 0;
    mp->header_lines = 0;
    mp->have_name = 0;
    mp->name[0] = mp->filename[0] = '\0';
}

int rest_multipart_feed(rest_multipart *mp, const char *data, size_t len, char msg[REST_MP_MSG_MAX])
{
    while (len > 0 && mp->state != ST_ERROR) {
        long used = 1;
        char c = *data;
        switch (mp->state) {
        case ST_PREAMBLE:
        case ST_BODY: {
            int found = 0;
            mp_state was = mp->state;
            if ((used = scan(mp, data, len, &found)) < 0) {
                fail(mp, mp->msg);
                used = 0;
            } else if (found) {
                mp->state = ST_AFTER_DELIM;
                if (was == ST_BODY && mp->sink.end(mp->sink.ud, mp->msg) < 0)
                    fail(mp, mp->msg);
            }
            break;
        }
        case ST_AFTER_DELIM:
        case ST_AFTER_BLANK:
            if (c == '-' && mp->state == ST_AFTER_DELIM)
                mp->state = ST_AFTER_DASH;
            else if (is_blank(c))
                mp->state = ST_AFTER_BLANK;
            else if (c == '\r')
                mp->state = ST_AFTER_CR;
            else if (c == '\n')
                part_start(mp);
            else
                used = -1;
            break;
        case ST_AFTER_DASH:
            if (c == '-')
                mp->state = ST_DONE;
            else
                used = -1;
            break;
        case ST_AFTER_CR:
            if (c == '\n')
                part_start(mp);
            else
                used = -1;
            break;
        case ST_HEADERS:
            if ((used = headers(mp, data, len, mp->msg)) < 0) {
                fail(mp, mp->msg);
                used = 0;
            }
            break;
        case ST_DONE: used = (long)len; break;
        case ST_ERROR: break;
        }
        if (used < 0) {
            snprintf(mp->msg, sizeof mp->msg,
                     "a multipart boundary line is followed by other text than CRLF or \"--\"");
            fail(mp, mp->msg);
            break;
        }
        data += used;
        len -= (size_t)used;
    }
    if (mp->state == ST_ERROR) {
        snprintf(msg, REST_MP_MSG_MAX, "%s", mp->msg);
        return -1;
    }
    return 0;
}

int rest_multipart_finish(rest_multipart *mp, char msg[REST_MP_MSG_MAX])
{
    if (mp->state == ST_ERROR) {
        snprintf(msg, REST_MP_MSG_MAX, "%s", mp->msg);
        return -1;
    }
    if (mp->state == ST_DONE)
        return 0;
    if (mp->state == ST_PREAMBLE)
        snprintf(msg, REST_MP_MSG_MAX, "the multipart body has no boundary line '--%s'",
                 mp->delim + 4);
    else if (mp->state == ST_BODY || mp->state == ST_HEADERS)
        snprintf(msg, REST_MP_MSG_MAX,
                 "the multipart body ends before its closing boundary '--%s--' (part %d is cut "
                 "short)",
                 mp->delim + 4, mp->parts);
    else
        snprintf(msg, REST_MP_MSG_MAX,
                 "the multipart body ends before its closing boundary '--%s--'", mp->delim + 4);
    return fail(mp, msg);
}

void rest_multipart_free(rest_multipart *mp)
{
    free(mp);
}
