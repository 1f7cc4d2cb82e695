/* parse.h: small parsers of request text, free of any HTTP library so
 * that they can be tested alone: the raw request target (path and query
 * string, percent-escapes), media types, timeouts.
 *
 * The bridge reads the request target raw (not libmicrohttpd's decoded
 * copy): a path variable holding "%2F" must stay one segment, so the
 * route table matches the raw path and decodes values after matching.
 */
#ifndef REST_PARSE_H
#define REST_PARSE_H

#include <stddef.h>

/* Percent-decodes src[0..n) into dst (room for n + 1 bytes), NUL-
 * terminated; with plus_is_space, '+' is a space (query strings). -1 on a
 * malformed escape or an escape of NUL (a NUL would cut the value short
 * without anyone noticing). */
int rest_pct_decode(char *dst, const char *src, size_t n, int plus_is_space);

/* The next "key=value" pair of a raw query string at *cursor (advanced
 * past it), decoded into key and val ("" for "key" without '='); empty
 * pairs ("a=1&&b=2") are skipped. 1: a pair; 0: the end; -1: a malformed
 * escape or a key/value whose decoded text is longer than its buffer. */
int rest_query_next(const char **cursor, char *key, size_t key_size, char *val, size_t val_size);

/* 1 if the Content-Type value `ct` is the media type `type`
 * ("application/json"), ignoring case, surrounding space and parameters
 * ("application/json; charset=utf-8"); 0 otherwise or if ct is NULL. */
int rest_media_is(const char *ct, const char *type);

/* A caller's timeout header, whole milliseconds >= 1, capped at `ceiling`.
 * 0 and *ms, -1 if it is not such a number. */
int rest_timeout_parse(const char *v, int ceiling, int *ms);

#endif
