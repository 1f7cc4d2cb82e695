/* parse.c: request-text parsers (see parse.h). Linear in their input, no
 * allocation: every output buffer is the caller's, with its size. */
#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/hex.h"

int rest_pct_decode(char *dst, const char *src, size_t n, int plus_is_space)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c == '%') {
            int hi = i + 1 < n ? hgc_hex_digit((unsigned char)src[i + 1]) : -1;
            int lo = i + 2 < n ? hgc_hex_digit((unsigned char)src[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return -1;
            dst[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            dst[o++] = ' ';
        } else {
            dst[o++] = c;
        }
    }
    dst[o] = '\0';
    return 0;
}

/* Bytes src[0..n) decodes to (an upper bound when an escape is bad,
 * which decoding then refuses). */
static size_t decoded_len(const char *src, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++, o++)
        if (src[i] == '%' && i + 2 < n)
            i += 2;
    return o;
}

int rest_query_next(const char **cursor, char *key, size_t key_size, char *val, size_t val_size)
{
    const char *p = *cursor;
    if (!p)
        return 0;
    while (*p == '&')
        p++;
    if (!*p) {
        *cursor = p;
        return 0;
    }
    const char *end = strchr(p, '&');
    if (!end)
        end = p + strlen(p);
    const char *eq = memchr(p, '=', (size_t)(end - p));
    const char *kend = eq ? eq : end;
    size_t klen = (size_t)(kend - p);
    size_t vlen = eq ? (size_t)(end - eq - 1) : 0;
    *cursor = end;
    /* The decoded length is what must fit: each %XX is one byte (a
     * JSON-quoted id of 512 bytes may well be 9 KB percent-encoded). */
    if (klen + 1 > key_size || decoded_len(eq ? eq + 1 : "", vlen) + 1 > val_size)
        return -1;
    if (rest_pct_decode(key, p, klen, 1) < 0)
        return -1;
    if (rest_pct_decode(val, eq ? eq + 1 : "", vlen, 1) < 0)
        return -1;
    return 1;
}

int rest_media_is(const char *ct, const char *type)
{
    if (!ct)
        return 0;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    size_t n = strlen(type);
    if (strncasecmp(ct, type, n) != 0)
        return 0;
    ct += n;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    return *ct == '\0' || *ct == ';';
}

int rest_timeout_parse(const char *v, int ceiling, int *ms)
{
    if (!v)
        return -1;
    while (*v == ' ' || *v == '\t')
        v++;
    if (!isdigit((unsigned char)*v))
        return -1;
    char *end = NULL;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end || n < 1)
        return -1;
    if (errno == ERANGE || n > ceiling)
        n = ceiling;
    *ms = (int)n;
    return 0;
}
