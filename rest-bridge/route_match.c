/* route_match.c: matching a request's method and path against the route
 * table (routes.h). Runs on every request: a linear scan over the ~20
 * routes whose templates routes.c split into segments, a few memcmp per
 * route, no allocation. Among the routes of the request's method that
 * match, the most specific wins (the first segment where they differ is a
 * literal in the winner), as grpc-gateway orders its patterns.
 */
#include <string.h>

#include "base/hex.h"
#include "routes_internal.h"

typedef struct span {
    const char *p;
    size_t len;
} span;

/* -1 if the path can't match any route (no leading '/', too many segments). */
static int split_path(const char *path, span *segs, size_t *n)
{
    const char *p;
    size_t k = 0;
    if (path[0] != '/')
        return -1;
    p = path + 1;
    while (*p) {
        const char *q = strchr(p, '/');
        if (!q)
            q = p + strlen(p);
        if (k == MAX_PATH_SEGS)
            return -1;
        segs[k].p = p;
        segs[k].len = (size_t)(q - p);
        k++;
        if (!*q)
            break;
        p = q + 1; /* a single trailing '/' leaves *p == 0 and ends the loop */
    }
    *n = k;
    return 0;
}

/* Decodes %XX into out (when not NULL); a '%' not followed by two hex
 * digits, and %00 (it would cut the C string), stay as they are. The
 * decoded length, or (size_t)-1 if it needs cap bytes or more with the NUL. */
static size_t pct_decode(const char *s, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        int hi, lo;
        if (c == '%' && i + 2 < len && (hi = hgc_hex_digit(s[i + 1])) >= 0 &&
            (lo = hgc_hex_digit(s[i + 2])) >= 0 && (hi | lo)) {
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (o + 1 >= cap)
            return (size_t)-1;
        if (out)
            out[o] = c;
        o++;
    }
    if (out)
        out[o] = '\0';
    return o;
}

static int entry_matches(const entry *e, const span *segs, size_t n)
{
    if (e->n_segs != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const seg *s = &e->segs[i];
        if (s->var) {
            /* One non-empty segment whose decoded value fits the caller's
             * buffer: a longer one is no id we could hold, so no match. */
            if (segs[i].len == 0 ||
                (segs[i].len >= VAR_CAP &&
                 pct_decode(segs[i].p, segs[i].len, NULL, VAR_CAP) == (size_t)-1))
                return 0;
        } else if (s->len != segs[i].len || memcmp(s->text, segs[i].p, s->len)) {
            return 0;
        }
    }
    return 1;
}

/* Both match the same path, so they differ only where one has a literal
 * and the other a variable: the first such place decides. */
static int more_specific(const entry *a, const entry *b)
{
    for (size_t i = 0; i < a->n_segs; i++)
        if (a->segs[i].var != b->segs[i].var)
            return !a->segs[i].var;
    return 0;
}

static int match_method(const rest_routes *r, const char *http_method, const char *path,
                        const rest_route **route, rest_path_vars *vars)
{
    span segs[MAX_PATH_SEGS];
    size_t n = 0;
    const entry *best = NULL, *other = NULL;

    if (!r || !http_method || !path || split_path(path, segs, &n))
        return -1;
    for (size_t i = 0; i < r->n; i++) {
        const entry *e = &r->e[i];
        if (!entry_matches(e, segs, n))
            continue;
        if (!strcmp(e->http_method, http_method)) {
            if (!best || more_specific(e, best))
                best = e;
        } else if (!other || more_specific(e, other)) {
            other = e;
        }
    }
    if (!best) {
        if (!other)
            return -1;
        if (route)
            *route = &other->route;
        return -2;
    }
    if (vars) {
        vars->n = 0;
        for (size_t i = 0; i < n; i++) {
            if (!best->segs[i].var)
                continue;
            vars->items[vars->n].name = best->segs[i].text;
            pct_decode(segs[i].p, segs[i].len, vars->items[vars->n].value, VAR_CAP);
            vars->n++;
        }
    }
    if (route)
        *route = &best->route;
    return 0;
}

/* HEAD is the route GET would take, where that one allows it (route.head). */
int rest_routes_match(const rest_routes *r, const char *http_method, const char *path,
                      const rest_route **route, rest_path_vars *vars)
{
    if (!http_method || strcmp(http_method, "HEAD") != 0)
        return match_method(r, http_method, path, route, vars);
    const rest_route *got = NULL;
    int rc = match_method(r, "GET", path, &got, NULL);
    if (route)
        *route = got;
    if (rc == 0 && !got->head)
        return -2; /* vars untouched, as for any -2 */
    return rc == 0 && vars ? match_method(r, "GET", path, NULL, vars) : rc;
}

size_t rest_routes_allow(const rest_routes *r, const char *path, char *out, size_t size)
{
    span segs[MAX_PATH_SEGS];
    size_t n = 0, count = 0, o = 0;
    int full = 0;

    if (out && size)
        out[0] = '\0';
    if (!r || !path || split_path(path, segs, &n))
        return 0;
    for (size_t i = 0; i < r->n; i++) {
        const entry *e = &r->e[i];
        int dup = 0;
        size_t ml;
        if (!entry_matches(e, segs, n))
            continue;
        for (size_t j = 0; j < i && !dup; j++)
            dup = entry_matches(&r->e[j], segs, n) && !strcmp(r->e[j].http_method, e->http_method);
        if (dup)
            continue;
        count++;
        ml = strlen(e->http_method);
        if (out && !full && o + ml + (o ? 2 : 0) < size) {
            if (o) {
                memcpy(out + o, ", ", 2);
                o += 2;
            }
            memcpy(out + o, e->http_method, ml);
            o += ml;
            out[o] = '\0';
        } else {
            full = 1; /* no method after one that was left out */
        }
    }
    return count;
}

int rest_path_segment_too_long(const char *path)
{
    span segs[MAX_PATH_SEGS];
    size_t n;
    if (split_path(path, segs, &n) < 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (pct_decode(segs[i].p, segs[i].len, NULL, VAR_CAP) == (size_t)-1)
            return 1;
    return 0;
}
