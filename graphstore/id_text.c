/* id_text.c: a vertex named by a caller's text (id_text.h). */
#include "id_text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "graph_build.h"

/* An optional '-' and decimal digits that fit in int64: 0 and *out. */
static int as_number(const char *s, int64_t *out)
{
    const char *p = s + (s[0] == '-');
    if (!*p)
        return -1;
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9')
            return -1;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}

int64_t algo_idmap_find_text(const algo_idmap *ids, const char *text)
{
    if (!ids || !text || !*text || ids->n == 0)
        return -1;
    int64_t num;
    if (as_number(text, &num) == 0) {
        algo_vid v = {.is_str = 0, .num = num};
        int64_t at = algo_idmap_find(ids, &v);
        if (at >= 0)
            return at;
    }
    algo_vid v = {.is_str = 1, .str = text, .len = strlen(text)};
    return algo_idmap_find(ids, &v);
}
